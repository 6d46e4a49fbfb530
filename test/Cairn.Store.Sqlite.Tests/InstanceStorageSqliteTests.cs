using Cairn.Specification.Tests;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Cairn.Store.Sqlite.Tests;

/// <summary>Schemaspace instances in a SQLite store (migration 4): the table, its key, and a store from before it.</summary>
public sealed class InstanceStorageSqliteTests() : SqliteFileTests("cairn-instances-")
{
    [Fact]
    public async Task A_store_from_before_migration_4_gains_the_instance_table_when_opened_and_keeps_its_data()
    {
        var uri = NewUri();
        await using (var old = await SqliteStoreProvider.OpenAsync(uri, StoreOpenOptions.Default, SqliteSchema.Migrations.Take(3).ToList(), CancellationToken.None))
        {
            await old.PutArtifactTypeAsync(new ArtifactType { Name = "DataSet" });
        }

        await using var store = await CairnStore.OpenAsync(uri);
        var storage = Assert.IsAssignableFrom<IInstanceStorage>(store);
        await storage.PutInstanceAsync("runtimes", "kfp", """{"display_name":"K"}""", create: true);

        Assert.Equal("DataSet", Assert.Single(await store.GetArtifactTypesAsync()).Name);
        Assert.Equal("""{"display_name":"K"}""", Assert.Single(await storage.GetInstancesAsync("runtimes")).Content);
    }

    [Fact]
    public async Task Create_refuses_a_taken_name_update_inserts_or_replaces_and_delete_says_whether_it_deleted()
    {
        await using var store = await CairnStore.OpenAsync(NewUri());
        var storage = (IInstanceStorage)store;

        var created = await storage.PutInstanceAsync("runtimes", "a", "1", create: true);
        var e = await Assert.ThrowsAsync<AlreadyExistsException>(() => storage.PutInstanceAsync("runtimes", "a", "2", create: true));
        Assert.Equal(InstanceStorageMessages.InstanceExists("a", "runtimes"), e.Message);
        await storage.PutInstanceAsync("code-snippets", "a", "other schemaspace", create: true);
        var replaced = await storage.PutInstanceAsync("runtimes", "a", "3", create: false);
        await storage.PutInstanceAsync("runtimes", "b", "4", create: false);

        Assert.Equal(created.CreateTime, replaced.CreateTime);
        Assert.Equal(["a", "b"], (await storage.GetInstancesAsync("runtimes")).Select(r => r.Name));
        Assert.Equal("3", Assert.Single(await storage.GetInstancesAsync("runtimes", "a")).Content);
        Assert.True(await storage.DeleteInstanceAsync("runtimes", "a"));
        Assert.False(await storage.DeleteInstanceAsync("runtimes", "a"));
        Assert.Equal("other schemaspace", Assert.Single(await storage.GetInstancesAsync("code-snippets")).Content);
    }

    [Fact]
    public Task Concurrent_creates_of_one_name_through_two_opened_stores_leave_one_row() =>
        InstanceStorageChecks.ConcurrentCreatesOfOneNameLeaveOneRowAsync(NewUri());
}
