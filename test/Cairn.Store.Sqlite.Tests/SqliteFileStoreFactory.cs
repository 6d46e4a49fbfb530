using Cairn.Specification.Tests;

namespace Cairn.Store.Sqlite.Tests;

/// <summary>A fresh SQLite file in its own temporary directory, deleted with the directory on dispose.</summary>
public sealed class SqliteFileStoreFactory : ITestStoreFactory
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cairn-spec-" + Guid.NewGuid().ToString("N"));

    public Task<IMetadataStore> OpenFreshStoreAsync()
    {
        Directory.CreateDirectory(_directory);
        return CairnStore.OpenAsync("sqlite://" + Path.Combine(_directory, "cairn.db"));
    }

    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
