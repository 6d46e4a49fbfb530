using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cairn.Cli.Configuration;

/// <summary>Where a configuration value came from, for people (<c>config show</c>, error messages).</summary>
/// <param name="Description">A file position (<c>/etc/cairn/config.yaml:3:9</c>), <c>--config key=value</c>, an environment variable or <c>default</c>.</param>
/// <param name="BaseDirectory">Relative paths in this value are resolved against this directory (a file's own directory).</param>
internal sealed record ConfigSource(string Description, string? BaseDirectory);

/// <summary>One node of a configuration tree as read from YAML: a mapping, a sequence or a scalar (null for YAML's null).</summary>
internal abstract record ConfigNode(ConfigSource Source);

internal sealed record ConfigScalar(string? Text, ConfigSource Source) : ConfigNode(Source);

internal sealed record ConfigSequence(IReadOnlyList<ConfigNode> Items, ConfigSource Source) : ConfigNode(Source);

internal sealed record ConfigMap(IReadOnlyDictionary<string, ConfigNode> Entries, ConfigSource Source) : ConfigNode(Source)
{
    /// <summary>Where each key itself was written (its value's node says where the value starts).</summary>
    public IReadOnlyDictionary<string, ConfigSource> KeySources { get; init; } = new Dictionary<string, ConfigSource>(StringComparer.Ordinal);

    public static ConfigMap Empty(ConfigSource source) => new(new Dictionary<string, ConfigNode>(StringComparer.Ordinal), source);

    /// <summary>Where <paramref name="key"/> was written, else where its value was.</summary>
    public ConfigSource KeySource(string key) => KeySources.TryGetValue(key, out var source) ? source : Entries[key].Source;

    /// <summary>
    /// This map with <paramref name="higher"/> laid over it: mappings merge key by key, anything else (scalars, sequences)
    /// is replaced whole, as OmegaConf (and so tatm) merges its layers.
    /// </summary>
    public ConfigMap Merge(ConfigMap higher)
    {
        var entries = new Dictionary<string, ConfigNode>(Entries, StringComparer.Ordinal);
        var keySources = new Dictionary<string, ConfigSource>(KeySources, StringComparer.Ordinal);
        foreach (var (key, value) in higher.Entries)
        {
            entries[key] = entries.TryGetValue(key, out var existing) && existing is ConfigMap lowerMap && value is ConfigMap higherMap
                ? lowerMap.Merge(higherMap)
                : value;
            keySources[key] = higher.KeySource(key);
        }

        return new ConfigMap(entries, higher.Source) { KeySources = keySources };
    }
}

/// <summary>Reads configuration layers from YAML text: whole files and <c>key.path=value</c> overrides.</summary>
internal static class ConfigReader
{
    /// <summary>Parses one file's text; an empty file is an empty mapping.</summary>
    /// <exception cref="InvalidArgumentException">The text is not YAML, or its top level is not a mapping; the message names file, line and column.</exception>
    public static ConfigMap ParseFile(string path, string text)
    {
        var directory = Path.GetDirectoryName(path);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new InvalidArgumentException(CliMessages.ConfigNotYaml(At(path, e.Start), FirstLine(e.InnerException?.Message ?? e.Message)), e);
        }

