using Cairn.Specification.Tests;

namespace Cairn.Store.Sqlite.Tests;

// The filter-query conformance tests on a SQLite file and on an in-memory store.

public sealed class FilterQuerySqliteFileTests : FilterQueryTests<SqliteFileStoreFactory>;

public sealed class FilterQueryMemoryTests : FilterQueryTests<MemoryStoreFactory>;
