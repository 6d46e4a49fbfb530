using System.Globalization;

namespace Cairn.Benchmarks;

/// <summary>One benchmark workload: runs the SUT against its hand-written reference and returns one or more result rows.</summary>
internal interface IWorkload
{
    /// <summary>W1, W2, …</summary>
    string Id { get; }

    Task<IReadOnlyList<WorkloadResult>> RunAsync(BenchContext context, CancellationToken cancellationToken);
}

/// <summary>What workloads share during a run: the configuration, the log and the lazily built read dataset.</summary>
internal sealed class BenchContext(BenchConfig config) : IAsyncDisposable
{
    private ReadDataset? _readDataset;
    private ReadDataset? _worstDataset;

    public BenchConfig Config { get; } = config;

    public SizeProfile Size => Config.Size;

    public TempDirectory NewTempDirectory(string label) => new(Config.TempRoot, label);

    public ReadDataset ReadDataset => _readDataset ??= ReadDataset.Build(Config, Log);

    /// <summary>The read dataset's DAG with uniformly drawn parents (W11's worst case), without contexts.</summary>
    public ReadDataset WorstCaseDataset => _worstDataset ??= ReadDataset.Build(Config, Log, worstCase: true);

    public static void Log(string message) =>
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{DateTime.Now:HH:mm:ss}] {message}"));

    public async ValueTask DisposeAsync()
    {
        if (_readDataset is not null) await _readDataset.DisposeAsync().ConfigureAwait(false);
        if (_worstDataset is not null) await _worstDataset.DisposeAsync().ConfigureAwait(false);
    }
}
