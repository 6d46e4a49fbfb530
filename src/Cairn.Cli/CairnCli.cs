using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Cairn.Cli.Commands;

namespace Cairn.Cli;

/// <summary>
/// The <c>cairn</c> command line, runnable in-process: parses the arguments, runs the command against the store and
/// maps every error to a one-line message on stderr and a documented exit code (<see cref="ExitCodes"/>).
/// </summary>
public static class CairnCli
{
    /// <summary>Runs <c>cairn</c> with <paramref name="args"/>, writing to the given writers.</summary>
    /// <returns>The exit code: 0 on success, see <see cref="ExitCodes"/> otherwise.</returns>
    public static Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        RunAsync(args, stdout, stderr, new CliSettings(), cancellationToken);

    internal static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CliSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var runtime = new CliRuntime(stdout, stderr, settings);
        try
        {
            var root = Build(runtime, new CommandCatalog());
            var parseResult = root.Parse(args);
            if (parseResult.Action is ParseErrorAction)
            {
                var path = CommandPath(parseResult.CommandResult);
                Fail(stderr, parseResult.UnmatchedTokens.Count > 0
                    ? CliMessages.UnknownToken(parseResult.UnmatchedTokens[0], path)
                    : CliMessages.UsageError(parseResult.Errors[0].Message, path));
                return ExitCodes.Usage;
            }

            var invocation = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
            return await parseResult.InvokeAsync(invocation, cancellationToken);
        }
        catch (CairnException e)
        {
            Fail(stderr, e.Message);
            return ExitCodes.For(e.Code);
        }
        catch (UsageException e)
        {
            Fail(stderr, e.Message);
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Fail(stderr, CliMessages.Cancelled);
            return ExitCodes.Cancelled;
        }
#pragma warning disable CA1031 // The edge of the program: anything unexpected becomes one generic line, never a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Fail(stderr, CliMessages.Unexpected(e.GetType().Name));
            return ExitCodes.Unexpected;
        }
    }

    /// <summary>The whole command tree (tests walk it to check that every command is documented).</summary>
    internal static Command Build(CliRuntime runtime, CommandCatalog catalog)
    {
        var root = catalog.Create(
            "cairn",
            "Cairn: a metadata store for machine learning with ML Metadata (MLMD) semantics. Records types, artifacts, executions, contexts and the events between them.",
            "cairn init",
            "cairn demo",
            "cairn artifacts get 1 --json");
        root.Options.Add(catalog.CreateHelpOption());
        root.Options.Add(new VersionOption());
        root.Options.Add(runtime.StoreOption);
        root.Options.Add(runtime.ConfigOption);
        root.Options.Add(runtime.JsonOption);
        root.Subcommands.Add(InitCommand.Create(runtime, catalog));
        root.Subcommands.Add(MigrateCommand.Create(runtime, catalog));
        root.Subcommands.Add(TypeCommands.Create(runtime, catalog));
        root.Subcommands.Add(NodeCommands.Create(runtime, catalog, NodeKind.Artifact));
        root.Subcommands.Add(NodeCommands.Create(runtime, catalog, NodeKind.Execution));
        root.Subcommands.Add(NodeCommands.Create(runtime, catalog, NodeKind.Context));
        root.Subcommands.Add(EventCommands.Create(runtime, catalog));
        root.Subcommands.Add(LineageCommand.Create(runtime, catalog));
        root.Subcommands.Add(LineageSubgraphCommand.Create(runtime, catalog));
        root.Subcommands.Add(SearchCommand.Create(runtime, catalog));
        root.Subcommands.Add(ChangeCommands.Changes(runtime, catalog));
        root.Subcommands.Add(ChangeCommands.History(runtime, catalog));
        root.Subcommands.Add(DemoCommand.Create(runtime, catalog));
        root.Subcommands.Add(ServeCommand.Create(runtime, catalog));
        root.Subcommands.Add(ConfigCommand.Create(runtime, catalog));
        root.Subcommands.Add(ImportCommand.Create(runtime, catalog));
        root.Subcommands.Add(FileCommands.Save(runtime, catalog));
        root.Subcommands.Add(FileCommands.Load(runtime, catalog));
        root.Subcommands.Add(FileCommands.Files(runtime, catalog));
        root.Subcommands.Add(FileCommands.Logs(runtime, catalog));
        root.Subcommands.Add(FileCommands.Verify(runtime, catalog));
        root.Subcommands.Add(FileCommands.Find(runtime, catalog));
        root.Subcommands.Add(RunCommand.Create(runtime, catalog));
        root.Subcommands.Add(MetaCommand.Create(runtime, catalog));
        root.Subcommands.Add(FileCommands.Reindex(runtime, catalog));
        root.Subcommands.Add(GardenCommands.Create(runtime, catalog));
        root.Subcommands.Add(ResolveCommand.Create(runtime, catalog));
        root.SetAction(parseResult =>
        {
            // Bare `cairn` shows the help rather than an error.
            return root.Parse(["--help"]).Invoke(new InvocationConfiguration { Output = runtime.Out, Error = runtime.Error });
        });
        return root;
    }

    internal static string CommandPath(CommandResult? result)
    {
        var names = new List<string>();
        for (var current = result; current is not null; current = current.Parent as CommandResult) names.Add(current.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }

    private static void Fail(TextWriter stderr, string message)
    {
        // One line, whatever the message holds.
        stderr.Write("error: " + message.ReplaceLineEndings(" ").Trim() + "\n");
    }
}
