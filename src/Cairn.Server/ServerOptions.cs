using System.Net;

namespace Cairn.Server;

/// <summary>How a Cairn server is started (see <see cref="CairnServer.StartAsync"/>).</summary>
public sealed record ServerOptions
{
    /// <summary>The default gRPC port, MLMD's.</summary>
    public const int DefaultGrpcPort = 8080;

    /// <summary>The default port of the HTTP endpoints (health checks).</summary>
    public const int DefaultHttpPort = 8470;

    /// <summary>The default limit on one gRPC message, in megabytes (MLMD clients hit gRPC's usual 4 MB on large listings).</summary>
    public const int DefaultMaxMessageMegabytes = 64;

    /// <summary>The default limit on one REST request body: 64 MB, as for gRPC messages.</summary>
    public const long DefaultMaxRequestBodyBytes = 64L * 1024 * 1024;

    /// <summary>An open store to serve; the caller keeps ownership and disposes it after the server has stopped.</summary>
    public IMetadataStore? Store { get; init; }

    /// <summary>The URI of a store to open (and create when missing) when <see cref="Store"/> is null; the server disposes it on stop.</summary>
    public string? StoreUri { get; init; }

    /// <summary>Options for opening <see cref="StoreUri"/>.</summary>
    public StoreOpenOptions StoreOpenOptions { get; init; } = StoreOpenOptions.Default;

    /// <summary>The address to listen on: an IP address or <c>localhost</c>. Default 127.0.0.1.</summary>
    public string Bind { get; init; } = "127.0.0.1";

    /// <summary>Allow a <see cref="Bind"/> address that other machines can reach (there is no authentication yet).</summary>
    public bool AllowRemote { get; init; }

    /// <summary>The gRPC port (HTTP/2 without TLS); 0 picks a free port.</summary>
    public int GrpcPort { get; init; } = DefaultGrpcPort;

    /// <summary>The HTTP port of <c>/healthz</c> and <c>/readyz</c>; 0 picks a free port.</summary>
    public int HttpPort { get; init; } = DefaultHttpPort;

    /// <summary>The largest gRPC message received or sent, in megabytes.</summary>
    public int MaxMessageMegabytes { get; init; } = DefaultMaxMessageMegabytes;

    /// <summary>The largest request body the REST interface (/api/v1) accepts, in bytes; a larger one is answered 413.</summary>
    public long MaxRequestBodyBytes { get; init; } = DefaultMaxRequestBodyBytes;

    /// <summary>Directories (or files) of schemaspace schema files served under /elyra and /api/v1/schemaspaces (<c>--schemas</c>).</summary>
    public IReadOnlyList<string> SchemaPaths { get; init; } = [];

    /// <summary>The key file of schemaspace secrets; null means <c>$CAIRN_SECRET_KEY_FILE</c>, else <c>$CAIRN_HOME/secret.key</c>.</summary>
    public string? SecretKeyFile { get; init; }

    /// <summary>How long a stop waits for calls in flight before cutting them off (each call is one transaction, so nothing is half written).</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Log one line per finished request: caller, method and path, status, milliseconds (<c>--access-log</c>).</summary>
    public bool AccessLog { get; init; }

    /// <summary>Adds log providers; null logs to the console, one line per message.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }

    /// <summary>Stop on SIGINT and SIGTERM by itself (a host process that handles signals itself leaves this off).</summary>
    public bool HandleShutdownSignals { get; init; }

    /// <summary>Checks the options without starting anything; throws <see cref="InvalidArgumentException"/> naming the problem.</summary>
    public void Validate() => _ = ResolveBindAddress();

    internal IPAddress ResolveBindAddress()
    {
        if (GrpcPort is < 0 or > 65535) throw new InvalidArgumentException(ServerMessages.PortOutOfRange("--grpc-port", GrpcPort));
        if (HttpPort is < 0 or > 65535) throw new InvalidArgumentException(ServerMessages.PortOutOfRange("--http-port", HttpPort));
        if (GrpcPort != 0 && GrpcPort == HttpPort) throw new InvalidArgumentException(ServerMessages.PortsEqual(GrpcPort));
        if (MaxMessageMegabytes is < 1 or > 2047) throw new InvalidArgumentException(ServerMessages.MessageSizeOutOfRange(MaxMessageMegabytes));
        if (MaxRequestBodyBytes < 1) throw new InvalidArgumentException(Rest.RestMessages.MaxBodyOutOfRange(MaxRequestBodyBytes));

        var bind = (Bind ?? string.Empty).Trim();
        IPAddress address;
        if (string.Equals(bind, "localhost", StringComparison.OrdinalIgnoreCase)) address = IPAddress.Loopback;
        else if (!IPAddress.TryParse(bind.Trim('[', ']'), out address!)) throw new InvalidArgumentException(ServerMessages.BindNotAnAddress(bind));

        if (!IPAddress.IsLoopback(address) && !AllowRemote) throw new InvalidArgumentException(ServerMessages.RemoteBindRefused(bind));
        return address;
    }
}
