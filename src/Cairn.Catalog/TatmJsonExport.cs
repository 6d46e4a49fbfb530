using System.Text;
using System.Text.Json.Nodes;

namespace Cairn.Catalog;

/// <summary>What an export wrote.</summary>
/// <param name="Names">The names written, in file order.</param>
/// <param name="Skipped">Messages for garden artifacts that could not be written (no recorded tatm JSON).</param>
public sealed record TatmJsonExportResult(IReadOnlyList<string> Names, IReadOnlyList<string> Skipped);

/// <summary>
/// Writes a store's catalog as tatm's JSON metadata store: <c>{name: as_json()}</c>, indented by 4, exactly as tatm's
/// <c>scripts/metadata/create_json_backend.py</c> writes it (values are JSON strings holding the metadata JSON), so tatm's
/// <c>metadata_backend: {type: json}</c> reads Cairn's catalog.
/// </summary>
public static class TatmJsonExport
{
    /// <summary>Writes every raw dataset and tokenized subset of the store, by name (ordinal), to <paramref name="output"/> (UTF-8, ASCII only).</summary>
    public static async Task<TatmJsonExportResult> WriteAsync(IMetadataStore store, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(output);
        var (document, result) = await BuildAsync(store, cancellationToken).ConfigureAwait(false);
        var bytes = Encoding.UTF8.GetBytes(PythonJson.DumpsIndented(document));
        await output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Writes the file at <paramref name="path"/>, replacing it only once it is complete.</summary>
    public static async Task<TatmJsonExportResult> WriteFileAsync(IMetadataStore store, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        var temporary = full + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            TatmJsonExportResult result;
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                result = await WriteAsync(store, stream, cancellationToken).ConfigureAwait(false);
            }

            File.Move(temporary, full, overwrite: true);
            return result;
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    private static async Task<(JsonObject, TatmJsonExportResult)> BuildAsync(IMetadataStore store, CancellationToken ct)
    {
        var entries = new List<(string Name, string Json)>();
        var skipped = new List<string>();
        foreach (var type in new[] { GardenSchema.DatasetType, GardenSchema.TokenizedType })
        {
            foreach (var artifact in await GardenImporter.AllArtifactsAsync(store, type, ct).ConfigureAwait(false))
            {
                if (artifact.Name is null) continue;
                if (artifact.Properties.TryGetValue(GardenSchema.TatmJsonProperty, out var json) && json.Kind == ValueKind.String) entries.Add((artifact.Name, json.StringValue));
                else skipped.Add(CatalogMessages.ExportNoTatmJson(type, artifact.Name));
            }
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        var document = new JsonObject();
        foreach (var (name, json) in entries) document[name] = json;
        return (document, new TatmJsonExportResult([.. entries.Select(e => e.Name)], skipped));
    }
}
