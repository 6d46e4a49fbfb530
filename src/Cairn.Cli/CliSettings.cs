namespace Cairn.Cli;

/// <summary>What an invocation of the CLI takes from its surroundings; tests substitute every part.</summary>
internal sealed record CliSettings
{
    /// <summary>The store used without <c>--store</c> or a configured <c>store</c>; null means <see cref="StoreUri.Default"/>.</summary>
    public string? DefaultStore { get; init; }

    /// <summary>Where the layered configuration is read from; the default reads no file and no variable.</summary>
    public Configuration.ConfigLocations Config { get; init; } = new();

    /// <summary>Relative file and store paths are resolved against this directory; null means the current directory.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>The clock handed to the store (tests pin it so the documented output is exact).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Who the change log records as the author of writes; null means the store's default (<c>CAIRN_USER</c> or the OS user).</summary>
    public string? Actor { get; init; }

    /// <summary>How long to wait for another process's write lock; null keeps the store's default.</summary>
    public TimeSpan? LockTimeout { get; init; }

    /// <summary>True when stdout is an interactive terminal: colours and the terminal's width are used.</summary>
    public bool IsTerminal { get; init; }

    /// <summary>True when stderr is an interactive terminal: long listings show their progress there.</summary>
    public bool IsErrorTerminal { get; init; }

    /// <summary>Width of tables when stdout is not a terminal.</summary>
    public int Width { get; init; } = 120;
}
