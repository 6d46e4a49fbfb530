using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.Files;

/// <summary>
/// How files and captured environments are stored in an MLMD store: as custom properties (see docs/files.md). Cairn's own
/// fields are in the reserved <c>cairn.</c> namespace; info values are <c>info.&lt;KEY&gt;</c>; environment fields use
/// their plain names (<c>git.commit</c>, <c>python.packages.pandas</c>, …).
/// </summary>
public static class CairnFields
{
    /// <summary>The artifact type of saved files (base type <c>mlmd.Dataset</c>).</summary>
    public const string FileType = "cairn.File";

    /// <summary>The execution type of runs and saves.</summary>
    public const string RunType = "cairn.Run";

    /// <summary>Struct: <c>{"files": [{path, size, sha256, location}]}</c>.</summary>
    public const string Files = "cairn.files";

    /// <summary>String: the relative paths, as <c>|a.txt|dir/b.txt|</c> (for filter queries).</summary>
    public const string Paths = "cairn.paths";

    /// <summary>Struct: <c>{"logs": [{path, size, sha256, location}]}</c> (path is the log's name).</summary>
    public const string Logs = "cairn.logs";

    /// <summary>String: who saved the artifact.</summary>
    public const string User = "cairn.user";

    /// <summary>Int: when it was saved, in milliseconds since the Unix epoch.</summary>
    public const string SavedAt = "cairn.saved_at";

    /// <summary>
    /// String: the tags as <c>|a|b|</c>, written by Cairn before tags were labels (schema version 5). Still read by find and
    /// <see cref="SavedArtifact.Tags"/>; saves now write <see cref="Node.Tags"/> instead.
    /// </summary>
    public const string LegacyTags = "cairn.tags";

    /// <summary>Int: total bytes of the files.</summary>
    public const string Bytes = "cairn.bytes";

    /// <summary>String: the blob store root the files were saved to.</summary>
    public const string Blobs = "cairn.blobs";

    /// <summary>Int: the execution that saved the artifact.</summary>
    public const string SavedBy = "cairn.saved_by";

    /// <summary>String on executions: <c>save</c> (one save) or <c>run</c> (<c>cairn run</c> or a run scope).</summary>
    public const string Kind = "cairn.kind";

    /// <summary>Int on executions: when the run started, ms since the epoch.</summary>
    public const string StartedAt = "cairn.started_at";

    /// <summary>Int on executions: when the run ended, ms since the epoch.</summary>
    public const string EndedAt = "cairn.ended_at";

    /// <summary>Int on executions: the exit code of the command.</summary>
    public const string ExitCode = "cairn.exit_code";

    /// <summary>Int: the id an artifact or run had in the store it was saved to, when <c>cairn reindex</c> recorded it again under another id.</summary>
    public const string OriginalId = "cairn.original_id";

    /// <summary>Prefix of info values.</summary>
    public const string InfoPrefix = "info.";

    internal static string JoinList(IEnumerable<string> items) => "|" + string.Join('|', items) + "|";

    internal static IReadOnlyList<string> SplitList(string text) => text.Split('|', StringSplitOptions.RemoveEmptyEntries);

    internal static string ManifestJson(string key, IEnumerable<StoredFile> files)
    {
        var array = new JsonArray();
        foreach (var f in files)
        {
            array.Add(new JsonObject { ["path"] = f.Path, ["size"] = f.Size, ["sha256"] = f.Sha256, ["location"] = f.Location });
        }

        return new JsonObject { [key] = array }.ToJsonString();
    }

    internal static IReadOnlyList<StoredFile>? ReadManifest(Node node, string property, string key)
    {
        if (!node.CustomProperties.TryGetValue(property, out var value) || value.Kind != ValueKind.Struct) return null;
        try
        {
            var root = JsonNode.Parse(value.StructJson)?[key]?.AsArray();
            if (root is null) return null;
            return [.. root.Select(n => new StoredFile(
                (string)n!["path"]!,
                (long)n["size"]!.AsValue().GetValue<double>(),
                (string)n["sha256"]!,
                (string?)n["location"] ?? string.Empty))];
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or NullReferenceException)
        {
            return null;
        }
    }
}
