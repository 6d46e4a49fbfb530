using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Cairn.Cli.Configuration;
using Spectre.Console;

namespace Cairn.Cli;

/// <summary>One invocation's outputs, settings and global options, shared by every command.</summary>
internal sealed class CliRuntime
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private IAnsiConsole? _console;
    private CairnConfiguration? _configuration;

    public CliRuntime(TextWriter stdout, TextWriter stderr, CliSettings settings)
    {
        Out = stdout;
        Error = stderr;
        Settings = settings;
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    public CliSettings Settings { get; }

    public Option<string> StoreOption { get; } = new("--store")
    {
        Description = "The store to use: sqlite:///path/cairn.db or a file path, postgres://user:password@host:port/db, grpc://host:port (a cairn serve), or memory:. Default: $CAIRN_HOME/cairn.db (CAIRN_HOME defaults to ~/.cairn).",
        HelpName = "URI",
        Recursive = true,
    };

    public Option<string[]> ConfigOption { get; } = new("--config")
    {
        Description = "A configuration file to read after the standard ones (/etc/cairn/config.yaml, $CAIRN_HOME/config.yaml, $CAIRN_CONFIG), or key.path=value to set one key. Repeatable; later ones win.",
        HelpName = "FILE|KEY=VALUE",
        Recursive = true,
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<bool> JsonOption { get; } = new("--json")
    {
        Description = "Print JSON (shaped like the MLMD messages) instead of tables.",
        Recursive = true,
    };

    public string WorkingDirectory => Settings.WorkingDirectory ?? Environment.CurrentDirectory;

    /// <summary>Spectre console writing to <see cref="Out"/>: plain text unless stdout is a terminal.</summary>
    public IAnsiConsole Console => _console ??= CreateConsole();

    public bool WantsJson(ParseResult parseResult) => parseResult.GetValue(JsonOption);

    /// <summary>The merged configuration (files, variables, <c>--config</c>), read once per invocation.</summary>
    /// <exception cref="CairnException">A configuration file is malformed or sets an unknown key or a bad value.</exception>
    public CairnConfiguration Configuration(ParseResult parseResult) =>
        _configuration ??= CairnConfiguration.Load(Settings.Config, parseResult.GetValue(ConfigOption) ?? [], WorkingDirectory);

    /// <summary>True when the option was given on the command line (not just its default).</summary>
    public static bool Given(ParseResult parseResult, Option option) => parseResult.GetResult(option) is { Implicit: false };

    /// <summary>
    /// The store named by <c>--store</c> (relative paths against the working directory), else the configured <c>store</c>
    /// (<c>CAIRN_STORE</c>, a configuration file), else the default store.
    /// </summary>
    public StoreUri StoreUriFor(ParseResult parseResult)
    {
        var text = parseResult.GetValue(StoreOption);
        if (!string.IsNullOrWhiteSpace(text)) return StoreUri.Parse(CairnConfiguration.Anchor(text, WorkingDirectory, ConfigKind.Store));
        if (Configuration(parseResult).Text(ConfigKeys.Store) is { Length: > 0 } configured) return StoreUri.Parse(configured);
        return Settings.DefaultStore is { } fallback ? StoreUri.Parse(fallback) : StoreUri.Default;
    }

    /// <summary>Opens the store; <paramref name="create"/> only for the commands that make one (init, demo).</summary>
    public async Task<IMetadataStore> OpenStoreAsync(StoreUri uri, bool create, CancellationToken cancellationToken)
    {
        if (create && uri.Scheme == "sqlite" && Path.GetDirectoryName(uri.Location) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }

        var options = new StoreOpenOptions { CreateIfMissing = create, TimeProvider = Settings.TimeProvider };
        if (Settings.LockTimeout is { } lockTimeout) options = options with { LockTimeout = lockTimeout };
        if (Settings.Actor is { } actor) options = options with { Actor = actor };
        return await CairnStore.OpenAsync(uri, options, cancellationToken);
    }

    public Task<IMetadataStore> OpenStoreAsync(ParseResult parseResult, CancellationToken cancellationToken) =>
        OpenStoreAsync(StoreUriFor(parseResult), create: false, cancellationToken);

    /// <summary>Where a store lives, for people: the file path of a SQLite store, else its (redacted) URI.</summary>
    public static string Where(StoreUri uri) => uri.Scheme == "sqlite" ? uri.Location : uri.Display;

    /// <summary>A path given on the command line, made absolute against the working directory.</summary>
    public string ResolvePath(string path) => Path.GetFullPath(path, WorkingDirectory);

    public void WriteJson(JsonNode node)
    {
        Out.Write(node.ToJsonString(JsonOptions));
        Out.Write('\n');
    }

    public void WriteLine(string text)
    {
        Out.Write(text);
        Out.Write('\n');
    }

    private IAnsiConsole CreateConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = Settings.IsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = Settings.IsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(Out),
        });
        if (!Settings.IsTerminal) console.Profile.Width = Settings.Width;
        return console;
    }
}
