using System.Collections.Concurrent;
using System.Reflection;

namespace Cairn;

/// <summary>Opens a store by URI. The backend assembly for the scheme is loaded on demand, so an embedded user pulls in only SQLite.</summary>
public static class CairnStore
{
    private static readonly ConcurrentDictionary<string, IStoreProvider> Providers = new(StringComparer.Ordinal);

    private static readonly IReadOnlyDictionary<string, string> AssemblyBySchema = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["sqlite"] = "Cairn.Store.Sqlite",
        ["memory"] = "Cairn.Store.Sqlite",
        ["postgres"] = "Cairn.Store.PostgreSql",
        ["grpc"] = "Cairn.Client",
    };

    /// <summary>Opens the store named by <paramref name="uri"/> (see <see cref="StoreUri"/>).</summary>
    public static Task<IMetadataStore> OpenAsync(string uri, CancellationToken cancellationToken = default) =>
        OpenAsync(StoreUri.Parse(uri), StoreOpenOptions.Default, cancellationToken);

    /// <summary>Opens the store named by <paramref name="uri"/> with options.</summary>
    public static Task<IMetadataStore> OpenAsync(StoreUri uri, StoreOpenOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return ProviderFor(uri.Scheme).OpenAsync(uri, options ?? StoreOpenOptions.Default, cancellationToken);
    }

    /// <summary>Registers a provider explicitly (the usual path is <see cref="StoreProviderAttribute"/>).</summary>
    public static void RegisterProvider(IStoreProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        foreach (var scheme in provider.Schemes) Providers[scheme] = provider;
    }

    private static IStoreProvider ProviderFor(string scheme)
    {
        if (Providers.TryGetValue(scheme, out var provider)) return provider;
        if (!AssemblyBySchema.TryGetValue(scheme, out var assemblyName))
            throw new InvalidArgumentException(Messages.StoreUriUnknownScheme(scheme + ":", scheme));

        Assembly assembly;
        try
        {
            assembly = Assembly.Load(new AssemblyName(assemblyName));
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            throw new UnimplementedException(Messages.BackendNotInstalled(scheme, assemblyName), e);
        }

        foreach (var attribute in assembly.GetCustomAttributes<StoreProviderAttribute>())
        {
            if (Activator.CreateInstance(attribute.ProviderType) is IStoreProvider found) RegisterProvider(found);
        }

        return Providers.TryGetValue(scheme, out provider)
            ? provider
            : throw new UnimplementedException(Messages.BackendNotInstalled(scheme, assemblyName));
    }
}
