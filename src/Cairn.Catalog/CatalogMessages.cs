using System.Globalization;

namespace Cairn.Catalog;

/// <summary>Every message of the catalog (garden import and export, semantic names), in one place; tests assert through these.</summary>
public static class CatalogMessages
{
    private static string F(string format, params object?[] args) => string.Format(CultureInfo.InvariantCulture, format, args);

    // ---- metadata files
    public static string Malformed(string path, string? field, string problem) =>
        field is null ? F("{0}: {1}", path, problem) : F("{0}: field '{1}': {2}", path, field, problem);
    public static string Required => "is required (tatm's TatmDataMetadata has no default for it).";
    public static string UnknownField(string field, IEnumerable<string> known) =>
        F("'{0}' is not a field of tatm metadata; the fields are {1}.", field, string.Join(", ", known));
    public static string NotOneOf(string value, IEnumerable<string> allowed) => F("'{0}' is not one of {1}.", value, string.Join(", ", allowed));
    public static string NotString(string got) => F("must be a string; got {0}.", got);
    public static string NotStringList(string got) => F("must be a list of strings; got {0}.", got);
    public static string NotInteger(string got) => F("must be a whole number or null; got {0}.", got);
    public static string NotMapping(string got) => F("the metadata must be a mapping of tatm's fields; got {0}.", got);
    public static string NotJson(long? line, long? column, string detail) =>
        line is null ? F("the file is not valid JSON: {0}", detail) : F("the file is not valid JSON (line {0}, column {1}): {2}", line, column, detail);
    public static string NotYaml(long line, long column, string detail) => F("the file is not valid YAML (line {0}, column {1}): {2}", line, column, detail);
    public static string KeyNotScalar(long line, long column) => F("a mapping key at line {0}, column {1} is not a plain name.", line, column);
    public static string Unreadable(string detail) => F("the file cannot be read: {0}", detail);

    // ---- the garden
    public static string GardenRootMissing(string root) => F("The garden directory '{0}' does not exist. Name the directory that holds the context directories (<root>/<context>/<dataset>/metadata.json).", root);
    public static string GardenNoRoots => "Name at least one garden directory (DIR[,DIR…]).";
    public static string NoContext(string path) => F("{0}: a dataset's metadata must be at <root>/<context>/<dataset>/metadata.json; this file is directly in the garden root.", path);
    public static string SubsetsSkipped(int subsets) => F(" Its {0} tokenized subset(s) were not imported either.", subsets);
    public static string NameClaimedTwice(string name, IEnumerable<string> paths, bool overwrite) => overwrite
        ? F("The name '{0}' is claimed by {1}; --overwrite: the last one ({2}) was imported.", name, string.Join(" and ", paths), paths.Last())
        : F("The name '{0}' is claimed by {1}; none was imported (pass --overwrite to import the last one).", name, string.Join(" and ", paths));
    public static string NameClaimedInStore(string name, string stored, string incoming, bool overwrite) => overwrite
        ? F("The name '{0}' was recorded from {1}; --overwrite: it now comes from {2}.", name, stored, incoming)
        : F("The name '{0}' is already recorded from {1}, and {2} claims it too; the stored record was kept (pass --overwrite to replace it).", name, stored, incoming);
    public static string ChildrenSkipped(int count) => F(" Its {0} corpora and tokenized subsets were not imported either.", count);

    // ---- export
    public static string ExportFormatUnknown(string format) => F("Unknown export format '{0}'; the format is tatm-json.", format);
    public static string ExportNoTatmJson(string type, string name) => F("The {0} artifact '{1}' has no tatm_json property (it was not recorded by a garden import); it was left out.", type, name);

    // ---- names
    public static string NameEmpty => "Name a dataset: NAME or NAME:CORPUS.";
    public static string NameUnknown(string name, IEnumerable<string> where, IReadOnlyList<string> suggestions) =>
        F("No dataset is named '{0}' in {1}.{2}", name, string.Join(" or ", where), suggestions.Count == 0
            ? " 'cairn garden import DIR' records a garden's datasets."
            : " Did you mean " + string.Join(", ", suggestions.Select(s => "'" + s + "'")) + "?");
    public static string CorpusUnknown(string name, string corpus, IReadOnlyList<string> corpora, IReadOnlyList<string> suggestions) =>
        F("The dataset '{0}' has no corpus '{1}'; its corpora are {2}.{3}", name, corpus, string.Join(", ", corpora),
            suggestions.Count == 0 ? string.Empty : " Did you mean " + string.Join(", ", suggestions.Select(s => "'" + s + "'")) + "?");
    public static string CorpusOfTokenized(string name) => F("'{0}' is tokenized data; only raw datasets have corpora (NAME:CORPUS).", name);
    public static string TatmStoreMissing(string path) => F("The tatm JSON metadata store '{0}' (metadata_backend.args.metadata_store_path) does not exist. Fix the path or remove the metadata_backend block.", path);
    public static string TatmStoreMalformed(string path, string detail) => F("The tatm JSON metadata store '{0}' is not a JSON object of names: {1}", path, detail);
    public static string TatmStoreSource(string path) => F("the tatm JSON metadata store {0}", path);
    public static string StoreSource(string where) => F("the store {0}", where);
}
