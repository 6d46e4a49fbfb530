using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Cairn.Store.Relational;
using Microsoft.Data.Sqlite;

[assembly: Cairn.StoreProvider(typeof(Cairn.Store.Sqlite.SqliteStoreProvider))]

namespace Cairn.Store.Sqlite;

/// <summary>Opens <c>sqlite:</c> and <c>memory:</c> stores.</summary>
public sealed class SqliteStoreProvider : IStoreProvider
{
    /// <inheritdoc/>
    public IReadOnlyCollection<string> Schemes { get; } = ["sqlite", "memory"];

    /// <inheritdoc/>
    public Task<IMetadataStore> OpenAsync(StoreUri uri, StoreOpenOptions options, CancellationToken cancellationToken = default) =>
        OpenAsync(uri, options, SqliteSchema.Migrations, cancellationToken);

    /// <summary>Opens with an explicit migration list (tests use it to stand for a newer Cairn).</summary>
    internal static async Task<IMetadataStore> OpenAsync(StoreUri uri, StoreOpenOptions options, IReadOnlyList<string> migrations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(options);
        var backend = uri.Scheme == "memory" ? SqliteBackend.InMemory(options, migrations) : SqliteBackend.ForFile(uri.Location, options, migrations);
        try
        {
            await using (var connection = await backend.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
            {
                await backend.MigrateAsync(connection, options, cancellationToken).ConfigureAwait(false);
            }

            return new RelationalMetadataStore(backend, options, uri.Display);
        }
        catch (Exception e) when (e is not CairnException && e is not OperationCanceledException && backend.Translate(e) is { } translated)
        {
            await backend.DisposeAsync().ConfigureAwait(false);
            throw translated;
        }
        catch
        {
            await backend.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}

/// <summary>SQLite: WAL journal, one writer at a time (in-process writers queue; other processes wait on the busy timeout).</summary>
internal sealed class SqliteBackend : ISqlBackend
{
    private readonly string _connectionString;
    private readonly SqliteConnection? _keepAlive;
    private readonly IReadOnlyList<string> _migrations;
    private readonly long _busyTimeoutMs;
    private readonly long _mmapBytes;

    private SqliteBackend(string connectionString, string where, int maxConnections, SqliteConnection? keepAlive, StoreOpenOptions options, IReadOnlyList<string> migrations)
    {
        _connectionString = connectionString;
        Where = where;
        MaxConnections = maxConnections;
        _keepAlive = keepAlive;
        _migrations = migrations;
        _busyTimeoutMs = Math.Max(1, (long)options.LockTimeout.TotalMilliseconds);
        // An in-memory database has no file to map, and its one shared connection serves writers too.
        _mmapBytes = keepAlive is null ? MemoryMapBytes(options) : 0;
    }

    /// <summary>SQLite maps at most this much of a file (SQLITE_MAX_MMAP_SIZE of the bundled library).</summary>
    internal const long MaxMemoryMapBytes = 0x7fff0000;

    private const string MemoryMapVariable = "CAIRN_SQLITE_MMAP_SIZE";

    private static long MemoryMapBytes(StoreOpenOptions options)
    {
        if (options.SqliteMemoryMapBytes is { } bytes)
        {
            if (bytes < 0) throw new InvalidArgumentException(Messages.SqliteMemoryMapInvalid(nameof(StoreOpenOptions.SqliteMemoryMapBytes), bytes.ToString(CultureInfo.InvariantCulture)));
            return Math.Min(bytes, MaxMemoryMapBytes);
        }

        if (Environment.GetEnvironmentVariable(MemoryMapVariable) is not { Length: > 0 } text) return MaxMemoryMapBytes;
        if (!long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            throw new InvalidArgumentException(Messages.SqliteMemoryMapInvalid(MemoryMapVariable, text));
        return Math.Min(parsed, MaxMemoryMapBytes);
    }

    private int LatestVersion => _migrations.Count;

    public string Name => _keepAlive is null ? "sqlite" : "memory";

    public int LatestSchemaVersion => LatestVersion;

    public ISqlDialect Dialect { get; } = new SqliteDialect();

    public string Where { get; }

    public int MaxConnections { get; }

    public bool SerializeWriters => true;

    public static SqliteBackend ForFile(string path, StoreOpenOptions options, IReadOnlyList<string> migrations)
    {
        var exists = File.Exists(path);
        if (!exists && !options.CreateIfMissing) throw new NotFoundException(Messages.StoreMissing(path));
        if (!exists)
        {
            var dir = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(dir))
            {
                try
                {
                    Directory.CreateDirectory(dir);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new StoreUnavailableException(Messages.StoreCannotOpen(path, e.Message), e);
                }
            }
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = TimeoutSeconds(options),
        };
        return new SqliteBackend(builder.ToString(), path, maxConnections: 8, keepAlive: null, options, migrations);
    }

    public static SqliteBackend InMemory(StoreOpenOptions options, IReadOnlyList<string> migrations)
    {
        // A named shared-cache database lives as long as one connection to it is open; the backend keeps one open.
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = "cairn-memory-" + Guid.NewGuid().ToString("N"),
            Mode = SqliteOpenMode.Memory,
            Cache = SqliteCacheMode.Shared,
            Pooling = false,
            DefaultTimeout = TimeoutSeconds(options),
        };
        var keepAlive = new SqliteConnection(builder.ToString());
        keepAlive.Open();
        return new SqliteBackend(builder.ToString(), "memory:", maxConnections: 1, keepAlive, options, migrations);
    }

    private static int TimeoutSeconds(StoreOpenOptions options) => (int)Math.Max(1, Math.Ceiling(options.LockTimeout.TotalSeconds));

    public Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) => OpenAsync(_mmapBytes, cancellationToken);

    // Writers read through the page cache only: a long run of writes would otherwise map every page it touches (the whole
    // file, on a large store) into the process. Readers map, so a page they read is a memory access, not a read() and a copy.
    public Task<DbConnection>? OpenWriterConnectionAsync(CancellationToken cancellationToken) =>
        _keepAlive is null ? OpenAsync(0, cancellationToken) : null;

    private async Task<DbConnection> OpenAsync(long mmapBytes, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var pragmas = connection.CreateCommand();
            pragmas.CommandText = string.Create(CultureInfo.InvariantCulture,
                $"PRAGMA busy_timeout = {_busyTimeoutMs}; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -32768; PRAGMA mmap_size = {mmapBytes};");
            await pragmas.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Task<DbTransaction> BeginAsync(DbConnection connection, bool write, CancellationToken cancellationToken)
    {
        // Writers take the RESERVED lock at BEGIN (BEGIN IMMEDIATE) so two writers never deadlock upgrading a read lock.
        DbTransaction tx = SqliteStatementTransaction.Begin((SqliteConnection)connection, write);
        return Task.FromResult(tx);
    }

    // The write transaction holds SQLite's only write lock, so the next ids cannot be taken by anyone else before we insert.
    public async Task<long[]> AllocateIdsAsync(Session session, string table, int count, CancellationToken cancellationToken)
    {
        var cmd = session.Command("SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = @t), 0)");
        Session.Bind(cmd, "@t", table);
        var last = Convert.ToInt64(await session.ScalarAsync(cmd, cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        var ids = new long[count];
        for (var i = 0; i < count; i++) ids[i] = last + i + 1;
        return ids;
    }

    // SQLite statements cost microseconds in process: one prepared statement executed per row is as fast as any multi-row form.
    public async Task InsertRowsAsync(Session session, string table, IReadOnlyList<BulkColumn> columns, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        var sql = $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => c.Name))}) VALUES ({string.Join(", ", columns.Select((_, i) => "@c" + i.ToString(CultureInfo.InvariantCulture)))})";
        foreach (var row in rows)
        {
            var cmd = session.Command(sql);
            for (var i = 0; i < row.Length; i++) Session.Bind(cmd, "@c" + i.ToString(CultureInfo.InvariantCulture), row[i]);
            await session.ExecuteAsync(cmd, cancellationToken).ConfigureAwait(false);
        }
    }

