using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cairn.Store.Sqlite;

namespace Cairn.Benchmarks;

/// <summary>
/// The read workloads' dataset (performance.md §5.2, scaled by size): 100 artifact types × 10 properties, artifacts with
/// 10 properties + 2 custom properties in a 50-layer DAG, one execution (10 properties) per non-root artifact with 3 INPUT
/// events from the previous layer (local parents within ±50; 1% from 100 hub artifacts, Zipf 1.0) and 1 OUTPUT event.
/// It is written once with the reference writer, then the file is copied, so the store and the reference read
/// byte-identical databases, each in its own temp directory. Property p5 (a string) holds one of n/200 group values
/// (<see cref="GroupValue"/>), so an equality filter on it matches 200 artifacts at every size (W10). With contexts, it
/// also has n/100 contexts ("pipeline runs", 5 properties) each attributing 100 consecutive artifacts and associating their
/// executions, and 10 hub contexts attributing every tenth artifact (n/10 members each: 100,000 at L) for W8 and W10.
/// The worst-case variant (W11) draws each execution's 3 inputs uniformly from the whole previous layer and has no contexts.
/// </summary>
internal sealed class ReadDataset : IAsyncDisposable
{
    private readonly TempDirectory _referenceDir;
    private readonly TempDirectory _storeDir;

    /// <summary>Hub contexts (performance.md §5.2: 10 hub contexts with 100k members at L).</summary>
    public const int Hubs = 10;

    /// <summary>Artifacts attributed to each normal context.</summary>
    public const int ContextSize = 100;

    /// <summary>Artifacts sharing each value of property p5.</summary>
    public const int GroupSize = 200;

    private ReadDataset(TempDirectory referenceDir, TempDirectory storeDir, int artifacts)
    {
        _referenceDir = referenceDir;
        _storeDir = storeDir;
        ArtifactIds = new long[artifacts];
        ExecutionIds = new long[artifacts];
    }

    public string ReferencePath => _referenceDir.File("reference.db");

    public string StorePath => _storeDir.File("store.db");

    /// <summary>Id of artifact number k.</summary>
    public long[] ArtifactIds { get; }

    public int ArtifactCount => ArtifactIds.Length;

    /// <summary>Id of the execution that wrote artifact number k (0 for the first layer, which has none).</summary>
    public long[] ExecutionIds { get; }

    /// <summary>Artifacts per DAG layer.</summary>
    public int LayerSize { get; private set; }

    /// <summary>Ids of the normal contexts: context j attributes artifacts j*100 … j*100+99.</summary>
    public long[] ContextIds { get; private set; } = [];

    /// <summary>Ids of the hub contexts: hub h attributes every artifact k with k % 10 == h.</summary>
    public long[] HubContextIds { get; private set; } = [];

    /// <summary>Distinct values of property p5.</summary>
    public int Groups => Math.Max(1, ArtifactCount / GroupSize);

    public static string GroupValue(long group) => string.Create(CultureInfo.InvariantCulture, $"g{group}");

    public static string ContextName(long j) => string.Create(CultureInfo.InvariantCulture, $"run-{j}");

    public static string HubName(long h) => string.Create(CultureInfo.InvariantCulture, $"hub-{h}");

    public static string TypeName(int t) => "bench.Artifact" + t.ToString(CultureInfo.InvariantCulture);

    public static int TypeOf(long k) => (int)(k % BenchConfig.ArtifactTypes);

    public static string Name(long k) => string.Create(CultureInfo.InvariantCulture, $"artifact-{k}");

    public static string ExternalId(long k) => string.Create(CultureInfo.InvariantCulture, $"ext-artifact-{k}");

    public static string Uri(long k) => string.Create(CultureInfo.InvariantCulture, $"gs://bucket/pipeline-{k % 1000}/run-{k / 1000}/artifact-{k}");

    /// <summary>
    /// Builds the dataset, or copies the one kept in <see cref="BenchConfig.DatasetCache"/> by an earlier run with the same size,
    /// seed, generator and schema. Either way the store and the reference get fresh copies, so the kept one is never changed.
    /// </summary>
    public static ReadDataset Build(BenchConfig config, Action<string> log, bool worstCase = false)
    {
        if (config.DatasetCache is null) return BuildFresh(config, log, worstCase);
        var label = worstCase ? "worst" : "read";
        var kept = Path.Combine(config.DatasetCache, CacheKey(config, label));
        var keptDb = Path.Combine(kept, "reference.db");
        var keptIds = Path.Combine(kept, "ids.json");
        if (File.Exists(keptIds))
        {
            var clock = Stopwatch.StartNew();
            var ids = JsonSerializer.Deserialize<KeptIds>(File.ReadAllText(keptIds))
                ?? throw new InvalidDataException($"{keptIds} is empty; delete {kept} to rebuild it.");
            var dataset = new ReadDataset(new TempDirectory(config.TempRoot, label + "-ref"), new TempDirectory(config.TempRoot, label + "-sut"), ids.ArtifactIds.Length);
            ids.ArtifactIds.CopyTo(dataset.ArtifactIds, 0);
            ids.ExecutionIds.CopyTo(dataset.ExecutionIds, 0);
            dataset.LayerSize = ids.LayerSize;
            dataset.ContextIds = ids.ContextIds;
            dataset.HubContextIds = ids.HubContextIds;
            File.Copy(keptDb, dataset.ReferencePath);
            File.Copy(keptDb, dataset.StorePath);
            log(string.Create(CultureInfo.InvariantCulture,
                $"{label} dataset: {dataset.ArtifactCount:N0} artifacts, reused from {kept} (copied in {clock.Elapsed.TotalSeconds:F1} s)"));
            return dataset;
        }

        var built = BuildFresh(config, log, worstCase);
        Directory.CreateDirectory(kept);
        File.Copy(built.ReferencePath, keptDb, overwrite: true);
        var record = new KeptIds(built.ArtifactIds, built.ExecutionIds, built.LayerSize, built.ContextIds, built.HubContextIds);
        // ids.json is written last: its presence marks a complete copy.
        File.WriteAllText(keptIds, JsonSerializer.Serialize(record));
        log($"{label} dataset kept in {kept} for later runs");
        return built;
    }

