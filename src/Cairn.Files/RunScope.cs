namespace Cairn.Files;

/// <summary>
/// A run for .NET code, like <c>cairn run</c>: every load through it is recorded as an input of the run and every save
/// as an output, so what it saves is based on what it loaded. Dispose it to end the run (COMPLETE unless
/// <see cref="Fail"/> was called or an exit code other than 0 was set).
/// </summary>
public sealed class RunScope : IAsyncDisposable
{
    private readonly FileService _files;
    private readonly Execution _execution;
    private bool _ended;

    internal RunScope(FileService files, Execution execution, CapturedEnvironment? environment)
    {
        _files = files;
        _execution = execution;
        Environment = environment;
    }

    /// <summary>The run's execution id (what <c>CAIRN_RUN_ID</c> holds for a child process).</summary>
    public long Id => _execution.Id!.Value;

    /// <summary>The environment captured when the run started.</summary>
    public CapturedEnvironment? Environment { get; }

    /// <summary>The exit code recorded when the scope is disposed; non-zero marks the run FAILED.</summary>
    public int ExitCode { get; set; }

    /// <summary>Marks the run FAILED when it ends.</summary>
    public void Fail(int exitCode = 1) => ExitCode = exitCode == 0 ? 1 : exitCode;

    /// <summary>Loads an artifact's files, recorded as an input of this run.</summary>
    public Task<LoadResult> LoadAsync(long artifactId, string targetDirectory, CancellationToken cancellationToken = default) =>
        _files.LoadAsync(artifactId, targetDirectory, Id, cancellationToken);

    /// <summary>Saves files as an output of this run.</summary>
    public Task<SaveResult> SaveAsync(SaveRequest request, CancellationToken cancellationToken = default) =>
        _files.SaveAsync(request, Id, cancellationToken);

    /// <summary>Ends the run with <paramref name="exitCode"/> now.</summary>
    public async Task CompleteAsync(int exitCode, CancellationToken cancellationToken = default)
    {
        if (_ended) return;
        _ended = true;
        ExitCode = exitCode;
        await _files.CompleteRunAsync(_execution, exitCode, cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await CompleteAsync(ExitCode);
}
