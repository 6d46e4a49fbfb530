using System.Data.Common;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Cairn.Store.Relational;

/// <summary>
/// Lineage traversal: breadth-first over events, one statement per hop for the whole frontier (never one per node),
/// with visited sets so cycles terminate. Serves both MLMD's <c>GetLineageSubgraph</c> and Cairn's lineage API.
/// </summary>
internal static class LineageOperations
{
    public const int MlmdMaxHops = 100;
    public const int MaxDepth = 1000;

    private static readonly IReadOnlySet<long> NoIds = new HashSet<long>();

    // Event types by what they say about the artifact (MLMD FilterEventsByDirectionAndEventType).
    private const string OutputTypes = "(1, 4, 6, 7)"; // DECLARED_OUTPUT, OUTPUT, INTERNAL_OUTPUT, PENDING_OUTPUT
    private const string InputTypes = "(2, 3, 5)";     // DECLARED_INPUT, INPUT, INTERNAL_INPUT

    /// <summary>What a traversal reached.</summary>
    internal sealed class Traversal
    {
        public Dictionary<long, int> Artifacts { get; } = [];

        public Dictionary<long, int> Executions { get; } = [];

        /// <summary>The edges followed, each once (an event is unique per artifact, execution and type).</summary>
        public List<EdgeRow> Edges { get; } = [];

        /// <summary>The distinct decoded paths of <see cref="Edges"/>, which refer to them by index.</summary>
        public List<IReadOnlyList<EventStep>> Paths { get; } = [[]];

        private readonly Dictionary<string, int> _pathIndex = new(StringComparer.Ordinal);

        public bool Truncated { get; set; }

        public List<NodeRef> Boundary { get; } = [];

        /// <summary>Starting nodes that an edge of the first hop touched, so they exist (events reference existing nodes).</summary>
        public HashSet<NodeRef> SeenStart { get; } = [];

        public int BoundaryDepth { get; set; }

        /// <summary>The index in <see cref="Paths"/> of a stored path text, decoding it on its first appearance.</summary>
        public int PathIndex(string text)
        {
            if (_pathIndex.TryGetValue(text, out var index)) return index;
            index = Paths.Count;
            Paths.Add(EdgeOperations.DecodePath(text));
            _pathIndex[text] = index;
            return index;
        }

        /// <summary>Drops every edge that does not join two returned nodes.</summary>
        public void KeepEdgesBetweenNodes() => Edges.RemoveAll(e => !Artifacts.ContainsKey(e.A) || !Executions.ContainsKey(e.X));
    }

    /// <summary>
    /// An edge the walk followed, as plain values. A large walk follows hundreds of thousands of edges: an object per edge
    /// held through the walk would be copied by every collection it survives, so <see cref="Event"/>s are built only for
    /// the answer.
    /// </summary>
    internal struct EdgeRow
    {
        public long A;
        public long X;
        public long Time;
        public int Type;
        public int Path; // index into Traversal.Paths; 0 is the empty path
    }

    /// <summary>Options of one traversal.</summary>
    internal sealed record TraversalOptions(
        LineageDirection Direction,
        int MaxHops,
        CompiledFilter? EndingArtifacts,
        bool IncludeEndingArtifacts,
        CompiledFilter? EndingExecutions,
        bool IncludeEndingExecutions,
        int MaxNodes);

