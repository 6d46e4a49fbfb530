using System.Globalization;

namespace Cairn.Cli.Commands;

/// <summary>The messages of the file commands that are the CLI's own (progress labels, reindex reports); the rest are in <see cref="Cairn.Files"/>.</summary>
internal static class CliFilesMessages
{
    public static string Saving(int files) => F("Saving {0} file{1}", files, files == 1 ? string.Empty : "s");

    public static string Loading(int files) => F("Loading {0} file{1}", files, files == 1 ? string.Empty : "s");

    private static string F(string format, params object?[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
}
