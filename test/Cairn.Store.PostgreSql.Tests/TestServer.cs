using Npgsql;

namespace Cairn.Store.PostgreSql.Tests;

/// <summary>
/// The PostgreSQL server the tests run against: <c>CAIRN_TEST_POSTGRES</c> names it as a <c>postgres://</c> URI of a
/// user allowed to create databases (<c>./test.sh</c> starts one on loopback and sets it). Each test gets its own database.
/// </summary>
internal static class TestServer
{
    public const string Variable = "CAIRN_TEST_POSTGRES";

    /// <summary>The server's admin URI. Without one the test is skipped locally, and fails under <c>CI</c>, where a skip would hide it.</summary>
    public static string AdminUri
    {
        get
        {
            if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } uri) return uri;
            var message = $"{Variable} is not set, so there is no PostgreSQL server to test against. Run ./test.sh, which starts one on loopback, " +
                $"or set {Variable}=postgres://user@127.0.0.1:5432/postgres for a server where that user may create databases.";
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))) throw new InvalidOperationException(message);
            throw new Xunit.SkipException(message);
        }
    }

    /// <summary>A URI for the same server and user, on another database.</summary>
    public static string UriFor(string database)
    {
        var admin = new UriBuilder(AdminUri) { Path = "/" + database };
        return admin.Uri.ToString().Replace("postgres://", "postgres://", StringComparison.Ordinal);
    }

    public static string AdminConnectionString => PostgreSqlUri.ToConnectionString(StoreUri.Parse(AdminUri));

    public static async Task<string> CreateDatabaseAsync()
    {
        var name = "cairn_test_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await cmd.ExecuteNonQueryAsync();
        return name;
    }

    public static async Task DropDatabaseAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await cmd.ExecuteNonQueryAsync();
    }
}
