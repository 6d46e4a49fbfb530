using Cairn.Specification.Tests;

namespace Cairn.Store.Sqlite.Tests;

// The conformance suite on a SQLite file and on an in-memory store: one line per abstract class and backend.

public sealed class TypeSqliteFileTests : TypeTests<SqliteFileStoreFactory>;

public sealed class TypeMemoryTests : TypeTests<MemoryStoreFactory>;

public sealed class NodeWriteSqliteFileTests : NodeWriteTests<SqliteFileStoreFactory>;

public sealed class NodeWriteMemoryTests : NodeWriteTests<MemoryStoreFactory>;

public sealed class NodeReadSqliteFileTests : NodeReadTests<SqliteFileStoreFactory>;

public sealed class NodeReadMemoryTests : NodeReadTests<MemoryStoreFactory>;

public sealed class EventSqliteFileTests : EventTests<SqliteFileStoreFactory>;

public sealed class EventMemoryTests : EventTests<MemoryStoreFactory>;

public sealed class ContextEdgeSqliteFileTests : ContextEdgeTests<SqliteFileStoreFactory>;

public sealed class ContextEdgeMemoryTests : ContextEdgeTests<MemoryStoreFactory>;

public sealed class PutExecutionSqliteFileTests : PutExecutionTests<SqliteFileStoreFactory>;

public sealed class PutExecutionMemoryTests : PutExecutionTests<MemoryStoreFactory>;

public sealed class PutLineageSubgraphSqliteFileTests : PutLineageSubgraphTests<SqliteFileStoreFactory>;

public sealed class PutLineageSubgraphMemoryTests : PutLineageSubgraphTests<MemoryStoreFactory>;

public sealed class PagingSqliteFileTests : PagingTests<SqliteFileStoreFactory>;

public sealed class PagingMemoryTests : PagingTests<MemoryStoreFactory>;

public sealed class LineageSqliteFileTests : LineageTests<SqliteFileStoreFactory>;

public sealed class LineageMemoryTests : LineageTests<MemoryStoreFactory>;

public sealed class LabelSqliteFileTests : LabelTests<SqliteFileStoreFactory>;

public sealed class LabelMemoryTests : LabelTests<MemoryStoreFactory>;

public sealed class SearchSqliteFileTests : SearchTests<SqliteFileStoreFactory>;

public sealed class SearchMemoryTests : SearchTests<MemoryStoreFactory>;

public sealed class ChangeLogSqliteFileTests : ChangeLogTests<SqliteFileStoreFactory>;

public sealed class ChangeLogMemoryTests : ChangeLogTests<MemoryStoreFactory>;
