using System.Diagnostics;

namespace Cairn.Benchmarks.Workloads;

/// <summary>W3 single PutArtifact: one artifact with 10 properties per call, one durable commit per call (WAL, synchronous=NORMAL).</summary>
/// <remarks>Reference: the artifact row and its 10 property rows in one transaction.</remarks>
internal sealed class W3SinglePutArtifact : IWorkload
{
    public string Id => "W3";

    public async Task<IReadOnlyList<WorkloadResult>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var size = context.Size;
        using var refDir = context.NewTempDirectory("w3-ref");
        using var sutDir = context.NewTempDirectory("w3-sut");
        using var connection = RawSqlite.Create(refDir.File("reference.db"));
        using var writer = new RawWriter(connection);
        await using var sut = await SutStore.OpenAsync(sutDir.File("store.db"), cancellationToken).ConfigureAwait(false);
        var typeIds = await BulkArtifacts.CreateTypesAsync(writer, sut, cancellationToken).ConfigureAwait(false);

        var gen = new DataGen(context.Config.Seed);
        List<NodeSpec> specs = [];
        List<Artifact[]> requests = [];
        var statements = new StatementTally();

        var outcome = await AbRunner.RunAsync(size.Rounds,
            round =>
            {
                specs = Enumerable.Range(0, size.SinglePutsPerRound)
                    .Select(i => (long)(round * size.SinglePutsPerRound) + i)
                    .Select(k => gen.Artifact(string.Empty, k, typeIds[k % typeIds.Length])).ToList();
                requests = specs.Select(s => new[] { s.ToArtifact() }).ToList();
            },
            (round, sample, ct) =>
            {
                foreach (var spec in specs)
                {
                    var start = Stopwatch.GetTimestamp();
                    using var tx = writer.Begin();
                    writer.InsertArtifact(spec, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                    tx.Commit();
                    sample.Record(start);
                }

                return Task.CompletedTask;
            },
            async (round, sample, ct) =>
            {
                foreach (var request in requests)
                {
                    var start = Stopwatch.GetTimestamp();
                    await sut.Store.PutArtifactsAsync(request, cancellationToken: ct).ConfigureAwait(false);
                    sample.Record(start);
                    statements.Add(sut.LastCallStatements);
                }
            },
            cancellationToken).ConfigureAwait(false);

        return [WorkloadResult.FromOutcome("W3", "PutArtifacts, 1 artifact per call, 10 properties", size, "calls/s", 0.6, Better.Higher, outcome, "calls",
            statements)];
    }
}
