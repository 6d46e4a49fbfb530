using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Cairn.Store.Sqlite.Tests;

/// <summary>What only a store on a file has: schema versions, refusals of foreign or damaged files, locks, several processes, crashes.</summary>
public sealed class SqliteStoreFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cairn-file-").FullName;

    private string NewPath() => Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A killed writer may still be releasing its handles; the temp dir is cleaned by the OS eventually.
        }
    }

    private static async Task ExecAsync(string path, string sql)
    {
        await using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(string path, string sql)
    {
        await using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return await cmd.ExecuteScalarAsync();
    }

    private static async Task CreateStoreAsync(string path)
    {
        await using var store = await CairnStore.OpenAsync("sqlite://" + path);
    }

    [Fact]
    public async Task A_new_store_uses_the_write_ahead_log_and_records_its_schema_version()
    {
        var path = NewPath();
        await CreateStoreAsync(path);
        Assert.Equal("wal", await ScalarAsync(path, "PRAGMA journal_mode"));
        Assert.Equal((long)SqliteSchema.LatestVersion, await ScalarAsync(path, "SELECT MAX(version) FROM cairn_schema"));
    }

    [Fact]
    public async Task System_types_take_the_first_nine_ids_so_the_first_user_type_gets_ten()
    {
        await using var store = await CairnStore.OpenAsync("sqlite://" + NewPath());
        Assert.Equal(1, (await store.GetArtifactTypeAsync("mlmd.Dataset")).Id);
        Assert.Equal(9, (await store.GetExecutionTypeAsync("mlmd.Deploy")).Id);
        Assert.Equal(10, await store.PutArtifactTypeAsync(new ArtifactType { Name = "DataSet" }));
    }

    [Fact]
    public async Task A_store_written_by_a_newer_cairn_is_refused_with_both_versions_named()
    {
        var path = NewPath();
        await CreateStoreAsync(path);
        await ExecAsync(path, "INSERT INTO cairn_schema (version, applied_at, cairn_version) VALUES (99, 0, 'future')");
        var e = await Assert.ThrowsAsync<FailedPreconditionException>(() => CairnStore.OpenAsync("sqlite://" + path));
        Assert.Equal(Messages.StoreNewerSchema(path, 99, SqliteSchema.LatestVersion), e.Message);
    }

    [Fact]
    public async Task An_older_store_is_refused_when_migrations_are_off_and_upgraded_when_they_are_on()
    {
        var path = NewPath();
        await CreateStoreAsync(path);
        var newer = SqliteSchema.Migrations.Append("CREATE TABLE cairn_test_extra (x INTEGER);").ToList();
        var uri = StoreUri.Parse("sqlite://" + path);

        var e = await Assert.ThrowsAsync<FailedPreconditionException>(() =>
            SqliteStoreProvider.OpenAsync(uri, new StoreOpenOptions { ApplyMigrations = false }, newer, CancellationToken.None));
        Assert.Equal(Messages.StoreOlderSchema(path, SqliteSchema.LatestVersion, newer.Count), e.Message);

        await using (var store = await SqliteStoreProvider.OpenAsync(uri, StoreOpenOptions.Default, newer, CancellationToken.None))
        {
            Assert.Empty(await store.GetArtifactTypesAsync());
        }

        Assert.Equal((long)newer.Count, await ScalarAsync(path, "SELECT MAX(version) FROM cairn_schema"));
    }

    [Fact]
    public async Task A_sqlite_database_that_is_not_a_cairn_store_is_refused_and_left_untouched()
    {
        var path = NewPath();
        await ExecAsync(path, "CREATE TABLE MLMDEnv (schema_version INTEGER PRIMARY KEY)");
        var e = await Assert.ThrowsAsync<FailedPreconditionException>(() => CairnStore.OpenAsync("sqlite://" + path));
        Assert.Equal(Messages.StoreNotCairn(path), e.Message);
        Assert.Equal(1L, await ScalarAsync(path, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"));
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_is_reported_as_such()
    {
        var path = NewPath();
        await File.WriteAllTextAsync(path, new string('#', 8192));
        var e = await Assert.ThrowsAsync<FailedPreconditionException>(() => CairnStore.OpenAsync("sqlite://" + path));
        Assert.Equal(Messages.StoreNotCairn(path), e.Message);
        Assert.Equal(new string('#', 8192), await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task A_missing_store_is_not_created_when_creation_is_off()
    {
        var path = NewPath();
        var e = await Assert.ThrowsAsync<NotFoundException>(() =>
            CairnStore.OpenAsync(StoreUri.Parse("sqlite://" + path), new StoreOpenOptions { CreateIfMissing = false }));
        Assert.Equal(Messages.StoreMissing(path), e.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task A_write_blocked_by_another_process_lock_fails_as_aborted_after_the_timeout_and_writes_nothing()
    {
        var path = NewPath();
        await using var store = await CairnStore.OpenAsync(StoreUri.Parse("sqlite://" + path), new StoreOpenOptions { LockTimeout = TimeSpan.FromMilliseconds(300) });
        await using var holder = new SqliteConnection($"Data Source={path};Pooling=False");
        await holder.OpenAsync();
        await using var tx = holder.BeginTransaction(deferred: false);

        var e = await Assert.ThrowsAsync<AbortedException>(() => store.PutArtifactTypeAsync(new ArtifactType { Name = "Blocked" }));
        Assert.Equal(Messages.StoreLocked(path), e.Message);

        await tx.RollbackAsync();
        Assert.Empty(await store.GetArtifactTypesAsync());
        Assert.Equal(10, await store.PutArtifactTypeAsync(new ArtifactType { Name = "Unblocked" }));
    }

    [Fact]
    public async Task Readers_are_not_blocked_while_another_connection_holds_an_open_write()
    {
        var path = NewPath();
        await using var store = await CairnStore.OpenAsync("sqlite://" + path);
        var typeId = await store.PutArtifactTypeAsync(new ArtifactType { Name = "T" });
        await store.PutArtifactsAsync([new Artifact { TypeId = typeId, Uri = "committed" }]);

        await using var writer = new SqliteConnection($"Data Source={path};Pooling=False");
        await writer.OpenAsync();
        await using var tx = writer.BeginTransaction(deferred: false);
        await using (var insert = writer.CreateCommand())
        {
            insert.Transaction = tx;
            insert.CommandText = $"INSERT INTO artifact (type_id, uri, create_time, update_time) VALUES ({typeId}, 'uncommitted', 1, 1)";
            await insert.ExecuteNonQueryAsync();
        }

        var read = await store.GetArtifactsAsync().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(["committed"], read.Items.Select(a => a.Uri));
        await tx.RollbackAsync();
    }

    private static Process StartWriter(string path, string tag, int batches, int size)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Cairn.TestWriter.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "sqlite://" + path, tag, batches.ToString(System.Globalization.CultureInfo.InvariantCulture), size.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            info.ArgumentList.Add(a);
        return Process.Start(info) ?? throw new InvalidOperationException("could not start the writer");
    }

    [Fact]
    public async Task Two_processes_writing_at_once_both_complete_and_lose_nothing()
    {
        var path = NewPath();
        await CreateStoreAsync(path);
        using var a = StartWriter(path, "a", 20, 25);
        using var b = StartWriter(path, "b", 20, 25);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await Task.WhenAll(a.WaitForExitAsync(timeout.Token), b.WaitForExitAsync(timeout.Token));
        Assert.True(a.ExitCode == 0, await a.StandardError.ReadToEndAsync());
        Assert.True(b.ExitCode == 0, await b.StandardError.ReadToEndAsync());

        await using var store = await CairnStore.OpenAsync("sqlite://" + path);
        var all = (await store.GetArtifactsByTypeAsync("Batch")).Items;
        Assert.Equal(1000, all.Count);
        Assert.Equal(500, all.Count(x => x.CustomProperties["writer"].StringValue == "a"));
        Assert.Single(await store.GetArtifactTypesAsync());
    }

    [Fact]
    public async Task A_writer_killed_mid_write_leaves_every_batch_whole_or_absent_and_the_file_intact()
    {
        var path = NewPath();
        await CreateStoreAsync(path);
        const int size = 200;
        using var writer = StartWriter(path, "k", 100_000, size);
        var committed = -1;
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1)))
        {
            while (committed < 3)
            {
                var line = await writer.StandardOutput.ReadLineAsync(timeout.Token);
                Assert.NotNull(line);
                committed = int.Parse(line!.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        writer.Kill(entireProcessTree: true);
        await writer.WaitForExitAsync();

        Assert.Equal("ok", await ScalarAsync(path, "PRAGMA integrity_check"));
        await using var store = await CairnStore.OpenAsync("sqlite://" + path);
        var counts = (await store.GetArtifactsByTypeAsync("Batch")).Items
            .GroupBy(x => x.CustomProperties["batch"].IntValue)
            .ToDictionary(g => g.Key, g => g.Count());
        Assert.All(counts.Values, c => Assert.Equal(size, c));
        for (var b = 0; b <= committed; b++) Assert.True(counts.ContainsKey(b), $"batch {b} was reported committed but is missing");
    }
}