        if (stream.Documents.Count == 0) return ConfigMap.Empty(new ConfigSource(path, directory));
        var root = stream.Documents[0].RootNode;
        if (root is YamlScalarNode { Value: null or "" or "~" or "null" } && root.Tag.IsEmpty) return ConfigMap.Empty(new ConfigSource(path, directory));
        if (root is not YamlMappingNode) throw new InvalidArgumentException(CliMessages.ConfigTopLevelNotMapping(At(path, root.Start)));
        return (ConfigMap)Convert(root, path, directory);
    }

    /// <summary>
    /// Parses a command-line override <c>key.path=value</c>; the value is read as YAML (so <c>9090</c> is a number and
    /// <c>[a, b]</c> a list), falling back to the text as written.
    /// </summary>
    /// <exception cref="InvalidArgumentException">There is no <c>=</c>, or the key is empty or has an empty part.</exception>
    public static ConfigMap ParseOverride(string text, string? workingDirectory)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        var key = equals < 0 ? string.Empty : text[..equals].Trim();
        var parts = key.Split('.');
        if (equals < 0 || key.Length == 0 || parts.Any(p => p.Length == 0)) throw new InvalidArgumentException(CliMessages.ConfigOverrideMalformed(text));
        var source = new ConfigSource("--config " + text, workingDirectory);
        var valueText = text[(equals + 1)..];
        ConfigNode value;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(valueText));
            value = stream.Documents.Count == 0 ? new ConfigScalar(null, source) : Relabel(Convert(stream.Documents[0].RootNode, source.Description, workingDirectory), source);
        }
        catch (YamlException)
        {
            value = new ConfigScalar(valueText, source);
        }

        for (var i = parts.Length - 1; i >= 0; i--)
        {
            value = new ConfigMap(new Dictionary<string, ConfigNode>(StringComparer.Ordinal) { [parts[i]] = value }, source);
        }

        return (ConfigMap)value;
    }

    /// <summary>A single value set from outside any file (an environment variable).</summary>
    public static ConfigMap Single(string key, string value, ConfigSource source)
    {
        ConfigNode node = new ConfigScalar(value, source);
        foreach (var part in key.Split('.').Reverse())
        {
            node = new ConfigMap(new Dictionary<string, ConfigNode>(StringComparer.Ordinal) { [part] = node }, source);
        }

        return (ConfigMap)node;
    }

    private static ConfigNode Convert(YamlNode node, string path, string? directory)
    {
        var source = new ConfigSource(At(path, node.Start), directory);
        switch (node)
        {
            case YamlMappingNode map:
                var entries = new Dictionary<string, ConfigNode>(StringComparer.Ordinal);
                var keySources = new Dictionary<string, ConfigSource>(StringComparer.Ordinal);
                foreach (var (keyNode, valueNode) in map.Children)
                {
                    if (keyNode is not YamlScalarNode { Value: { Length: > 0 } key })
                        throw new InvalidArgumentException(CliMessages.ConfigKeyNotText(At(path, keyNode.Start)));
                    if (entries.ContainsKey(key)) throw new InvalidArgumentException(CliMessages.ConfigDuplicateKey(At(path, keyNode.Start), key));
                    entries[key] = Convert(valueNode, path, directory);
                    keySources[key] = new ConfigSource(At(path, keyNode.Start), directory);
                }

                return new ConfigMap(entries, source) { KeySources = keySources };
            case YamlSequenceNode sequence:
                return new ConfigSequence([.. sequence.Children.Select(c => Convert(c, path, directory))], source);
            case YamlScalarNode scalar:
                var isNull = scalar.Style == ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";
                return new ConfigScalar(isNull ? null : scalar.Value, source);
            default:
                throw new InvalidArgumentException(CliMessages.ConfigAliasNotSupported(At(path, node.Start)));
        }
    }

    private static ConfigNode Relabel(ConfigNode node, ConfigSource source) => node switch
    {
        ConfigMap map => new ConfigMap(map.Entries.ToDictionary(e => e.Key, e => Relabel(e.Value, source), StringComparer.Ordinal), source),
        ConfigSequence sequence => new ConfigSequence([.. sequence.Items.Select(i => Relabel(i, source))], source),
        ConfigScalar scalar => scalar with { Source = source },
        _ => node,
    };

    private static string At(string path, Mark mark) =>
        string.Create(CultureInfo.InvariantCulture, $"{path}:{mark.Line}:{mark.Column}");

    private static string FirstLine(string message)
    {
        var text = message.ReplaceLineEndings("\n");
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return (newline < 0 ? text : text[..newline]).Trim();
    }
}
