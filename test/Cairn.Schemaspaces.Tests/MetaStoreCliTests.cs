using System.Text.Json.Nodes;
using Cairn.Cli;
using Xunit;

namespace Cairn.Schemaspaces.Tests;

/// <summary><c>cairn meta</c> with its default storage, the Cairn store, and schemas from the configuration.</summary>
public sealed class MetaStoreCliTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Db => _temp.Combine("cairn.db");

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var exit = await CairnCli.RunAsync(args, stdout, stderr, timeout.Token);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static async Task<string> OkAsync(params string[] args)
    {
        var (exit, output, error) = await RunAsync(args);
        Assert.True(exit == ExitCodes.Success, $"cairn {string.Join(' ', args)} exited {exit}:\n{output}\n{error}");
        Assert.Equal(string.Empty, error);
        return output;
    }

    [Fact]
    public async Task Instances_live_in_the_store_by_default_and_schemas_come_from_the_configuration_key()
    {
        await OkAsync("init", "--store", "sqlite://" + Db);
        string[] common = ["--store", "sqlite://" + Db, "--config", "schemas=" + Fixtures.SchemasDirectory];

        var created = await OkAsync(["meta", "create", "code-snippets", "--display_name", "Hello", "--language", "Python", "--code", "print(1)", .. common]);
        Assert.Equal($"Metadata instance 'hello' for schema 'code-snippet' has been written to: {Db}#code-snippets/hello\n", created);
        var duplicate = await RunAsync(["meta", "create", "code-snippets", "--display_name", "Hello", "--language", "R", "--code", "x", .. common]);
        Assert.Equal(ExitCodes.AlreadyExists, duplicate.Exit);
        Assert.Equal("error: " + SchemaspaceMessages.InstanceExists("hello", "code-snippets") + "\n", duplicate.Err);

        await OkAsync(["meta", "update", "code-snippets", "--name", "hello", "--language", "R", .. common]);
        var listed = (JsonArray)JsonNode.Parse(await OkAsync(["meta", "list", "code-snippets", "--json", .. common]))!;
        Assert.Equal("R", (string)Assert.Single(listed)!["metadata"]!["language"]!);
        Assert.False(Directory.Exists(_temp.Combine("metadata")));

        await using (var store = await CairnStore.OpenAsync(StoreUri.Parse("sqlite://" + Db)))
        {
            var row = Assert.Single(await ((IInstanceStorage)store).GetInstancesAsync("code-snippets"));
            Assert.Equal("hello", row.Name);
        }

        await OkAsync(["meta", "remove", "code-snippets", "--name", "hello", .. common]);
        Assert.Equal("No metadata instances found for code-snippets\n", await OkAsync(["meta", "list", "code-snippets", .. common]));
    }

    [Fact]
    public async Task The_schemas_flag_beats_the_configuration_key()
    {
        await OkAsync("init", "--store", "sqlite://" + Db);

        var run = await RunAsync("meta", "list", "code-snippets", "--store", "sqlite://" + Db, "--config", "schemas=" + _temp.Combine("nowhere"), "--schemas", Fixtures.SchemasDirectory);

        Assert.Equal(ExitCodes.Success, run.Exit);
    }
}
