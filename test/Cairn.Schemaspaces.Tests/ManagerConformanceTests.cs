using System.Text.Json.Nodes;
using Cairn.Specification.Tests;
using Xunit;

namespace Cairn.Schemaspaces.Tests;

/// <summary>
/// What <see cref="MetadataManager"/> promises whatever keeps the instances: run against Elyra's file layout, a SQLite
/// store and a PostgreSQL store (each subclass gives a fresh, empty store per test).
/// </summary>
public abstract class ManagerConformanceTestBase : IAsyncLifetime
{
    private IInstanceStore? _store;

    /// <summary>Creates an empty store for one test.</summary>
    protected abstract Task<IInstanceStore> CreateStoreAsync();

    /// <summary>Releases what <see cref="CreateStoreAsync"/> made.</summary>
    protected abstract Task DisposeStoreAsync();

    /// <summary>Stores <paramref name="text"/> as instance <paramref name="name"/> of code-snippets as is, bypassing all checks.</summary>
    protected Task WriteRawAsync(string name, string text) => WriteRawAsync("code-snippets", name, text);

    /// <summary>Stores <paramref name="text"/> as instance <paramref name="name"/> of <paramref name="schemaspace"/> as is, bypassing all checks.</summary>
    protected abstract Task WriteRawAsync(string schemaspace, string name, string text);

    /// <summary>The stored text of instance <paramref name="name"/> of <paramref name="schemaspace"/> (the file, or the table row).</summary>
    protected abstract Task<string> ReadRawAsync(string schemaspace, string name);

    /// <summary>Whether two concurrent creates of one name are decided by the store (one wins, the other is AlreadyExists).</summary>
    protected virtual bool AtomicCreates => true;

