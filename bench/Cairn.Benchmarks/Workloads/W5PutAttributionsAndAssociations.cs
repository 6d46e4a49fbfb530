using System.Diagnostics;
using System.Globalization;
using Cairn.Store.Sqlite;
using Microsoft.Data.Sqlite;

namespace Cairn.Benchmarks.Workloads;

/// <summary>
/// W5 PutAttributionsAndAssociations (mlmd_bench FillContextEdges): 1,000 new edges per request, 500 attributions and
/// 500 associations of one context. MLMD hangs at 1,500 (google/ml-metadata#118).
/// </summary>
/// <remarks>Reference: prepared single-row INSERT … ON CONFLICT DO NOTHING of the 1,000 edge rows in one transaction.</remarks>
internal sealed class W5PutAttributionsAndAssociations : IWorkload
{
    private const int Half = BenchConfig.EdgesPerRequest / 2;
    private const int Blocks = 4;

    public string Id => "W5";

    public async Task<IReadOnlyList<WorkloadResult>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var size = context.Size;
        var totalRequests = size.Rounds * size.EdgeRequestsPerRound;
        var contexts = (totalRequests + Blocks - 1) / Blocks;
        var members = Half * Blocks;

        using var refDir = context.NewTempDirectory("w5-ref");
        using var sutDir = context.NewTempDirectory("w5-sut");
        using var connection = RawSqlite.Create(refDir.File("reference.db"));
        using var writer = new RawWriter(connection);
        await using var sut = await SutStore.OpenAsync(sutDir.File("store.db"), cancellationToken).ConfigureAwait(false);

        // The same contexts, artifacts and executions on both sides (no properties: this workload is about edges).
        var gen = new DataGen(context.Config.Seed);
        var refCtx = new List<long>();
        var refArt = new List<long>();
        var refExe = new List<long>();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        long contextType, artifactType, executionType;
        using (var tx = writer.Begin())
        {
            contextType = writer.InsertType(DataGen.ContextType("w5.Run", 0));
            artifactType = writer.InsertType(DataGen.ArtifactType("w5.Artifact", 0));
            executionType = writer.InsertType(DataGen.ExecutionType("w5.Step", 0));
            tx.Commit();
        }

        var contextSpecs = Enumerable.Range(0, contexts).Select(i => gen.Context(string.Empty, i, contextType)).ToList();
        var artifactSpecs = Enumerable.Range(0, members).Select(i => gen.Artifact(string.Empty, i, artifactType, 0)).ToList();
        var executionSpecs = Enumerable.Range(0, members).Select(i => gen.Execution(string.Empty, i, executionType, 0)).ToList();
        using (var tx = writer.Begin())
        {
            refCtx.AddRange(contextSpecs.Select(s => writer.InsertContext(s, now)));
            refArt.AddRange(artifactSpecs.Select(s => writer.InsertArtifact(s, now)));
            refExe.AddRange(executionSpecs.Select(s => writer.InsertExecution(s, now)));
            tx.Commit();
        }

        await sut.Store.PutContextTypeAsync(DataGen.ContextType("w5.Run", 0), cancellationToken: cancellationToken).ConfigureAwait(false);
        await sut.Store.PutArtifactTypeAsync(DataGen.ArtifactType("w5.Artifact", 0), cancellationToken: cancellationToken).ConfigureAwait(false);
        await sut.Store.PutExecutionTypeAsync(DataGen.ExecutionType("w5.Step", 0), cancellationToken: cancellationToken).ConfigureAwait(false);
        var sutCtx = await sut.Store.PutContextsAsync(contextSpecs.Select(s => s.ToContext()).ToList(), cancellationToken: cancellationToken).ConfigureAwait(false);
        var sutArt = await sut.Store.PutArtifactsAsync(artifactSpecs.Select(s => s.ToArtifact()).ToList(), cancellationToken: cancellationToken).ConfigureAwait(false);
        var sutExe = await sut.Store.PutExecutionsAsync(executionSpecs.Select(s => s.ToExecution()).ToList(), cancellationToken: cancellationToken).ConfigureAwait(false);

