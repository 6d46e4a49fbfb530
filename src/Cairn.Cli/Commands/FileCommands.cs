using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cairn.Files;

namespace Cairn.Cli.Commands;

/// <summary><c>cairn save</c>, <c>load</c>, <c>files</c>, <c>logs</c>, <c>verify</c> and <c>find</c>: files on artifacts (docs/files.md).</summary>
internal static partial class FileCommands
{
    public static Command Save(CliRuntime runtime, CommandCatalog catalog)
    {
        var command = catalog.Create(
            "save",
            "Save files and directories as one new artifact (type cairn.File) and print its id. Contents are stored once by SHA-256 under the blob store; inside 'cairn run' the artifact is recorded as based on everything the run loaded.",
            "cairn save train.txt test.txt --info type=dataset_list --info stratification=new-cool-method --tag dataset --no-capture",
            "cairn save train.txt --no-capture --json");
        var paths = new Argument<string[]>("path") { Description = "Files or directories (saved recursively, with their relative paths).", Arity = ArgumentArity.OneOrMore };
        var info = new Option<string[]>("--info") { Description = "Information to record, KEY=VALUE (stored as info.KEY). Repeatable.", HelpName = "KEY=VALUE" };
        var tags = new Option<string[]>("--tag") { Description = "A tag. Repeatable.", HelpName = "TAG" };
        var type = new Option<string>("--type") { Description = "The artifact type (created when missing). Default: cairn.File.", HelpName = "TYPE" };
        var basedOn = new Option<long[]>("--based-on") { Description = "An artifact this one is made from. Repeatable; replaces the automatic lineage of a run.", HelpName = "ID" };
        var noAuto = new Option<bool>("--no-auto-lineage") { Description = "Inside 'cairn run', do not record the artifact as based on what the run loaded." };
        var noCapture = FilesCli.NoCaptureOption();
        var blobs = FilesCli.BlobsOption();
        command.Arguments.Add(paths);
        foreach (var option in new Option[] { info, tags, type, basedOn, noAuto, noCapture, blobs }) command.Options.Add(option);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            // Everything the user typed is checked before anything is stored.
            var infoValues = FilesCli.KeyValues("--info", parseResult.GetValue(info) ?? []);
            foreach (var key in infoValues.Keys) FileService.ValidateInfoKey(key);
            var files = FileSelection.Expand(parseResult.GetValue(paths) ?? [], runtime.WorkingDirectory);
            var runId = FilesCli.CurrentRunId();
            var explicitBasedOn = parseResult.GetValue(basedOn) ?? [];
            var autoLineage = !parseResult.GetValue(noAuto);
            var savedByRun = runId is not null && autoLineage && explicitBasedOn.Length == 0;
            var blobStore = FilesCli.OpenBlobs(runtime, parseResult, blobs);
            using var blobStoreLifetime = blobStore as IDisposable; // S3 holds an HTTP client

            // Inside a run the run's execution records the environment; a save of its own captures one.
            var environment = parseResult.GetValue(noCapture) || savedByRun ? null : await FilesCli.CaptureAsync(runtime, cancellationToken);
            await using var store = await runtime.OpenStoreAsync(runtime.StoreUriFor(parseResult), create: true, cancellationToken);
            var bytes = files.Sum(f => new FileInfo(f.SourcePath).Length);
            var result = await FilesCli.WithTransferProgressAsync(runtime, CliFilesMessages.Saving(files.Count), 2 * bytes, progress =>
                FilesCli.Service(runtime, store, blobStore, progress).SaveAsync(new SaveRequest
                {
                    Files = files,
                    Info = infoValues,
                    Tags = parseResult.GetValue(tags) ?? [],
                    TypeName = parseResult.GetValue(type),
                    BasedOn = explicitBasedOn,
                    AutoLineage = autoLineage,
                    Environment = environment,
                }, runId, cancellationToken));

            if (runtime.WantsJson(parseResult))
            {
                runtime.WriteJson(new JsonObject
                {
                    ["id"] = result.ArtifactId,
                    ["uri"] = result.Uri,
                    ["execution_id"] = result.ExecutionId,
                    ["based_on"] = Output.JsonShapes.Ids(result.BasedOn),
                    ["files"] = FilesCli.FilesJson(result.Files),
                    ["bytes_stored"] = result.BytesStored,
                    ["bytes_deduplicated"] = result.BytesDeduplicated,
                });
            }
            else
            {
                runtime.WriteLine(result.ArtifactId.ToString(CultureInfo.InvariantCulture));
                if (runtime.Settings.IsErrorTerminal)
                {
                    runtime.Error.Write(CliMessages.Saved(result.ArtifactId, result.Files.Count, result.BytesStored, result.BytesDeduplicated, result.Uri) + "\n");
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Load(CliRuntime runtime, CommandCatalog catalog)
    {
        var command = catalog.Create(
            "load",
            "Write the files of an artifact to a directory, verifying every SHA-256 (a mismatch fails loudly and writes nothing for that file). Inside 'cairn run' the load is recorded as an input of the run.",
            "cairn load 7 --to brenda");
        var id = new Argument<long>("artifact-id") { Description = "The artifact." };
        var to = new Option<string>("--to") { Description = "The directory to write to (created when missing). Default: the current directory.", HelpName = "DIR" };
        var blobs = FilesCli.BlobsOption();
        command.Arguments.Add(id);
        command.Options.Add(to);
        command.Options.Add(blobs);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var target = runtime.ResolvePath(parseResult.GetValue(to) ?? ".");
            var blobStore = FilesCli.OpenBlobs(runtime, parseResult, blobs);
            using var blobStoreLifetime = blobStore as IDisposable; // S3 holds an HTTP client
            await using var store = await runtime.OpenStoreAsync(parseResult, cancellationToken);
            var artifactId = parseResult.GetValue(id);
            var runId = FilesCli.CurrentRunId();
            var saved = await FilesCli.Service(runtime, store, blobStore).GetAsync(artifactId, cancellationToken);
            var result = await FilesCli.WithTransferProgressAsync(runtime, CliFilesMessages.Loading(saved.Files.Count), saved.Files.Sum(f => f.Size), progress =>
                FilesCli.Service(runtime, store, blobStore, progress).LoadAsync(artifactId, target, runId, cancellationToken));
            if (runtime.WantsJson(parseResult))
            {
                runtime.WriteJson(new JsonObject { ["id"] = result.ArtifactId, ["directory"] = result.Directory, ["files"] = FilesCli.FilesJson(result.Files) });
            }
            else
            {
                foreach (var file in result.Files) runtime.WriteLine(Path.Combine(result.Directory, file.Path));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Files(CliRuntime runtime, CommandCatalog catalog)
    {
        var command = catalog.Create(
            "files",
            "List the files of an artifact: relative path, size, SHA-256 and a URL to open it directly.",
            "cairn files 7");
        var id = new Argument<long>("artifact-id") { Description = "The artifact." };
        command.Arguments.Add(id);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var store = await runtime.OpenStoreAsync(parseResult, cancellationToken);
            var saved = await FilesCli.Service(runtime, store, new LocalBlobStore(Path.GetTempPath())).GetAsync(parseResult.GetValue(id), cancellationToken);
            if (runtime.WantsJson(parseResult))
            {
                runtime.WriteJson(new JsonObject { ["id"] = saved.Artifact.Id, ["uri"] = saved.Artifact.Uri, ["files"] = FilesCli.FilesJson(saved.Files) });
            }
            else
            {
                FilesCli.WriteColumns(runtime, ["PATH", "SIZE", "SHA256", "LOCATION"],
                    saved.Files.Select(f => (IReadOnlyList<string>)[f.Path, FilesCli.Size(f.Size), f.Sha256, f.Location]));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Logs(CliRuntime runtime, CommandCatalog catalog)
    {
        var command = catalog.Create(
            "logs",
            "List the logs captured when an artifact was saved (pip_freeze, git_diff, conda_env, nvidia_smi, …), or print one.",
            "cairn logs 9");
        var id = new Argument<long>("artifact-id") { Description = "The artifact." };
        var name = new Argument<string?>("name") { Description = "The log to print; without it the logs are listed.", Arity = ArgumentArity.ZeroOrOne };
        var blobs = FilesCli.BlobsOption();
        command.Arguments.Add(id);
        command.Arguments.Add(name);
        command.Options.Add(blobs);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var blobStore = FilesCli.OpenBlobs(runtime, parseResult, blobs);
            using var blobStoreLifetime = blobStore as IDisposable; // S3 holds an HTTP client
            await using var store = await runtime.OpenStoreAsync(parseResult, cancellationToken);
            var service = FilesCli.Service(runtime, store, blobStore);
            var artifactId = parseResult.GetValue(id);
            if (parseResult.GetValue(name) is { } logName)
            {
                var text = await service.ReadLogAsync(artifactId, logName, cancellationToken);
                runtime.Out.Write(text);
                if (text.Length > 0 && !text.EndsWith('\n')) runtime.Out.Write('\n');
                return ExitCodes.Success;
            }

            var logs = await service.ListLogsAsync(artifactId, cancellationToken);
            if (runtime.WantsJson(parseResult)) runtime.WriteJson(new JsonObject { ["id"] = artifactId, ["logs"] = FilesCli.FilesJson(logs) });
            else if (logs.Count == 0) runtime.WriteLine(CliMessages.NoLogs(artifactId));
            else FilesCli.WriteColumns(runtime, ["NAME", "SIZE", "LOCATION"], logs.Select(l => (IReadOnlyList<string>)[l.Path, FilesCli.Size(l.Size), l.Location]));
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Verify(CliRuntime runtime, CommandCatalog catalog)
    {
        var command = catalog.Create(
            "verify",
            "Re-hash the stored bytes of every file and log of an artifact. Exits 12 (data loss) when any differs from its recorded SHA-256.",
            "cairn verify 7");
        var id = new Argument<long>("artifact-id") { Description = "The artifact." };
        var blobs = FilesCli.BlobsOption();
        command.Arguments.Add(id);
        command.Options.Add(blobs);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var blobStore = FilesCli.OpenBlobs(runtime, parseResult, blobs);
            using var blobStoreLifetime = blobStore as IDisposable; // S3 holds an HTTP client
            await using var store = await runtime.OpenStoreAsync(parseResult, cancellationToken);
            var artifactId = parseResult.GetValue(id);
            var results = await FilesCli.Service(runtime, store, blobStore).VerifyAsync(artifactId, cancellationToken);
            var bad = results.Count(r => r.Problem is not null);
            if (runtime.WantsJson(parseResult))
            {
                runtime.WriteJson(new JsonObject
                {
                    ["id"] = artifactId,
                    ["ok"] = bad == 0,
                    ["files"] = new JsonArray([.. results.Select(r => (JsonNode)new JsonObject { ["path"] = r.File.Path, ["sha256"] = r.File.Sha256, ["ok"] = r.Problem is null, ["problem"] = r.Problem })]),
                });
            }
            else
            {
                foreach (var r in results) runtime.WriteLine(r.Problem is null ? "ok      " + r.File.Path : "FAILED  " + r.Problem);
            }

            if (bad == 0) return ExitCodes.Success;
            runtime.Error.Write("error: " + CliMessages.VerifyFailed(artifactId, bad, results.Count) + "\n");
            return ExitCodes.DataLoss;
        });
        return command;
    }

    public static Command Reindex(CliRuntime runtime, CommandCatalog catalog)
    {
        var command = catalog.Create(
            "reindex",
            "Rebuild or repair the store from the metadata.yaml files of a blob store alone: artifacts the store holds are left as they are, interrupted saves are completed, the others are recorded anew with their lineage. Idempotent; also removes leftovers of interrupted writes. Exits 12 (data loss) when a metadata file or stored object is damaged or missing.",
            "cairn reindex",
            "cairn reindex --store sqlite://rebuilt.db --blobs .cairn/blobs --json");
        var blobs = FilesCli.BlobsOption();
        command.Options.Add(blobs);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var blobStore = FilesCli.OpenBlobs(runtime, parseResult, blobs);
            using var blobStoreLifetime = blobStore as IDisposable; // S3 holds an HTTP client
            await using var store = await runtime.OpenStoreAsync(runtime.StoreUriFor(parseResult), create: true, cancellationToken);
            var service = FilesCli.Service(runtime, store, blobStore);
            var result = await FilesCli.WithReindexProgressAsync(runtime, progress => service.ReindexAsync(new ReindexOptions { Progress = progress }, cancellationToken));
            if (runtime.WantsJson(parseResult))
            {
                runtime.WriteJson(new JsonObject
                {
                    ["blobs"] = blobStore.RootUri,
                    ["scanned"] = result.Artifacts.Count,
                    ["created"] = result.Count(ReindexOutcome.Created),
                    ["repaired"] = result.Count(ReindexOutcome.Repaired),
                    ["existing"] = result.Count(ReindexOutcome.Existing),
                    ["leftovers_removed"] = result.LeftoversRemoved,
                    ["pending"] = Output.JsonShapes.Ids(result.Pending),
                    ["abandoned"] = Output.JsonShapes.Ids(result.Abandoned),
                    ["artifacts"] = new JsonArray([.. result.Artifacts.Select(a => (JsonNode)new JsonObject
                    {
                        ["metadata"] = a.MetadataPath,
                        ["original_id"] = a.OriginalId,
                        ["id"] = a.ArtifactId,
                        ["outcome"] = a.Outcome.ToString().ToLowerInvariant(),
                    })]),
                    ["problems"] = new JsonArray([.. result.Problems.Select(p => (JsonNode)new JsonObject { ["path"] = p.Path, ["problem"] = p.Problem })]),
                });
            }
            else
            {
                if (result.Artifacts.Count > 0)
                {
                    FilesCli.WriteColumns(runtime, ["ID", "WAS", "OUTCOME", "METADATA"], result.Artifacts.Select(a => (IReadOnlyList<string>)
                    [
                        a.ArtifactId.ToString(CultureInfo.InvariantCulture),
                        a.OriginalId.ToString(CultureInfo.InvariantCulture),
                        a.Outcome.ToString().ToLowerInvariant(),
                        a.MetadataPath,
                    ]));
                }

                foreach (var problem in result.Problems) runtime.WriteLine("PROBLEM  " + problem.Path + ": " + problem.Problem);
                runtime.WriteLine(CliFilesMessages.Reindexed(
                    result.Artifacts.Count, result.Count(ReindexOutcome.Created), result.Count(ReindexOutcome.Repaired), result.Count(ReindexOutcome.Existing), result.LeftoversRemoved, result.Abandoned.Count, result.Pending.Count));
            }

            if (result.Problems.Count == 0) return ExitCodes.Success;
            runtime.Error.Write("error: " + CliFilesMessages.ReindexProblems(result.Problems.Count) + "\n");
            return ExitCodes.DataLoss;
        });
        return command;
    }

    public static Command Find(CliRuntime runtime, CommandCatalog catalog)
    {
        var command = catalog.Create(
            "find",
            "Find saved artifacts by who saved them, when, their files, tags, info values, type or lineage. Globs use * and ?; every criterion must hold.",
            "cairn find --since 10d --file '*.txt' --info 'type=*dataset*'",
            "cairn find --tag 'data*' --json",
            "cairn find --based-on 7");
        var user = new Option<string>("--user") { Description = "Saved by this user (a glob).", HelpName = "USER" };
        var since = new Option<string>("--since") { Description = "Saved at or after: a duration back from now (30m, 12h, 10d, 2w) or a date/time (2024-05-01, 2024-05-01T12:00Z).", HelpName = "WHEN" };
        var until = new Option<string>("--until") { Description = "Saved before: a duration back from now or a date/time (a bare date includes that whole day).", HelpName = "WHEN" };
        var file = new Option<string>("--file") { Description = "Holds a file matching this glob (on the file name; on the relative path when it contains '/').", HelpName = "GLOB" };
        var tag = new Option<string>("--tag") { Description = "Has a tag matching this glob.", HelpName = "GLOB" };
        var info = new Option<string[]>("--info") { Description = "Info value KEY matches GLOB. Repeatable.", HelpName = "KEY=GLOB" };
        var type = new Option<string>("--type") { Description = "Of this artifact type.", HelpName = "TYPE" };
        var basedOn = new Option<long?>("--based-on") { Description = "Made from this artifact, directly or through other artifacts.", HelpName = "ID" };
        var depth = new Option<int>("--depth") { Description = "With --based-on: how many generations to follow. Default 10.", HelpName = "N", DefaultValueFactory = _ => 10 };
        foreach (var option in new Option[] { user, since, until, file, tag, info, type, basedOn, depth }) command.Options.Add(option);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var now = runtime.Settings.TimeProvider.GetUtcNow();
            var query = new FindQuery
            {
                User = parseResult.GetValue(user),
                Since = parseResult.GetValue(since) is { } s ? ParseWhen("--since", s, now, endOfDay: false) : null,
                Until = parseResult.GetValue(until) is { } u ? ParseWhen("--until", u, now, endOfDay: true) : null,
                File = parseResult.GetValue(file),
                Tag = parseResult.GetValue(tag),
                Info = FilesCli.KeyValues("--info", parseResult.GetValue(info) ?? []),
                Type = parseResult.GetValue(type),
                BasedOn = parseResult.GetValue(basedOn),
                Depth = parseResult.GetValue(depth),
            };
            if (query.Depth < 1) throw new InvalidArgumentException(CliMessages.DepthNotPositive(query.Depth));
            await using var store = await runtime.OpenStoreAsync(parseResult, cancellationToken);
            var found = await FilesCli.Service(runtime, store, new LocalBlobStore(Path.GetTempPath())).FindAsync(query, cancellationToken);
            if (runtime.WantsJson(parseResult))
            {
                runtime.WriteJson(new JsonObject
                {
                    ["artifacts"] = new JsonArray([.. found.Select(a => (JsonNode)new JsonObject
                    {
                        ["id"] = a.Artifact.Id,
                        ["type"] = a.Artifact.Type,
                        ["uri"] = a.Artifact.Uri,
                        ["user"] = a.User,
                        ["saved_at"] = a.SavedAt?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                        ["tags"] = new JsonArray([.. a.Tags.Select(t => (JsonNode)JsonValue.Create(t))]),
                        ["info"] = new JsonObject([.. a.Info.OrderBy(i => i.Key, StringComparer.Ordinal).Select(i => KeyValuePair.Create(i.Key, (JsonNode?)JsonValue.Create(i.Value)))]),
                        ["files"] = FilesCli.FilesJson(a.Files),
                    })]),
                });
            }
            else if (found.Count == 0)
            {
                runtime.WriteLine(CliMessages.NothingFound);
            }
            else
            {
                FilesCli.WriteColumns(runtime, ["ID", "TYPE", "USER", "SAVED", "FILES", "TAGS", "INFO"], found.Select(a => (IReadOnlyList<string>)
                [
                    a.Artifact.Id!.Value.ToString(CultureInfo.InvariantCulture),
                    a.Artifact.Type ?? string.Empty,
                    a.User ?? string.Empty,
                    FilesCli.Time(a.SavedAt),
                    string.Join(", ", a.Files.Select(f => f.Path).Take(3)) + (a.Files.Count > 3 ? string.Create(CultureInfo.InvariantCulture, $", … ({a.Files.Count})") : string.Empty),
                    string.Join(", ", a.Tags),
                    string.Join(", ", a.Info.OrderBy(i => i.Key, StringComparer.Ordinal).Select(i => i.Key + "=" + i.Value)),
                ]));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>A duration back from now (30m, 12h, 10d, 2w) or a date/time; a bare date as an upper bound includes its whole day.</summary>
    internal static DateTimeOffset ParseWhen(string option, string text, DateTimeOffset now, bool endOfDay)
    {
        var relative = RelativeTime().Match(text.Trim());
        if (relative.Success)
        {
            var amount = long.Parse(relative.Groups[1].Value, CultureInfo.InvariantCulture);
            return relative.Groups[2].Value switch
            {
                "s" => now.AddSeconds(-amount),
                "m" => now.AddMinutes(-amount),
                "h" => now.AddHours(-amount),
                "d" => now.AddDays(-amount),
                _ => now.AddDays(-7 * amount),
            };
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            var start = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return endOfDay ? start.AddDays(1) : start;
        }

        if (DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)) return at;
        throw new InvalidArgumentException(CliMessages.BadWhen(option, text));
    }

    [GeneratedRegex(@"^(\d{1,9})([smhdw])$", RegexOptions.CultureInvariant)]
    private static partial Regex RelativeTime();
}
