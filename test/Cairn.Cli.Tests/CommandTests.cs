using System.Text.Json.Nodes;
using Xunit;

namespace Cairn.Cli.Tests;

/// <summary>Behaviour of the commands beyond the walk-through of docs/cli.md.</summary>
public sealed class CommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private async Task<JsonNode> JsonAsync(params string[] args) => JsonNode.Parse(await _cli.OkAsync([.. args, "--json"]))!;

    private async Task InitWithDataSetTypeAsync()
    {
        await _cli.OkAsync("init");
        await _cli.OkAsync("types", "put", "--kind", "artifact", "--name", "DataSet", "--property", "day=INT", "--property", "split=STRING");
    }

    [Fact]
    public async Task Custom_properties_are_typed_by_inference_and_quotes_keep_a_string()
    {
        await InitWithDataSetTypeAsync();
        await _cli.OkAsync("artifacts", "put", "--type", "DataSet", "--custom-property", "count=12", "--custom-property", "ratio=0.5",
            "--custom-property", "ok=true", "--custom-property", "who=andy", "--custom-property", "code=\"007\"", "--custom-property", "eq=a=b");

        var custom = (await JsonAsync("artifacts", "get", "1"))["custom_properties"]!;
        Assert.Equal(12, custom["count"]!["int_value"]!.GetValue<long>());
        Assert.Equal(0.5, custom["ratio"]!["double_value"]!.GetValue<double>());
        Assert.True(custom["ok"]!["bool_value"]!.GetValue<bool>());
        Assert.Equal("andy", custom["who"]!["string_value"]!.GetValue<string>());
        Assert.Equal("007", custom["code"]!["string_value"]!.GetValue<string>());
        Assert.Equal("a=b", custom["eq"]!["string_value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Declared_properties_are_read_as_their_declared_type()
    {
        await _cli.OkAsync("init");
        await _cli.OkAsync("types", "put", "--kind", "execution", "--name", "Job", "--property", "rate=DOUBLE", "--property", "done=BOOLEAN",
            "--property", "conf=STRUCT", "--property", "note=STRING");
        await _cli.OkAsync("executions", "put", "--type", "Job", "--property", "rate=2", "--property", "done=true",
            "--property", "conf={\"lr\": 0.1}", "--property", "note=42");

        var properties = (await JsonAsync("executions", "get", "1"))["properties"]!;
        Assert.Equal(2.0, properties["rate"]!["double_value"]!.GetValue<double>());
        Assert.True(properties["done"]!["bool_value"]!.GetValue<bool>());
        Assert.Equal(0.1, properties["conf"]!["struct_value"]!["lr"]!.GetValue<double>());
        Assert.Equal("42", properties["note"]!["string_value"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_file_of_nodes_is_recorded_all_or_nothing()
    {
        await InitWithDataSetTypeAsync();
        _cli.WriteFile("nodes.json", """
            {"artifacts": [
              {"type": "DataSet", "uri": "a", "properties": {"day": 1}},
              {"type": "DataSet", "uri": "b", "properties": {"day": {"int_value": 2}}},
              {"type": "DataSet", "uri": "c", "properties": {"split": {"int_value": 3}}}
            ]}
            """);

        var run = await _cli.RunAsync("artifacts", "put", "--file", "nodes.json");

        Assert.Equal(ExitCodes.InvalidArgument, run.ExitCode);
        Assert.Equal(CliMessages.NoneFound("artifacts") + "\n", await _cli.OkAsync("artifacts", "list"));
    }

    [Fact]
    public async Task A_mistake_inside_a_json_file_names_its_line_and_column()
    {
        await InitWithDataSetTypeAsync();
        _cli.WriteFile("nodes.json", "[\n  {\"type\": \"DataSet\",\n   \"state\": \"SOLID\"}\n]\n");

        var run = await _cli.RunAsync("artifacts", "put", "--file", "nodes.json");

        Assert.Equal(ExitCodes.InvalidArgument, run.ExitCode);
        Assert.StartsWith("error: nodes.json:3:13: unknown state 'SOLID'", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_json_a_list_prints_can_be_put_back()
    {
        await InitWithDataSetTypeAsync();
        await _cli.OkAsync("artifacts", "put", "--type", "DataSet", "--uri", "a", "--property", "day=1", "--custom-property", "x=1.5");
        var listed = await _cli.OkAsync("artifacts", "list", "--json");
        _cli.WriteFile("listed.json", listed.Replace("\"uri\": \"a\"", "\"uri\": \"b\"", StringComparison.Ordinal));

        Assert.Equal("Recorded artifact 1 (1 updated).\n", await _cli.OkAsync("artifacts", "put", "--file", "listed.json"));
        var artifact = await JsonAsync("artifacts", "get", "1");
        Assert.Equal("b", artifact["uri"]!.GetValue<string>());
        Assert.Equal(1.5, artifact["custom_properties"]!["x"]!["double_value"]!.GetValue<double>());

        // Types round-trip too: what types list prints registers the same types in another store.
        _cli.WriteFile("types.json", await _cli.OkAsync("types", "list", "--json"));
        await _cli.OkAsync("init", "--store", "other.db");
        await _cli.OkAsync("types", "put", "--file", "types.json", "--store", "other.db");
        Assert.Equal(await _cli.OkAsync("types", "list"), await _cli.OkAsync("types", "list", "--store", "other.db"));
    }

    [Fact]
    public async Task An_update_by_id_keeps_the_fields_it_does_not_name()
    {
        await InitWithDataSetTypeAsync();
        await _cli.OkAsync("artifacts", "put", "--type", "DataSet", "--name", "d1", "--uri", "a", "--property", "day=1", "--property", "split=train");

        await _cli.OkAsync("artifacts", "put", "--id", "1", "--property", "day=2");

        var artifact = await JsonAsync("artifacts", "get", "--type", "DataSet", "--name", "d1");
        Assert.Equal(2, artifact["properties"]!["day"]!["int_value"]!.GetValue<long>());
        Assert.Equal("train", artifact["properties"]!["split"]!["string_value"]!.GetValue<string>());
        Assert.Equal("a", artifact["uri"]!.GetValue<string>());
    }

    [Fact]
    public async Task Lists_read_every_page_and_limit_and_order_them()
    {
        await InitWithDataSetTypeAsync();
        var nodes = string.Join(",\n", Enumerable.Range(1, 250).Select(i => $"{{\"type\": \"DataSet\", \"uri\": \"u{i}\"}}"));
        _cli.WriteFile("many.json", "[\n" + nodes + "\n]\n");
        await _cli.OkAsync("artifacts", "put", "--file", "many.json");

        static long[] Ids(JsonNode list) => [.. list["artifacts"]!.AsArray().Select(a => a!["id"]!.GetValue<long>())];
        Assert.Equal(Enumerable.Range(1, 250).Select(i => (long)i), Ids(await JsonAsync("artifacts", "list")));
        Assert.Equal(Enumerable.Range(1, 120).Select(i => (long)i), Ids(await JsonAsync("artifacts", "list", "--limit", "120")));
        Assert.Equal(new long[] { 250, 249, 248, 247, 246 }, Ids(await JsonAsync("artifacts", "list", "--desc", "--limit", "5")));
        Assert.Equal(new long[] { 250, 249 }, Ids(await JsonAsync("artifacts", "list", "--type", "DataSet", "--order-by", "create_time", "--desc", "--limit", "2")));
    }

    [Fact]
    public async Task Events_list_every_event_or_those_asked_for_and_honour_the_limit()
    {
        await InitWithDataSetTypeAsync();
        await _cli.OkAsync("types", "put", "--kind", "execution", "--name", "Step");
        for (var i = 0; i < 3; i++) await _cli.OkAsync("artifacts", "put", "--type", "DataSet");
        for (var i = 0; i < 2; i++) await _cli.OkAsync("executions", "put", "--type", "Step");
        _cli.WriteFile("events.yaml", """
            - {artifact_id: 1, execution_id: 1, type: INPUT}
            - {artifact_id: 2, execution_id: 1, type: OUTPUT, path: [out, 0]}
            - {artifact_id: 2, execution_id: 2, type: INPUT}
            - {artifact_id: 3, execution_id: 2, type: OUTPUT, milliseconds_since_epoch: 1000}
            """);
        Assert.Equal(CliMessages.EventsRecorded(4) + "\n", await _cli.OkAsync("events", "put", "--file", "events.yaml"));

        static string[] Pairs(JsonNode list) => [.. list["events"]!.AsArray().Select(e => $"{e!["execution_id"]}:{e["artifact_id"]}:{e["type"]}")];
        Assert.Equal(["1:1:INPUT", "1:2:OUTPUT", "2:2:INPUT", "2:3:OUTPUT"], Pairs(await JsonAsync("events", "list")));
        Assert.Equal(["1:2:OUTPUT", "2:2:INPUT"], Pairs(await JsonAsync("events", "list", "--artifact", "2")));
        Assert.Equal(["1:1:INPUT", "1:2:OUTPUT", "2:2:INPUT"], Pairs(await JsonAsync("events", "list", "--artifact", "2", "--execution", "1")));
        Assert.Equal(["1:1:INPUT"], Pairs(await JsonAsync("events", "list", "--limit", "1")));
        Assert.Equal(1000, (await JsonAsync("events", "list", "--artifact", "3"))["events"]![0]!["milliseconds_since_epoch"]!.GetValue<long>());
    }

    [Fact]
    public async Task Demo_records_the_getting_started_workflow_again_under_a_new_experiment_name()
    {
        var first = await _cli.OkAsync("demo", "--store", "demo.db");
        var second = await _cli.OkAsync("demo", "--store", "demo.db");

        Assert.Contains("DECLARED_OUTPUT → SavedModel (artifact 2, path/to/model/file)", first, StringComparison.Ordinal);
        Assert.EndsWith(CliMessages.DemoStore(_cli.PathOf("demo.db")) + "\n", first, StringComparison.Ordinal);
        Assert.Contains(CliMessages.DemoReusedStore("exp2"), second, StringComparison.Ordinal);
        Assert.Contains("DECLARED_OUTPUT → SavedModel (artifact 4, path/to/model/file)", second, StringComparison.Ordinal);
        var contexts = await JsonAsync("contexts", "list", "--store", "demo.db");
        Assert.Equal(["exp1", "exp2"], contexts["contexts"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Demo_without_a_store_uses_a_fresh_temporary_store_and_says_where()
    {
        var output = await JsonAsync("demo");
        var store = output["store"]!.GetValue<string>();
        try
        {
            Assert.StartsWith(Path.GetTempPath(), store, StringComparison.Ordinal);
            Assert.True(File.Exists(store));
            Assert.Equal("exp1", output["contexts"]![0]!["name"]!.GetValue<string>());
            Assert.Equal([1L], output["lineage"]![0]!["input_artifact_ids"]!.AsArray().Select(i => i!.GetValue<long>()));
            Assert.False(File.Exists(_cli.DefaultStorePath));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(store)!, recursive: true);
        }
    }

    [Fact]
    public async Task Demo_refuses_clearly_a_store_whose_types_differ_from_the_demo()
    {
        await _cli.OkAsync("init");
        await _cli.OkAsync("types", "put", "--kind", "artifact", "--name", "DataSet", "--property", "day=STRING");

        var run = await _cli.RunAsync("demo", "--store", _cli.DefaultStorePath);

        Assert.Equal(ExitCodes.AlreadyExists, run.ExitCode);
        Assert.Equal("error: " + CliMessages.DemoTypeConflict(NodeKind.Artifact, "DataSet") + "\n", run.Stderr);
    }

    [Fact]
    public async Task Contexts_link_parents_and_refuses_a_cycle()
    {
        await _cli.OkAsync("init");
        await _cli.OkAsync("types", "put", "--kind", "context", "--name", "Group");
        foreach (var name in new[] { "a", "b" }) await _cli.OkAsync("contexts", "put", "--type", "Group", "--name", name);
        await _cli.OkAsync("contexts", "link", "2", "--parent", "1");

        var run = await _cli.RunAsync("contexts", "link", "1", "--parent", "2");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Types_get_searches_every_kind_and_asks_for_a_kind_when_the_name_is_ambiguous()
    {
        await _cli.OkAsync("init");
        await _cli.OkAsync("types", "put", "--kind", "artifact", "--name", "Thing");
        await _cli.OkAsync("types", "put", "--kind", "context", "--name", "Thing", "--version", "v2");
        await _cli.OkAsync("types", "put", "--kind", "execution", "--name", "Thing");

        var ambiguous = await _cli.RunAsync("types", "get", "Thing");
        Assert.Equal(ExitCodes.Usage, ambiguous.ExitCode);
        Assert.Equal("error: " + CliMessages.TypeNameAmbiguous("Thing", ["artifact", "execution"]) + "\n", ambiguous.Stderr);

        var versioned = await JsonAsync("types", "get", "Thing", "--version", "v2");
        Assert.Equal("v2", versioned["version"]!.GetValue<string>());
        Assert.Equal(12, (await JsonAsync("types", "get", "Thing", "--kind", "execution"))["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_relative_store_path_is_relative_to_the_working_directory()
    {
        var output = await JsonAsync("init", "--store", "sub/dir/x.db");

        Assert.Equal(_cli.PathOf(Path.Combine("sub", "dir", "x.db")), output["store"]!.GetValue<string>());
        Assert.True(output["created"]!.GetValue<bool>());
        Assert.True(File.Exists(_cli.PathOf(Path.Combine("sub", "dir", "x.db"))));
    }

    [Fact]
    public async Task An_in_memory_store_works_for_a_single_command()
    {
        var output = await _cli.OkAsync("demo", "--store", "memory:");

        Assert.Contains("Experiment exp1 (context 1)", output, StringComparison.Ordinal);
        Assert.EndsWith(CliMessages.DemoStore("memory:") + "\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bare_cairn_prints_the_help()
    {
        var output = await _cli.OkAsync();

        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.Contains("Examples:\n  cairn init\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_prints_a_version()
    {
        var output = await _cli.OkAsync("--version");
        Assert.Matches(@"^\d+\.\d+\.\d+", output);
    }
}
