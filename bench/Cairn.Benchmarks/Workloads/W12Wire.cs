using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Serialization;
using Cairn.Benchmarks.Hello;
using Cairn.Grpc;
using Cairn.Server;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using M = Cairn.Grpc.Mlmd;

namespace Cairn.Benchmarks.Workloads;

/// <summary>
/// W12 wire throughput and latency: the Cairn server, in a process of its own on a copy of the read dataset, called over
/// loopback by <c>h2load</c> (a native load generator, another process) with W6 (GetArtifactsByID, 1 id) over gRPC and
/// over REST (<c>GET /api/v1/artifacts/{id}</c>), and W10a (property-equality filter, page of 100) over gRPC, at 1 and 64
/// concurrent calls. Then W2 and W3 through the <c>grpc://</c> client store against the same calls in-process.
/// </summary>
/// <remarks>
/// References: a hello-world gRPC method (h2c) and a minimal-API JSON endpoint (HTTP/1.1, source-generated JSON) on a
/// second Kestrel host in the server's process, configured like the server (slim builder, logging off, loopback), called
/// by the same load generator the same way: gRPC over one HTTP/2 connection with 1 or 64 streams in flight (one channel
/// and its callers), REST over 1 or 64 HTTP/1.1 connections. This is how performance.md §4.2 measured its anchors (wrk /
/// h2load on the same 2 cores); an in-process .NET client, used before, put the client's CPU and garbage collections into
/// every latency. At c=1 the gated ratio is SUT p50 ÷ (hello-world p50 + 2 × the same operation's in-process p50), all
/// three measured in the same rounds on the same ids or filters; at c=64 it is SUT rps ÷ hello-world rps, with the SUT's
/// p99 ≤ 5 ms as a co-metric. A round draws 10 ids (W6) or filters (W10a), 2 at XS; h2load sends one request body per
/// run, so gRPC calls go id by id, an equal share each; REST calls cycle through the round's URLs. W2/W3 over the wire:
/// wire ÷ in-process, each on a fresh SQLite store, through the .NET client store in this process.
/// </remarks>
internal sealed class W12Wire : IWorkload
{
    /// <summary>Concurrent callers of the throughput rows.</summary>
    public const int Concurrency = 64;

    /// <summary>The c=64 p99 goal, microseconds.</summary>
    public const double P99GoalUs = 5_000;

    /// <summary>One side of a wire row: makes <c>calls</c> calls with <c>concurrency</c> in flight, recording them.</summary>
    private delegate Task WireSide(int calls, int concurrency, Sample sample, CancellationToken cancellationToken);

    public string Id => "W12";

    public async Task<IReadOnlyList<WorkloadResult>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var results = new List<WorkloadResult>();
        var helloGrpcP50 = double.NaN;
        if (H2Load.Find() is { } h2load)
        {
            var (rows, hello) = await WireAsync(context, h2load, cancellationToken).ConfigureAwait(false);
            results.AddRange(rows);
            helloGrpcP50 = hello;
        }
        else
        {
            const string Missing = "h2load is not installed (Debian package nghttp2-client; test.sh installs it)";
            if (Environment.GetEnvironmentVariable("CI") == "true") throw new InvalidOperationException($"W12 cannot run: {Missing}.");
            BenchContext.Log($"W12 wire rows skipped: {Missing}. W2/W3 over the wire still run.");
        }

