using System.Globalization;

namespace Cairn.Files;

/// <summary>An S3 Object Lock retention mode (S3's <c>x-amz-object-lock-mode</c>).</summary>
public enum S3RetentionMode
{
    /// <summary>GOVERNANCE: users with <c>s3:BypassGovernanceRetention</c> may still delete the object or shorten its retention.</summary>
    Governance,

    /// <summary>COMPLIANCE: nobody, the account's root user included, can delete the object before its retention ends.</summary>
    Compliance,
}

/// <summary>
/// Where an S3 blob store lives and how it transfers. Built from <c>s3://bucket/prefix</c> and the usual AWS environment
/// by <see cref="Parse"/>; credentials always come from the AWS SDK's default chain (environment, profile files, …).
/// </summary>
public sealed record S3BlobStoreOptions
{
    /// <summary>The bucket.</summary>
    public required string Bucket { get; init; }

    /// <summary>The key prefix everything is stored under, without leading or trailing '/'; empty for the bucket's root.</summary>
    public string Prefix { get; init; } = string.Empty;

    /// <summary>The region; null means <c>AWS_REGION</c>, else <c>AWS_DEFAULT_REGION</c>, else <c>us-east-1</c>.</summary>
    public string? Region { get; init; }

    /// <summary>An S3-compatible endpoint (<c>http://127.0.0.1:9000</c>); null means AWS, unless <c>AWS_ENDPOINT_URL_S3</c> or <c>AWS_ENDPOINT_URL</c> is set.</summary>
    public string? Endpoint { get; init; }

    /// <summary>Path-style addressing (<c>endpoint/bucket/key</c>); null means on for a custom endpoint, off for AWS.</summary>
    public bool? ForcePathStyle { get; init; }

    /// <summary>Objects at least this large are uploaded in parts and downloaded in ranges, in parallel. Default 16 MiB.</summary>
    public long MultipartThreshold { get; init; } = 16L << 20;

    /// <summary>The size of one part or range (at least 5 MiB, S3's minimum part size). Default 16 MiB.</summary>
    public long PartSize { get; init; } = 16L << 20;

    /// <summary>How many parts or ranges of one object are transferred at once. Default 4.</summary>
    public int Parallelism { get; init; } = 4;

    /// <summary>
    /// The Object Lock retention every object Cairn writes is given (with <see cref="RetentionDays"/>); null gives none of
    /// Cairn's own, so the bucket's default retention, if any, applies. The bucket must have Object Lock.
    /// </summary>
    public S3RetentionMode? RetentionMode { get; init; }

    /// <summary>How many days from its write each object is retained under <see cref="RetentionMode"/> (1 to 36,500).</summary>
    public int? RetentionDays { get; init; }

    /// <summary>The URI parameter (and <see cref="RetentionModeVariable"/>) that sets <see cref="RetentionMode"/>.</summary>
    public const string RetentionModeParameter = "object-lock-mode";

    /// <summary>The URI parameter (and <see cref="RetentionDaysVariable"/>) that sets <see cref="RetentionDays"/>.</summary>
    public const string RetentionDaysParameter = "object-lock-days";

    /// <summary>The environment variable that sets <see cref="RetentionMode"/> when the URI does not.</summary>
    public const string RetentionModeVariable = "CAIRN_S3_OBJECT_LOCK_MODE";

    /// <summary>The environment variable that sets <see cref="RetentionDays"/> when the URI does not.</summary>
    public const string RetentionDaysVariable = "CAIRN_S3_OBJECT_LOCK_DAYS";

    /// <summary>The longest retention accepted, in days (100 years, S3's longest default retention).</summary>
    public const int MaxRetentionDays = 36500;

