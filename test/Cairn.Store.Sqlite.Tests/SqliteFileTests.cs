using Microsoft.Data.Sqlite;

namespace Cairn.Store.Sqlite.Tests;

/// <summary>Tests on SQLite files of their own: a temporary directory per test class, deleted (pools cleared first) at the end.</summary>
public abstract class SqliteFileTests : IDisposable
{
    protected SqliteFileTests(string prefix) => Dir = Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>The test class's directory.</summary>
    protected string Dir { get; }

    /// <summary>A path for a new database file in <see cref="Dir"/>.</summary>
    protected string NewPath() => Path.Combine(Dir, Guid.NewGuid().ToString("N") + ".db");

    /// <summary>A store URI for a new database file in <see cref="Dir"/>.</summary>
    protected StoreUri NewUri() => StoreUri.Parse("sqlite://" + NewPath());

    public void Dispose()
    {
        // Pooled connections keep the files open; close them before deleting.
        SqliteConnection.ClearAllPools();
        Directory.Delete(Dir, recursive: true);
        GC.SuppressFinalize(this);
    }
}
