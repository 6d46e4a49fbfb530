using Cairn.Cli;
using Microsoft.Data.Sqlite;

// Tests set CAIRN_USER and PATH for the processes they start; they run one at a time.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]

namespace Cairn.Files.Tests;

/// <summary>The result of one in-process run of cairn.</summary>
public sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}--- stderr\n{Stderr}";
}

/// <summary>A fresh directory with a SQLite store and a blob store of one backend; cairn runs in-process against them.</summary>
public sealed class Workspace : IDisposable
{
    private BackendInstance? _backend;
    private IBlobStore? _blobs;

    public Workspace()
    {
        Root = Directory.CreateTempSubdirectory("cairn-files-").FullName;
        StorePath = Path.Combine(Root, "store", "cairn.db");
        BlobRoot = Path.Combine(Root, "store", "blobs");
    }

    /// <summary>A workspace whose blob store is one of <paramref name="backend"/>'s (a local one without it).</summary>
    public static async Task<Workspace> CreateAsync(BlobBackend? backend = null)
    {
        var w = new Workspace();
        try
        {
            w._backend = await (backend ?? new LocalBackend()).CreateAsync(w);
            return w;
        }
        catch
        {
            w.Dispose();
            throw;
        }
    }

    /// <summary>The blob store of this workspace's backend.</summary>
    public BackendInstance Backend => _backend ??= new LocalBackend().CreateAsync(this).GetAwaiter().GetResult();

    /// <summary>The blob store, opened once.</summary>
    public IBlobStore Blobs => _blobs ??= Backend.Open();

    /// <summary>The blob store's root as <c>--blobs</c> takes it.</summary>
    public string BlobsUri => Backend.BlobsUri;

    public string Root { get; }

    public string StorePath { get; }

    public string StoreUri => "sqlite://" + StorePath;

    public string BlobRoot { get; }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public string Write(string relative, string content)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Runs cairn in-process in <paramref name="directory"/> (default: the workspace root) against the workspace's store.</summary>
    public async Task<CliRun> CairnAsync(string[] args, string? directory = null)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var settings = new CliSettings { DefaultStore = StoreUri, WorkingDirectory = directory ?? Root };
        var exit = await CairnCli.RunAsync(args, stdout, stderr, settings, timeout.Token);
        return new CliRun(exit, stdout.ToString(), stderr.ToString());
    }

    public async Task<string> OkAsync(params string[] args)
    {
        var run = await CairnAsync(args);
        Xunit.Assert.True(run.ExitCode == 0, $"cairn {string.Join(' ', args)} failed:\n{run}");
        return run.Stdout;
    }

    public async Task<IMetadataStore> OpenStoreAsync()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(StorePath)!);
        return await CairnStore.OpenAsync(StoreUri);
    }

    public void Dispose()
    {
        (_blobs as IDisposable)?.Dispose();
        _backend?.Dispose();
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
        {
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
