using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Cairn.Cli.Output;

namespace Cairn.Cli.Commands;

/// <summary>
/// <c>cairn lineage NODE</c>: what a node was made from (<c>--up</c>), what was made from it (<c>--down</c>) or both, with
/// Cairn's lineage API (depth, node budget and continuation, stop filters), the based-on view and the paths between two
/// nodes, as a tree, JSON, Graphviz or Mermaid.
/// </summary>
internal static class LineageCommand
{
    private const string Tree = "tree";
    private const string Json = "json";
    private const int DefaultDepth = 20;
    private const int DefaultMaxNodes = 10_000;
    private const int DefaultGenerations = 10;
    private const int MaxPaths = 10;

    public static Command Create(CliRuntime runtime, CommandCatalog catalog)
    {
        var command = catalog.Create(
            "lineage",
            "Show the lineage of an artifact or execution: what it was made from (--up, the default), what was made from it (--down), or both; as a tree, JSON, Graphviz (dot) or Mermaid.",
            "cairn lineage 5",
            "cairn lineage DataSet/eval-2024-05 --down",
            "cairn lineage execution:1 --both --depth 1",
            "cairn lineage 1 --down --format mermaid",
            "cairn lineage 5 --based-on",
            "cairn lineage 1 --path-to 5");
        var node = new Argument<string?>("node")
        {
            Description = "Where to start: an artifact id (2), artifact:ID or execution:ID, or Type/name (SavedModel/mnist-v1).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var execution = new Option<bool>("--execution") { Description = "The node (an id or Type/name) is an execution, not an artifact." };
        var up = new Option<bool>("--up") { Description = "Follow what the node was made from (the default)." };
        var down = new Option<bool>("--down") { Description = "Follow what was made from the node." };
        var both = new Option<bool>("--both") { Description = "Follow both ways." };
        var depth = new Option<int>("--depth")
        {
            Description = $"Follow at most N edges (artifact to execution or back is one); with --based-on, N artifact generations (default {DefaultGenerations}).",
            HelpName = "N",
            DefaultValueFactory = _ => DefaultDepth,
        };
        var maxNodes = new Option<int>("--max-nodes")
        {
            Description = $"Return at most N nodes; a longer lineage is truncated and a continuation token printed.",
            HelpName = "N",
            DefaultValueFactory = _ => DefaultMaxNodes,
        };
        var continuation = new Option<string>("--continue") { Description = "Continue a truncated lineage from its continuation token.", HelpName = "TOKEN" };
        var stopAtArtifacts = new Option<string>("--stop-at-artifacts") { Description = "Show the artifacts matching this filter query but do not follow them further.", HelpName = "FILTER" };
        var stopAtExecutions = new Option<string>("--stop-at-executions") { Description = "Show the executions matching this filter query but do not follow them further.", HelpName = "FILTER" };
        var basedOn = new Option<bool>("--based-on") { Description = "Artifact to artifact, executions collapsed: the artifacts this one is based on (--up) or that are based on it (--down)." };
        var pathTo = new Option<string>("--path-to") { Description = "The shortest paths from the node to this one (an id is an artifact; write execution:ID for an execution).", HelpName = "NODE" };
        var idsOnly = new Option<bool>("--ids-only") { Description = "Only the traversal: nodes are shown by kind and id, without reading their types, names or properties (fast on large graphs)." };
        var format = new Option<string>("--format")
        {
            Description = "tree, json (as --json), dot (Graphviz) or mermaid (a flowchart).",
            HelpName = "FORMAT",
            DefaultValueFactory = _ => Tree,
        };
        format.AcceptOnlyFromAmong(Tree, Json, "dot", "mermaid");
        command.Arguments.Add(node);
        Option[] options = [execution, up, down, both, depth, maxNodes, continuation, stopAtArtifacts, stopAtExecutions, idsOnly, basedOn, pathTo, format];
        foreach (var option in options) command.Options.Add(option);

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            bool Given(Option option) => parseResult.GetResult(option) is { Implicit: false };
            string? Text(Option<string> option) => parseResult.GetValue(option) is { Length: > 0 } text ? text : null;

            var directions = new[] { up, down, both }.Where(Given).ToList();
            if (directions.Count > 1) throw new UsageException(CliMessages.Exclusive(directions[0].Name, directions[1].Name));
            var direction = Given(down) ? LineageDirection.Downstream : Given(both) ? LineageDirection.Bidirectional : LineageDirection.Upstream;

            var output = parseResult.GetValue(format)!;
            if (runtime.WantsJson(parseResult))
            {
                if (Given(format) && output != Json) throw new UsageException(CliMessages.Exclusive("--json", "--format " + output));
                output = Json;
            }

            var nodeText = parseResult.GetValue(node);
            var token = Text(continuation);
            if (token is not null)
            {
                if (nodeText is not null) throw new UsageException(CliMessages.Exclusive("--continue", "a start node"));
                var clash = new Option[] { execution, up, down, both, depth, basedOn, pathTo }.FirstOrDefault(Given);
                if (clash is not null) throw new UsageException(CliMessages.Exclusive("--continue", clash.Name));
            }
            else if (nodeText is null)
            {
                throw new UsageException(CliMessages.LineageNeedsNode);
            }

            Option[] traversalOnly = [maxNodes, stopAtArtifacts, stopAtExecutions, idsOnly];
            if (parseResult.GetValue(basedOn))
            {
                var clash = new Option[] { pathTo, both }.Concat(traversalOnly).FirstOrDefault(Given);
                if (clash is not null) throw new UsageException(CliMessages.Exclusive("--based-on", clash.Name));
                if (output is not (Tree or Json)) throw new UsageException(CliMessages.FormatNotForView(output, "--based-on"));
            }
            else if (Text(pathTo) is not null)
            {
                var clash = new Option[] { up, down, both }.Concat(traversalOnly).FirstOrDefault(Given);
                if (clash is not null) throw new UsageException(CliMessages.Exclusive("--path-to", clash.Name));
            }

            var spec = nodeText is null ? null : NodeSpec.Parse(nodeText, parseResult.GetValue(execution));
            await using var store = await runtime.OpenStoreAsync(parseResult, cancellationToken);

            if (parseResult.GetValue(basedOn))
            {
                var start = await spec!.ResolveAsync(store, cancellationToken);
                if (start.Kind != NodeKind.Artifact) throw new UsageException(CliMessages.BasedOnNeedsArtifact);
                var generations = Given(depth) ? parseResult.GetValue(depth) : DefaultGenerations;
                var upstream = direction != LineageDirection.Downstream;
                var based = await store.GetBasedOnAsync(start.Id!.Value, direction, generations, cancellationToken);
                WriteBasedOn(runtime, output, start, upstream, based);
                return ExitCodes.Success;
            }

            if (Text(pathTo) is { } target)
            {
                var from = await spec!.ResolveAsync(store, cancellationToken);
                var to = await NodeSpec.Parse(target, execution: false).ResolveAsync(store, cancellationToken);
                await WritePathsAsync(runtime, store, output, from, to, parseResult.GetValue(depth), cancellationToken);
                return ExitCodes.Success;
            }

            IReadOnlyList<NodeRef> startRefs = [];
            if (spec is not null)
            {
                var start = await spec.ResolveAsync(store, cancellationToken);
                startRefs = [new NodeRef(start.Kind, start.Id!.Value)];
            }

            var budget = parseResult.GetValue(maxNodes);
            var result = await store.GetLineageAsync(new LineageRequest
            {
                Start = startRefs,
                Direction = direction,
                MaxDepth = parseResult.GetValue(depth),
                MaxNodes = budget,
                StopAtArtifacts = Text(stopAtArtifacts),
                StopAtExecutions = Text(stopAtExecutions),
                ContinuationToken = token,
                IdsOnly = parseResult.GetValue(idsOnly),
            }, cancellationToken);

            var view = LineageView.Of(result);
            string ContinueCommand()
            {
                var line = new StringBuilder("cairn lineage --continue ").Append(view.ContinuationToken);
                if (Given(maxNodes)) line.Append(" --max-nodes ").Append(budget.ToString(CultureInfo.InvariantCulture));
                if (Text(stopAtArtifacts) is { } sa) line.Append(" --stop-at-artifacts ").Append(ShellQuote(sa));
                if (Text(stopAtExecutions) is { } sx) line.Append(" --stop-at-executions ").Append(ShellQuote(sx));
                if (parseResult.GetValue(idsOnly)) line.Append(" --ids-only");
                if (output != Tree) line.Append(" --format ").Append(output);
                if (Given(runtime.StoreOption) && parseResult.GetValue(runtime.StoreOption) is { } storeText) line.Append(" --store ").Append(ShellQuote(storeText));
                return line.ToString();
            }

            switch (output)
            {
                case Json:
                    runtime.WriteJson(view.Json());
                    break;
                case Tree:
                    foreach (var line in view.Tree(token is null ? direction : null)) runtime.WriteLine(line);
                    if (view.Truncated) runtime.WriteLine(CliMessages.LineageTruncated(budget, ContinueCommand()));
                    break;
                default:
                    runtime.Out.Write(output == "dot" ? view.Dot() : view.Mermaid());

                    // The picture stays valid on stdout; the note goes to stderr.
                    if (view.Truncated) runtime.Error.Write(CliMessages.LineageTruncated(budget, ContinueCommand()) + "\n");
                    break;
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void WriteBasedOn(CliRuntime runtime, string output, Node start, bool upstream, IReadOnlyList<BasedOnArtifact> based)
    {
        if (output == Json)
        {
            runtime.WriteJson(new JsonObject
            {
                ["artifact_id"] = start.Id,
                ["direction"] = upstream ? "upstream" : "downstream",
                ["artifacts"] = new JsonArray([.. based.Select(b =>
                {
                    var json = LineageView.NodeJson(b.Artifact, b.Depth);
                    json.Remove("kind");
                    json["via_execution_ids"] = JsonShapes.Ids(b.Via);
                    return (JsonNode)json;
                })]),
            });
            return;
        }

        if (based.Count == 0)
        {
            runtime.WriteLine(CliMessages.BasedOnNone(new NodeRef(NodeKind.Artifact, start.Id!.Value).ToString(), upstream));
            return;
        }

        var table = Tables.Create("DEPTH", "ID", "TYPE", "NAME", "URI", "VIA EXECUTIONS");
        foreach (var b in based)
        {
            Tables.AddRow(table, b.Depth.ToString(CultureInfo.InvariantCulture), Tables.Id(b.Artifact.Id), b.Artifact.Type, b.Artifact.Name, b.Artifact.Uri,
                string.Join(", ", b.Via.Select(id => id.ToString(CultureInfo.InvariantCulture))));
        }

        runtime.Console.Write(table);
    }

    private static async Task WritePathsAsync(CliRuntime runtime, IMetadataStore store, string output, Node from, Node to, int depth, CancellationToken cancellationToken)
    {
        var fromRef = new NodeRef(from.Kind, from.Id!.Value);
        var toRef = new NodeRef(to.Kind, to.Id!.Value);
        var paths = await store.FindLineagePathsAsync(fromRef, toRef, depth, MaxPaths, cancellationToken);

        // The nodes and the events along the paths, read in two calls each.
        var refs = paths.SelectMany(p => p).Distinct().ToList();
        var nodes = new Dictionary<NodeRef, Node>();
        var artifactIds = refs.Where(r => r.Kind == NodeKind.Artifact).Select(r => r.Id).ToList();
        var executionIds = refs.Where(r => r.Kind == NodeKind.Execution).Select(r => r.Id).ToList();
        if (artifactIds.Count > 0) foreach (var a in await store.GetArtifactsByIdAsync(artifactIds, cancellationToken)) nodes[NodeRef.Artifact(a.Id!.Value)] = a;
        if (executionIds.Count > 0) foreach (var x in await store.GetExecutionsByIdAsync(executionIds, cancellationToken)) nodes[NodeRef.Execution(x.Id!.Value)] = x;
        var events = executionIds.Count > 0 ? await store.GetEventsByExecutionIdsAsync(executionIds, cancellationToken) : [];

        var views = paths.Select(path =>
        {
            var steps = path.Zip(path.Skip(1)).Select(p => p.First.Kind == NodeKind.Artifact ? (A: p.First.Id, X: p.Second.Id) : (A: p.Second.Id, X: p.First.Id)).ToHashSet();
            var edges = events.Where(e => steps.Contains((e.ArtifactId!.Value, e.ExecutionId!.Value))).OrderBy(e => e.ExecutionId).ThenBy(e => e.ArtifactId).ThenBy(e => e.Type).ToList();
            return new LineageView([.. path.Select((r, i) => new LineageNode(nodes[r], i))], edges);
        }).ToList();

        switch (output)
        {
            case Json:
                runtime.WriteJson(new JsonObject
                {
                    ["from"] = LineageView.NodeJson(from, null),
                    ["to"] = LineageView.NodeJson(to, null),
                    ["paths"] = new JsonArray([.. views.Select(v => (JsonNode)new JsonObject
                    {
                        ["nodes"] = new JsonArray([.. v.Nodes.Select(n => (JsonNode)LineageView.NodeJson(n.Node, n.Depth))]),
                        ["edges"] = LineageView.EdgesJson(v.Edges),
                    })]),
                });
                break;
            case Tree:
                if (views.Count == 0) runtime.WriteLine(CliMessages.LineageNoPath(fromRef.ToString(), toRef.ToString(), depth));
                for (var i = 0; i < views.Count; i++)
                {
                    if (i > 0) runtime.WriteLine(string.Empty);
                    runtime.WriteLine(CliMessages.LineagePathHeading(i + 1, views.Count, views[i].Nodes.Count - 1));
                    foreach (var line in views[i].Tree()) runtime.WriteLine(line);
                }

                break;
            default:
                // One picture of every path: each node at its nearest position from the start.
                var union = new LineageView(
                    [.. views.SelectMany(v => v.Nodes).GroupBy(n => new NodeRef(n.Node.Kind, n.Node.Id!.Value)).Select(g => g.MinBy(n => n.Depth)!).OrderBy(n => n.Depth).ThenBy(n => n.Node.Kind).ThenBy(n => n.Node.Id)],
                    [.. views.SelectMany(v => v.Edges).Distinct().OrderBy(e => e.ExecutionId).ThenBy(e => e.ArtifactId).ThenBy(e => e.Type)]);
                if (views.Count == 0) union = new LineageView([new LineageNode(from, 0)], []);
                runtime.Out.Write(output == "dot" ? union.Dot() : union.Mermaid());
                if (views.Count == 0) runtime.Error.Write(CliMessages.LineageNoPath(fromRef.ToString(), toRef.ToString(), depth) + "\n");
                break;
        }
    }

    /// <summary>Quotes a value for a POSIX shell when it holds anything but plain characters.</summary>
    private static string ShellQuote(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || "_-./:=,@%+".Contains(c, StringComparison.Ordinal))
            ? text
            : "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>A node named on the command line: an id (artifact unless said otherwise) or a type and a name.</summary>
    private sealed record NodeSpec(string Text, NodeKind Kind, long? Id, string? TypeName, string? Name)
    {
        public static NodeSpec Parse(string text, bool execution)
        {
            var rest = text.Trim();
            NodeKind? prefixed = null;
            foreach (var kind in new[] { NodeKind.Artifact, NodeKind.Execution })
            {
                var prefix = Messages.KindName(kind) + ":";
                if (!rest.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) continue;
                prefixed = kind;
                rest = rest[prefix.Length..];
            }

            if (prefixed == NodeKind.Artifact && execution) throw new UsageException(CliMessages.LineageKindConflict(text));
            var nodeKind = prefixed ?? (execution ? NodeKind.Execution : NodeKind.Artifact);
            if (long.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return new NodeSpec(text, nodeKind, id, null, null);
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || slash == rest.Length - 1) throw new UsageException(CliMessages.LineageNodeUnreadable(text));
            return new NodeSpec(text, nodeKind, null, rest[..slash], rest[(slash + 1)..]);
        }

        public async Task<Node> ResolveAsync(IMetadataStore store, CancellationToken cancellationToken)
        {
            if (Id is { } id)
            {
                return (await Kinds.GetByIdsAsync(store, Kind, [id], cancellationToken)).FirstOrDefault()
                    ?? throw new NotFoundException(Messages.NodeIdNotFound(Kind, id));
            }

            return await Kinds.GetByTypeAndNameAsync(store, Kind, TypeName!, Name!, null, cancellationToken)
                ?? throw new NotFoundException(CliMessages.NodeNameNotFound(Kind, TypeName!, Name!));
        }
    }
}
