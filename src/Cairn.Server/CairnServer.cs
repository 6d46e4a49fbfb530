using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Cairn.Server;

/// <summary>Starts Cairn servers in-process: the CLI's <c>cairn serve</c>, tests and embedding hosts all come through here.</summary>
public static class CairnServer
{
    /// <summary>
    /// Opens the store (unless one is given), binds both ports and starts serving. Returns once the server is listening;
    /// stop it with <see cref="ServerHandle.StopAsync"/>.
    /// </summary>
    /// <exception cref="InvalidArgumentException">The options are invalid, e.g. a non-loopback bind without <see cref="ServerOptions.AllowRemote"/>.</exception>
    /// <exception cref="StoreUnavailableException">A port cannot be bound.</exception>
    public static async Task<ServerHandle> StartAsync(ServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var address = options.ResolveBindAddress();

        var ownsStore = options.Store is null;
        var store = options.Store ?? await CairnStore.OpenAsync(
            options.StoreUri is { } uri ? StoreUri.Parse(uri) : StoreUri.Default, options.StoreOpenOptions, cancellationToken).ConfigureAwait(false);
        WebApplication? app = null;
        try
        {
            ListenOptions? grpcListener = null;
            ListenOptions? httpListener = null;
            app = Build(options, store, address, l => grpcListener = l, l => httpListener = l);
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new StoreUnavailableException(ServerMessages.CannotListen(address.ToString(), e.Message), e);
            }

            var handle = new ServerHandle(
                app, store, ownsStore, address, grpcListener!.IPEndPoint!.Port, httpListener!.IPEndPoint!.Port, options.ShutdownTimeout,
                options.HandleShutdownSignals);
            handle.LogStarted();
            return handle;
        }
        catch
        {
            if (app is not null) await app.DisposeAsync().ConfigureAwait(false);
            if (ownsStore) await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static WebApplication Build(
        ServerOptions options, IMetadataStore store, IPAddress address, Action<ListenOptions> grpcListener, Action<ListenOptions> httpListener)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(CairnServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });

        builder.Logging.ClearProviders();
        if (options.ConfigureLogging is { } configure)
        {
            configure(builder.Logging);
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        }

