using Cairn.Specification.Tests;
using Xunit;

namespace Cairn.Store.PostgreSql.Tests;

/// <summary>Schemaspace instances in a PostgreSQL store (migration 4): the key under concurrency, and a shared store from before it.</summary>
public sealed class InstanceStoragePostgreSqlTests : IAsyncLifetime
{
    private string _database = "";

    public async Task InitializeAsync() => _database = await TestPostgres.CreateDatabaseAsync();

    public Task DisposeAsync() => TestPostgres.DropDatabaseAsync(_database);

    [SkippableFact]
    public async Task A_shared_store_from_before_migration_4_is_upgraded_only_by_cairn_migrate()
    {
        var uri = StoreUri.Parse(TestPostgres.UriFor(_database));
        await using (var old = await PostgreSqlStoreProvider.OpenAsync(uri, StoreOpenOptions.Default, PostgreSqlSchema.Migrations.Take(3).ToList(), CancellationToken.None))
        {
            await old.PutArtifactTypeAsync(new ArtifactType { Name = "DataSet" });
        }

        var e = await Assert.ThrowsAsync<FailedPreconditionException>(() => CairnStore.OpenAsync(uri));
        Assert.Equal(Messages.StoreOlderSchema(uri.Display, 3, PostgreSqlSchema.LatestVersion), e.Message);

        // What cairn migrate does: open with migrations applied.
        await using var store = await CairnStore.OpenAsync(uri, new StoreOpenOptions { ApplyMigrations = true });
        var storage = Assert.IsAssignableFrom<IInstanceStorage>(store);
        await storage.PutInstanceAsync("runtimes", "kfp", """{"display_name":"K"}""", create: true);
        Assert.Equal("DataSet", Assert.Single(await store.GetArtifactTypesAsync()).Name);
        Assert.Equal("""{"display_name":"K"}""", Assert.Single(await storage.GetInstancesAsync("runtimes")).Content);
    }

    [SkippableFact]
    public async Task Create_refuses_a_taken_name_update_inserts_or_replaces_and_delete_says_whether_it_deleted()
    {
        await using var store = await CairnStore.OpenAsync(StoreUri.Parse(TestPostgres.UriFor(_database)));
        var storage = (IInstanceStorage)store;

        var created = await storage.PutInstanceAsync("runtimes", "a", "1", create: true);
        var e = await Assert.ThrowsAsync<AlreadyExistsException>(() => storage.PutInstanceAsync("runtimes", "a", "2", create: true));
        Assert.Equal(InstanceStorageMessages.InstanceExists("a", "runtimes"), e.Message);
        var replaced = await storage.PutInstanceAsync("runtimes", "a", "3", create: false);
        await storage.PutInstanceAsync("runtimes", "B", "4", create: false);

        Assert.Equal(created.CreateTime, replaced.CreateTime);
        Assert.Equal(["B", "a"], (await storage.GetInstancesAsync("runtimes")).Select(r => r.Name));
        Assert.True(await storage.DeleteInstanceAsync("runtimes", "a"));
        Assert.False(await storage.DeleteInstanceAsync("runtimes", "a"));
    }

    [SkippableFact]
    public Task Concurrent_creates_of_one_name_through_two_opened_stores_leave_one_row() =>
        InstanceStorageChecks.ConcurrentCreatesOfOneNameLeaveOneRowAsync(StoreUri.Parse(TestPostgres.UriFor(_database)));
}