        results.AddRange(await WritesAsync(context, helloGrpcP50, cancellationToken).ConfigureAwait(false));
        return results;
    }

    private static async Task<(List<WorkloadResult> Rows, double HelloGrpcP50)> WireAsync(BenchContext context, string h2load, CancellationToken cancellationToken)
    {
        var size = context.Size;
        var data = context.ReadDataset;
        var results = new List<WorkloadResult>();

        using var serverDir = context.NewTempDirectory("w12-server");
        using var loadDir = context.NewTempDirectory("w12-load");
        File.Copy(data.StorePath, serverDir.File("store.db"));
        await using var inProcess = await SutStore.OpenAsync(data.StorePath, cancellationToken).ConfigureAwait(false);
        await using var host = await W12Host.StartAsync(serverDir.File("store.db"), cancellationToken).ConfigureAwait(false);

        // A .NET client checks each round's answers before the load generator sends the same requests.
        using var checkChannel = GrpcChannel.ForAddress(host.SutGrpc, new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 });
        var check = new M.MetadataStoreService.MetadataStoreServiceClient(checkChannel);
        using var checkHttp = new HttpClient { BaseAddress = new Uri(host.SutHttp) };
        BenchContext.Log($"W12 server process: gRPC {host.SutGrpc}, HTTP {host.SutHttp}; hello-world gRPC {host.HelloGrpc}, HTTP {host.HelloHttp}; load generator {h2load}");

        var rng = new Random(context.Config.Seed + 120);
        var keys = size.Name == "XS" ? 2 : 10;
        long[] ids = [];
        string[] filters = [];
        var dir = loadDir.FullPath;
        var lightCalls = size.ReadOpsPerRound;
        var heavyCalls = Math.Max(10, size.ReadOpsPerRound / ReadBench.HeavyDivisor);

        static M.GetArtifactsByIDRequest W6Request(long id)
        {
            var request = new M.GetArtifactsByIDRequest();
            request.ArtifactIds.Add(id);
            return request;
        }

        static M.GetArtifactsRequest W10aRequest(string filter) =>
            new() { Options = MlmdMapping.ToProto(new ListOptions { MaxResultSize = 100, FilterQuery = filter }) };

        async Task PrepareAsync(CancellationToken ct)
        {
            ids = Enumerable.Range(0, keys).Select(_ => data.ArtifactIds[rng.Next(data.ArtifactCount)]).ToArray();
            filters = Enumerable.Range(0, keys).Select(_ => $"properties.p5.string_value = '{ReadDataset.GroupValue(rng.Next(data.Groups))}'").ToArray();
            foreach (var id in ids)
            {
                W6GetArtifactsById.Expect((await check.GetArtifactsByIDAsync(W6Request(id), cancellationToken: ct)).Artifacts.Count, 1);
                using var response = await checkHttp.GetAsync(new Uri(RestPath(id), UriKind.Relative), ct).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
            }

            foreach (var filter in filters) W6GetArtifactsById.Expect((await check.GetArtifactsAsync(W10aRequest(filter), cancellationToken: ct)).Artifacts.Count, 100);
        }

        static string RestPath(long id) => "/api/v1/artifacts/" + id.ToString(CultureInfo.InvariantCulture);

        // The calls of a round, split evenly over its keys (the first ones take the remainder).
        static IEnumerable<(T Key, int Calls)> Split<T>(T[] keys, int calls) =>
            keys.Select((k, i) => (k, (calls / keys.Length) + (i < calls % keys.Length ? 1 : 0))).Where(p => p.Item2 > 0);

        // The hello-world calls are split into as many load-generator runs (connections) as the SUT's calls.
        WireSide helloGrpc = async (calls, c, sample, ct) =>
        {
            foreach (var (_, n) in Split(ids, calls))
                await H2Load.RunGrpcAsync(h2load, host.HelloGrpc, "cairn.bench.Greeter/SayHello", new HelloRequest { Id = 1 }, n, c, sample, dir, ct).ConfigureAwait(false);
        };
        WireSide helloHttp = (calls, c, sample, ct) => H2Load.RunHttp1Async(h2load, [host.HelloHttp + "/hello"], calls, c, sample, dir, ct);
        WireSide grpcW6 = async (calls, c, sample, ct) =>
        {
            foreach (var (id, n) in Split(ids, calls))
                await H2Load.RunGrpcAsync(h2load, host.SutGrpc, "ml_metadata.MetadataStoreService/GetArtifactsByID", W6Request(id), n, c, sample, dir, ct).ConfigureAwait(false);
        };
        WireSide restW6 = (calls, c, sample, ct) => H2Load.RunHttp1Async(h2load, [.. ids.Select(id => host.SutHttp + RestPath(id))], calls, c, sample, dir, ct);
        WireSide grpcW10a = async (calls, c, sample, ct) =>
        {
            foreach (var (filter, n) in Split(filters, calls))
                await H2Load.RunGrpcAsync(h2load, host.SutGrpc, "ml_metadata.MetadataStoreService/GetArtifacts", W10aRequest(filter), n, c, sample, dir, ct).ConfigureAwait(false);
        };
        WireSide inProcessW6 = async (calls, _, sample, ct) =>
        {
            sample.StartRound();
            foreach (var (id, n) in Split(ids, calls))
            {
                for (var i = 0; i < n; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    W6GetArtifactsById.Expect((await inProcess.Store.GetArtifactsByIdAsync([id], ct).ConfigureAwait(false)).Count, 1);
                    sample.Record(start);
                }
            }

            sample.EndRound();
        };
        WireSide inProcessW10a = async (calls, _, sample, ct) =>
        {
            sample.StartRound();
            foreach (var (filter, n) in Split(filters, calls))
            {
                for (var i = 0; i < n; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    var page = await inProcess.Store.GetArtifactsAsync(new ListOptions { MaxResultSize = 100, FilterQuery = filter }, ct).ConfigureAwait(false);
                    W6GetArtifactsById.Expect(page.Items.Count, 100);
                    sample.Record(start);
                }
            }

            sample.EndRound();
        };

        // c=1: SUT p50 ÷ (hello-world p50 + 2 × in-process p50); c=64: SUT rps ÷ hello-world rps, p99 ≤ 5 ms.
        (string Id, string Title, WireSide Sut, WireSide Hello, string HelloName, WireSide InProcess, int Calls, string Shape)[] shapes =
        [
            ("W12/gRPC W6", "GetArtifactsByID, 1 id, gRPC (h2load, 1 HTTP/2 connection)", grpcW6, helloGrpc, "hello-world gRPC", inProcessW6, lightCalls, "streams"),
            ("W12/REST W6", "GET /api/v1/artifacts/{id}, HTTP/1.1 (h2load --h1)", restW6, helloHttp, "hello-world minimal-API JSON", inProcessW6, lightCalls, "connections"),
            ("W12/gRPC W10a", "GetArtifacts, filter properties.p5.string_value = … (200 hits), page of 100, gRPC (h2load)", grpcW10a, helloGrpc, "hello-world gRPC", inProcessW10a, heavyCalls, "streams"),
        ];

        // Warm the server process first. It is new, and .NET recompiles a method with optimizations and profile data only after
        // it has run a while: the first thousands of calls of a fresh server run partly unoptimized code (a 1-id gRPC call's
        // p50 fell from about 190 to 120 µs over its first 20,000 calls). A server in use is warm; the rows measure that.
        var warmupFactor = size.Name == "XS" ? 0 : 10;
        foreach (var shape in shapes.DistinctBy(s => s.Sut))
        {
            await PrepareAsync(cancellationToken).ConfigureAwait(false);
            foreach (var side in new[] { shape.Sut, shape.Hello, shape.InProcess })
            {
                for (var c = 1; c <= Concurrency && warmupFactor > 0; c *= Concurrency)
                    await side(shape.Calls * warmupFactor, c, new Sample(), cancellationToken).ConfigureAwait(false);
            }
        }

        var helloGrpcP50 = double.NaN;
        foreach (var shape in shapes)
        {
            var single = await RunSidesAsync(size.Rounds, PrepareAsync, shape.Calls, [(shape.Hello, 1), (shape.Sut, 1), (shape.InProcess, 1)], cancellationToken).ConfigureAwait(false);
            var hFig = Figures.From(single.Select(r => r[0]).ToList(), "calls");
            var sFig = Figures.From(single.Select(r => r[1]).ToList(), "calls");
            var iFig = Figures.From(single.Select(r => r[2]).ToList(), "calls");
            if (shape.Hello == helloGrpc && double.IsNaN(helloGrpcP50)) helloGrpcP50 = hFig.P50Us;
            var latencyRatios = single.Select(r => r[1].PercentileMicros(50) / (r[0].PercentileMicros(50) + (2 * r[2].PercentileMicros(50)))).ToList();
            results.Add(Row(shape.Id + " c=1", shape.Title + ", 1 " + shape.Shape.TrimEnd('s'), size, "p50 ÷ (hello p50 + 2×in-process p50)", 1.0, Better.Lower, latencyRatios, sFig, hFig, true,
                string.Create(CultureInfo.InvariantCulture,
                    $"reference = {shape.HelloName}; SUT p50 {sFig.P50Us:F0} µs, p99 {sFig.P99Us:F0} µs, {sFig.CallsPerSecond:F0} rps; hello-world p50 {hFig.P50Us:F0} µs, {hFig.CallsPerSecond:F0} rps; in-process p50 {iFig.P50Us:F0} µs; bound p50 {hFig.P50Us + (2 * iFig.P50Us):F0} µs; server process peak RSS {host.PeakRssMb:F0} MB"), host.PeakRssMb));

            var many = await RunSidesAsync(size.Rounds, PrepareAsync, shape.Calls * 10, [(shape.Hello, Concurrency), (shape.Sut, Concurrency)], cancellationToken).ConfigureAwait(false);
            var hMany = Figures.From(many.Select(r => r[0]).ToList(), "calls");
            var sMany = Figures.From(many.Select(r => r[1]).ToList(), "calls");
            var rpsRatios = many.Select(r => r[1].UnitsPerSecond / r[0].UnitsPerSecond).ToList();
            results.Add(Row(shape.Id + " c=64", shape.Title + ", 64 " + shape.Shape, size, "rps ÷ hello rps", 0.25, Better.Higher, rpsRatios, sMany, hMany,
                sMany.P99Us <= P99GoalUs,
                string.Create(CultureInfo.InvariantCulture,
                    $"reference = {shape.HelloName}; SUT {sMany.CallsPerSecond:F0} rps, p50 {sMany.P50Us:F0} µs, p99 {sMany.P99Us:F0} µs (goal ≤{P99GoalUs:F0} µs: {(sMany.P99Us <= P99GoalUs ? "met" : "MISSED")}); hello-world {hMany.CallsPerSecond:F0} rps, p50 {hMany.P50Us:F0} µs, p99 {hMany.P99Us:F0} µs; server process peak RSS {host.PeakRssMb:F0} MB"), host.PeakRssMb));
        }

        return (results, helloGrpcP50);
    }

    /// <summary>W2 and W3 through the <c>grpc://</c> client store (a second server, fresh store) against the same calls in-process (fresh store).</summary>
    private static async Task<IReadOnlyList<WorkloadResult>> WritesAsync(BenchContext context, double helloGrpcP50, CancellationToken cancellationToken)
    {
        var size = context.Size;
        using var localDir = context.NewTempDirectory("w12-local");
        using var wireDir = context.NewTempDirectory("w12-wire");
        await using var local = await SutStore.OpenAsync(localDir.File("store.db"), cancellationToken).ConfigureAwait(false);
        await using var server = await CairnServer.StartAsync(new ServerOptions
        {
            StoreUri = "sqlite://" + wireDir.File("store.db"),
            GrpcPort = 0,
            HttpPort = 0,
            ConfigureLogging = _ => { },
        }, cancellationToken).ConfigureAwait(false);
        await using var wire = await CairnStore.OpenAsync(server.ClientStoreUri, cancellationToken).ConfigureAwait(false);

        var typeIds = new long[BenchConfig.ArtifactTypes];
        for (var t = 0; t < typeIds.Length; t++)
        {
            var type = DataGen.ArtifactType(ReadDataset.TypeName(t));
            typeIds[t] = await local.Store.PutArtifactTypeAsync(type, cancellationToken: cancellationToken).ConfigureAwait(false);
            var remote = await wire.PutArtifactTypeAsync(type, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (remote != typeIds[t]) throw new InvalidOperationException($"Type ids diverge between the wire store ({remote}) and the in-process store ({typeIds[t]}).");
        }

        ProcessMemory.ResetPeak();
        var gen = new DataGen(context.Config.Seed + 12);
        List<List<Artifact>> localRequests = [];
        List<List<Artifact>> wireRequests = [];
        long next = 0;

        // Both sides put the same artifacts (each on its own store), so the two stores stay alike round after round.
        void PrepareBulk(int requests)
        {
            var specs = BulkArtifacts.Generate(gen, next, requests, typeIds);
            next += requests;
            localRequests = specs.Select(r => r.Select(s => s.ToArtifact()).ToList()).ToList();
            wireRequests = specs.Select(r => r.Select(s => s.ToArtifact()).ToList()).ToList();
        }

        RoundRunner Side(IMetadataStore store, Func<List<List<Artifact>>> requests) => async (_, sample, ct) =>
        {
            foreach (var request in requests())
            {
                var start = Stopwatch.GetTimestamp();
                await store.PutArtifactsAsync(request, cancellationToken: ct).ConfigureAwait(false);
                sample.Record(start, request.Count);
            }
        };

        var bulk = await AbRunner.RunAsync(size.Rounds, _ => PrepareBulk(size.BulkRequestsPerRound),
            Side(local.Store, () => localRequests), Side(wire, () => wireRequests), cancellationToken).ConfigureAwait(false);
        var w2 = WorkloadResult.FromOutcome("W12/W2 wire", "PutArtifacts, 100 per request, 10 properties, grpc:// client store vs in-process", size,
            "artifacts/s", 0.4, Better.Higher, bulk, "artifacts", notes: "reference = the same calls on an in-process store; p50/p99 are per request of 100 artifacts");

        // W3: single artifacts, one durable commit per call. Requests of one artifact each.
        void PrepareSingle(int calls)
        {
            var specs = Enumerable.Range(0, calls).Select(i => gen.Artifact(string.Empty, (next * BenchConfig.BulkBatch) + i, typeIds[i % typeIds.Length])).ToList();
            next += (calls / BenchConfig.BulkBatch) + 1;
            localRequests = specs.Select(s => new List<Artifact> { s.ToArtifact() }).ToList();
            wireRequests = specs.Select(s => new List<Artifact> { s.ToArtifact() }).ToList();
        }

        var single = await AbRunner.RunAsync(size.Rounds, _ => PrepareSingle(size.SinglePutsPerRound),
            Side(local.Store, () => localRequests), Side(wire, () => wireRequests), cancellationToken).ConfigureAwait(false);
        var wireP50 = single.SutFigures("calls").P50Us;
        var localP50 = single.ReferenceFigures("calls").P50Us;
        var w3 = WorkloadResult.FromOutcome("W12/W3 wire", "PutArtifacts, 1 artifact per call, 10 properties, grpc:// client store vs in-process", size,
            "calls/s", 0.4, Better.Higher, single, "calls",
            notes: string.Create(CultureInfo.InvariantCulture,
                $"reference = the same calls on an in-process store; §5.3's other W3 wire goal, p50 ≤ in-process p50 + 2 × hello-world gRPC p50: {wireP50:F0} µs vs {localP50:F0} + 2 × {helloGrpcP50:F0} = {localP50 + (2 * helloGrpcP50):F0} µs ({(wireP50 <= localP50 + (2 * helloGrpcP50) ? "met" : "MISSED")})"));
        return [w2, w3];
    }

    /// <summary>
    /// Runs the sides one after another in every round (the first side rotates from round to round), each making
    /// <paramref name="calls"/> calls with its concurrency. Round 0 is the warm-up.
    /// </summary>
    private static async Task<List<Sample[]>> RunSidesAsync(
        int rounds, Func<CancellationToken, Task> prepare, int calls, (WireSide Side, int Concurrency)[] sides, CancellationToken cancellationToken)
    {
        var measured = new List<Sample[]>();
        for (var round = 0; round < rounds; round++)
        {
            await prepare(cancellationToken).ConfigureAwait(false);
            var samples = sides.Select(_ => new Sample()).ToArray();
            for (var k = 0; k < sides.Length; k++)
            {
                var s = (round + k) % sides.Length;
                await sides[s].Side(calls, sides[s].Concurrency, samples[s], cancellationToken).ConfigureAwait(false);
            }

            if (round > 0) measured.Add(samples);
        }

        return measured;
    }

    private static WorkloadResult Row(
        string workload, string title, SizeProfile size, string metric, double goal, Better better, List<double> ratios, Figures sut, Figures reference,
        bool coMet, string notes, double? peakRssMb = null)
    {
        var median = Stats.Median(ratios);
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
            Better = better == Better.Higher ? "higher" : "lower",
            Met = WorkloadResult.Meets(median, goal, better, 1.0) && coMet,
            WithinNoiseMargin = WorkloadResult.Meets(median, goal, better, 1.15) && coMet,
            Sut = sut,
            Reference = reference,
            PeakRssMb = peakRssMb ?? ProcessMemory.PeakMb(),
            Notes = notes,
        };
    }
}

