using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Cairn.Files;
using Spectre.Console;

namespace Cairn.Cli.Commands;

/// <summary>What the file commands share: the blob store, the run they are inside, the service and the renderings.</summary>
internal static class FilesCli
{
    public const string BlobsVariable = "CAIRN_BLOBS";
    public const string RunIdVariable = "CAIRN_RUN_ID";
    public const string StoreVariable = "CAIRN_STORE";

    public static Option<string> BlobsOption() => new("--blobs")
    {
        Description = "Where file contents live: a directory, file:///path or s3://bucket/prefix (endpoint, region and credentials from the AWS_* variables). Default: the configured blobs ($CAIRN_BLOBS, a configuration file), else blobs/ beside a SQLite store file ($CAIRN_HOME/blobs for the default store).",
        HelpName = "URI",
    };

    public static Option<bool> NoCaptureOption() => new("--no-capture")
    {
        Description = "Do not capture the environment (git, pip, .NET SDK, host, user, command line, …).",
    };

    /// <summary>
    /// The blob store: --blobs, else the configured <c>blobs</c> (configuration files, <c>CAIRN_BLOBS</c>, --config), else
    /// $CAIRN_BLOBS, else beside a SQLite store file, else $CAIRN_HOME/blobs.
    /// </summary>
    public static IBlobStore OpenBlobs(CliRuntime runtime, ParseResult parseResult, Option<string> blobsOption)
    {
        var given = parseResult.GetValue(blobsOption);
        if (string.IsNullOrWhiteSpace(given)) given = runtime.Configuration(parseResult).Text(Configuration.ConfigKeys.Blobs);
        if (string.IsNullOrWhiteSpace(given)) given = Environment.GetEnvironmentVariable(BlobsVariable);
        if (!string.IsNullOrWhiteSpace(given))
        {
            given = given.Trim();
            return BlobStores.Open(given.Contains("://", StringComparison.Ordinal) ? given : runtime.ResolvePath(given));
        }

        var store = runtime.StoreUriFor(parseResult);
        var directory = store.Scheme == "sqlite" && Path.GetDirectoryName(store.Location) is { Length: > 0 } d ? d : StoreUri.HomeDirectory;
        return new LocalBlobStore(Path.Combine(directory, "blobs"));
    }

    /// <summary>The run this process is inside (<c>CAIRN_RUN_ID</c>, set by <c>cairn run</c>), if any.</summary>
    public static long? CurrentRunId()
    {
        var text = Environment.GetEnvironmentVariable(RunIdVariable);
        if (string.IsNullOrWhiteSpace(text)) return null;
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new UsageException($"{RunIdVariable}='{text}' is not a run id; unset it or run the command through 'cairn run'.");
    }

    /// <summary>Transfers at least this large show a progress bar (when stderr is a terminal).</summary>
    public const long ProgressThreshold = 32L << 20;

    public static FileService Service(CliRuntime runtime, IMetadataStore store, IBlobStore blobs, IProgress<TransferProgress>? progress = null) =>
        new(store, blobs, new FileServiceOptions { TimeProvider = runtime.Settings.TimeProvider, Progress = progress });