    protected IInstanceStore Store => _store ?? throw new InvalidOperationException("Not initialized.");

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        await DisposeStoreAsync();
        if (Directory.Exists(_keys)) Directory.Delete(_keys, recursive: true);
    }

    private readonly string _keys = Path.Combine(Path.GetTempPath(), "cairn-keys-" + Guid.NewGuid().ToString("N"));

    private string KeyFile => Path.Combine(_keys, "home", "secret.key");

    private async Task<MetadataManager> ConnectionsAsync(string? keyFile = null, IMetadataHooks? hooks = null, SchemaCatalog? catalog = null) =>
        new(catalog ?? await Fixtures.ConnectionsCatalogAsync(), "connections", Store, new MetadataManagerOptions { Hooks = _ => hooks, Secrets = new SecretProtector(keyFile ?? KeyFile) });

    private async Task<MetadataManager> ManagerAsync(string schemaspace = "code-snippets", IMetadataHooks? hooks = null) =>
        new(await Fixtures.CatalogAsync(), schemaspace, Store, new MetadataManagerOptions { Hooks = _ => hooks });

    private static MetadataInput Snippet(string displayName = "Hello World", string? name = null) => MetadataInput.FromJson(Fixtures.Snippet(displayName)) with { Name = name };

    [SkippableFact]
    public async Task Create_then_get_returns_the_instance_with_its_derived_name_and_defaults()
    {
        var manager = await ManagerAsync("runtimes");
        var created = await manager.CreateAsync(new MetadataInput
        {
            DisplayName = "KFP dev",
            SchemaName = "kfp",
            Metadata = new JsonObject { ["api_endpoint"] = "http://kfp:8888", ["cos_endpoint"] = "http://minio:9000", ["cos_bucket"] = "pipelines" },
        });

        Assert.Equal("kfp_dev", created.Name);
        Assert.NotNull(created.Resource);
        var read = await manager.GetAsync("kfp_dev");
        Assert.Equal("KFP dev", read.DisplayName);
        Assert.Equal("Argo", (string)read.Metadata["engine"]!);
        Assert.Equal(created.Resource, read.Resource);
        Assert.True(await Store.SchemaspaceExistsAsync("runtimes"));
        Assert.False(await Store.SchemaspaceExistsAsync("code-snippets"));
    }

    [SkippableFact]
    public async Task An_invalid_create_is_refused_with_the_validators_message_and_writes_nothing()
    {
        var manager = await ManagerAsync();
        var input = Snippet() with { Metadata = new JsonObject { ["language"] = "Python" } };

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => manager.CreateAsync(input));

        Assert.Equal(SchemaspaceMessages.InstanceValidationFailed("hello_world", "code-snippet", "'metadata.code' is a required property"), e.Message);
        var listing = await manager.ListAsync();
        Assert.Empty(listing.Instances);
        Assert.Empty(listing.Invalid);
    }

    [SkippableFact]
    public async Task A_second_create_of_a_name_already_exists()
    {
        var manager = await ManagerAsync();
        await manager.CreateAsync(Snippet());

        var e = await Assert.ThrowsAsync<AlreadyExistsException>(() => manager.CreateAsync(Snippet()));

        Assert.Equal(SchemaspaceMessages.InstanceExists("hello_world", "code-snippets"), e.Message);
    }

    [SkippableFact]
    public async Task Concurrent_creates_of_one_name_leave_one_instance_and_the_others_already_exist()
    {
        var manager = await ManagerAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            try
            {
                await manager.CreateAsync(Snippet("Race", name: "race") with { Metadata = new JsonObject { ["language"] = "L" + i, ["code"] = new JsonArray() } });
                return "created";
            }
            catch (AlreadyExistsException)
            {
                return "exists";
            }
        }));

        if (AtomicCreates)
        {
            Assert.Equal(1, results.Count(r => r == "created"));
            Assert.Equal(7, results.Count(r => r == "exists"));
        }
        else
        {
            // Elyra's file layout checks, then writes: several racers may each believe they created it, but the name is
            // one file, so there is still exactly one instance and every other racer was told it exists.
            Assert.InRange(results.Count(r => r == "created"), 1, 8);
        }

        Assert.Single((await manager.ListAsync()).Instances);
    }

    [SkippableFact]
    public async Task Update_replaces_the_whole_instance_and_refuses_a_rename_or_a_missing_instance()
    {
        var manager = await ManagerAsync();
        await manager.CreateAsync(Snippet() with { Metadata = new JsonObject { ["language"] = "Python", ["code"] = new JsonArray("x"), ["description"] = "d" } });

        var updated = await manager.UpdateAsync("hello_world", Snippet("Renamed display") with { Metadata = new JsonObject { ["language"] = "R", ["code"] = new JsonArray() } });

        Assert.Equal("Renamed display", updated.DisplayName);
        Assert.False(updated.Metadata.ContainsKey("description"));
        Assert.Equal("R", (string)(await manager.GetAsync("hello_world")).Metadata["language"]!);
        var rename = await Assert.ThrowsAsync<InvalidArgumentException>(() => manager.UpdateAsync("hello_world", Snippet(name: "other")));
        Assert.Equal(SchemaspaceMessages.InstanceRenameRefused("hello_world", "other"), rename.Message);
        await Assert.ThrowsAsync<NotFoundException>(() => manager.UpdateAsync("missing", Snippet()));
    }

    [SkippableFact]
    public async Task Remove_deletes_and_a_second_remove_is_not_found()
    {
        var manager = await ManagerAsync();
        await manager.CreateAsync(Snippet());

        await manager.RemoveAsync("hello_world");

        await Assert.ThrowsAsync<NotFoundException>(() => manager.GetAsync("hello_world"));
        var e = await Assert.ThrowsAsync<NotFoundException>(() => manager.RemoveAsync("hello_world"));
        Assert.Equal(SchemaspaceMessages.InstanceNotFound("hello_world", "code-snippets"), e.Message);
    }

    [SkippableFact]
    public async Task Invalid_stored_instances_are_listed_with_their_reasons_and_can_be_removed()
    {
        var manager = await ManagerAsync();
        await manager.CreateAsync(Snippet());
        await WriteRawAsync("broken", "{ nope");
        await WriteRawAsync("fails", """{"display_name": "x", "schema_name": "code-snippet", "metadata": {"language": "Python"}}""");
        await WriteRawAsync("unknown-schema", """{"display_name": "x", "schema_name": "gone", "metadata": {}}""");

        var listing = await manager.ListAsync();

        Assert.Equal(["hello_world"], listing.Instances.Select(i => i.Name));
        var reasons = listing.Invalid.ToDictionary(i => i.Name);
        Assert.Equal(["broken", "fails", "unknown-schema"], reasons.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(SchemaspaceMessages.InstanceValidationFailed("fails", "code-snippet", "'metadata.code' is a required property"), reasons["fails"].Reason);
        Assert.Equal(SchemaspaceMessages.SchemaNotFound("gone", "code-snippets"), reasons["unknown-schema"].Reason);
        Assert.Equal(SchemaspaceMessages.UnknownSchemaName, reasons["broken"].SchemaName);
        await Assert.ThrowsAsync<InvalidArgumentException>(() => manager.GetAsync("fails"));

        await manager.RemoveAsync("broken");
        Assert.DoesNotContain((await manager.ListAsync()).Invalid, i => i.Name == "broken");
    }

    [SkippableFact]
    public async Task Listing_by_schema_keeps_only_that_schemas_instances()
    {
        var manager = await ManagerAsync("runtimes");
        var metadata = new JsonObject { ["api_endpoint"] = "http://a:1", ["cos_endpoint"] = "http://b:2", ["cos_bucket"] = "bucket", ["github_repo"] = "me/dags" };
        await manager.CreateAsync(new MetadataInput { DisplayName = "K", SchemaName = "kfp", Metadata = metadata });
        await manager.CreateAsync(new MetadataInput { DisplayName = "A", SchemaName = "airflow", Metadata = (JsonObject)metadata.DeepClone() });

        Assert.Equal(["k"], (await manager.ListAsync("kfp")).Instances.Select(i => i.Name));
        Assert.Equal(["a", "k"], (await manager.ListAsync()).Instances.Select(i => i.Name));
    }

    [SkippableFact]
    public async Task A_failing_post_save_undoes_a_create_and_restores_an_updated_original()
    {
        var hooks = new FailingHooks();
        var manager = await ManagerAsync(hooks: hooks);
        await manager.CreateAsync(Snippet("Original", name: "original"));
        hooks.FailPostSave = true;

        await Assert.ThrowsAsync<InvalidOperationException>(() => manager.CreateAsync(Snippet("New")));
        await Assert.ThrowsAsync<InvalidOperationException>(() => manager.UpdateAsync("original", Snippet("Changed")));

        var listing = await manager.ListAsync();
        Assert.Equal("Original", Assert.Single(listing.Instances).DisplayName);
    }

    [SkippableFact]
    public async Task A_failing_post_delete_re_creates_the_instance()
    {
        var manager = await ManagerAsync(hooks: new FailingHooks { FailPostDelete = true });
        await manager.CreateAsync(Snippet());

        await Assert.ThrowsAsync<InvalidOperationException>(() => manager.RemoveAsync("hello_world"));

        Assert.Equal("Hello World", (await manager.GetAsync("hello_world")).DisplayName);
    }

    [SkippableFact]
    public async Task Secret_properties_are_encrypted_at_rest_and_decrypted_on_read()
    {
        var manager = await ConnectionsAsync();
        var input = MetadataInput.FromJson(Fixtures.Connection());
        input.Metadata!["options"] = new JsonObject { ["sslkey"] = "-----BEGIN KEY-----" };

        var created = await manager.CreateAsync(input);

        Assert.Equal("hunter2-plain", (string)created.Metadata["password"]!);
        var raw = await ReadRawAsync("connections", "warehouse");
        Assert.DoesNotContain("hunter2", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("BEGIN KEY", raw, StringComparison.Ordinal);
        Assert.Contains("db.example.org", raw, StringComparison.Ordinal);
        var stored = (JsonObject)JsonNode.Parse(raw)!["metadata"]!;
        Assert.StartsWith("v1:", (string)stored["password"]![SecretProtector.EnvelopeKey]!, StringComparison.Ordinal);
        Assert.True(SecretProtector.IsEnvelope(stored["options"]));
        Assert.Equal(32, new FileInfo(KeyFile).Length);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyFile));

        var read = await manager.GetAsync("warehouse");
        Assert.Equal("hunter2-plain", (string)read.Metadata["password"]!);
        Assert.Equal("-----BEGIN KEY-----", (string)read.Metadata["options"]!["sslkey"]!);
        var shown = manager.Redact(read).ToJson().ToJsonString();
        Assert.DoesNotContain("hunter2", shown, StringComparison.Ordinal);
        Assert.Equal(SecretProtector.Placeholder, (string)manager.Redact(read).Metadata["password"]!);
        Assert.Equal(SecretProtector.Placeholder, (string)manager.Redact(read).Metadata["options"]!);
    }

    [SkippableFact]
    public async Task An_update_that_sends_the_placeholder_back_keeps_the_stored_secret()
    {
        var manager = await ConnectionsAsync();
        await manager.CreateAsync(MetadataInput.FromJson(Fixtures.Connection()));
        var shown = manager.Redact(await manager.GetAsync("warehouse"));

        await manager.UpdateAsync("warehouse", MetadataInput.FromJson(shown.ToJson()) with { DisplayName = "Warehouse (prod)" });

        var read = await manager.GetAsync("warehouse");
        Assert.Equal("Warehouse (prod)", read.DisplayName);
        Assert.Equal("hunter2-plain", (string)read.Metadata["password"]!);
        await manager.UpdateAsync("warehouse", MetadataInput.FromJson(Fixtures.Connection("new-secret")));
        Assert.Equal("new-secret", (string)(await manager.GetAsync("warehouse")).Metadata["password"]!);
        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => manager.CreateAsync(MetadataInput.FromJson(Fixtures.Connection(SecretProtector.Placeholder)) with { Name = "other" }));
        Assert.Equal(SchemaspaceMessages.SecretPlaceholderWithoutValue("other", "password"), e.Message);
    }

    [SkippableFact]
    public async Task Validation_runs_on_the_decrypted_instance_and_its_message_does_not_quote_the_secret()
    {
        var manager = await ConnectionsAsync();

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => manager.CreateAsync(MetadataInput.FromJson(Fixtures.Connection("q!"))));

        Assert.Contains("metadata.password", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("q!", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(KeyFile));
    }

    [SkippableFact]
    public async Task A_wrong_or_missing_key_is_a_clear_error_naming_the_instance()
    {
        await (await ConnectionsAsync()).CreateAsync(MetadataInput.FromJson(Fixtures.Connection()));
        var otherKey = Path.Combine(_keys, "other.key");
        Directory.CreateDirectory(_keys);
        await File.WriteAllBytesAsync(otherKey, new byte[32]);

        var wrong = await ConnectionsAsync(otherKey);
        var e = await Assert.ThrowsAsync<FailedPreconditionException>(() => wrong.GetAsync("warehouse"));
        Assert.Equal(SchemaspaceMessages.SecretWrongKey("warehouse", "connections", otherKey), e.Message);
        var invalid = Assert.Single((await wrong.ListAsync()).Invalid);
        Assert.Equal(e.Message, invalid.Reason);
        Assert.Equal(SecretProtector.Placeholder, (string)invalid.Content!["metadata"]!["password"]!);

        var missing = await ConnectionsAsync(Path.Combine(_keys, "nowhere", "secret.key"));
        var m = await Assert.ThrowsAsync<FailedPreconditionException>(() => missing.GetAsync("warehouse"));
        Assert.Equal(SchemaspaceMessages.SecretKeyMissing("warehouse", "connections", Path.Combine(_keys, "nowhere", "secret.key")), m.Message);

        // Without the key the instance can still be removed.
        await missing.RemoveAsync("warehouse");
        Assert.Empty((await missing.ListAsync()).Invalid);
    }

    [SkippableFact]
    public async Task A_plain_text_secret_written_by_another_tool_is_read_and_encrypted_on_the_next_save()
    {
        await WriteRawAsync("connections", "legacy", Fixtures.Connection("plain-pass").ToJsonString());
        var manager = await ConnectionsAsync();

        var read = await manager.GetAsync("legacy");
        Assert.Equal("plain-pass", (string)read.Metadata["password"]!);
        await manager.UpdateAsync("legacy", MetadataInput.FromJson(manager.Redact(read).ToJson()));

        Assert.DoesNotContain("plain-pass", await ReadRawAsync("connections", "legacy"), StringComparison.Ordinal);
        Assert.Equal("plain-pass", (string)(await manager.GetAsync("legacy")).Metadata["password"]!);
    }

    [SkippableFact]
    public async Task Migrate_applies_the_declared_migrations_to_older_instances_and_stores_them()
    {
        var catalog = await Fixtures.ConnectionsCatalogAsync(Fixtures.ConnectionSchema(withMigrations: true));
        var manager = await ConnectionsAsync(catalog: catalog);
        await WriteRawAsync("connections", "old", """{"display_name": "Old", "schema_name": "database", "metadata": {"host": "db", "user": "etl", "legacy_flag": true, "password": "plain-old"}}""");
        await WriteRawAsync("connections", "older", """{"display_name": "Older", "schema_name": "database", "metadata": {"host": "db", "user": "ops", "port": 6432}}""");
        var created = await manager.CreateAsync(MetadataInput.FromJson(Fixtures.Connection()));

        // Read before migrating: migrated in memory, stored as it was.
        Assert.Equal("etl", (string)(await manager.GetAsync("old")).Metadata["username"]!);
        Assert.Contains("\"user\"", await ReadRawAsync("connections", "old"), StringComparison.Ordinal);
        Assert.Equal(2, (int)JsonNode.Parse(await ReadRawAsync("connections", "warehouse"))![MetadataManager.SchemaVersionField]!);

        var migrated = await manager.MigrateAsync();

        Assert.Equal(["old", "older"], migrated.Order(StringComparer.Ordinal));
        var raw = (JsonObject)JsonNode.Parse(await ReadRawAsync("connections", "old"))!;
        Assert.Equal(2, (int)raw[MetadataManager.SchemaVersionField]!);
        Assert.Equal("""{"host":"db","username":"etl","port":5432}""", WithoutPassword(raw["metadata"]!));
        Assert.True(SecretProtector.IsEnvelope(raw["metadata"]!["password"]));
        Assert.Equal(6432, (int)(await manager.GetAsync("older")).Metadata["port"]!);
        Assert.Empty(await manager.MigrateAsync());
        Assert.Equal("hunter2-plain", (string)(await manager.GetAsync(created.Name)).Metadata["password"]!);
    }

    [SkippableFact]
    public async Task An_on_load_hook_migrates_an_instance_and_saves_it_for_migration()
    {
        var hooks = new RuntimeTypeMigration();
        var manager = await ManagerAsync("runtimes", hooks);
        await WriteRawAsync("runtimes", "legacy", """{"display_name": "Legacy", "schema_name": "kfp", "metadata": {"api_endpoint": "http://kfp", "cos_endpoint": "http://minio", "cos_bucket": "bucket"}}""");

        var read = await manager.GetAsync("legacy");

        Assert.Equal("KUBEFLOW_PIPELINES", (string)read.Metadata["runtime_type"]!);
        Assert.Equal("KUBEFLOW_PIPELINES", (string)JsonNode.Parse(await ReadRawAsync("runtimes", "legacy"))!["metadata"]!["runtime_type"]!);
        Assert.Equal(1, hooks.Saves);
        await manager.GetAsync("legacy");
        Assert.Equal(1, hooks.Saves);
    }

    private static string WithoutPassword(JsonNode metadata)
    {
        var copy = (JsonObject)metadata.DeepClone();
        copy.Remove("password");
        return copy.ToJsonString();
    }

    /// <summary>Elyra's runtimes_metadata.py in .NET: adds runtime_type, inferred from the schema, and saves the instance.</summary>
    private sealed class RuntimeTypeMigration : IMetadataHooks
    {
        public int Saves { get; private set; }

        public async ValueTask<MetadataInstance> OnLoadAsync(MetadataHookContext context, MetadataInstance instance, CancellationToken cancellationToken)
        {
            if (instance.Metadata.ContainsKey("runtime_type")) return instance;
            var metadata = (JsonObject)instance.Metadata.DeepClone();
            metadata["runtime_type"] = context.Schema.Name == "kfp" ? "KUBEFLOW_PIPELINES" : "APACHE_AIRFLOW";
            Saves++;
            return await context.Manager!.UpdateAsync(instance.Name, MetadataInput.FromJson(instance.ToJson()) with { Metadata = metadata }, forMigration: true, cancellationToken);
        }
    }

    private sealed class FailingHooks : IMetadataHooks
    {
        public bool FailPostSave { get; set; }

        public bool FailPostDelete { get; set; }

        public ValueTask PostSaveAsync(MetadataHookContext context, MetadataInstance instance, bool forUpdate, CancellationToken cancellationToken) =>
            FailPostSave ? throw new InvalidOperationException("post_save failed") : ValueTask.CompletedTask;

        public ValueTask PostDeleteAsync(MetadataHookContext context, MetadataInstance instance, CancellationToken cancellationToken) =>
            FailPostDelete ? throw new InvalidOperationException("post_delete failed") : ValueTask.CompletedTask;
    }
}

