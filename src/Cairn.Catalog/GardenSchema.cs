using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.Catalog;

/// <summary>
/// How the garden is recorded in a Cairn store: the types, their properties and tatm's tags. Raw datasets, corpora and
/// tokenized subsets are artifacts; the parent relation is an execution between them (<c>tatm.SelectCorpus</c>,
/// <c>tatm.Tokenize</c>), so lineage shows it; each garden context directory is a <c>tatm.ContentContext</c> context.
/// </summary>
public static class GardenSchema
{
    /// <summary>A raw dataset: a <c>metadata.*</c> file outside <c>tokenized/</c> and <c>raw/</c>.</summary>
    public const string DatasetType = "tatm.Dataset";

    /// <summary>A corpus of a raw dataset (one per entry of its <c>corpuses</c>), named <c>dataset:corpus</c>.</summary>
    public const string CorpusType = "tatm.Corpus";

    /// <summary>A tokenized subset, named <c>dataset-tokenized_tokenizer_subset</c>.</summary>
    public const string TokenizedType = "tatm.TokenizedDataset";

    /// <summary>The execution between a raw dataset (input) and one of its tokenized subsets (output).</summary>
    public const string TokenizeType = "tatm.Tokenize";

    /// <summary>The execution between a raw dataset (input) and one of its corpora (output).</summary>
    public const string SelectCorpusType = "tatm.SelectCorpus";

    /// <summary>A garden context directory (the first directory under a garden root).</summary>
    public const string ContextType = "tatm.ContentContext";

    /// <summary>The property holding the exact tatm JSON (<c>as_json()</c>) of a dataset or tokenized subset.</summary>
    public const string TatmJsonProperty = "tatm_json";

    /// <summary>The property holding the absolute path of the metadata file a record came from.</summary>
    public const string MetadataFileProperty = "metadata_file";

    private static readonly string[] MetadataProperties =
    [
        "description", "date_downloaded", "download_source", "data_content", "content_field", "corpuses",
        "corpus_separation_strategy", "corpus_data_dir_parent", "garden_context", MetadataFileProperty, TatmJsonProperty,
    ];

    private static readonly string[] TokenizedProperties =
        ["dataset", "subset", "tokenizer", "file_prefix", "dtype", "file_extension", "parent_datasets", "tatm_version", "tokenizers_version"];

    private static readonly string[] CorpusProperties =
        ["dataset", "corpus", "corpus_separation_strategy", "load_argument", "load_value", "garden_context", MetadataFileProperty];

    /// <summary>Declares the garden's types (adding properties to stored ones when needed).</summary>
    public static async Task DeclareAsync(IMetadataStore store, CancellationToken cancellationToken = default) =>
        await DeclareTypesAsync(store, cancellationToken).ConfigureAwait(false);

