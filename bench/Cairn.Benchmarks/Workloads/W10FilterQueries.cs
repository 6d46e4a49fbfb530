using System.Globalization;
using Cairn.Store.Relational;
using Cairn.Store.Sqlite;
using Microsoft.Data.Sqlite;

namespace Cairn.Benchmarks.Workloads;

/// <summary>
/// W10 filter queries, first page of 100 through <c>GetArtifactsAsync</c> with a filter: (a) property equality (200 hits),
/// (b) int range (~500 hits) ordered by create_time descending, (c) type AND context membership (1 hit among a context's
/// 100 members), (d) three property predicates (MLflow#13633's shape, ~110 hits).
/// </summary>
/// <remarks>
/// Reference: hand-written SQL a person would write for the same question on the same indexes (property rows joined to the
/// node, the context looked up by name, the value's kind named so the property indexes' (name, is_custom, kind, value) key is
/// used whole), + one property SELECT. In (d) the reference marks the two range terms with a unary
/// <c>+</c> so SQLite starts from the selective equality whatever its statistics say. The reference connection refreshes the
/// planner statistics (<c>ANALYZE</c>, bounded by <c>analysis_limit</c> as the store bounds its own). Both sides' plans are recorded in <c>notes</c>
/// (EXPLAIN QUERY PLAN; the store's SQL is rebuilt the way the engine's list operation builds it, with its own compiler).
/// </remarks>
internal sealed class W10FilterQueries : IWorkload
{
    private const string Columns = RawReader.Columns;
    private const string Node = "JOIN artifact n ON n.id = p.node_id JOIN type t ON t.id = n.type_id";
    private const long IntRange = 1_000_000_000;

    public string Id => "W10";

    /// <summary>A filter and the reference's parameter values for one call.</summary>
    private sealed record Query(string Filter, object[] Values);

    private sealed record Shape(string Id, string Title, string ReferenceSql, string[] Parameters, OrderByField Order, bool Ascending, Func<Random, Query> Draw);

    public async Task<IReadOnlyList<WorkloadResult>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var data = context.ReadDataset;
        using var connection = RawSqlite.Open(data.ReferencePath);
        // The planner statistics the store keeps for itself (PRAGMA optimize on open and after writes), so both sides' plans
        // are chosen with the same knowledge.
        RawSqlite.Execute(connection, "PRAGMA analysis_limit = 1000; ANALYZE;");
        using var reader = new RawReader(connection);
        await using var sut = await SutStore.OpenAsync(data.StorePath, cancellationToken).ConfigureAwait(false);
        var n = data.ArtifactCount;
        var width = IntRange * 500 / n;

        Shape[] shapes =
        [
            new("W10a", "filter: property equality (properties.p5.string_value = …, 200 hits), page of 100",
                $"SELECT {Columns} FROM artifact_property p {Node} WHERE p.name = 'p5' AND p.is_custom = 0 AND p.kind = 3 AND p.string_value = $v ORDER BY n.id LIMIT 101",
                ["$v"], OrderByField.Id, true,
                rng =>
                {
                    var g = ReadDataset.GroupValue(rng.Next(data.Groups));
                    return new Query($"properties.p5.string_value = '{g}'", [g]);
                }),
            new("W10b", "filter: int range (~500 hits) ordered by create_time descending, page of 100",
                $"SELECT {Columns} FROM artifact_property p {Node} WHERE p.name = 'p3' AND p.is_custom = 0 AND p.kind = 1 AND p.int_value >= $lo AND p.int_value < $hi ORDER BY n.create_time DESC, n.id DESC LIMIT 101",
                ["$lo", "$hi"], OrderByField.CreateTime, false,
                rng =>
                {
                    var lo = rng.NextInt64(0, IntRange - width);
                    return new Query(string.Create(CultureInfo.InvariantCulture, $"properties.p3.int_value >= {lo} AND properties.p3.int_value < {lo + width}"), [lo, lo + width]);
                }),
            new("W10c", "filter: type AND context membership (type = … AND contexts_c.name = …, 1 hit), page of 100",
                $"SELECT {Columns} FROM context c JOIN attribution m ON m.context_id = c.id JOIN artifact n ON n.id = m.artifact_id JOIN type t ON t.id = n.type_id WHERE c.name = $cn AND t.name = $tn AND t.kind = 1 ORDER BY n.id LIMIT 101",
                ["$cn", "$tn"], OrderByField.Id, true,
                rng =>
                {
                    var j = rng.Next(data.ContextIds.Length);
                    var type = ReadDataset.TypeName(rng.Next(Math.Min(BenchConfig.ArtifactTypes, ReadDataset.ContextSize)));
                    var name = ReadDataset.ContextName(j);
                    return new Query($"type = '{type}' AND contexts_c.name = '{name}'", [name, type]);
                }),
            new("W10d", "filter: 3 property predicates (string =, int >=, double <; ~110 hits), page of 100",
                $"SELECT {Columns} FROM artifact_property p {Node} JOIN artifact_property p3 ON p3.node_id = n.id AND p3.name = 'p3' AND p3.is_custom = 0 AND p3.kind = 1 JOIN artifact_property p1 ON p1.node_id = n.id AND p1.name = 'p1' AND p1.is_custom = 0 AND p1.kind = 2 WHERE p.name = 'p5' AND p.is_custom = 0 AND p.kind = 3 AND p.string_value = $v AND +p3.int_value >= $lo AND +p1.double_value < $d ORDER BY n.id LIMIT 101",
                ["$v", "$lo", "$d"], OrderByField.Id, true,
                rng =>
                {
                    var g = ReadDataset.GroupValue(rng.Next(data.Groups));
                    return new Query($"properties.p5.string_value = '{g}' AND properties.p3.int_value >= 250000000 AND properties.p1.double_value < 750.0", [g, 250_000_000L, 750.0]);
                }),
        ];

