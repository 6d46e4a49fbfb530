namespace Cairn.Cli.Configuration;

/// <summary>What a configuration key holds; decides how its YAML is checked and how relative paths are resolved.</summary>
internal enum ConfigKind
{
    /// <summary>Free text.</summary>
    Text,

    /// <summary>A store URI or a file path; relative paths are resolved against the directory of the file that set it.</summary>
    Store,

    /// <summary>A directory, <c>file://</c> URI or <c>s3://</c> URI; relative paths as for <see cref="Store"/>.</summary>
    Location,

    /// <summary>A file or directory path, resolved as for <see cref="Store"/>.</summary>
    Path,

    /// <summary>A list of paths (a YAML sequence, or one path).</summary>
    PathList,

    /// <summary>A whole number within the key's range.</summary>
    Integer,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,
}

/// <summary>One configuration key: its dotted path, kind, default (as shown by <c>config show</c>) and meaning.</summary>
internal sealed record ConfigKey(string Path, ConfigKind Kind, string Description, object? Default = null, int Min = int.MinValue, int Max = int.MaxValue, IReadOnlyList<string>? Choices = null);

/// <summary>Every key Cairn reads from its configuration files (docs/configuration.md documents each).</summary>
internal static class ConfigKeys
{
    public const string Store = "store";
    public const string Blobs = "blobs";
    public const string ServerBind = "server.bind";
    public const string ServerGrpcPort = "server.grpc_port";
    public const string ServerHttpPort = "server.http_port";
    public const string ServerAllowRemote = "server.allow_remote";
    public const string ServerMaxMessageMb = "server.max_message_mb";
    public const string ServerMaxBodyMb = "server.max_body_mb";
    public const string ServerAccessLog = "server.access_log";
    public const string Schemas = "schemas";
    public const string MetadataBackendType = "metadata_backend.type";
    public const string MetadataBackendStorePath = "metadata_backend.args.metadata_store_path";
    public const string SecretKeyFile = "secret_key_file";

    public static IReadOnlyList<ConfigKey> All { get; } =
    [
        new(Store, ConfigKind.Store, "The store: sqlite:///path, a file path, memory:, postgres://… or grpc://host:port."),
        new(Blobs, ConfigKind.Location, "Where saved files live: a directory, file:///path or s3://bucket/prefix."),
        new(ServerBind, ConfigKind.Text, "The address cairn serve listens on.", "127.0.0.1"),
        new(ServerGrpcPort, ConfigKind.Integer, "cairn serve's gRPC port (0 picks a free one).", Cairn.Server.ServerOptions.DefaultGrpcPort, 0, 65535),
        new(ServerHttpPort, ConfigKind.Integer, "cairn serve's HTTP port: REST API and health checks (0 picks a free one).", Cairn.Server.ServerOptions.DefaultHttpPort, 0, 65535),
        new(ServerAllowRemote, ConfigKind.Boolean, "Allow a bind address that other machines can reach.", false),
        new(ServerMaxMessageMb, ConfigKind.Integer, "The largest gRPC message, in megabytes.", Cairn.Server.ServerOptions.DefaultMaxMessageMegabytes, 1, 2047),
        new(ServerMaxBodyMb, ConfigKind.Integer, "The largest REST request body, in megabytes.", (int)(Cairn.Server.ServerOptions.DefaultMaxRequestBodyBytes >> 20), 1, 2047),
        new(ServerAccessLog, ConfigKind.Boolean, "Log one line per request: caller, method and path, status, milliseconds.", false),
        new(Schemas, ConfigKind.PathList, "Directories of schemaspace schema files."),
        new(SecretKeyFile, ConfigKind.Path, "The key file that encrypts schemaspace secrets (32 random bytes, created on first use); default $CAIRN_HOME/secret.key."),
        new(MetadataBackendType, ConfigKind.Text, "tatm's metadata backend block: 'json' reads a tatm JSON metadata store as a read-only source of dataset names.", null, Choices: ["json", "null"]),
        new(MetadataBackendStorePath, ConfigKind.Path, "The tatm JSON metadata store file (tatm's default: metadata.json in the working directory)."),
    ];

    public static ConfigKey? Find(string path) => All.FirstOrDefault(k => k.Path == path);

    /// <summary>True when <paramref name="prefix"/> is a section (a mapping) holding known keys.</summary>
    public static bool IsSection(string prefix) => All.Any(k => k.Path.StartsWith(prefix + ".", StringComparison.Ordinal));

    /// <summary>The keys directly below a section (or at the top level for an empty prefix), for "did you mean".</summary>
    public static IEnumerable<string> Children(string prefix)
    {
        var start = prefix.Length == 0 ? string.Empty : prefix + ".";
        return All.Where(k => k.Path.StartsWith(start, StringComparison.Ordinal))
            .Select(k => k.Path[start.Length..].Split('.')[0])
            .Distinct(StringComparer.Ordinal);
    }
}
