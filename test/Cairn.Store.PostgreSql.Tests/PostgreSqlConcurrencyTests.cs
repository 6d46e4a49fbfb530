using Cairn.Specification.Tests;
using Npgsql;
using Xunit;

namespace Cairn.Store.PostgreSql.Tests;

/// <summary>Many writers on one PostgreSQL database: no duplicates ever, only MLMD's errors; and values MLMD's PostgreSQL schema cannot hold.</summary>
public sealed class PostgreSqlConcurrencyTests : IAsyncLifetime
{
    private const int Writers = 8;
    private string _database = "";

    public async Task InitializeAsync() => _database = await TestPostgres.CreateDatabaseAsync();

    public Task DisposeAsync() => TestPostgres.DropDatabaseAsync(_database);

    private Task<IMetadataStore> OpenAsync() => CairnStore.OpenAsync(TestPostgres.UriFor(_database));

    private async Task<long> CountAsync(string sql)
    {
        var cs = new NpgsqlConnectionStringBuilder(TestPostgres.AdminConnectionString) { Database = _database }.ConnectionString;
        await using var c = new NpgsqlConnection(cs);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Runs <paramref name="work"/> on <see cref="Writers"/> stores at once (each its own connection pool), released together.</summary>
    private async Task<T[]> RaceAsync<T>(Func<IMetadataStore, int, Task<T>> work)
    {
        var stores = new List<IMetadataStore>();
        for (var i = 0; i < Writers; i++) stores.Add(await OpenAsync());
        try
        {
            using var start = new ManualResetEventSlim();
            var tasks = stores.Select((s, i) => Task.Run(async () =>
            {
                start.Wait();
                return await work(s, i);
            })).ToList();
            start.Set();
            return await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromMinutes(2));
        }
        finally
        {
            foreach (var s in stores) await s.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task Writers_racing_to_create_the_same_type_all_get_one_id_and_one_row()
    {
        var ids = await RaceAsync((s, _) => s.PutArtifactTypeAsync(new ArtifactType
        {
            Name = "Raced",
            Properties = new Dictionary<string, PropertyType> { ["p"] = PropertyType.Int },
        }));
        Assert.Single(ids.Distinct());
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM type WHERE name = 'Raced'"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM type_property p JOIN type t ON t.id = p.type_id WHERE t.name = 'Raced'"));
    }

    [SkippableFact]
    public async Task Writers_reusing_the_same_new_context_share_one_context()
    {
        await using (var setup = await OpenAsync())
        {
            await setup.PutExecutionTypeAsync(new ExecutionType { Name = "Step" });
            await setup.PutContextTypeAsync(new ContextType { Name = "Run" });
        }

        var results = await RaceAsync(async (s, i) =>
        {
            var stepType = (await s.GetExecutionTypeAsync("Step")).Id;
            var runType = (await s.GetContextTypeAsync("Run")).Id;
            return await s.PutExecutionAsync(
                new Execution { TypeId = stepType, Name = "step-" + i }, [],
                [new Context { TypeId = runType, Name = "shared-run" }],
                new PutExecutionOptions { ReuseContextIfAlreadyExist = true });
        });

        Assert.Single(results.Select(r => r.ContextIds[0]).Distinct());
        Assert.Equal(Writers, results.Select(r => r.ExecutionId).Distinct().Count());
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM context WHERE name = 'shared-run'"));
        Assert.Equal(Writers, await CountAsync("SELECT COUNT(*) FROM association"));
    }

    [SkippableFact]
    public async Task Writers_reusing_an_artifact_by_external_id_share_one_artifact()
    {
        await using (var setup = await OpenAsync())
        {
            await setup.PutExecutionTypeAsync(new ExecutionType { Name = "Step" });
            await setup.PutArtifactTypeAsync(new ArtifactType { Name = "Data" });
        }

        var results = await RaceAsync(async (s, i) =>
        {
            var stepType = (await s.GetExecutionTypeAsync("Step")).Id;
            var dataType = (await s.GetArtifactTypeAsync("Data")).Id;
            return await s.PutExecutionAsync(
                new Execution { TypeId = stepType },
                [new ArtifactAndEvent(new Artifact { TypeId = dataType, ExternalId = "shared-data", Uri = "u" + i }, new Event { Type = EventType.Output })],
                [], new PutExecutionOptions { ReuseArtifactIfAlreadyExistByExternalId = true });
        });

        Assert.Single(results.Select(r => r.ArtifactIds[0]).Distinct());
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM artifact WHERE external_id = 'shared-data'"));
        Assert.Equal(Writers, await CountAsync("SELECT COUNT(*) FROM event"));
    }

    [SkippableFact]
    public async Task Writers_creating_the_same_context_without_reuse_see_one_success_and_already_exists_for_the_rest()
    {
        await using (var setup = await OpenAsync()) await setup.PutContextTypeAsync(new ContextType { Name = "Run" });

        var outcomes = await RaceAsync(async (s, _) =>
        {
            var runType = (await s.GetContextTypeAsync("Run")).Id;
            try
            {
                await s.PutContextsAsync([new Context { TypeId = runType, Name = "only-one" }]);
                return "ok";
            }
            catch (CairnException e) when (e.Code is CairnErrorCode.AlreadyExists or CairnErrorCode.Aborted)
            {
                return e.Code.ToString();
            }
        });

        Assert.Equal(1, outcomes.Count(o => o == "ok"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM context WHERE name = 'only-one'"));
    }

    [SkippableFact]
    public async Task Megabyte_strings_and_64_bit_extremes_round_trip()
    {
        await using var store = await OpenAsync();
        var typeId = await store.PutArtifactTypeAsync(new ArtifactType
        {
            Name = "Big",
            Properties = new Dictionary<string, PropertyType> { ["text"] = PropertyType.String, ["n"] = PropertyType.Int },
        });
        var text = string.Concat(Enumerable.Repeat("0123456789abcdef", 65536)); // 1 MiB
        var longUri = "s3://bucket/" + new string('k', 10_000);
        var ids = await store.PutArtifactsAsync(
        [
            new Artifact { TypeId = typeId, Uri = longUri, Properties = new Dictionary<string, MetadataValue> { ["text"] = MetadataValue.String(text), ["n"] = MetadataValue.Int(long.MaxValue) } },
            new Artifact { TypeId = typeId, Properties = new Dictionary<string, MetadataValue> { ["n"] = MetadataValue.Int(long.MinValue) } },
        ]);

        var read = (await store.GetArtifactsByIdAsync(ids)).OrderBy(a => a.Id).ToList();
        Assert.Equal(text, read[0].Properties["text"].StringValue);
        Assert.Equal(long.MaxValue, read[0].Properties["n"].IntValue);
        Assert.Equal(long.MinValue, read[1].Properties["n"].IntValue);
        Assert.Equal(ids[0], Assert.Single(await store.GetArtifactsByUriAsync([longUri])).Id);
    }
}
