using Cairn.Specification.Tests;
using Npgsql;
using Xunit;

namespace Cairn.Store.PostgreSql.Tests;

/// <summary>The PostgreSQL search index (migration 6): built for existing rows on upgrade, and kept by triggers whoever writes.</summary>
public sealed class SearchIndexPostgreSqlTests : IAsyncLifetime
{
    private string _database = "";

    public async Task InitializeAsync() => _database = await TestPostgres.CreateDatabaseAsync();

    public Task DisposeAsync() => TestPostgres.DropDatabaseAsync(_database);

    private async Task ExecAsync(string sql)
    {
        var cs = new NpgsqlConnectionStringBuilder(TestPostgres.AdminConnectionString) { Database = _database }.ConnectionString;
        await using var c = new NpgsqlConnection(cs);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<long[]> SearchIdsAsync(IMetadataStore store, string text) =>
        [.. (await store.SearchAsync(new SearchRequest { Text = text })).Hits.Select(h => h.Id)];

    [SkippableFact]
    public async Task A_store_upgraded_from_version_5_finds_the_rows_it_already_had_and_raw_sql_writes_are_indexed()
    {
        var uri = StoreUri.Parse(TestPostgres.UriFor(_database));
        long id;
        await using (var v5 = await PostgreSqlStoreProvider.OpenAsync(uri, StoreOpenOptions.Default, PostgreSqlSchema.Migrations.Take(5).ToList(), CancellationToken.None))
        {
            var type = await v5.PutArtifactTypeAsync(new ArtifactType { Name = "Dataset", Properties = new Dictionary<string, PropertyType> { ["note"] = PropertyType.String } });
            id = (await v5.PutArtifactsAsync([new Artifact
            {
                TypeId = type, Name = "old-walrus", Uri = "/lake/old",
                Properties = new Dictionary<string, MetadataValue> { ["note"] = MetadataValue.String("tusks included") },
            }]))[0];
        }

        await ExecAsync($"INSERT INTO artifact_label (node_id, label, value) VALUES ({id}, 1, 'arctic'), ({id}, 2, 'dana')");
        await using (var store = await PostgreSqlStoreProvider.OpenAsync(uri, new StoreOpenOptions { ApplyMigrations = true }, PostgreSqlSchema.Migrations, CancellationToken.None))
        {
            Assert.Equal([id], await SearchIdsAsync(store, "walrus tusks arctic dana dataset"));
        }

        await ExecAsync($"""
            UPDATE artifact_property SET string_value = 'sea shore' WHERE node_id = {id};
            DELETE FROM artifact_label WHERE node_id = {id} AND label = 1;
            """);
        await using (var store = await CairnStore.OpenAsync(uri))
        {
            Assert.Empty(await SearchIdsAsync(store, "tusks"));
            Assert.Empty(await SearchIdsAsync(store, "arctic"));
            Assert.Equal([id], await SearchIdsAsync(store, "\"sea shore\" walrus dana"));
        }
    }
}
