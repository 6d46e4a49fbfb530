using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cairn.Benchmarks;
using Cairn.Benchmarks.Workloads;
using Microsoft.Data.Sqlite;

// W12 starts this program again as its server process (H2Load.cs).
if (args is ["--w12-host", var w12Store]) return await W12Host.RunAsync(w12Store);

BenchConfig config;
try
{
    config = BenchConfig.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(BenchConfig.Usage);
    return 2;
}

IWorkload[] all =
[
    new W1FillTypes(), new W2BulkPutArtifacts(), new W3SinglePutArtifact(), new W4PutExecution(), new W5PutAttributionsAndAssociations(),
    new W6GetArtifactsById(), new W7ListArtifacts(), new W8GetArtifactsByContext(), new W9GetEventsByArtifactIds(), new W10FilterQueries(),
    new W11Lineage(), new W12Wire(), new W14Postgres(), new W15Footprint(),
    new WFilesSaveLoad(), new WSSearch(),
];

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

string sqliteVersion;
using (var probe = new SqliteConnection("Data Source=:memory:"))
{
    probe.Open();
    using var command = probe.CreateCommand();
    command.CommandText = "SELECT sqlite_version()";
    sqliteVersion = (string)command.ExecuteScalar()!;
}

BenchContext.Log(string.Create(CultureInfo.InvariantCulture,
    $"size {config.Size.Name}, {config.Size.Rounds} rounds (1 warm-up), seed {config.Seed}, {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, SQLite {sqliteVersion}"));
var results = new List<WorkloadResult>();
await using (var context = new BenchContext(config))
{
    foreach (var workload in all.Where(w => config.Workloads.Contains(w.Id, StringComparer.Ordinal)))
    {
        BenchContext.Log($"{workload.Id} …");
        ProcessMemory.ResetPeak();
        var rows = await workload.RunAsync(context, cancellation.Token);
        foreach (var row in rows) BenchContext.Log(ResultTable.Line(row));
        results.AddRange(rows);
    }
}

Console.WriteLine(ResultTable.Render(results));
if (config.OutPath is { } outPath)
{
    var options = new JsonSerializerOptions
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
    await File.WriteAllTextAsync(outPath, JsonSerializer.Serialize(results, options), cancellation.Token);
    BenchContext.Log($"wrote {Path.GetFullPath(outPath)}");
}

return 0;

/// <summary>The results as a Markdown table (the same table docs/performance.md shows).</summary>
internal static class ResultTable
{
    public static string Render(IReadOnlyList<WorkloadResult> results)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| Workload | Metric | Ratio (median) | Min–max | Goal | Met | SUT | Reference | Statements/call |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Workload} | {r.Metric} | {r.Ratio:F2} | {r.RatioMin:F2}–{r.RatioMax:F2} | {(r.Better == "higher" ? "≥" : "≤")}{r.Goal:0.0#} | {Verdict(r)} | {Side(r, r.Sut, true)} | {Side(r, r.Reference, false)} | {Statements(r)} |"));
        }

        return sb.ToString();
    }

    public static string Line(WorkloadResult r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Workload}: ratio {r.Ratio:F2} (min {r.RatioMin:F2}, max {r.RatioMax:F2}) goal {(r.Better == "higher" ? "≥" : "≤")}{r.Goal:0.0#} → {Verdict(r)}; SUT {Side(r, r.Sut, true)}; ref {Side(r, r.Reference, false)}; stmts {Statements(r)}");

    private static string Verdict(WorkloadResult r) => r.Met ? "yes" : r.WithinNoiseMargin ? "within 15%" : "**no**";

    private static string Side(WorkloadResult r, Figures? f, bool sut)
    {
        if (f is null)
        {
            var bytes = sut ? r.BytesPerArtifactSut : r.BytesPerArtifactReference;
            var rss = sut && r.PeakRssMb is { } mb ? string.Create(CultureInfo.InvariantCulture, $", peak RSS {mb:F0} MB") : string.Empty;
            return bytes is { } b ? string.Create(CultureInfo.InvariantCulture, $"{b:F0} B/artifact{rss}") : "–";
        }

        return r.Better == "higher"
            ? string.Create(CultureInfo.InvariantCulture, $"{f.UnitsPerSecond:N0} {f.Unit}/s, p99 {f.P99Us:N0} µs")
            : string.Create(CultureInfo.InvariantCulture, $"p50 {f.P50Us:N1} µs, p99 {f.P99Us:N1} µs");
    }

    private static string Statements(WorkloadResult r) => r.StatementsPerCall is { } s
        ? string.Create(CultureInfo.InvariantCulture, $"{s:0.##} (max {r.StatementsMax}{(r.StatementsGoal is { } g ? $", goal ≤{g}" : string.Empty)})")
        : "–";
}
