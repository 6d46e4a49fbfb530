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
/// W12 wire throughput and latency: the Cairn server started in-process on a copy of the read dataset (ports 0), called
/// over loopback with W6 (GetArtifactsByID, 1 id) through the generated gRPC client and through REST
/// (<c>GET /api/v1/artifacts/{id}</c>), and W10a (property-equality filter, page of 100) through gRPC, at 1 and 64
/// concurrent callers. Then W2 and W3 through the <c>grpc://</c> client store against the same calls in-process.
/// </summary>
/// <remarks>
/// References: a hello-world gRPC method (h2c) and a minimal-API JSON endpoint (HTTP/1.1, source-generated JSON) on a
/// second Kestrel host in the same process, configured like the server (slim builder, logging off, loopback), called with
/// the same kind of client (one <see cref="GrpcChannel"/>; one <see cref="HttpClient"/>). At c=1 the gated ratio is
/// SUT p50 ÷ (hello-world p50 + 2 × the same operation's in-process p50), all three measured in the same rounds; at c=64
/// it is SUT rps ÷ hello-world rps, with the SUT's p99 ≤ 5 ms as a co-metric. W2/W3 over the wire: wire ÷ in-process,
/// each on a fresh SQLite store. Client, server and reference host share the process (and its 2 cores), so the RSS
/// reported is the whole process's.
/// </remarks>
internal sealed class W12Wire : IWorkload
{
    /// <summary>Concurrent callers of the throughput rows.</summary>
    public const int Concurrency = 64;

    /// <summary>The c=64 p99 goal, microseconds.</summary>
    public const double P99GoalUs = 5_000;

    public string Id => "W12";

    public async Task<IReadOnlyList<WorkloadResult>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var size = context.Size;
        var data = context.ReadDataset;
        var results = new List<WorkloadResult>();

        using var serverDir = context.NewTempDirectory("w12-server");
        File.Copy(data.StorePath, serverDir.File("store.db"));
        await using var inProcess = await SutStore.OpenAsync(data.StorePath, cancellationToken).ConfigureAwait(false);
        await using var server = await CairnServer.StartAsync(new ServerOptions
        {
            StoreUri = "sqlite://" + serverDir.File("store.db"),
            GrpcPort = 0,
            HttpPort = 0,
            ConfigureLogging = _ => { },
        }, cancellationToken).ConfigureAwait(false);
        await using var hello = await HelloHost.StartAsync(cancellationToken).ConfigureAwait(false);

