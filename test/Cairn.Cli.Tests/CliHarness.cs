using Microsoft.Data.Sqlite;

namespace Cairn.Cli.Tests;

/// <summary>The result of one in-process run of cairn.</summary>
public sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}--- stderr\n{Stderr}";
}

/// <summary>A clock that never moves, so timestamps in the output are exact.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public static DateTimeOffset DocsTime { get; } = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>
/// Runs cairn in-process in a fresh temporary directory: that directory is the working directory, and the default
/// store is <c>.cairn/cairn.db</c> inside it (as if it were the user's home).
/// </summary>
public sealed class CliHarness : IDisposable
{
    public CliHarness(TimeProvider? clock = null)
    {
        Root = Directory.CreateTempSubdirectory("cairn-cli-").FullName;
        Settings = new CliSettings
        {
            DefaultStore = "sqlite://" + Path.Combine(Root, ".cairn", "cairn.db"),
            WorkingDirectory = Root,
            TimeProvider = clock ?? TimeProvider.System,
            // The change log's actor, fixed so that documented output does not depend on who runs the tests.
            Actor = "dana",
            Width = 120,
        };
    }

    public string Root { get; }

    internal CliSettings Settings { get; set; }

    public string DefaultStorePath => Path.Combine(Root, ".cairn", "cairn.db");

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public void WriteFile(string relative, string content)
    {
        // docs/cli.md writes files in subdirectories too (a data garden).
        Directory.CreateDirectory(Path.GetDirectoryName(PathOf(relative))!);
        File.WriteAllText(PathOf(relative), content);
    }

    public async Task<CliRun> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var exitCode = await CairnCli.RunAsync(args, stdout, stderr, Settings, timeout.Token);
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs and asserts success, returning stdout.</summary>
    public async Task<string> OkAsync(params string[] args)
    {
        var run = await RunAsync(args);
        Xunit.Assert.True(run.ExitCode == 0, $"cairn {string.Join(' ', args)} failed:\n{run}");
        Xunit.Assert.Equal(string.Empty, run.Stderr);
        return run.Stdout;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the OS cleans temp eventually.
        }
    }
}
