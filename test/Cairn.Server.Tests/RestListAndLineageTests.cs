using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace Cairn.Server.Tests;

/// <summary>Paging, ordering and filter queries on lists, and the lineage routes on a small graph.</summary>
public sealed class RestListAndLineageTests : RestTestBase
{
    private async Task<List<long>> CreateArtifactsAsync(long typeId, int count)
    {
        var ids = new List<long>();
        for (var start = 0; start < count; start += 100)
        {
            var batch = new StringBuilder("[");
            for (var i = start; i < Math.Min(count, start + 100); i++)
            {
                if (i > start) batch.Append(',');
                batch.Append($$$"""{"type_id": {{{typeId}}}, "uri": "u{{{i}}}", "properties": {"day": {"int_value": {{{i % 7}}}}, "split": {"string_value": "{{{(i % 2 == 0 ? "train" : "test")}}}"}} }""");
            }

            var created = await PostAsync("/api/v1/artifacts", batch.Append(']').ToString(), HttpStatusCode.Created);
            ids.AddRange(created!["items"]!.AsArray().Select(a => (long)a!["id"]!));
        }

        return ids;
    }

    private async Task<List<long>> ReadAllAsync(string path)
    {
        var ids = new List<long>();
        string? token = null;
        var pages = 0;
        do
        {
            var separator = path.Contains('?', StringComparison.Ordinal) ? "&" : "?";
            var page = await GetAsync(path + (token is null ? string.Empty : separator + "page_token=" + Uri.EscapeDataString(token)));
            ids.AddRange(page!["items"]!.AsArray().Select(a => (long)a!["id"]!));
            token = (string?)page["next_page_token"];
            Assert.True(++pages < 100, "paging does not end");
        }
        while (token is not null);
        return ids;
    }

    [Fact]
    public async Task Paging_through_250_artifacts_with_tokens_returns_each_once_in_order()
    {
        var ids = await CreateArtifactsAsync(await PutArtifactTypeAsync(), 250);

        var first = await GetAsync("/api/v1/artifacts");
        Assert.Equal(20, first!["items"]!.AsArray().Count);
        Assert.NotNull(first["next_page_token"]);

        Assert.Equal(ids, await ReadAllAsync("/api/v1/artifacts?page_size=100"));
        Assert.Equal(ids, await ReadAllAsync("/api/v1/artifacts?page_size=7"));
        Assert.Equal(Enumerable.Reverse(ids), await ReadAllAsync("/api/v1/artifacts?page_size=33&is_asc=false"));
        Assert.Equal(ids, await ReadAllAsync("/api/v1/artifacts?page_size=50&order_by=create_time"));
        Assert.Equal(ids.Count, (await ReadAllAsync("/api/v1/artifacts?page_size=64&order_by=last_update_time&is_asc=false")).Distinct().Count());
        Assert.Equal(ids, await ReadAllAsync("/api/v1/artifacts?type=DataSet&page_size=100"));

        var token = (string?)first["next_page_token"];
        var mismatch = await ProblemAsync(HttpMethod.Get, "/api/v1/artifacts?order_by=create_time&page_token=" + Uri.EscapeDataString(token!), null, HttpStatusCode.BadRequest);
        Assert.Equal("INVALID_ARGUMENT", (string?)mismatch["code"]);
    }

