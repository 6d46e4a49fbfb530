using System.CommandLine;
using System.Text.Json.Nodes;
using Cairn.Cli.Output;
using Cairn.Import;
using Spectre.Console;

namespace Cairn.Cli.Commands;

/// <summary><c>cairn import mlmd</c>: bring an ML Metadata database into the store, ids and all.</summary>
internal static class ImportCommand
{
    public static Command Create(CliRuntime runtime, CommandCatalog catalog)
    {
        var group = catalog.Create(
            "import",
            "Import metadata recorded by another system into the store.",
            "cairn import mlmd --from mlmd.db --store sqlite:imported.db");
        group.Subcommands.Add(Mlmd(runtime, catalog));
        return group;
    }

    private static Command Mlmd(CliRuntime runtime, CommandCatalog catalog)
    {
        var command = catalog.Create(
            "mlmd",
            "Import an ML Metadata (MLMD) database at schema version 10 (MLMD 1.11 to 1.16), from a SQLite file or a postgres:// URI. " +
            "Ids are kept, so references to them stay valid. The store must be empty or hold an earlier import of the same database: " +
            "importing again writes only what is new, and a store that contradicts the database is refused before anything is written. " +
            "Creates the store if it does not exist.",
            "cairn import mlmd --from mlmd.db --store sqlite:imported.db",
            "cairn import mlmd --from mlmd.db --store sqlite:imported.db --json");
        var from = new Option<string>("--from")
        {
            Description = "The MLMD database: a SQLite file path, or postgres://user:password@host:port/database.",
            HelpName = "PATH|URI",
            Required = true,
        };
        command.Options.Add(from);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var uri = runtime.StoreUriFor(parseResult);
            var source = SourceOf(runtime, parseResult.GetValue(from)!);
            MlmdImportResult result;
            await using (var store = await runtime.OpenStoreAsync(uri, create: true, cancellationToken))
            {
                result = runtime.Settings.IsErrorTerminal
                    ? await WithProgressBarAsync(runtime, source, store, cancellationToken)
                    : await MlmdImporter.ImportAsync(source, store, null, cancellationToken);
            }

            var where = CliRuntime.Where(uri);
            if (runtime.WantsJson(parseResult))
            {
                var tables = new JsonObject();
                foreach (var t in result.Tables)
                {
                    tables[t.Table] = new JsonObject { ["in_mlmd"] = t.Source, ["written"] = t.Written, ["already_present"] = t.AlreadyPresent };
                }

                runtime.WriteJson(new JsonObject
                {
                    ["source"] = result.Source,
                    ["store"] = where,
                    ["schema_version"] = result.SchemaVersion,
                    ["written"] = result.Written,
                    ["tables"] = tables,
                });
            }
            else
            {
                runtime.WriteLine(result.Written > 0
                    ? CliMessages.ImportDone(result.Source, result.SchemaVersion, where, result.Written)
                    : CliMessages.ImportNothingNew(result.Source, result.SchemaVersion, where));
                var table = Tables.Create("TABLE", "IN MLMD", "WRITTEN", "ALREADY THERE");
                foreach (var t in result.Tables) Tables.AddRow(table, t.Table, Count(t.Source), Count(t.Written), Count(t.AlreadyPresent));
                runtime.Console.Write(table);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static string Count(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A postgres:// URI as given; a file path (or sqlite: URI) made absolute against the working directory.</summary>
    private static string SourceOf(CliRuntime runtime, string text)
    {
        text = text.Trim();
        if (text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)) return text;
        if (text.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            text = text["sqlite:".Length..];
            if (text.StartsWith("//", StringComparison.Ordinal)) text = text[2..];
        }

        return text.Length == 0 ? text : runtime.ResolvePath(text);
    }

    /// <summary>One bar per table and phase on stderr (only drawn when stderr is a terminal).</summary>
    private static async Task<MlmdImportResult> WithProgressBarAsync(CliRuntime runtime, string source, IMetadataStore store, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.Detect,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(runtime.Error),
        });
        MlmdImportResult? result = null;
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
            .StartAsync(async context =>
            {
                var tasks = new Dictionary<(MlmdImportPhase, string), ProgressTask>();
                var progress = new Reporter(value =>
                {
                    var phase = value.Phase.ToString().ToLowerInvariant();
                    if (!tasks.TryGetValue((value.Phase, value.Table), out var task))
                    {
                        tasks[(value.Phase, value.Table)] = task = context.AddTask(Markup.Escape(phase + " " + value.Table));
                    }

                    task.MaxValue = Math.Max(1, value.Total);
                    task.Value = value.Total == 0 ? 0 : value.Done;
                    task.Description = Markup.Escape(CliMessages.ImportProgress(phase, value.Table, value.Done, value.Total));
                    if (value.Done == value.Total) task.Value = task.MaxValue;
                });
                result = await MlmdImporter.ImportAsync(source, store, progress, cancellationToken);
            });
        return result!;
    }

    /// <summary>Reports synchronously: the import calls back from its own flow, and the bars redraw on their own timer.</summary>
    private sealed class Reporter(Action<MlmdImportProgress> report) : IProgress<MlmdImportProgress>
    {
        public void Report(MlmdImportProgress value) => report(value);
    }
}