    // AUTOINCREMENT already raised sqlite_sequence to the largest id written explicitly.
    public Task ContinueIdsAsync(Session session, string table, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task MaintainAsync(Session session, CancellationToken cancellationToken) =>
        await OptimizeAsync((SqliteConnection)session.Connection, cancellationToken).ConfigureAwait(false);

    // SQLite writers queue on the lock instead of failing, so nothing is retried.
    public bool IsTransient(Exception exception) => false;

    public bool IsUniqueViolation(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };

    public CairnException? Translate(Exception exception)
    {
        if (exception is not SqliteException e) return null;
        return e.SqliteErrorCode switch
        {
            19 when IsUniqueViolation(e) => new AlreadyExistsException(Messages.NodeAlreadyExists(NodeKind.Artifact, e.Message), e),
            19 when e.SqliteExtendedErrorCode == 787 => new InvalidArgumentException("The request refers to an id that does not exist: " + e.Message, e),
            19 => new InvalidArgumentException("The request breaks a rule of the store: " + e.Message, e),
            5 or 6 => new AbortedException(Messages.StoreLocked(Where), e),
            8 => new FailedPreconditionException(Messages.StoreReadOnly(Where), e),
            11 => new DataLossException(Messages.StoreCorrupt(Where), e),
            26 => new FailedPreconditionException(Messages.StoreNotCairn(Where), e),
            14 => new StoreUnavailableException(Messages.StoreCannotOpen(Where, e.Message), e),
            13 => new StoreUnavailableException(Messages.StoreCannotOpen(Where, "the disk is full"), e),
            _ => new InternalException(Messages.StoreCannotOpen(Where, e.Message), e),
        };
    }

    public async Task MigrateAsync(DbConnection connection, StoreOpenOptions options, CancellationToken cancellationToken)
    {
        var sqlite = (SqliteConnection)connection;
        if (_keepAlive is null)
        {
            await using var wal = sqlite.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode = WAL";
            await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var version = await ReadVersionAsync(sqlite, cancellationToken).ConfigureAwait(false);
        if (version == LatestVersion)
        {
            await OptimizeAsync(sqlite, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (version > LatestVersion) throw new FailedPreconditionException(Messages.StoreNewerSchema(Where, version, LatestVersion));
        if (version > 0 && options.ApplyMigrations == false) throw new FailedPreconditionException(Messages.StoreOlderSchema(Where, version, LatestVersion));

        await using var tx = sqlite.BeginTransaction(deferred: false);
        // Another process may have migrated while we waited for the write lock: read again inside the transaction.
        version = await ReadVersionAsync(sqlite, cancellationToken).ConfigureAwait(false);
        for (var v = (int)version; v < LatestVersion; v++)
        {
            await using var migrate = sqlite.CreateCommand();
            migrate.Transaction = tx;
            migrate.CommandText = _migrations[v];
            await migrate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await using var record = sqlite.CreateCommand();
            record.Transaction = tx;
            record.CommandText = "INSERT INTO cairn_schema (version, applied_at, cairn_version) VALUES ($v, $t, $c)";
            record.Parameters.AddWithValue("$v", v + 1);
            record.Parameters.AddWithValue("$t", options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds());
            record.Parameters.AddWithValue("$c", typeof(SqliteBackend).Assembly.GetName().Version?.ToString() ?? "0");
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Refreshes the query planner's statistics where they are missing or stale (bounded work: <c>analysis_limit</c>). Without them
    /// SQLite cannot tell a selective property predicate from a broad one and may start a filter from the wrong index.
    /// </summary>
    private static async Task OptimizeAsync(SqliteConnection connection, CancellationToken ct)
    {
        await using var optimize = connection.CreateCommand();
        optimize.CommandText = "PRAGMA analysis_limit = 1000; PRAGMA optimize = 0x10002;";
        await optimize.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The store's schema version: 0 for an empty database; refuses databases that are not Cairn stores.</summary>
    private async Task<long> ReadVersionAsync(SqliteConnection connection, CancellationToken ct)
    {
        await using var tables = connection.CreateCommand();
        tables.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
        var names = new List<string>();
        await using (var r = await tables.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await r.ReadAsync(ct).ConfigureAwait(false)) names.Add(r.GetString(0));
        }

        if (names.Count == 0) return 0;
        if (!names.Contains("cairn_schema", StringComparer.Ordinal)) throw new FailedPreconditionException(Messages.StoreNotCairn(Where));
        await using var max = connection.CreateCommand();
        max.CommandText = "SELECT COALESCE(MAX(version), 0) FROM cairn_schema";
        return Convert.ToInt64(await max.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        if (_keepAlive is not null) await _keepAlive.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>SQLite fragments: lists are bound as JSON arrays and expanded with <c>json_each</c>.</summary>
internal sealed partial class SqliteDialect : ISqlDialect
{
    public string ListSource(string parameterName) => $"SELECT value FROM json_each({parameterName})";

    // One JSON array of [a, b] pairs read in a single scan (joining two json_each scans on their keys would be quadratic).
    public string PairSource(string parameterName) =>
        $"(SELECT json_extract(value, '$[0]') AS a, json_extract(value, '$[1]') AS b FROM json_each({parameterName})) AS pairs";

    public void BindPairs(DbCommand command, string parameterName, IReadOnlyList<long> first, IReadOnlyList<long> second)
    {
        var json = new StringBuilder(first.Count * 16).Append('[');
        for (var i = 0; i < first.Count; i++)
        {
            if (i > 0) json.Append(',');
            json.Append('[').Append(first[i].ToString(CultureInfo.InvariantCulture)).Append(',').Append(second[i].ToString(CultureInfo.InvariantCulture)).Append(']');
        }

        Session.Bind(command, parameterName, json.Append(']').ToString());
    }

    // Written by hand: ids are bound on most statements, and the serializer's general path costs more than the statement's text.
    public object IntList(IReadOnlyCollection<long> values)
    {
        if (values.Count == 0) return "[]";
        var json = new StringBuilder(values.Count * 8).Append('[');
        foreach (var value in values) json.Append(CultureInfo.InvariantCulture, $"{value},");
        json[^1] = ']';
        return json.ToString();
    }

    public object TextList(IReadOnlyCollection<string> values) => JsonSerializer.Serialize(values);

    // SQLite needs a WHERE clause between INSERT … SELECT and ON CONFLICT to parse the upsert.
    public string InsertSelectIgnoreDuplicates => "WHERE true ON CONFLICT DO NOTHING";

    // SQLite's LIKE ignores ASCII case; GLOB is case-sensitive like MLMD's LIKE, and a literal prefix can use an index.
    public string Like(string value, string parameterName) => $"{value} GLOB {parameterName}";

    public object LikePattern(string pattern)
    {
        var glob = new System.Text.StringBuilder(pattern.Length + 8);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            var escaped = c == '\\' && i + 1 < pattern.Length;
            if (escaped) c = pattern[++i];
            if (!escaped && c == '%') glob.Append('*');
            else if (!escaped && c == '_') glob.Append('?');
            else if (c is '*' or '?' or '[') glob.Append('[').Append(c).Append(']');
            else glob.Append(c);
        }

        return glob.ToString();
    }
}
