using System.CommandLine;
using System.Text.Json.Nodes;
using Cairn.Catalog;
using Cairn.Cli.Output;
using Spectre.Console;

namespace Cairn.Cli.Commands;

/// <summary><c>cairn garden import</c> and <c>cairn garden export</c>: tatm data gardens in and out of the catalog.</summary>
internal static class GardenCommands
{
    public static Command Create(CliRuntime runtime, CommandCatalog catalog)
    {
        var group = catalog.Create(
            "garden",
            "A tatm data garden (<root>/<context>/<dataset>/metadata.json, tokenized/<tokenizer>/<subset>/metadata.json) in the catalog: import it, export the catalog as tatm's JSON metadata store.",
            "cairn garden import garden",
            "cairn garden export --format tatm-json metadata_store.json");
        group.Subcommands.Add(Import(runtime, catalog));
        group.Subcommands.Add(Export(runtime, catalog));
        return group;
    }

    private static Command Import(CliRuntime runtime, CommandCatalog catalog)
    {
        var command = catalog.Create(
            "import",
            "Crawl tatm data gardens and record their raw datasets, corpora and tokenized subsets with tatm's tags and the parent relation. " +
            "Importing again writes only what changed. A malformed metadata file or a name claimed twice is reported and the rest is imported; " +
            "the exit code is then 3 (a malformed file) or 5 (only collisions). Creates the store if it does not exist.",
            "cairn garden import garden",
            "cairn garden import garden --json",
            "cairn garden import garden,more-gardens --overwrite");
        var dirs = new Argument<string[]>("DIR[,DIR…]")
        {
            Description = "The garden roots (the directories holding the context directories), comma-separated or one per argument.",
            Arity = ArgumentArity.OneOrMore,
        };
        var overwrite = new Option<bool>("--overwrite")
        {
            Description = "When two datasets claim one name (in the gardens, or one already recorded from another file), record the last one instead of none.",
        };
        command.Arguments.Add(dirs);
        command.Options.Add(overwrite);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var roots = (parseResult.GetValue(dirs) ?? [])
                .SelectMany(d => d.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Select(runtime.ResolvePath)
                .ToList();
            var uri = runtime.StoreUriFor(parseResult);
            GardenImportResult result;
            await using (var store = await runtime.OpenStoreAsync(uri, create: true, cancellationToken))
            {
                result = await WithProgressAsync(runtime, progress => GardenImporter.ImportAsync(
                    store, roots, new GardenImportOptions { Overwrite = parseResult.GetValue(overwrite), Progress = progress }, cancellationToken));
            }

            var where = CliRuntime.Where(uri);
            foreach (var note in result.Overwritten) runtime.Error.Write(CliCatalogMessages.Warning(note.Message) + "\n");
            foreach (var problem in result.Problems) runtime.Error.Write(CliCatalogMessages.Error(problem.Message) + "\n");
            if (runtime.WantsJson(parseResult))
            {
                runtime.WriteJson(new JsonObject
                {
                    ["store"] = where,
                    ["gardens"] = new JsonArray([.. roots.Select(r => (JsonNode)JsonValue.Create(r))]),
                    ["imported"] = result.Imported,
                    ["updated"] = result.Updated,
                    ["unchanged"] = result.Unchanged,
                    ["errors"] = new JsonArray([.. result.Problems.Select(ProblemJson)]),
                    ["overwritten"] = new JsonArray([.. result.Overwritten.Select(ProblemJson)]),
                    ["records"] = new JsonArray([.. result.Records.Select(r => (JsonNode)new JsonObject
                    {
                        ["name"] = r.Name,
                        ["type"] = r.Type,
                        ["outcome"] = r.Outcome.ToString().ToLowerInvariant(),
                        ["metadata_file"] = r.MetadataFile,
                    })]),
                });
            }
            else
            {
                runtime.WriteLine(result.Imported + result.Updated == 0 && result.Unchanged > 0
                    ? CliCatalogMessages.ImportNothingChanged(result.Unchanged, where)
                    : CliCatalogMessages.ImportSummary(result.Imported, result.Updated, result.Unchanged, roots.Count, where));
                var changed = result.Records.Where(r => r.Outcome != GardenOutcome.Unchanged).ToList();
                if (changed.Count > 0)
                {
                    var table = Tables.Create("NAME", "TYPE", "OUTCOME");
                    foreach (var r in changed) Tables.AddRow(table, r.Name, r.Type, r.Outcome.ToString().ToLowerInvariant());
                    runtime.Console.Write(table);
                }

                if (result.Problems.Count > 0) runtime.WriteLine(CliCatalogMessages.ImportProblems(result.Problems.Count));
            }

            if (result.Problems.Any(p => p.Kind == GardenProblemKind.Malformed)) return ExitCodes.InvalidArgument;
            return result.Problems.Count > 0 ? ExitCodes.AlreadyExists : ExitCodes.Success;
        });
        return command;
    }

    private static Command Export(CliRuntime runtime, CommandCatalog catalog)
    {
        var command = catalog.Create(
            "export",
            "Write the catalog's raw datasets and tokenized subsets as tatm's JSON metadata store ({name: as_json()}, indented by 4, as tatm's create_json_backend.py writes it), " +
            "for tatm's 'metadata_backend: {type: json}'. OUT '-' writes to stdout.",
            "cairn garden export --format tatm-json metadata_store.json",
            "cairn garden export --format tatm-json -");
        var format = new Option<string>("--format")
        {
            Description = "The file format: tatm-json.",
            DefaultValueFactory = _ => "tatm-json",
            HelpName = "tatm-json",
        };
        format.AcceptOnlyFromAmong("tatm-json");
        var output = new Argument<string>("OUT") { Description = "The file to write (replaced once complete), or - for stdout." };
        command.Options.Add(format);
        command.Arguments.Add(output);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var target = parseResult.GetValue(output)!;
            await using var store = await runtime.OpenStoreAsync(parseResult, cancellationToken);
            TatmJsonExportResult result;
            string? file = null;
            if (target == "-")
            {
                using var buffer = new MemoryStream();
                result = await TatmJsonExport.WriteAsync(store, buffer, cancellationToken);
                runtime.Out.Write(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
                runtime.Out.Write('\n');
            }
            else
            {
                file = runtime.ResolvePath(target);
                result = await TatmJsonExport.WriteFileAsync(store, file, cancellationToken);
            }

            foreach (var skipped in result.Skipped) runtime.Error.Write(CliCatalogMessages.Warning(skipped) + "\n");
            if (file is null) return ExitCodes.Success;
            if (runtime.WantsJson(parseResult))
            {
                runtime.WriteJson(new JsonObject
                {
                    ["file"] = file,
                    ["format"] = "tatm-json",
                    ["names"] = new JsonArray([.. result.Names.Select(n => (JsonNode)JsonValue.Create(n))]),
                });
            }
            else
            {
                runtime.WriteLine(CliCatalogMessages.Exported(result.Names.Count, file));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static JsonNode ProblemJson(GardenProblem p)
    {
        var o = new JsonObject
        {
            ["kind"] = p.Kind == GardenProblemKind.Malformed ? "malformed" : "collision",
            ["message"] = p.Message,
            ["paths"] = new JsonArray([.. p.Paths.Select(x => (JsonNode)JsonValue.Create(x))]),
        };
        if (p.Field is not null) o["field"] = p.Field;
        if (p.Name is not null) o["name"] = p.Name;
        return o;
    }

    /// <summary>A bar on stderr while writing, when stderr is a terminal; stdout is never touched.</summary>
    private static async Task<T> WithProgressAsync<T>(CliRuntime runtime, Func<IProgress<GardenImportProgress>?, Task<T>> work)
    {
        if (!runtime.Settings.IsErrorTerminal) return await work(null);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.Detect,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(runtime.Error),
        });
        T result = default!;
        await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(CliCatalogMessages.ImportProgress("scan", 0, 0)), maxValue: 1);
                result = await work(new Reporter(value =>
                {
                    task.MaxValue = Math.Max(1, value.Total);
                    task.Value = value.Phase == "scan" ? 0 : value.Done;
                    task.Description = Markup.Escape(CliCatalogMessages.ImportProgress(value.Phase, value.Done, value.Total));
                }));
                task.Value = task.MaxValue;
            });
        return result;
    }

    /// <summary>Reports synchronously from the import's own flow; the bar redraws on its own timer.</summary>
    private sealed class Reporter(Action<GardenImportProgress> report) : IProgress<GardenImportProgress>
    {
        public void Report(GardenImportProgress value) => report(value);
    }
}