    public static async Task<Traversal> TraverseAsync(
        Session s, IReadOnlyCollection<long> startArtifacts, IReadOnlyCollection<long> startExecutions, TraversalOptions o, CancellationToken ct)
    {
        var result = new Traversal();
        foreach (var a in startArtifacts) result.Artifacts[a] = 0;
        foreach (var x in startExecutions) result.Executions[x] = 0;
        List<long> frontierA = [.. startArtifacts], frontierX = [.. startExecutions];
        var fromArtifact = o.Direction switch
        {
            LineageDirection.Upstream => OutputTypes,
            LineageDirection.Downstream => InputTypes,
            _ => null,
        };
        var fromExecution = o.Direction switch
        {
            LineageDirection.Upstream => InputTypes,
            LineageDirection.Downstream => OutputTypes,
            _ => null,
        };

        // A directed walk reads each event at most once: a node is expanded once, and the event types read from artifacts and
        // from executions do not overlap. Both directions can read an event from either end, so that walk remembers them.
        var seenEvents = fromArtifact is null ? new HashSet<(long, long, int)>() : null;
        var pruned = false; // whether any reached node is left out of the answer, so edges must be checked against the nodes

        // Follows the events of one frontier; returns the nodes at their other ends reached for the first time.
        async Task<List<long>> FollowAsync(List<long> frontier, bool fromArtifacts, int hop)
        {
            var reached = new List<long>();
            if (frontier.Count == 0) return reached;
            var cmd = EventsCommand(s, fromArtifacts ? "artifact_id" : "execution_id", frontier, fromArtifacts ? fromArtifact : fromExecution);
            await using var r = await s.ReaderAsync(cmd, ct).ConfigureAwait(false);
            var (others, startKind) = fromArtifacts ? (result.Executions, NodeKind.Artifact) : (result.Artifacts, NodeKind.Execution);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                var e = ReadEdge(r, result);
                if (seenEvents is null || seenEvents.Add((e.A, e.X, e.Type))) result.Edges.Add(e);
                var (near, far) = fromArtifacts ? (e.A, e.X) : (e.X, e.A);
                if (others.TryAdd(far, hop)) reached.Add(far);
                if (hop == 1) result.SeenStart.Add(new NodeRef(startKind, near));
            }

            return reached;
        }

        for (var hop = 1; hop <= o.MaxHops && (frontierA.Count > 0 || frontierX.Count > 0); hop++)
        {
            var reachedBefore = result.Artifacts.Count + result.Executions.Count;
            var newX = await FollowAsync(frontierA, fromArtifacts: true, hop).ConfigureAwait(false);
            var newA = await FollowAsync(frontierX, fromArtifacts: false, hop).ConfigureAwait(false);

            // The node budget: keep the nearest nodes (artifacts, then executions, each in id order), report the rest as
            // the boundary to continue from.
            var room = o.MaxNodes - reachedBefore;
            if (newA.Count + newX.Count > room)
            {
                result.Truncated = true;
                result.BoundaryDepth = hop;
                pruned = true;
                newA.Sort();
                newX.Sort();
                foreach (var id in newA) result.Boundary.Add(NodeRef.Artifact(id));
                foreach (var id in newX) result.Boundary.Add(NodeRef.Execution(id));
                foreach (var n in result.Boundary.Skip(Math.Max(0, room)))
                {
                    if (n.Kind == NodeKind.Artifact) result.Artifacts.Remove(n.Id);
                    else result.Executions.Remove(n.Id);
                }

                break;
            }

            var endA = await MatchingAsync(s, NodeTable.Artifact, newA, o.EndingArtifacts, ct).ConfigureAwait(false);
            var endX = await MatchingAsync(s, NodeTable.Execution, newX, o.EndingExecutions, ct).ConfigureAwait(false);
            frontierA = newA;
            frontierX = newX;
            if (endA.Count > 0)
            {
                // An ending node is not walked past; one that is not returned stays in the map as reached (-1), so it is not
                // reached again.
                frontierA = newA.Where(id => !endA.Contains(id)).ToList();
                if (!o.IncludeEndingArtifacts)
                {
                    foreach (var id in endA) result.Artifacts[id] = -1;
                    pruned = true;
                }
            }

            if (endX.Count > 0)
            {
                frontierX = newX.Where(id => !endX.Contains(id)).ToList();
                if (!o.IncludeEndingExecutions)
                {
                    foreach (var id in endX) result.Executions[id] = -1;
                    pruned = true;
                }
            }
        }