        var results = new List<WorkloadResult>();
        foreach (var shape in shapes)
        {
            var command = reader.Prepare(shape.ReferenceSql, shape.Parameters);
            long refRows = 0, sutRows = 0;
            var result = await ReadBench.RunAsync(context, sut, shape.Id, shape.Title, 1.5, 100 + results.Count,
                shape.Draw,
                q =>
                {
                    for (var i = 0; i < q.Values.Length; i++) command.Parameters[i].Value = q.Values[i];
                    refRows += reader.Nodes(command, keep: 100).Count;
                },
                async (q, ct) =>
                {
                    var options = new ListOptions { MaxResultSize = 100, FilterQuery = q.Filter, OrderBy = shape.Order, IsAscending = shape.Ascending };
                    sutRows += (await sut.Store.GetArtifactsAsync(options, ct).ConfigureAwait(false)).Items.Count;
                },
                null, cancellationToken, opsDivisor: ReadBench.HeavyDivisor).ConfigureAwait(false);
            if (refRows != sutRows) throw new InvalidOperationException($"{shape.Id}: the reference read {refRows} artifacts and the store {sutRows}.");
            var sample = shape.Draw(new Random(context.Config.Seed));
            var referencePlan = Plan(connection, shape.ReferenceSql, c =>
            {
                for (var i = 0; i < sample.Values.Length; i++) c.Parameters.AddWithValue(shape.Parameters[i], sample.Values[i]);
            });
            var (engineSql, bind) = EngineSql(sample.Filter, shape.Order, shape.Ascending);
            var enginePlan = Plan(connection, engineSql, bind);
            var calls = context.Size.Rounds * Math.Max(10, context.Size.ReadOpsPerRound / ReadBench.HeavyDivisor);
            var compileUs = CompileMicros(sample.Filter);
            var p99Ms = (result.Sut?.P99Us ?? 0) / 1000;
            results.Add(result with
            {
                Notes = string.Create(CultureInfo.InvariantCulture,
                    $"{(double)sutRows / calls:F1} rows per call; parsing + compiling the filter alone: {compileUs:F1} µs per call; SUT p99 {p99Ms:F2} ms (goal ≤10 ms at L); full scan: store {(FullScan(enginePlan) ? "YES" : "no")}, reference {(FullScan(referencePlan) ? "YES" : "no")}; example filter: {sample.Filter}; store plan: [{string.Join("; ", enginePlan)}]; reference plan: [{string.Join("; ", referencePlan)}]; store SQL: {engineSql}"),
            });
        }

        return results;
    }

    /// <summary>The SQL the engine runs for the first page of a filtered artifact list (as <c>NodeOperations.ListAsync</c> builds it).</summary>
    private static (string Sql, Action<SqliteCommand> Bind) EngineSql(string filterQuery, OrderByField order, bool ascending)
    {
        var table = NodeTable.Artifact;
        var filter = FilterCompiler.Compile(filterQuery, table, new SqliteDialect())!;
        var dir = ascending ? "ASC" : "DESC";
        var orderBy = order switch
        {
            OrderByField.CreateTime => $" ORDER BY n.create_time {dir}, n.id {dir}",
            OrderByField.LastUpdateTime => $" ORDER BY n.update_time {dir}, n.id {dir}",
            _ => $" ORDER BY n.id {dir}",
        };
        var sql = $"SELECT {table.SelectColumns} FROM {table.From}{filter.Join} WHERE {filter.Where}{orderBy} LIMIT @limit";
        return (sql, c =>
        {
            filter.Bind(c);
            c.Parameters.AddWithValue("@limit", 101);
        }
        );
    }

    /// <summary>What the engine spends per call on parsing and compiling the filter query (no SQL runs), in microseconds.</summary>
    public static double CompileMicros(string filterQuery)
    {
        const int Runs = 500;
        var dialect = new SqliteDialect();
        for (var i = 0; i < 50; i++) _ = FilterCompiler.Compile(filterQuery, NodeTable.Artifact, dialect);
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var i = 0; i < Runs; i++) _ = FilterCompiler.Compile(filterQuery, NodeTable.Artifact, dialect);
        return System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMicroseconds / Runs;
    }

    /// <summary>EXPLAIN QUERY PLAN of a statement: its detail lines.</summary>
    public static List<string> Plan(SqliteConnection connection, string sql, Action<SqliteCommand> bind)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        bind(command);
        var lines = new List<string>();
        using var r = command.ExecuteReader();
        while (r.Read()) lines.Add(r.GetString(3));
        return lines;
    }

    /// <summary>
    /// True when a plan reads a whole data table: a <c>SCAN</c> of a node, property or edge table without an index
    /// (scans of the ~130-row type table and of json_each lists are not full scans of data).
    /// </summary>
    public static bool FullScan(IEnumerable<string> plan) => plan.Any(line =>
        line.StartsWith("SCAN ", StringComparison.Ordinal)
        && !line.Contains("USING", StringComparison.Ordinal)
        && !line.Contains("VIRTUAL TABLE", StringComparison.Ordinal)
        && line.Split(' ')[1] is not ("t" or "type"));
}