    [Fact]
    public async Task Filter_queries_select_by_attribute_property_and_context()
    {
        var ids = await CreateArtifactsAsync(await PutArtifactTypeAsync(), 30);
        var contextType = await PutContextTypeAsync();
        var c = await CreateAsync("contexts", $$$"""{"type_id": {{{contextType}}}, "name": "run-7"}""");
        await PostAsync("/api/v1/attributions", $$$"""[{"context_id": {{{c}}}, "artifact_id": {{{ids[3]}}}}, {"context_id": {{{c}}}, "artifact_id": {{{ids[4]}}} }]""", HttpStatusCode.NoContent);

        async Task<List<long>> FilterAsync(string query) => await ReadAllAsync("/api/v1/artifacts?page_size=100&filter_query=" + Uri.EscapeDataString(query));

        Assert.Equal([ids[5]], await FilterAsync("uri = 'u5'"));
        Assert.Equal(ids.Where((_, i) => i % 7 == 3), await FilterAsync("properties.day.int_value = 3"));
        Assert.Equal(ids.Where((_, i) => i % 7 == 3 && i % 2 == 0), await FilterAsync("properties.day.int_value = 3 AND properties.split.string_value = 'train'"));
        Assert.Equal([ids[3], ids[4]], await FilterAsync("contexts_a.name = 'run-7'"));
        Assert.Equal(ids.Where((_, i) => i % 7 == 0).Take(2), (await GetAsync("/api/v1/artifacts?page_size=2&filter_query=" + Uri.EscapeDataString("properties.day.int_value = 0")))!["items"]!.AsArray().Select(a => (long)a!["id"]!));
        Assert.Equal([ids[4]], (await GetAsync($"/api/v1/contexts/{c}/artifacts?filter_query=" + Uri.EscapeDataString("uri = 'u4'")))!["items"]!.AsArray().Select(a => (long)a!["id"]!));

        var bad = await ProblemAsync(HttpMethod.Get, "/api/v1/artifacts?filter_query=" + Uri.EscapeDataString("colour = 'red'"), null, HttpStatusCode.BadRequest);
        Assert.Contains("colour", (string?)bad["detail"], StringComparison.Ordinal);
    }

    /// <summary>raw → (prep) → clean → (train) → model; clean is also read by (eval), which writes report.</summary>
    private async Task<Dictionary<string, long>> GraphAsync()
    {
        await PutArtifactTypeAsync();
        await PutExecutionTypeAsync();
        var ids = new Dictionary<string, long>();
        foreach (var name in new[] { "raw", "clean", "model", "report" }) ids[name] = await CreateAsync("artifacts", $$$"""{"type": "DataSet", "name": "{{{name}}}", "uri": "{{{name}}}"}""");
        foreach (var name in new[] { "prep", "train", "eval" }) ids[name] = await CreateAsync("executions", $$$"""{"type": "Trainer", "name": "{{{name}}}"}""");
        var events = new JsonArray();
        foreach (var (artifact, execution, type) in new[]
        {
            ("raw", "prep", "INPUT"), ("clean", "prep", "OUTPUT"), ("clean", "train", "INPUT"), ("model", "train", "OUTPUT"),
            ("clean", "eval", "INPUT"), ("report", "eval", "OUTPUT"),
        })
        {
            events.Add(new JsonObject { ["artifact_id"] = ids[artifact], ["execution_id"] = ids[execution], ["type"] = type });
        }

        await PostAsync("/api/v1/events", events.ToJsonString(), HttpStatusCode.NoContent);
        return ids;
    }

