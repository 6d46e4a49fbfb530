namespace Cairn;

/// <summary>Lineage questions answered on top of <see cref="IMetadataStore.GetLineageAsync"/>, so every store (embedded or remote) has them.</summary>
public static class LineageExtensions
{
    /// <summary>
    /// Artifact-to-artifact lineage with executions collapsed: upstream, what the artifact is based on; downstream, what is based on it.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="artifactId">The artifact to start from.</param>
    /// <param name="direction">Upstream (what it was made from) or downstream (what was made from it).</param>
    /// <param name="maxArtifactHops">How many artifact generations to follow.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static async Task<IReadOnlyList<BasedOnArtifact>> GetBasedOnAsync(
        this IMetadataStore store, long artifactId, LineageDirection direction = LineageDirection.Upstream, int maxArtifactHops = 10,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var result = await store.GetLineageAsync(new LineageRequest
        {
            Start = [NodeRef.Artifact(artifactId)],
            Direction = direction,
            MaxDepth = Math.Min(2 * maxArtifactHops, 1000),
        }, cancellationToken).ConfigureAwait(false);

        var depth = result.Nodes.ToDictionary(n => new NodeRef(n.Node.Kind, n.Node.Id!.Value), n => n.Depth);
        var based = new List<BasedOnArtifact>();
        foreach (var node in result.Nodes)
        {
            if (node.Node is not Artifact artifact || node.Depth == 0) continue;
            // Only edges along the walk: upstream the artifact was read by the execution, downstream written by it.
            var via = result.Events
                .Where(e => e.ArtifactId == artifact.Id && AlongWalk(e.Type, direction)
                    && depth.TryGetValue(NodeRef.Execution(e.ExecutionId!.Value), out var d) && d == node.Depth - 1)
                .Select(e => e.ExecutionId!.Value).Distinct().Order().ToList();
            based.Add(new BasedOnArtifact(artifact, node.Depth / 2, via));
        }

        return based;
    }

    private static bool AlongWalk(EventType? type, LineageDirection direction) => direction switch
    {
        LineageDirection.Upstream => type is EventType.Input or EventType.DeclaredInput or EventType.InternalInput,
        LineageDirection.Downstream => type is EventType.Output or EventType.DeclaredOutput or EventType.InternalOutput or EventType.PendingOutput,
        _ => true,
    };

    /// <summary>
    /// The shortest lineage paths from one node to another (following events downstream, or upstream when the target is
    /// upstream), each path listing the nodes from <paramref name="from"/> to <paramref name="to"/>. Empty when they are not connected
    /// within <paramref name="maxDepth"/> edges.
    /// </summary>
    public static async Task<IReadOnlyList<IReadOnlyList<NodeRef>>> FindLineagePathsAsync(
        this IMetadataStore store, NodeRef from, NodeRef to, int maxDepth = 20, int maxPaths = 10, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        foreach (var direction in new[] { LineageDirection.Downstream, LineageDirection.Upstream })
        {
            var result = await store.GetLineageAsync(new LineageRequest
            {
                Start = [from],
                Direction = direction,
                MaxDepth = maxDepth,
                MaxNodes = 1_000_000,
            }, cancellationToken).ConfigureAwait(false);
            var depth = result.Nodes.ToDictionary(n => new NodeRef(n.Node.Kind, n.Node.Id!.Value), n => n.Depth);
            if (!depth.TryGetValue(to, out var targetDepth)) continue;

            // Walk back from the target through neighbours one level nearer the start.
            var neighbours = new Dictionary<NodeRef, List<NodeRef>>();
            foreach (var e in result.Events)
            {
                var a = NodeRef.Artifact(e.ArtifactId!.Value);
                var x = NodeRef.Execution(e.ExecutionId!.Value);
                Add(a, x);
                Add(x, a);
            }

            var paths = new List<IReadOnlyList<NodeRef>>();
            var stack = new List<NodeRef> { to };
            Walk(to, targetDepth);
            return paths;

            void Add(NodeRef key, NodeRef value)
            {
                if (!neighbours.TryGetValue(key, out var list)) neighbours[key] = list = [];
                if (!list.Contains(value)) list.Add(value);
            }

            void Walk(NodeRef node, int d)
            {
                if (paths.Count >= maxPaths) return;
                if (d == 0)
                {
                    if (node == from) paths.Add(Enumerable.Reverse(stack).ToList());
                    return;
                }

                foreach (var previous in neighbours.GetValueOrDefault(node, []).OrderBy(n => n.Kind).ThenBy(n => n.Id))
                {
                    if (!depth.TryGetValue(previous, out var pd) || pd != d - 1) continue;
                    stack.Add(previous);
                    Walk(previous, d - 1);
                    stack.RemoveAt(stack.Count - 1);
                }
            }
        }

        return [];
    }
}
