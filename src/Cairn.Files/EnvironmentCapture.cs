using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Cairn.Files;

/// <summary>A captured environment: queryable fields for the execution, and longer texts kept as log files.</summary>
/// <param name="Fields">Fields such as <c>git.commit</c> or <c>python.packages.pandas</c>.</param>
/// <param name="Logs">Log files by name (<c>pip_freeze</c>, <c>git_diff</c>, …).</param>
public sealed record CapturedEnvironment(IReadOnlyDictionary<string, MetadataValue> Fields, IReadOnlyDictionary<string, string> Logs)
{
    /// <summary>Nothing captured.</summary>
    public static CapturedEnvironment Empty { get; } = new(new Dictionary<string, MetadataValue>(), new Dictionary<string, string>());
}

/// <summary>What to capture and how long each part may take.</summary>
public sealed record EnvironmentCaptureOptions
{
    /// <summary>The working directory (also where git is asked).</summary>
    public string WorkingDirectory { get; init; } = Environment.CurrentDirectory;

    /// <summary>The command line to record; null records this process's.</summary>
    public string? CommandLine { get; init; }

    /// <summary>The user to record.</summary>
    public string UserName { get; init; } = FileServiceOptions.DefaultUserName();

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How long each external command (git, pip, dotnet, nvidia-smi), and reading the .NET project files, may take before it is skipped.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Captures the environment a file was made in: user, host, OS, time, working directory, command line; git commit,
/// branch, remote, dirty flag and diff; pip packages; conda environment; .NET SDK and project packages; container id; GPUs. Each part is
/// recorded only where present, and each external command is bounded by a timeout, so a capture never fails a save.
/// </summary>
public static partial class EnvironmentCapture
{
    /// <summary>Captures the environment.</summary>
    public static async Task<CapturedEnvironment> CaptureAsync(EnvironmentCaptureOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EnvironmentCaptureOptions();
        var fields = new SortedDictionary<string, MetadataValue>(StringComparer.Ordinal)
        {
            ["user"] = MetadataValue.String(options.UserName),
            ["host"] = MetadataValue.String(Environment.MachineName),
            ["os"] = MetadataValue.String(RuntimeInformation.OSDescription),
            ["time"] = MetadataValue.String(options.TimeProvider.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)),
            ["cwd"] = MetadataValue.String(options.WorkingDirectory),
            ["command"] = MetadataValue.String(options.CommandLine ?? string.Join(' ', Environment.GetCommandLineArgs())),
        };
        var logs = new SortedDictionary<string, string>(StringComparer.Ordinal);

        var git = GitAsync(options, cancellationToken);
        var pip = PipAsync(options, cancellationToken);
        var dotnet = RunAsync("dotnet", ["--version"], options, cancellationToken);
        var dotnetPackages = DotnetPackagesAsync(options, cancellationToken);
        var gpu = RunAsync("nvidia-smi", ["--query-gpu=name,driver_version,memory.total", "--format=csv,noheader"], options, cancellationToken);
        var conda = Environment.GetEnvironmentVariable("CONDA_PREFIX") is { Length: > 0 }
            ? RunAsync("conda", ["env", "export"], options, cancellationToken)
            : Task.FromResult<string?>(null);
        await Task.WhenAll(git, pip, dotnet, dotnetPackages, gpu, conda);

        foreach (var (key, value) in (await git).Fields) fields[key] = value;
        foreach (var (key, value) in (await git).Logs) logs[key] = value;
        if (await pip is { } freeze)
        {
            logs["pip_freeze"] = freeze;
            foreach (var (name, version) in ParsePipFreeze(freeze)) fields["python.packages." + name] = MetadataValue.String(version);
        }

        if ((await dotnet)?.Trim() is { Length: > 0 } sdk) fields["dotnet.sdk"] = MetadataValue.String(sdk);
        if (await dotnetPackages is { } packages)
        {
            logs["dotnet_packages"] = packages.Listing;
            foreach (var (id, versions) in packages.Packages) fields["dotnet.packages." + id] = MetadataValue.String(string.Join(", ", versions));
        }

        if (await gpu is { } gpus && gpus.Trim().Length > 0)
        {
            var lines = gpus.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            fields["gpu.count"] = MetadataValue.Int(lines.Length);
            fields["gpu.names"] = MetadataValue.String(string.Join("; ", lines.Select(l => l.Split(',')[0].Trim())));
            logs["nvidia_smi"] = gpus;
        }

