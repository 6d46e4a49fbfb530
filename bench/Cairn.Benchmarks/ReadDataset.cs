using System.Diagnostics;
using System.Globalization;

namespace Cairn.Benchmarks;

/// <summary>
/// The read workloads' dataset (performance.md §5.2, scaled by size): 100 artifact types × 10 properties, artifacts with
/// 10 properties + 2 custom properties in a 50-layer DAG, one execution (10 properties) per non-root artifact with 3 INPUT
/// events from the previous layer (local parents within ±50; 1% from 100 hub artifacts, Zipf 1.0) and 1 OUTPUT event.
/// It is written once with the reference writer, then the file is copied, so the store and the reference read
/// byte-identical databases, each in its own temp directory.
/// </summary>
internal sealed class ReadDataset : IAsyncDisposable
{
    private readonly TempDirectory _referenceDir;
    private readonly TempDirectory _storeDir;

    private ReadDataset(TempDirectory referenceDir, TempDirectory storeDir, int artifacts)
    {
        _referenceDir = referenceDir;
        _storeDir = storeDir;
        ArtifactIds = new long[artifacts];
    }

    public string ReferencePath => _referenceDir.File("reference.db");

    public string StorePath => _storeDir.File("store.db");

    /// <summary>Id of artifact number k.</summary>
    public long[] ArtifactIds { get; }

    public int ArtifactCount => ArtifactIds.Length;

    public static string TypeName(int t) => "bench.Artifact" + t.ToString(CultureInfo.InvariantCulture);

    public static int TypeOf(long k) => (int)(k % BenchConfig.ArtifactTypes);

    public static string Name(long k) => string.Create(CultureInfo.InvariantCulture, $"artifact-{k}");

    public static string ExternalId(long k) => string.Create(CultureInfo.InvariantCulture, $"ext-artifact-{k}");

    public static string Uri(long k) => string.Create(CultureInfo.InvariantCulture, $"gs://bucket/pipeline-{k % 1000}/run-{k / 1000}/artifact-{k}");

    public static ReadDataset Build(BenchConfig config, Action<string> log)
    {
        var n = config.Size.ReadArtifacts;
        var dataset = new ReadDataset(new TempDirectory(config.TempRoot, "read-ref"), new TempDirectory(config.TempRoot, "read-sut"), n);
        var clock = Stopwatch.StartNew();
        var gen = new DataGen(config.Seed);
        var rng = new Random(config.Seed + 1);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        long events = 0;
        var layer = Math.Max(1, n / BenchConfig.Layers);
        using (var connection = RawSqlite.Create(dataset.ReferencePath))
        using (var writer = new RawWriter(connection))
        {
            var artifactTypes = new long[BenchConfig.ArtifactTypes];
            var executionTypes = new long[BenchConfig.ExecutionTypes];
            using (var tx = writer.Begin())
            {
                for (var t = 0; t < artifactTypes.Length; t++) artifactTypes[t] = writer.InsertType(DataGen.ArtifactType(TypeName(t)));
                for (var t = 0; t < executionTypes.Length; t++)
                    executionTypes[t] = writer.InsertType(DataGen.ExecutionType("bench.Execution" + t.ToString(CultureInfo.InvariantCulture)));
                tx.Commit();
            }

            const int Batch = 5_000;
            for (var start = 0; start < n; start += Batch)
            {
                using var tx = writer.Begin();
                for (var k = start; k < Math.Min(n, start + Batch); k++)
                {
                    var spec = new NodeSpec(artifactTypes[TypeOf(k)], Name(k), ExternalId(k), Uri(k), (int)ArtifactState.Live,
                        gen.Values(BenchConfig.PropertiesPerNode, 2));
                    dataset.ArtifactIds[k] = writer.InsertArtifact(spec, now + k);
                }

                tx.Commit();
            }

            // Zipf(1.0) over 100 hub artifacts (the first 100 of layer 0).
            var hubs = Math.Min(100, layer);
            var cumulative = new double[hubs];
            double sum = 0;
            for (var i = 0; i < hubs; i++) cumulative[i] = sum += 1.0 / (i + 1);
            int Hub()
            {
                var x = rng.NextDouble() * sum;
                var i = Array.BinarySearch(cumulative, x);
                return i >= 0 ? i : Math.Min(~i, hubs - 1);
            }

            var parents = new HashSet<long>();
            for (var start = layer; start < n; start += Batch)
            {
                using var tx = writer.Begin();
                for (var k = start; k < Math.Min(n, start + Batch); k++)
                {
                    var spec = gen.Execution(string.Empty, k, executionTypes[k % BenchConfig.ExecutionTypes]);
                    var execution = writer.InsertExecution(spec, now + k);
                    var position = k % layer;
                    var previous = (k / layer - 1) * layer;
                    parents.Clear();
                    var index = 0;
                    while (parents.Count < Math.Min(3, layer))
                    {
                        long parent = rng.NextDouble() < 0.01
                            ? Hub()
                            : previous + (((position + rng.Next(-50, 51)) % layer) + layer) % layer;
                        if (!parents.Add(parent)) continue;
                        writer.InsertEvent(dataset.ArtifactIds[parent], execution, EventType.Input, now + k, EventPaths.Encode(EventPaths.Steps("in", index++)));
                        events++;
                    }

                    writer.InsertEvent(dataset.ArtifactIds[k], execution, EventType.Output, now + k, EventPaths.Encode(EventPaths.Steps("out", 0)));
                    events++;
                }

                tx.Commit();
            }

            RawSqlite.Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
        }

        File.Copy(dataset.ReferencePath, dataset.StorePath);
        log(string.Create(CultureInfo.InvariantCulture,
            $"read dataset: {n:N0} artifacts, {n - layer:N0} executions, {events:N0} events, {new FileInfo(dataset.ReferencePath).Length / 1048576.0:F1} MB, built in {clock.Elapsed.TotalSeconds:F1} s"));
        return dataset;
    }

    public ValueTask DisposeAsync()
    {
        _referenceDir.Dispose();
        _storeDir.Dispose();
        return ValueTask.CompletedTask;
    }
}
