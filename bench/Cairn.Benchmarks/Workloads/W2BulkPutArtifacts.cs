using System.Diagnostics;

namespace Cairn.Benchmarks.Workloads;

/// <summary>W2 bulk PutArtifacts: 100 new artifacts per request, 10 typed properties each (mlmd_bench FillNodes num_nodes=100).</summary>
/// <remarks>Reference: prepared INSERTs of the same artifact and artifact_property rows, one transaction per 100.</remarks>
internal sealed class W2BulkPutArtifacts : IWorkload
{
    public string Id => "W2";

    public async Task<IReadOnlyList<WorkloadResult>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var size = context.Size;
        using var refDir = context.NewTempDirectory("w2-ref");
        using var sutDir = context.NewTempDirectory("w2-sut");
        using var connection = RawSqlite.Create(refDir.File("reference.db"));
        using var writer = new RawWriter(connection);
        await using var sut = await SutStore.OpenAsync(sutDir.File("store.db"), cancellationToken).ConfigureAwait(false);
        var typeIds = await BulkArtifacts.CreateTypesAsync(writer, sut, cancellationToken).ConfigureAwait(false);

        var gen = new DataGen(context.Config.Seed);
        List<List<NodeSpec>> specs = [];
        List<List<Artifact>> requests = [];
        var statements = new StatementTally();
        ProcessMemory.ResetPeak();

        var outcome = await AbRunner.RunAsync(size.Rounds,
            round =>
            {
                specs = BulkArtifacts.Generate(gen, round * size.BulkRequestsPerRound, size.BulkRequestsPerRound, typeIds);
                requests = specs.Select(r => r.Select(s => s.ToArtifact()).ToList()).ToList();
            },
            (round, sample, ct) => BulkArtifacts.WriteRaw(writer, specs, sample),
            async (round, sample, ct) =>
            {
                foreach (var request in requests)
                {
                    var start = Stopwatch.GetTimestamp();
                    await sut.Store.PutArtifactsAsync(request, cancellationToken: ct).ConfigureAwait(false);
                    sample.Record(start, request.Count);
                    statements.Add(sut.LastCallStatements);
                }
            },
            cancellationToken).ConfigureAwait(false);

        return [WorkloadResult.FromOutcome("W2", "PutArtifacts, 100 per request, 10 properties", size, "artifacts/s", 0.6, Better.Higher, outcome, "artifacts",
            statements, notes: "p50/p99 are per request of 100 artifacts")];
    }
}

/// <summary>What W2 and W15 share: the 100 artifact types and batches of new artifacts.</summary>
internal static class BulkArtifacts
{
    /// <summary>The raw reference of a bulk put: each request one transaction of prepared INSERTs, timed per request.</summary>
    public static Task WriteRaw(RawWriter writer, List<List<NodeSpec>> requests, Sample sample)
    {
        foreach (var request in requests)
        {
            var start = Stopwatch.GetTimestamp();
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            using var tx = writer.Begin();
            foreach (var spec in request) writer.InsertArtifact(spec, now);
            tx.Commit();
            sample.Record(start, request.Count);
        }

        return Task.CompletedTask;
    }

    public static async Task<long[]> CreateTypesAsync(RawWriter writer, SutStore sut, CancellationToken cancellationToken)
    {
        var ids = new long[BenchConfig.ArtifactTypes];
        using (var tx = writer.Begin())
        {
            for (var t = 0; t < ids.Length; t++) ids[t] = writer.InsertType(DataGen.ArtifactType(ReadDataset.TypeName(t)));
            tx.Commit();
        }

        for (var t = 0; t < ids.Length; t++)
        {
            var id = await sut.Store.PutArtifactTypeAsync(DataGen.ArtifactType(ReadDataset.TypeName(t)), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (id != ids[t]) throw new InvalidOperationException($"Type ids diverge between store ({id}) and reference ({ids[t]}).");
        }

        return ids;
    }

    /// <summary><paramref name="requests"/> batches of <see cref="BenchConfig.BulkBatch"/> artifacts, numbered from <paramref name="firstRequest"/>.</summary>
    public static List<List<NodeSpec>> Generate(DataGen gen, long firstRequest, int requests, long[] typeIds)
    {
        var batches = new List<List<NodeSpec>>(requests);
        for (var r = 0; r < requests; r++)
        {
            var batch = new List<NodeSpec>(BenchConfig.BulkBatch);
            for (var i = 0; i < BenchConfig.BulkBatch; i++)
            {
                var k = ((firstRequest + r) * BenchConfig.BulkBatch) + i;
                batch.Add(gen.Artifact(string.Empty, k, typeIds[k % typeIds.Length]));
            }

            batches.Add(batch);
        }

        return batches;
    }
}
