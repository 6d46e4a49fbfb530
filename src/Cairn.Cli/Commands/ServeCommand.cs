using System.CommandLine;
using Cairn.Cli.Configuration;
using Cairn.Client;
using Cairn.Server;
using Microsoft.Extensions.Logging;

namespace Cairn.Cli.Commands;

/// <summary><c>cairn serve</c>: serve the store over MLMD's gRPC API until Ctrl+C or SIGTERM.</summary>
internal static class ServeCommand
{
    public static Command Create(CliRuntime runtime, CommandCatalog catalog)
    {
        var command = catalog.Create(
            "serve",
            "Serve the store to MLMD clients (gRPC ml_metadata.MetadataStoreService, HTTP/2 without TLS) and over HTTP (REST /api/v1, /openapi/v1.json, /healthz, /readyz), until Ctrl+C or SIGTERM. Calls in flight finish before it stops.",
            "cairn serve --grpc-port 0 --http-port 0 --check",
            "cairn serve --store serve.db --grpc-port 0 --http-port 0 --max-message-mb 256 --check");
        var grpcPort = new Option<int>("--grpc-port")
        {
            Description = "The gRPC port (MLMD clients connect here); 0 picks a free port.",
            HelpName = "PORT",
            DefaultValueFactory = _ => ServerOptions.DefaultGrpcPort,
        };
        var httpPort = new Option<int>("--http-port")
        {
            Description = "The HTTP port: the REST API (/api/v1), its OpenAPI document, /healthz (the process is up) and /readyz (the store answers); 0 picks a free port.",
            HelpName = "PORT",
            DefaultValueFactory = _ => ServerOptions.DefaultHttpPort,
        };
        var bind = new Option<string>("--bind")
        {
            Description = "The address to listen on. Addresses other machines can reach are refused without --allow-remote.",
            HelpName = "ADDRESS",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var allowRemote = new Option<bool>("--allow-remote")
        {
            Description = "Allow a --bind address that other machines can reach. There is no authentication yet: use only on a trusted network.",
        };
        var maxMessage = new Option<int>("--max-message-mb")
        {
            Description = "The largest gRPC message received or sent, in megabytes.",
            HelpName = "MB",
            DefaultValueFactory = _ => ServerOptions.DefaultMaxMessageMegabytes,
        };
        var maxBody = new Option<int>("--max-body-mb")
        {
            Description = "The largest REST request body, in megabytes; a larger one is answered 413.",
            HelpName = "MB",
            DefaultValueFactory = _ => (int)(ServerOptions.DefaultMaxRequestBodyBytes / (1024 * 1024)),
        };
        var schemas = new Option<string[]>("--schemas")
        {
            Description = "A directory of schemaspace schema files (or one file, or a .dll of schema providers) served under /elyra and /api/v1/schemaspaces. Repeatable; beats the schemas configuration key.",
            HelpName = "DIR",
        };
        var accessLog = new Option<bool>("--access-log")
        {
            Description = "Log one line per request: the caller, the method and path (gRPC calls as 'gRPC /service/method'), the HTTP status or gRPC status name, and milliseconds.",
        };
        var check = new Option<bool>("--check")
        {
            Description = "Start, check that the store answers over gRPC and that /readyz says ready, then stop: for deployment scripts.",
        };
        command.Options.Add(grpcPort);
        command.Options.Add(httpPort);
        command.Options.Add(bind);
        command.Options.Add(allowRemote);
        command.Options.Add(maxMessage);
        command.Options.Add(maxBody);
        command.Options.Add(schemas);
        command.Options.Add(accessLog);
        command.Options.Add(check);

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var checkOnly = parseResult.GetValue(check);
            var config = runtime.Configuration(parseResult);
            T Setting<T>(Option<T> option, T configured) => CliRuntime.Given(parseResult, option) ? parseResult.GetValue(option)! : configured;
            var maxBodyMegabytes = Setting(maxBody, config.Integer(ConfigKeys.ServerMaxBodyMb)!.Value);
            if (maxBodyMegabytes is < 1 or > 2047) throw new UsageException(CliMessages.MaxBodyOutOfRange(maxBodyMegabytes));
            var options = new ServerOptions
            {
                Bind = Setting(bind, config.Text(ConfigKeys.ServerBind)!),
                AllowRemote = Setting(allowRemote, config.Boolean(ConfigKeys.ServerAllowRemote)!.Value),
                GrpcPort = Setting(grpcPort, config.Integer(ConfigKeys.ServerGrpcPort)!.Value),
                HttpPort = Setting(httpPort, config.Integer(ConfigKeys.ServerHttpPort)!.Value),
                MaxMessageMegabytes = Setting(maxMessage, config.Integer(ConfigKeys.ServerMaxMessageMb)!.Value),
                MaxRequestBodyBytes = maxBodyMegabytes * 1024L * 1024L,
                AccessLog = Setting(accessLog, config.Boolean(ConfigKeys.ServerAccessLog)!.Value),
                SchemaPaths = parseResult.GetValue(schemas) is { Length: > 0 } given ? [.. given.Select(runtime.ResolvePath)] : config.PathList(ConfigKeys.Schemas),
                SecretKeyFile = config.Text(ConfigKeys.SecretKeyFile),
                HandleShutdownSignals = !checkOnly,
                ConfigureLogging = logging => logging.AddProvider(new LineLogger(runtime.Out)),
            };

            // Refuse a bad configuration before a store is created for it.
            options.Validate();
            await using var store = await runtime.OpenStoreAsync(runtime.StoreUriFor(parseResult), create: true, cancellationToken);
            var server = await CairnServer.StartAsync(options with { Store = store }, cancellationToken);
            try
            {
                if (checkOnly)
                {
                    await CheckAsync(server, cancellationToken);
                    runtime.WriteLine(ServerMessages.CheckPassed);
                }
                else
                {
                    await server.Completion.WaitAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C: a normal way to stop a server.
            }
            finally
            {
                await server.StopAsync(CancellationToken.None);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task CheckAsync(ServerHandle server, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var ready = await http.GetAsync(new Uri(server.ClientHttpAddress + "/readyz"), cancellationToken);
        if (!ready.IsSuccessStatusCode)
        {
            var body = await ready.Content.ReadAsStringAsync(cancellationToken);
            throw new StoreUnavailableException(ServerMessages.CheckFailed(body.Trim()));
        }

        // The grpc:// provider itself, not whatever the process registered for the scheme: the check is about this server.
        var uri = StoreUri.Parse(server.ClientStoreUri + "?timeout_sec=10");
        await using var client = await new GrpcStoreProvider().OpenAsync(uri, StoreOpenOptions.Default, cancellationToken);
        await client.GetArtifactTypesAsync(cancellationToken);
    }

    /// <summary>Writes each log entry as one line, <c>info: message</c>, to the command's output.</summary>
    private sealed class LineLogger(TextWriter output) : ILoggerProvider, ILogger
    {
        private readonly object _gate = new();

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var level = logLevel switch
            {
                LogLevel.Information => "info",
                LogLevel.Warning => "warn",
                _ => "error",
            };
            var line = level + ": " + formatter(state, exception) + (exception is null || logLevel < LogLevel.Error ? string.Empty : " " + exception);
            lock (_gate)
            {
                output.Write(line.ReplaceLineEndings(" ") + "\n");
                output.Flush();
            }
        }

        public void Dispose()
        {
        }
    }
}
