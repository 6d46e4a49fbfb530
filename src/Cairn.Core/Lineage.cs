namespace Cairn;

/// <summary>Which way lineage is followed (MLMD <c>LineageSubgraphQueryOptions.Direction</c>).</summary>
public enum LineageDirection
{
    /// <summary>Both ways (MLMD treats unspecified as bidirectional).</summary>
    Unspecified = 0,
    /// <summary>Towards what a node was made from: artifact → the execution that wrote it → that execution's inputs.</summary>
    Upstream = 1,
    /// <summary>Towards what was made from a node: artifact → the executions that read it → their outputs.</summary>
    Downstream = 2,
    /// <summary>Both ways.</summary>
    Bidirectional = 3,
}

/// <summary>Nodes at which a lineage traversal stops (MLMD <c>LineageSubgraphQueryOptions.EndingNodes</c>).</summary>
/// <param name="FilterQuery">A filter query selecting the ending nodes.</param>
/// <param name="IncludeEndingNodes">Whether reached ending nodes (and their edges) are part of the result.</param>
public sealed record LineageEndingNodes(string FilterQuery, bool IncludeEndingNodes = false);

/// <summary>A lineage subgraph request with MLMD's semantics (<c>GetLineageSubgraph</c>).</summary>
public sealed record LineageSubgraphQuery
{
    /// <summary>Whether the traversal starts from artifacts or executions; null is refused as in MLMD.</summary>
    public NodeKind? StartingNodeKind { get; init; }

    /// <summary>Filter query selecting the starting nodes; required and non-empty.</summary>
    public string? StartingFilterQuery { get; init; }

    /// <summary>Edges to follow from the starting nodes; null means 100, larger values are capped at 100, negative is refused.</summary>
    public long? MaxNumHops { get; init; }

    /// <summary>Direction; unspecified means both ways.</summary>
    public LineageDirection Direction { get; init; }

    /// <summary>Artifacts at which to stop.</summary>
    public LineageEndingNodes? EndingArtifacts { get; init; }

    /// <summary>Executions at which to stop.</summary>
    public LineageEndingNodes? EndingExecutions { get; init; }
}

/// <summary>A lineage graph (MLMD <c>LineageGraph</c>): nodes, their types and contexts, and the edges between them.</summary>
public sealed record LineageGraph
{
    /// <summary>Types of the returned artifacts.</summary>
    public IReadOnlyList<ArtifactType> ArtifactTypes { get; init; } = [];

    /// <summary>Types of the returned executions.</summary>
    public IReadOnlyList<ExecutionType> ExecutionTypes { get; init; } = [];

    /// <summary>Types of the returned contexts.</summary>
    public IReadOnlyList<ContextType> ContextTypes { get; init; } = [];

    /// <summary>Artifacts, in id order.</summary>
    public IReadOnlyList<Artifact> Artifacts { get; init; } = [];

    /// <summary>Executions, in id order.</summary>
    public IReadOnlyList<Execution> Executions { get; init; } = [];

    /// <summary>Contexts of the returned artifacts and executions, in id order.</summary>
    public IReadOnlyList<Context> Contexts { get; init; } = [];

    /// <summary>Events between returned nodes.</summary>
    public IReadOnlyList<Event> Events { get; init; } = [];

    /// <summary>Attributions of the returned artifacts.</summary>
    public IReadOnlyList<Attribution> Attributions { get; init; } = [];

    /// <summary>Associations of the returned executions.</summary>
    public IReadOnlyList<Association> Associations { get; init; } = [];

    /// <summary>Parent/child relations between contexts (MLMD never fills them in lineage answers; neither does Cairn yet).</summary>
    public IReadOnlyList<ParentContext> ParentContexts { get; init; } = [];
}

