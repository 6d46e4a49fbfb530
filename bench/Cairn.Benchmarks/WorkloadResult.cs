namespace Cairn.Benchmarks;

/// <summary>One row of the results: the gated ratio with its goal, and the raw figures behind it.</summary>
internal sealed record WorkloadResult
{
    public required string Workload { get; init; }

    public required string Title { get; init; }

    public required string Size { get; init; }

    /// <summary>What the ratio compares, e.g. "artifacts/s" or "p50 latency".</summary>
    public required string Metric { get; init; }

    /// <summary>Median of the per-round SUT/reference ratios.</summary>
    public required double Ratio { get; init; }

    public required double RatioMin { get; init; }

    public required double RatioMax { get; init; }

    public required IReadOnlyList<double> RoundRatios { get; init; }

    public required double Goal { get; init; }

    /// <summary>"higher" or "lower".</summary>
    public required string Better { get; init; }

    /// <summary>The median meets the goal and every co-metric goal holds.</summary>
    public required bool Met { get; init; }

    /// <summary>The median misses the goal by at most 15% (performance.md §5.1 noise margin) and every co-metric goal holds.</summary>
    public required bool WithinNoiseMargin { get; init; }

    public Figures? Sut { get; init; }

    public Figures? Reference { get; init; }

    public double? StatementsPerCall { get; init; }

    public long? StatementsMax { get; init; }

    public int? StatementsGoal { get; init; }

    public double? BytesPerArtifactSut { get; init; }

    public double? BytesPerArtifactReference { get; init; }

    /// <summary>Peak resident memory of the process during the workload (VmHWM), MB.</summary>
    public double? PeakRssMb { get; init; }

    public double? PeakRssGoalMb { get; init; }

    public string? Notes { get; init; }

    public static WorkloadResult FromOutcome(
        string workload, string title, SizeProfile size, string metric, double goal, Better better, AbOutcome outcome, string unit,
        StatementTally? statements = null, int? statementsGoal = null, string? notes = null)
    {
        var ratios = better == Benchmarks.Better.Higher ? outcome.ThroughputRatios() : outcome.LatencyRatios();
        var median = Stats.Median(ratios);
        var coMet = statementsGoal is null || statements is null || statements.Max <= statementsGoal;
        return new WorkloadResult
        {
            Workload = workload,
            Title = title,
            Size = size.Name,
            Metric = metric,
            Ratio = median,
            RatioMin = ratios.Min(),
            RatioMax = ratios.Max(),
            RoundRatios = ratios,
            Goal = goal,
            Better = better == Benchmarks.Better.Higher ? "higher" : "lower",
            Met = Meets(median, goal, better, 1.0) && coMet,
            WithinNoiseMargin = Meets(median, goal, better, 1.15) && coMet,
            Sut = outcome.SutFigures(unit),
            Reference = outcome.ReferenceFigures(unit),
            StatementsPerCall = statements?.PerCall,
            StatementsMax = statements?.PerCall is null ? null : statements.Max,
            StatementsGoal = statementsGoal,
            PeakRssMb = ProcessMemory.PeakMb(),
            Notes = notes,
        };
    }

    public static bool Meets(double value, double goal, Better better, double margin) =>
        better == Benchmarks.Better.Higher ? value >= goal / margin : value <= goal * margin;
}