    /// <summary>Bump when the generator below changes what it writes, so kept datasets are not reused.</summary>
    private const int GeneratorVersion = 1;

    private static string CacheKey(BenchConfig config, string label)
    {
        var schema = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n;\n", SqliteSchema.Migrations)));
        return string.Create(CultureInfo.InvariantCulture,
            $"{label}-{config.Size.Name}-{config.Size.ReadArtifacts}-seed{config.Seed}-gen{GeneratorVersion}-schema{Convert.ToHexString(schema, 0, 6).ToLowerInvariant()}");
    }

    private sealed record KeptIds(long[] ArtifactIds, long[] ExecutionIds, int LayerSize, long[] ContextIds, long[] HubContextIds);

    private static ReadDataset BuildFresh(BenchConfig config, Action<string> log, bool worstCase)
    {
        var n = config.Size.ReadArtifacts;
        var label = worstCase ? "worst" : "read";
        var dataset = new ReadDataset(new TempDirectory(config.TempRoot, label + "-ref"), new TempDirectory(config.TempRoot, label + "-sut"), n);
        var clock = Stopwatch.StartNew();
        var gen = new DataGen(config.Seed);
        var rng = new Random(config.Seed + 1);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        long events = 0;
        var layer = Math.Max(1, n / BenchConfig.Layers);
        dataset.LayerSize = layer;
        var groups = dataset.Groups;
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
                    var values = gen.Values(BenchConfig.PropertiesPerNode, 2);
                    values[5] = ("p5", false, MetadataValue.String(GroupValue(k % groups)));
                    var spec = new NodeSpec(artifactTypes[TypeOf(k)], Name(k), ExternalId(k), Uri(k), (int)ArtifactState.Live, values);
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
                    dataset.ExecutionIds[k] = execution;
                    var position = k % layer;
                    var previous = (k / layer - 1) * layer;
                    parents.Clear();
                    var index = 0;
                    while (parents.Count < Math.Min(3, layer))
                    {
                        long parent = worstCase
                            ? previous + rng.Next(layer)
                            : rng.NextDouble() < 0.01
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

            if (!worstCase) AddContexts(dataset, writer, gen, now);
            RawSqlite.Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
        }

        File.Copy(dataset.ReferencePath, dataset.StorePath);
        log(string.Create(CultureInfo.InvariantCulture,
            $"{label} dataset: {n:N0} artifacts, {n - layer:N0} executions, {events:N0} events, {dataset.ContextIds.Length + dataset.HubContextIds.Length:N0} contexts, {new FileInfo(dataset.ReferencePath).Length / 1048576.0:F1} MB, built in {clock.Elapsed.TotalSeconds:F1} s"));
        return dataset;
    }

    /// <summary>The contexts of §5.2, scaled: n/100 runs of 100 consecutive artifacts (and their executions), 10 hubs of n/10 artifacts.</summary>
    private static void AddContexts(ReadDataset dataset, RawWriter writer, DataGen gen, long now)
    {
        var n = dataset.ArtifactCount;
        var contextTypes = new long[10];
        using (var tx = writer.Begin())
        {
            for (var t = 0; t < contextTypes.Length; t++)
                contextTypes[t] = writer.InsertType(DataGen.ContextType("bench.Run" + t.ToString(CultureInfo.InvariantCulture)));
            dataset.ContextIds = new long[Math.Max(1, n / ContextSize)];
            for (var j = 0; j < dataset.ContextIds.Length; j++)
            {
                var spec = gen.Context(string.Empty, j, contextTypes[j % contextTypes.Length], 5) with { Name = ContextName(j) };
                dataset.ContextIds[j] = writer.InsertContext(spec, now + j);
            }

            dataset.HubContextIds = new long[Hubs];
            for (var h = 0; h < Hubs; h++)
                dataset.HubContextIds[h] = writer.InsertContext(gen.Context(string.Empty, h, contextTypes[h], 5) with { Name = HubName(h) }, now + h);
            tx.Commit();
        }

        const int Batch = 20_000;
        for (var start = 0; start < n; start += Batch)
        {
            using var tx = writer.Begin();
            for (var k = start; k < Math.Min(n, start + Batch); k++)
            {
                var context = dataset.ContextIds[Math.Min(k / ContextSize, dataset.ContextIds.Length - 1)];
                writer.InsertAttribution(context, dataset.ArtifactIds[k]);
                if (dataset.ExecutionIds[k] != 0) writer.InsertAssociation(context, dataset.ExecutionIds[k]);
                writer.InsertAttribution(dataset.HubContextIds[k % Hubs], dataset.ArtifactIds[k]);
            }

            tx.Commit();
        }
    }

    public ValueTask DisposeAsync()
    {
        _referenceDir.Dispose();
        _storeDir.Dispose();
        return ValueTask.CompletedTask;
    }
}