    [Fact]
    public async Task Lineage_walks_upstream_downstream_within_depth_and_budget()
    {
        var ids = await GraphAsync();

        var up = await GetAsync($"/api/v1/lineage/artifacts/{ids["model"]}");
        var upNodes = up!["nodes"]!.AsArray();
        Assert.Equal(["model", "train", "clean", "prep", "raw"], upNodes.Select(n => (string?)(n!["artifact"] ?? n["execution"])!["name"]));
        Assert.Equal([0, 1, 2, 3, 4], upNodes.Select(n => (int)n!["depth"]!));
        Assert.Equal("artifact", (string?)upNodes[0]!["kind"]);
        Assert.Equal("execution", (string?)upNodes[1]!["kind"]);
        Assert.Equal(4, up["events"]!.AsArray().Count);
        Assert.False((bool)up["truncated"]!);

        var down = await GetAsync($"/api/v1/lineage/artifacts/{ids["raw"]}?direction=downstream&depth=2");
        Assert.Equal(["raw", "prep", "clean"], down!["nodes"]!.AsArray().Select(n => (string?)(n!["artifact"] ?? n["execution"])!["name"]));

        var fromExecution = await GetAsync($"/api/v1/lineage/executions/{ids["eval"]}?direction=both&depth=1");
        Assert.Equal(3, fromExecution!["nodes"]!.AsArray().Count);

        var stopped = await GetAsync($"/api/v1/lineage/artifacts/{ids["model"]}?stop_at_artifacts=" + Uri.EscapeDataString("name = 'clean'"));
        Assert.DoesNotContain(stopped!["nodes"]!.AsArray(), n => (string?)n!["artifact"]?["name"] == "raw");

        // A budget of 2 nodes truncates; the token continues where it stopped.
        var seen = new List<string>();
        var first = await GetAsync($"/api/v1/lineage/artifacts/{ids["raw"]}?direction=downstream&max_nodes=2");
        Assert.True((bool)first!["truncated"]!);
        var token = (string?)first["continuation_token"];
        Assert.NotNull(token);
        seen.AddRange(first["nodes"]!.AsArray().Select(n => $"{n!["kind"]} {(n["artifact"] ?? n["execution"])!["id"]}"));
        var rest = await GetAsync($"/api/v1/lineage/artifacts/{ids["raw"]}?direction=downstream&max_nodes=100&continue={Uri.EscapeDataString(token!)}");
        seen.AddRange(rest!["nodes"]!.AsArray().Select(n => $"{n!["kind"]} {(n["artifact"] ?? n["execution"])!["id"]}"));
        Assert.True(7 == seen.Distinct().Count(), first.ToJsonString() + "\n" + rest.ToJsonString());
    }

    [Fact]
    public async Task Based_on_collapses_executions()
    {
        var ids = await GraphAsync();
        var based = await GetAsync($"/api/v1/artifacts/{ids["model"]}/based_on");
        var items = based!["items"]!.AsArray();
        Assert.Equal(["clean", "raw"], items.Select(i => (string?)i!["artifact"]!["name"]));
        Assert.Equal([1, 2], items.Select(i => (int)i!["depth"]!));
        Assert.Equal([ids["train"]], items[0]!["via"]!.AsArray().Select(v => (long)v!));

        var downstream = await GetAsync($"/api/v1/artifacts/{ids["raw"]}/based_on?direction=downstream&max_hops=1");
        Assert.Equal(["clean"], downstream!["items"]!.AsArray().Select(i => (string?)i!["artifact"]!["name"]));
    }

    [Fact]
    public async Task The_mlmd_lineage_subgraph_answers_with_the_lineage_graph_message()
    {
        var ids = await GraphAsync();
        var answer = await PostAsync("/api/v1/lineage:subgraph", """
            {"lineage_subgraph_query_options": {"starting_artifacts": {"filter_query": "name = 'model'"}, "max_num_hops": 2, "direction": "UPSTREAM"}}
            """);
        var graph = answer!["lineage_subgraph"]!;
        Assert.Equal(["clean", "model"], graph["artifacts"]!.AsArray().Select(a => (string?)a!["name"]).Order(StringComparer.Ordinal));
        Assert.Equal(["train"], graph["executions"]!.AsArray().Select(x => (string?)x!["name"]));
        Assert.Equal(2, graph["events"]!.AsArray().Count);
        Assert.Equal("DataSet", (string?)graph["artifact_types"]![0]!["name"]);

        var masked = await PostAsync("/api/v1/lineage:subgraph", """
            {"lineage_subgraph_query_options": {"starting_executions": {"filter_query": "name = 'eval'"}, "max_num_hops": 1}, "read_mask": ["executions"]}
            """);
        Assert.Single(masked!["lineage_subgraph"]!["executions"]!.AsArray());
        Assert.Empty(masked["lineage_subgraph"]!["artifacts"]!.AsArray());
        _ = ids;

        var none = await ProblemAsync(HttpMethod.Post, "/api/v1/lineage:subgraph", """{"lineage_subgraph_query_options": {"starting_artifacts": {"filter_query": "name = 'nothing'"}}}""", HttpStatusCode.NotFound);
        Assert.Equal("NOT_FOUND", (string?)none["code"]);
    }
}
