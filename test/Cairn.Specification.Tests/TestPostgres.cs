using Npgsql;

namespace Cairn.Specification.Tests;

/// <summary>
/// The PostgreSQL server every PostgreSQL test runs against: <c>CAIRN_TEST_POSTGRES</c> names it as a <c>postgres://</c>
/// URI of a user allowed to create databases (<c>./test.sh</c> starts one on loopback and sets it). Each test creates
/// its own database and drops it.
/// </summary>
public static class TestPostgres
{
    /// <summary>The environment variable naming the server.</summary>
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
    public static string UriFor(string database) => new UriBuilder(AdminUri) { Path = "/" + database }.Uri.ToString();

    /// <summary>An Npgsql connection string for the admin URI (host, port, user, password, database).</summary>
    public static string AdminConnectionString
    {
        get
        {
            var uri = new Uri(AdminUri);
            var user = uri.UserInfo.Split(':');
            var builder = new NpgsqlConnectionStringBuilder
            {
                Host = uri.Host,
                Port = uri.Port > 0 ? uri.Port : 5432,
                Username = Uri.UnescapeDataString(user[0]),
                Database = uri.AbsolutePath.Trim('/') is { Length: > 0 } db ? db : "postgres",
            };
            if (user.Length > 1) builder.Password = Uri.UnescapeDataString(user[1]);
            return builder.ConnectionString;
        }
    }

    /// <summary>A connection string for <paramref name="database"/> on the same server.</summary>
    public static string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database }.ConnectionString;

    /// <summary>Creates a database with a unique name and returns the name.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var name = "cairn_test_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await cmd.ExecuteNonQueryAsync();
        return name;
    }

    /// <summary>Drops a database, closing whatever connections are still open to it.</summary>
    public static async Task DropDatabaseAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await cmd.ExecuteNonQueryAsync();
    }
}