        using var sutChannel = GrpcChannel.ForAddress(server.GrpcAddress, new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 });
        var sutGrpc = new M.MetadataStoreService.MetadataStoreServiceClient(sutChannel);
        using var sutHttp = new HttpClient { BaseAddress = new Uri(server.HttpAddress) };
        using var helloChannel = GrpcChannel.ForAddress(hello.GrpcAddress);
        var helloGrpc = new Greeter.GreeterClient(helloChannel);
        using var helloHttp = new HttpClient { BaseAddress = new Uri(hello.HttpAddress) };
        BenchContext.Log($"W12 server gRPC {server.GrpcAddress}, HTTP {server.HttpAddress}; hello-world gRPC {hello.GrpcAddress}, HTTP {hello.HttpAddress}");
        ProcessMemory.ResetPeak();

        var rng = new Random(context.Config.Seed + 120);
        var n = data.ArtifactCount;
        long[] ids = [];
        string[] filters = [];
        var lightCalls = size.ReadOpsPerRound;
        var heavyCalls = Math.Max(10, size.ReadOpsPerRound / ReadBench.HeavyDivisor);
        int Prepare(int calls)
        {
            ids = Enumerable.Range(0, calls).Select(_ => data.ArtifactIds[rng.Next(n)]).ToArray();
            filters = Enumerable.Range(0, calls).Select(_ => $"properties.p5.string_value = '{ReadDataset.GroupValue(rng.Next(data.Groups))}'").ToArray();
            return calls;
        }

        Func<int, CancellationToken, Task> helloGrpcCall = async (i, ct) =>
            Expect((await helloGrpc.SayHelloAsync(new HelloRequest { Id = i }, cancellationToken: ct)).Message.Length > 0);
        Func<int, CancellationToken, Task> helloHttpCall = async (i, ct) =>
        {
            using var response = await helloHttp.GetAsync(new Uri("/hello", UriKind.Relative), ct).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            Expect((await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false)).Length > 0);
        };
        Func<int, CancellationToken, Task> grpcW6 = async (i, ct) =>
        {
            var request = new M.GetArtifactsByIDRequest();
            request.ArtifactIds.Add(ids[i]);
            var response = await sutGrpc.GetArtifactsByIDAsync(request, cancellationToken: ct);
            W6GetArtifactsById.Expect(response.Artifacts.Count, 1);
        };
        Func<int, CancellationToken, Task> restW6 = async (i, ct) =>
        {
            using var response = await sutHttp.GetAsync(new Uri("/api/v1/artifacts/" + ids[i].ToString(CultureInfo.InvariantCulture), UriKind.Relative), ct).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            Expect((await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false)).Length > 0);
        };
        Func<int, CancellationToken, Task> inProcessW6 = async (i, ct) =>
            W6GetArtifactsById.Expect((await inProcess.Store.GetArtifactsByIdAsync([ids[i]], ct).ConfigureAwait(false)).Count, 1);
        Func<int, CancellationToken, Task> grpcW10a = async (i, ct) =>
        {
            var response = await sutGrpc.GetArtifactsAsync(
                new M.GetArtifactsRequest { Options = MlmdMapping.ToProto(new ListOptions { MaxResultSize = 100, FilterQuery = filters[i] }) },
                cancellationToken: ct);
            W6GetArtifactsById.Expect(response.Artifacts.Count, 100);
        };
        Func<int, CancellationToken, Task> inProcessW10a = async (i, ct) =>
            W6GetArtifactsById.Expect((await inProcess.Store.GetArtifactsAsync(new ListOptions { MaxResultSize = 100, FilterQuery = filters[i] }, ct).ConfigureAwait(false)).Items.Count, 100);

        // c=1: SUT p50 ÷ (hello-world p50 + 2 × in-process p50); c=64: SUT rps ÷ hello-world rps, p99 ≤ 5 ms.
        (string Id, string Title, Func<int, CancellationToken, Task> Sut, Func<int, CancellationToken, Task> Hello, string HelloName,
            Func<int, CancellationToken, Task> InProcess, int Calls)[] shapes =
        [
            ("W12/gRPC W6", "GetArtifactsByID, 1 id, generated gRPC client (HTTP/2)", grpcW6, helloGrpcCall, "hello-world gRPC", inProcessW6, lightCalls),
            ("W12/REST W6", "GET /api/v1/artifacts/{id}, HttpClient (HTTP/1.1)", restW6, helloHttpCall, "hello-world minimal-API JSON", inProcessW6, lightCalls),
            ("W12/gRPC W10a", "GetArtifacts, filter properties.p5.string_value = … (200 hits), page of 100, gRPC", grpcW10a, helloGrpcCall, "hello-world gRPC", inProcessW10a, heavyCalls),
        ];

        double helloGrpcP50 = double.NaN;
        foreach (var shape in shapes)
        {
            var single = await RunSidesAsync(size.Rounds, () => Prepare(shape.Calls), [(shape.Hello, 1), (shape.Sut, 1), (shape.InProcess, 1)], cancellationToken).ConfigureAwait(false);
            var hFig = Figures.From(single.Select(r => r[0]).ToList(), "calls");
            var sFig = Figures.From(single.Select(r => r[1]).ToList(), "calls");
            var iFig = Figures.From(single.Select(r => r[2]).ToList(), "calls");
            if (shape.Hello == helloGrpcCall && double.IsNaN(helloGrpcP50)) helloGrpcP50 = hFig.P50Us;
            var latencyRatios = single.Select(r => r[1].PercentileMicros(50) / (r[0].PercentileMicros(50) + (2 * r[2].PercentileMicros(50)))).ToList();
            results.Add(Row(shape.Id + " c=1", shape.Title + ", 1 caller", size, "p50 ÷ (hello p50 + 2×in-process p50)", 1.0, Better.Lower, latencyRatios, sFig, hFig, true,
                string.Create(CultureInfo.InvariantCulture,
                    $"reference = {shape.HelloName}; SUT p50 {sFig.P50Us:F0} µs, p99 {sFig.P99Us:F0} µs, {sFig.CallsPerSecond:F0} rps; hello-world p50 {hFig.P50Us:F0} µs, {hFig.CallsPerSecond:F0} rps; in-process p50 {iFig.P50Us:F0} µs; bound p50 {hFig.P50Us + (2 * iFig.P50Us):F0} µs; process RSS {ProcessMemory.CurrentMb():F0} MB")));

            var many = await RunSidesAsync(size.Rounds, () => Prepare(shape.Calls * 10), [(shape.Hello, Concurrency), (shape.Sut, Concurrency)], cancellationToken).ConfigureAwait(false);
            var hMany = Figures.From(many.Select(r => r[0]).ToList(), "calls");
            var sMany = Figures.From(many.Select(r => r[1]).ToList(), "calls");
            var rpsRatios = many.Select(r => r[1].UnitsPerSecond / r[0].UnitsPerSecond).ToList();
            results.Add(Row(shape.Id + " c=64", shape.Title + ", 64 concurrent callers", size, "rps ÷ hello rps", 0.25, Better.Higher, rpsRatios, sMany, hMany,
                sMany.P99Us <= P99GoalUs,
                string.Create(CultureInfo.InvariantCulture,
                    $"reference = {shape.HelloName}; SUT {sMany.CallsPerSecond:F0} rps, p50 {sMany.P50Us:F0} µs, p99 {sMany.P99Us:F0} µs (goal ≤{P99GoalUs:F0} µs: {(sMany.P99Us <= P99GoalUs ? "met" : "MISSED")}); hello-world {hMany.CallsPerSecond:F0} rps, p50 {hMany.P50Us:F0} µs, p99 {hMany.P99Us:F0} µs; process RSS {ProcessMemory.CurrentMb():F0} MB (server, client and hello-world host)")));
        }

        results.AddRange(await WritesAsync(context, helloGrpcP50, cancellationToken).ConfigureAwait(false));
        return results;
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
    /// Runs the sides one after another in every round (the first side rotates from round to round); each side makes its
    /// calls from <c>concurrency</c> workers that take call numbers 0, 1, … from a shared counter. Round 0 is the warm-up.
    /// </summary>
    private static async Task<List<Sample[]>> RunSidesAsync(
        int rounds, Func<int> prepare, (Func<int, CancellationToken, Task> Call, int Concurrency)[] sides, CancellationToken cancellationToken)
    {
        var measured = new List<Sample[]>();
        for (var round = 0; round < rounds; round++)
        {
            var calls = prepare();
            var samples = sides.Select(_ => new Sample()).ToArray();
            for (var k = 0; k < sides.Length; k++)
            {
                var s = (round + k) % sides.Length;
                await DriveAsync(sides[s].Call, calls, sides[s].Concurrency, samples[s], cancellationToken).ConfigureAwait(false);
            }

            if (round > 0) measured.Add(samples);
        }

        return measured;
    }

    private static async Task DriveAsync(Func<int, CancellationToken, Task> call, int calls, int concurrency, Sample sample, CancellationToken cancellationToken)
    {
        var latencies = new long[calls];
        var next = -1;
        async Task Worker()
        {
            await Task.Yield();
            int i;
            while ((i = Interlocked.Increment(ref next)) < calls)
            {
                var start = Stopwatch.GetTimestamp();
                await call(i, cancellationToken).ConfigureAwait(false);
                latencies[i] = Stopwatch.GetTimestamp() - start;
            }
        }

        sample.StartRound();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Worker())).ConfigureAwait(false);
        sample.EndRound();
        foreach (var ticks in latencies) sample.AddLatency(ticks);
    }

    private static void Expect(bool condition)
    {
        if (!condition) throw new InvalidOperationException("An empty response.");
    }

    private static WorkloadResult Row(
        string workload, string title, SizeProfile size, string metric, double goal, Better better, List<double> ratios, Figures sut, Figures reference,
        bool coMet, string notes)
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
            PeakRssMb = ProcessMemory.PeakMb(),
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