        // Framework chatter stays out of the log unless something is wrong; Cairn's own lines say what matters.
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);

        // The host logs a failed start as an error with the whole exception; StartAsync turns that failure into one clear
        // message of its own (a port in use, say), so the host's copy, a stack trace, stays out of the log.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);

        // A failed store probe is logged once, as a warning naming the reason (StoreProbe); the health check framework's own
        // error line for the same result would only repeat it.
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical);

        // Signals are handled by the handle (when asked), never by the framework: an embedding host keeps control of them.
        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ShutdownTimeout);
        builder.Services.AddSingleton(store);
        Rest.RestSetup.AddRest(builder.Services);
        Schemaspaces.SchemaspaceRoutes.Add(builder.Services, options);

        // The services and the interceptor hold nothing per call (the store is shared and thread-safe): one instance each,
        // instead of one constructed for every call.
        builder.Services.AddSingleton<ErrorInterceptor>();
        builder.Services.AddSingleton<MlmdService>();
        builder.Services.AddSingleton<LineageService>();
        builder.Services.AddSingleton<SearchService>();
        builder.Services.AddSingleton<LabelService>();
        builder.Services.AddSingleton<ChangeService>();

        var maxMessage = options.MaxMessageMegabytes * 1024 * 1024;
        builder.Services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = maxMessage;
            o.MaxSendMessageSize = maxMessage;
            o.Interceptors.Add<ErrorInterceptor>();
        });

        // The standard gRPC health service (Kubernetes' grpc probes, grpc_health_probe) reports the store probe for the
        // whole server ("") and for MLMD's service by name; reflection lets grpcurl and similar tools list and call the
        // services without the .proto files.
        builder.Services.AddGrpcHealthChecks(o =>
        {
            o.Services.Map(string.Empty, _ => true);
            o.Services.Map("ml_metadata.MetadataStoreService", _ => true);
        }).AddCheck<StoreHealthCheck>("store");
        builder.Services.AddGrpcReflection();

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(address, options.GrpcPort, l =>
            {
                l.Protocols = HttpProtocols.Http2;
                grpcListener(l);
            });
            kestrel.Listen(address, options.HttpPort, l =>
            {
                l.Protocols = HttpProtocols.Http1;
                httpListener(l);
            });
        });

        var app = builder.Build();
        if (options.AccessLog) app.UseMiddleware<AccessLog>();
        app.UseMiddleware<ActorMiddleware>();
        app.MapGrpcService<MlmdService>();
        app.MapGrpcService<LineageService>();
        app.MapGrpcService<SearchService>();
        app.MapGrpcService<LabelService>();
        app.MapGrpcService<ChangeService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", ReadyAsync);
        Rest.RestSetup.UseRest(app, options.MaxRequestBodyBytes);
        Schemaspaces.SchemaspaceRoutes.Map(app);
        return app;
    }

    private static async Task<IResult> ReadyAsync(HttpContext http, IMetadataStore store, ILoggerFactory loggers) =>
        await StoreProbe.NotReadyReasonAsync(store, loggers.CreateLogger(typeof(CairnServer)), http.RequestAborted).ConfigureAwait(false) is { } reason
            ? Results.Text(ServerMessages.NotReady(reason) + "\n", statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Text("ready\n");

    /// <summary>A host lifetime that neither listens to signals nor prints status lines.</summary>
    private sealed class QuietLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>A running server: its bound ports, and how to stop it.</summary>
public sealed class ServerHandle : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IMetadataStore _store;
    private readonly bool _ownsStore;
    private readonly TimeSpan _shutdownTimeout;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<System.Runtime.InteropServices.PosixSignalRegistration> _signals = [];
    private readonly object _gate = new();
    private Task? _stopping;

    internal ServerHandle(
        WebApplication app, IMetadataStore store, bool ownsStore, IPAddress address, int grpcPort, int httpPort, TimeSpan shutdownTimeout,
        bool handleSignals)
    {
        _app = app;
        _store = store;
        _ownsStore = ownsStore;
        _shutdownTimeout = shutdownTimeout;
        _logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CairnServer));
        Address = address;
        GrpcPort = grpcPort;
        HttpPort = httpPort;
        if (handleSignals)
        {
            foreach (var signal in new[] { System.Runtime.InteropServices.PosixSignal.SIGINT, System.Runtime.InteropServices.PosixSignal.SIGTERM })
            {
                _signals.Add(System.Runtime.InteropServices.PosixSignalRegistration.Create(signal, context =>
                {
                    context.Cancel = true;
                    _ = StopAsync();
                }));
            }
        }
    }

    /// <summary>The address the server listens on.</summary>
    public IPAddress Address { get; }

    /// <summary>The bound gRPC port (the chosen one when 0 was asked for).</summary>
    public int GrpcPort { get; }

    /// <summary>The bound HTTP port (the chosen one when 0 was asked for).</summary>
    public int HttpPort { get; }

    /// <summary>The gRPC endpoint, e.g. <c>http://127.0.0.1:8080</c>.</summary>
    public string GrpcAddress => Url("http", Address, GrpcPort);

    /// <summary>The HTTP endpoint, e.g. <c>http://127.0.0.1:8470</c>.</summary>
    public string HttpAddress => Url("http", Address, HttpPort);

    /// <summary>A store URI a client on this machine opens the server with, e.g. <c>grpc://127.0.0.1:8080</c>.</summary>
    public string ClientStoreUri => Url("grpc", ConnectableAddress, GrpcPort);

    /// <summary>The HTTP base address a client on this machine reaches the health endpoints with.</summary>
    public string ClientHttpAddress => Url("http", ConnectableAddress, HttpPort);

    /// <summary>The store being served.</summary>
    public IMetadataStore Store => _store;

    /// <summary>Completes when the server has stopped, whatever stopped it (a call to <see cref="StopAsync"/> or a signal).</summary>
    public Task Completion => _stopped.Task;

    private IPAddress ConnectableAddress => Address.Equals(IPAddress.Any) ? IPAddress.Loopback
        : Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback
        : Address;

    /// <summary>
    /// Stops listening, lets calls in flight finish (up to the shutdown timeout; each is one transaction, so a call cut off
    /// writes nothing), then closes the store if the server opened it. Safe to call more than once.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate) _stopping ??= StopCoreAsync();
        return _stopping.WaitAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    internal void LogStarted()
    {
        ServerLog.Serving(_logger, _store.DisplayUri);
        ServerLog.GrpcListening(_logger, GrpcAddress);
        ServerLog.HttpListening(_logger, HttpAddress);
    }

    private async Task StopCoreAsync()
    {
        try
        {
            foreach (var signal in _signals) signal.Dispose();
            ServerLog.Stopping(_logger, _shutdownTimeout.TotalSeconds);
            using (var timeout = new CancellationTokenSource(_shutdownTimeout))
            {
                await _app.StopAsync(timeout.Token).ConfigureAwait(false);
            }

            ServerLog.Stopped(_logger);
            await _app.DisposeAsync().ConfigureAwait(false);
            if (_ownsStore) await _store.DisposeAsync().ConfigureAwait(false);
            _stopped.TrySetResult();
        }
        catch (Exception e)
        {
            _stopped.TrySetException(e);
            throw;
        }
    }

    private static string Url(string scheme, IPAddress address, int port) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"{scheme}://[{address}]:{port}" : $"{scheme}://{address}:{port}";
}