/// <summary>Names the parts of a <see cref="LineageGraph"/> to fill (MLMD's read mask); empty means all.</summary>
public static class LineageGraphFields
{
    /// <summary>Every field name MLMD recognises in a lineage read mask.</summary>
    public static IReadOnlyList<string> All { get; } =
        ["artifacts", "executions", "contexts", "artifact_types", "execution_types", "context_types", "events", "associations", "attributions"];
}

/// <summary>A node of the store, named by kind and id.</summary>
/// <param name="Kind">Artifact, execution or context.</param>
/// <param name="Id">The node's id.</param>
public readonly record struct NodeRef(NodeKind Kind, long Id)
{
    /// <summary>An artifact reference.</summary>
    public static NodeRef Artifact(long id) => new(NodeKind.Artifact, id);

    /// <summary>An execution reference.</summary>
    public static NodeRef Execution(long id) => new(NodeKind.Execution, id);

    /// <inheritdoc/>
    public override string ToString() => $"{Messages.KindName(Kind)} {Id}";
}

/// <summary>Cairn's own lineage question: what is upstream or downstream of some nodes, within a depth and a node budget.</summary>
public sealed record LineageRequest
{
    /// <summary>Where to start: artifacts and/or executions.</summary>
    public IReadOnlyList<NodeRef> Start { get; init; } = [];

    /// <summary>Upstream, downstream or both.</summary>
    public LineageDirection Direction { get; init; } = LineageDirection.Upstream;

    /// <summary>Edges to follow (one artifact→execution or execution→artifact step is one); at most 1000.</summary>
    public int MaxDepth { get; init; } = 20;

    /// <summary>At most this many nodes are returned; the rest is reported through <see cref="LineageResult.Truncated"/>.</summary>
    public int MaxNodes { get; init; } = 10_000;

    /// <summary>Filter query on artifacts: matching artifacts are returned but not expanded further.</summary>
    public string? StopAtArtifacts { get; init; }

    /// <summary>Filter query on executions: matching executions are returned but not expanded further.</summary>
    public string? StopAtExecutions { get; init; }

    /// <summary>Filter query on artifacts: only matching artifacts are returned; the others are still walked through.</summary>
    public string? OnlyArtifacts { get; init; }

    /// <summary>Filter query on executions: only matching executions are returned; the others are still walked through.</summary>
    public string? OnlyExecutions { get; init; }

    /// <summary>Token from a truncated result, to continue where it stopped.</summary>
    public string? ContinuationToken { get; init; }

    /// <summary>
    /// Return the traversal only: each node carries just its id (no type, name, URI, state or properties), and the events are
    /// complete. For callers that need the shape of a large graph, or fetch the few nodes they show afterwards.
    /// </summary>
    public bool IdsOnly { get; init; }
}

/// <summary>One node reached by a lineage traversal and how far it is from the start.</summary>
/// <param name="Node">The artifact or execution.</param>
/// <param name="Depth">Edges from the nearest starting node (0 for starting nodes).</param>
public sealed record LineageNode(Node Node, int Depth);

/// <summary>The answer to a <see cref="LineageRequest"/>.</summary>
public sealed record LineageResult
{
    /// <summary>Reached nodes with their depth, nearest first.</summary>
    public IReadOnlyList<LineageNode> Nodes { get; init; } = [];

    /// <summary>Events between returned nodes.</summary>
    public IReadOnlyList<Event> Events { get; init; } = [];

    /// <summary>True when the node budget stopped the traversal before it was complete.</summary>
    public bool Truncated { get; init; }

    /// <summary>When truncated, a token that continues the traversal from where it stopped.</summary>
    public string? ContinuationToken { get; init; }
}

/// <summary>Artifact-to-artifact lineage with the executions in between collapsed ("this model is based on that dataset").</summary>
/// <param name="Artifact">An artifact reached.</param>
/// <param name="Depth">Artifact hops from the start (1 = made directly from / directly into).</param>
/// <param name="Via">The executions linking it to the previous artifact level.</param>
public sealed record BasedOnArtifact(Artifact Artifact, int Depth, IReadOnlyList<long> Via);
