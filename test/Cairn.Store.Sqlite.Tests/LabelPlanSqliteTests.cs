using Cairn.Store.Relational;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Cairn.Store.Sqlite.Tests;

/// <summary>Label filters compile to subqueries that SQLite answers from the (label, value, node_id) index.</summary>
public sealed class LabelPlanSqliteTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cairn-plan-" + Guid.NewGuid().ToString("N"));
    private string _path = string.Empty;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _path = Path.Combine(_directory, "cairn.db");
        var store = await CairnStore.OpenAsync("sqlite://" + _path);
        var typeId = await store.PutArtifactTypeAsync(new ArtifactType { Name = "T" });
        await store.PutArtifactsAsync([.. Enumerable.Range(0, 50).Select(i => new Artifact { TypeId = typeId, Name = "a" + i, Tags = ["t" + (i % 5)] })]);
        await store.DisposeAsync();
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    private async Task<string> PlanAsync(string query)
    {
        var filter = FilterCompiler.CompileUncached(query, NodeTable.Artifact, new SqliteDialect())!;
        await using var connection = new SqliteConnection("Data Source=" + _path);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"EXPLAIN QUERY PLAN SELECT n.id FROM {NodeTable.Artifact.From}{filter.Join} WHERE {filter.Where} ORDER BY n.id LIMIT 21";
        filter.Bind(command);
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) lines.Add(reader.GetString(3));
        return string.Join("\n", lines);
    }

    [Theory]
    [InlineData("tags = 't1'")]
    [InlineData("tags IN ('t1', 't2')")]
    [InlineData("tags != 't1'")]
    [InlineData("owners IS NULL")]
    public async Task A_label_filter_reads_the_label_index(string query)
    {
        var plan = await PlanAsync(query);
        Assert.Contains("artifact_label_by_value", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN fl", plan, StringComparison.Ordinal);
    }
}
