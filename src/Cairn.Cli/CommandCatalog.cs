using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Cairn.Cli;

/// <summary>Creates commands and remembers each one's examples, which the help output appends.</summary>
internal sealed class CommandCatalog
{
    private readonly Dictionary<Command, string[]> _examples = [];

    public Command Create(string name, string description, params string[] examples)
    {
        var command = new Command(name, description);
        _examples[command] = examples;
        return command;
    }

    public IReadOnlyList<string> ExamplesOf(Command command) => _examples.TryGetValue(command, out var examples) ? examples : [];

    /// <summary>Every command with its examples, for tests that hold docs/cli.md to the help.</summary>
    public IReadOnlyDictionary<Command, string[]> All => _examples;

    /// <summary>Wraps the standard help so it ends with the command's examples.</summary>
    public HelpOption CreateHelpOption()
    {
        var option = new HelpOption { Recursive = true };
        option.Action = new ExamplesHelpAction((SynchronousCommandLineAction)option.Action!, this);
        return option;
    }

    private sealed class ExamplesHelpAction(SynchronousCommandLineAction inner, CommandCatalog catalog) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            var result = inner.Invoke(parseResult);
            var examples = catalog.ExamplesOf(parseResult.CommandResult.Command);
            if (examples.Count > 0)
            {
                var output = parseResult.InvocationConfiguration.Output;
                output.Write("Examples:\n");
                foreach (var example in examples) output.Write("  " + example + "\n");
                output.Write('\n');
            }

            return result;
        }
    }
}
