using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Cairn.Benchmarks;

/// <summary>
/// The PostgreSQL server W14 runs on: the one <c>CAIRN_BENCH_POSTGRES</c> names (a <c>postgres://user[:password]@host:port/db</c>
/// URI of a role that may create databases), or else a throwaway server started the way test.sh starts one: <c>initdb</c> in a
/// temp directory, <c>pg_ctl start</c> on a free loopback port with fsync off, as the postgres user when running as root.
/// Every database it creates is dropped and a started server is stopped and deleted on dispose.
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    private readonly NpgsqlConnectionStringBuilder _admin;
    private readonly string? _dataDir;
    private readonly string? _binDir;
    private readonly string[] _runAs;
    private readonly List<string> _databases = [];

    private PostgresServer(NpgsqlConnectionStringBuilder admin, string? dataDir, string? binDir, string[] runAs, string description)
    {
        _admin = admin;
        _dataDir = dataDir;
        _binDir = binDir;
        _runAs = runAs;
        Description = description;
    }

    public string Description { get; }

    /// <summary>Attaches to <c>CAIRN_BENCH_POSTGRES</c> or starts a throwaway server; null (with the reason) when neither is possible.</summary>
    public static async Task<(PostgresServer? Server, string Reason)> StartAsync(string tempRoot, CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable("CAIRN_BENCH_POSTGRES") is { Length: > 0 } uri)
        {
            var u = new Uri(uri);
            var user = u.UserInfo.Split(':', 2);
            var builder = new NpgsqlConnectionStringBuilder
            {
                Host = u.Host,
                Port = u.Port > 0 ? u.Port : 5432,
                Username = Uri.UnescapeDataString(user[0]),
                Password = user.Length > 1 ? Uri.UnescapeDataString(user[1]) : null,
                Database = u.AbsolutePath.Trim('/') is { Length: > 0 } db ? db : "postgres",
                Pooling = false,
            };
            return (new PostgresServer(builder, null, null, [], $"CAIRN_BENCH_POSTGRES ({u.Host}:{builder.Port})"), string.Empty);
        }

        var bin = FindBin();
        if (bin is null) return (null, "PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin or on PATH) and CAIRN_BENCH_POSTGRES is not set");
        var dir = Path.Combine(tempRoot, "cairn-bench-pg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string[] runAs = [];
        if (Environment.UserName == "root")
        {
            if (await RunAsync("id", ["postgres"], [], cancellationToken).ConfigureAwait(false) != 0)
                await RunAsync("useradd", ["--system", "--no-create-home", "postgres"], [], cancellationToken).ConfigureAwait(false);
            await RunAsync("chown", ["postgres", dir], [], cancellationToken).ConfigureAwait(false);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(dir, (UnixFileMode)0x1ED); // 755
            runAs = ["runuser", "-u", "postgres", "--"];
        }

        var data = Path.Combine(dir, "data");
        var port = FreePort();
        if (await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", "cairn", "--auth=trust", "-E", "UTF8"], runAs, cancellationToken).ConfigureAwait(false) != 0)
        {
            TryDelete(dir);
            return (null, "initdb failed");
        }

        var options = string.Create(CultureInfo.InvariantCulture,
            $"-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100 -c shared_buffers=256MB");
        var server = new PostgresServer(
            new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = "cairn", Database = "postgres", Pooling = false },
            data, bin, runAs, string.Create(CultureInfo.InvariantCulture, $"throwaway server on 127.0.0.1:{port} (fsync=off, synchronous_commit=off, as test.sh)"));
        if (await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", data, "-l", Path.Combine(dir, "server.log"), "-w", "-t", "60", "-o", options, "start"], runAs, cancellationToken).ConfigureAwait(false) != 0)
        {
            TryDelete(dir);
            return (null, "pg_ctl start failed (see its log)");
        }

        return (server, string.Empty);
    }

    /// <summary>Creates an empty database; returns its store URI and an Npgsql connection string for the references.</summary>
    public async Task<(string StoreUri, string ConnectionString)> CreateDatabaseAsync(string label, CancellationToken cancellationToken)
    {
        var name = "cairn_bench_" + label + "_" + Guid.NewGuid().ToString("N")[..8];
        await using (var connection = new NpgsqlConnection(_admin.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        _databases.Add(name);
        var b = new NpgsqlConnectionStringBuilder(_admin.ConnectionString) { Database = name, Pooling = true };
        var password = string.IsNullOrEmpty(_admin.Password) ? string.Empty : ":" + Uri.EscapeDataString(_admin.Password);
        return (string.Create(CultureInfo.InvariantCulture, $"postgres://{Uri.EscapeDataString(_admin.Username!)}{password}@{_admin.Host}:{_admin.Port}/{name}"), b.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_dataDir is not null && _binDir is not null)
        {
            await RunAsync(Path.Combine(_binDir, "pg_ctl"), ["-D", _dataDir, "-m", "immediate", "stop"], _runAs, CancellationToken.None).ConfigureAwait(false);
            TryDelete(Path.GetDirectoryName(_dataDir)!);
            return;
        }

        try
        {
            await using var connection = new NpgsqlConnection(_admin.ConnectionString);
            await connection.OpenAsync().ConfigureAwait(false);
            foreach (var name in _databases)
            {
                await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
                await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
        }
        catch (NpgsqlException)
        {
            // Best effort: a leftover benchmark database must not fail the run.
        }
    }

    private static string? FindBin()
    {
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            foreach (var d in Directory.GetDirectories("/usr/lib/postgresql").Order(StringComparer.Ordinal).Reverse())
            {
                if (File.Exists(Path.Combine(d, "bin", "initdb"))) return Path.Combine(d, "bin");
            }
        }

        foreach (var d in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var initdb = Path.Combine(d, "initdb");
            if (File.Exists(initdb)) return Path.GetDirectoryName(new FileInfo(initdb).ResolveLinkTarget(true)?.FullName ?? initdb);
        }

        return null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<int> RunAsync(string file, string[] args, string[] runAs, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(runAs.Length > 0 ? runAs[0] : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in runAs.Skip(1)) info.ArgumentList.Add(a);
        if (runAs.Length > 0) info.ArgumentList.Add(file);
        foreach (var a in args) info.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
            if (process.ExitCode != 0 && file.EndsWith("pg_ctl", StringComparison.Ordinal)) BenchContext.Log($"pg_ctl: {stderr.Result.Trim()}");
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
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
