using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.Catalog;

/// <summary>Where a name was found.</summary>
public enum NameSource
{
    /// <summary>The Cairn store (a garden import).</summary>
    Store,

    /// <summary>A tatm JSON metadata store file (<c>metadata_backend: {type: json}</c>).</summary>
    TatmJson,
}

/// <summary>A semantic name resolved to its data.</summary>
/// <param name="Name">The dataset's catalog name (before any <c>:CORPUS</c>).</param>
/// <param name="Corpus">The corpus asked for, or null.</param>
/// <param name="Path">Where the data is: the dataset path, or the corpus's location (<see cref="TatmCorpus"/>).</param>
/// <param name="Metadata">The dataset's tatm metadata.</param>
/// <param name="Source">Where the name was found.</param>
/// <param name="SourceLocation">The store's URI or the tatm JSON file's path.</param>
/// <param name="Artifact">The artifact (of the corpus when one was asked for and recorded, else of the dataset); null from a tatm JSON file.</param>
/// <param name="CorpusLocation">How tatm loads the corpus, when one was asked for.</param>
public sealed record ResolvedName(
    string Name, string? Corpus, string Path, TatmMetadata Metadata, NameSource Source, string SourceLocation, Artifact? Artifact, TatmCorpus? CorpusLocation)
{
    /// <summary>True for tokenized data (<c>tokenized_info</c> set).</summary>
    public bool IsTokenized => Metadata.TokenizedInfo is not null;
}

/// <summary>
/// A tatm JSON metadata store file (<c>{name: metadata}</c>, values JSON strings or objects), read as tatm's
/// <c>JsonTatmMetadataStoreBackend</c> reads it: again on every lookup, so edits are seen at once. Read-only.
/// </summary>
public sealed class TatmJsonStore
{
    /// <summary>A store file at <paramref name="path"/> (absolute, or relative to the working directory).</summary>
    public TatmJsonStore(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The file's absolute path.</summary>
    public string Path { get; }

    /// <summary>Every name and its metadata JSON text.</summary>
    /// <exception cref="NotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidArgumentException">The file is not a JSON object.</exception>
    public async Task<IReadOnlyDictionary<string, string>> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(Path)) throw new NotFoundException(CatalogMessages.TatmStoreMissing(Path));
        JsonNode? root;
        try
        {
            await using var stream = File.OpenRead(Path);
            root = await JsonNode.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new InvalidArgumentException(CatalogMessages.TatmStoreMalformed(Path, e.Message), e);
        }

        if (root is not JsonObject o) throw new InvalidArgumentException(CatalogMessages.TatmStoreMalformed(Path, "the top level is not an object"));
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in o)
        {
            // What the script writes is a string holding JSON; a plain object is accepted too (tatm json.dumps it).
            names[name] = value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : value?.ToJsonString() ?? "null";
        }

        return names;
    }
}

/// <summary>
/// Resolves semantic dataset names (<c>dolma</c>, <c>dolma-tokenized_t5-base_c4</c>, <c>dolma:c4</c>) to paths and
/// metadata: first in the Cairn store (raw datasets and tokenized subsets a garden import recorded), then in an optional
/// tatm JSON metadata store. Unknown names are NotFound with the closest known names suggested.
/// </summary>
public sealed class SemanticNames
{
    private readonly IMetadataStore _store;
    private readonly TatmJsonStore? _tatmJson;

    /// <summary>Resolves against <paramref name="store"/>, then <paramref name="tatmJson"/> when given.</summary>
    public SemanticNames(IMetadataStore store, TatmJsonStore? tatmJson = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _tatmJson = tatmJson;
    }

