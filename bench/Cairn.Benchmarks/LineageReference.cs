using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Cairn.Benchmarks.Workloads;

namespace Cairn.Benchmarks;

/// <summary>How the hand-written references bind a list of ids on one engine.</summary>
/// <param name="Name">sqlite or postgres.</param>
/// <param name="In">SQL for "column is one of the ids bound to the parameter".</param>
/// <param name="Ids">The value to bind for a list of ids.</param>
/// <param name="Cte">The recursive CTE: (kind 0 artifact / 1 execution, id, depth) reached from @start within @hops edges.</param>
internal sealed record RawIdLists(string Name, Func<string, string, string> In, Func<IReadOnlyCollection<long>, object> Ids, Func<string, string, string> Cte)
{
    /// <summary>SQLite: a JSON array expanded with <c>json_each</c>; the CTE has one recursive SELECT per node kind.</summary>
    public static RawIdLists Sqlite { get; } = new("sqlite",
        (column, p) => $"{column} IN (SELECT value FROM json_each({p}))",
        ids => JsonSerializer.Serialize(ids),
        (fromArtifact, fromExecution) => $"""
            WITH RECURSIVE r(kind, id, d) AS (
              SELECT 0, @start, 0
              UNION SELECT 1, e.execution_id, r.d + 1 FROM r JOIN event e ON e.artifact_id = r.id WHERE r.kind = 0 AND r.d < @hops AND e.type IN {fromArtifact}
              UNION SELECT 0, e.artifact_id, r.d + 1 FROM r JOIN event e ON e.execution_id = r.id WHERE r.kind = 1 AND r.d < @hops AND e.type IN {fromExecution})
            SELECT kind, id, MIN(d) FROM r GROUP BY kind, id
            """);

    /// <summary>PostgreSQL: an int8[] parameter with <c>= ANY</c>; the CTE expands both kinds in one LATERAL step.</summary>
    public static RawIdLists Postgres { get; } = new("postgres",
        (column, p) => $"{column} = ANY({p})",
        ids => ids.ToArray(),
        (fromArtifact, fromExecution) => $"""
            WITH RECURSIVE r(kind, id, d) AS (
              SELECT 0, @start::bigint, 0
              UNION
              SELECT s.kind, s.id, r.d + 1 FROM r CROSS JOIN LATERAL (
                SELECT 1 AS kind, e.execution_id AS id FROM event e WHERE r.kind = 0 AND e.artifact_id = r.id AND e.type IN {fromArtifact}
                UNION ALL
                SELECT 0, e.artifact_id FROM event e WHERE r.kind = 1 AND e.execution_id = r.id AND e.type IN {fromExecution}) s
              WHERE r.d < @hops)
            SELECT kind, id, MIN(d) FROM r GROUP BY kind, id
            """);
}

/// <summary>What a reference lineage traversal returns: the nodes with depth, their rows and properties, the events between them.</summary>
internal sealed record RawLineage(Dictionary<long, int> Artifacts, Dictionary<long, int> Executions, List<RawNode> Nodes, int Events)
{
    public int NodeCount => Artifacts.Count + Executions.Count;
}

/// <summary>
/// The hand-written lineage references (W11, W14): a batched breadth-first search (one statement per hop for the whole
/// frontier) or a recursive CTE, then the same hydration as the store's answer (node rows with type names and properties,
/// and the events the traversal followed between returned nodes).
/// </summary>
internal sealed class LineageReference(DbConnection connection, RawIdLists lists) : IDisposable
{
    public const string OutputTypes = "(1, 4, 6, 7)";
    public const string InputTypes = "(2, 3, 5)";

    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

    public static (string FromArtifact, string FromExecution) Types(LineageDirection direction) =>
        direction == LineageDirection.Upstream ? (OutputTypes, InputTypes) : (InputTypes, OutputTypes);

