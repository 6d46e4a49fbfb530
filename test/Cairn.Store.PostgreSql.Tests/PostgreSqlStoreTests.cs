using Cairn.Specification.Tests;
using Npgsql;
using Xunit;

namespace Cairn.Store.PostgreSql.Tests;

/// <summary>Opening PostgreSQL stores: URIs, schema versions, foreign databases.</summary>
public sealed class PostgreSqlStoreTests : IAsyncLifetime
{
    private string _database = "";

    public async Task InitializeAsync() => _database = await TestPostgres.CreateDatabaseAsync();

    public Task DisposeAsync() => TestPostgres.DropDatabaseAsync(_database);

    private async Task ExecAsync(string sql)
    {
        var cs = new NpgsqlConnectionStringBuilder(TestPostgres.AdminConnectionString) { Database = _database }.ConnectionString;
        await using var c = new NpgsqlConnection(cs);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        await cmd.ExecuteNonQueryAsync();
    }

    [SkippableFact]
    public async Task An_older_shared_store_is_upgraded_only_when_asked()
    {
        var uri = StoreUri.Parse(TestPostgres.UriFor(_database));
        await (await CairnStore.OpenAsync(uri)).DisposeAsync();
        var newer = PostgreSqlSchema.Migrations.Append("CREATE TABLE cairn_test_extra (x INTEGER);").ToList();

        var e = await Assert.ThrowsAsync<FailedPreconditionException>(() =>
            PostgreSqlStoreProvider.OpenAsync(uri, StoreOpenOptions.Default, newer, CancellationToken.None));
        Assert.Equal(Messages.StoreOlderSchema(uri.Display, PostgreSqlSchema.LatestVersion, newer.Count), e.Message);

        await using var upgraded = await PostgreSqlStoreProvider.OpenAsync(uri, new StoreOpenOptions { ApplyMigrations = true }, newer, CancellationToken.None);
        Assert.Empty(await upgraded.GetArtifactTypesAsync());
    }

    [SkippableFact]
    public async Task A_store_written_by_a_newer_cairn_is_refused()
    {
        var uri = StoreUri.Parse(TestPostgres.UriFor(_database));
        await (await CairnStore.OpenAsync(uri)).DisposeAsync();
        await ExecAsync("INSERT INTO cairn_schema (version, applied_at, cairn_version) VALUES (99, 0, 'future')");
        var e = await Assert.ThrowsAsync<FailedPreconditionException>(() => CairnStore.OpenAsync(uri));
        Assert.Equal(Messages.StoreNewerSchema(uri.Display, 99, PostgreSqlSchema.LatestVersion), e.Message);
    }

    [SkippableFact]
    public async Task A_database_with_other_tables_is_refused_and_left_untouched()
    {
        await ExecAsync("CREATE TABLE mlmdenv (schema_version INTEGER)");
        var uri = StoreUri.Parse(TestPostgres.UriFor(_database));
        var e = await Assert.ThrowsAsync<FailedPreconditionException>(() => CairnStore.OpenAsync(uri));
        Assert.Equal(Messages.StoreNotCairn(uri.Display), e.Message);
    }

    [SkippableFact]
    public async Task A_missing_database_is_reported_with_how_to_create_it()
    {
        var e = await Assert.ThrowsAsync<NotFoundException>(() => CairnStore.OpenAsync(TestPostgres.UriFor("cairn_no_such_db_" + Guid.NewGuid().ToString("N"))));
        Assert.Contains("createdb", e.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void The_uri_carries_user_password_host_port_database_and_ssl_mode()
    {
        var cs = new NpgsqlConnectionStringBuilder(PostgreSqlUri.ToConnectionString(
            StoreUri.Parse("postgres://ann:p%40ss@db.example:6543/meta?sslmode=require")));
        Assert.Equal("ann", cs.Username);
        Assert.Equal("p@ss", cs.Password);
        Assert.Equal("db.example", cs.Host);
        Assert.Equal(6543, cs.Port);
        Assert.Equal("meta", cs.Database);
        Assert.Equal(SslMode.Require, cs.SslMode);
    }

    [SkippableFact]
    public void An_unknown_uri_option_is_rejected_with_its_name()
    {
        var e = Assert.Throws<InvalidArgumentException>(() => PostgreSqlUri.ToConnectionString(StoreUri.Parse("postgres://h/db?frobnicate=1")));
        Assert.Equal(Messages.PostgresUriBadOption("postgres://h/db?frobnicate=1", "frobnicate", "1"), e.Message);
    }

    [SkippableFact]
    public void The_password_never_appears_in_the_display_form()
    {
        Assert.DoesNotContain("hunter2", StoreUri.Parse("postgres://ann:hunter2@db/meta").Display, StringComparison.Ordinal);
    }
}
