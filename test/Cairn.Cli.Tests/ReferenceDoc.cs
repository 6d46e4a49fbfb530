using System.Text;
using System.Text.RegularExpressions;

namespace Cairn.Cli.Tests;

/// <summary>
/// docs/cli.md, read as a script. <c>```console</c> blocks hold commands (<c>$ cairn ...</c>, or <c>$ echo $?</c> for the
/// last exit code) each followed by the output the docs promise; a block opened with <c>```yaml file=NAME</c> or
/// <c>```json file=NAME</c> is written to NAME before the commands after it run, except that a block named <c>NAME.db</c>
/// holds SQL, run into a new SQLite database NAME.db. In promised output, <c>…</c> stands
/// for any text within a line, and an output of just <c>…</c> for any output.
/// </summary>
public sealed class ReferenceDoc
{
    public const string HomeDirectory = "/home/me";

    private ReferenceDoc(string path, string[] lines, IReadOnlyList<DocStep> steps)
    {
        Path = path;
        Lines = lines;
        Steps = steps;
    }

    public string Path { get; }

    public string[] Lines { get; }

    public IReadOnlyList<DocStep> Steps { get; }

    public IEnumerable<DocStep> Commands => Steps.Where(s => s.FileName is null);

    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "Cairn.slnx"))) return dir.FullName;
            }

            throw new InvalidOperationException("Cannot find the repository root (Cairn.slnx) above " + AppContext.BaseDirectory);
        }
    }

    public static ReferenceDoc Load()
    {
        var path = System.IO.Path.Combine(RepositoryRoot, "docs", "cli.md");
        var lines = File.ReadAllText(path).ReplaceLineEndings("\n").Split('\n');
        var steps = new List<DocStep>();
        string? fence = null;
        string? fileName = null;
        var fileStart = 0;
        DocStep? command = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (fence is null)
            {
                if (!line.StartsWith("```", StringComparison.Ordinal)) continue;
                var info = line[3..].Trim();
                fence = info.Split(' ')[0];
                var file = Regex.Match(info, @"\bfile=(\S+)");
                fileName = file.Success ? file.Groups[1].Value : null;
                fileStart = i + 1;
                continue;
            }

            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                if (fileName is not null) steps.Add(new DocStep(fileStart, null, fileName, string.Join("\n", lines[fileStart..i]) + "\n"));
                fence = null;
                fileName = null;
                command = null;
                continue;
            }

            if (fence != "console") continue;
            if (line.StartsWith("$ ", StringComparison.Ordinal))
            {
                command = new DocStep(i + 1, line[2..].Trim(), null, null);
                steps.Add(command);
            }
            else if (command is not null)
            {
                command.Expected.Add(line);
            }
        }

        return new ReferenceDoc(path, lines, steps);
    }

    /// <summary>Splits a documented command line the way a POSIX shell would (quotes, no expansion).</summary>
    public static List<string> Tokenize(string commandLine)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        var inToken = false;
        char? quote = null;
        foreach (var c in commandLine)
        {
            if (quote is { } q)
            {
                if (c == q) quote = null;
                else current.Append(c);
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inToken = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inToken) tokens.Add(current.ToString());
                current.Clear();
                inToken = false;
            }
            else
            {
                current.Append(c);
                inToken = true;
            }
        }

        if (inToken) tokens.Add(current.ToString());
        return tokens;
    }

    /// <summary>Output as the docs show it: the temp root replaced by /home/me, trailing spaces and blank lines dropped.</summary>
    public static List<string> Normalize(string output, string root)
    {
        var lines = output.Replace(root, HomeDirectory, StringComparison.Ordinal).ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd()).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return lines;
    }

    public static bool Matches(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        var promised = expected.Select(l => l.TrimEnd()).ToList();
        while (promised.Count > 0 && promised[^1].Length == 0) promised.RemoveAt(promised.Count - 1);
        if (promised is ["…"]) return true;
        if (promised.Count != actual.Count) return false;
        return promised.Zip(actual).All(p => LineMatches(p.First, p.Second));
    }

    public static bool LineMatches(string expected, string actual) => expected.Contains('…', StringComparison.Ordinal)
        ? Regex.IsMatch(actual, "^" + string.Join(".*", expected.Split('…').Select(Regex.Escape)) + "$")
        : string.Equals(expected, actual, StringComparison.Ordinal);
}

/// <summary>A command of docs/cli.md with its promised output, or a file it writes (<see cref="FileName"/> set).</summary>
public sealed record DocStep(int Line, string? CommandLine, string? FileName, string? Content)
{
    public List<string> Expected { get; } = [];

    public override string ToString() => $"docs/cli.md:{Line}: {CommandLine ?? "file " + FileName}";
}