    private DbCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }

        command.Parameters.Clear();
        return command;
    }

    private static void Bind(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }

    /// <summary>Batched BFS: per hop, one statement for the artifact frontier and one for the execution frontier.</summary>
    public RawLineage Bfs(long start, int hops, LineageDirection direction, bool hydrate = true)
    {
        var (fromArtifact, fromExecution) = Types(direction);
        var artifacts = new Dictionary<long, int> { [start] = 0 };
        var executions = new Dictionary<long, int>();
        var events = new HashSet<(long A, long X, int T)>();
        List<long> frontierA = [start], frontierX = [];
        for (var hop = 1; hop <= hops && (frontierA.Count > 0 || frontierX.Count > 0); hop++)
        {
            List<long> nextA = [], nextX = [];
            if (frontierA.Count > 0)
            {
                foreach (var e in Events("artifact_id", frontierA, fromArtifact))
                {
                    events.Add(e);
                    if (executions.TryAdd(e.X, hop)) nextX.Add(e.X);
                }
            }

            if (frontierX.Count > 0)
            {
                foreach (var e in Events("execution_id", frontierX, fromExecution))
                {
                    events.Add(e);
                    if (artifacts.TryAdd(e.A, hop)) nextA.Add(e.A);
                }
            }

            frontierA = nextA;
            frontierX = nextX;
        }

        return hydrate ? Hydrate(artifacts, executions, events.Count) : new RawLineage(artifacts, executions, [], events.Count);
    }

    /// <summary>Recursive CTE for the nodes and depths, then the events between them in one statement.</summary>
    public RawLineage Cte(long start, int hops, LineageDirection direction, bool hydrate = true)
    {
        var (fromArtifact, fromExecution) = Types(direction);
        var cte = Command(lists.Cte(fromArtifact, fromExecution));
        Bind(cte, "@start", start);
        Bind(cte, "@hops", hops);
        var artifacts = new Dictionary<long, int>();
        var executions = new Dictionary<long, int>();
        using (var r = cte.ExecuteReader())
        {
            while (r.Read())
            {
                var depth = Convert.ToInt32(r.GetValue(2), CultureInfo.InvariantCulture);
                if (Convert.ToInt32(r.GetValue(0), CultureInfo.InvariantCulture) == 0) artifacts[r.GetInt64(1)] = depth;
                else executions[r.GetInt64(1)] = depth;
            }
        }

        // The events the BFS would have followed: out of a returned node that was expanded (depth < hops), into a returned node.
        var events = 0;
        var fromA = Codes(fromArtifact);
        var fromX = Codes(fromExecution);
        foreach (var (a, x, t) in Events("artifact_id", [.. artifacts.Keys], null))
        {
            if (!executions.TryGetValue(x, out var dx)) continue;
            if ((fromA.Contains(t) && artifacts[a] < hops) || (fromX.Contains(t) && dx < hops)) events++;
        }

        return hydrate ? Hydrate(artifacts, executions, events) : new RawLineage(artifacts, executions, [], events);
    }

    private static HashSet<int> Codes(string list) =>
        [.. list.Trim('(', ')').Split(',').Select(s => int.Parse(s.Trim(), CultureInfo.InvariantCulture))];

    private List<(long A, long X, int T)> Events(string column, List<long> ids, string? types)
    {
        var command = Command($"SELECT artifact_id, execution_id, type, time, path FROM event WHERE {lists.In(column, "@ids")}"
            + (types is null ? string.Empty : " AND type IN " + types));
        Bind(command, "@ids", lists.Ids(ids));
        var rows = new List<(long, long, int)>();
        using var r = command.ExecuteReader();
        while (r.Read())
        {
            // Every column is materialized, as the store does.
            _ = r.GetInt64(3);
            _ = r.IsDBNull(4) ? null : r.GetString(4);
            rows.Add((r.GetInt64(0), r.GetInt64(1), r.GetInt32(2)));
        }

        return rows;
    }

    private RawLineage Hydrate(Dictionary<long, int> artifacts, Dictionary<long, int> executions, int events)
    {
        var nodes = Load("artifact", ", n.uri, n.state", [.. artifacts.Keys]);
        nodes.AddRange(Load("execution", ", NULL, n.state", [.. executions.Keys]));
        return new RawLineage(artifacts, executions, nodes, events);
    }

    /// <summary>Node rows (joined with their type for its name) and their properties, two statements for the whole set.</summary>
    private List<RawNode> Load(string table, string extra, List<long> ids)
    {
        var nodes = new List<RawNode>(ids.Count);
        if (ids.Count == 0) return nodes;
        var list = lists.Ids(ids);
        var command = Command($"SELECT n.id, n.type_id, t.name, n.name, n.external_id, n.create_time, n.update_time{extra} FROM {table} n JOIN type t ON t.id = n.type_id WHERE {lists.In("n.id", "@ids")} ORDER BY n.id");
        Bind(command, "@ids", list);
        var byId = new Dictionary<long, RawNode>(ids.Count);
        using (var r = command.ExecuteReader())
        {
            while (r.Read())
            {
                var node = new RawNode
                {
                    Id = r.GetInt64(0),
                    TypeId = r.GetInt64(1),
                    TypeName = r.GetString(2),
                    Name = r.IsDBNull(3) ? null : r.GetString(3),
                    ExternalId = r.IsDBNull(4) ? null : r.GetString(4),
                    CreateTime = r.GetInt64(5),
                    UpdateTime = r.GetInt64(6),
                    Uri = r.IsDBNull(7) ? null : r.GetString(7),
                    State = r.IsDBNull(8) ? null : Convert.ToInt64(r.GetValue(8), CultureInfo.InvariantCulture),
                };
                nodes.Add(node);
                byId[node.Id] = node;
            }
        }

        var properties = Command($"SELECT node_id, is_custom, name, kind, int_value, double_value, string_value, bytes_value FROM {table}_property WHERE {lists.In("node_id", "@ids")}");
        Bind(properties, "@ids", list);
        using (var r = properties.ExecuteReader())
        {
            while (r.Read())
            {
                object? value = r.GetInt32(3) switch
                {
                    (int)ValueKind.Int or (int)ValueKind.Bool => r.GetInt64(4),
                    (int)ValueKind.Double => r.GetDouble(5),
                    (int)ValueKind.String or (int)ValueKind.Struct => r.GetString(6),
                    _ => null,
                };
                byId[r.GetInt64(0)].Values.Add((r.GetString(2), Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture) != 0, value));
            }
        }

        return nodes;
    }

    public void Dispose()
    {
        foreach (var c in _commands.Values) c.Dispose();
    }
}

