using Cairn.Specification.Tests;

namespace Cairn.Store.PostgreSql.Tests;

/// <summary>A fresh database on the test server per store, dropped on dispose.</summary>
public sealed class PostgreSqlStoreFactory : ITestStoreFactory
{
    private readonly List<string> _databases = [];

    public async Task<IMetadataStore> OpenFreshStoreAsync()
    {
        var name = await TestPostgres.CreateDatabaseAsync();
        _databases.Add(name);
        return await CairnStore.OpenAsync(TestPostgres.UriFor(name));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var name in _databases) await TestPostgres.DropDatabaseAsync(name);
    }
}
