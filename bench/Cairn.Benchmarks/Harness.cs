using System.Diagnostics;

namespace Cairn.Benchmarks;

/// <summary>Which direction of a ratio is good.</summary>
internal enum Better
{
    /// <summary>Throughput-like: SUT/reference should be at least the goal.</summary>
    Higher,
    /// <summary>Latency- or size-like: SUT/reference should be at most the goal.</summary>
    Lower,
}

/// <summary>What one side did in one round: per-call latencies, wall time and units of work (artifacts, edges, calls).</summary>
internal sealed class Sample
{
    private readonly List<long> _latencies = [];
    private long _started;

    public long ElapsedTicks { get; private set; }

    public long Units { get; private set; }

    public int Calls => _latencies.Count;

    public IReadOnlyList<long> Latencies => _latencies;

    public void StartRound() => _started = Stopwatch.GetTimestamp();

    public void EndRound() => ElapsedTicks = Stopwatch.GetTimestamp() - _started;

    /// <summary>Adds wall time measured elsewhere (W12's load generator reports its own).</summary>
    public void AddElapsed(TimeSpan elapsed) => ElapsedTicks += (long)(elapsed.TotalSeconds * Stopwatch.Frequency);

    /// <summary>Records one call that started at <paramref name="start"/> and did <paramref name="units"/> units of work.</summary>
    public void Record(long start, long units = 1)
    {
        _latencies.Add(Stopwatch.GetTimestamp() - start);
        Units += units;
    }

    /// <summary>Records one call timed elsewhere (W12's concurrent workers time their own calls): its latency in Stopwatch ticks.</summary>
    public void AddLatency(long ticks, long units = 1)
    {
        _latencies.Add(ticks);
        Units += units;
    }

    public double UnitsPerSecond => ElapsedTicks == 0 ? 0 : Units * (double)Stopwatch.Frequency / ElapsedTicks;

    public double PercentileMicros(double p) => Stats.PercentileMicros(_latencies, p);
}

/// <summary>One side of an A/B workload: runs one round of calls, recording each into the sample.</summary>
internal delegate Task RoundRunner(int round, Sample sample, CancellationToken cancellationToken);

/// <summary>Runs reference (A) and SUT (B) alternately, A B then B A, round after round; round 0 is the warm-up.</summary>
internal static class AbRunner
{
    public static Task<AbOutcome> RunAsync(int rounds, RoundRunner reference, RoundRunner sut, CancellationToken cancellationToken) =>
        RunAsync(rounds, null, reference, sut, cancellationToken);

    /// <summary>Like the other overload; <paramref name="prepare"/> builds a round's input, untimed, before either side runs.</summary>
    public static async Task<AbOutcome> RunAsync(
        int rounds, Action<int>? prepare, RoundRunner reference, RoundRunner sut, CancellationToken cancellationToken)
    {
        var outcome = new AbOutcome();
        for (var round = 0; round < rounds; round++)
        {
            prepare?.Invoke(round);
            var a = new Sample();
            var b = new Sample();
            // Alternate which side goes first so neither always runs on a cache the other warmed.
            if (round % 2 == 0)
            {
                await RunSideAsync(reference, round, a, cancellationToken).ConfigureAwait(false);
                await RunSideAsync(sut, round, b, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await RunSideAsync(sut, round, b, cancellationToken).ConfigureAwait(false);
                await RunSideAsync(reference, round, a, cancellationToken).ConfigureAwait(false);
            }

            if (round > 0) outcome.Rounds.Add((a, b));
        }

        return outcome;
    }

    private static async Task RunSideAsync(RoundRunner runner, int round, Sample sample, CancellationToken cancellationToken)
    {
        sample.StartRound();
        await runner(round, sample, cancellationToken).ConfigureAwait(false);
        sample.EndRound();
    }
}

/// <summary>The measured (non-warm-up) rounds of an A/B run.</summary>
internal sealed class AbOutcome
{
    public List<(Sample Reference, Sample Sut)> Rounds { get; } = [];

    /// <summary>Per-round SUT/reference ratio of units per second.</summary>
    public List<double> ThroughputRatios() => Rounds.Select(r => r.Sut.UnitsPerSecond / r.Reference.UnitsPerSecond).ToList();

    /// <summary>Per-round SUT/reference ratio of the median call latency.</summary>
    public List<double> LatencyRatios() => Rounds.Select(r => r.Sut.PercentileMicros(50) / r.Reference.PercentileMicros(50)).ToList();

    public Figures ReferenceFigures(string unit) => Figures.From(Rounds.Select(r => r.Reference).ToList(), unit);

    public Figures SutFigures(string unit) => Figures.From(Rounds.Select(r => r.Sut).ToList(), unit);
}

/// <summary>Absolute figures of one side over the measured rounds (logged, never gated).</summary>
/// <param name="Unit">What <see cref="UnitsPerSecond"/> counts.</param>
/// <param name="UnitsPerSecond">Median over rounds of units per second.</param>
/// <param name="CallsPerSecond">Median over rounds of calls per second.</param>
/// <param name="P50Us">Median call latency over all measured calls, microseconds.</param>
/// <param name="P99Us">99th percentile call latency over all measured calls, microseconds.</param>
/// <param name="Calls">Measured calls.</param>
internal sealed record Figures(string Unit, double UnitsPerSecond, double CallsPerSecond, double P50Us, double P99Us, int Calls)
{
    public static Figures From(IReadOnlyList<Sample> samples, string unit)
    {
        var all = samples.SelectMany(s => s.Latencies).ToList();
        return new Figures(
            unit,
            Stats.Median(samples.Select(s => s.UnitsPerSecond)),
            Stats.Median(samples.Select(s => s.ElapsedTicks == 0 ? 0 : s.Calls * (double)Stopwatch.Frequency / s.ElapsedTicks)),
            Stats.PercentileMicros(all, 50),
            Stats.PercentileMicros(all, 99),
            all.Count);
    }
}

internal static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0) return double.NaN;
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>Nearest-rank percentile of Stopwatch tick latencies, in microseconds.</summary>
    public static double PercentileMicros(IReadOnlyList<long> ticks, double p)
    {
        if (ticks.Count == 0) return double.NaN;
        var sorted = ticks.Order().ToList();
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)] * 1_000_000.0 / Stopwatch.Frequency;
    }
}

/// <summary>Counts the statements each SUT call executed (the engine's own counter).</summary>
internal sealed class StatementTally
{
    private long _total;
    private int _calls;

    public long Max { get; private set; }

    public void Add(long statements)
    {
        _total += statements;
        _calls++;
        Max = Math.Max(Max, statements);
    }

    public double? PerCall => _calls == 0 ? null : (double)_total / _calls;
}
