using System.Data;
using System.Data.Common;
using System.Globalization;
using Cairn.Store.Relational;
using Npgsql;

[assembly: Cairn.StoreProvider(typeof(Cairn.Store.PostgreSql.PostgreSqlStoreProvider))]

namespace Cairn.Store.PostgreSql;

/// <summary>Opens <c>postgres://</c> stores.</summary>
public sealed class PostgreSqlStoreProvider : IStoreProvider
{
    /// <inheritdoc/>
    public IReadOnlyCollection<string> Schemes { get; } = ["postgres"];

    /// <inheritdoc/>
    public Task<IMetadataStore> OpenAsync(StoreUri uri, StoreOpenOptions options, CancellationToken cancellationToken = default) =>
        OpenAsync(uri, options, PostgreSqlSchema.Migrations, cancellationToken);

    /// <summary>Opens with an explicit migration list (tests use it to stand for a newer Cairn).</summary>
    internal static async Task<IMetadataStore> OpenAsync(StoreUri uri, StoreOpenOptions options, IReadOnlyList<string> migrations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(options);
        var backend = new PostgreSqlBackend(PostgreSqlUri.ToConnectionString(uri), uri.Display, options, migrations);
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

/// <summary>Turns <c>postgres://user:password@host:port/db?sslmode=…</c> (plus libpq's PG* variables) into an Npgsql connection string.</summary>
internal static class PostgreSqlUri
{
    public static string ToConnectionString(StoreUri uri)
    {
        Uri parsed;
        try
        {
            parsed = new Uri(uri.Location.Replace("postgresql://", "postgres://", StringComparison.OrdinalIgnoreCase));
        }
        catch (UriFormatException e)
        {
            throw new InvalidArgumentException(Messages.PostgresUriInvalid(uri.Display, e.Message), e);
        }

        var b = new NpgsqlConnectionStringBuilder
        {
            Host = Env("PGHOST") ?? "localhost",
            Port = int.TryParse(Env("PGPORT"), NumberStyles.None, CultureInfo.InvariantCulture, out var envPort) ? envPort : 5432,
            Username = Env("PGUSER") ?? Environment.UserName,
            Password = Env("PGPASSWORD"),
            Database = Env("PGDATABASE"),
            ApplicationName = "cairn",
            MaxPoolSize = 32,
        };
        if (!string.IsNullOrEmpty(parsed.Host)) b.Host = parsed.Host;
        if (parsed.Port > 0) b.Port = parsed.Port;
        if (!string.IsNullOrEmpty(parsed.UserInfo))
        {
            var parts = parsed.UserInfo.Split(':', 2);
            b.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2) b.Password = Uri.UnescapeDataString(parts[1]);
        }

        var db = Uri.UnescapeDataString(parsed.AbsolutePath.Trim('/'));
        if (db.Length > 0) b.Database = db;
        b.Database ??= b.Username;

        foreach (var pair in parsed.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            var value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : string.Empty;
            switch (key.ToLowerInvariant())
            {
                case "sslmode":
                    b.SslMode = Enum.TryParse<SslMode>(value.Replace("-", string.Empty, StringComparison.Ordinal), ignoreCase: true, out var mode)
                        ? mode : throw new InvalidArgumentException(Messages.PostgresUriBadOption(uri.Display, key, value));
                    break;
                default:
                    try
                    {
                        b[key] = value;
                    }
                    catch (ArgumentException e)
                    {
                        throw new InvalidArgumentException(Messages.PostgresUriBadOption(uri.Display, key, value), e);
                    }

                    break;
            }
        }

        return b.ConnectionString;
    }

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;
}

/// <summary>PostgreSQL: many writers at once, each write SERIALIZABLE; serialization failures and deadlocks are retried by the engine.</summary>
internal sealed class PostgreSqlBackend : ISqlBackend
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly IReadOnlyList<string> _migrations;

