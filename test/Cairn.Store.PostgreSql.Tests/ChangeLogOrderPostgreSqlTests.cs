using Cairn.Specification.Tests;
using Npgsql;
using Xunit;

namespace Cairn.Store.PostgreSql.Tests;

/// <summary>The PostgreSQL change log (migration 7): writers number their changes in commit order, whatever the timing.</summary>
public sealed class ChangeLogOrderPostgreSqlTests : IAsyncLifetime
{
    private string _database = "";

    public async Task InitializeAsync() => _database = await TestPostgres.CreateDatabaseAsync();

    public Task DisposeAsync() => TestPostgres.DropDatabaseAsync(_database);

    private const string InsertChange =
        "INSERT INTO change_log (time, actor, entity, entity_id, operation) VALUES (1, 'test', 1, 1, 1) RETURNING seq";

    [SkippableFact]
    public async Task A_second_writer_of_the_log_waits_for_the_first_to_commit_so_seq_order_is_commit_order()
    {
        await (await CairnStore.OpenAsync(StoreUri.Parse(TestPostgres.UriFor(_database)))).DisposeAsync();
        await using var first = new NpgsqlConnection(TestPostgres.ConnectionStringFor(_database));
        await using var second = new NpgsqlConnection(TestPostgres.ConnectionStringFor(_database));
        await first.OpenAsync();
        await second.OpenAsync();

        await using var firstTx = await first.BeginTransactionAsync();
        await using var firstInsert = new NpgsqlCommand(InsertChange, first, firstTx);
        var firstSeq = (long)(await firstInsert.ExecuteScalarAsync())!;

        // Without the trigger's lock the second writer would take the next number and could commit first; a reader paging
        // by seq would then pass over the first writer's change for good.
        var secondWrite = Task.Run(async () =>
        {
            await using var tx = await second.BeginTransactionAsync();
            await using var insert = new NpgsqlCommand(InsertChange, second, tx);
            var seq = (long)(await insert.ExecuteScalarAsync())!;
            await tx.CommitAsync();
            return seq;
        });
        await Task.Delay(500);
        Assert.False(secondWrite.IsCompleted, "the second writer must wait for the first one's commit");

        await firstTx.CommitAsync();
        var secondSeq = await secondWrite.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(secondSeq > firstSeq, $"{secondSeq} > {firstSeq}");
    }
}
