using Cairn.Specification.Tests;
using Microsoft.Data.Sqlite;
using Npgsql;
using Xunit;

namespace Cairn.Import.Tests;

/// <summary>
/// Imports from an MLMD-shaped PostgreSQL database on the test server (<c>CAIRN_TEST_POSTGRES</c>, set by <c>./test.sh</c>)
/// into a SQLite store and into a PostgreSQL store. Each test creates its databases and drops them.
/// </summary>
public sealed class PostgreSqlImportTests : IAsyncLifetime
{
    private readonly List<string> _databases = [];
    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-import-pg-").FullName;

    private static string AdminUri => TestPostgres.AdminUri;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        SqliteConnection.ClearAllPools();
        if (_databases.Count > 0)
        {
            await using var admin = new NpgsqlConnection(MlmdSource.PostgresConnectionString(AdminUri));
            await admin.OpenAsync();
            foreach (var name in _databases)
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync();
            }
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    private async Task<string> CreateDatabaseAsync()
    {
        var name = "cairn_import_" + Guid.NewGuid().ToString("N");
        await using (var admin = new NpgsqlConnection(MlmdSource.PostgresConnectionString(AdminUri)))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        _databases.Add(name);
        return new UriBuilder(AdminUri) { Path = "/" + name }.Uri.ToString();
    }

    private async Task<string> CreateMlmdAsync()
    {
        var uri = await CreateDatabaseAsync();
        await using var connection = new NpgsqlConnection(MlmdSource.PostgresConnectionString(uri));
        await connection.OpenAsync();
        await MlmdDatabase.ExecuteAsync(connection, MlmdDatabase.PostgresSchema);
        await MlmdDatabase.PopulateAsync(connection);
        return uri;
    }

    [SkippableFact]
    public async Task An_MLMD_PostgreSQL_database_imports_into_a_SQLite_store()
    {
        var mlmd = await CreateMlmdAsync();
        await using var store = await CairnStore.OpenAsync("sqlite://" + Path.Combine(_directory, "cairn.db"));

        var result = await MlmdImporter.ImportAsync(mlmd, store);

        Assert.Equal(10, result.SchemaVersion);
        await ImportAssertions.AssertSampleAsync(store);
        Assert.Equal(0, (await MlmdImporter.ImportAsync(mlmd, store)).Written);
        await ImportAssertions.AssertIdsContinueAsync(store);
    }

    [SkippableFact]
    public async Task An_MLMD_PostgreSQL_database_imports_into_a_PostgreSQL_store_whose_ids_continue_after_the_imported_ones()
    {
        var mlmd = await CreateMlmdAsync();
        await using var store = await CairnStore.OpenAsync(await CreateDatabaseAsync());

        await MlmdImporter.ImportAsync(mlmd, store);

        await ImportAssertions.AssertSampleAsync(store);
        Assert.Equal(0, (await MlmdImporter.ImportAsync(mlmd, store)).Written);
        await ImportAssertions.AssertIdsContinueAsync(store);
    }

    [SkippableFact]
    public async Task An_MLMD_SQLite_database_imports_into_a_PostgreSQL_store()
    {
        var mlmd = await MlmdDatabase.CreateSqliteAsync(_directory);
        await using var store = await CairnStore.OpenAsync(await CreateDatabaseAsync());

        await MlmdImporter.ImportAsync(mlmd, store);

        await ImportAssertions.AssertSampleAsync(store);
    }

    [SkippableFact]
    public async Task A_conflicting_PostgreSQL_store_is_refused_and_nothing_is_written()
    {
        var mlmd = await CreateMlmdAsync();
        await using var store = await CairnStore.OpenAsync(await CreateDatabaseAsync());
        await store.PutArtifactTypeAsync(new ArtifactType { Name = "Checkpoint" });

        await Assert.ThrowsAsync<FailedPreconditionException>(() => MlmdImporter.ImportAsync(mlmd, store));

        Assert.Equal(["Checkpoint"], (await store.GetArtifactTypesAsync()).Select(t => t.Name));
        Assert.Empty((await store.GetArtifactsAsync()).Items);
    }
}
