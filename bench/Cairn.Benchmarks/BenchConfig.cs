using System.Globalization;

namespace Cairn.Benchmarks;

/// <summary>How much work each workload does at one size. Counts are per side (SUT or reference) and per round.</summary>
/// <param name="Name">XS, S or L.</param>
/// <param name="Rounds">Rounds including the discarded warm-up round.</param>
/// <param name="TypesPerRound">W1: types inserted.</param>
/// <param name="BulkRequestsPerRound">W2: requests of <see cref="BenchConfig.BulkBatch"/> artifacts.</param>
/// <param name="SinglePutsPerRound">W3: single-artifact puts.</param>
/// <param name="ExecutionsPerRound">W4: PutExecution calls.</param>
/// <param name="EdgeRequestsPerRound">W5: requests of <see cref="BenchConfig.EdgesPerRequest"/> edges.</param>
/// <param name="ReadOpsPerRound">W6, W7, W9: calls per sub-workload.</param>
/// <param name="ReadArtifacts">Artifacts in the read dataset (W6, W7, W9).</param>
/// <param name="FootprintArtifacts">W15: artifacts written through each side.</param>
internal sealed record SizeProfile(
    string Name,
    int Rounds,
    int TypesPerRound,
    int BulkRequestsPerRound,
    int SinglePutsPerRound,
    int ExecutionsPerRound,
    int EdgeRequestsPerRound,
    int ReadOpsPerRound,
    int ReadArtifacts,
    int FootprintArtifacts)
{
    /// <summary>Smoke size: every workload runs in seconds; the ratios mean little.</summary>
    public static SizeProfile XS { get; } = new("XS", 3, 20, 3, 20, 20, 2, 50, 2_000, 1_000);

    /// <summary>CI size: about two minutes on 2 cores. The read dataset is 1/50 of L (see docs/performance.md).</summary>
    public static SizeProfile S { get; } = new("S", 8, 600, 50, 600, 400, 10, 1_000, 20_000, 20_000);

    /// <summary>Manual/nightly size: the read dataset of performance.md §5.2 (1M artifacts) and W15 writes 1M artifacts.</summary>
    public static SizeProfile L { get; } = new("L", 8, 1_000, 200, 1_000, 1_000, 40, 1_000, 1_000_000, 1_000_000);

    public static SizeProfile Parse(string name) => name.ToUpperInvariant() switch
    {
        "XS" => XS,
        "S" => S,
        "L" => L,
        _ => throw new ArgumentException($"Unknown size '{name}'; use XS, S or L.", nameof(name)),
    };
}

/// <summary>The shared configuration of a run: size, seed, which workloads, where results and temp files go.</summary>
internal sealed class BenchConfig
{
    /// <summary>Artifacts per W2 request (mlmd_bench FillNodes num_nodes=100).</summary>
    public const int BulkBatch = 100;

    /// <summary>Edges per W5 request (half attributions, half associations).</summary>
    public const int EdgesPerRequest = 1_000;

    /// <summary>Typed properties per artifact and execution (performance.md §5.2).</summary>
    public const int PropertiesPerNode = 10;

    /// <summary>Artifact types in the datasets (performance.md §5.2).</summary>
    public const int ArtifactTypes = 100;

    /// <summary>Execution types in the datasets (performance.md §5.2).</summary>
    public const int ExecutionTypes = 20;

    /// <summary>Layers of the read dataset's DAG (performance.md §5.2).</summary>
    public const int Layers = 50;

