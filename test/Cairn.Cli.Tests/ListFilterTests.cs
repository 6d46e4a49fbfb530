using System.Globalization;
using System.Text.Json.Nodes;
using Xunit;

namespace Cairn.Cli.Tests;

/// <summary><c>--filter</c> and <c>--all</c> on the node lists, and the progress line of long listings.</summary>
public sealed class ListFilterTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private async Task<List<long>> IdsAsync(params string[] args)
    {
        var plural = args[0];
        var json = JsonNode.Parse(await _cli.OkAsync([.. args, "--json"]))!;
        return [.. json[plural]!.AsArray().Select(n => n!["id"]!.GetValue<long>())];
    }

    /// <summary>DataSets (day = id % 7, split train for even ids), then a Model, and an Experiment holding the first ten DataSets.</summary>
    private async Task RecordManyAsync(int count = 250)
    {
        await _cli.OkAsync("init");
        await _cli.OkAsync("types", "put", "--kind", "artifact", "--name", "DataSet", "--property", "day=INT", "--property", "split=STRING");
        await _cli.OkAsync("types", "put", "--kind", "artifact", "--name", "Model");
        await _cli.OkAsync("types", "put", "--kind", "context", "--name", "Experiment");
        var artifacts = new JsonArray();
        for (var i = 1; i <= count; i++)
        {
            artifacts.Add(new JsonObject
            {
                ["type"] = "DataSet",
                ["uri"] = $"data/{i}",
                ["properties"] = new JsonObject { ["day"] = i % 7, ["split"] = i % 2 == 0 ? "train" : "test" },
            });
        }

        _cli.WriteFile("many.json", artifacts.ToJsonString());
        await _cli.OkAsync("artifacts", "put", "--file", "many.json");
        await _cli.OkAsync("artifacts", "put", "--type", "Model", "--uri", "models/1");
        await _cli.OkAsync("contexts", "put", "--type", "Experiment", "--name", "exp1");
        await _cli.OkAsync(["contexts", "link", "1", .. Enumerable.Range(1, Math.Min(10, count)).SelectMany(i => new[] { "--artifact", i.ToString(CultureInfo.InvariantCulture) })]);
    }

    [Fact]
    public async Task A_filter_reads_every_page_of_the_matching_rows()
    {
        await RecordManyAsync();

        var expected = Enumerable.Range(1, 250).Where(i => i % 7 == 3 && i % 2 == 0).Select(i => (long)i).ToList();
        Assert.Equal(expected, await IdsAsync("artifacts", "list", "--filter", "properties.day.int_value = 3 AND properties.split.string_value = 'train'"));
        Assert.Equal([251L], await IdsAsync("artifacts", "list", "--filter", "uri LIKE 'models/%'"));
        Assert.Equal(CliMessages.NoneFound("artifacts") + "\n", await _cli.OkAsync("artifacts", "list", "--filter", "id > 1000"));
    }

    [Fact]
    public async Task A_filter_combines_with_type_context_limit_and_order()
    {
        await RecordManyAsync();

        Assert.Equal([2L, 4L, 6L, 8L, 10L], await IdsAsync("artifacts", "list", "--context", "1", "--filter", "properties.split.string_value = 'train'"));
        Assert.Equal([250L, 249L, 248L], await IdsAsync("artifacts", "list", "--type", "DataSet", "--filter", "id > 200", "--desc", "--limit", "3"));
        Assert.Empty(await IdsAsync("artifacts", "list", "--type", "Model", "--filter", "properties.day.int_value = 1"));
        Assert.Equal([1L], await IdsAsync("contexts", "list", "--filter", "artifacts_a.uri = 'data/7'"));
        Assert.Empty(await IdsAsync("executions", "list", "--filter", "last_known_state = RUNNING"));
    }

    [Fact]
    public async Task An_invalid_filter_prints_the_stores_message_on_one_line_with_the_invalid_argument_exit_code()
    {
        await RecordManyAsync(count: 3);

        foreach (var (kind, query) in new[] { ("artifacts", "state = 'LIVE'"), ("executions", "nmae = 'x'"), ("contexts", "name = ") })
        {
            var run = await _cli.RunAsync(kind, "list", "--filter", query);

            Assert.Equal(ExitCodes.InvalidArgument, run.ExitCode);
            Assert.Equal(string.Empty, run.Stdout);
            Assert.StartsWith("error: Invalid `filter_query`", run.Stderr, StringComparison.Ordinal);
            Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
    }

    [Fact]
    public async Task All_reads_everything_like_no_limit_and_refuses_a_limit()
    {
        await RecordManyAsync();

        var all = await IdsAsync("artifacts", "list", "--all");
        Assert.Equal(Enumerable.Range(1, 251).Select(i => (long)i), all);
        Assert.Equal(all, await IdsAsync("artifacts", "list"));
        Assert.Equal(await _cli.OkAsync("artifacts", "list"), await _cli.OkAsync("artifacts", "list", "--all"));

        var run = await _cli.RunAsync("artifacts", "list", "--all", "--limit", "5");
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal("error: " + CliMessages.Exclusive("--all", "--limit") + "\n", run.Stderr);
    }

    [Fact]
    public async Task A_long_listing_shows_progress_on_a_terminals_stderr_only()
    {
        await RecordManyAsync();
        var plain = await _cli.OkAsync("artifacts", "list", "--all");

        _cli.Settings = _cli.Settings with { IsErrorTerminal = true };
        var run = await _cli.RunAsync("artifacts", "list", "--all");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(plain, run.Stdout);
        Assert.Contains("Reading artifacts: ", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Reading", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Short_listings_json_and_redirected_stderr_show_no_progress()
    {
        await RecordManyAsync();

        // Not a terminal: silent.
        Assert.Equal(string.Empty, (await _cli.RunAsync("artifacts", "list", "--all")).Stderr);

        _cli.Settings = _cli.Settings with { IsErrorTerminal = true };

        // One page is not long; JSON mode never shows progress.
        Assert.Equal(string.Empty, (await _cli.RunAsync("artifacts", "list", "--all", "--filter", "id <= 100")).Stderr);
        Assert.Equal(string.Empty, (await _cli.RunAsync("artifacts", "list", "--all", "--json")).Stderr);
    }
}