/// <summary>
/// The in-memory floor (W11, for information): the event graph as four compressed sparse rows (artifact → executions and
/// execution → artifacts, per direction), walked breadth-first with arrays.
/// </summary>
internal sealed class CsrGraph
{
    private readonly (int[] Offsets, int[] Targets) _upA, _upX, _downA, _downX;
    private readonly int[] _seenA, _seenX;
    private int _stamp;

    private CsrGraph(List<(long A, long X, int T)> events, int maxArtifact, int maxExecution)
    {
        var output = LineageReferenceCodes.Output;
        _upA = Build(events.Where(e => output.Contains(e.T)).Select(e => ((int)e.A, (int)e.X)), maxArtifact);
        _upX = Build(events.Where(e => !output.Contains(e.T)).Select(e => ((int)e.X, (int)e.A)), maxExecution);
        _downA = Build(events.Where(e => !output.Contains(e.T)).Select(e => ((int)e.A, (int)e.X)), maxArtifact);
        _downX = Build(events.Where(e => output.Contains(e.T)).Select(e => ((int)e.X, (int)e.A)), maxExecution);
        _seenA = new int[maxArtifact + 1];
        _seenX = new int[maxExecution + 1];
    }

    public static CsrGraph Load(DbConnection connection)
    {
        var events = new List<(long, long, int)>();
        long maxA = 0, maxX = 0;
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT artifact_id, execution_id, type FROM event";
        using (var r = command.ExecuteReader())
        {
            while (r.Read())
            {
                var e = (r.GetInt64(0), r.GetInt64(1), r.GetInt32(2));
                events.Add(e);
                maxA = Math.Max(maxA, e.Item1);
                maxX = Math.Max(maxX, e.Item2);
            }
        }

        return new CsrGraph(events, (int)maxA, (int)maxX);
    }

    private static (int[], int[]) Build(IEnumerable<(int Src, int Dst)> edges, int max)
    {
        var list = edges.ToList();
        var offsets = new int[max + 2];
        foreach (var (src, _) in list) offsets[src + 1]++;
        for (var i = 1; i < offsets.Length; i++) offsets[i] += offsets[i - 1];
        var targets = new int[list.Count];
        var fill = (int[])offsets.Clone();
        foreach (var (src, dst) in list) targets[fill[src]++] = dst;
        return (offsets, targets);
    }

    /// <summary>Nodes reached from artifact <paramref name="start"/> within <paramref name="hops"/> edges (the start included).</summary>
    public int Bfs(long start, int hops, LineageDirection direction)
    {
        var (fromA, fromX) = direction == LineageDirection.Upstream ? (_upA, _upX) : (_downA, _downX);
        _stamp++;
        var frontier = new List<int> { (int)start };
        var next = new List<int>();
        _seenA[start] = _stamp;
        var count = 1;
        var artifacts = true;
        for (var hop = 1; hop <= hops && frontier.Count > 0; hop++)
        {
            next.Clear();
            var (offsets, targets) = artifacts ? fromA : fromX;
            var seen = artifacts ? _seenX : _seenA;
            foreach (var node in frontier)
            {
                if (node + 1 >= offsets.Length) continue;
                for (var i = offsets[node]; i < offsets[node + 1]; i++)
                {
                    var t = targets[i];
                    if (seen[t] == _stamp) continue;
                    seen[t] = _stamp;
                    next.Add(t);
                }
            }

            count += next.Count;
            (frontier, next) = (next, frontier);
            artifacts = !artifacts;
        }

        return count;
    }
}

internal static class LineageReferenceCodes
{
    public static HashSet<int> Output { get; } = [1, 4, 6, 7];
}
