using System.Text.Json;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Cairn.Store.Sqlite.Tests;

/// <summary>The SQLite change log (migration 7): gained by an older store on open, and kept small for a new node.</summary>
public sealed class ChangeLogSqliteTests() : SqliteFileTests("cairn-changes-")
{
    private static async Task<long> ScalarAsync(StoreUri uri, string sql)
    {
        await using var c = new SqliteConnection($"Data Source={uri.Location};Pooling=False");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_store_from_before_the_change_log_gains_it_on_open_and_an_old_node_history_starts_at_its_first_update()
    {
        var uri = NewUri();
        long typeId, id;
        await using (var v6 = await SqliteStoreProvider.OpenAsync(uri, StoreOpenOptions.Default, SqliteSchema.Migrations.Take(6).ToList(), CancellationToken.None))
        {
            typeId = await v6.PutArtifactTypeAsync(new ArtifactType { Name = "DataSet" });
            id = (await v6.PutArtifactsAsync([new Artifact { TypeId = typeId, Uri = "/old" }]))[0];
        }

        await using var store = await CairnStore.OpenAsync(uri);
        Assert.Equal(SqliteSchema.LatestVersion, (await store.GetStoreInfoAsync()).SchemaVersion);
        Assert.Empty((await store.GetChangesAsync()).Changes);

        await store.PutArtifactsAsync([new Artifact { Id = id, TypeId = typeId, Uri = "/new" }]);

        var history = await store.GetHistoryAsync(ChangeEntity.Artifact, id);
        var update = Assert.Single(history);
        Assert.Equal(ChangeOperation.Update, update.Operation);
        Assert.Equal("/new", JsonDocument.Parse(update.State!).RootElement.GetProperty("uri").GetString());
        // The state the update replaced is kept under the update's seq.
        Assert.Contains("/old", await StateAsync(uri, update.Seq), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_node_costs_one_log_row_and_no_kept_state()
    {
        var uri = NewUri();
        await using var store = await CairnStore.OpenAsync(uri);
        var typeId = await store.PutArtifactTypeAsync(new ArtifactType { Name = "DataSet" });
        await store.PutArtifactsAsync([.. Enumerable.Range(0, 10).Select(i => new Artifact { TypeId = typeId, Uri = "/" + i })]);

        Assert.Equal(11, await ScalarAsync(uri, "SELECT COUNT(*) FROM change_log"));
        Assert.Equal(0, await ScalarAsync(uri, "SELECT COUNT(*) FROM change_state"));
    }

    private static async Task<string> StateAsync(StoreUri uri, long seq)
    {
        await using var c = new SqliteConnection($"Data Source={uri.Location};Pooling=False");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT state FROM change_state WHERE seq = " + seq.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }
}
