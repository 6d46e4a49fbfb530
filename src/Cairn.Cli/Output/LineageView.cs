using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Cairn.Cli.Output;

/// <summary>
/// What <c>cairn lineage</c> shows: nodes with their depth from the start and the events between them, as a tree, JSON,
/// a Graphviz digraph or a Mermaid flowchart. Pictures follow the data: input events point artifact → execution, output
/// events execution → artifact, whichever way the traversal went.
/// </summary>
internal sealed record LineageView(IReadOnlyList<LineageNode> Nodes, IReadOnlyList<Event> Edges)
{
    /// <summary>True when the node budget cut the traversal short.</summary>
    public bool Truncated { get; init; }

    /// <summary>The token that continues a truncated traversal.</summary>
    public string? ContinuationToken { get; init; }

    public static LineageView Of(LineageResult result) => new(result.Nodes, result.Events)
    {
        Truncated = result.Truncated,
        ContinuationToken = result.ContinuationToken,
    };

    /// <summary>Data flows from the artifact into the execution for input events, the other way for output events.</summary>
    public static bool IsInput(EventType? type) => type is EventType.Input or EventType.DeclaredInput or EventType.InternalInput;

    /// <summary>The indented tree: each node under the node one level nearer the start that reached it, once.</summary>
    /// <param name="direction">
    /// The way the traversal went, when known: upstream trees only hang a node under one it flows into, downstream trees under
    /// one it flows from (an edge between two levels that points the other way is in the graph, not in the tree).
    /// </param>
    public IEnumerable<string> Tree(LineageDirection? direction = null)
    {
        var nodes = Nodes.ToDictionary(Ref);
        var pairs = new Dictionary<(NodeRef, NodeRef), List<Event>>();
        var neighbours = new Dictionary<NodeRef, SortedSet<NodeRef>>();
        foreach (var e in Edges)
        {
            var a = NodeRef.Artifact(e.ArtifactId!.Value);
            var x = NodeRef.Execution(e.ExecutionId!.Value);
            if (!nodes.ContainsKey(a) || !nodes.ContainsKey(x)) continue;
            Link(a, x, e);
            Link(x, a, e);
        }

        var shown = new HashSet<NodeRef>();
        var lines = new List<string>();
        foreach (var root in Nodes.Where(n => n.Depth == 0).Select(Ref).Order(RefOrder.Instance))
        {
            Walk(root, string.Empty, string.Empty, null);
        }

        // Nodes a tree edge does not reach (there should be none) are still listed, as roots of their own.
        foreach (var rest in Nodes.Select(Ref).Where(r => !shown.Contains(r)).ToList())
        {
            if (!shown.Contains(rest)) Walk(rest, string.Empty, string.Empty, null);
        }

        return lines;

        void Link(NodeRef from, NodeRef to, Event e)
        {
            if (!pairs.TryGetValue((from, to), out var list)) pairs[(from, to)] = list = [];
            list.Add(e);
            if (!neighbours.TryGetValue(from, out var set)) neighbours[from] = set = new SortedSet<NodeRef>(RefOrder.Instance);
            set.Add(to);
        }

        void Walk(NodeRef node, string guide, string childGuide, NodeRef? parent)
        {
            var lineageNode = nodes[node];
            var text = new StringBuilder(guide);
            if (parent is { } p) text.Append(EdgeLabel(p, pairs[(p, node)])).Append(' ');
            text.Append(Label(lineageNode.Node, parent is null ? null : lineageNode.Depth));
            if (!shown.Add(node))
            {
                lines.Add(text.Append(" (see above)").ToString());
                return;
            }

            lines.Add(text.ToString());
            var children = neighbours.GetValueOrDefault(node, [])
                .Where(c => nodes[c].Depth == lineageNode.Depth + 1 && Follows(direction, node, pairs[(node, c)]))
                .ToList();
            for (var i = 0; i < children.Count; i++)
            {
                var last = i == children.Count - 1;
                Walk(children[i], childGuide + (last ? "└── " : "├── "), childGuide + (last ? "    " : "│   "), node);
            }
        }
    }

