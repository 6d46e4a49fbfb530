using System.Diagnostics;
using System.Globalization;

namespace Cairn.Benchmarks.Workloads;

/// <summary>
/// W4 PutExecution (mlmd_bench FillEvents): a new execution (10 properties) with 3 INPUT events from stored artifacts and
/// 1 OUTPUT event to a new artifact (10 properties), one transaction per call.
/// </summary>
/// <remarks>Reference: INSERTs of the artifact, execution, their property rows and the 4 event rows in one transaction.</remarks>
internal sealed class W4PutExecution : IWorkload
{
    private const int Preloaded = 1_000;

    public string Id => "W4";

    public async Task<IReadOnlyList<WorkloadResult>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var size = context.Size;
        using var refDir = context.NewTempDirectory("w4-ref");
        using var sutDir = context.NewTempDirectory("w4-sut");
        using var connection = RawSqlite.Create(refDir.File("reference.db"));
        using var writer = new RawWriter(connection);
        await using var sut = await SutStore.OpenAsync(sutDir.File("store.db"), cancellationToken).ConfigureAwait(false);
        var artifactTypes = await BulkArtifacts.CreateTypesAsync(writer, sut, cancellationToken).ConfigureAwait(false);
        var executionTypes = new long[BenchConfig.ExecutionTypes];
        using (var tx = writer.Begin())
        {
            for (var t = 0; t < executionTypes.Length; t++) executionTypes[t] = writer.InsertType(ExecutionType(t));
            tx.Commit();
        }

        for (var t = 0; t < executionTypes.Length; t++)
            await sut.Store.PutExecutionTypeAsync(ExecutionType(t), cancellationToken: cancellationToken).ConfigureAwait(false);

        // Inputs: the same 1,000 stored artifacts on both sides.
        var gen = new DataGen(context.Config.Seed);
        var preload = BulkArtifacts.Generate(gen, 0, Preloaded / BenchConfig.BulkBatch, artifactTypes);
        var refInputs = new List<long>();
        var sutInputs = new List<long>();
        using (var tx = writer.Begin())
        {
            foreach (var spec in preload.SelectMany(b => b)) refInputs.Add(writer.InsertArtifact(spec, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
            tx.Commit();
        }

        foreach (var batch in preload)
            sutInputs.AddRange(await sut.Store.PutArtifactsAsync(batch.Select(s => s.ToArtifact()).ToList(), cancellationToken: cancellationToken).ConfigureAwait(false));

        var rng = new Random(context.Config.Seed + 4);
        List<Call> calls = [];
        var statements = new StatementTally();

        var outcome = await AbRunner.RunAsync(size.Rounds,
            round =>
            {
                calls = [];
                for (var i = 0; i < size.ExecutionsPerRound; i++)
                {
                    var k = Preloaded + ((long)round * size.ExecutionsPerRound) + i;
                    var inputs = new HashSet<int>();
                    while (inputs.Count < 3) inputs.Add(rng.Next(Preloaded));
                    var execution = gen.Execution(string.Empty, k, executionTypes[k % executionTypes.Length]);
                    var output = gen.Artifact(string.Empty, k, artifactTypes[k % artifactTypes.Length]);
                    var chosen = inputs.ToArray();
                    var pairs = new List<ArtifactAndEvent>(4);
                    for (var j = 0; j < chosen.Length; j++)
                        pairs.Add(new ArtifactAndEvent(null, new Event { ArtifactId = sutInputs[chosen[j]], Type = EventType.Input, Path = EventPaths.Steps("in", j) }));
                    pairs.Add(new ArtifactAndEvent(output.ToArtifact(), new Event { Type = EventType.Output, Path = EventPaths.Steps("out", 0) }));
                    calls.Add(new Call(execution, output, chosen, execution.ToExecution(), pairs));
                }
            },
            (round, sample, ct) =>
            {
                foreach (var call in calls)
                {
                    var start = Stopwatch.GetTimestamp();
                    var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                    using var tx = writer.Begin();
                    var artifact = writer.InsertArtifact(call.Output, now);
                    var execution = writer.InsertExecution(call.Execution, now);
                    for (var j = 0; j < call.Inputs.Length; j++)
                        writer.InsertEvent(refInputs[call.Inputs[j]], execution, EventType.Input, now, EventPaths.Encode(EventPaths.Steps("in", j)));
                    writer.InsertEvent(artifact, execution, EventType.Output, now, EventPaths.Encode(EventPaths.Steps("out", 0)));
                    tx.Commit();
                    sample.Record(start);
                }

                return Task.CompletedTask;
            },
            async (round, sample, ct) =>
            {
                foreach (var call in calls)
                {
                    var start = Stopwatch.GetTimestamp();
                    await sut.Store.PutExecutionAsync(call.SutExecution, call.SutPairs, [], cancellationToken: ct).ConfigureAwait(false);
                    sample.Record(start);
                    statements.Add(sut.LastCallStatements);
                }
            },
            cancellationToken).ConfigureAwait(false);

        return [WorkloadResult.FromOutcome("W4", "PutExecution, 3 inputs + 1 new output artifact", size, "calls/s", 0.5, Better.Higher, outcome, "calls",
            statements)];
    }

    private static ExecutionType ExecutionType(int t) => DataGen.ExecutionType("bench.Execution" + t.ToString(CultureInfo.InvariantCulture));

    private sealed record Call(NodeSpec Execution, NodeSpec Output, int[] Inputs, Execution SutExecution, List<ArtifactAndEvent> SutPairs);
}