        // Request r: context r / 4 with member block r % 4, so every request writes 1,000 edges that do not exist yet.
        List<(int Context, int Block)> round = [];
        List<(List<Attribution>, List<Association>)> requests = [];
        var statements = new StatementTally();

        var outcome = await AbRunner.RunAsync(size.Rounds,
            r =>
            {
                round = Enumerable.Range(r * size.EdgeRequestsPerRound, size.EdgeRequestsPerRound).Select(k => (k / Blocks, k % Blocks)).ToList();
                requests = round.Select(q => (
                    Enumerable.Range(q.Block * Half, Half).Select(m => new Attribution(sutCtx[q.Context], sutArt[m])).ToList(),
                    Enumerable.Range(q.Block * Half, Half).Select(m => new Association(sutCtx[q.Context], sutExe[m])).ToList())).ToList();
            },
            (r, sample, ct) =>
            {
                foreach (var (c, block) in round)
                {
                    var start = Stopwatch.GetTimestamp();
                    using var tx = writer.Begin();
                    for (var m = block * Half; m < (block + 1) * Half; m++) writer.InsertAttribution(refCtx[c], refArt[m]);
                    for (var m = block * Half; m < (block + 1) * Half; m++) writer.InsertAssociation(refCtx[c], refExe[m]);
                    tx.Commit();
                    sample.Record(start, BenchConfig.EdgesPerRequest);
                }

                return Task.CompletedTask;
            },
            async (r, sample, ct) =>
            {
                foreach (var (attributions, associations) in requests)
                {
                    var start = Stopwatch.GetTimestamp();
                    await sut.Store.PutAttributionsAndAssociationsAsync(attributions, associations, ct).ConfigureAwait(false);
                    sample.Record(start, BenchConfig.EdgesPerRequest);
                    statements.Add(sut.LastCallStatements);
                }
            },
            cancellationToken).ConfigureAwait(false);

        var goal = 3 + ((BenchConfig.EdgesPerRequest + 499) / 500);
        return [WorkloadResult.FromOutcome("W5", "PutAttributionsAndAssociations, 1000 edges per request", size, "edges/s", 0.5, Better.Higher, outcome, "edges",
            statements, goal, PairSourceDiagnosis(connection))];
    }

    /// <summary>
    /// How the engine's pair source (one JSON list of [context, member] pairs) plans and costs for one 500-pair chunk: evidence
    /// for the engine owner when W5 misses its goal (before eed9d4b it zipped two json_each scans, a quadratic nested loop).
    /// </summary>
    private static string PairSourceDiagnosis(SqliteConnection connection)
    {
        var dialect = new SqliteDialect();
        using var pairs = connection.CreateCommand();
        pairs.CommandText = $"SELECT a, b FROM {dialect.PairSource("@p")}";
        dialect.BindPairs(pairs, "@p", Enumerable.Range(1, Half).Select(i => (long)i).ToList(), Enumerable.Range(1_000, Half).Select(i => (long)i).ToList());

        var plan = new List<string>();
        var sql = pairs.CommandText;
        pairs.CommandText = "EXPLAIN QUERY PLAN " + sql;
        using (var r = pairs.ExecuteReader())
        {
            while (r.Read()) plan.Add(r.GetString(3));
        }

        pairs.CommandText = sql;
        return string.Create(CultureInfo.InvariantCulture,
            $"engine pair source for {Half} pairs: plan [{string.Join("; ", plan)}], {Time(pairs):F2} ms per chunk");
    }

    private static double Time(SqliteCommand command)
    {
        const int Runs = 5;
        Count(command);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < Runs; i++)
        {
            if (Count(command) != Half) throw new InvalidOperationException("The pair source returned the wrong number of rows.");
        }

        return Stopwatch.GetElapsedTime(start).TotalMilliseconds / Runs;
    }

    private static int Count(SqliteCommand command)
    {
        var rows = 0;
        using var r = command.ExecuteReader();
        while (r.Read()) rows++;
        return rows;
    }
}
