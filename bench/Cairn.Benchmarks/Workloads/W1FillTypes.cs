using System.Diagnostics;
using System.Globalization;

namespace Cairn.Benchmarks.Workloads;

/// <summary>W1 FillTypes: PutArtifactType of a new type with U[1,10] properties, one transaction per call.</summary>
/// <remarks>Reference: INSERT of the type row and its type_property rows in one transaction (no lookup).</remarks>
internal sealed class W1FillTypes : IWorkload
{
    public string Id => "W1";

    public async Task<IReadOnlyList<WorkloadResult>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var size = context.Size;
        var rng = new Random(context.Config.Seed);
        var types = Enumerable.Range(0, size.Rounds).Select(round => Enumerable.Range(0, size.TypesPerRound)
            .Select(i => DataGen.ArtifactType(string.Create(CultureInfo.InvariantCulture, $"w1.Type-{round}-{i}"), rng.Next(1, 11)))
            .ToList()).ToList();

        using var refDir = context.NewTempDirectory("w1-ref");
        using var sutDir = context.NewTempDirectory("w1-sut");
        using var connection = RawSqlite.Create(refDir.File("reference.db"));
        using var writer = new RawWriter(connection);
        await using var sut = await SutStore.OpenAsync(sutDir.File("store.db"), cancellationToken).ConfigureAwait(false);
        var statements = new StatementTally();

        var outcome = await AbRunner.RunAsync(size.Rounds,
            (round, sample, ct) =>
            {
                foreach (var type in types[round])
                {
                    var start = Stopwatch.GetTimestamp();
                    using var tx = writer.Begin();
                    writer.InsertType(type);
                    tx.Commit();
                    sample.Record(start);
                }

                return Task.CompletedTask;
            },
            async (round, sample, ct) =>
            {
                foreach (var type in types[round])
                {
                    var start = Stopwatch.GetTimestamp();
                    await sut.Store.PutArtifactTypeAsync(type, cancellationToken: ct).ConfigureAwait(false);
                    sample.Record(start);
                    statements.Add(sut.LastCallStatements);
                }
            },
            cancellationToken).ConfigureAwait(false);

        return [WorkloadResult.FromOutcome("W1", "PutArtifactType (insert, 1-10 properties)", size, "types/s", 0.5, Better.Higher, outcome, "types",
            statements)];
    }
}