    /// <summary>The ids come back in the order: artifact types Dataset, Corpus, Tokenized; executions Tokenize, SelectCorpus; the context type.</summary>
    internal static async Task<PutTypesResult> DeclareTypesAsync(IMetadataStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var tokenized = Strings(MetadataProperties.Concat(TokenizedProperties));
        tokenized["vocab_size"] = PropertyType.Int;
        return await store.PutTypesAsync(
            [
                new ArtifactType { Name = DatasetType, BaseType = ArtifactBaseType.Dataset, Description = "A raw dataset of a tatm data garden.", Properties = Strings(MetadataProperties) },
                new ArtifactType { Name = CorpusType, BaseType = ArtifactBaseType.Dataset, Description = "A corpus of a tatm dataset (NAME:CORPUS).", Properties = Strings(CorpusProperties) },
                new ArtifactType { Name = TokenizedType, BaseType = ArtifactBaseType.Dataset, Description = "A tokenized subset of a tatm dataset.", Properties = tokenized },
            ],
            [
                new ExecutionType { Name = TokenizeType, BaseType = ExecutionBaseType.Transform, Description = "Tokenizing a tatm dataset into a tokenized subset." },
                new ExecutionType { Name = SelectCorpusType, BaseType = ExecutionBaseType.Process, Description = "Selecting a corpus of a tatm dataset." },
            ],
            [new ContextType { Name = ContextType, Description = "A context directory of a tatm data garden (ContentContext)." }],
            new TypeUpsertOptions { CanAddFields = true, CanOmitFields = true },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>tatm's tags of a raw dataset: <c>ContentContext.&lt;context&gt;</c>, <c>Corpus.FullDataset</c>, <c>DataContentType.&lt;content&gt;</c>, <c>Tokenized.Untokenized</c>.</summary>
    public static IReadOnlyList<string> DatasetTags(string context, TatmMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return Sorted(["ContentContext." + context, "Corpus.FullDataset", "DataContentType." + metadata.DataContent, "Tokenized.Untokenized"]);
    }

    /// <summary>The classifications tatm tags with; an import replaces tags of these and keeps any other tag a user added.</summary>
    public static IReadOnlyList<string> Classifications { get; } = ["ContentContext", "DataContentType", "Corpus", "Tokenized", "Tokenizer"];

    /// <summary>True when a tag is one of tatm's classifications (<c>Classification.Value</c>).</summary>
    public static bool IsClassificationTag(string tag) =>
        tag is not null && Classifications.Any(c => tag.Length > c.Length + 1 && tag.StartsWith(c + ".", StringComparison.Ordinal));

    /// <summary>tatm's tag of a corpus: <c>Corpus.Corpus</c>.</summary>
    public static IReadOnlyList<string> CorpusTags { get; } = ["Corpus.Corpus"];

    /// <summary>tatm's tags of a tokenized subset: <c>Tokenized.Tokenized</c> and <c>Tokenizer.&lt;tokenizer&gt;</c>.</summary>
    public static IReadOnlyList<string> TokenizedTags(string tokenizer) => Sorted(["Tokenized.Tokenized", "Tokenizer." + tokenizer]);

    /// <summary>The name of a tokenized subset, as tatm's scripts build it.</summary>
    public static string TokenizedName(string dataset, string tokenizer, string subset) => dataset + "-tokenized_" + tokenizer + "_" + subset;

    /// <summary>The name of a corpus artifact: <c>dataset:corpus</c>, as users address it.</summary>
    public static string CorpusName(string dataset, string corpus) => dataset + ":" + corpus;

    internal static Dictionary<string, MetadataValue> MetadataValues(TatmMetadata m, string context, string metadataFile)
    {
        var values = new Dictionary<string, MetadataValue>(StringComparer.Ordinal)
        {
            ["description"] = MetadataValue.String(m.Description),
            ["date_downloaded"] = MetadataValue.String(m.DateDownloaded),
            ["download_source"] = MetadataValue.String(m.DownloadSource),
            ["data_content"] = MetadataValue.String(m.DataContent),
            ["garden_context"] = MetadataValue.String(context),
            [MetadataFileProperty] = MetadataValue.String(metadataFile),
            [TatmJsonProperty] = MetadataValue.String(m.ToTatmJson()),
        };
        Set(values, "content_field", m.ContentField);
        Set(values, "corpuses", m.Corpuses is null ? null : JsonList(m.Corpuses));
        Set(values, "corpus_separation_strategy", m.CorpusSeparationStrategy);
        Set(values, "corpus_data_dir_parent", m.CorpusDataDirParent);
        if (m.TokenizedInfo is { } t)
        {
            values["tokenizer"] = MetadataValue.String(t.Tokenizer);
            values["file_prefix"] = MetadataValue.String(t.FilePrefix);
            Set(values, "dtype", t.Dtype);
            Set(values, "file_extension", t.FileExtension);
            Set(values, "parent_datasets", t.ParentDatasets is null ? null : JsonList(t.ParentDatasets));
            Set(values, "tatm_version", t.TatmVersion);
            Set(values, "tokenizers_version", t.TokenizersVersion);
            if (t.VocabSize is { } v) values["vocab_size"] = MetadataValue.Int(v);
        }

        return values;
    }

    internal static void Set(Dictionary<string, MetadataValue> values, string name, string? value)
    {
        if (value is not null) values[name] = MetadataValue.String(value);
    }

    private static string JsonList(IEnumerable<string> values) => new JsonArray([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]).ToJsonString(new JsonSerializerOptions { WriteIndented = false });

    private static Dictionary<string, PropertyType> Strings(IEnumerable<string> names) => names.Distinct(StringComparer.Ordinal).ToDictionary(n => n, _ => PropertyType.String, StringComparer.Ordinal);

    private static string[] Sorted(string[] tags)
    {
        Array.Sort(tags, StringComparer.Ordinal);
        return tags;
    }
}
