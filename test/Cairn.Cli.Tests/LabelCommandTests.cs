using System.Text.Json.Nodes;
using Xunit;

namespace Cairn.Cli.Tests;

/// <summary>Owners and tags on the command line: --tag/--owner on put (and in files), tag/owner to edit, shown by get, list and --json.</summary>
public sealed class LabelCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private async Task<JsonNode> JsonAsync(params string[] args) => JsonNode.Parse(await _cli.OkAsync([.. args, "--json"]))!;

    private static string[] Strings(JsonNode? array) => [.. array!.AsArray().Select(v => (string)v!)];

    private async Task SetUpAsync()
    {
        await _cli.OkAsync("init");
        await _cli.OkAsync("types", "put", "--kind", "artifact", "--name", "DataSet");
        await _cli.OkAsync("types", "put", "--kind", "context", "--name", "Project");
    }

    [Fact]
    public async Task Put_records_tags_and_owners_and_an_update_with_tags_replaces_only_them()
    {
        await SetUpAsync();
        await _cli.OkAsync("artifacts", "put", "--type", "DataSet", "--uri", "a", "--tag", "nlp", "--tag", "gold", "--owner", "andy");

        var stored = await JsonAsync("artifacts", "get", "1");
        Assert.Equal(["gold", "nlp"], Strings(stored["tags"]));
        Assert.Equal(["andy"], Strings(stored["owners"]));

        await _cli.OkAsync("artifacts", "put", "--id", "1", "--tag", "silver");
        var updated = await JsonAsync("artifacts", "get", "1");
        Assert.Equal(["silver"], Strings(updated["tags"]));
        Assert.Equal(["andy"], Strings(updated["owners"]));
        Assert.Equal("a", (string?)updated["uri"]);

        var table = await _cli.OkAsync("artifacts", "get", "1");
        Assert.Contains("tags", table, StringComparison.Ordinal);
        Assert.Contains("silver", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tag_and_owner_add_and_remove_values_and_list_filters_by_them()
    {
        await SetUpAsync();
        await _cli.OkAsync("artifacts", "put", "--type", "DataSet", "--uri", "a");
        await _cli.OkAsync("artifacts", "put", "--type", "DataSet", "--uri", "b");

        Assert.Equal(CliMessages.Labelled(NodeKind.Artifact, 1, ["gold", "nlp"], []) + "\n", await _cli.OkAsync("artifacts", "tag", "1", "--add", "nlp", "--add", "gold"));
        var removed = await JsonAsync("artifacts", "tag", "1", "--remove", "gold");
        Assert.Equal(["nlp"], Strings(removed["tags"]));
        await _cli.OkAsync("artifacts", "owner", "1", "--add", "andy");

        var listed = await JsonAsync("artifacts", "list", "--filter", "tags = 'nlp'");
        Assert.Equal(1, (long)Assert.Single(listed["artifacts"]!.AsArray())!["id"]!);
        var untagged = await JsonAsync("artifacts", "list", "--filter", "tags IS NULL");
        Assert.Equal(2, (long)Assert.Single(untagged["artifacts"]!.AsArray())!["id"]!);
        var table = await _cli.OkAsync("artifacts", "list");
        Assert.Contains("LABELS", table, StringComparison.Ordinal);
        Assert.Contains("#nlp @andy", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Labels_come_from_files_and_bad_ones_exit_with_the_message()
    {
        await SetUpAsync();
        _cli.WriteFile("contexts.yaml", "- {type: Project, name: p1, tags: [vision], owners: team-a}\n");
        await _cli.OkAsync("contexts", "put", "--file", "contexts.yaml");
        var context = await JsonAsync("contexts", "get", "1");
        Assert.Equal(["vision"], Strings(context["tags"]));
        Assert.Equal(["team-a"], Strings(context["owners"]));

        var run = await _cli.RunAsync("contexts", "owner", "1", "--add", "");
        Assert.Equal(ExitCodes.InvalidArgument, run.ExitCode);
        Assert.Contains(Messages.LabelEmpty("owners", 0, "context 1"), run.Stderr, StringComparison.Ordinal);
        var nothing = await _cli.RunAsync("contexts", "tag", "1");
        Assert.NotEqual(0, nothing.ExitCode);
        Assert.Contains(CliMessages.LabelNeedsChange("tag"), nothing.Stderr, StringComparison.Ordinal);
    }
}
