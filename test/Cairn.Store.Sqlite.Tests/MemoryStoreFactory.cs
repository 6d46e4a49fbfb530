using Cairn.Specification.Tests;

namespace Cairn.Store.Sqlite.Tests;

/// <summary>A fresh in-memory store: every open of <c>memory:</c> is a separate, empty database.</summary>
public sealed class MemoryStoreFactory : ITestStoreFactory
{
    public Task<IMetadataStore> OpenFreshStoreAsync() => CairnStore.OpenAsync("memory:");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