    /// <summary>An interactive console on stderr for progress bars (only used when stderr is a terminal).</summary>
    private static IAnsiConsole ProgressConsole(CliRuntime runtime) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.Yes,
        ColorSystem = ColorSystemSupport.Detect,
        Interactive = InteractionSupport.Yes,
        Out = new AnsiConsoleOutput(runtime.Error),
    });

    /// <summary>
    /// Runs a transfer of <paramref name="bytes"/> bytes, with a progress bar on stderr when stderr is a terminal and the
    /// transfer is long; stdout (tables, JSON) is never touched.
    /// </summary>
    public static async Task<T> WithTransferProgressAsync<T>(CliRuntime runtime, string label, long bytes, Func<IProgress<TransferProgress>?, Task<T>> work)
    {
        if (!runtime.Settings.IsErrorTerminal || bytes < ProgressThreshold) return await work(null);
        var console = ProgressConsole(runtime);
        T result = default!;
        await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(label), maxValue: Math.Max(1, bytes));
                result = await work(new TransferReporter(value =>
                {
                    task.MaxValue = Math.Max(1, value.BytesTotal);
                    task.Value = Math.Min(value.BytesDone, task.MaxValue);
                }));
                task.Value = task.MaxValue;
            });
        return result;
    }

    /// <summary>Runs a reindex with a bar per phase on stderr when stderr is a terminal.</summary>
    public static async Task<T> WithReindexProgressAsync<T>(CliRuntime runtime, Func<IProgress<ReindexProgress>?, Task<T>> work)
    {
        if (!runtime.Settings.IsErrorTerminal) return await work(null);
        var console = ProgressConsole(runtime);
        T result = default!;
        await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                result = await work(new Reporter<ReindexProgress>(value =>
                {
                    lock (tasks)
                    {
                        if (!tasks.TryGetValue(value.Phase, out var task)) tasks[value.Phase] = task = context.AddTask(Markup.Escape(value.Phase));
                        task.MaxValue = Math.Max(1, value.Total);
                        task.Value = value.Total == 0 ? task.MaxValue : value.Done;
                        task.Description = Markup.Escape(CliFilesMessages.ReindexPhase(value.Phase, value.Done, value.Total));
                    }
                }));
            });
        return result;
    }

    /// <summary>Reports synchronously from the calling threads; the bars redraw on their own timer.</summary>
    private sealed class Reporter<TValue>(Action<TValue> report) : IProgress<TValue>
    {
        public void Report(TValue value) => report(value);
    }

    /// <summary>Reports synchronously from the transferring threads; the bar redraws on its own timer.</summary>
    private sealed class TransferReporter(Action<TransferProgress> report) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value) => report(value);
    }

    public static Task<CapturedEnvironment> CaptureAsync(CliRuntime runtime, CancellationToken cancellationToken) =>
        EnvironmentCapture.CaptureAsync(new EnvironmentCaptureOptions
        {
            WorkingDirectory = runtime.WorkingDirectory,
            TimeProvider = runtime.Settings.TimeProvider,
            CommandLine = string.Join(' ', Environment.GetCommandLineArgs()),
        }, cancellationToken);

    public static JsonArray FilesJson(IEnumerable<StoredFile> files) =>
        new([.. files.Select(f => (JsonNode)new JsonObject { ["path"] = f.Path, ["size"] = f.Size, ["sha256"] = f.Sha256, ["location"] = f.Location })]);

    /// <summary>Columns separated by two spaces, padded to the widest cell (never wrapped, so digests and URLs stay whole).</summary>
    public static void WriteColumns(CliRuntime runtime, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = new List<IReadOnlyList<string>> { headers };
        all.AddRange(rows);
        var widths = Enumerable.Range(0, headers.Count).Select(i => all.Max(r => r[i].Length)).ToArray();
        foreach (var row in all)
        {
            var line = new StringBuilder();
            for (var i = 0; i < row.Count; i++)
            {
                if (i > 0) line.Append("  ");
                line.Append(i == row.Count - 1 ? row[i] : row[i].PadRight(widths[i]));
            }

            runtime.WriteLine(line.ToString().TrimEnd());
        }
    }

    public static string Size(long bytes) => bytes.ToString(CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset? time) => time?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? string.Empty;

    /// <summary>Parses KEY=VALUE pairs of a repeatable option.</summary>
    public static Dictionary<string, string> KeyValues(string option, IEnumerable<string> given)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var flag in given)
        {
            var at = flag.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0) throw new InvalidArgumentException(CliMessages.FlagNotKeyValue(option, flag));
            result[flag[..at]] = flag[(at + 1)..];
        }

        return result;
    }
}