/// <summary>The manager over Elyra's file layout.</summary>
public sealed class FileManagerConformanceTests : ManagerConformanceTestBase, IDisposable
{
    private readonly TempDirectory _temp = new();

    protected override bool AtomicCreates => false;

    protected override Task<IInstanceStore> CreateStoreAsync() => Task.FromResult<IInstanceStore>(new FileInstanceStore([_temp.Combine("user")]));

    public void Dispose() => _temp.Dispose();

    protected override Task DisposeStoreAsync() => Task.CompletedTask;

    protected override Task WriteRawAsync(string schemaspace, string name, string text)
    {
        var directory = _temp.Combine("user", "metadata", schemaspace);
        Directory.CreateDirectory(directory);
        return File.WriteAllTextAsync(Path.Combine(directory, name + ".json"), text);
    }

    protected override Task<string> ReadRawAsync(string schemaspace, string name) => File.ReadAllTextAsync(_temp.Combine("user", "metadata", schemaspace, name + ".json"));
}

/// <summary>The manager over the Cairn store on a SQLite file.</summary>
public sealed class SqliteManagerConformanceTests : ManagerConformanceTestBase, IDisposable
{
    private readonly TempDirectory _temp = new();
    private IMetadataStore? _cairn;

    protected override async Task<IInstanceStore> CreateStoreAsync()
    {
        _cairn = await CairnStore.OpenAsync(StoreUri.Parse("sqlite://" + _temp.Combine("cairn.db")), new StoreOpenOptions { CreateIfMissing = true });
        return StoreInstanceStore.For(_cairn);
    }

