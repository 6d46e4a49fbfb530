using System.CommandLine;
using System.ComponentModel;
using System.Diagnostics;

namespace Cairn.Cli.Commands;

/// <summary><c>cairn run -- COMMAND</c>: records the command as an execution whose loads are inputs and whose saves are outputs.</summary>
internal static class RunCommand
{
    /// <summary>The exit code when the command cannot be started (as shells use).</summary>
    public const int CommandNotStarted = 127;

    public static Command Create(CliRuntime runtime, CommandCatalog catalog)
    {
        var command = catalog.Create(
            "run",
            "Run a command as a recorded execution (type cairn.Run): the captured environment, start, end, exit code and state COMPLETE or FAILED. The command gets CAIRN_RUN_ID, CAIRN_STORE and CAIRN_BLOBS, so every 'cairn load' inside it is an input and every 'cairn save' an output based on what was loaded. Exits with the command's exit code.",
            "cairn run --name noop --no-capture -- dotnet --version");
        var name = new Option<string>("--name") { Description = "A name for the run (unique among runs).", HelpName = "NAME" };
        var noCapture = FilesCli.NoCaptureOption();
        var blobs = FilesCli.BlobsOption();
        var commandLine = new Argument<string[]>("command") { Description = "The command and its arguments, after '--'.", Arity = ArgumentArity.OneOrMore };
        command.Options.Add(name);
        command.Options.Add(noCapture);
        command.Options.Add(blobs);
        command.Arguments.Add(commandLine);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var argv = parseResult.GetValue(commandLine) ?? [];
            var blobStore = FilesCli.OpenBlobs(runtime, parseResult, blobs);
            using var blobStoreLifetime = blobStore as IDisposable; // S3 holds an HTTP client
            var storeUri = runtime.StoreUriFor(parseResult);
            var environment = parseResult.GetValue(noCapture) ? null : await FilesCli.CaptureAsync(runtime, cancellationToken);
            if (environment is not null)
            {
                var fields = new Dictionary<string, MetadataValue>(environment.Fields, StringComparer.Ordinal) { ["command"] = MetadataValue.String(string.Join(' ', argv)) };
                environment = environment with { Fields = fields };
            }

            await using var store = await runtime.OpenStoreAsync(storeUri, create: true, cancellationToken);
            var service = FilesCli.Service(runtime, store, blobStore);
            var run = await service.StartRunAsync(parseResult.GetValue(name), environment, cancellationToken);

            var start = new ProcessStartInfo(argv[0]) { UseShellExecute = false, WorkingDirectory = runtime.WorkingDirectory };
            foreach (var argument in argv.Skip(1)) start.ArgumentList.Add(argument);
            start.Environment[FilesCli.RunIdVariable] = run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            start.Environment[FilesCli.StoreVariable] = storeUri.Original;
            start.Environment[FilesCli.BlobsVariable] = blobStore.RootUri;

            // On a terminal the command owns it; otherwise its output is passed through cairn's own writers.
            var passThrough = !(runtime.Settings.IsTerminal && runtime.Settings.IsErrorTerminal);
            start.RedirectStandardOutput = passThrough;
            start.RedirectStandardError = passThrough;

            Process process;
            try
            {
                process = Process.Start(start)!;
            }
            catch (Win32Exception e)
            {
                await run.CompleteAsync(CommandNotStarted, cancellationToken);
                runtime.Error.Write("error: " + CliMessages.CommandNotStarted(argv[0], e.Message, run.Id) + "\n");
                return CommandNotStarted;
            }

            int exitCode;
            using (process)
            {
                var pumps = passThrough
                    ? Task.WhenAll(PumpAsync(process.StandardOutput, runtime.Out, cancellationToken), PumpAsync(process.StandardError, runtime.Error, cancellationToken))
                    : Task.CompletedTask;
                try
                {
                    await process.WaitForExitAsync(cancellationToken);
                    await pumps;
                }
                catch (OperationCanceledException)
                {
                    try
                    {
                        process.Kill(entireProcessTree: true);
                    }
                    catch (InvalidOperationException)
                    {
                        // It ended on its own.
                    }

                    await run.CompleteAsync(ExitCodes.Cancelled, CancellationToken.None);
                    throw;
                }

                exitCode = process.ExitCode;
            }

            await run.CompleteAsync(exitCode, cancellationToken);
            runtime.Error.Write(CliMessages.RunEnded(run.Id, exitCode) + "\n");
            return exitCode;
        });
        return command;
    }

    private static async Task PumpAsync(StreamReader from, TextWriter to, CancellationToken cancellationToken)
    {
        var buffer = new char[8192];
        int read;
        while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            await to.FlushAsync(cancellationToken);
        }
    }
}
