using Cairn.Specification.Tests;

namespace Cairn.Server.Tests;

// The conformance suite through an in-process server and the grpc:// client: one line per abstract class.

public sealed class TypeServerTests : TypeTests<ServerStoreFactory>;

public sealed class NodeWriteServerTests : NodeWriteTests<ServerStoreFactory>;

public sealed class NodeReadServerTests : NodeReadTests<ServerStoreFactory>;

public sealed class EventServerTests : EventTests<ServerStoreFactory>;

public sealed class ContextEdgeServerTests : ContextEdgeTests<ServerStoreFactory>;

public sealed class PutExecutionServerTests : PutExecutionTests<ServerStoreFactory>;

public sealed class PutLineageSubgraphServerTests : PutLineageSubgraphTests<ServerStoreFactory>;

public sealed class PagingServerTests : PagingTests<ServerStoreFactory>;

public sealed class FilterQueryServerTests : FilterQueryTests<ServerStoreFactory>;

public sealed class LineageServerTests : LineageTests<ServerStoreFactory>;

public sealed class LabelServerTests : LabelTests<ServerStoreFactory>;

public sealed class SearchServerTests : SearchTests<ServerStoreFactory>;

public sealed class ChangeLogServerTests : ChangeLogTests<ServerStoreFactory>
{
    protected override string? InstanceStorageUnsupported => "The grpc:// client has no instance storage (InstanceStorageMessages.RemoteUnsupported); the server's REST routes write instances.";
}