    public void Dispose() => _temp.Dispose();

    protected override async Task DisposeStoreAsync()
    {
        if (_cairn is not null) await _cairn.DisposeAsync();
    }

    protected override Task WriteRawAsync(string schemaspace, string name, string text) =>
        ((IInstanceStorage)_cairn!).PutInstanceAsync(schemaspace, name, text, create: true);

    protected override async Task<string> ReadRawAsync(string schemaspace, string name) =>
        Assert.Single(await ((IInstanceStorage)_cairn!).GetInstancesAsync(schemaspace, name)).Content;
}

/// <summary>The manager over the Cairn store on PostgreSQL (a fresh database per test; see <see cref="TestPostgres"/>).</summary>
public sealed class PostgreSqlManagerConformanceTests : ManagerConformanceTestBase
{
    private string? _database;
    private IMetadataStore? _cairn;

    protected override async Task<IInstanceStore> CreateStoreAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        _cairn = await CairnStore.OpenAsync(StoreUri.Parse(TestPostgres.UriFor(_database)));
        return StoreInstanceStore.For(_cairn);
    }

    protected override async Task DisposeStoreAsync()
    {
        if (_cairn is not null) await _cairn.DisposeAsync();
        if (_database is not null) await TestPostgres.DropDatabaseAsync(_database);
    }

    protected override Task WriteRawAsync(string schemaspace, string name, string text) =>
        ((IInstanceStorage)_cairn!).PutInstanceAsync(schemaspace, name, text, create: true);

    protected override async Task<string> ReadRawAsync(string schemaspace, string name) =>
        Assert.Single(await ((IInstanceStorage)_cairn!).GetInstancesAsync(schemaspace, name)).Content;
}
