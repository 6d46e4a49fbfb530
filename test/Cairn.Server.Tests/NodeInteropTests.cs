using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace Cairn.Server.Tests;

/// <summary>
/// A client that is not ours: Node.js <c>@grpc/grpc-js</c> with <c>@grpc/proto-loader</c> loads the project's ml_metadata
/// protos and calls the in-process server (<c>test/interop-node/mlmd-client.js</c>). The test needs node and the packages
/// that <c>./test.sh</c> installs with <c>npm ci --prefix test/interop-node</c>; without them it fails and says how to get them.
/// </summary>
public sealed class NodeInteropTests
{
    [Fact]
    public async Task A_Node_grpc_js_client_puts_gets_filters_walks_lineage_and_sees_MLMD_status_codes()
    {
        var root = RepositoryRoot();
        var client = Path.Combine(root, "test", "interop-node", "mlmd-client.js");
        var node = FindOnPath("node") ?? throw new InvalidOperationException(
            "Node.js is not installed, so the interop test cannot run a gRPC client that is not ours. Install it " +
            "(apt-get install nodejs npm, or from nodejs.org, version 18 or later), then run ./test.sh, which installs the client's packages.");
        if (!Directory.Exists(Path.Combine(root, "test", "interop-node", "node_modules", "@grpc", "grpc-js")))
        {
            throw new InvalidOperationException(
                "The Node.js client's packages are not installed: run 'npm ci --prefix test/interop-node' (./test.sh does it).");
        }

        await using var server = await TestServer.StartAsync();
        var target = new Uri(server.Handle.ClientStoreUri).Authority;
        var (exitCode, stdout, stderr) = await RunAsync(node, [client, target]);

        Assert.True(exitCode == 0, $"node mlmd-client.js exited {exitCode}:\n{stderr}\n{stdout}");
        using var json = JsonDocument.Parse(stdout);
        var result = json.RootElement;

        // Types and puts: ids come back as the server assigned them.
        var typeId = result.GetProperty("artifact_type_id").GetInt64();
        Assert.True(typeId > 9, "the first user type follows MLMD's nine system types");
        var artifactIds = Longs(result.GetProperty("artifact_ids"));
        Assert.Equal(2, artifactIds.Count);
        var runId = Assert.Single(Longs(result.GetProperty("execution_ids")));

        // Gets: every value kind the client wrote reads back, struct included.
        var artifact = result.GetProperty("artifact");
        Assert.Equal(artifactIds[0], artifact.GetProperty("id").GetInt64());
        Assert.StartsWith("NodeDataSet", artifact.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal("s3://node/rows", artifact.GetProperty("uri").GetString());
        Assert.Equal("LIVE", artifact.GetProperty("state").GetString());
        Assert.Equal(20240501, artifact.GetProperty("day").GetInt64());
        Assert.Equal("train", artifact.GetProperty("split").GetString());
        Assert.Equal(1000, artifact.GetProperty("stats_rows").GetDouble());
        Assert.Equal(["a"], artifact.GetProperty("stats_tags").EnumerateArray().Select(e => e.GetString()));
        Assert.True(artifact.GetProperty("verified").GetBoolean());

        var type = result.GetProperty("type_by_name");
        Assert.Equal(typeId, type.GetProperty("id").GetInt64());
        Assert.Equal("INT", type.GetProperty("properties").GetProperty("day").GetString());
        Assert.Equal("STRING", type.GetProperty("properties").GetProperty("split").GetString());

        // A filter query selects the training rows only.
        Assert.Equal([artifactIds[0]], Longs(result.GetProperty("filtered_ids")));

        // Events with their paths.
        var events = result.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(2, events.Count);
        var input = Assert.Single(events, e => e.GetProperty("type").GetString() == "INPUT");
        Assert.Equal(artifactIds[0], input.GetProperty("artifact_id").GetInt64());
        Assert.Equal(runId, input.GetProperty("execution_id").GetInt64());
        Assert.Equal("[\"examples\",0]", input.GetProperty("path").GetRawText());

        // Lineage downstream of the rows: the run and the model it wrote.
        var lineage = result.GetProperty("lineage");
        Assert.Equal(artifactIds, Longs(lineage.GetProperty("artifact_ids")));
        Assert.Equal([runId], Longs(lineage.GetProperty("execution_ids")));
        Assert.Equal(2, lineage.GetProperty("events").GetInt32());

        // MLMD's status codes, as grpc-js sees them.
        var errors = result.GetProperty("errors");
        Assert.Equal("NOT_FOUND", errors.GetProperty("missing_type").GetProperty("name").GetString());
        Assert.Equal("INVALID_ARGUMENT", errors.GetProperty("bad_filter").GetProperty("name").GetString());
        Assert.Equal("UNIMPLEMENTED", errors.GetProperty("lineage_graph").GetProperty("name").GetString());
    }

    private static List<long> Longs(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt64()).ToList();

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string file, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + file);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TestServer.Timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static string? FindOnPath(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var candidate in new[] { name, name + ".exe" })
            {
                var path = Path.Combine(directory, candidate);
                if (File.Exists(path)) return path;
            }
        }

        return null;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cairn.slnx"))) return dir.FullName;
        }

        throw new InvalidOperationException("Cannot find the repository root (Cairn.slnx) above " + AppContext.BaseDirectory);
    }
}