    public PostgreSqlBackend(string connectionString, string where, StoreOpenOptions options, IReadOnlyList<string>? migrations = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            CommandTimeout = (int)Math.Max(1, Math.Ceiling(options.LockTimeout.TotalSeconds)),
        };
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        _migrations = migrations ?? PostgreSqlSchema.Migrations;
        Where = where;
    }

    public ISqlDialect Dialect { get; } = new PostgreSqlDialect();

    public string Name => "postgres";

    public int LatestSchemaVersion => _migrations.Count;

    public string Where { get; }

    public int MaxConnections => 16;

    public bool SerializeWriters => false;

    public async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public async Task<DbTransaction> BeginAsync(DbConnection connection, bool write, CancellationToken cancellationToken)
    {
        var pg = (NpgsqlConnection)connection;
        if (!write) return await pg.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        return new PostgreSqlWriteTransaction(await pg.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken).ConfigureAwait(false));
    }

    // One round trip for the whole call: Npgsql sends the pending BEGIN, then the statement, then COMMIT, and waits once.
    public async Task<long?> InsertAndCommitAsync(
        Session session, string insertSql, Action<DbCommand> bind, IReadOnlyList<BulkRows> children, CancellationToken cancellationToken)
    {
        if (session.Transaction is not PostgreSqlWriteTransaction transaction) return null;
        var written = children.Where(c => c.Rows.Count > 0).ToList();
        var cmd = session.Command(written.Count == 0 ? insertSql + "; COMMIT" : InsertWithChildrenSql(insertSql, written));
        bind(cmd);
        for (var c = 0; c < written.Count; c++)
        {
            var child = written[c];
            for (var i = 1; i < child.Columns.Count; i++)
                Session.Bind(cmd, ChildParameter(c, i), ColumnArray(child.Columns[i].Type, child.Rows, i));
        }

        transaction.CommitWithNextStatement();
        var id = Convert.ToInt64(await session.ScalarAsync(cmd, cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        transaction.CommittedByStatement();
        return id;
    }

    private static string ChildParameter(int child, int column) =>
        string.Create(CultureInfo.InvariantCulture, $"@r{child}_{column}");

    // A data-modifying CTE: the child rows take the id the row's INSERT returns (table and column names are the engine's own).
    private static string InsertWithChildrenSql(string insertSql, IReadOnlyList<BulkRows> children)
    {
        var sql = new System.Text.StringBuilder();
        sql.Append("WITH n AS (").Append(insertSql).Append(')');
        for (var c = 0; c < children.Count; c++)
        {
            var child = children[c];
            var aliases = string.Join(", ", child.Columns.Skip(1).Select((_, i) => "r" + (i + 1).ToString(CultureInfo.InvariantCulture)));
            var arrays = string.Join(", ", child.Columns.Skip(1).Select((_, i) => ChildParameter(c, i + 1)));
            sql.Append(CultureInfo.InvariantCulture, $", c{c} AS (INSERT INTO {child.Table} ({string.Join(", ", child.Columns.Select(x => x.Name))}) ");
            sql.Append(CultureInfo.InvariantCulture, $"SELECT n.id, {aliases} FROM n, unnest({arrays}) AS r ({aliases}))");
        }

        return sql.Append(" SELECT id FROM n; COMMIT").ToString();
    }

    public async Task<long[]> AllocateIdsAsync(Session session, string table, int count, CancellationToken cancellationToken)
    {
        var cmd = session.Command("SELECT nextval(pg_get_serial_sequence(@t, 'id')) FROM generate_series(1, @n)");
        Session.Bind(cmd, "@t", table);
        Session.Bind(cmd, "@n", count);
        var ids = await session.QueryAsync(cmd, r => r.GetInt64(0), cancellationToken).ConfigureAwait(false);
        ids.Sort();
        return [.. ids];
    }

    // One statement for the whole batch: each column travels as one typed array and unnest zips them into rows.
    public async Task InsertRowsAsync(Session session, string table, IReadOnlyList<BulkColumn> columns, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0) return;
        var names = string.Join(", ", columns.Select(c => c.Name));
        var arrays = string.Join(", ", columns.Select((_, i) => "@c" + i.ToString(CultureInfo.InvariantCulture)));
        var cmd = session.Command($"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays})");
        for (var i = 0; i < columns.Count; i++)
            Session.Bind(cmd, "@c" + i.ToString(CultureInfo.InvariantCulture), ColumnArray(columns[i].Type, rows, i));
        await session.ExecuteAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    // Identity columns do not see explicit ids: move the sequence past the largest id (table names are the engine's own).
    public async Task ContinueIdsAsync(Session session, string table, CancellationToken cancellationToken)
    {
        var cmd = session.Command($"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)");
        await session.ScalarAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    private static Array ColumnArray(Type type, IReadOnlyList<object?[]> rows, int column)
    {
        if (type == typeof(long)) return rows.Select(r => r[column] is null ? (long?)null : Convert.ToInt64(r[column], CultureInfo.InvariantCulture)).ToArray();
        if (type == typeof(int)) return rows.Select(r => r[column] is null ? (int?)null : Convert.ToInt32(r[column], CultureInfo.InvariantCulture)).ToArray();
        if (type == typeof(double)) return rows.Select(r => (double?)r[column]).ToArray();
        if (type == typeof(byte[])) return rows.Select(r => (byte[]?)r[column]).ToArray();
        return rows.Select(r => (string?)r[column]).ToArray();
    }

    // autovacuum keeps PostgreSQL's statistics current.
    public Task MaintainAsync(Session session, CancellationToken cancellationToken) => Task.CompletedTask;

    public bool IsTransient(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected };

    public bool IsUniqueViolation(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public CairnException? Translate(Exception exception)
    {
        switch (exception)
        {
            case PostgresException p:
                return p.SqlState switch
                {
                    PostgresErrorCodes.UniqueViolation => new AlreadyExistsException(Messages.NodeAlreadyExists(NodeKind.Artifact, p.MessageText), p),
                    PostgresErrorCodes.ForeignKeyViolation => new InvalidArgumentException("The request refers to an id that does not exist: " + p.MessageText, p),
                    PostgresErrorCodes.NotNullViolation or PostgresErrorCodes.CheckViolation => new InvalidArgumentException("The request breaks a rule of the store: " + p.MessageText, p),
                    PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected => new AbortedException(Messages.PostgresConflict(Where), p),
                    PostgresErrorCodes.InvalidCatalogName => new NotFoundException(Messages.PostgresNoDatabase(Where, p.MessageText), p),
                    PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification => new FailedPreconditionException(Messages.PostgresAuth(Where, p.MessageText), p),
                    PostgresErrorCodes.InsufficientPrivilege => new FailedPreconditionException(Messages.PostgresPermission(Where, p.MessageText), p),
                    PostgresErrorCodes.QueryCanceled => new AbortedException(Messages.StoreLocked(Where), p),
                    PostgresErrorCodes.ProgramLimitExceeded => new InvalidArgumentException("A value is too large for the store: " + p.MessageText, p),
                    _ => new InternalException(Messages.StoreCannotOpen(Where, p.MessageText), p),
                };
            case NpgsqlException n:
                return new StoreUnavailableException(Messages.StoreCannotOpen(Where, n.Message), n);
            case TimeoutException t:
                return new StoreUnavailableException(Messages.StoreCannotOpen(Where, t.Message), t);
            default:
                return null;
        }
    }

    public async Task MigrateAsync(DbConnection connection, StoreOpenOptions options, CancellationToken cancellationToken)
    {
        var pg = (NpgsqlConnection)connection;
        var version = await ReadVersionAsync(pg, null, cancellationToken).ConfigureAwait(false);
        if (version == _migrations.Count) return;
        if (version > _migrations.Count) throw new FailedPreconditionException(Messages.StoreNewerSchema(Where, version, _migrations.Count));
        // A shared database is upgraded only when asked: other servers may still run the older Cairn.
        if (version > 0 && options.ApplyMigrations != true) throw new FailedPreconditionException(Messages.StoreOlderSchema(Where, version, _migrations.Count));

        await using var tx = await pg.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Processes opening a fresh database at once take turns here; the loser finds the schema in place.
        await using (var lockCmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(7263617972)", pg, tx))
        {
            await lockCmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        version = await ReadVersionAsync(pg, tx, cancellationToken).ConfigureAwait(false);
        for (var v = (int)version; v < _migrations.Count; v++)
        {
            await using (var migrate = new NpgsqlCommand(_migrations[v], pg, tx))
            {
                await migrate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var record = new NpgsqlCommand("INSERT INTO cairn_schema (version, applied_at, cairn_version) VALUES (@v, @t, @c)", pg, tx);
            record.Parameters.AddWithValue("v", v + 1);
            record.Parameters.AddWithValue("t", options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds());
            record.Parameters.AddWithValue("c", typeof(PostgreSqlBackend).Assembly.GetName().Version?.ToString() ?? "0");
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<long> ReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, CancellationToken ct)
    {
        await using var tables = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'", connection, tx);
        var names = new List<string>();
        await using (var r = await tables.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await r.ReadAsync(ct).ConfigureAwait(false)) names.Add(r.GetString(0));
        }

        if (names.Count == 0) return 0;
        if (!names.Contains("cairn_schema", StringComparer.Ordinal)) throw new FailedPreconditionException(Messages.StoreNotCairn(Where));
        await using var max = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM cairn_schema", connection, tx);
        return Convert.ToInt64(await max.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}

/// <summary>PostgreSQL fragments: lists are bound as arrays and expanded with <c>unnest</c>.</summary>
internal sealed partial class PostgreSqlDialect : ISqlDialect
{
    public string ListSource(string parameterName) => $"SELECT unnest({parameterName})";

    public string PairSource(string parameterName) => $"unnest({parameterName}_a, {parameterName}_b) AS pairs (a, b)";

    public void BindPairs(DbCommand command, string parameterName, IReadOnlyList<long> first, IReadOnlyList<long> second)
    {
        Session.Bind(command, parameterName + "_a", first.ToArray());
        Session.Bind(command, parameterName + "_b", second.ToArray());
    }

    public object IntList(IReadOnlyCollection<long> values) => values as long[] ?? values.ToArray();

    public object TextList(IReadOnlyCollection<string> values) => values as string[] ?? values.ToArray();

    public string InsertSelectIgnoreDuplicates => "ON CONFLICT DO NOTHING";
}