    private static bool Follows(LineageDirection? direction, NodeRef parent, List<Event> events) => direction switch
    {
        LineageDirection.Upstream => events.Any(e => !FlowsFrom(parent, e)),
        LineageDirection.Downstream => events.Any(e => FlowsFrom(parent, e)),
        _ => true,
    };

    /// <summary>True when the data of <paramref name="e"/> flows out of <paramref name="parent"/> (an artifact read, an execution's output).</summary>
    private static bool FlowsFrom(NodeRef parent, Event e) => IsInput(e.Type) == (parent.Kind == NodeKind.Artifact);

    /// <summary>The edge between a parent and a child of the tree: each event type with an arrow the way the data flows.</summary>
    private static string EdgeLabel(NodeRef parent, List<Event> events)
    {
        return string.Join(", ", events.DistinctBy(e => e.Type).OrderBy(e => e.Type).Select(e =>
            TypeName(e) + (FlowsFrom(parent, e) ? " →" : " ←")));
    }

    /// <summary><c>Type name (kind id, uri or state[, depth N])</c>.</summary>
    public static string Label(Node node, int? depth)
    {
        // A node of an ids-only lineage has no type: it is shown as "kind id".
        if (node.Type is null && node.TypeId is null)
        {
            var bare = Messages.KindName(node.Kind) + " " + Tables.Id(node.Id);
            return depth is { } at ? bare + " (depth " + at.ToString(CultureInfo.InvariantCulture) + ")" : bare;
        }

        var text = new StringBuilder(node.Type);
        if (!string.IsNullOrEmpty(node.Name)) text.Append(' ').Append(node.Name);
        text.Append(" (").Append(Messages.KindName(node.Kind)).Append(' ').Append(Tables.Id(node.Id));
        if (Detail(node) is { } detail) text.Append(", ").Append(detail);
        if (depth is { } d) text.Append(", depth ").Append(d.ToString(CultureInfo.InvariantCulture));
        return text.Append(')').ToString();
    }

    private static string? Detail(Node node) => node switch
    {
        Artifact { Uri.Length: > 0 } a => a.Uri,
        Execution { LastKnownState: { } state } => MlmdNames.Of(state),
        _ => null,
    };

    /// <summary><c>{"nodes": [...], "edges": [...], "truncated": false}</c>, plus <c>continuation_token</c> when truncated.</summary>
    public JsonObject Json()
    {
        var json = new JsonObject
        {
            ["nodes"] = new JsonArray([.. Nodes.Select(n => (JsonNode)NodeJson(n.Node, n.Depth))]),
            ["edges"] = EdgesJson(Edges),
            ["truncated"] = Truncated,
        };
        if (ContinuationToken is not null) json["continuation_token"] = ContinuationToken;
        return json;
    }

    /// <summary>A node in lineage output: kind, id, type, name, uri and state (artifacts), last_known_state (executions), depth.</summary>
    public static JsonObject NodeJson(Node node, int? depth)
    {
        var json = new JsonObject
        {
            ["kind"] = Messages.KindName(node.Kind),
            ["id"] = node.Id,
        };
        if (node.Type is null && node.TypeId is null)
        {
            // An ids-only lineage node: nothing else was read.
            if (depth is { } at) json["depth"] = at;
            return json;
        }

        json["type"] = node.Type;
        if (node.Name is not null) json["name"] = node.Name;
        switch (node)
        {
            case Artifact artifact:
                json["uri"] = artifact.Uri ?? string.Empty;
                if (artifact.State is { } state) json["state"] = MlmdNames.Of(state);
                break;
            case Execution { LastKnownState: { } lastKnownState }:
                json["last_known_state"] = MlmdNames.Of(lastKnownState);
                break;
        }

        if (depth is { } d) json["depth"] = d;
        return json;
    }

    public static JsonArray EdgesJson(IEnumerable<Event> events) => new([.. events.Select(e => (JsonNode)new JsonObject
    {
        ["artifact_id"] = e.ArtifactId,
        ["execution_id"] = e.ExecutionId,
        ["type"] = e.Type is { } t ? MlmdNames.Of(t) : null,
    })]);

