using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Tests;

/// <summary>
/// An in-process Cairn server on a fresh SQLite file in its own temporary directory, on free ports. Disposing it stops the
/// server, deletes the directory, and fails if the server logged an error nobody expected (grpc-dotnet's VerifyNoErrorsScope).
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    /// <summary>The bound on every await of the tests: long enough for a slow shared machine, short enough to fail a hang.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly string _directory;

    private TestServer(string directory, ServerHandle handle, LogCapture log)
    {
        _directory = directory;
        Handle = handle;
        Log = log;
    }

    public ServerHandle Handle { get; }

    public LogCapture Log { get; }

    /// <summary>A grpc:// URI for the client store, with every call bounded by <see cref="Timeout"/>.</summary>
    public string ClientUri => Handle.ClientStoreUri + "?timeout_sec=" + Timeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<TestServer> StartAsync(Func<ServerOptions, ServerOptions>? configure = null)
    {
        var directory = Directory.CreateTempSubdirectory("cairn-server-").FullName;
        var log = new LogCapture();
        var options = new ServerOptions
        {
            StoreUri = "sqlite://" + Path.Combine(directory, "cairn.db"),
            GrpcPort = 0,
            HttpPort = 0,
            ShutdownTimeout = TimeSpan.FromSeconds(10),
            ConfigureLogging = b => b.AddProvider(log),
        };
        if (configure is not null) options = configure(options);
        try
        {
            var handle = await CairnServer.StartAsync(options).WaitAsync(Timeout);
            return new TestServer(directory, handle, log);
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    public async Task<IMetadataStore> OpenClientAsync() => await CairnStore.OpenAsync(ClientUri).WaitAsync(Timeout);

    public async ValueTask DisposeAsync()
    {
        await Handle.StopAsync().WaitAsync(Timeout);
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort; the OS cleans temp eventually.
        }

        var errors = Log.Errors;
        if (errors.Count > 0) throw new InvalidOperationException("The server logged unexpected errors:\n" + string.Join("\n", errors));
    }
}

/// <summary>Collects what the server logs, so tests can read it and fail on unexpected errors.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Message)> Entries => [.. _entries];

    public IReadOnlyList<string> Errors => [.. _entries.Where(e => e.Level >= LogLevel.Error && !ExpectError(e.Message)).Select(e => $"{e.Category}: {e.Message}")];

    /// <summary>A test that provokes an error log on purpose names a substring of it here.</summary>
    public Func<string, bool> ExpectError { get; set; } = _ => false;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._entries.Enqueue((logLevel, category, formatter(state, exception) + (exception is null ? string.Empty : " " + exception)));
    }
}
