using System.Data;
using System.Data.Common;

namespace Cairn.Store.Relational;

/// <summary>One pooled connection with its cached prepared commands and, during a call, its transaction.</summary>
internal sealed class Session : IAsyncDisposable
{
    private const int MaxCachedCommands = 256;
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

    public Session(DbConnection connection, ISqlBackend backend)
    {
        Connection = connection;
        Backend = backend;
        Dialect = backend.Dialect;
    }

    public DbConnection Connection { get; }

    public ISqlBackend Backend { get; }

    public ISqlDialect Dialect { get; }

    public DbTransaction? Transaction { get; set; }

    /// <summary>Milliseconds since the epoch at the start of the current call; every timestamp of one call is the same instant.</summary>
    public long Now { get; set; }

    /// <summary>Who the change log records as the author of the current call's writes.</summary>
    public string Actor { get; set; } = string.Empty;

    /// <summary>Whether the store has the change log (migration 7); a store opened with fewer migrations writes none.</summary>
    public bool LogsChanges { get; set; }

    /// <summary>The changes the current write call made, written to the change log just before it commits.</summary>
    public List<PendingChange> Changes { get; } = [];

    /// <summary>Statements executed on this session (a co-metric for benchmarks: catches N+1 reads).</summary>
    public long StatementCount { get; private set; }

    /// <summary>True once a statement failed in a way that leaves the connection unusable.</summary>
    public bool Broken { get; set; }

    /// <summary>A cached command for <paramref name="sql"/> with its parameters cleared and the current transaction set.</summary>
    public DbCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            // Filter queries make many distinct statements: keep the cache bounded.
            if (_commands.Count >= MaxCachedCommands)
            {
                foreach (var old in _commands.Values) old.Dispose();
                _commands.Clear();
            }

            command = Connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }

        command.Parameters.Clear();
        command.Transaction = Transaction is BackendTransaction own ? own.Provider : Transaction;
        return command;
    }

    public static void Bind(DbCommand command, string name, object? value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        command.Parameters.Add(p);
    }

    public async Task<int> ExecuteAsync(DbCommand command, CancellationToken cancellationToken)
    {
        StatementCount++;
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<object?> ScalarAsync(DbCommand command, CancellationToken cancellationToken)
    {
        StatementCount++;
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    public async Task<DbDataReader> ReaderAsync(DbCommand command, CancellationToken cancellationToken)
    {
        StatementCount++;
        return await command.ExecuteReaderAsync(CommandBehavior.Default, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a query and maps each row.</summary>
    public async Task<List<T>> QueryAsync<T>(DbCommand command, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        var list = new List<T>();
        await using var reader = await ReaderAsync(command, cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) list.Add(map(reader));
        return list;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _commands.Values) await command.DisposeAsync().ConfigureAwait(false);
        _commands.Clear();
        await Connection.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>A small pool of sessions; connections and their prepared statements are reused across calls.</summary>
internal sealed class SessionPool : IAsyncDisposable
{
    private readonly ISqlBackend _backend;
    private readonly Stack<Session> _idle = new();
    private readonly SemaphoreSlim _slots;
    private readonly Lock _lock = new();
    private bool _disposed;

    public SessionPool(ISqlBackend backend)
    {
        _backend = backend;
        _slots = new SemaphoreSlim(backend.MaxConnections, backend.MaxConnections);
    }

    public async Task<Session> RentAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_lock)
            {
                if (_idle.Count > 0) return _idle.Pop();
            }

            var connection = await _backend.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return new Session(connection, _backend);
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    public async ValueTask ReturnAsync(Session session)
    {
        session.Transaction = null;
        if (session.Broken || _disposed)
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            lock (_lock) _idle.Push(session);
        }

        _slots.Release();
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        List<Session> idle;
        lock (_lock)
        {
            idle = [.. _idle];
            _idle.Clear();
        }

        foreach (var s in idle) await s.DisposeAsync().ConfigureAwait(false);
    }
}
