using Cairn.Specification.Tests;

namespace Cairn.Store.PostgreSql.Tests;

/// <summary>A fresh database on the test server per store, dropped on dispose.</summary>
public sealed class PostgreSqlStoreFactory : ITestStoreFactory
{
    private readonly List<string> _databases = [];

    public async Task<IMetadataStore> OpenFreshStoreAsync()
    {
        var name = await TestServer.CreateDatabaseAsync();
        _databases.Add(name);
        return await CairnStore.OpenAsync(TestServer.UriFor(name));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var name in _databases) await TestServer.DropDatabaseAsync(name);
    }
}
