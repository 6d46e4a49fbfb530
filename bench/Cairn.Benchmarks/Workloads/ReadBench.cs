using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Cairn.Benchmarks.Workloads;

/// <summary>The A/B loop of the read workloads: the same pre-drawn arguments for both sides, one call timed at a time.</summary>
internal static class ReadBench
{
    /// <summary>Calls per round of the heavy reads (100 rows and their properties) are divided by this.</summary>
    public const int HeavyDivisor = 5;

    public static async Task<WorkloadResult> RunAsync<T>(
        BenchContext context, SutStore sut, string workload, string title, double goal, int seedOffset,
        Func<Random, T> draw, Action<T> reference, Func<T, CancellationToken, Task> call, int? statementsGoal, CancellationToken cancellationToken,
        string? notes = null, int opsDivisor = 1)
    {
        var size = context.Size;
        var ops = Math.Max(10, size.ReadOpsPerRound / opsDivisor);
        var rng = new Random(context.Config.Seed + seedOffset);
        List<T> args = [];
        var statements = new StatementTally();
        var outcome = await AbRunner.RunAsync(size.Rounds,
            _ => args = Enumerable.Range(0, ops).Select(_ => draw(rng)).ToList(),
            (_, sample, _) =>
            {
                foreach (var a in args)
                {
                    var start = Stopwatch.GetTimestamp();
                    reference(a);
                    sample.Record(start);
                }

                return Task.CompletedTask;
            },
            async (_, sample, ct) =>
            {
                foreach (var a in args)
                {
                    var start = Stopwatch.GetTimestamp();
                    await call(a, ct).ConfigureAwait(false);
                    sample.Record(start);
                    statements.Add(sut.LastCallStatements);
                }
            },
            cancellationToken).ConfigureAwait(false);
        return WorkloadResult.FromOutcome(workload, title, size, "p50 latency", goal, Better.Lower, outcome, "calls", statements, statementsGoal, notes);
    }
}

/// <summary>A node row and its property values as the reference reads them (every column materialized).</summary>
internal sealed class RawNode
{
    public long Id { get; init; }

    public long TypeId { get; init; }

    public string TypeName { get; init; } = string.Empty;

    public string? Name { get; init; }

    public string? ExternalId { get; init; }

    public long CreateTime { get; init; }

    public long UpdateTime { get; init; }

    public string? Uri { get; init; }

    public long? State { get; init; }

    public List<(string Name, bool Custom, object? Value)> Values { get; } = [];

    /// <summary>Tags and owners.</summary>
    public List<string> Labels { get; } = [];
}

/// <summary>
/// The reference reader: hand-written prepared SELECTs on the same schema (node row, then its properties with its tags and
/// owners, which are part of a node since schema version 5, in one UNION ALL as a person would write it).
/// </summary>
internal sealed class RawReader : IDisposable
{
    public const string Columns = "n.id, n.type_id, t.name, n.name, n.external_id, n.create_time, n.update_time, n.uri, n.state";
    public const string From = "artifact n JOIN type t ON t.id = n.type_id";
    public const int MaxIds = 101;

    private readonly SqliteCommand _propertiesOne;
    private readonly SqliteCommand _propertiesMany;
    private readonly List<SqliteCommand> _owned = [];

    public RawReader(SqliteConnection connection)
    {
        Connection = connection;
        _propertiesOne = Prepare(
            "SELECT node_id, is_custom, name, kind, int_value, double_value, string_value, bytes_value FROM artifact_property WHERE node_id = $id " +
            "UNION ALL SELECT node_id, 1 + label, value, 0, NULL, NULL, NULL, NULL FROM artifact_label WHERE node_id = $id",
            "$id");
        _propertiesMany = Prepare(
            $"SELECT node_id, is_custom, name, kind, int_value, double_value, string_value, bytes_value FROM artifact_property WHERE node_id IN ({RawSqlite.InList(MaxIds)}) " +
            $"UNION ALL SELECT node_id, 1 + label, value, 0, NULL, NULL, NULL, NULL FROM artifact_label WHERE node_id IN ({RawSqlite.InList(MaxIds)})",
            RawSqlite.InParameters(MaxIds));
    }

    public SqliteConnection Connection { get; }

    public SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = RawSqlite.Prepare(Connection, sql, parameters);
        _owned.Add(command);
        return command;
    }

    /// <summary>Runs a prepared node query, then loads the properties of the rows (at most <paramref name="keep"/> of them).</summary>
    public List<RawNode> Nodes(SqliteCommand command, int keep = int.MaxValue)
    {
        var nodes = new List<RawNode>();
        using (var r = command.ExecuteReader())
        {
            while (r.Read() && nodes.Count < keep)
            {
                nodes.Add(new RawNode
                {
                    Id = r.GetInt64(0),
                    TypeId = r.GetInt64(1),
                    TypeName = r.GetString(2),
                    Name = r.IsDBNull(3) ? null : r.GetString(3),
                    ExternalId = r.IsDBNull(4) ? null : r.GetString(4),
                    CreateTime = r.GetInt64(5),
                    UpdateTime = r.GetInt64(6),
                    Uri = r.IsDBNull(7) ? null : r.GetString(7),
                    State = r.IsDBNull(8) ? null : r.GetInt64(8),
                });
            }
        }

        Properties(nodes);
        return nodes;
    }

    private void Properties(List<RawNode> nodes)
    {
        if (nodes.Count == 0) return;
        SqliteCommand command;
        if (nodes.Count == 1)
        {
            command = _propertiesOne;
            command.Parameters[0].Value = nodes[0].Id;
        }
        else
        {
            if (nodes.Count > MaxIds) throw new InvalidOperationException("The reference reads at most 101 nodes at a time.");
            command = _propertiesMany;
            for (var i = 0; i < MaxIds; i++) command.Parameters[i].Value = i < nodes.Count ? nodes[i].Id : 0L;
        }

        var byId = nodes.Count == 1 ? null : nodes.ToDictionary(n => n.Id);
        using var r = command.ExecuteReader();
        while (r.Read())
        {
            var node = byId is null ? nodes[0] : byId[r.GetInt64(0)];
            if (r.GetInt64(1) > 1)
            {
                node.Labels.Add(r.GetString(2));
                continue;
            }

            object? value = r.GetInt32(3) switch
            {
                (int)ValueKind.Int or (int)ValueKind.Bool => r.GetInt64(4),
                (int)ValueKind.Double => r.GetDouble(5),
                (int)ValueKind.String or (int)ValueKind.Struct => r.GetString(6),
                (int)ValueKind.Proto => r.IsDBNull(7) ? null : r.GetValue(7),
                _ => null,
            };
            node.Values.Add((r.GetString(2), r.GetInt64(1) != 0, value));
        }
    }

    public void Dispose()
    {
        foreach (var c in _owned) c.Dispose();
    }
}
