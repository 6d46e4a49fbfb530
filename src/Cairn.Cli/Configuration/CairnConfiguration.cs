using System.Globalization;
using Cairn.Schemaspaces;

namespace Cairn.Cli.Configuration;

/// <summary>A key's value after every layer was applied, with where it came from.</summary>
/// <param name="Key">The key.</param>
/// <param name="Value">A string, long, bool or list of strings; null when no layer set it and the key has no default.</param>
/// <param name="Source">Where the value came from (see <see cref="ConfigSource.Description"/>).</param>
internal sealed record ConfigValue(ConfigKey Key, object? Value, string Source);

/// <summary>Where the configuration layers are read from; <see cref="CliSettings"/> carries one (tests substitute it).</summary>
internal sealed record ConfigLocations
{
    /// <summary>The system-wide file, normally <c>/etc/cairn/config.yaml</c>.</summary>
    public string? SystemFile { get; init; }

    /// <summary>The user's file, normally <c>$CAIRN_HOME/config.yaml</c>.</summary>
    public string? UserFile { get; init; }

    /// <summary>The file named by <c>$CAIRN_CONFIG</c>.</summary>
    public string? EnvironmentFile { get; init; }

    /// <summary>Keys set by environment variables (<c>CAIRN_STORE</c>, <c>CAIRN_BLOBS</c>, <c>CAIRN_SECRET_KEY_FILE</c>), by variable name.</summary>
    public IReadOnlyList<(string Variable, string Key, string Value)> EnvironmentValues { get; init; } = [];

    /// <summary>The locations of a real process: the standard files and the <c>CAIRN_*</c> variables.</summary>
    public static ConfigLocations FromEnvironment()
    {
        var values = new List<(string, string, string)>();
        foreach (var (variable, key) in new[] { ("CAIRN_STORE", ConfigKeys.Store), ("CAIRN_BLOBS", ConfigKeys.Blobs), (SecretProtector.KeyFileVariable, ConfigKeys.SecretKeyFile) })
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value) values.Add((variable, key, value));
        }

        return new ConfigLocations
        {
            SystemFile = "/etc/cairn/config.yaml",
            UserFile = Path.Combine(StoreUri.HomeDirectory, "config.yaml"),
            EnvironmentFile = Environment.GetEnvironmentVariable("CAIRN_CONFIG") is { Length: > 0 } file ? Path.GetFullPath(file) : null,
            EnvironmentValues = values,
        };
    }
}

/// <summary>
/// Cairn's layered configuration, lowest to highest: defaults, <c>/etc/cairn/config.yaml</c>, <c>$CAIRN_HOME/config.yaml</c>,
/// the file named by <c>$CAIRN_CONFIG</c>, the <c>CAIRN_STORE</c>/<c>CAIRN_BLOBS</c>/<c>CAIRN_SECRET_KEY_FILE</c> variables, each <c>--config FILE</c>, then
/// each <c>--config key.path=value</c>. Command-line flags of a command (<c>--store</c>, <c>--grpc-port</c>) beat all of them.
/// </summary>
internal sealed class CairnConfiguration
{
    private readonly Dictionary<string, ConfigValue> _values;

    private CairnConfiguration(Dictionary<string, ConfigValue> values, IReadOnlyList<string> filesRead)
    {
        _values = values;
        FilesRead = filesRead;
    }

    /// <summary>The files that existed and were read, lowest layer first.</summary>
    public IReadOnlyList<string> FilesRead { get; }

    /// <summary>Every key, in <see cref="ConfigKeys.All"/> order.</summary>
    public IEnumerable<ConfigValue> Values => ConfigKeys.All.Select(k => _values[k.Path]);

    public ConfigValue this[string key] => _values[key];

    public string? Text(string key) => this[key].Value as string;

    public int? Integer(string key) => this[key].Value is long n ? (int)n : this[key].Value is int i ? i : null;

    public bool? Boolean(string key) => this[key].Value as bool?;

    public IReadOnlyList<string> PathList(string key) => this[key].Value as IReadOnlyList<string> ?? [];

    /// <summary>Reads and merges every layer.</summary>
    /// <param name="locations">The implicit files and variables (missing files are skipped).</param>
    /// <param name="arguments">The <c>--config</c> arguments in order: a path to a file that must exist, or <c>key.path=value</c>.</param>
    /// <param name="workingDirectory">Relative <c>--config</c> paths and override values are resolved here.</param>
    /// <exception cref="InvalidArgumentException">A file is malformed, a key unknown, a value of the wrong kind; the message says where.</exception>
    public static CairnConfiguration Load(ConfigLocations locations, IReadOnlyList<string> arguments, string workingDirectory)
    {
        var merged = ConfigMap.Empty(new ConfigSource("default", null));
        var read = new List<string>();
        foreach (var file in new[] { locations.SystemFile, locations.UserFile, locations.EnvironmentFile })
        {
            if (file is null || !File.Exists(file)) continue;
            merged = merged.Merge(ConfigReader.ParseFile(file, ReadText(file)));
            read.Add(file);
        }

        foreach (var (variable, key, value) in locations.EnvironmentValues)
        {
            merged = merged.Merge(ConfigReader.Single(key, value, new ConfigSource("environment " + variable, workingDirectory)));
        }

        // Files given with --config first, then the key=value overrides, each group in the order given (as tatm does).
        foreach (var argument in arguments.Where(a => !IsOverride(a)))
        {
            var path = Path.GetFullPath(argument, workingDirectory);
            if (!File.Exists(path)) throw new NotFoundException(CliMessages.ConfigFileMissing(path));
            merged = merged.Merge(ConfigReader.ParseFile(path, ReadText(path)));
            read.Add(path);
        }

        foreach (var argument in arguments.Where(IsOverride))
        {
            merged = merged.Merge(ConfigReader.ParseOverride(argument, workingDirectory));
        }

        var values = ConfigKeys.All.ToDictionary(k => k.Path, k => new ConfigValue(k, k.Default, "default"), StringComparer.Ordinal);
        Resolve(merged, string.Empty, values);
        return new CairnConfiguration(values, read);
    }

