using System.Text.Json.Nodes;
using Xunit;

namespace Cairn.Cli.Tests;

/// <summary>
/// <c>cairn lineage</c> and <c>cairn lineage-subgraph</c> on a fixture graph with known answers:
/// raw (1) → split-1 (x1) → train (2), test (3); train → train-1 (x2) → m1 (4); test + m1 → eval-1 (x3) → m1-eval (5).
/// </summary>
public sealed class LineageCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private async Task RecordFixtureAsync()
    {
        await _cli.OkAsync("init");
        _cli.WriteFile("types.yaml", """
            artifact_types: [{name: DataSet}, {name: Model}, {name: Metrics}]
            execution_types: [{name: Split}, {name: Train}, {name: Eval}]
            """);
        _cli.WriteFile("artifacts.yaml", """
            - {type: DataSet, name: raw, uri: data/raw, state: LIVE}
            - {type: DataSet, name: train, uri: data/train}
            - {type: DataSet, name: test, uri: data/test}
            - {type: Model, name: m1, uri: models/m1}
            - {type: Metrics, name: m1-eval, uri: metrics/m1}
            """);
        _cli.WriteFile("executions.yaml", """
            - {type: Split, name: split-1, last_known_state: COMPLETE}
            - {type: Train, name: train-1, last_known_state: COMPLETE}
            - {type: Eval, name: eval-1, last_known_state: RUNNING}
            """);
        _cli.WriteFile("events.yaml", """
            - {artifact_id: 1, execution_id: 1, type: INPUT}
            - {artifact_id: 2, execution_id: 1, type: OUTPUT}
            - {artifact_id: 3, execution_id: 1, type: OUTPUT}
            - {artifact_id: 2, execution_id: 2, type: DECLARED_INPUT}
            - {artifact_id: 4, execution_id: 2, type: DECLARED_OUTPUT}
            - {artifact_id: 3, execution_id: 3, type: INPUT}
            - {artifact_id: 4, execution_id: 3, type: INPUT}
            - {artifact_id: 5, execution_id: 3, type: OUTPUT}
            """);
        await _cli.OkAsync("types", "put", "--file", "types.yaml");
        await _cli.OkAsync("artifacts", "put", "--file", "artifacts.yaml");
        await _cli.OkAsync("executions", "put", "--file", "executions.yaml");
        await _cli.OkAsync("events", "put", "--file", "events.yaml");
    }

    private static string Lines(params string[] lines) => string.Join("\n", lines) + "\n";

    private static void AssertFails(CliRun run, int exitCode, string message)
    {
        Assert.True(run.ExitCode == exitCode, run.ToString());
        Assert.Equal(string.Empty, run.Stdout);
        Assert.Equal("error: " + message + "\n", run.Stderr);
    }

    [Fact]
    public async Task Upstream_is_the_default_and_prints_a_tree_with_events_arrows_and_depths()
    {
        await RecordFixtureAsync();

        var expected = Lines(
            "Metrics m1-eval (artifact 5, metrics/m1)",
            "└── OUTPUT ← Eval eval-1 (execution 3, RUNNING, depth 1)",
            "    ├── INPUT ← DataSet test (artifact 3, data/test, depth 2)",
            "    │   └── OUTPUT ← Split split-1 (execution 1, COMPLETE, depth 3)",
            "    │       └── INPUT ← DataSet raw (artifact 1, data/raw, depth 4)",
            "    └── INPUT ← Model m1 (artifact 4, models/m1, depth 2)",
            "        └── DECLARED_OUTPUT ← Train train-1 (execution 2, COMPLETE, depth 3)",
            "            └── DECLARED_INPUT ← DataSet train (artifact 2, data/train, depth 4)");
        Assert.Equal(expected, await _cli.OkAsync("lineage", "5"));
        Assert.Equal(expected, await _cli.OkAsync("lineage", "artifact:5", "--up"));
        Assert.Equal(expected, await _cli.OkAsync("lineage", "Metrics/m1-eval"));
    }

    [Fact]
    public async Task Downstream_follows_what_was_made_from_the_node()
    {
        await RecordFixtureAsync();

        Assert.Equal(Lines(
            "DataSet raw (artifact 1, data/raw)",
            "└── INPUT → Split split-1 (execution 1, COMPLETE, depth 1)",
            "    ├── OUTPUT → DataSet train (artifact 2, data/train, depth 2)",
            "    │   └── DECLARED_INPUT → Train train-1 (execution 2, COMPLETE, depth 3)",
            "    │       └── DECLARED_OUTPUT → Model m1 (artifact 4, models/m1, depth 4)",
            "    └── OUTPUT → DataSet test (artifact 3, data/test, depth 2)",
            "        └── INPUT → Eval eval-1 (execution 3, RUNNING, depth 3)",
            "            └── OUTPUT → Metrics m1-eval (artifact 5, metrics/m1, depth 4)"),
            await _cli.OkAsync("lineage", "1", "--down"));
    }

    [Fact]
    public async Task Both_ways_from_an_execution_shows_a_node_reached_twice_once()
    {
        await RecordFixtureAsync();

        var expected = Lines(
            "Train train-1 (execution 2, COMPLETE)",
            "├── DECLARED_INPUT ← DataSet train (artifact 2, data/train, depth 1)",
            "│   └── OUTPUT ← Split split-1 (execution 1, COMPLETE, depth 2)",
            "│       ├── INPUT ← DataSet raw (artifact 1, data/raw, depth 3)",
            "│       └── OUTPUT → DataSet test (artifact 3, data/test, depth 3)",
            "└── DECLARED_OUTPUT → Model m1 (artifact 4, models/m1, depth 1)",
            "    └── INPUT → Eval eval-1 (execution 3, RUNNING, depth 2)",
            "        ├── INPUT ← DataSet test (artifact 3, data/test, depth 3) (see above)",
            "        └── OUTPUT → Metrics m1-eval (artifact 5, metrics/m1, depth 3)");
        Assert.Equal(expected, await _cli.OkAsync("lineage", "execution:2", "--both"));
        Assert.Equal(expected, await _cli.OkAsync("lineage", "2", "--execution", "--both"));
        Assert.Equal(expected, await _cli.OkAsync("lineage", "Train/train-1", "--execution", "--both"));
    }

    [Fact]
    public async Task Depth_limits_the_edges_followed()
    {
        await RecordFixtureAsync();

        Assert.Equal(Lines(
            "Metrics m1-eval (artifact 5, metrics/m1)",
            "└── OUTPUT ← Eval eval-1 (execution 3, RUNNING, depth 1)",
            "    ├── INPUT ← DataSet test (artifact 3, data/test, depth 2)",
            "    └── INPUT ← Model m1 (artifact 4, models/m1, depth 2)"),
            await _cli.OkAsync("lineage", "5", "--depth", "2"));
        Assert.Equal(Lines("Metrics m1-eval (artifact 5, metrics/m1)"), await _cli.OkAsync("lineage", "5", "--depth", "0"));
    }

    [Fact]
    public async Task Stop_filters_show_the_matching_nodes_without_following_them()
    {
        await RecordFixtureAsync();

        Assert.Equal(Lines(
            "Metrics m1-eval (artifact 5, metrics/m1)",
            "└── OUTPUT ← Eval eval-1 (execution 3, RUNNING, depth 1)",
            "    ├── INPUT ← DataSet test (artifact 3, data/test, depth 2)",
            "    │   └── OUTPUT ← Split split-1 (execution 1, COMPLETE, depth 3)",
            "    └── INPUT ← Model m1 (artifact 4, models/m1, depth 2)"),
            await _cli.OkAsync("lineage", "5", "--stop-at-artifacts", "name = 'm1'", "--stop-at-executions", "name = 'split-1'"));
    }

    [Fact]
    public async Task A_truncated_lineage_says_so_and_continues_from_its_token_until_complete()
    {
        await RecordFixtureAsync();

        var first = await _cli.OkAsync("lineage", "5", "--max-nodes", "3");
        const string Prefix = "Truncated: the node budget of 3 was reached. Continue with: cairn lineage --continue ";
        Assert.StartsWith(Lines(
            "Metrics m1-eval (artifact 5, metrics/m1)",
            "└── OUTPUT ← Eval eval-1 (execution 3, RUNNING, depth 1)",
            "    └── INPUT ← DataSet test (artifact 3, data/test, depth 2)") + Prefix, first, StringComparison.Ordinal);
        Assert.EndsWith(" --max-nodes 3\n", first, StringComparison.Ordinal);

        // Follow the tokens in JSON until the lineage is complete: every upstream node shows up, each answer within budget.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var json = JsonNode.Parse(await _cli.OkAsync("lineage", "5", "--max-nodes", "3", "--json"))!;
        for (var round = 0; round < 10; round++)
        {
            var nodes = json["nodes"]!.AsArray();
            Assert.InRange(nodes.Count, 1, 3);
            foreach (var node in nodes) seen.Add($"{node!["kind"]} {node["id"]}");
            if (!json["truncated"]!.GetValue<bool>())
            {
                Assert.Null(json["continuation_token"]);
                break;
            }

            var token = json["continuation_token"]!.GetValue<string>();
            json = JsonNode.Parse(await _cli.OkAsync("lineage", "--continue", token, "--max-nodes", "3", "--json"))!;
        }

        Assert.False(json["truncated"]!.GetValue<bool>());
        Assert.Equal(
            ["artifact 1", "artifact 2", "artifact 3", "artifact 4", "artifact 5", "execution 1", "execution 2", "execution 3"],
            seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_continuation_printed_with_the_tree_runs_as_printed()
    {
        await RecordFixtureAsync();
        var first = await _cli.OkAsync("lineage", "5", "--max-nodes", "3");
        var command = first.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Split("Continue with: ")[1];

        var next = await _cli.OkAsync([.. ReferenceDoc.Tokenize(command).Skip(1)]);

        Assert.Equal(Lines(
            "DataSet test (artifact 3, data/test)",
            "└── OUTPUT ← Split split-1 (execution 1, COMPLETE, depth 1)",
            "Model m1 (artifact 4, models/m1)"), next.Split("Truncated:")[0]);
    }

    [Fact]
    public async Task Json_has_the_documented_shape()
    {
        await RecordFixtureAsync();

        Assert.Equal("""
            {
              "nodes": [
                {
                  "kind": "artifact",
                  "id": 4,
                  "type": "Model",
                  "name": "m1",
                  "uri": "models/m1",
                  "depth": 0
                },
                {
                  "kind": "execution",
                  "id": 2,
                  "type": "Train",
                  "name": "train-1",
                  "last_known_state": "COMPLETE",
                  "depth": 1
                },
                {
                  "kind": "execution",
                  "id": 3,
                  "type": "Eval",
                  "name": "eval-1",
                  "last_known_state": "RUNNING",
                  "depth": 1
                }
              ],
              "edges": [
                {
                  "artifact_id": 4,
                  "execution_id": 2,
                  "type": "DECLARED_OUTPUT"
                },
                {
                  "artifact_id": 4,
                  "execution_id": 3,
                  "type": "INPUT"
                }
              ],
              "truncated": false
            }

            """.ReplaceLineEndings("\n"), await _cli.OkAsync("lineage", "Model/m1", "--both", "--depth", "1", "--format", "json"));
        Assert.Equal(
            await _cli.OkAsync("lineage", "4", "--both", "--depth", "1", "--format", "json"),
            await _cli.OkAsync("lineage", "4", "--both", "--depth", "1", "--json"));
    }

    [Fact]
    public async Task Dot_draws_artifacts_as_ellipses_executions_as_boxes_and_edges_in_data_flow_direction()
    {
        await RecordFixtureAsync();

        Assert.Equal(Lines(
            "digraph lineage {",
            "  rankdir=LR;",
            "  node [fontname=\"Helvetica\", fontsize=10];",
            "  edge [fontname=\"Helvetica\", fontsize=9];",
            "  a4 [shape=ellipse, label=\"Model m1\\nartifact 4\\nmodels/m1\", penwidth=2];",
            "  x2 [shape=box, label=\"Train train-1\\nexecution 2\\nCOMPLETE\"];",
            "  x3 [shape=box, label=\"Eval eval-1\\nexecution 3\\nRUNNING\"];",
            "  x2 -> a4 [label=\"DECLARED_OUTPUT\"];",
            "  a4 -> x3 [label=\"INPUT\"];",
            "}"),
            await _cli.OkAsync("lineage", "4", "--both", "--depth", "1", "--format", "dot"));
    }

    [Fact]
    public async Task Mermaid_is_a_left_to_right_flowchart_in_data_flow_direction()
    {
        await RecordFixtureAsync();

        Assert.Equal(Lines(
            "flowchart LR",
            "  a4([\"Model m1<br/>artifact 4<br/>models/m1\"])",
            "  x2[\"Train train-1<br/>execution 2<br/>COMPLETE\"]",
            "  x3[\"Eval eval-1<br/>execution 3<br/>RUNNING\"]",
            "  x2 -->|DECLARED_OUTPUT| a4",
            "  a4 -->|INPUT| x3",
            "  classDef start stroke-width:3px",
            "  class a4 start"),
            await _cli.OkAsync("lineage", "4", "--both", "--depth", "1", "--format", "mermaid"));
    }

    [Fact]
    public async Task A_truncated_picture_stays_valid_on_stdout_and_the_note_goes_to_stderr()
    {
        await RecordFixtureAsync();

        var run = await _cli.RunAsync("lineage", "5", "--max-nodes", "3", "--format", "mermaid");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("flowchart LR\n", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Truncated", run.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("Truncated: the node budget of 3 was reached. Continue with: cairn lineage --continue ", run.Stderr, StringComparison.Ordinal);
        Assert.EndsWith(" --max-nodes 3 --format mermaid\n", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Based_on_collapses_executions_up_and_down()
    {
        await RecordFixtureAsync();

        Assert.Equal(Lines(
            "╭───────┬────┬─────────┬──────┬───────────┬────────────────╮",
            "│ DEPTH │ ID │ TYPE    │ NAME │ URI       │ VIA EXECUTIONS │",
            "├───────┼────┼─────────┼──────┼───────────┼────────────────┤",
            "│ 1     │ 3  │ DataSet │ test │ data/test │ 3              │",
            "│ 1     │ 4  │ Model   │ m1   │ models/m1 │ 3              │",
            "╰───────┴────┴─────────┴──────┴───────────┴────────────────╯"),
            await _cli.OkAsync("lineage", "5", "--based-on", "--depth", "1"));

        var down = JsonNode.Parse(await _cli.OkAsync("lineage", "2", "--based-on", "--down", "--json"))!;
        Assert.Equal("downstream", down["direction"]!.GetValue<string>());
        var artifacts = down["artifacts"]!.AsArray();
        Assert.Equal([4L, 5L], artifacts.Select(a => a!["id"]!.GetValue<long>()));
        Assert.Equal([1, 2], artifacts.Select(a => a!["depth"]!.GetValue<int>()));
        Assert.Equal([2L], artifacts[0]!["via_execution_ids"]!.AsArray().Select(v => v!.GetValue<long>()));
        Assert.Equal([3L], artifacts[1]!["via_execution_ids"]!.AsArray().Select(v => v!.GetValue<long>()));

        Assert.Equal(CliMessages.BasedOnNone("artifact 1", upstream: true) + "\n", await _cli.OkAsync("lineage", "1", "--based-on"));
    }

    [Fact]
    public async Task Path_to_prints_the_shortest_path_either_way()
    {
        await RecordFixtureAsync();

        Assert.Equal(Lines(
            "Path 1 of 1 (4 edges):",
            "DataSet train (artifact 2, data/train)",
            "└── DECLARED_INPUT → Train train-1 (execution 2, COMPLETE, depth 1)",
            "    └── DECLARED_OUTPUT → Model m1 (artifact 4, models/m1, depth 2)",
            "        └── INPUT → Eval eval-1 (execution 3, RUNNING, depth 3)",
            "            └── OUTPUT → Metrics m1-eval (artifact 5, metrics/m1, depth 4)"),
            await _cli.OkAsync("lineage", "2", "--path-to", "5"));

        var up = JsonNode.Parse(await _cli.OkAsync("lineage", "5", "--path-to", "DataSet/raw", "--json"))!;
        var path = up["paths"]!.AsArray().Single()!;
        Assert.Equal(["artifact 5", "execution 3", "artifact 3", "execution 1", "artifact 1"],
            path["nodes"]!.AsArray().Select(n => $"{n!["kind"]} {n["id"]}"));
        Assert.Equal(["INPUT", "OUTPUT", "INPUT", "OUTPUT"], path["edges"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()));

        Assert.Equal(CliMessages.LineageNoPath("artifact 2", "artifact 3", 20) + "\n", await _cli.OkAsync("lineage", "2", "--path-to", "3"));
        Assert.Equal(Lines(
            "flowchart LR",
            "  x2[\"Train train-1<br/>execution 2<br/>COMPLETE\"]",
            "  a4([\"Model m1<br/>artifact 4<br/>models/m1\"])",
            "  x2 -->|DECLARED_OUTPUT| a4",
            "  classDef start stroke-width:3px",
            "  class x2 start"),
            await _cli.OkAsync("lineage", "execution:2", "--path-to", "4", "--format", "mermaid"));
    }

    [Fact]
    public async Task Lineage_subgraph_answers_with_mlmds_lineage_graph()
    {
        await RecordFixtureAsync();

        var graph = JsonNode.Parse(await _cli.OkAsync("lineage-subgraph", "--from-artifacts", "name = 'm1'", "--hops", "1", "--json"))!.AsObject();
        Assert.Equal(
            ["artifact_types", "execution_types", "context_types", "artifacts", "executions", "contexts", "events", "attributions", "associations"],
            graph.Select(p => p.Key));
        Assert.Equal([4L], graph["artifacts"]!.AsArray().Select(a => a!["id"]!.GetValue<long>()));
        Assert.Equal([2L, 3L], graph["executions"]!.AsArray().Select(a => a!["id"]!.GetValue<long>()));
        Assert.Equal(["Model"], graph["artifact_types"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal(2, graph["events"]!.AsArray().Count);

        var upstream = JsonNode.Parse(await _cli.OkAsync("lineage-subgraph", "--from-executions", "name = 'eval-1'", "--direction", "upstream",
            "--end-artifacts", "name = 'm1'", "--fields", "artifacts,events", "--json"))!;
        Assert.Equal([1L, 3L], upstream["artifacts"]!.AsArray().Select(a => a!["id"]!.GetValue<long>()));
        Assert.Empty(upstream["executions"]!.AsArray());
        var included = JsonNode.Parse(await _cli.OkAsync("lineage-subgraph", "--from-executions", "name = 'eval-1'", "--direction", "upstream",
            "--end-artifacts", "name = 'm1'", "--include-ending", "--fields", "artifacts", "--json"))!;
        Assert.Equal([1L, 3L, 4L], included["artifacts"]!.AsArray().Select(a => a!["id"]!.GetValue<long>()));

        var table = await _cli.OkAsync("lineage-subgraph", "--from-artifacts", "name = 'm1'", "--hops", "1", "--fields", "executions,associations");
        Assert.StartsWith("Executions\n╭", table, StringComparison.Ordinal);
        Assert.EndsWith("\nAssociations\nNo associations.\n", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mistakes_get_one_line_and_the_right_exit_code()
    {
        await RecordFixtureAsync();

        AssertFails(await _cli.RunAsync("lineage"), ExitCodes.Usage, CliMessages.LineageNeedsNode);
        AssertFails(await _cli.RunAsync("lineage", "m1"), ExitCodes.Usage, CliMessages.LineageNodeUnreadable("m1"));
        AssertFails(await _cli.RunAsync("lineage", "artifact:1", "--execution"), ExitCodes.Usage, CliMessages.LineageKindConflict("artifact:1"));
        AssertFails(await _cli.RunAsync("lineage", "1", "--up", "--down"), ExitCodes.Usage, CliMessages.Exclusive("--up", "--down"));
        AssertFails(await _cli.RunAsync("lineage", "1", "--continue", "x"), ExitCodes.Usage, CliMessages.Exclusive("--continue", "a start node"));
        AssertFails(await _cli.RunAsync("lineage", "--continue", "x", "--down"), ExitCodes.Usage, CliMessages.Exclusive("--continue", "--down"));
        AssertFails(await _cli.RunAsync("lineage", "1", "--json", "--format", "dot"), ExitCodes.Usage, CliMessages.Exclusive("--json", "--format dot"));
        AssertFails(await _cli.RunAsync("lineage", "1", "--based-on", "--format", "mermaid"), ExitCodes.Usage, CliMessages.FormatNotForView("mermaid", "--based-on"));
        AssertFails(await _cli.RunAsync("lineage", "1", "--based-on", "--max-nodes", "5"), ExitCodes.Usage, CliMessages.Exclusive("--based-on", "--max-nodes"));
        AssertFails(await _cli.RunAsync("lineage", "1", "--path-to", "5", "--down"), ExitCodes.Usage, CliMessages.Exclusive("--path-to", "--down"));
        AssertFails(await _cli.RunAsync("lineage", "execution:1", "--based-on"), ExitCodes.Usage, CliMessages.BasedOnNeedsArtifact);
        AssertFails(await _cli.RunAsync("lineage", "Model/m2"), ExitCodes.NotFound, CliMessages.NodeNameNotFound(NodeKind.Artifact, "Model", "m2"));
        AssertFails(await _cli.RunAsync("lineage", "99"), ExitCodes.NotFound, Messages.NodeIdNotFound(NodeKind.Artifact, 99));
        AssertFails(await _cli.RunAsync("lineage", "1", "--path-to", "execution:99"), ExitCodes.NotFound, Messages.NodeIdNotFound(NodeKind.Execution, 99));
        AssertFails(await _cli.RunAsync("lineage", "--continue", "not-a-token"), ExitCodes.InvalidArgument, Messages.LineageTokenInvalid);
        AssertFails(await _cli.RunAsync("lineage", "1", "--depth", "1001"), ExitCodes.InvalidArgument, Messages.LineageDepthOutOfRange(1001, 1000));

        var badStop = await _cli.RunAsync("lineage", "5", "--stop-at-artifacts", "name = ");
        Assert.Equal(ExitCodes.InvalidArgument, badStop.ExitCode);
        Assert.StartsWith("error: Invalid `filter_query`", badStop.Stderr, StringComparison.Ordinal);

        AssertFails(await _cli.RunAsync("lineage-subgraph"), ExitCodes.Usage, CliMessages.SubgraphNeedsStart);
        AssertFails(await _cli.RunAsync("lineage-subgraph", "--from-artifacts", "id = 1", "--from-executions", "id = 1"), ExitCodes.Usage,
            CliMessages.Exclusive("--from-artifacts", "--from-executions"));
        AssertFails(await _cli.RunAsync("lineage-subgraph", "--from-artifacts", "id = 1", "--include-ending"), ExitCodes.Usage, CliMessages.IncludeEndingNeedsEnd);
        AssertFails(await _cli.RunAsync("lineage-subgraph", "--from-artifacts", "id = 1", "--fields", "artifacts,nodes"), ExitCodes.Usage,
            CliMessages.SubgraphFieldUnknown("nodes", string.Join(", ", LineageGraphFields.All)));
        AssertFails(await _cli.RunAsync("lineage-subgraph", "--from-artifacts", "id = 99"), ExitCodes.NotFound, Messages.LineageNoQualifiedNodes);
        AssertFails(await _cli.RunAsync("lineage-subgraph", "--from-artifacts", "id = 1", "--hops", "-1"), ExitCodes.InvalidArgument, Messages.LineageNegativeHops(-1));
    }
}
