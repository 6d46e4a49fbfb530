using System.Text.Json.Nodes;
using Cairn.Cli;
using Xunit;

namespace Cairn.Catalog.Tests;

public sealed class CliTests
{
    [Fact]
    public async Task Garden_import_reports_problems_on_stderr_exits_3_and_says_so_again_in_json()
    {
        using var garden = new Garden();
        var run = await garden.RunAsync("garden", "import", "garden");
        Assert.Equal(ExitCodes.InvalidArgument, run.ExitCode);
        Assert.StartsWith("Imported 9, updated 0, unchanged 0 (from 1 garden into " + garden.StorePath + ").", run.Stdout, StringComparison.Ordinal);
        var errors = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, errors.Length);
        Assert.All(errors, e => Assert.StartsWith("error: ", e, StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains(garden.PathOf("code/broken/metadata.json") + ": field 'data_content'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains(garden.PathOf("code/stack/metadata.json") + " and " + garden.PathOf("code/stack-old/metadata.json"), StringComparison.Ordinal));

        var again = await garden.RunAsync("garden", "import", "garden", "--json");
        Assert.Equal(ExitCodes.InvalidArgument, again.ExitCode);
        var json = JsonNode.Parse(again.Stdout)!.AsObject();
        Assert.Equal((0, 0, 9), ((int)json["imported"]!, (int)json["updated"]!, (int)json["unchanged"]!));
        Assert.Equal(["malformed", "collision"], json["errors"]!.AsArray().Select(e => (string?)e!["kind"]));
        Assert.Equal("data_content", (string?)json["errors"]![0]!["field"]);
    }

    [Fact]
    public async Task Garden_import_of_a_clean_garden_exits_0_and_again_says_nothing_changed()
    {
        using var garden = new Garden();
        garden.MakeClean();
        var run = await garden.RunAsync("garden", "import", "garden");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(string.Empty, run.Stderr);
        var again = await garden.RunAsync("garden", "import", "garden");
        Assert.Equal(0, again.ExitCode);
        Assert.Equal("Nothing changed: the 10 records of the garden are already up to date in " + garden.StorePath + ".\n", again.Stdout);
    }

    [Fact]
    public async Task Only_collisions_exit_5_and_overwrite_resolves_them_with_a_warning()
    {
        using var garden = new Garden();
        Directory.Delete(garden.PathOf("code/broken"), recursive: true);
        Assert.Equal(ExitCodes.AlreadyExists, (await garden.RunAsync("garden", "import", "garden")).ExitCode);
        var forced = await garden.RunAsync("garden", "import", "garden", "--overwrite");
        Assert.Equal(0, forced.ExitCode);
        Assert.StartsWith("warning: The name 'stack' is claimed by ", forced.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_garden_is_not_found_and_a_missing_name_argument_is_a_usage_error()
    {
        using var garden = new Garden();
        var missing = await garden.RunAsync("garden", "import", "garden,nowhere");
        Assert.Equal(ExitCodes.NotFound, missing.ExitCode);
        Assert.Equal("error: " + CatalogMessages.GardenRootMissing(Path.Combine(garden.Root, "nowhere")) + "\n", missing.Stderr);
        Assert.Equal(ExitCodes.Usage, (await garden.RunAsync("resolve")).ExitCode);
        Assert.Equal(ExitCodes.Usage, (await garden.RunAsync("garden", "export", "--format", "csv", "out.json")).ExitCode);
    }

    [Fact]
    public async Task Export_writes_the_tatm_json_file_and_resolve_prints_path_and_metadata()
    {
        using var garden = new Garden();
        garden.MakeClean();
        await garden.RunAsync("garden", "import", "garden");
        var export = await garden.RunAsync("garden", "export", "--format", "tatm-json", "metadata_store.json");
        Assert.Equal(0, export.ExitCode);
        Assert.Equal("Wrote 6 names to " + Path.Combine(garden.Root, "metadata_store.json") + " (tatm JSON metadata store).\n", export.Stdout);
        var toStdout = await garden.RunAsync("garden", "export", "--format", "tatm-json", "-");
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(garden.Root, "metadata_store.json")) + "\n", toStdout.Stdout);

        var resolve = await garden.RunAsync("resolve", "dolma:c4");
        Assert.Equal(0, resolve.ExitCode);
        Assert.StartsWith("Path:     /data/text/dolma/data/c4\nName:     dolma:c4 (corpus of raw dataset dolma, artifact ", resolve.Stdout, StringComparison.Ordinal);
        Assert.Contains("Load:     datasets.load_dataset('/data/text/dolma', data_dir='data/c4')\n", resolve.Stdout, StringComparison.Ordinal);

        var json = JsonNode.Parse((await garden.RunAsync("resolve", "dolma-tokenized_gpt2_c4", "--json")).Stdout)!.AsObject();
        Assert.Equal(("tokenized", "store", GardenSchema.TokenizedType), ((string?)json["kind"], (string?)json["source"], (string?)json["type"]));
        Assert.Equal("gpt2", (string?)json["metadata"]!["tokenized_info"]!["tokenizer"]);

        var unknown = await garden.RunAsync("resolve", "dolm");
        Assert.Equal(ExitCodes.NotFound, unknown.ExitCode);
        Assert.Contains("Did you mean 'dolma',", unknown.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_reads_the_configured_tatm_json_metadata_backend_after_the_store()
    {
        using var garden = new Garden();
        garden.MakeClean();
        await garden.RunAsync("garden", "import", "garden");
        await File.WriteAllTextAsync(Path.Combine(garden.Root, "tatm.json"), new JsonObject
        {
            ["pile"] = """{"name": "pile", "dataset_path": "/old/pile", "description": "d", "date_downloaded": "", "download_source": "", "data_content": "text"}""",
        }.ToJsonString());
        await File.WriteAllTextAsync(Path.Combine(garden.Root, "config.yaml"), "metadata_backend:\n  type: json\n  args:\n    metadata_store_path: tatm.json\n");

        Assert.Equal(ExitCodes.NotFound, (await garden.RunAsync("resolve", "pile")).ExitCode);
        var run = await garden.RunAsync("resolve", "pile", "--config", "config.yaml");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("Path:     /old/pile\nName:     pile (raw dataset, from the tatm JSON metadata store " + Path.Combine(garden.Root, "tatm.json") + ")\n", run.Stdout, StringComparison.Ordinal);
        var fromStore = await garden.RunAsync("resolve", "stack", "--config", "config.yaml", "--json");
        Assert.Equal("store", (string?)JsonNode.Parse(fromStore.Stdout)!["source"]);
    }
}
