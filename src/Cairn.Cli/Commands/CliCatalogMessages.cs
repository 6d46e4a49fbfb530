using System.Globalization;

namespace Cairn.Cli.Commands;

/// <summary>The lines the catalog commands (<c>garden</c>, <c>resolve</c>) print.</summary>
internal static class CliCatalogMessages
{
    private static string F(string format, params object?[] args) => string.Format(CultureInfo.InvariantCulture, format, args);

    public static string ImportSummary(int imported, int updated, int unchanged, int gardens, string where) =>
        F("Imported {0}, updated {1}, unchanged {2} (from {3} garden{4} into {5}).", imported, updated, unchanged, gardens, gardens == 1 ? string.Empty : "s", where);
    public static string ImportNothingChanged(int unchanged, string where) =>
        F("Nothing changed: the {0} record{1} of the garden are already up to date in {2}.", unchanged, unchanged == 1 ? string.Empty : "s", where);
    public static string ImportProblems(int count) => F("{0} problem{1}: the rest was imported.", count, count == 1 ? string.Empty : "s");
    public static string ImportProgress(string phase, int done, int total) => phase == "scan" ? "scanning the garden" : F("writing datasets {0}/{1}", done, total);
    public static string Warning(string message) => "warning: " + message;
    public static string Error(string message) => "error: " + message;
    public static string Exported(int names, string file) => F("Wrote {0} name{1} to {2} (tatm JSON metadata store).", names, names == 1 ? string.Empty : "s", file);
    public static string Kind(Catalog.ResolvedName name) => name.Corpus is not null ? "corpus of raw dataset " + name.Name : name.IsTokenized ? "tokenized dataset" : "raw dataset";
    public static string FromStore(long? id) => id is { } i ? F("artifact {0} in the store", i) : "in the store";
    public static string FromTatmJson(string path) => F("from the tatm JSON metadata store {0}", path);
    public static string Load(string datasetPath, Catalog.TatmCorpus corpus) => F("datasets.load_dataset('{0}', {1}='{2}')", datasetPath, corpus.LoadArgument, corpus.LoadValue);
}
