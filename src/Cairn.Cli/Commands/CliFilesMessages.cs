using System.Globalization;

namespace Cairn.Cli.Commands;

/// <summary>The messages of the file commands that are the CLI's own (progress labels, reindex reports); the rest are in <see cref="Cairn.Files"/>.</summary>
internal static class CliFilesMessages
{
    public static string Saving(int files) => F("Saving {0} file{1}", files, files == 1 ? string.Empty : "s");

    public static string Loading(int files) => F("Loading {0} file{1}", files, files == 1 ? string.Empty : "s");

    public static string ReindexPhase(string phase, int done, int total) => F("{0} {1}/{2}", phase == "reading" ? "Reading metadata.yaml" : "Indexing artifacts", done, total);

    public static string Reindexed(int scanned, int created, int repaired, int existing, int leftovers, int abandoned, int pending) =>
        F("Reindexed {0} artifact(s): {1} created, {2} repaired, {3} already in the store; {4} leftover(s) of interrupted writes removed; {5} interrupted save(s) marked ABANDONED, {6} still PENDING.", scanned, created, repaired, existing, leftovers, abandoned, pending);

    public static string ReindexProblems(int count) => F("{0} problem(s) found while reindexing (listed above); everything else was indexed.", count);

    private static string F(string format, params object?[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
}
