using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Cairn.Benchmarks;

/// <summary>
/// W12's load generator: nghttp2's <c>h2load</c>, a native HTTP/2 and HTTP/1.1 client run as a process of its own, as the
/// anchors of performance.md §4.2 were measured (wrk / h2load on the same 2 cores). Each run writes one line per request
/// (<c>--log-file</c>: start, status, microseconds), from which a round's percentiles come.
/// </summary>
internal static partial class H2Load
{
    /// <summary>The path of <c>h2load</c> on PATH, or null (Debian package nghttp2-client).</summary>
    public static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "h2load"))
            .FirstOrDefault(File.Exists);

    /// <summary>
    /// A gRPC unary method called <paramref name="calls"/> times with one request message, over one HTTP/2 connection with up
    /// to <paramref name="streams"/> calls in flight (as one channel with that many callers).
    /// </summary>
    public static Task RunGrpcAsync(
        string exe, string address, string method, Google.Protobuf.IMessage request, int calls, int streams, Sample sample, string workDir, CancellationToken ct)
    {
        // A gRPC message on the wire: a compression flag, the length (4 bytes, big-endian), the protobuf bytes.
        var bytes = Google.Protobuf.MessageExtensions.ToByteArray(request);
        var frame = new byte[5 + bytes.Length];
        frame[1] = (byte)(bytes.Length >> 24);
        frame[2] = (byte)(bytes.Length >> 16);
        frame[3] = (byte)(bytes.Length >> 8);
        frame[4] = (byte)bytes.Length;
        bytes.CopyTo(frame, 5);
        var body = Path.Combine(workDir, "grpc-body.bin");
        File.WriteAllBytes(body, frame);
        return RunAsync(exe,
            ["-n", Num(calls), "-c", "1", "-m", Num(streams), "-H", "content-type: application/grpc", "-H", "te: trailers", "-d", body, address + "/" + method],
            calls, sample, workDir, ct);
    }

    /// <summary>HTTP/1.1 GETs of <paramref name="uris"/> in turn, <paramref name="calls"/> in all, from <paramref name="connections"/> connections.</summary>
    public static Task RunHttp1Async(string exe, IReadOnlyList<string> uris, int calls, int connections, Sample sample, string workDir, CancellationToken ct)
    {
        var list = Path.Combine(workDir, "uris.txt");
        File.WriteAllLines(list, uris);
        return RunAsync(exe, ["--h1", "-n", Num(calls), "-c", Num(connections), "-i", list], calls, sample, workDir, ct);
    }

    private static async Task RunAsync(string exe, string[] args, int calls, Sample sample, string workDir, CancellationToken ct)
    {
        var log = Path.Combine(workDir, "h2load.tsv");
        File.Delete(log);
        var start = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.ArgumentList.Add("--log-file=" + log);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {exe}.");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct).ConfigureAwait(false);
        var output = await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false);

        // Every request must have succeeded with a 2xx; h2load's own clock gives the run's wall time.
        var requests = RequestsLine().Match(output);
        var finished = FinishedLine().Match(output);
        if (process.ExitCode != 0 || !requests.Success || !finished.Success || Parse(requests.Groups["ok"].Value) != calls || Parse(requests.Groups["xx"].Value) != calls)
            throw new InvalidOperationException($"h2load did not complete {calls} successful requests (exit {process.ExitCode}):\n{output}");
        var seconds = double.Parse(finished.Groups["t"].Value, CultureInfo.InvariantCulture) / (finished.Groups["u"].Value == "ms" ? 1_000 : 1);
        sample.AddElapsed(TimeSpan.FromSeconds(seconds));
        foreach (var line in File.ReadLines(log))
        {
            var micros = long.Parse(line.AsSpan(line.LastIndexOf('\t') + 1), CultureInfo.InvariantCulture);
            sample.AddLatency(micros * Stopwatch.Frequency / 1_000_000);
        }
    }

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static int Parse(string s) => int.Parse(s, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"finished in (?<t>[0-9.]+)(?<u>ms|s),")]
    private static partial Regex FinishedLine();

    [GeneratedRegex(@"requests: \d+ total, \d+ started, \d+ done, (?<ok>\d+) succeeded[\s\S]*?status codes: (?<xx>\d+) 2xx")]
    private static partial Regex RequestsLine();
}

/// <summary>
/// W12's server process: the Cairn server and the hello-world host, started by <c>Cairn.Benchmarks --w12-host STORE</c>,
/// so that the load generator, the server and the benchmark's own work are separate processes. It prints one line,
/// <c>ports SUT-GRPC SUT-HTTP HELLO-GRPC HELLO-HTTP</c>, and stops when its standard input closes.
/// </summary>
internal sealed class W12Host : IAsyncDisposable
{
    private readonly Process _process;

    private W12Host(Process process, int[] ports)
    {
        _process = process;
        SutGrpc = $"http://127.0.0.1:{ports[0]}";
        SutHttp = $"http://127.0.0.1:{ports[1]}";
        HelloGrpc = $"http://127.0.0.1:{ports[2]}";
        HelloHttp = $"http://127.0.0.1:{ports[3]}";
    }

    public string SutGrpc { get; }

    public string SutHttp { get; }

    public string HelloGrpc { get; }

    public string HelloHttp { get; }

    /// <summary>The server process's peak resident memory so far (the Cairn server and the hello-world host), or null.</summary>
    public double? PeakRssMb => ProcessMemory.PeakMbOf(_process.Id);

    public static async Task<W12Host> StartAsync(string storePath, CancellationToken ct)
    {
        var self = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(W12Host).Assembly.Location);
        start.ArgumentList.Add("--w12-host");
        start.ArgumentList.Add(storePath);

        // The GC `cairn serve` runs with (a console app's default: workstation, concurrent), not the benchmark's own.
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_gcConcurrent"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the W12 server process.");
        var line = await process.StandardOutput.ReadLineAsync(ct).ConfigureAwait(false);
        var parts = line?.Split(' ') ?? [];
        if (parts.Length != 5 || parts[0] != "ports")
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"The W12 server process did not start: '{line}'.");
        }

        return new W12Host(process, [.. parts.Skip(1).Select(p => int.Parse(p, CultureInfo.InvariantCulture))]);
    }

    /// <summary>The child's side: serve until standard input closes.</summary>
    public static async Task<int> RunAsync(string storePath)
    {
        await using var server = await Cairn.Server.CairnServer.StartAsync(new Cairn.Server.ServerOptions
        {
            StoreUri = "sqlite://" + storePath,
            GrpcPort = 0,
            HttpPort = 0,
            ConfigureLogging = _ => { },
        }).ConfigureAwait(false);
        await using var hello = await Workloads.HelloHost.StartAsync(CancellationToken.None).ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ports {server.GrpcPort} {server.HttpPort} {new Uri(hello.GrpcAddress).Port} {new Uri(hello.HttpAddress).Port}"));
        await Console.Out.FlushAsync().ConfigureAwait(false);
        await Console.In.ReadToEndAsync().ConfigureAwait(false);
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
