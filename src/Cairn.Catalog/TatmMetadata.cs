using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.Catalog;

/// <summary>The <c>tokenized_info</c> block of tatm metadata (tatm's <c>TokenizedMetadataComponenet</c>).</summary>
public sealed record TatmTokenizedInfo
{
    /// <summary>The Hugging Face tokenizer name or the path of a tokenizer JSON file; required.</summary>
    public required string Tokenizer { get; init; }

    /// <summary>The absolute path prefix of the token files; required.</summary>
    public required string FilePrefix { get; init; }

    /// <summary>The token dtype (tatm's default <c>uint16</c>).</summary>
    public string? Dtype { get; init; } = "uint16";

    /// <summary>The token files' extension (tatm's default <c>bin</c>).</summary>
    public string? FileExtension { get; init; } = "bin";

    /// <summary>The datasets the tokens were made from, as tatm recorded them.</summary>
    public IReadOnlyList<string>? ParentDatasets { get; init; } = [];

    /// <summary>The tokenizer's vocabulary size, when recorded.</summary>
    public long? VocabSize { get; init; }

    /// <summary>The tatm version that tokenized the data, when recorded.</summary>
    public string? TatmVersion { get; init; }

    /// <summary>The Hugging Face tokenizers version, when recorded.</summary>
    public string? TokenizersVersion { get; init; }
}

/// <summary>
/// One tatm dataset's metadata (tatm's <c>TatmDataMetadata</c>): the fields, defaults and checks of tatm 0.2.2, and
/// <see cref="ToTatmJson"/>, which writes exactly what tatm's <c>as_json()</c> writes.
/// </summary>
public sealed record TatmMetadata
{
    /// <summary>The values <c>data_content</c> may take.</summary>
    public static IReadOnlyList<string> DataContentTypes { get; } = ["text", "image", "audio", "video", "other"];

    /// <summary>The values <c>corpus_separation_strategy</c> may take.</summary>
    public static IReadOnlyList<string> CorpusSeparationStrategies { get; } = ["data_dirs", "configs"];

    /// <summary>The dataset's name (the key in a tatm metadata store); required.</summary>
    public required string Name { get; init; }

    /// <summary>Where the data lives; filled in with the metadata file's directory when the file has none.</summary>
    public required string DatasetPath { get; init; }

    /// <summary>A description; required.</summary>
    public required string Description { get; init; }

    /// <summary>When the data was downloaded (free text); required.</summary>
    public required string DateDownloaded { get; init; }

    /// <summary>Where the data came from; required.</summary>
    public required string DownloadSource { get; init; }

    /// <summary>One of <see cref="DataContentTypes"/>; required.</summary>
    public required string DataContent { get; init; }

    /// <summary>The field holding the primary content (tatm's default <c>text</c>).</summary>
    public string? ContentField { get; init; } = "text";

    /// <summary>The corpora of the dataset (documentation; tatm does not check them when loading).</summary>
    public IReadOnlyList<string>? Corpuses { get; init; } = [];

    /// <summary><c>data_dirs</c>, <c>configs</c> or null (which loads like <c>configs</c>).</summary>
    public string? CorpusSeparationStrategy { get; init; }

    /// <summary>With <c>data_dirs</c>: the directory holding the corpus directories, relative to the dataset path.</summary>
    public string? CorpusDataDirParent { get; init; }

    /// <summary>Set for tokenized data.</summary>
    public TatmTokenizedInfo? TokenizedInfo { get; init; }

    /// <summary>The fields as tatm's <c>as_json()</c> orders them: top-level nulls dropped, nulls in <c>tokenized_info</c> kept.</summary>
    public JsonObject ToJsonObject()
    {
        var o = new JsonObject
        {
            ["name"] = Name,
            ["dataset_path"] = DatasetPath,
            ["description"] = Description,
            ["date_downloaded"] = DateDownloaded,
            ["download_source"] = DownloadSource,
            ["data_content"] = DataContent,
        };
        if (ContentField is not null) o["content_field"] = ContentField;
        if (Corpuses is not null) o["corpuses"] = StringArray(Corpuses);
        if (CorpusSeparationStrategy is not null) o["corpus_separation_strategy"] = CorpusSeparationStrategy;
        if (CorpusDataDirParent is not null) o["corpus_data_dir_parent"] = CorpusDataDirParent;
        if (TokenizedInfo is { } t)
        {
            o["tokenized_info"] = new JsonObject
            {
                ["tokenizer"] = t.Tokenizer,
                ["file_prefix"] = t.FilePrefix,
                ["dtype"] = t.Dtype,
                ["file_extension"] = t.FileExtension,
                ["parent_datasets"] = t.ParentDatasets is null ? null : StringArray(t.ParentDatasets),
                ["vocab_size"] = t.VocabSize,
                ["tatm_version"] = t.TatmVersion,
                ["tokenizers_version"] = t.TokenizersVersion,
            };
        }

        return o;
    }