    /// <summary>An argument of <c>--config</c> that sets one key rather than naming a file: it has an <c>=</c> before any path separator.</summary>
    public static bool IsOverride(string argument)
    {
        var equals = argument.IndexOf('=', StringComparison.Ordinal);
        var slash = argument.IndexOfAny(['/', '\\']);
        return equals >= 0 && (slash < 0 || slash > equals);
    }

    private static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FailedPreconditionException(CliMessages.ConfigUnreadable(path, e.Message), e);
        }
    }

    private static void Resolve(ConfigMap map, string prefix, Dictionary<string, ConfigValue> values)
    {
        foreach (var (name, node) in map.Entries)
        {
            var path = prefix.Length == 0 ? name : prefix + "." + name;
            if (ConfigKeys.Find(path) is { } key)
            {
                values[path] = Convert(key, node);
            }
            else if (ConfigKeys.IsSection(path))
            {
                if (node is ConfigScalar { Text: null }) continue; // "server:" with nothing below it
                if (node is not ConfigMap section) throw new InvalidArgumentException(CliMessages.ConfigNotSection(map.KeySource(name).Description, path));
                Resolve(section, path, values);
            }
            else
            {
                throw new InvalidArgumentException(CliMessages.ConfigUnknownKey(map.KeySource(name).Description, path, Suggest(prefix, name)));
            }
        }
    }

    private static ConfigValue Convert(ConfigKey key, ConfigNode node)
    {
        var where = node.Source.Description;
        if (node is ConfigScalar { Text: null }) return new ConfigValue(key, key.Default, where);
        object value = key.Kind switch
        {
            ConfigKind.PathList => node switch
            {
                ConfigSequence sequence => sequence.Items.Select(i => Anchor(ScalarText(key, i), i.Source.BaseDirectory, ConfigKind.Path)).ToList(),
                _ => new List<string> { Anchor(ScalarText(key, node), node.Source.BaseDirectory, ConfigKind.Path) },
            },
            ConfigKind.Integer => long.TryParse(ScalarText(key, node), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= key.Min && n <= key.Max
                ? n
                : throw new InvalidArgumentException(CliMessages.ConfigNotInteger(where, key.Path, ScalarText(key, node), key.Min, key.Max)),
            ConfigKind.Boolean => ScalarText(key, node).ToLowerInvariant() switch
            {
                "true" or "yes" or "on" => true,
                "false" or "no" or "off" => false,
                var other => throw new InvalidArgumentException(CliMessages.ConfigNotBoolean(where, key.Path, other)),
            },
            _ => Anchor(ScalarText(key, node), node.Source.BaseDirectory, key.Kind),
        };
        if (key.Choices is { } choices && value is string text && !choices.Contains(text, StringComparer.Ordinal))
            throw new InvalidArgumentException(CliMessages.ConfigNotAChoice(where, key.Path, text, choices));
        return new ConfigValue(key, value, where);
    }

    private static string ScalarText(ConfigKey key, ConfigNode node) => node is ConfigScalar { Text: { } text }
        ? text
        : throw new InvalidArgumentException(CliMessages.ConfigNotScalar(node.Source.Description, key.Path));

    /// <summary>A relative path (bare, or after <c>sqlite:</c> / <c>file:</c>) made absolute against <paramref name="baseDirectory"/>.</summary>
    internal static string Anchor(string text, string? baseDirectory, ConfigKind kind)
    {
        text = text.Trim();
        if (baseDirectory is null || kind is ConfigKind.Text) return text;
        if (text.StartsWith('~') && (text.Length == 1 || text[1] == '/'))
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), text.Length == 1 ? string.Empty : text[2..]);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 1 || kind == ConfigKind.Path) return Path.GetFullPath(text, baseDirectory);
        var scheme = text[..colon].ToLowerInvariant();
        if (scheme is not ("sqlite" or "file")) return text;
        var rest = text[(colon + 1)..];
        var path = rest.StartsWith("//", StringComparison.Ordinal) ? rest[2..] : rest;
        return path.Length == 0 || Path.IsPathRooted(path) ? text : scheme + "://" + Path.GetFullPath(path, baseDirectory);
    }

    private static string Suggest(string prefix, string name)
    {
        var candidates = ConfigKeys.Children(prefix).ToList();
        var close = candidates.Where(c => Spelling.EditDistance(c, name) <= Math.Max(2, name.Length / 3)).OrderBy(c => Spelling.EditDistance(c, name)).ToList();
        var full = (IEnumerable<string> names) => names.Select(c => prefix.Length == 0 ? c : prefix + "." + c);
        return close.Count > 0
            ? CliMessages.ConfigDidYouMean(full(close))
            : CliMessages.ConfigValidKeys(full(candidates));
    }
}
