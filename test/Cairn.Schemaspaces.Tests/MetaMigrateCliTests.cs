using System.Text.Json.Nodes;
using Cairn.Cli;
using Xunit;

namespace Cairn.Schemaspaces.Tests;

/// <summary><c>cairn meta migrate</c>: the schemas' declared migrations applied to the stored instances, on Elyra's file layout and in the Cairn store.</summary>
public sealed class MetaMigrateCliTests : IDisposable
{
    private const string Old = """{"display_name": "Old", "schema_name": "database", "metadata": {"host": "db", "user": "etl"}}""";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Db => _temp.Combine("cairn.db");

    private async Task<string> OkAsync(bool files, params string[] args)
    {
        var schemas = _temp.Combine("schemas");
        if (!Directory.Exists(schemas))
        {
            Directory.CreateDirectory(schemas);
            await File.WriteAllTextAsync(Path.Combine(schemas, "database.json"), Fixtures.ConnectionSchema(withMigrations: true).ToJsonString());
        }

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        string[] common = files ? ["--schemas", schemas, "--metadata-dir", _temp.Combine("user"), "--store", "sqlite://" + Db] : ["--schemas", schemas, "--store", "sqlite://" + Db];
        var exit = await CairnCli.RunAsync([.. args, .. common], stdout, stderr, timeout.Token);
        Assert.True(exit == ExitCodes.Success, $"cairn {string.Join(' ', args)} exited {exit}:\n{stdout}\n{stderr}");
        Assert.Equal(string.Empty, stderr.ToString());
        return stdout.ToString();
    }

    private async Task WriteOldAsync(bool files)
    {
        if (files)
        {
            Directory.CreateDirectory(_temp.Combine("user", "metadata", "connections"));
            await File.WriteAllTextAsync(_temp.Combine("user", "metadata", "connections", "old.json"), Old);
            return;
        }

        await using var store = await CairnStore.OpenAsync(StoreUri.Parse("sqlite://" + Db), new StoreOpenOptions { CreateIfMissing = true });
        await ((IInstanceStorage)store).PutInstanceAsync("connections", "old", Old, create: true);
    }

    private async Task<JsonObject> ReadOldAsync(bool files)
    {
        if (files) return (JsonObject)JsonNode.Parse(await File.ReadAllTextAsync(_temp.Combine("user", "metadata", "connections", "old.json")))!;
        await using var store = await CairnStore.OpenAsync(StoreUri.Parse("sqlite://" + Db));
        return (JsonObject)JsonNode.Parse(Assert.Single(await ((IInstanceStorage)store).GetInstancesAsync("connections", "old")).Content)!;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Migrate_stores_the_older_instances_migrated_and_says_when_there_is_none(bool files)
    {
        await WriteOldAsync(files);

        Assert.Equal("The following connections instances were migrated: old\n", await OkAsync(files, "meta", "migrate", "connections"));

        var stored = await ReadOldAsync(files);
        Assert.Equal(2, (int)stored[MetadataManager.SchemaVersionField]!);
        Assert.Equal("""{"host":"db","username":"etl","port":5432}""", stored["metadata"]!.ToJsonString());
        Assert.Equal("No instances of schemaspace connections were migrated.\n", await OkAsync(files, "meta", "migrate", "connections"));
    }
}
