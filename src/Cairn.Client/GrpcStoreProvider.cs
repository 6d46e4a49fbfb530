using System.Globalization;
using Cairn.Grpc;

[assembly: Cairn.StoreProvider(typeof(Cairn.Client.GrpcStoreProvider))]

namespace Cairn.Client;

/// <summary>
/// Opens <c>grpc://host:port</c> stores: a server speaking <c>ml_metadata.MetadataStoreService</c>, such as <c>cairn serve</c>.
/// The port defaults to 8080 (MLMD's). The option <c>?timeout_sec=N</c> bounds every call, like MLMD's <c>client_timeout_sec</c>.
/// </summary>
public sealed class GrpcStoreProvider : IStoreProvider
{
    /// <summary>The default port, MLMD's.</summary>
    public const int DefaultPort = 8080;

    /// <inheritdoc/>
    public IReadOnlyCollection<string> Schemes { get; } = ["grpc"];

    /// <inheritdoc/>
    public async Task<IMetadataStore> OpenAsync(StoreUri uri, StoreOpenOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var (address, timeout) = Parse(uri);
        var store = new GrpcMetadataStore(address, uri.Display, timeout);
        try
        {
            await store.PingAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    internal static (Uri Address, TimeSpan? Timeout) Parse(StoreUri uri)
    {
        if (!Uri.TryCreate(uri.Location, UriKind.Absolute, out var parsed) || parsed.Host.Length == 0
            || (parsed.AbsolutePath.Length > 0 && parsed.AbsolutePath != "/"))
        {
            throw new InvalidArgumentException(GrpcMessages.GrpcUriInvalid(uri.Display));
        }

        TimeSpan? timeout = null;
        foreach (var part in parsed.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? string.Empty : Uri.UnescapeDataString(part[(eq + 1)..]);
            if (key == "timeout_sec" && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
                timeout = TimeSpan.FromSeconds(seconds);
            else
                throw new InvalidArgumentException(GrpcMessages.GrpcUriBadOption(uri.Display, part));
        }

        var port = parsed.IsDefaultPort || parsed.Port < 0 ? DefaultPort : parsed.Port;
        var host = parsed.HostNameType == UriHostNameType.IPv6 ? parsed.Host : parsed.DnsSafeHost;
        return (new UriBuilder("http", host, port).Uri, timeout);
    }
}
