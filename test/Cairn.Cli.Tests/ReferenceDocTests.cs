using System.CommandLine;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace Cairn.Cli.Tests;

/// <summary>docs/cli.md is executable: every example runs, in order, and prints exactly what the page shows.</summary>
public sealed class ReferenceDocTests
{
    /// <summary>Set to 1 to rewrite the promised outputs of docs/cli.md from what the commands print now (then review the diff).</summary>
    private const string RegenerateVariable = "CAIRN_REGENERATE_DOCS";

    [Fact]
    public async Task Every_example_in_the_reference_runs_and_prints_what_the_reference_shows()
    {
        var doc = ReferenceDoc.Load();
        using var cli = new CliHarness(new FixedClock(FixedClock.DocsTime));
        var failures = new List<string>();
        var actuals = new Dictionary<DocStep, List<string>>();
        var lastExit = 0;
        var steps = doc.Steps;
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            if (step.FileName is not null)
            {
                if (step.FileName.EndsWith(".db", StringComparison.Ordinal)) await CreateSqliteDatabaseAsync(cli.PathOf(step.FileName), step.Content!);
                else cli.WriteFile(step.FileName, step.Content!);
                continue;
            }

            List<string> actual;
            if (step.CommandLine == "echo $?")
            {
                actual = [lastExit.ToString(System.Globalization.CultureInfo.InvariantCulture)];
            }
            else
            {
                var tokens = ReferenceDoc.Tokenize(step.CommandLine!);
                Assert.True(tokens.Count > 0 && tokens[0] == "cairn", $"{step}: only 'cairn ...' and 'echo $?' can be run.");
                var run = await cli.RunAsync([.. tokens.Skip(1)]);
                lastExit = run.ExitCode;
                actual = ReferenceDoc.Normalize(run.Stdout + run.Stderr, cli.Root);
                RemoveDemoStore(run.Stdout);
                var next = i + 1 < steps.Count ? steps[i + 1] : null;
                if (run.ExitCode != 0 && next?.CommandLine != "echo $?")
                {
                    failures.Add($"{step}\n  exited {run.ExitCode}; an example that fails must be followed by '$ echo $?'.\n  {string.Join("\n  ", actual)}");
                }
            }

            actuals[step] = actual;
            if (!ReferenceDoc.Matches(step.Expected, actual))
            {
                failures.Add($"{step}\n  expected:\n    {string.Join("\n    ", step.Expected)}\n  actual:\n    {string.Join("\n    ", actual)}");
            }
        }

        if (failures.Count > 0 && Environment.GetEnvironmentVariable(RegenerateVariable) == "1")
        {
            Regenerate(doc, actuals);
            return;
        }

        Assert.True(failures.Count == 0, $"{failures.Count} example(s) of docs/cli.md differ (set {RegenerateVariable}=1 to rewrite them):\n\n" + string.Join("\n\n", failures));
    }

    [Fact]
    public void Every_command_has_an_example_in_the_reference()
    {
        var documented = ReferenceDoc.Load().Commands.Select(c => ReferenceDoc.Tokenize(c.CommandLine!)).ToList();
        var (root, _) = BuildTree();
        var missing = new List<string>();
        foreach (var path in LeafPaths(root, []))
        {
            if (!documented.Any(tokens => tokens.Count >= path.Count && tokens.Take(path.Count).SequenceEqual(path))) missing.Add(string.Join(' ', path));
        }

        Assert.True(missing.Count == 0, "Commands without an example in docs/cli.md: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_example_in_the_help_is_run_by_the_reference()
    {
        var documented = ReferenceDoc.Load().Commands.Select(c => c.CommandLine).ToHashSet(StringComparer.Ordinal);
        var (_, catalog) = BuildTree();
        var missing = catalog.All.SelectMany(c => c.Value).Where(e => !documented.Contains(e)).Distinct().ToList();
        Assert.True(missing.Count == 0, "Help examples that docs/cli.md does not run: \n" + string.Join("\n", missing));
    }

    [Fact]
    public void Every_command_has_help_with_examples()
    {
        var (root, catalog) = BuildTree();
        var without = AllCommands(root).Where(c => catalog.ExamplesOf(c).Count == 0).Select(c => c.Name).ToList();
        Assert.True(without.Count == 0, "Commands without examples in their help: " + string.Join(", ", without));
    }

    [Fact]
    public async Task Help_of_a_command_ends_with_its_examples()
    {
        using var cli = new CliHarness();
        var help = await cli.OkAsync("events", "put", "--help");
        Assert.Contains("Usage:", help, StringComparison.Ordinal);
        Assert.Contains("Examples:\n  cairn events put --artifact 1 --execution 1 --type DECLARED_INPUT\n", help, StringComparison.Ordinal);
    }

    private static (Command Root, CommandCatalog Catalog) BuildTree()
    {
        var catalog = new CommandCatalog();
        var root = CairnCli.Build(new CliRuntime(TextWriter.Null, TextWriter.Null, new CliSettings()), catalog);
        return (root, catalog);
    }

    private static IEnumerable<Command> AllCommands(Command command) => new[] { command }.Concat(command.Subcommands.SelectMany(AllCommands));

    private static IEnumerable<List<string>> LeafPaths(Command command, List<string> prefix)
    {
        var path = new List<string>(prefix) { command.Name };
        if (command.Subcommands.Count == 0) return [path];
        return command.Subcommands.SelectMany(s => LeafPaths(s, path));
    }

    /// <summary>A <c>file=NAME.db</c> block is SQL: it is run into a new SQLite database of that name (as the sqlite3 shell would).</summary>
    private static async Task CreateSqliteDatabaseAsync(string path, string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + path + ";Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A demo without --store makes a temporary store; the test removes it.</summary>
    private static void RemoveDemoStore(string stdout)
    {
        var match = Regex.Match(stdout, @"^Store: (.*cairn-demo-[0-9a-f]+)[/\\]cairn\.db$", RegexOptions.Multiline);
        if (!match.Success) return;
        try
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(match.Groups[1].Value, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    private static void Regenerate(ReferenceDoc doc, Dictionary<DocStep, List<string>> actuals)
    {
        var lines = doc.Lines.ToList();
        foreach (var step in doc.Commands.Reverse())
        {
            if (!actuals.TryGetValue(step, out var actual) || ReferenceDoc.Matches(step.Expected, actual)) continue;
            var replacement = actual.Select((line, i) => i < step.Expected.Count && ReferenceDoc.LineMatches(step.Expected[i], line) ? step.Expected[i] : line).ToList();
            lines.RemoveRange(step.Line, step.Expected.Count);
            lines.InsertRange(step.Line, replacement);
        }

        File.WriteAllText(doc.Path, string.Join("\n", lines), new UTF8Encoding(false));
    }
}
