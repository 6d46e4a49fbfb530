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

    private static async Task<List<(string Type, string Name, string Sql)>> SchemaObjectsAsync(string path)
    {
        await using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT type, name, COALESCE(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name";
        var objects = new List<(string, string, string)>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) objects.Add((r.GetString(0), r.GetString(1), r.GetString(2)));
        return objects;
    }

    private static async Task<long> VersionAsync(string path)
    {
        await using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT MAX(version) FROM cairn_schema";
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Migrate_upgrades_a_store_left_at_an_older_schema_version()
    {
        await _cli.OkAsync("init", "--store", "sqlite:old.db");
        var path = _cli.PathOf("old.db");
        var latest = await VersionAsync(path);
        var current = await SchemaObjectsAsync(path);

        // Stand for a store written by the first Cairn: only migration 1's tables and indexes (the MLMD model) are there.
        string[] firstTables = ["cairn_schema", "type", "type_property", "artifact", "execution", "context", "artifact_property", "execution_property", "context_property", "event", "attribution", "association", "parent_context"];
        string[] firstIndexes = ["artifact_by_type", "artifact_by_uri", "artifact_by_create_time", "artifact_by_update_time", "execution_by_type", "execution_by_create_time", "execution_by_update_time", "context_by_type", "context_by_create_time", "context_by_update_time", "event_by_execution", "attribution_by_artifact", "association_by_execution", "parent_context_by_parent"];
        var drops = current.Where(o => o.Type == "trigger").Select(o => $"DROP TRIGGER {o.Name};")
            .Concat(current.Where(o => o.Type == "table" && o.Sql.StartsWith("CREATE VIRTUAL", StringComparison.Ordinal)).Select(o => $"DROP TABLE {o.Name};"))
            .Concat(current.Where(o => o.Type == "index" && !firstIndexes.Contains(o.Name)).Select(o => $"DROP INDEX IF EXISTS {o.Name};"));
        await ExecAsync(path, string.Concat(drops) + "DELETE FROM cairn_schema WHERE version >= 2;");
        var tables = (await SchemaObjectsAsync(path)).Where(o => o.Type == "table" && !firstTables.Contains(o.Name)).Select(o => $"DROP TABLE {o.Name};");
        await ExecAsync(path, string.Concat(tables));
        Assert.Equal(1, await VersionAsync(path));

        var output = await _cli.OkAsync("migrate", "--store", "sqlite:old.db");
        Assert.Equal(CliMessages.MigrateDone(path, (int)latest) + "\n", output);
        Assert.Equal(current, await SchemaObjectsAsync(path));
        var again = await _cli.OkAsync("migrate", "--store", "sqlite:old.db");
        Assert.Equal(CliMessages.MigrateUpToDate(path, (int)latest) + "\n", again);
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
