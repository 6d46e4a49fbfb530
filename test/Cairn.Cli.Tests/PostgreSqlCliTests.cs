using Npgsql;
using Xunit;

namespace Cairn.Cli.Tests;

/// <summary>
/// The CLI as shipped opens <c>postgres://</c> stores: these tests reference nothing but the CLI, so they fail if the CLI
/// does not carry the PostgreSQL backend. They run on the server <c>./test.sh</c> starts (<c>CAIRN_TEST_POSTGRES</c>).
/// </summary>
public sealed class PostgreSqlCliTests : IAsyncLifetime, IDisposable
{
    private readonly CliHarness _cli = new();
    private string? _database;
    private string? _admin;

    private static string AdminUri
    {
        get
        {
            if (Environment.GetEnvironmentVariable("CAIRN_TEST_POSTGRES") is { Length: > 0 } uri) return uri;
            const string message = "CAIRN_TEST_POSTGRES is not set, so there is no PostgreSQL server to test against; ./test.sh starts one.";
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))) throw new InvalidOperationException(message);
            throw new SkipException(message);
        }
    }

    private async Task<string> StoreUriAsync()
    {
        _admin = AdminUri;
        _database = "cairn_cli_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(Cairn.Import.MlmdSource.PostgresConnectionString(_admin));
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {_database}", connection);
        await create.ExecuteNonQueryAsync();
        return new UriBuilder(_admin) { Path = "/" + _database }.Uri.ToString();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public void Dispose() => _cli.Dispose();

    public async Task DisposeAsync()
    {
        if (_database is null || _admin is null) return;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(Cairn.Import.MlmdSource.PostgresConnectionString(_admin));
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    [SkippableFact]
    public async Task Commands_and_serve_work_on_a_postgresql_store()
    {
        var store = await StoreUriAsync();

        var demo = await _cli.RunAsync("demo", "--store", store);
        Assert.True(demo.ExitCode == 0, demo.ToString());
        var listed = await _cli.RunAsync("artifacts", "list", "--store", store, "--json");
        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Contains("\"uri\": \"path/to/data\"", listed.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"uri\": \"path/to/model/file\"", listed.Stdout, StringComparison.Ordinal);

        var served = await _cli.RunAsync("serve", "--store", store, "--grpc-port", "0", "--http-port", "0", "--check");
        Assert.True(served.ExitCode == 0, served.ToString());
        Assert.Contains("Check passed", served.Stdout, StringComparison.Ordinal);
    }
}
