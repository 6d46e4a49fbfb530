using Cairn.Store.Relational;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Cairn.Import.Tests;

/// <summary>Imports of MLMD-shaped SQLite databases into SQLite stores; each test has its own directory.</summary>
public sealed class ImportTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-import-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    private Task<IMetadataStore> OpenStoreAsync(string name = "cairn.db") => CairnStore.OpenAsync("sqlite://" + Path.Combine(_directory, name));

    [Fact]
    public async Task Import_keeps_ids_types_properties_events_edges_and_lineage()
    {
        var mlmd = await MlmdDatabase.CreateSqliteAsync(_directory);
        await using var store = await OpenStoreAsync();

        var result = await MlmdImporter.ImportAsync(mlmd, store);

        Assert.Equal(10, result.SchemaVersion);
        await ImportAssertions.AssertSampleAsync(store);
        var counts = result.Tables.ToDictionary(t => t.Table, t => t.Written);
        Assert.Equal(4, counts["type"]);
        Assert.Equal(7, counts["type_property"]);
        Assert.Equal(2, counts["artifact"]);
        Assert.Equal(7, counts["artifact_property"]);
        Assert.Equal(1, counts["execution"]);
        Assert.Equal(5, counts["execution_property"]);
        Assert.Equal(2, counts["context"]);
        Assert.Equal(1, counts["context_property"]);
        Assert.Equal(2, counts["event"]);
        Assert.Equal(2, counts["attribution"]);
        Assert.Equal(1, counts["association"]);
        Assert.Equal(1, counts["parent_context"]);

        // One create per imported entity in the change log (docs/history.md), property rows counted with their node.
        var changes = (await store.GetChangesAsync(0, ChangeLog.MaxLimit)).Changes;
        Assert.All(changes, c => Assert.Equal(ChangeOperation.Create, c.Operation));
        Assert.Equal(4, changes.Count(c => c.Entity is ChangeEntity.ArtifactType or ChangeEntity.ExecutionType or ChangeEntity.ContextType));
        Assert.Equal(2, changes.Count(c => c.Entity == ChangeEntity.Artifact));
        Assert.Equal(2, changes.Count(c => c.Entity == ChangeEntity.Event));
        Assert.Equal(2, changes.Count(c => c.Entity == ChangeEntity.Attribution));
        Assert.Equal(1, changes.Count(c => c.Entity == ChangeEntity.ParentContext));
        Assert.Equal(15, changes.Count);
    }

    [Fact]
    public async Task New_rows_after_an_import_take_ids_after_the_imported_ones()
    {
        var mlmd = await MlmdDatabase.CreateSqliteAsync(_directory);
        await using var store = await OpenStoreAsync();
        await MlmdImporter.ImportAsync(mlmd, store);

        await ImportAssertions.AssertIdsContinueAsync(store);
    }

    [Fact]
    public async Task Importing_the_same_database_again_changes_nothing()
    {
        var mlmd = await MlmdDatabase.CreateSqliteAsync(_directory);
        await using var store = await OpenStoreAsync();
        await MlmdImporter.ImportAsync(mlmd, store);

        var again = await MlmdImporter.ImportAsync(mlmd, store);

        Assert.Equal(0, again.Written);
        Assert.All(again.Tables, t => Assert.Equal(t.Source, t.AlreadyPresent));
        await ImportAssertions.AssertSampleAsync(store);
    }

    [Fact]
    public async Task Rows_added_to_the_MLMD_database_since_an_import_are_imported_next_time()
    {
        var mlmd = await MlmdDatabase.CreateSqliteAsync(_directory);
        await using var store = await OpenStoreAsync();
        await MlmdImporter.ImportAsync(mlmd, store);
        await using (var c = new SqliteConnection("Data Source=" + mlmd + ";Pooling=False"))
        {
            await c.OpenAsync();
            await MlmdDatabase.InsertAsync(c, "Artifact", ("id", 8), ("type_id", 14), ("uri", "s3://bucket/model-2"), ("create_time_since_epoch", 1L), ("last_update_time_since_epoch", 1L));
        }

        var again = await MlmdImporter.ImportAsync(mlmd, store);

        Assert.Equal(1, again.Written);
        Assert.Equal("s3://bucket/model-2", Assert.Single(await store.GetArtifactsByIdAsync([8])).Uri);
    }

    [Theory]
    [InlineData(9)]
    [InlineData(11)]
    public async Task A_database_at_another_schema_version_is_refused_and_nothing_is_written(int version)
    {
        var mlmd = await MlmdDatabase.CreateSqliteAsync(_directory, schemaVersion: version);
        await using var store = await OpenStoreAsync();

        var e = await Assert.ThrowsAsync<FailedPreconditionException>(() => MlmdImporter.ImportAsync(mlmd, store));

        Assert.Equal(MlmdMessages.UnsupportedVersion(mlmd, version, 10), e.Message);
        Assert.Contains($"schema version {version}", e.Message, StringComparison.Ordinal);
        Assert.Empty(await store.GetArtifactTypesAsync());
    }

    [Fact]
    public async Task A_store_with_other_rows_under_the_same_ids_is_refused_and_nothing_is_written()
    {
        var mlmd = await MlmdDatabase.CreateSqliteAsync(_directory);
        await using var store = await OpenStoreAsync();
        // The store's first user type takes id 10, which the MLMD database gives to DataSet.
        var own = await store.PutArtifactTypeAsync(new ArtifactType { Name = "Checkpoint" });
        Assert.Equal(10, own);

        var e = await Assert.ThrowsAsync<FailedPreconditionException>(() => MlmdImporter.ImportAsync(mlmd, store));

        Assert.StartsWith("The store is neither empty nor an earlier import of this MLMD database, so nothing was written", e.Message, StringComparison.Ordinal);
        Assert.Contains(ImportMessages.RowDiffers("type", "id 10", "name", "'Checkpoint'", "'DataSet'"), e.Message, StringComparison.Ordinal);
        var types = await store.GetArtifactTypesAsync();
        Assert.Equal(["Checkpoint"], types.Select(t => t.Name));
        Assert.Empty((await store.GetContextsAsync()).Items);
        Assert.Empty((await store.GetExecutionsAsync()).Items);
    }

    [Fact]
    public async Task A_store_holding_rows_the_database_lacks_is_refused()
    {
        var mlmd = await MlmdDatabase.CreateSqliteAsync(_directory);
        await using var store = await OpenStoreAsync();
        await MlmdImporter.ImportAsync(mlmd, store);
        var extra = await store.PutContextsAsync([new Context { TypeId = 12, Name = "added-in-cairn" }]);

        var e = await Assert.ThrowsAsync<FailedPreconditionException>(() => MlmdImporter.ImportAsync(mlmd, store));

        Assert.Contains(ImportMessages.ExtraRow("context", "id " + extra[0]), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_row_in_the_database_is_reported_with_its_column()
    {
        var mlmd = await MlmdDatabase.CreateSqliteAsync(_directory);
        await using var store = await OpenStoreAsync();
        await MlmdImporter.ImportAsync(mlmd, store);
        await using (var c = new SqliteConnection("Data Source=" + mlmd + ";Pooling=False"))
        {
            await c.OpenAsync();
            await MlmdDatabase.ExecuteAsync(c, "UPDATE ArtifactProperty SET string_value = 'test' WHERE artifact_id = 3 AND name = 'split'");
            await MlmdDatabase.ExecuteAsync(c, "UPDATE Artifact SET id = 8 WHERE id = 7");
        }

        var e = await Assert.ThrowsAsync<FailedPreconditionException>(() => MlmdImporter.ImportAsync(mlmd, store));

        Assert.Contains(ImportMessages.RowDiffers("artifact_property", "node_id 3, is_custom 0, name 'split'", "string_value", "'train'", "'test'"), e.Message, StringComparison.Ordinal);
        Assert.Contains(ImportMessages.ExtraRow("artifact", "id 7"), e.Message, StringComparison.Ordinal);
        Assert.Empty(await store.GetArtifactsByIdAsync([8]));
    }

    [Fact]
    public async Task A_file_that_is_not_an_MLMD_database_is_refused()
    {
        var path = Path.Combine(_directory, "other.db");
        await using (var c = new SqliteConnection("Data Source=" + path + ";Pooling=False"))
        {
            await c.OpenAsync();
            await MlmdDatabase.ExecuteAsync(c, "CREATE TABLE t (x INTEGER)");
        }

        await using var store = await OpenStoreAsync();
        var e = await Assert.ThrowsAsync<FailedPreconditionException>(() => MlmdImporter.ImportAsync(path, store));
        Assert.StartsWith($"'{path}' is not an MLMD database", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_is_not_found_and_not_created()
    {
        var path = Path.Combine(_directory, "missing.db");
        await using var store = await OpenStoreAsync();

        var e = await Assert.ThrowsAsync<NotFoundException>(() => MlmdImporter.ImportAsync(path, store));

        Assert.Equal(MlmdMessages.SourceMissing(path), e.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Progress_reports_reading_comparing_and_writing_each_table()
    {
        var mlmd = await MlmdDatabase.CreateSqliteAsync(_directory);
        await using var store = await OpenStoreAsync();
        var reports = new List<MlmdImportProgress>();

        await MlmdImporter.ImportAsync(mlmd, store, new SyncProgress(reports.Add));

        Assert.Contains(reports, r => r is { Phase: MlmdImportPhase.Reading, Table: "EventPath", Done: 3 });
        Assert.Contains(reports, r => r is { Phase: MlmdImportPhase.Comparing, Table: "artifact", Done: 2, Total: 2 });
        Assert.Contains(reports, r => r is { Phase: MlmdImportPhase.Writing, Table: "event", Done: 2, Total: 2 });
    }

    private sealed class SyncProgress(Action<MlmdImportProgress> report) : IProgress<MlmdImportProgress>
    {
        public void Report(MlmdImportProgress value) => report(value);
    }
}