    public static IReadOnlyList<string> AllWorkloads { get; } = ["W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "W9", "W10", "W11", "W12", "W14", "W15", "WF", "WS"];

    public SizeProfile Size { get; private init; } = SizeProfile.S;

    public int Seed { get; private init; } = 20_250_101;

    public IReadOnlyList<string> Workloads { get; private init; } = AllWorkloads;

    public string? OutPath { get; private init; }

    public string TempRoot { get; private init; } = Path.GetTempPath();

    /// <summary>Where built read datasets are kept and reused by later runs (<c>--datasets</c>); null builds them every run.</summary>
    public string? DatasetCache { get; private init; }

    /// <summary>W11's DAGs: <c>local</c>, <c>worst</c> or both (<c>--w11-dags</c>).</summary>
    public IReadOnlyList<string> W11Dags { get; private init; } = ["local", "worst"];

    /// <summary>W11's hop cases when given (<c>--w11-hops</c>); null runs the defaults (2, 10, 20, 100; no 100 on the worst-case DAG at L).</summary>
    public IReadOnlyList<int>? W11Hops { get; private init; }

    public static string Usage =>
        """
        Usage: dotnet run -c Release --project bench/Cairn.Benchmarks -- [options]
          --workloads W1,W2,...  workloads to run (default: all of W1-W12, W14, W15, WF, WS; W14 needs PostgreSQL,
                                 WF's S3 rows CAIRN_BENCH_S3=http://host:port or Node.js to start s3rver)
          --size XS|S|L          dataset and round size (default S)
          --quick                same as --size XS: every workload in seconds (smoke test)
          --rounds N             rounds including the discarded warm-up (default 3 at XS, 8 otherwise)
          --seed N               random seed (default 20250101)
          --out FILE             write the results as a JSON array
          --temp DIR             where the per-run temp directories go (default the system temp dir)
          --datasets DIR         keep the built read datasets in DIR and reuse them in later runs with the same size,
                                 seed and schema (the L dataset takes 15-35 min to build; a reused one is copied)
          --w11-dags local,worst W11's DAGs (default both; the worst-case DAG adds its own dataset at L)
          --w11-hops 2,10,...    W11's hop cases (default 2,10,20,100; at L the worst-case DAG skips 100 unless named here)
        """;

    public static BenchConfig Parse(IReadOnlyList<string> args)
    {
        var size = SizeProfile.S;
        int? rounds = null;
        var seed = 20_250_101;
        IReadOnlyList<string> workloads = AllWorkloads;
        string? outPath = null;
        var temp = Path.GetTempPath();
        string? datasets = null;
        IReadOnlyList<string> w11Dags = ["local", "worst"];
        IReadOnlyList<int>? w11Hops = null;
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"Option {args[i]} needs a value.");
            switch (args[i])
            {
                case "--size": size = SizeProfile.Parse(Next()); break;
                case "--quick": size = SizeProfile.XS; break;
                case "--rounds": rounds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--seed": seed = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--out": outPath = Next(); break;
                case "--temp": temp = Next(); break;
                case "--datasets": datasets = Path.GetFullPath(Next()); break;
                case "--w11-dags":
                    w11Dags = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(d => d.ToLowerInvariant()).ToList();
                    if (w11Dags.Count == 0 || w11Dags.Any(d => d is not ("local" or "worst"))) throw new ArgumentException("--w11-dags takes local, worst or local,worst.");
                    break;
                case "--w11-hops":
                    w11Hops = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(h => int.TryParse(h, NumberStyles.None, CultureInfo.InvariantCulture, out var hops) && hops is >= 1 and <= 100
                            ? hops : throw new ArgumentException($"--w11-hops takes hop counts from 1 to 100; '{h}' is not one.")).ToList();
                    if (w11Hops.Count == 0) throw new ArgumentException("--w11-hops needs at least one hop count.");
                    break;
                case "--workloads":
                    workloads = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(w => w.ToUpperInvariant()).ToList();
                    var unknown = workloads.Where(w => !AllWorkloads.Contains(w, StringComparer.Ordinal)).ToList();
                    if (unknown.Count > 0) throw new ArgumentException($"Unknown workload(s) {string.Join(", ", unknown)}; known: {string.Join(", ", AllWorkloads)}.");
                    break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }

        if (rounds is { } r)
        {
            if (r < 2) throw new ArgumentException("--rounds must be at least 2 (one warm-up plus one measured round).");
            size = size with { Rounds = r };
        }

        return new BenchConfig { Size = size, Seed = seed, Workloads = workloads, OutPath = outPath, TempRoot = temp, DatasetCache = datasets, W11Dags = w11Dags, W11Hops = w11Hops };
    }
}
