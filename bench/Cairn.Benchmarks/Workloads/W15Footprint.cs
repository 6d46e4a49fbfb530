using System.Diagnostics;
using System.Globalization;

namespace Cairn.Benchmarks.Workloads;

/// <summary>
/// W15 footprint: bytes on disk per artifact (10 properties; database + WAL after a TRUNCATE checkpoint) after writing the
/// same artifacts through the store (PutArtifacts, 100 per request) and through the reference writer, and the peak
/// resident memory (VmHWM) of the process while the store writes them.
/// </summary>
internal sealed class W15Footprint : IWorkload
{
    private const double RssGoalMb = 300;

    public string Id => "W15";

    public async Task<IReadOnlyList<WorkloadResult>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var size = context.Size;
        var count = size.FootprintArtifacts;
        var requests = (count + BenchConfig.BulkBatch - 1) / BenchConfig.BulkBatch;
        using var refDir = context.NewTempDirectory("w15-ref");
        using var sutDir = context.NewTempDirectory("w15-sut");
        var refPath = refDir.File("reference.db");
        var sutPath = sutDir.File("store.db");

        ProcessMemory.ResetPeak();
        var baseline = ProcessMemory.CurrentMb();
        var sutClock = Stopwatch.StartNew();
        long[] typeIds;
        await using (var sut = await SutStore.OpenAsync(sutPath, cancellationToken).ConfigureAwait(false))
        {
            using var connection = RawSqlite.Create(refPath);
            using var writer = new RawWriter(connection);
            typeIds = await BulkArtifacts.CreateTypesAsync(writer, sut, cancellationToken).ConfigureAwait(false);
            var gen = new DataGen(context.Config.Seed);
            for (var r = 0; r < requests; r++)
            {
                var batch = BulkArtifacts.Generate(gen, r, 1, typeIds)[0];
                await sut.Store.PutArtifactsAsync(batch.Select(s => s.ToArtifact()).ToList(), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }

        sutClock.Stop();
        var peak = ProcessMemory.PeakMb();

        var refClock = Stopwatch.StartNew();
        using (var connection = RawSqlite.Open(refPath))
        using (var writer = new RawWriter(connection))
        {
            var gen = new DataGen(context.Config.Seed);
            for (var r = 0; r < requests; r++)
            {
                var batch = BulkArtifacts.Generate(gen, r, 1, typeIds)[0];
                using var tx = writer.Begin();
                var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                foreach (var spec in batch) writer.InsertArtifact(spec, now);
                tx.Commit();
            }
        }

        refClock.Stop();
        RawSqlite.Checkpoint(sutPath);
        RawSqlite.Checkpoint(refPath);
        var artifacts = (double)requests * BenchConfig.BulkBatch;
        var sutBytes = RawSqlite.BytesOnDisk(sutPath) / artifacts;
        var refBytes = RawSqlite.BytesOnDisk(refPath) / artifacts;
        var ratio = sutBytes / refBytes;
        var rssMet = peak is null || peak <= RssGoalMb;
        return
        [
            new WorkloadResult
            {
                Workload = "W15",
                Title = "Footprint: bytes on disk per artifact (10 properties), peak RSS while writing",
                Size = size.Name,
                Metric = "bytes/artifact",
                Ratio = ratio,
                RatioMin = ratio,
                RatioMax = ratio,
                RoundRatios = [ratio],
                Goal = 1.2,
                Better = "lower",
                Met = ratio <= 1.2 && rssMet,
                WithinNoiseMargin = ratio <= 1.2 * 1.15 && rssMet,
                BytesPerArtifactSut = sutBytes,
                BytesPerArtifactReference = refBytes,
                PeakRssMb = peak,
                PeakRssGoalMb = RssGoalMb,
                Notes = string.Create(CultureInfo.InvariantCulture,
                    $"{artifacts:N0} artifacts per side; store {sutClock.Elapsed.TotalSeconds:F1} s, reference {refClock.Elapsed.TotalSeconds:F1} s; RSS before {baseline:F0} MB; peak RSS is the store's phase only"),
            },
        ];
    }
}
