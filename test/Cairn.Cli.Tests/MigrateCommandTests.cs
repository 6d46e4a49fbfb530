using Microsoft.Data.Sqlite;
using Xunit;

namespace Cairn.Cli.Tests;

public sealed class MigrateCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private async Task ExecAsync(string path, string sql)
    {
        await using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Migrate_upgrades_a_store_left_at_an_older_schema_version()
    {
        await _cli.OkAsync("init", "--store", "sqlite:old.db");
        var path = _cli.PathOf("old.db");
        // Stand for a store written before migrations 2, 3 and 4: their indexes, table and version rows are not there yet.
        var indexes = new[] { "artifact", "execution", "context" }
            .SelectMany(t => new[] { "int", "double", "string" }.Select(v => $"DROP INDEX {t}_property_by_{v};"));
        await ExecAsync(path, string.Concat(indexes) + "DROP INDEX context_by_name; DROP TABLE schemaspace_instance; DELETE FROM cairn_schema WHERE version >= 2;");

        var output = await _cli.OkAsync("migrate", "--store", "sqlite:old.db");
        Assert.Equal(CliMessages.MigrateDone(path, 4) + "\n", output);
        var again = await _cli.OkAsync("migrate", "--store", "sqlite:old.db");
        Assert.Equal(CliMessages.MigrateUpToDate(path, 4) + "\n", again);
    }

    [Fact]
    public async Task Migrate_never_creates_a_store()
    {
        var run = await _cli.RunAsync("migrate", "--store", "sqlite:missing.db");
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(Messages.StoreMissing(_cli.PathOf("missing.db")), run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.PathOf("missing.db")));
    }
}