        if (Environment.GetEnvironmentVariable("CONDA_DEFAULT_ENV") is { Length: > 0 } condaEnv) fields["conda.env"] = MetadataValue.String(condaEnv);
        if (await conda is { Length: > 0 } condaExport) logs["conda_env"] = condaExport;
        if (ContainerId() is { } container) fields["container.id"] = MetadataValue.String(container);

        return new CapturedEnvironment(fields, logs);
    }

    /// <summary>The <c>name==version</c> lines of <c>pip freeze</c>, names lower-cased as pip normalises them.</summary>
    public static IEnumerable<(string Name, string Version)> ParsePipFreeze(string freeze)
    {
        ArgumentNullException.ThrowIfNull(freeze);
        foreach (var line in freeze.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var at = line.IndexOf("==", StringComparison.Ordinal);
            if (at <= 0 || line.StartsWith('#')) continue;
            yield return (line[..at].Trim().ToLowerInvariant().Replace('_', '-'), line[(at + 2)..].Trim());
        }
    }

    /// <summary>The container id from <c>/proc/self/cgroup</c> (docker, containerd, podman), or null.</summary>
    public static string? ContainerId()
    {
        try
        {
            const string cgroup = "/proc/self/cgroup";
            if (!File.Exists(cgroup)) return null;
            var match = ContainerIdPattern().Match(File.ReadAllText(cgroup));
            return match.Success ? match.Groups[1].Value : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static async Task<(Dictionary<string, MetadataValue> Fields, Dictionary<string, string> Logs)> GitAsync(EnvironmentCaptureOptions options, CancellationToken cancellationToken)
    {
        var fields = new Dictionary<string, MetadataValue>(StringComparer.Ordinal);
        var logs = new Dictionary<string, string>(StringComparer.Ordinal);
        var commit = (await RunAsync("git", ["rev-parse", "HEAD"], options, cancellationToken))?.Trim();
        if (string.IsNullOrEmpty(commit)) return (fields, logs);
        fields["git.commit"] = MetadataValue.String(commit);
        if ((await RunAsync("git", ["rev-parse", "--abbrev-ref", "HEAD"], options, cancellationToken))?.Trim() is { Length: > 0 } branch)
        {
            fields["git.branch"] = MetadataValue.String(branch);
        }

        if ((await RunAsync("git", ["config", "--get", "remote.origin.url"], options, cancellationToken))?.Trim() is { Length: > 0 } remote)
        {
            fields["git.remote"] = MetadataValue.String(remote);
        }

        if (await RunAsync("git", ["status", "--porcelain"], options, cancellationToken) is { } status)
        {
            var dirty = status.Trim().Length > 0;
            fields["git.dirty"] = MetadataValue.Bool(dirty);
            if (dirty && await RunAsync("git", ["diff", "HEAD"], options, cancellationToken) is { Length: > 0 } diff) logs["git_diff"] = diff;
        }

        return (fields, logs);
    }

    /// <summary>The .NET project packages, read from the project files on the thread pool; null when there are none or reading outlives the timeout.</summary>
    private static async Task<DotnetPackageList?> DotnetPackagesAsync(EnvironmentCaptureOptions options, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            return await Task.Run(() => DotnetPackages.Read(options.WorkingDirectory, timeout.Token), timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static async Task<string?> PipAsync(EnvironmentCaptureOptions options, CancellationToken cancellationToken) =>
        await RunAsync("pip", ["freeze"], options, cancellationToken) ?? await RunAsync("pip3", ["freeze"], options, cancellationToken);

    /// <summary>Runs a command and returns its stdout, or null when it is absent, fails or outlives the timeout.</summary>
    internal static async Task<string?> RunAsync(string fileName, IReadOnlyList<string> arguments, EnvironmentCaptureOptions options, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = options.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["PIP_DISABLE_PIP_VERSION_CHECK"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException or IOException)
        {
            return null;
        }

        using (process)
        {
            process.StandardInput.Close();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Timeout);
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
                var text = await stdout;
                await stderr;
                return process.ExitCode == 0 ? text : null;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                TryKill(process);
                return null;
            }
            catch (OperationCanceledException)
            {
                TryKill(process);
                throw;
            }
        }
    }

    private static void TryKill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (Win32Exception)
        {
            // Cannot be killed; it is left to finish on its own.
        }
    }

    internal static string Describe(CapturedEnvironment environment)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in environment.Fields) text.Append(key).Append('=').Append(value).Append('\n');
        return text.ToString();
    }

    [GeneratedRegex(@"(?:docker[-/]|containerd[-/]|libpod-|cri-containerd-|crio-)([0-9a-f]{64})", RegexOptions.CultureInvariant)]
    private static partial Regex ContainerIdPattern();
}
