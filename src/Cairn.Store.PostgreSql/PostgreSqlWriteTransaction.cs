using System.Data;
using System.Data.Common;
using Cairn.Store.Relational;
using Npgsql;

namespace Cairn.Store.PostgreSql;

/// <summary>
/// A write call's <c>SERIALIZABLE</c> transaction, which the call's last statement may commit itself (<c>…; COMMIT</c> in the same round
/// trip); the engine's commit then has nothing left to do.
/// </summary>
internal sealed class PostgreSqlWriteTransaction(NpgsqlTransaction inner) : BackendTransaction
{
    private bool _commitSent;
    private bool _committed;

    public override DbTransaction Provider => inner;

    public override IsolationLevel IsolationLevel => inner.IsolationLevel;

    protected override DbConnection? DbConnection => inner.Connection;

    /// <summary>The next statement ends with <c>COMMIT</c>.</summary>
    public void CommitWithNextStatement() => _commitSent = true;

    /// <summary>That statement and its <c>COMMIT</c> succeeded.</summary>
    public void CommittedByStatement() => _committed = true;

    public override void Commit()
    {
        if (!_committed) inner.Commit();
    }

    public override Task CommitAsync(CancellationToken cancellationToken = default) =>
        _committed ? Task.CompletedTask : inner.CommitAsync(cancellationToken);

    public override void Rollback()
    {
        if (_committed) return;
        try
        {
            inner.Rollback();
        }
        catch (InvalidOperationException) when (_commitSent)
        {
            // The COMMIT itself failed (for example a serialization failure detected at commit), which ended the transaction.
        }
    }

    public override async Task RollbackAsync(CancellationToken cancellationToken = default)
    {
        if (_committed) return;
        try
        {
            await inner.RollbackAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException) when (_commitSent)
        {
            // The COMMIT itself failed (for example a serialization failure detected at commit), which ended the transaction.
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }
}
