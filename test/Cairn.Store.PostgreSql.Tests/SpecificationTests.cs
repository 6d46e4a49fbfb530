using Cairn.Specification.Tests;

namespace Cairn.Store.PostgreSql.Tests;

// The conformance suite on a real PostgreSQL server: one line per abstract class.

public sealed class TypePostgreSqlTests : TypeTests<PostgreSqlStoreFactory>;

public sealed class NodeWritePostgreSqlTests : NodeWriteTests<PostgreSqlStoreFactory>;

public sealed class NodeReadPostgreSqlTests : NodeReadTests<PostgreSqlStoreFactory>;

public sealed class EventPostgreSqlTests : EventTests<PostgreSqlStoreFactory>;

public sealed class ContextEdgePostgreSqlTests : ContextEdgeTests<PostgreSqlStoreFactory>;

public sealed class PutExecutionPostgreSqlTests : PutExecutionTests<PostgreSqlStoreFactory>;

public sealed class PutLineageSubgraphPostgreSqlTests : PutLineageSubgraphTests<PostgreSqlStoreFactory>;

public sealed class PagingPostgreSqlTests : PagingTests<PostgreSqlStoreFactory>;

public sealed class FilterQueryPostgreSqlTests : FilterQueryTests<PostgreSqlStoreFactory>;

public sealed class LineagePostgreSqlTests : LineageTests<PostgreSqlStoreFactory>;

public sealed class LabelPostgreSqlTests : LabelTests<PostgreSqlStoreFactory>;

public sealed class SearchPostgreSqlTests : SearchTests<PostgreSqlStoreFactory>;

public sealed class ChangeLogPostgreSqlTests : ChangeLogTests<PostgreSqlStoreFactory>;