    /// <summary>
    /// Parses <c>s3://bucket/prefix</c> with optional query parameters <c>region</c>, <c>endpoint</c>,
    /// <c>path-style</c> (<c>true</c>/<c>false</c>), <c>object-lock-mode</c> (<c>governance</c>/<c>compliance</c>) and
    /// <c>object-lock-days</c>; what the URI leaves out comes from the AWS environment variables (and
    /// <c>CAIRN_S3_OBJECT_LOCK_MODE</c> / <c>CAIRN_S3_OBJECT_LOCK_DAYS</c>).
    /// </summary>
    public static S3BlobStoreOptions Parse(string uri)
    {
        ArgumentException.ThrowIfNullOrEmpty(uri);
        if (!uri.StartsWith("s3://", StringComparison.OrdinalIgnoreCase)) throw new InvalidArgumentException(FilesMessages.BadS3Uri(uri, "it does not start with s3://"));
        var rest = uri["s3://".Length..];
        var query = string.Empty;
        var at = rest.IndexOf('?', StringComparison.Ordinal);
        if (at >= 0)
        {
            query = rest[(at + 1)..];
            rest = rest[..at];
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? string.Empty : rest[(slash + 1)..].Trim('/');
        if (bucket.Length is < 3 or > 63 || !bucket.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.'))
        {
            throw new InvalidArgumentException(FilesMessages.BadS3Uri(uri, $"'{bucket}' is not a bucket name (3 to 63 lower-case letters, digits, '-' and '.')"));
        }

        if (prefix.Split('/').Any(s => s is "" or "." or "..") && prefix.Length > 0) throw new InvalidArgumentException(FilesMessages.BadS3Uri(uri, $"the prefix '{prefix}' has an empty, '.' or '..' segment"));

        string? region = null, endpoint = null;
        bool? pathStyle = null;
        S3RetentionMode? retentionMode = null;
        int? retentionDays = null;
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..]);
            switch (key)
            {
                case "region":
                    region = value;
                    break;
                case "endpoint":
                    endpoint = value;
                    break;
                case "path-style":
                    pathStyle = value.ToLowerInvariant() switch
                    {
                        "true" or "1" or "" => true,
                        "false" or "0" => false,
                        _ => throw new InvalidArgumentException(FilesMessages.BadS3Uri(uri, $"path-style={value} is neither true nor false")),
                    };
                    break;
                case RetentionModeParameter:
                    retentionMode = ParseRetentionMode(value) ?? throw new InvalidArgumentException(FilesMessages.BadS3Uri(uri, FilesMessages.BadRetentionMode(RetentionModeParameter + "=" + value)));
                    break;
                case RetentionDaysParameter:
                    retentionDays = ParseRetentionDays(value) ?? throw new InvalidArgumentException(FilesMessages.BadS3Uri(uri, FilesMessages.BadRetentionDays(RetentionDaysParameter + "=" + value)));
                    break;
                default:
                    throw new InvalidArgumentException(FilesMessages.BadS3Uri(uri, $"unknown parameter '{key}' (known: region, endpoint, path-style, {RetentionModeParameter}, {RetentionDaysParameter})"));
            }
        }

        endpoint ??= Variable("AWS_ENDPOINT_URL_S3") ?? Variable("AWS_ENDPOINT_URL");
        if (endpoint is not null && (!Uri.TryCreate(endpoint, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https")))
        {
            throw new InvalidArgumentException(FilesMessages.BadS3Uri(uri, $"the endpoint '{endpoint}' is not an http:// or https:// URL"));
        }

        if (retentionMode is null && Variable(RetentionModeVariable) is { } modeText)
        {
            retentionMode = ParseRetentionMode(modeText) ?? throw new InvalidArgumentException(FilesMessages.BadRetentionSetting(FilesMessages.BadRetentionMode($"{RetentionModeVariable}='{modeText}'")));
        }

        if (retentionDays is null && Variable(RetentionDaysVariable) is { } daysText)
        {
            retentionDays = ParseRetentionDays(daysText) ?? throw new InvalidArgumentException(FilesMessages.BadRetentionSetting(FilesMessages.BadRetentionDays($"{RetentionDaysVariable}='{daysText}'")));
        }

        if ((retentionMode is null) != (retentionDays is null)) throw new InvalidArgumentException(FilesMessages.RetentionHalfSet(retentionMode is null));

        return new S3BlobStoreOptions
        {
            Bucket = bucket,
            Prefix = prefix,
            Region = region ?? Variable("AWS_REGION") ?? Variable("AWS_DEFAULT_REGION"),
            Endpoint = endpoint,
            ForcePathStyle = pathStyle,
            RetentionMode = retentionMode,
            RetentionDays = retentionDays,
        };
    }

    /// <summary>The root as a URI: <c>s3://bucket/prefix/</c>.</summary>
    public string RootUri => "s3://" + Bucket + "/" + (Prefix.Length == 0 ? string.Empty : Prefix + "/");

    /// <summary>The full key of a path relative to the root.</summary>
    internal string Key(string relative) => Prefix.Length == 0 ? relative : Prefix + "/" + relative;

    internal string EffectiveRegion => Region ?? "us-east-1";

    /// <summary>The retention as the settings spell it (<c>object-lock-mode=governance, object-lock-days=30</c>), or null.</summary>
    internal string? DescribeRetention() => RetentionMode is { } mode
        ? string.Create(CultureInfo.InvariantCulture, $"{RetentionModeParameter}={mode.ToString().ToLowerInvariant()}, {RetentionDaysParameter}={RetentionDays}")
        : null;

    internal string Describe() => string.Create(CultureInfo.InvariantCulture, $"{RootUri} at {Endpoint ?? "AWS " + EffectiveRegion}");

    private static S3RetentionMode? ParseRetentionMode(string text) => text.Trim().ToLowerInvariant() switch
    {
        "governance" => S3RetentionMode.Governance,
        "compliance" => S3RetentionMode.Compliance,
        _ => null,
    };

    private static int? ParseRetentionDays(string text) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days is >= 1 and <= MaxRetentionDays ? days : null;

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value.Trim() : null;
}
