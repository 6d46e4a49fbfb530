using System.Data.Common;

namespace Cairn.Store.Relational;

/// <summary>
/// What a SQL backend supplies to the engine: connections, its dialect, its migrations and its error translation.
/// All of a backend's own SQL lives in its project; the engine's statements are written in the SQL both dialects accept.
/// </summary>
internal interface ISqlBackend
{
    /// <summary>The dialect: the few fragments that differ between engines.</summary>
    ISqlDialect Dialect { get; }

    /// <summary>Where the store is, for messages.</summary>
    string Where { get; }

    /// <summary>The backend's name as in store URIs (<c>sqlite</c>, <c>memory</c>, <c>postgres</c>).</summary>
    string Name { get; }

    /// <summary>The newest schema version this backend knows.</summary>
    int LatestSchemaVersion { get; }

    /// <summary>How many connections may be open at once (1 for an in-memory SQLite database).</summary>
    int MaxConnections { get; }

    /// <summary>Whether writers in this process must take turns (SQLite allows one writer at a time).</summary>
    bool SerializeWriters { get; }

    /// <summary>Opens and configures a new physical connection.</summary>
    Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Where writers take turns (<see cref="SerializeWriters"/>), a backend may give them one connection of their own, kept
    /// outside the pool and configured for writing (SQLite: no memory map, so a long run of writes does not map the whole
    /// file into the process). Null means writers use the pool like readers.
    /// </summary>
    Task<DbConnection>? OpenWriterConnectionAsync(CancellationToken cancellationToken) => null;

    /// <summary>Begins a transaction; <paramref name="write"/> transactions take the write lock up front.</summary>
    Task<DbTransaction> BeginAsync(DbConnection connection, bool write, CancellationToken cancellationToken);

    /// <summary>Translates a provider exception into the taxonomy, or returns null when it is not a database error.</summary>
    CairnException? Translate(Exception exception);

    /// <summary>True when the whole call may simply be run again (a serialization failure or deadlock between writers).</summary>
    bool IsTransient(Exception exception);

    /// <summary>True when <paramref name="exception"/> is a unique-constraint violation.</summary>
    bool IsUniqueViolation(Exception exception);

    /// <summary>Reserves <paramref name="count"/> new ids of <paramref name="table"/> (in the current write transaction), in ascending order.</summary>
    Task<long[]> AllocateIdsAsync(Session session, string table, int count, CancellationToken cancellationToken);

    /// <summary>Inserts rows into <paramref name="table"/> in as few round trips as the backend allows.</summary>
    Task InsertRowsAsync(Session session, string table, IReadOnlyList<BulkColumn> columns, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken);

    /// <summary>
    /// The last writes of a write call in one round trip with its commit: runs <paramref name="insertSql"/> (an <c>INSERT … RETURNING id</c>
    /// of one row, bound by <paramref name="bind"/>), inserts the rows of each of <paramref name="children"/> with that id in their first
    /// column, and commits. Returns the id, or null when the backend has no such path: the engine then runs the statements itself and
    /// commits as usual. Nothing may run in the transaction afterwards.
    /// </summary>
    Task<long?> InsertAndCommitAsync(
        Session session, string insertSql, Action<DbCommand> bind, IReadOnlyList<BulkRows> children, CancellationToken cancellationToken) =>
        Task.FromResult<long?>(null);

    /// <summary>After rows were written to <paramref name="table"/> with explicit ids, makes the next new id follow the largest one.</summary>
    Task ContinueIdsAsync(Session session, string table, CancellationToken cancellationToken);

    /// <summary>Routine upkeep run now and then after writes, outside any transaction (SQLite: refresh planner statistics).</summary>
    Task MaintainAsync(Session session, CancellationToken cancellationToken);

    /// <summary>Creates or upgrades the schema; refuses newer schemas.</summary>
    Task MigrateAsync(DbConnection connection, StoreOpenOptions options, CancellationToken cancellationToken);

    /// <summary>Releases backend-wide resources (for example the connection keeping an in-memory database alive).</summary>
    ValueTask DisposeAsync();
}

/// <summary>The SQL fragments that differ between engines.</summary>
internal interface ISqlDialect
{
    /// <summary>A row source of one column <c>value</c> holding each element of a list parameter (for <c>IN (…)</c>).</summary>
    string ListSource(string parameterName);

    /// <summary>A row source of two columns <c>a</c>, <c>b</c> holding the pairs bound by <see cref="BindPairs"/> under <paramref name="parameterName"/>.</summary>
    string PairSource(string parameterName);

    /// <summary>Binds the pairs (<paramref name="first"/>[i], <paramref name="second"/>[i]) for <see cref="PairSource"/>; the source must be a single scan.</summary>
    void BindPairs(DbCommand command, string parameterName, IReadOnlyList<long> first, IReadOnlyList<long> second);

    /// <summary>The value to bind for a list of integers.</summary>
    object IntList(IReadOnlyCollection<long> values);

    /// <summary>The value to bind for a list of strings.</summary>
    object TextList(IReadOnlyCollection<string> values);

    /// <summary>Suffix that makes an INSERT … SELECT ignore duplicate keys.</summary>
    string InsertSelectIgnoreDuplicates { get; }

    /// <summary>
    /// A case-sensitive match of <paramref name="value"/> against the pattern parameter <paramref name="parameterName"/>, bound to
    /// <see cref="LikePattern"/> of an MLMD LIKE pattern. The default is standard SQL LIKE, whose escape character is the backslash.
    /// </summary>
    string Like(string value, string parameterName) => $"{value} LIKE {parameterName}";

    /// <summary>The value to bind for an MLMD LIKE pattern (<c>%</c> any run, <c>_</c> one character, <c>\</c> escapes the next).</summary>
    object LikePattern(string pattern) => pattern;

    /// <summary>
    /// A row source of columns <c>id</c> and <c>score</c> (higher is better): the nodes of <paramref name="table"/> whose search
    /// index matches <paramref name="query"/>, bound to <paramref name="parameterName"/> by <see cref="SearchQuery"/>.
    /// </summary>
    string SearchHits(NodeTable table, Cairn.Query.ParsedSearch query, string parameterName);

    /// <summary>The value to bind for a parsed search: the backend's own full-text query text.</summary>
    object SearchQuery(Cairn.Query.ParsedSearch query);
}

/// <summary>A column of a bulk insert: its name and the CLR type of its values (nullable where the column is).</summary>
/// <param name="Name">Column name.</param>
/// <param name="Type">CLR type of the values: long, int, double, string or byte[].</param>
internal sealed record BulkColumn(string Name, Type Type);

/// <summary>Rows for one table of a bulk insert.</summary>
/// <param name="Table">The table.</param>
/// <param name="Columns">Its columns, in the order of each row's values.</param>
/// <param name="Rows">The rows.</param>
internal sealed record BulkRows(string Table, IReadOnlyList<BulkColumn> Columns, IReadOnlyList<object?[]> Rows);

/// <summary>
/// A backend's own transaction, for what the provider's cannot do: a commit sent with the call's last statement
/// (PostgreSQL), or BEGIN and COMMIT as statements prepared once per connection (SQLite). Commands are enlisted in
/// <see cref="Provider"/>, or in none when the backend manages the transaction with its own statements.
/// </summary>
internal abstract class BackendTransaction : DbTransaction
{
    /// <summary>The provider's transaction that commands run in, or null when there is none.</summary>
    public abstract DbTransaction? Provider { get; }
}
