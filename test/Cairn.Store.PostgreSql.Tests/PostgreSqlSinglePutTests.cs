using Cairn.Specification.Tests;
using Npgsql;
using Xunit;

namespace Cairn.Store.PostgreSql.Tests;

/// <summary>
/// A put of one new node is one round trip on PostgreSQL: the node row, its property rows and the commit go together. These tests make
/// each part fail in turn and check that nothing is left behind, that conflicts are retried, and that names still collide as in MLMD.
/// </summary>
public sealed class PostgreSqlSinglePutTests : IAsyncLifetime
{
    private string _database = "";

    public async Task InitializeAsync() => _database = await TestPostgres.CreateDatabaseAsync();

    public Task DisposeAsync() => TestPostgres.DropDatabaseAsync(_database);

    private Task<IMetadataStore> OpenAsync() => CairnStore.OpenAsync(TestPostgres.UriFor(_database));

    private async Task<long> ScalarAsync(string sql)
    {
        var cs = new NpgsqlConnectionStringBuilder(TestPostgres.AdminConnectionString) { Database = _database }.ConnectionString;
        await using var c = new NpgsqlConnection(cs);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<long> DataTypeAsync(IMetadataStore store) => await store.PutArtifactTypeAsync(new ArtifactType
    {
        Name = "Data",
        Properties = new Dictionary<string, PropertyType> { ["rows"] = PropertyType.Int, ["bad"] = PropertyType.String },
    });

    private static Artifact Data(long typeId, string name, bool bad = false) => new()
    {
        TypeId = typeId,
        Name = name,
        Uri = "s3://b/" + name,
        Properties = bad
            ? new Dictionary<string, MetadataValue> { ["rows"] = MetadataValue.Int(7), ["bad"] = MetadataValue.String("x") }
            : new Dictionary<string, MetadataValue> { ["rows"] = MetadataValue.Int(7) },
        CustomProperties = new Dictionary<string, MetadataValue> { ["note"] = MetadataValue.String("n") },
    };

    [SkippableFact]
    public async Task A_single_put_whose_property_rows_fail_leaves_no_node_behind()
    {
        await using var store = await OpenAsync();
        var typeId = await DataTypeAsync(store);
        // A property row named 'bad' breaks a rule, in the same statement as the node's row.
        await ScalarAsync("""
            CREATE FUNCTION refuse_bad() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.name = 'bad' THEN RAISE EXCEPTION 'bad property' USING ERRCODE = 'check_violation'; END IF; RETURN NEW; END $$;
            CREATE TRIGGER refuse_bad BEFORE INSERT ON artifact_property FOR EACH ROW EXECUTE FUNCTION refuse_bad();
            SELECT 0
            """);

        await Assert.ThrowsAsync<InvalidArgumentException>(() => store.PutArtifactsAsync([Data(typeId, "a", bad: true)]));
        Assert.Equal(0, await ScalarAsync("SELECT COUNT(*) FROM artifact"));
        Assert.Equal(0, await ScalarAsync("SELECT COUNT(*) FROM artifact_property"));

        // The store's connection is usable again, and the next put writes everything.
        var id = Assert.Single(await store.PutArtifactsAsync([Data(typeId, "a")]));
        var read = Assert.Single(await store.GetArtifactsByIdAsync([id]));
        Assert.Equal(7, read.Properties["rows"].IntValue);
        Assert.Equal("n", read.CustomProperties["note"].StringValue);
        Assert.Equal("s3://b/a", read.Uri);
    }

    [SkippableFact]
    public async Task A_single_put_whose_commit_hits_a_serialization_failure_is_run_again_and_written_once()
    {
        await using var store = await OpenAsync();
        var typeId = await DataTypeAsync(store);
        // The first two commits fail as a serialization failure would (checked at COMMIT, like SSI's own).
        await ScalarAsync("""
            CREATE SEQUENCE attempts;
            CREATE FUNCTION fail_twice() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF nextval('attempts') <= 2 THEN RAISE EXCEPTION 'conflict' USING ERRCODE = 'serialization_failure'; END IF; RETURN NULL; END $$;
            CREATE CONSTRAINT TRIGGER fail_twice AFTER INSERT ON artifact DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fail_twice();
            SELECT 0
            """);

        var id = Assert.Single(await store.PutArtifactsAsync([Data(typeId, "a")]));
        Assert.Equal(3, await ScalarAsync("SELECT last_value FROM attempts"));
        Assert.Equal(1, await ScalarAsync("SELECT COUNT(*) FROM artifact"));
        Assert.Equal(2, await ScalarAsync($"SELECT COUNT(*) FROM artifact_property WHERE node_id = {id}"));
        Assert.Equal("n", Assert.Single(await store.GetArtifactsByIdAsync([id])).CustomProperties["note"].StringValue);
    }

    [SkippableFact]
    public async Task A_single_put_whose_commit_keeps_failing_is_aborted_and_leaves_nothing_behind()
    {
        await using var store = await OpenAsync();
        var typeId = await DataTypeAsync(store);
        await ScalarAsync("""
            CREATE FUNCTION always_fail() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = 'serialization_failure'; END $$;
            CREATE CONSTRAINT TRIGGER always_fail AFTER INSERT ON artifact DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION always_fail();
            SELECT 0
            """);

        await Assert.ThrowsAsync<AbortedException>(() => store.PutArtifactsAsync([Data(typeId, "a")]));
        Assert.Equal(0, await ScalarAsync("SELECT COUNT(*) FROM artifact"));
        Assert.Equal(0, await ScalarAsync("SELECT COUNT(*) FROM artifact_property"));

        await ScalarAsync("DROP TRIGGER always_fail ON artifact; SELECT 0");
        var id = Assert.Single(await store.PutArtifactsAsync([Data(typeId, "a")]));
        Assert.Equal(7, Assert.Single(await store.GetArtifactsByIdAsync([id])).Properties["rows"].IntValue);
    }

    [SkippableFact]
    public async Task Writers_putting_the_same_new_artifact_at_once_see_one_success_and_already_exists_for_the_rest()
    {
        const int Writers = 8;
        long typeId;
        await using (var setup = await OpenAsync()) typeId = await DataTypeAsync(setup);
        var stores = new List<IMetadataStore>();
        for (var i = 0; i < Writers; i++) stores.Add(await OpenAsync());
        try
        {
            using var start = new ManualResetEventSlim();
            var tasks = stores.Select(s => Task.Run(async () =>
            {
                start.Wait();
                try
                {
                    await s.PutArtifactsAsync([Data(typeId, "same")]);
                    return "ok";
                }
                catch (AlreadyExistsException e)
                {
                    Assert.Contains("the name 'same' is already used", e.Message, StringComparison.Ordinal);
                    return "exists";
                }
            })).ToList();
            start.Set();
            var outcomes = await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromMinutes(2));

            Assert.Equal(1, outcomes.Count(o => o == "ok"));
            Assert.Equal(Writers - 1, outcomes.Count(o => o == "exists"));
            Assert.Equal(1, await ScalarAsync("SELECT COUNT(*) FROM artifact WHERE name = 'same'"));
            Assert.Equal(2, await ScalarAsync("SELECT COUNT(*) FROM artifact_property"));
        }
        finally
        {
            foreach (var s in stores) await s.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task A_single_put_without_properties_and_one_reusing_an_external_id_behave_as_in_mlmd()
    {
        await using var store = await OpenAsync();
        var typeId = await DataTypeAsync(store);
        var id = Assert.Single(await store.PutArtifactsAsync([new Artifact { TypeId = typeId, ExternalId = "ext-1" }]));
        var read = Assert.Single(await store.GetArtifactsByIdAsync([id]));
        Assert.Empty(read.Properties);
        Assert.Equal(string.Empty, read.Uri);

        var e = await Assert.ThrowsAsync<AlreadyExistsException>(() => store.PutArtifactsAsync([new Artifact { TypeId = typeId, ExternalId = "ext-1", Name = "other" }]));
        Assert.Contains("external_id 'ext-1' is already used", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, await ScalarAsync("SELECT COUNT(*) FROM artifact"));
    }
}
