using System.Text.Json.Nodes;
using Cairn.Cli;
using Xunit;

namespace Cairn.Schemaspaces.Tests;

/// <summary><c>cairn meta</c> end to end, in-process, against the fixture schemas and a fresh directory.</summary>
public sealed class MetaCliTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string User => _temp.Combine("user");

    private string Factory => _temp.Combine("factory");

    public void Dispose() => _temp.Dispose();

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        string[] common = ["--schemas", Fixtures.SchemasDirectory, "--metadata-dir", User, "--metadata-dir", Factory, "--store", "sqlite://" + _temp.Combine("cairn.db")];
        var exit = await CairnCli.RunAsync([.. args, .. common], stdout, stderr, timeout.Token);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private async Task<string> OkAsync(params string[] args)
    {
        var (exit, output, error) = await RunAsync(args);
        Assert.True(exit == ExitCodes.Success, $"cairn {string.Join(' ', args)} exited {exit}:\n{output}\n{error}");
        Assert.Equal(string.Empty, error);
        return output;
    }

    private JsonObject ReadUser(string schemaspace, string name) =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(User, "metadata", schemaspace, name + ".json")))!;

    [Fact]
    public async Task Create_list_update_remove_round_trip_with_typed_property_flags()
    {
        var created = await OkAsync("meta", "create", "runtimes", "--schema_name", "kfp", "--display_name", "KFP Dev",
            "--api_endpoint", "http://kfp:8888", "--cos_endpoint=http://minio:9000", "--cos_bucket", "pipelines",
            "--max_parallelism", "8", "--verify_tls", "false", "--tags", "dev,kfp");
        var file = Path.Combine(User, "metadata", "runtimes", "kfp_dev.json");
        Assert.Equal($"Metadata instance 'kfp_dev' for schema 'kfp' has been written to: {file}\n", created);
        var stored = ReadUser("runtimes", "kfp_dev");
        Assert.Equal(8, (long)stored["metadata"]!["max_parallelism"]!);
        Assert.False((bool)stored["metadata"]!["verify_tls"]!);
        Assert.Equal("""["dev","kfp"]""", stored["metadata"]!["tags"]!.ToJsonString());
        Assert.Equal("Argo", (string)stored["metadata"]!["engine"]!);

        var list = await OkAsync("meta", "list", "runtimes");
        Assert.Equal($"Available metadata instances for runtimes:\n\nSchema  Instance  Resource\n------  --------  --------\nkfp     kfp_dev   {file}\n", list);

        await OkAsync("meta", "update", "runtimes", "--name", "kfp_dev", "--engine", "Tekton");
        stored = ReadUser("runtimes", "kfp_dev");
        Assert.Equal("Tekton", (string)stored["metadata"]!["engine"]!);
        Assert.Equal("pipelines", (string)stored["metadata"]!["cos_bucket"]!);

        Assert.Equal("Metadata instance 'kfp_dev' removed from schemaspace 'runtimes'.\n", await OkAsync("meta", "remove", "runtimes", "--name", "kfp_dev"));
        Assert.Equal("No metadata instances found for runtimes\n", await OkAsync("meta", "list", "runtimes"));
    }

    [Fact]
    public async Task Json_and_file_payloads_take_the_whole_instance_or_its_metadata_and_flags_override_them()
    {
        await OkAsync("meta", "create", "code-snippets", "--json", """{"display_name": "From JSON", "schema_name": "code-snippet", "metadata": {"language": "Python", "code": ["x = 1"]}}""", "--language", "R");
        Assert.Equal("R", (string)ReadUser("code-snippets", "from_json")["metadata"]!["language"]!);

        var payload = _temp.Combine("snippet.json");
        File.WriteAllText(payload, """{"language": "Go", "code": ["fmt.Println(1)"]}""");
        // Without a name in the file, the name is the file's stem (as Elyra's --file does).
        await OkAsync("meta", "create", "code-snippets", "--file", payload, "--display_name", "Go hello");
        Assert.Equal("Go", (string)ReadUser("code-snippets", "snippet")["metadata"]!["language"]!);

        var (exit, _, error) = await RunAsync("meta", "create", "code-snippets", "--file", payload, "--json", "{}", "--display_name", "x");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Equal("error: Give at most one of --file and --json.\n", error);
    }

    [Fact]
    public async Task A_value_that_does_not_fit_the_property_type_is_an_error_naming_the_flag()
    {
        var (exit, _, error) = await RunAsync("meta", "create", "runtimes", "--schema_name", "kfp", "--display_name", "K", "--max_parallelism", "many");

        Assert.Equal(ExitCodes.InvalidArgument, exit);
        Assert.Equal("error: --max_parallelism: 'many' is not a valid integer (the type the schema 'kfp' declares for this property).\n", error);
    }

    [Fact]
    public async Task Usage_errors_name_the_missing_or_unknown_flag()
    {
        var several = await RunAsync("meta", "create", "runtimes", "--display_name", "K");
        Assert.Equal(ExitCodes.Usage, several.Exit);
        Assert.Contains("choose one with --schema_name (airflow, kfp)", several.Err, StringComparison.Ordinal);

        var unknown = await RunAsync("meta", "create", "code-snippets", "--display_name", "K", "--colour", "blue");
        Assert.Equal(ExitCodes.Usage, unknown.Exit);
        Assert.Contains("Unknown option '--colour'", unknown.Err, StringComparison.Ordinal);

        var noDisplay = await RunAsync("meta", "create", "code-snippets", "--language", "Python");
        Assert.Equal(ExitCodes.Usage, noDisplay.Exit);
        Assert.Contains("--display_name is required", noDisplay.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Store_errors_map_to_the_documented_exit_codes()
    {
        await OkAsync("meta", "create", "code-snippets", "--display_name", "Hello", "--language", "Python", "--code", "x");

        var exists = await RunAsync("meta", "create", "code-snippets", "--display_name", "Hello", "--language", "Python", "--code", "x");
        Assert.Equal(ExitCodes.AlreadyExists, exists.Exit);
        Assert.Equal("error: " + SchemaspaceMessages.InstanceExists("hello", "code-snippets") + "\n", exists.Err);

        var invalid = await RunAsync("meta", "create", "code-snippets", "--display_name", "Other", "--language", "Python");
        Assert.Equal(ExitCodes.InvalidArgument, invalid.Exit);
        Assert.Equal("error: " + SchemaspaceMessages.InstanceValidationFailed("other", "code-snippet", "'metadata.code' is a required property") + "\n", invalid.Err);

        var missing = await RunAsync("meta", "remove", "code-snippets", "--name", "nope");
        Assert.Equal(ExitCodes.NotFound, missing.Exit);

        var space = await RunAsync("meta", "list", "nope");
        Assert.Equal(ExitCodes.NotFound, space.Exit);

        var factoryDir = Path.Combine(Factory, "metadata", "code-snippets");
        Directory.CreateDirectory(factoryDir);
        File.WriteAllText(Path.Combine(factoryDir, "shipped.json"), Fixtures.Snippet("Shipped").ToJsonString());
        var readOnly = await RunAsync("meta", "remove", "code-snippets", "--name", "shipped");
        Assert.Equal(ExitCodes.FailedPrecondition, readOnly.Exit);
    }

    [Fact]
    public async Task Invalid_instances_are_noted_and_listed_with_include_invalid()
    {
        var directory = Path.Combine(User, "metadata", "code-snippets");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "bad.json"), """{"display_name": "Bad", "schema_name": "code-snippet", "metadata": {}}""");

        var (exit, output, error) = await RunAsync("meta", "list", "code-snippets");
        Assert.Equal(0, exit);
        Assert.Equal("No metadata instances found for code-snippets\n", output);
        Assert.Equal("note: 1 invalid instance(s) of code-snippets not shown; list them with --include-invalid.\n", error);

        var all = await OkAsync("meta", "list", "code-snippets", "--include-invalid");
        Assert.Contains("code-snippet  bad       " + Path.Combine(directory, "bad.json") + "  **INVALID** (Validation failed for instance 'bad'", all, StringComparison.Ordinal);

        var json = (JsonArray)JsonNode.Parse(await OkAsync("meta", "list", "code-snippets", "--include-invalid", "--json"))!;
        Assert.StartsWith("Validation failed", (string)json[0]!["reason"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_then_import_round_trips_and_import_reports_failures_per_file()
    {
        await OkAsync("meta", "create", "code-snippets", "--display_name", "One", "--language", "Python", "--code", "print(1)");
        await OkAsync("meta", "create", "code-snippets", "--display_name", "Two", "--language", "R", "--code", "print(2)");
        var backup = _temp.Combine("backup");

        var exported = await OkAsync("meta", "export", "code-snippets", "--directory", backup);
        Assert.Equal($"Exported 2 instance(s) of the code-snippets schemaspace to {Path.Combine(backup, "code-snippets")}\n", exported);
        var one = File.ReadAllText(Path.Combine(backup, "code-snippets", "one.json"));
        Assert.Contains("\n    \"name\": \"one\"", one, StringComparison.Ordinal);

        await OkAsync("meta", "remove", "code-snippets", "--name", "one");
        File.WriteAllText(Path.Combine(backup, "code-snippets", "broken.json"), """{"display_name": "x"}""");
        var (exit, output, _) = await RunAsync("meta", "import", "code-snippets", "--directory", Path.Combine(backup, "code-snippets"));
        Assert.Equal(ExitCodes.InvalidArgument, exit);
        Assert.StartsWith("Imported 1 instance(s) into the code-snippets schemaspace; 2 file(s) could not be imported:\n", output, StringComparison.Ordinal);
        Assert.Contains("two.json     " + SchemaspaceMessages.InstanceExists("two", "code-snippets"), output, StringComparison.Ordinal);
        Assert.Equal("One", (string)ReadUser("code-snippets", "one")["display_name"]!);

        File.Delete(Path.Combine(backup, "code-snippets", "broken.json"));
        Assert.Equal("Imported 2 instance(s) into the code-snippets schemaspace.\n", await OkAsync("meta", "import", "code-snippets", "--directory", Path.Combine(backup, "code-snippets"), "--overwrite"));

        await OkAsync("meta", "export", "code-snippets", "--directory", backup, "--clean", "--schema_name", "code-snippet");
        Assert.Equal(["one.json", "two.json"], Directory.GetFiles(Path.Combine(backup, "code-snippets")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_bad_schema_file_is_a_warning_and_the_other_schemas_still_work()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CairnCli.RunAsync(["meta", "list", "code-snippets", "--schemas", Fixtures.BadSchemasDirectory, "--metadata-dir", User], stdout, stderr);

        Assert.Equal(0, exit);
        Assert.Contains($"warning: schema file {Path.Combine(Fixtures.BadSchemasDirectory, "bad-name.json")} does not conform to the meta-schema: name does not match the pattern", stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal("No metadata instances found for code-snippets\n", stdout.ToString());
    }
}
