using System.Diagnostics;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Cairn.Benchmarks;

/// <summary>
/// The S3-compatible server WF's S3 rows run on: the endpoint <c>CAIRN_BENCH_S3</c> names (<c>http://127.0.0.1:PORT</c>;
/// credentials from <c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>, else s3rver's), or else s3rver started the way
/// test.sh starts it: <c>node test/s3-server/server.js DIR 0</c> on a free loopback port (after
/// <c>npm ci --prefix test/s3-server</c> when its node_modules are missing). A started server is stopped and its data
/// directory deleted on dispose; buckets created on a given endpoint are emptied and deleted.
/// </summary>
internal sealed class S3Server : IAsyncDisposable
{
    private const string S3rverKey = "S3RVER";
    private readonly Process? _process;
    private readonly string? _dataDir;
    private readonly List<string> _buckets = [];

    private S3Server(string endpoint, string accessKey, string secretKey, Process? process, string? dataDir, string description)
    {
        Endpoint = endpoint;
        AccessKey = accessKey;
        SecretKey = secretKey;
        _process = process;
        _dataDir = dataDir;
        Description = description;
    }

    public string Endpoint { get; }

    public string AccessKey { get; }

    public string SecretKey { get; }

    public string Description { get; }

    /// <summary>Attaches to <c>CAIRN_BENCH_S3</c> or starts s3rver; null (with the reason) when neither is possible.</summary>
    public static async Task<(S3Server? Server, string Reason)> StartAsync(string tempRoot, CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable("CAIRN_BENCH_S3") is { Length: > 0 } endpoint)
        {
            var key = Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID") is { Length: > 0 } k ? k : S3rverKey;
            var secret = Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY") is { Length: > 0 } s ? s : S3rverKey;
            return (new S3Server(endpoint.TrimEnd('/'), key, secret, null, null, $"CAIRN_BENCH_S3 ({endpoint})"), string.Empty);
        }

        var serverDir = FindServerDirectory();
        if (serverDir is null) return (null, "CAIRN_BENCH_S3 is not set and test/s3-server/server.js was not found above the working directory");
        if (await RunAsync("node", ["--version"], cancellationToken).ConfigureAwait(false) != 0)
        {
            return (null, "CAIRN_BENCH_S3 is not set and Node.js is not installed (apt-get install nodejs npm, or set CAIRN_BENCH_S3=http://host:port)");
        }

        if (!Directory.Exists(Path.Combine(serverDir, "node_modules", "s3rver"))
            && await RunAsync("npm", ["ci", "--prefix", serverDir, "--no-audit", "--no-fund", "--loglevel=error"], cancellationToken).ConfigureAwait(false) != 0)
        {
            return (null, $"'npm ci --prefix {serverDir}' failed (set CAIRN_BENCH_S3=http://host:port to use a running server)");
        }

        var dataDir = Path.Combine(tempRoot, "cairn-bench-s3-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(serverDir, "server.js"));
        info.ArgumentList.Add(Path.Combine(dataDir, "data"));
        info.ArgumentList.Add("0");
        var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false) is { } line)
            {
                if (!line.StartsWith("listening ", StringComparison.Ordinal)) continue;
                var url = line["listening ".Length..].Trim();

                // s3rver prints nothing more; the pipe is drained so it can never block on a full buffer.
                _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
                return (new S3Server(url, S3rverKey, S3rverKey, process, dataDir, $"s3rver (Node.js {await NodeVersionAsync().ConfigureAwait(false)}) on {url[7..]}, started by the bench"), string.Empty);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Timed out: reported below.
        }

        Stop(process);
        var reason = (await stderr.ConfigureAwait(false)).Trim();
        TryDelete(dataDir);
        return (null, "s3rver did not start" + (reason.Length > 0 ? ": " + reason : string.Empty));
    }

    /// <summary>A client configured as Cairn configures its own for a custom endpoint (path style, checksums only where required).</summary>
    public AmazonS3Client Client() => new(
        new BasicAWSCredentials(AccessKey, SecretKey),
        new AmazonS3Config
        {
            ServiceURL = Endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 3,
            Timeout = TimeSpan.FromMinutes(5),
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });

    public async Task<string> CreateBucketAsync(IAmazonS3 client, CancellationToken cancellationToken)
    {
        var bucket = "cairn-bench-" + Guid.NewGuid().ToString("N")[..16];
        await client.PutBucketAsync(new PutBucketRequest { BucketName = bucket }, cancellationToken).ConfigureAwait(false);
        _buckets.Add(bucket);
        return bucket;
    }

    /// <summary>
    /// Deletes every object under <paramref name="prefix"/> on a given server, so the benchmark's data does not pile up
    /// there (best effort); a started server's data directory is deleted whole on dispose instead.
    /// </summary>
    public async Task DeletePrefixAsync(IAmazonS3 client, string bucket, string prefix, CancellationToken cancellationToken)
    {
        if (_process is not null) return;
        await DeleteAllAsync(client, bucket, prefix, cancellationToken).ConfigureAwait(false);
    }

    private static async Task DeleteAllAsync(IAmazonS3 client, string bucket, string prefix, CancellationToken cancellationToken)
    {
        try
        {
            string? token = null;
            do
            {
                var page = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, ContinuationToken = token }, cancellationToken).ConfigureAwait(false);
                if (page.S3Objects is { Count: > 0 } objects)
                {
                    await client.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = bucket, Objects = [.. objects.Select(o => new KeyVersion { Key = o.Key })] }, cancellationToken).ConfigureAwait(false);
                }

                token = page.IsTruncated == true ? page.NextContinuationToken : null;
            }
            while (token is not null);
        }
        catch (AmazonServiceException e)
        {
            BenchContext.Log($"WF: could not delete s3://{bucket}/{prefix}: {e.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            Stop(_process);
            _process.Dispose();
            if (_dataDir is not null) TryDelete(_dataDir);
            return;
        }

        using var client = Client();
        foreach (var bucket in _buckets)
        {
            await DeleteAllAsync(client, bucket, string.Empty, CancellationToken.None).ConfigureAwait(false);
            try
            {
                await client.DeleteBucketAsync(bucket).ConfigureAwait(false);
            }
            catch (AmazonServiceException)
            {
                // Best effort.
            }
        }
    }

    private static string? FindServerDirectory()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                var candidate = Path.Combine(d.FullName, "test", "s3-server");
                if (File.Exists(Path.Combine(candidate, "server.js"))) return candidate;
            }
        }

        return null;
    }

    private static async Task<string> NodeVersionAsync()
    {
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("--version");
        using var process = Process.Start(info)!;
        var version = await process.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
        await process.WaitForExitAsync().ConfigureAwait(false);
        return version.Trim();
    }

    private static async Task<int> RunAsync(string file, string[] args, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
            if (process.ExitCode != 0 && stderr.Result.Trim() is { Length: > 0 } error) BenchContext.Log($"{file}: {error}");
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort.
        }
    }
}
