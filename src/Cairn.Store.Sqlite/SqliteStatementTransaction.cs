using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Cairn.Store.Relational;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Cairn.Store.Sqlite;

/// <summary>
/// A transaction run with BEGIN, COMMIT and ROLLBACK statements prepared once per connection. The provider's own
/// transaction object prepares and finalizes a new statement for each BEGIN and COMMIT, which is a measurable part of a
/// short call. Commands run with no provider transaction (the connection has none either), inside this one.
/// </summary>
internal sealed class SqliteStatementTransaction : BackendTransaction
{
    private static readonly ConditionalWeakTable<SqliteConnection, Statements> PerConnection = new();

    private readonly SqliteConnection _connection;
    private readonly Statements _statements;
    private bool _done;

    private SqliteStatementTransaction(SqliteConnection connection, Statements statements, bool write)
    {
        _connection = connection;
        _statements = statements;
        IsolationLevel = IsolationLevel.Serializable;
        (write ? statements.BeginImmediate : statements.Begin).ExecuteNonQuery();
    }

    public override DbTransaction? Provider => null;

    public override IsolationLevel IsolationLevel { get; }

    protected override DbConnection DbConnection => _connection;

    /// <summary>Begins a transaction: deferred for a reader, immediate (the write lock taken at once) for a writer.</summary>
    public static SqliteStatementTransaction Begin(SqliteConnection connection, bool write) =>
        new(connection, PerConnection.GetValue(connection, c => new Statements(c)), write);

    public override void Commit()
    {
        ObjectDisposedException.ThrowIf(_done, this);
        _statements.Commit.ExecuteNonQuery();
        _done = true;
    }

    public override void Rollback()
    {
        ObjectDisposedException.ThrowIf(_done, this);
        _done = true;
        // SQLite rolls a transaction back by itself after some errors (a full disk, an I/O error); then there is none to end.
        if (InTransaction) _statements.Rollback.ExecuteNonQuery();
    }

    public override Task CommitAsync(CancellationToken cancellationToken = default)
    {
        Commit();
        return Task.CompletedTask;
    }

    public override Task RollbackAsync(CancellationToken cancellationToken = default)
    {
        Rollback();
        return Task.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_done && _connection.State == ConnectionState.Open) Rollback();
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private bool InTransaction => raw.sqlite3_get_autocommit(_connection.Handle) == 0;

    /// <summary>The four statements of one connection, prepared on first use and kept with it.</summary>
    private sealed class Statements(SqliteConnection connection)
    {
        public SqliteCommand Begin { get; } = Create(connection, "BEGIN");

        public SqliteCommand BeginImmediate { get; } = Create(connection, "BEGIN IMMEDIATE");

        public SqliteCommand Commit { get; } = Create(connection, "COMMIT");

        public SqliteCommand Rollback { get; } = Create(connection, "ROLLBACK");

        private static SqliteCommand Create(SqliteConnection connection, string sql)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            return command;
        }
    }
}