    /// <summary>A Graphviz digraph, left to right: artifacts as ellipses, executions as boxes (the W3C PROV convention), starting nodes bold.</summary>
    public string Dot()
    {
        var text = new StringBuilder("digraph lineage {\n");
        text.Append("  rankdir=LR;\n");
        text.Append("  node [fontname=\"Helvetica\", fontsize=10];\n");
        text.Append("  edge [fontname=\"Helvetica\", fontsize=9];\n");
        foreach (var n in Nodes)
        {
            var shape = n.Node.Kind == NodeKind.Artifact ? "ellipse" : "box";
            var label = string.Join("\\n", LabelLines(n.Node).Select(DotEscape));
            text.Append(CultureInfo.InvariantCulture, $"  {Id(n.Node)} [shape={shape}, label=\"{label}\"{(n.Depth == 0 ? ", penwidth=2" : string.Empty)}];\n");
        }

        foreach (var e in Edges)
        {
            var (from, to) = Oriented(e);
            text.Append(CultureInfo.InvariantCulture, $"  {from} -> {to} [label=\"{TypeName(e)}\"];\n");
        }

        return text.Append("}\n").ToString();
    }

    /// <summary>A Mermaid <c>flowchart LR</c>: artifacts as stadiums, executions as rectangles, starting nodes bold.</summary>
    public string Mermaid()
    {
        var text = new StringBuilder("flowchart LR\n");
        foreach (var n in Nodes)
        {
            var label = string.Join("<br/>", LabelLines(n.Node).Select(MermaidEscape));
            text.Append(n.Node.Kind == NodeKind.Artifact ? $"  {Id(n.Node)}([\"{label}\"])\n" : $"  {Id(n.Node)}[\"{label}\"]\n");
        }

        foreach (var e in Edges)
        {
            var (from, to) = Oriented(e);
            text.Append(CultureInfo.InvariantCulture, $"  {from} -->|{TypeName(e)}| {to}\n");
        }

        var starts = Nodes.Where(n => n.Depth == 0).Select(n => Id(n.Node)).ToList();
        if (starts.Count > 0)
        {
            text.Append("  classDef start stroke-width:3px\n");
            text.Append("  class ").Append(string.Join(',', starts)).Append(" start\n");
        }

        return text.ToString();
    }

    private static NodeRef Ref(LineageNode node) => new(node.Node.Kind, node.Node.Id!.Value);

    private static string Id(Node node) => (node.Kind == NodeKind.Artifact ? "a" : "x") + Tables.Id(node.Id);

    private static (string From, string To) Oriented(Event e)
    {
        var a = "a" + Tables.Id(e.ArtifactId);
        var x = "x" + Tables.Id(e.ExecutionId);
        return IsInput(e.Type) ? (a, x) : (x, a);
    }

    private static string TypeName(Event e) => e.Type is { } t ? MlmdNames.Of(t) : "UNKNOWN";

    /// <summary>The lines of a node in a picture: type and name, kind and id, uri or state.</summary>
    private static IEnumerable<string> LabelLines(Node node)
    {
        if (node.Type is not null || node.TypeId is not null) yield return string.IsNullOrEmpty(node.Name) ? node.Type ?? "?" : $"{node.Type} {node.Name}";
        yield return $"{Messages.KindName(node.Kind)} {Tables.Id(node.Id)}";
        if (Detail(node) is { } detail) yield return detail;
    }

    private static string DotEscape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    private static string MermaidEscape(string text) => text
        .Replace("&", "#amp;", StringComparison.Ordinal)
        .Replace("\"", "#quot;", StringComparison.Ordinal)
        .Replace("<", "#lt;", StringComparison.Ordinal)
        .Replace(">", "#gt;", StringComparison.Ordinal);

    /// <summary>Artifacts before executions, then by id.</summary>
    private sealed class RefOrder : IComparer<NodeRef>
    {
        public static RefOrder Instance { get; } = new();

        public int Compare(NodeRef x, NodeRef y) => x.Kind != y.Kind ? x.Kind.CompareTo(y.Kind) : x.Id.CompareTo(y.Id);
    }
}