        // Drop the ending nodes that are not returned, and every edge that does not join two returned nodes.
        if (pruned)
        {
            foreach (var id in result.Artifacts.Where(p => p.Value < 0).Select(p => p.Key).ToList()) result.Artifacts.Remove(id);
            foreach (var id in result.Executions.Where(p => p.Value < 0).Select(p => p.Key).ToList()) result.Executions.Remove(id);
            result.KeepEdgesBetweenNodes();
        }

        return result;
    }

    private static DbCommand EventsCommand(Session s, string column, List<long> ids, string? types)
    {
        var sql = $"SELECT artifact_id, execution_id, type, time, path FROM event WHERE {column} IN ({s.Dialect.ListSource("@ids")})"
            + (types is null ? string.Empty : " AND type IN " + types);
        var cmd = s.Command(sql);
        Session.Bind(cmd, "@ids", s.Dialect.IntList(ids));
        return cmd;
    }

    /// <summary>Maps a row of <c>artifact_id, execution_id, type, time, path</c>; paths are decoded once per distinct text.</summary>
    private static EdgeRow ReadEdge(DbDataReader r, Traversal t) => new()
    {
        A = r.GetInt64(0),
        X = r.GetInt64(1),
        Type = r.GetInt32(2),
        Time = r.GetInt64(3),
        Path = r.IsDBNull(4) ? 0 : t.PathIndex(r.GetString(4)),
    };

    /// <summary>The ids of <paramref name="ids"/> that match <paramref name="filter"/>, in one statement.</summary>
    public static async Task<IReadOnlySet<long>> MatchingAsync(Session s, NodeTable table, IReadOnlyCollection<long> ids, CompiledFilter? filter, CancellationToken ct)
    {
        if (filter is null || ids.Count == 0) return NoIds;
        var cmd = s.Command($"SELECT n.id FROM {table.From}{filter.Join} WHERE n.id IN ({s.Dialect.ListSource("@lineage_ids")}) AND {filter.Where}");
        Session.Bind(cmd, "@lineage_ids", s.Dialect.IntList(ids));
        filter.Bind(cmd);
        return (await s.QueryAsync(cmd, r => r.GetInt64(0), ct).ConfigureAwait(false)).ToHashSet();
    }

    /// <summary>Ids of every node matching a filter query, in id order.</summary>
    public static async Task<List<long>> SelectIdsAsync(Session s, NodeTable table, CompiledFilter filter, CancellationToken ct)
    {
        var cmd = s.Command($"SELECT n.id FROM {table.From}{filter.Join} WHERE {filter.Where} ORDER BY n.id");
        filter.Bind(cmd);
        return await s.QueryAsync(cmd, r => r.GetInt64(0), ct).ConfigureAwait(false);
    }

    // ------------------------------------------------------------------ MLMD GetLineageSubgraph

    public static async Task<LineageGraph> GetLineageSubgraphAsync(Session s, LineageSubgraphQuery q, IReadOnlyCollection<string>? readMask, CancellationToken ct)
    {
        if (q.StartingNodeKind is not (NodeKind.Artifact or NodeKind.Execution)) throw new InvalidArgumentException(Messages.LineageNoStartingNodes);
        if (string.IsNullOrWhiteSpace(q.StartingFilterQuery)) throw new InvalidArgumentException(Messages.LineageEmptyStartingFilter);
        if (q.MaxNumHops < 0) throw new InvalidArgumentException(Messages.LineageNegativeHops(q.MaxNumHops.Value));
        var hops = (int)Math.Min(q.MaxNumHops ?? MlmdMaxHops, MlmdMaxHops);

        var startTable = NodeTable.For(q.StartingNodeKind.Value);
        var startFilter = FilterCompiler.Compile(q.StartingFilterQuery, startTable, s.Dialect)!;
        var endingA = q.EndingArtifacts is { FilterQuery.Length: > 0 } ea ? FilterCompiler.Compile(ea.FilterQuery, NodeTable.Artifact, s.Dialect) : null;
        var endingX = q.EndingExecutions is { FilterQuery.Length: > 0 } ex ? FilterCompiler.Compile(ex.FilterQuery, NodeTable.Execution, s.Dialect) : null;

        var start = await SelectIdsAsync(s, startTable, startFilter, ct).ConfigureAwait(false);
        // Starting nodes that are also ending nodes of their kind are dropped, as MLMD does.
        var startEnding = await MatchingAsync(s, startTable, start, startTable.Kind == NodeKind.Artifact ? endingA : endingX, ct).ConfigureAwait(false);
        start.RemoveAll(startEnding.Contains);
        if (start.Count == 0) throw new NotFoundException(Messages.LineageNoQualifiedNodes);

        var traversal = await TraverseAsync(s,
            startTable.Kind == NodeKind.Artifact ? start : [],
            startTable.Kind == NodeKind.Execution ? start : [],
            new TraversalOptions(q.Direction, hops, endingA, q.EndingArtifacts?.IncludeEndingNodes ?? false,
                endingX, q.EndingExecutions?.IncludeEndingNodes ?? false, int.MaxValue), ct).ConfigureAwait(false);

        var mask = readMask is null || readMask.Count == 0 ? LineageGraphFields.All : readMask;
        return await HydrateAsync(s, traversal, new HashSet<string>(mask, StringComparer.Ordinal), ct).ConfigureAwait(false);
    }

    /// <summary>Reads the parts of the graph the mask names: each part costs one or two set statements, whatever its size.</summary>
    private static async Task<LineageGraph> HydrateAsync(Session s, Traversal t, HashSet<string> mask, CancellationToken ct)
    {
        var artifactIds = t.Artifacts.Keys.Order().ToList();
        var executionIds = t.Executions.Keys.Order().ToList();
        bool Wants(string field) => mask.Contains(field);

        var artifacts = Wants("artifacts") || Wants("artifact_types")
            ? await NodeOperations.LoadByIdsAsync(s, NodeTable.Artifact, artifactIds, ct).ConfigureAwait(false) : [];
        var executions = Wants("executions") || Wants("execution_types")
            ? await NodeOperations.LoadByIdsAsync(s, NodeTable.Execution, executionIds, ct).ConfigureAwait(false) : [];

        List<(long Context, long Member)> attributions = [], associations = [];
        if (Wants("attributions") || Wants("contexts") || Wants("context_types"))
            attributions = await MembershipsAsync(s, "attribution", "artifact_id", artifactIds, ct).ConfigureAwait(false);
        if (Wants("associations") || Wants("contexts") || Wants("context_types"))
            associations = await MembershipsAsync(s, "association", "execution_id", executionIds, ct).ConfigureAwait(false);
        var contextIds = attributions.Select(p => p.Context).Concat(associations.Select(p => p.Context)).Distinct().Order().ToList();
        var contexts = Wants("contexts") || Wants("context_types")
            ? await NodeOperations.LoadByIdsAsync(s, NodeTable.Context, contextIds, ct).ConfigureAwait(false) : [];

        var typeIds = new List<long>();
        if (Wants("artifact_types")) typeIds.AddRange(artifacts.Select(n => n.TypeId!.Value));
        if (Wants("execution_types")) typeIds.AddRange(executions.Select(n => n.TypeId!.Value));
        if (Wants("context_types")) typeIds.AddRange(contexts.Select(n => n.TypeId!.Value));
        typeIds = typeIds.Distinct().ToList();
        var types = typeIds.Count == 0 ? [] : await TypeOperations.LoadAsync(s, $"WHERE t.id IN ({s.Dialect.ListSource("@ids")})",
            c => Session.Bind(c, "@ids", s.Dialect.IntList(typeIds)), ct).ConfigureAwait(false);

        return new LineageGraph
        {
            Artifacts = Wants("artifacts") ? artifacts.Select(n => (Artifact)n.ToNode(NodeKind.Artifact)).ToList() : [],
            Executions = Wants("executions") ? executions.Select(n => (Execution)n.ToNode(NodeKind.Execution)).ToList() : [],
            Contexts = Wants("contexts") ? contexts.Select(n => (Context)n.ToNode(NodeKind.Context)).ToList() : [],
            ArtifactTypes = types.Where(x => x.Kind == NodeKind.Artifact).Select(x => (ArtifactType)x.ToPublic()).ToList(),
            ExecutionTypes = types.Where(x => x.Kind == NodeKind.Execution).Select(x => (ExecutionType)x.ToPublic()).ToList(),
            ContextTypes = types.Where(x => x.Kind == NodeKind.Context).Select(x => (ContextType)x.ToPublic()).ToList(),
            Events = Wants("events") ? OrderedEvents(t) : [],
            Attributions = Wants("attributions") ? attributions.Select(p => new Attribution(p.Context, p.Member)).ToList() : [],
            Associations = Wants("associations") ? associations.Select(p => new Association(p.Context, p.Member)).ToList() : [],
        };
    }

    // Large walks return hundreds of thousands of edges: where the ids allow, each sort key is packed into one long, and a
    // primitive sort runs several times faster than one comparing tuples.
    private const long PackedIdLimit = 1L << 30;

    private static List<Event> OrderedEvents(Traversal t)
    {
        var rows = CollectionsMarshal.AsSpan(t.Edges);
        var packed = new long[rows.Length];
        var fits = true;
        for (var i = 0; i < rows.Length; i++)
        {
            ref readonly var e = ref rows[i];
            fits &= e.X is >= 0 and < PackedIdLimit && e.A is >= 0 and < PackedIdLimit && e.Type is >= 0 and < 8;
            packed[i] = (e.X << 33) | (e.A << 3) | (long)e.Type;
        }

        if (fits)
        {
            packed.AsSpan().Sort(rows); // execution, then artifact, then type
        }
        else
        {
            var keys = t.Edges.Select(e => (e.X, e.A, e.Type)).ToArray();
            keys.AsSpan().Sort(rows);
        }

        var events = new List<Event>(rows.Length);
        foreach (ref readonly var e in rows)
        {
            events.Add(new Event
            {
                ArtifactId = e.A,
                ExecutionId = e.X,
                Type = (EventType)e.Type,
                MillisecondsSinceEpoch = e.Time,
                Path = t.Paths[e.Path],
            });
        }

        return events;
    }

    /// <summary>Nodes nearest first, then artifacts before executions, then by id.</summary>
    private static List<LineageNode> OrderedNodes(List<LineageNode> nodes)
    {
        var packed = new long[nodes.Count];
        var fits = true;
        for (var i = 0; i < nodes.Count; i++)
        {
            var (depth, kind, id) = (nodes[i].Depth, (long)nodes[i].Node.Kind, nodes[i].Node.Id!.Value);
            fits &= depth is >= 0 and <= MaxDepth && id is >= 0 and < 1L << 40;
            packed[i] = ((long)depth << 42) | (kind << 40) | id;
        }

        if (fits)
        {
            packed.AsSpan().Sort(CollectionsMarshal.AsSpan(nodes));
            return nodes;
        }

        nodes.Sort(static (x, y) =>
        {
            var c = x.Depth.CompareTo(y.Depth);
            if (c == 0) c = x.Node.Kind.CompareTo(y.Node.Kind);
            return c != 0 ? c : x.Node.Id!.Value.CompareTo(y.Node.Id!.Value);
        });
        return nodes;
    }

    private static async Task<List<(long Context, long Member)>> MembershipsAsync(Session s, string table, string column, List<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        var cmd = s.Command($"SELECT context_id, {column} FROM {table} WHERE {column} IN ({s.Dialect.ListSource("@ids")}) ORDER BY context_id, {column}");
        Session.Bind(cmd, "@ids", s.Dialect.IntList(ids));
        return await s.QueryAsync(cmd, r => (r.GetInt64(0), r.GetInt64(1)), ct).ConfigureAwait(false);
    }

    // ------------------------------------------------------------------ Cairn's lineage API

    public static async Task<LineageResult> GetLineageAsync(Session s, LineageRequest request, CancellationToken ct)
    {
        var start = request.Start;
        var depth = request.MaxDepth;
        var direction = request.Direction;
        if (!string.IsNullOrEmpty(request.ContinuationToken))
        {
            (start, depth, direction) = DecodeToken(request.ContinuationToken);
        }

        if (start.Count == 0) throw new InvalidArgumentException(Messages.LineageStartEmpty);
        if (start.FirstOrDefault(n => n.Kind is not (NodeKind.Artifact or NodeKind.Execution)) is { Kind: NodeKind.Context } bad)
            throw new InvalidArgumentException(Messages.LineageStartKind(bad.Kind));
        if (depth is < 0 or > MaxDepth) throw new InvalidArgumentException(Messages.LineageDepthOutOfRange(depth, MaxDepth));
        if (request.MaxNodes < 1) throw new InvalidArgumentException(Messages.LineageBudgetInvalid(request.MaxNodes));

        var startA = start.Where(n => n.Kind == NodeKind.Artifact).Select(n => n.Id).Distinct().ToList();
        var startX = start.Where(n => n.Kind == NodeKind.Execution).Select(n => n.Id).Distinct().ToList();
        var stopA = FilterCompiler.Compile(request.StopAtArtifacts, NodeTable.Artifact, s.Dialect);
        var stopX = FilterCompiler.Compile(request.StopAtExecutions, NodeTable.Execution, s.Dialect);
        var t = await TraverseAsync(s, startA, startX,
            new TraversalOptions(direction, depth, stopA, true, stopX, true, Math.Max(request.MaxNodes, startA.Count + startX.Count)), ct).ConfigureAwait(false);

        // Every starting node must exist. One that an edge of the first hop touched does (events reference existing
        // nodes); the others are looked up, in one statement per kind, only when there are any.
        var uncheckedA = startA.Where(id => !t.SeenStart.Contains(NodeRef.Artifact(id))).ToList();
        var uncheckedX = startX.Where(id => !t.SeenStart.Contains(NodeRef.Execution(id))).ToList();
        var missing = new List<string>();
        if (await EdgeOperations.FirstMissingAsync(s, "artifact", uncheckedA, ct).ConfigureAwait(false) is not null)
            missing.AddRange(await MissingAsync(s, "artifact", uncheckedA, ct).ConfigureAwait(false));
        if (await EdgeOperations.FirstMissingAsync(s, "execution", uncheckedX, ct).ConfigureAwait(false) is not null)
            missing.AddRange(await MissingAsync(s, "execution", uncheckedX, ct).ConfigureAwait(false));
        if (missing.Count > 0) throw new NotFoundException(Messages.LineageStartNotFound(string.Join(", ", missing)));

        // Include filters narrow what is returned, not what is walked; starting nodes are always returned.
        if (request.OnlyArtifacts is { Length: > 0 } || request.OnlyExecutions is { Length: > 0 })
        {
            await KeepOnlyAsync(s, NodeTable.Artifact, t.Artifacts, request.OnlyArtifacts, ct).ConfigureAwait(false);
            await KeepOnlyAsync(s, NodeTable.Execution, t.Executions, request.OnlyExecutions, ct).ConfigureAwait(false);
            t.KeepEdgesBetweenNodes();
        }

        var reached = new List<LineageNode>(t.Artifacts.Count + t.Executions.Count);
        if (request.IdsOnly)
        {
            foreach (var (id, d) in t.Artifacts) reached.Add(new LineageNode(new Artifact { Id = id }, d));
            foreach (var (id, d) in t.Executions) reached.Add(new LineageNode(new Execution { Id = id }, d));
        }
        else
        {
            var artifacts = await NodeOperations.LoadByIdsAsync(s, NodeTable.Artifact, t.Artifacts.Keys.ToList(), ct).ConfigureAwait(false);
            var executions = await NodeOperations.LoadByIdsAsync(s, NodeTable.Execution, t.Executions.Keys.ToList(), ct).ConfigureAwait(false);
            foreach (var n in artifacts) reached.Add(new LineageNode(n.ToNode(NodeKind.Artifact), t.Artifacts[n.Id!.Value]));
            foreach (var n in executions) reached.Add(new LineageNode(n.ToNode(NodeKind.Execution), t.Executions[n.Id!.Value]));
        }

        var nodes = OrderedNodes(reached);
        return new LineageResult
        {
            Nodes = nodes,
            Events = OrderedEvents(t),
            Truncated = t.Truncated,
            ContinuationToken = t.Truncated ? EncodeToken(t.Boundary, depth - t.BoundaryDepth, direction) : null,
        };
    }

    private static async Task KeepOnlyAsync(Session s, NodeTable table, Dictionary<long, int> nodes, string? filterQuery, CancellationToken ct)
    {
        if (FilterCompiler.Compile(filterQuery, table, s.Dialect) is not { } filter) return;
        var keep = await MatchingAsync(s, table, nodes.Where(p => p.Value > 0).Select(p => p.Key).ToList(), filter, ct).ConfigureAwait(false);
        foreach (var id in nodes.Where(p => p.Value > 0 && !keep.Contains(p.Key)).Select(p => p.Key).ToList()) nodes.Remove(id);
    }

    private static async Task<List<string>> MissingAsync(Session s, string table, List<long> ids, CancellationToken ct)
    {
        var cmd = s.Command($"SELECT id FROM {table} WHERE id IN ({s.Dialect.ListSource("@ids")})");
        Session.Bind(cmd, "@ids", s.Dialect.IntList(ids));
        var found = (await s.QueryAsync(cmd, r => r.GetInt64(0), ct).ConfigureAwait(false)).ToHashSet();
        return ids.Where(id => !found.Contains(id)).Select(id => $"{table} {id}").ToList();
    }

    private static string EncodeToken(List<NodeRef> boundary, int depth, LineageDirection direction)
    {
        var text = new StringBuilder("l1|").Append((int)direction).Append('|').Append(depth.ToString(CultureInfo.InvariantCulture)).Append('|');
        text.AppendJoin(',', boundary.Select(n => (n.Kind == NodeKind.Artifact ? "a" : "x") + n.Id.ToString(CultureInfo.InvariantCulture)));
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(text.ToString())).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static (IReadOnlyList<NodeRef> Start, int Depth, LineageDirection Direction) DecodeToken(string token)
    {
        try
        {
            var b64 = token.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=');
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(b64)).Split('|');
            if (parts.Length != 4 || parts[0] != "l1") throw new FormatException();
            var direction = (LineageDirection)int.Parse(parts[1], CultureInfo.InvariantCulture);
            var depth = int.Parse(parts[2], CultureInfo.InvariantCulture);
            var start = parts[3].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => p[0] switch
            {
                'a' => NodeRef.Artifact(long.Parse(p.AsSpan(1), CultureInfo.InvariantCulture)),
                'x' => NodeRef.Execution(long.Parse(p.AsSpan(1), CultureInfo.InvariantCulture)),
                _ => throw new FormatException(),
            }).ToList();
            return (start, depth, direction);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or IndexOutOfRangeException)
        {
            throw new InvalidArgumentException(Messages.LineageTokenInvalid, e);
        }
    }
}