/// <summary>The hello-world references: a trivial gRPC method and a minimal-API JSON endpoint on a Kestrel host of their own.</summary>
internal sealed class HelloHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HelloHost(WebApplication app, int grpcPort, int httpPort)
    {
        _app = app;
        GrpcAddress = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{grpcPort}");
        HttpAddress = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{httpPort}");
    }

    public string GrpcAddress { get; }

    public string HttpAddress { get; }

    public static async Task<HelloHost> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        ListenOptions? grpc = null;
        ListenOptions? http = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0, l =>
            {
                l.Protocols = HttpProtocols.Http2;
                grpc = l;
            });
            kestrel.Listen(IPAddress.Loopback, 0, l =>
            {
                l.Protocols = HttpProtocols.Http1;
                http = l;
            });
        });
        var app = builder.Build();
        app.MapGrpcService<GreeterService>();
        app.MapGet("/hello", () => TypedResults.Json(new HelloJson("hello, world"), HelloJsonContext.Default.HelloJson));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return new HelloHost(app, grpc!.IPEndPoint!.Port, http!.IPEndPoint!.Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>The hello-world gRPC method: a constant reply.</summary>
internal sealed class GreeterService : Greeter.GreeterBase
{
    private static readonly HelloReply Reply = new() { Message = "hello, world" };

    public override Task<HelloReply> SayHello(HelloRequest request, ServerCallContext context) => Task.FromResult(Reply);
}

internal sealed record HelloJson(string Message);

[JsonSerializable(typeof(HelloJson))]
internal sealed partial class HelloJsonContext : JsonSerializerContext;
