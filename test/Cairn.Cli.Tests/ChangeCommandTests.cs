using System.Text.Json.Nodes;
using Xunit;

namespace Cairn.Cli.Tests;

/// <summary><c>cairn changes</c> and <c>cairn history</c>: paging with the cursor, the entity filter, history, and bad input.</summary>
public sealed class ChangeCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private async Task<JsonNode> JsonAsync(params string[] args) => JsonNode.Parse(await _cli.OkAsync([.. args, "--json"]))!;

    private async Task SetUpAsync()
    {
        await _cli.OkAsync("init");
        await _cli.OkAsync("types", "put", "--kind", "artifact", "--name", "DataSet");
        await _cli.OkAsync("artifacts", "put", "--type", "DataSet", "--uri", "v1");
        await _cli.OkAsync("artifacts", "put", "--id", "1", "--uri", "v2");
        await _cli.OkAsync("artifacts", "put", "--type", "DataSet", "--uri", "other");
    }

    [Fact]
    public async Task Changes_pages_with_the_cursor_it_prints()
    {
        await SetUpAsync();

        var first = await JsonAsync("changes", "--limit", "2");
        Assert.Equal(["artifact_type", "artifact"], first["changes"]!.AsArray().Select(c => (string)c!["entity"]!));
        Assert.True((bool)first["has_more"]!);
        var next = (long)first["next"]!;

        var rest = await JsonAsync("changes", "--after", next.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(["update", "create"], rest["changes"]!.AsArray().Select(c => (string)c!["operation"]!));
        Assert.False((bool)rest["has_more"]!);
        Assert.Equal("v2", (string?)rest["changes"]![0]!["state"]!["uri"]);
        Assert.Equal("dana", (string?)rest["changes"]![0]!["actor"]);

        var table = await _cli.OkAsync("changes", "--limit", "1");
        Assert.Contains("artifact_type", table, StringComparison.Ordinal);
        Assert.Contains(CliMessages.ChangesNextPage(1), table, StringComparison.Ordinal);
        Assert.Equal(CliMessages.ChangesNothing(99) + "\n", await _cli.OkAsync("changes", "--after", "99"));
    }

    [Fact]
    public async Task Changes_keeps_one_entity_and_history_shows_every_version()
    {
        await SetUpAsync();

        var types = await JsonAsync("changes", "--entity", "artifact_type");
        Assert.Single(types["changes"]!.AsArray());

        var history = await JsonAsync("history", "artifact", "1");
        Assert.Equal(["v1", "v2"], history["changes"]!.AsArray().Select(c => (string)c!["state"]!["uri"]!));
        var table = await _cli.OkAsync("history", "artifact", "1");
        Assert.Contains("uri", table, StringComparison.Ordinal);
        var unknown = await _cli.RunAsync("history", "context", "7");
        Assert.Equal(ExitCodes.NotFound, unknown.ExitCode);
        Assert.Equal("error: " + Messages.NodeIdNotFound(NodeKind.Context, 7) + "\n", unknown.Stderr);
    }

    [Fact]
    public async Task Bad_input_is_refused_naming_the_option()
    {
        await SetUpAsync();

        var entity = await _cli.RunAsync("changes", "--entity", "nodes");
        Assert.Equal(ExitCodes.InvalidArgument, entity.ExitCode);
        Assert.Contains(Messages.ChangeEntityUnknown("--entity", "nodes"), entity.Stderr, StringComparison.Ordinal);

        var after = await _cli.RunAsync("changes", "--after", "-5");
        Assert.Equal(ExitCodes.InvalidArgument, after.ExitCode);
        Assert.Contains(Messages.ChangeAfterNegative(-5), after.Stderr, StringComparison.Ordinal);

        var limit = await _cli.RunAsync("changes", "--limit", "0");
        Assert.Equal(ExitCodes.InvalidArgument, limit.ExitCode);
        Assert.Contains(Messages.ChangeLimitOutOfRange(0, ChangeLog.MaxLimit), limit.Stderr, StringComparison.Ordinal);

        var kind = await _cli.RunAsync("history", "event", "1");
        Assert.NotEqual(0, kind.ExitCode);
        Assert.Contains("event", kind.Stderr, StringComparison.Ordinal);
    }
}