    /// <summary>Resolves <c>NAME</c> or <c>NAME:CORPUS</c> (split at the first colon, as tatm's <c>get_data</c> does).</summary>
    /// <exception cref="NotFoundException">No source knows the name or the corpus; the message suggests close names.</exception>
    public async Task<ResolvedName> ResolveAsync(string identifier, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        identifier = identifier.Trim();
        var colon = identifier.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? identifier : identifier[..colon];
        var corpus = colon < 0 ? null : identifier[(colon + 1)..];
        if (name.Length == 0 || corpus is { Length: 0 }) throw new InvalidArgumentException(CatalogMessages.NameEmpty);

        var found = await FindAsync(name, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            var known = await KnownNamesAsync(cancellationToken).ConfigureAwait(false);
            var where = new List<string> { CatalogMessages.StoreSource(_store.DisplayUri) };
            if (_tatmJson is not null) where.Add(CatalogMessages.TatmStoreSource(_tatmJson.Path));
            throw new NotFoundException(CatalogMessages.NameUnknown(name, where, Suggest(name, known)));
        }

        var (metadata, source, location, artifact) = found.Value;
        if (corpus is null) return new ResolvedName(name, null, metadata.DatasetPath, metadata, source, location, artifact, null);
        if (metadata.TokenizedInfo is not null) throw new InvalidArgumentException(CatalogMessages.CorpusOfTokenized(name));

        // tatm does not check corpora when loading; a dataset that lists its corpora gets a check and suggestions.
        var corpora = metadata.Corpuses ?? [];
        if (corpora.Count > 0 && !corpora.Contains(corpus, StringComparer.Ordinal))
        {
            throw new NotFoundException(CatalogMessages.CorpusUnknown(name, corpus, corpora, Suggest(corpus, corpora)));
        }

        var corpusLocation = TatmCorpus.Locate(metadata, corpus);
        var corpusArtifact = source == NameSource.Store
            ? await _store.GetArtifactByTypeAndNameAsync(GardenSchema.CorpusType, GardenSchema.CorpusName(name, corpus), cancellationToken: cancellationToken).ConfigureAwait(false)
            : null;
        return new ResolvedName(name, corpus, corpusLocation.Path, metadata, source, location, corpusArtifact ?? artifact, corpusLocation);
    }

    /// <summary>Every name the sources know (store names first), for listings and suggestions.</summary>
    public async Task<IReadOnlyList<string>> KnownNamesAsync(CancellationToken cancellationToken = default)
    {
        var names = new List<string>();
        foreach (var type in new[] { GardenSchema.DatasetType, GardenSchema.TokenizedType })
        {
            names.AddRange((await GardenImporter.AllArtifactsAsync(_store, type, cancellationToken).ConfigureAwait(false)).Select(a => a.Name).OfType<string>());
        }

        if (_tatmJson is not null && File.Exists(_tatmJson.Path))
        {
            names.AddRange((await _tatmJson.ReadAsync(cancellationToken).ConfigureAwait(false)).Keys);
        }

        return [.. names.Distinct(StringComparer.Ordinal)];
    }

    private async Task<(TatmMetadata, NameSource, string, Artifact?)?> FindAsync(string name, CancellationToken ct)
    {
        foreach (var type in new[] { GardenSchema.DatasetType, GardenSchema.TokenizedType })
        {
            var artifact = await _store.GetArtifactByTypeAndNameAsync(type, name, cancellationToken: ct).ConfigureAwait(false);
            if (artifact is null) continue;
            if (artifact.Properties.TryGetValue(GardenSchema.TatmJsonProperty, out var json) && json.Kind == ValueKind.String)
            {
                return (TatmMetadata.Parse(json.StringValue, type + " " + name), NameSource.Store, _store.DisplayUri, artifact);
            }
        }

        if (_tatmJson is null) return null;
        var names = await _tatmJson.ReadAsync(ct).ConfigureAwait(false);
        return names.TryGetValue(name, out var text)
            ? (TatmMetadata.Parse(text, _tatmJson.Path + " [" + name + "]"), NameSource.TatmJson, _tatmJson.Path, null)
            : null;
    }

    /// <summary>Up to three known names within a small edit distance, closest first.</summary>
    internal static IReadOnlyList<string> Suggest(string name, IEnumerable<string> known)
    {
        var limit = Math.Max(2, name.Length / 3);
        return [.. known
            .Select(k => (Name: k, Distance: Spelling.EditDistance(name, k)))
            .Where(k => k.Distance <= limit || k.Name.StartsWith(name, StringComparison.OrdinalIgnoreCase))
            .OrderBy(k => k.Distance).ThenBy(k => k.Name, StringComparer.Ordinal)
            .Take(3)
            .Select(k => k.Name)];
    }
}
