using Microsoft.Data.Sqlite;
using Xunit;

namespace Cairn.Store.Sqlite.Tests;

/// <summary>The SQLite search index (migration 6): built for existing rows on upgrade, and kept by triggers whoever writes.</summary>
public sealed class SearchIndexSqliteTests() : SqliteFileTests("cairn-search-")
{
    private static async Task ExecAsync(string path, string sql)
    {
        await using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA foreign_keys = ON; " + sql;
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<long[]> SearchIdsAsync(IMetadataStore store, string text) =>
        [.. (await store.SearchAsync(new SearchRequest { Text = text })).Hits.Select(h => h.Id)];

    [Fact]
    public async Task A_store_upgraded_from_version_5_finds_the_rows_it_already_had()
    {
        var path = NewPath();
        var uri = StoreUri.Parse("sqlite://" + path);
        long id;
        await using (var v5 = await SqliteStoreProvider.OpenAsync(uri, StoreOpenOptions.Default, SqliteSchema.Migrations.Take(5).ToList(), CancellationToken.None))
        {
            var type = await v5.PutArtifactTypeAsync(new ArtifactType { Name = "Dataset", Properties = new Dictionary<string, PropertyType> { ["note"] = PropertyType.String } });
            id = (await v5.PutArtifactsAsync([new Artifact
            {
                TypeId = type, Name = "old-walrus", Uri = "/lake/old",
                Properties = new Dictionary<string, MetadataValue> { ["note"] = MetadataValue.String("tusks included") },
            }]))[0];
        }

        await ExecAsync(path, $"INSERT INTO artifact_label (node_id, label, value) VALUES ({id}, 1, 'arctic'), ({id}, 2, 'dana')");
        await using var store = await CairnStore.OpenAsync(uri);

        Assert.Equal([id], await SearchIdsAsync(store, "walrus tusks arctic dana dataset"));
        Assert.Equal(SqliteSchema.LatestVersion, (await store.GetStoreInfoAsync()).SchemaVersion);
    }

    [Fact]
    public async Task Rows_written_with_plain_sql_are_indexed_by_the_triggers()
    {
        var path = NewPath();
        await (await CairnStore.OpenAsync("sqlite://" + path)).DisposeAsync();

        await ExecAsync(path, """
            INSERT INTO type (id, kind, name) VALUES (100, 1, 'Raw');
            INSERT INTO artifact (id, type_id, name, uri, create_time, update_time) VALUES (500, 100, 'raw-otter', '/x', 1, 1);
            INSERT INTO artifact_property (node_id, is_custom, name, kind, string_value) VALUES (500, 1, 'habitat', 3, 'river bank');
            INSERT INTO artifact_property (node_id, is_custom, name, kind, int_value) VALUES (500, 1, 'legs', 1, 4);
            INSERT INTO artifact_label (node_id, label, value) VALUES (500, 1, 'mammal');
            """);
        await using (var store = await CairnStore.OpenAsync("sqlite://" + path))
        {
            Assert.Equal(new long[] { 500 }, await SearchIdsAsync(store, "otter river mammal raw"));
        }

        await ExecAsync(path, """
            UPDATE artifact_property SET string_value = 'sea shore' WHERE node_id = 500 AND name = 'habitat';
            DELETE FROM artifact_label WHERE node_id = 500;
            """);
        await using (var store = await CairnStore.OpenAsync("sqlite://" + path))
        {
            Assert.Empty(await SearchIdsAsync(store, "river"));
            Assert.Empty(await SearchIdsAsync(store, "mammal"));
            Assert.Equal(new long[] { 500 }, await SearchIdsAsync(store, "\"sea shore\" otter"));
        }
    }
}