    /// <summary>Exactly the string tatm's <c>as_json()</c> returns for this metadata (Python <c>json.dumps</c> formatting).</summary>
    public string ToTatmJson() => PythonJson.Dumps(ToJsonObject());

    /// <summary>Reads and checks a <c>metadata.json</c>, <c>metadata.yaml</c> or <c>metadata.yml</c> file as tatm's <c>from_file</c> does.</summary>
    /// <exception cref="InvalidArgumentException">The file is malformed; the message names the file and the field.</exception>
    public static TatmMetadata ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return TatmMetadataReader.ReadFile(path);
        }
        catch (TatmMetadataException e)
        {
            throw new InvalidArgumentException(CatalogMessages.Malformed(path, e.Field, e.Message), e);
        }
    }

    /// <summary>Parses tatm metadata JSON (a value of a tatm JSON metadata store); <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InvalidArgumentException">The JSON is malformed or breaks tatm's rules.</exception>
    public static TatmMetadata Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return TatmMetadataReader.FromNode(TatmMetadataReader.ParseJson(json), defaultDatasetPath: null);
        }
        catch (TatmMetadataException e)
        {
            throw new InvalidArgumentException(CatalogMessages.Malformed(source, e.Field, e.Message), e);
        }
    }

    private static JsonArray StringArray(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
}

/// <summary>A metadata file breaks tatm's rules; <see cref="Field"/> names the offending field when there is one.</summary>
internal sealed class TatmMetadataException(string? field, string message) : Exception(message)
{
    public string? Field { get; } = field;
}

/// <summary>Reads tatm metadata files into <see cref="TatmMetadata"/>, checking what tatm's dataclasses check and the field types.</summary>
internal static class TatmMetadataReader
{
    private static readonly string[] TopFields =
    [
        "name", "dataset_path", "description", "date_downloaded", "download_source", "data_content", "content_field", "corpuses",
        "corpus_separation_strategy", "corpus_data_dir_parent", "tokenized_info",
    ];

    private static readonly string[] TokenizedFields =
        ["tokenizer", "file_prefix", "dtype", "file_extension", "parent_datasets", "vocab_size", "tatm_version", "tokenizers_version"];

    /// <summary>The metadata file names tatm reads, in the order <c>from_directory</c> tries them.</summary>
    public static IReadOnlyList<string> FileNames { get; } = ["metadata.json", "metadata.yaml", "metadata.yml"];

