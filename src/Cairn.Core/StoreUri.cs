namespace Cairn;

/// <summary>
/// The one way a store is named everywhere (CLI, configuration, library):
/// <c>sqlite:///abs/path.db</c>, <c>sqlite:relative.db</c>, <c>memory:</c>, <c>postgres://user@host/db</c>, <c>grpc://host:port</c>.
/// A bare file path is read as a SQLite file.
/// </summary>
public sealed record StoreUri
{
    private StoreUri(string scheme, string location, string original)
    {
        Scheme = scheme;
        Location = location;
        Original = original;
    }

    /// <summary>Lower-case scheme: <c>sqlite</c>, <c>memory</c>, <c>postgres</c> or <c>grpc</c>.</summary>
    public string Scheme { get; }

    /// <summary>For <c>sqlite</c>, the full file path; for <c>memory</c>, an optional name; otherwise the URI itself.</summary>
    public string Location { get; }

    /// <summary>The text as given.</summary>
    public string Original { get; }

    /// <summary>The URI with any password replaced by <c>***</c>, safe to print and log.</summary>
    public string Display => Scheme is "postgres" or "grpc" ? RedactPassword(Original) : Original;

    /// <summary>The directory that holds Cairn's per-user files: <c>$CAIRN_HOME</c>, else <c>~/.cairn</c>.</summary>
    public static string HomeDirectory
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("CAIRN_HOME");
            if (!string.IsNullOrWhiteSpace(env)) return Path.GetFullPath(env);
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cairn");
        }
    }

    /// <summary>The default store: <c>sqlite://</c> at <c>$CAIRN_HOME/cairn.db</c>.</summary>
    public static StoreUri Default => Parse("sqlite://" + Path.Combine(HomeDirectory, "cairn.db"));

    /// <summary>Parses a store URI; throws <see cref="InvalidArgumentException"/> naming the problem.</summary>
    public static StoreUri Parse(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var text = uri.Trim();
        if (text.Length == 0) throw new InvalidArgumentException(Messages.StoreUriEmpty);

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 1)
        {
            // No scheme (or a single-letter one, which would be a Windows drive): a file path.
            return new StoreUri("sqlite", Path.GetFullPath(text), uri);
        }

        var scheme = text[..colon].ToLowerInvariant();
        var rest = text[(colon + 1)..];
        switch (scheme)
        {
            case "sqlite":
                {
                    // sqlite:///abs/path.db (three slashes: empty authority) and sqlite:relative.db.
                    string path;
                    if (rest.StartsWith("//", StringComparison.Ordinal)) path = rest[2..];
                    else path = rest;
                    if (path.Length == 0) throw new InvalidArgumentException(Messages.StoreUriNoPath(uri));
                    path = Uri.UnescapeDataString(path);
                    return new StoreUri("sqlite", Path.GetFullPath(path), uri);
                }

            case "memory":
                return new StoreUri("memory", rest.TrimStart('/'), uri);
            case "postgres":
            case "postgresql":
                return new StoreUri("postgres", text, uri);
            case "grpc":
                return new StoreUri("grpc", text, uri);
            default:
                if (scheme.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
                    throw new InvalidArgumentException(Messages.StoreUriUnknownScheme(uri, scheme));
                return new StoreUri("sqlite", Path.GetFullPath(text), uri);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Display;

    private static string RedactPassword(string uri)
    {
        var schemeEnd = uri.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0) return uri;
        var at = uri.IndexOf('@', schemeEnd + 3);
        if (at < 0) return uri;
        var colon = uri.IndexOf(':', schemeEnd + 3);
        if (colon < 0 || colon > at) return uri;
        return string.Concat(uri.AsSpan(0, colon + 1), "***", uri.AsSpan(at));
    }
}

/// <summary>How a store is opened.</summary>
public sealed record StoreOpenOptions
{
    /// <summary>Defaults: create the store when missing and apply pending migrations.</summary>
    public static StoreOpenOptions Default { get; } = new();

    /// <summary>Create the store (file, schema) when it does not exist yet.</summary>
    public bool CreateIfMissing { get; init; } = true;

    /// <summary>
    /// Apply pending schema migrations to an existing store on open; when false an older store is refused with a message naming
    /// <c>cairn migrate</c>. Null means the backend's default: the embedded SQLite store migrates on open, a shared PostgreSQL
    /// store only through an explicit migration. A fresh, empty store is always created.
    /// </summary>
    public bool? ApplyMigrations { get; init; }

    /// <summary>How long a call waits for another process's write lock before failing with Aborted (default 30 s).</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock used for timestamps (tests substitute their own).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Who the change log records as the author of this store's writes (docs/history.md): by default the <c>CAIRN_USER</c>
    /// environment variable, else the operating system's user name. <see cref="ChangeActor.Use"/> overrides it for one scope.
    /// </summary>
    public string Actor { get; init; } = ChangeActor.Default;

    /// <summary>
    /// SQLite only: how many bytes of the database file readers map into memory (<c>PRAGMA mmap_size</c>), so a page read is
    /// a memory access instead of a system call and a copy. Null means the <c>CAIRN_SQLITE_MMAP_SIZE</c> environment variable,
    /// else 2 GiB (SQLite's limit); 0 turns mapping off. Writers never map (docs/configuration.md).
    /// </summary>
    public long? SqliteMemoryMapBytes { get; init; }
}

/// <summary>Opens stores of one URI scheme. Backends implement it and name it with <see cref="StoreProviderAttribute"/>.</summary>
public interface IStoreProvider
{
    /// <summary>The schemes this provider opens (for example <c>sqlite</c> and <c>memory</c>).</summary>
    IReadOnlyCollection<string> Schemes { get; }

    /// <summary>Opens (and when allowed creates and migrates) the store.</summary>
    Task<IMetadataStore> OpenAsync(StoreUri uri, StoreOpenOptions options, CancellationToken cancellationToken = default);
}

/// <summary>Names the <see cref="IStoreProvider"/> of a backend assembly, so <see cref="CairnStore"/> can load it by scheme.</summary>
/// <param name="providerType">A public type implementing <see cref="IStoreProvider"/> with a parameterless constructor.</param>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class StoreProviderAttribute(Type providerType) : Attribute
{
    /// <summary>The provider type.</summary>
    public Type ProviderType { get; } = providerType;
}

/// <summary>Facts about an open store.</summary>
/// <param name="Uri">The store's URI, password removed.</param>
/// <param name="Backend">The backend: <c>sqlite</c>, <c>memory</c>, <c>postgres</c> or <c>grpc</c>.</param>
/// <param name="SchemaVersion">The schema version the store is at.</param>
/// <param name="LatestSchemaVersion">The newest schema version this Cairn knows.</param>
public sealed record StoreInfo(string Uri, string Backend, long SchemaVersion, long LatestSchemaVersion);