    public static TatmMetadata ReadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TatmMetadataException(null, CatalogMessages.Unreadable(e.Message));
        }

        var node = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? ParseJson(text) : YamlToJson.Parse(text);
        // tatm fills a missing dataset_path with the file's directory, resolved (absolute, links followed).
        return FromNode(node, RealPath(Path.GetDirectoryName(Path.GetFullPath(path))!));
    }

    public static JsonNode? ParseJson(string text)
    {
        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            throw new TatmMetadataException(null, CatalogMessages.NotJson(e.LineNumber + 1, e.BytePositionInLine + 1, e.Message));
        }
        catch (ArgumentException e)
        {
            // A key repeated in an object.
            throw new TatmMetadataException(null, CatalogMessages.NotJson(null, null, e.Message));
        }
    }

    public static TatmMetadata FromNode(JsonNode? node, string? defaultDatasetPath)
    {
        if (node is not JsonObject o) throw new TatmMetadataException(null, CatalogMessages.NotMapping(Describe(node)));
        foreach (var (key, _) in o)
        {
            if (!TopFields.Contains(key, StringComparer.Ordinal)) throw new TatmMetadataException(key, CatalogMessages.UnknownField(key, TopFields));
        }

        var datasetPath = o.ContainsKey("dataset_path") ? RequiredString(o, "dataset_path") : defaultDatasetPath
            ?? throw new TatmMetadataException("dataset_path", CatalogMessages.Required);
        var dataContent = RequiredString(o, "data_content");
        if (!TatmMetadata.DataContentTypes.Contains(dataContent, StringComparer.Ordinal))
        {
            throw new TatmMetadataException("data_content", CatalogMessages.NotOneOf(dataContent, TatmMetadata.DataContentTypes));
        }

        var strategy = OptionalString(o, "corpus_separation_strategy", null);
        if (strategy is not null && !TatmMetadata.CorpusSeparationStrategies.Contains(strategy, StringComparer.Ordinal))
        {
            throw new TatmMetadataException("corpus_separation_strategy", CatalogMessages.NotOneOf(strategy, TatmMetadata.CorpusSeparationStrategies));
        }

        return new TatmMetadata
        {
            Name = RequiredString(o, "name"),
            DatasetPath = datasetPath,
            Description = RequiredString(o, "description"),
            DateDownloaded = RequiredString(o, "date_downloaded"),
            DownloadSource = RequiredString(o, "download_source"),
            DataContent = dataContent,
            ContentField = OptionalString(o, "content_field", "text"),
            Corpuses = OptionalStrings(o, "corpuses"),
            CorpusSeparationStrategy = strategy,
            CorpusDataDirParent = OptionalString(o, "corpus_data_dir_parent", null),
            TokenizedInfo = o.TryGetPropertyValue("tokenized_info", out var t) && t is not null ? Tokenized(t) : null,
        };
    }

    private static TatmTokenizedInfo Tokenized(JsonNode node)
    {
        if (node is not JsonObject o) throw new TatmMetadataException("tokenized_info", CatalogMessages.NotMapping(Describe(node)));
        foreach (var (key, _) in o)
        {
            if (!TokenizedFields.Contains(key, StringComparer.Ordinal)) throw new TatmMetadataException("tokenized_info." + key, CatalogMessages.UnknownField(key, TokenizedFields));
        }

        long? vocab = null;
        if (o.TryGetPropertyValue("vocab_size", out var v) && v is not null)
        {
            vocab = v is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var n)
                ? n
                : throw new TatmMetadataException("tokenized_info.vocab_size", CatalogMessages.NotInteger(Describe(v)));
        }

        return new TatmTokenizedInfo
        {
            Tokenizer = RequiredString(o, "tokenizer", "tokenized_info."),
            FilePrefix = RequiredString(o, "file_prefix", "tokenized_info."),
            Dtype = OptionalString(o, "dtype", "uint16", "tokenized_info."),
            FileExtension = OptionalString(o, "file_extension", "bin", "tokenized_info."),
            ParentDatasets = OptionalStrings(o, "parent_datasets", "tokenized_info."),
            VocabSize = vocab,
            TatmVersion = OptionalString(o, "tatm_version", null, "tokenized_info."),
            TokenizersVersion = OptionalString(o, "tokenizers_version", null, "tokenized_info."),
        };
    }

    private static string RequiredString(JsonObject o, string key, string prefix = "")
    {
        if (!o.TryGetPropertyValue(key, out var node)) throw new TatmMetadataException(prefix + key, CatalogMessages.Required);
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw new TatmMetadataException(prefix + key, CatalogMessages.NotString(Describe(node)));
    }

    private static string? OptionalString(JsonObject o, string key, string? fallback, string prefix = "")
    {
        if (!o.TryGetPropertyValue(key, out var node)) return fallback;
        if (node is null) return null;
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw new TatmMetadataException(prefix + key, CatalogMessages.NotString(Describe(node)));
    }

    private static List<string>? OptionalStrings(JsonObject o, string key, string prefix = "")
    {
        if (!o.TryGetPropertyValue(key, out var node)) return [];
        if (node is null) return null;
        if (node is not JsonArray array) throw new TatmMetadataException(prefix + key, CatalogMessages.NotStringList(Describe(node)));
        var list = new List<string>(array.Count);
        foreach (var item in array)
        {
            list.Add(item is JsonValue v && v.GetValueKind() == JsonValueKind.String
                ? v.GetValue<string>()
                : throw new TatmMetadataException(prefix + key, CatalogMessages.NotStringList(Describe(item))));
        }

        return list;
    }

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "a mapping",
        JsonArray => "a list",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "the string " + Quote(v.GetValue<string>()),
            JsonValueKind.True or JsonValueKind.False => "the boolean " + v.ToJsonString(),
            _ => "the number " + v.ToJsonString(),
        },
        _ => node.ToJsonString(),
    };

    private static string Quote(string text) => "'" + (text.Length > 60 ? text[..60] + "…" : text) + "'";

    /// <summary>The absolute path with symbolic links followed, as Python's <c>Path.resolve()</c> gives it.</summary>
    public static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full) ?? "/";
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            try
            {
                if (new DirectoryInfo(current).LinkTarget is not null)
                {
                    current = new DirectoryInfo(current).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? current;
                }
            }
            catch (IOException)
            {
                // A broken link stays as written.
            }
        }

        return current;
    }
}
