using System.Text.Json.Nodes;
using Xunit;

namespace Cairn.Schemaspaces.Tests;

public sealed class MetadataManagerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string User => _temp.Combine("user");

    private string Factory => _temp.Combine("factory");

    public void Dispose() => _temp.Dispose();

    private async Task<MetadataManager> ManagerAsync(string schemaspace = "code-snippets", IMetadataHooks? hooks = null) =>
        new(await Fixtures.CatalogAsync(), schemaspace, new FileInstanceStore([User, Factory]), new MetadataManagerOptions { Hooks = _ => hooks });

    private static MetadataInput Snippet(string displayName = "Hello World", string? name = null) => MetadataInput.FromJson(Fixtures.Snippet(displayName)) with { Name = name };

    private string WriteRaw(string level, string name, string text)
    {
        var directory = Path.Combine(level, "metadata", "code-snippets");
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, name + ".json");
        File.WriteAllText(file, text);
        return file;
    }

    [Fact]
    public async Task Create_derives_the_name_from_the_display_name_and_get_returns_the_instance()
    {
        var manager = await ManagerAsync();

        var created = await manager.CreateAsync(Snippet("Hello World"));

        Assert.Equal("hello_world", created.Name);
        Assert.Equal(Path.Combine(User, "metadata", "code-snippets", "hello_world.json"), created.Resource);
        var read = await manager.GetAsync("hello_world");
        Assert.Equal("Hello World", read.DisplayName);
        Assert.Equal("code-snippet", read.SchemaName);
        Assert.Equal("Python", (string)read.Metadata["language"]!);
        Assert.Equal("""{"name":"hello_world","display_name":"Hello World","metadata":{"language":"Python","code":["print(\u0027hello\u0027)"]},"schema_name":"code-snippet"}""", read.ToJson().ToJsonString());
    }

    [Fact]
    public async Task Create_applies_the_schema_defaults_and_stores_them()
    {
        var manager = await ManagerAsync("runtimes");
        var input = new MetadataInput
        {
            DisplayName = "KFP dev",
            SchemaName = "kfp",
            Metadata = new JsonObject { ["api_endpoint"] = "http://kfp:8888", ["cos_endpoint"] = "http://minio:9000", ["cos_bucket"] = "pipelines" },
        };

        var created = await manager.CreateAsync(input);

        Assert.Equal("Argo", (string)created.Metadata["engine"]!);
        Assert.Equal(4, (int)created.Metadata["max_parallelism"]!);
        var file = (JsonObject)JsonNode.Parse(File.ReadAllText(created.Resource!))!;
        Assert.Equal("Argo", (string)file["metadata"]!["engine"]!);
    }

    [Theory]
    [InlineData("Bad Name!")]
    [InlineData("Upper")]
    [InlineData("trailing-")]
    public async Task Create_with_a_bad_name_is_invalid_with_Elyras_message(string name)
    {
        var manager = await ManagerAsync();

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => manager.CreateAsync(Snippet(name: name)));

        Assert.Equal(SchemaspaceMessages.NameInvalid, e.Message);
    }

    [Fact]
    public async Task Create_without_a_name_or_display_name_or_schema_name_says_which_field_is_missing()
    {
        var manager = await ManagerAsync();

        var noName = await Assert.ThrowsAsync<InvalidArgumentException>(() => manager.CreateAsync(Snippet() with { DisplayName = null }));
        Assert.Equal(SchemaspaceMessages.NameOrDisplayNameMissing("code-snippets"), noName.Message);
        var noSchema = await Assert.ThrowsAsync<InvalidArgumentException>(() => manager.CreateAsync(Snippet() with { SchemaName = null }));
        Assert.Equal(SchemaspaceMessages.InstanceMissingField("hello_world", "code-snippets", "schema_name"), noSchema.Message);
        var noMetadata = await Assert.ThrowsAsync<InvalidArgumentException>(() => manager.CreateAsync(Snippet() with { Metadata = null }));
        Assert.Equal(SchemaspaceMessages.InstanceMissingField("hello_world", "code-snippets", "metadata"), noMetadata.Message);
        var unknownSchema = await Assert.ThrowsAsync<NotFoundException>(() => manager.CreateAsync(Snippet() with { SchemaName = "nope" }));
        Assert.Equal(SchemaspaceMessages.SchemaNotFound("nope", "code-snippets"), unknownSchema.Message);
    }

    [Fact]
    public async Task Create_of_an_invalid_instance_is_refused_with_the_validators_message_and_writes_nothing()
    {
        var manager = await ManagerAsync();
        var input = Snippet() with { Metadata = new JsonObject { ["language"] = "Python" } };

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => manager.CreateAsync(input));

        Assert.Equal(SchemaspaceMessages.InstanceValidationFailed("hello_world", "code-snippet", "'metadata.code' is a required property"), e.Message);
        Assert.False(Directory.Exists(Path.Combine(User, "metadata", "code-snippets")));
    }

    [Fact]
    public async Task Create_of_an_existing_name_already_exists()
    {
        var manager = await ManagerAsync();
        await manager.CreateAsync(Snippet());

        var e = await Assert.ThrowsAsync<AlreadyExistsException>(() => manager.CreateAsync(Snippet()));

        Assert.Equal(SchemaspaceMessages.InstanceExists("hello_world", "code-snippets"), e.Message);
    }

    [Fact]
    public async Task Update_replaces_the_whole_instance_and_a_rename_is_refused()
    {
        var manager = await ManagerAsync();
        await manager.CreateAsync(Snippet());
        var replacement = Snippet("Renamed display") with { Metadata = new JsonObject { ["language"] = "R", ["code"] = new JsonArray() } };

        var updated = await manager.UpdateAsync("hello_world", replacement);

        Assert.Equal("Renamed display", updated.DisplayName);
        Assert.Equal("""{"language":"R","code":[]}""", updated.Metadata.ToJsonString());
        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => manager.UpdateAsync("hello_world", replacement with { Name = "other" }));
        Assert.Equal(SchemaspaceMessages.InstanceRenameRefused("hello_world", "other"), e.Message);
        await Assert.ThrowsAsync<NotFoundException>(() => manager.UpdateAsync("missing", replacement));
    }

    [Fact]
    public async Task Update_of_a_factory_instance_writes_a_copy_that_shadows_it_and_removing_the_copy_uncovers_it()
    {
        var manager = await ManagerAsync();
        var factoryFile = WriteRaw(Factory, "shared", Fixtures.Snippet("Shared").ToJsonString());

        var updated = await manager.UpdateAsync("shared", Snippet("Shared, mine"));

        Assert.Equal(Path.Combine(User, "metadata", "code-snippets", "shared.json"), updated.Resource);
        Assert.Equal("Shared, mine", (await manager.GetAsync("shared")).DisplayName);
        await manager.RemoveAsync("shared");
        var again = await manager.GetAsync("shared");
        Assert.Equal(factoryFile, again.Resource);
        var e = await Assert.ThrowsAsync<FailedPreconditionException>(() => manager.RemoveAsync("shared"));
        Assert.Equal(SchemaspaceMessages.InstanceReadOnly("shared", "code-snippets", factoryFile), e.Message);
        Assert.True(File.Exists(factoryFile));
    }

    [Fact]
    public async Task Invalid_stored_instances_are_listed_with_their_reasons_and_never_dropped()
    {
        var manager = await ManagerAsync();
        await manager.CreateAsync(Snippet());
        var broken = WriteRaw(User, "broken", "{ nope");
        WriteRaw(User, "no-schema", """{"display_name": "x", "metadata": {}}""");
        WriteRaw(User, "unknown-schema", """{"display_name": "x", "schema_name": "gone", "metadata": {}}""");
        WriteRaw(User, "fails", """{"display_name": "x", "schema_name": "code-snippet", "metadata": {"language": "Python"}}""");

        var listing = await manager.ListAsync();

        Assert.Equal(["hello_world"], listing.Instances.Select(i => i.Name));
        var reasons = listing.Invalid.ToDictionary(i => i.Name);
        Assert.Equal(4, reasons.Count);
        Assert.StartsWith(SchemaspaceMessages.InstanceNotJson(broken, ""), reasons["broken"].Reason, StringComparison.Ordinal);
        Assert.Equal(SchemaspaceMessages.UnknownSchemaName, reasons["no-schema"].SchemaName);
        Assert.Equal(SchemaspaceMessages.InstanceMissingField("no-schema", "code-snippets", "schema_name"), reasons["no-schema"].Reason);
        Assert.Equal(SchemaspaceMessages.SchemaNotFound("gone", "code-snippets"), reasons["unknown-schema"].Reason);
        Assert.Equal(SchemaspaceMessages.InstanceValidationFailed("fails", "code-snippet", "'metadata.code' is a required property"), reasons["fails"].Reason);

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => manager.GetAsync("fails"));
        Assert.Equal(reasons["fails"].Reason, e.Message);

        // An invalid instance can still be removed.
        await manager.RemoveAsync("broken");
        Assert.False(File.Exists(broken));
    }

    [Fact]
    public async Task Listing_by_schema_keeps_only_that_schemas_instances()
    {
        var manager = await ManagerAsync("runtimes");
        await manager.CreateAsync(new MetadataInput
        {
            DisplayName = "Airflow",
            SchemaName = "airflow",
            Metadata = new JsonObject { ["api_endpoint"] = "http://af:8080", ["github_repo"] = "me/dags", ["cos_endpoint"] = "http://minio:9000", ["cos_bucket"] = "bucket" },
        });
        await manager.CreateAsync(new MetadataInput
        {
            DisplayName = "KFP",
            SchemaName = "kfp",
            Metadata = new JsonObject { ["api_endpoint"] = "http://kfp:8888", ["cos_endpoint"] = "http://minio:9000", ["cos_bucket"] = "bucket" },
        });

        Assert.Equal(["airflow", "kfp"], (await manager.ListAsync()).Instances.Select(i => i.Name));
        Assert.Equal(["kfp"], (await manager.ListAsync("kfp")).Instances.Select(i => i.Name));
    }

    [Fact]
    public async Task Missing_instances_and_schemaspaces_are_not_found()
    {
        var manager = await ManagerAsync();

        var e = await Assert.ThrowsAsync<NotFoundException>(() => manager.GetAsync("nope"));
        Assert.Equal(SchemaspaceMessages.InstanceNotFound("nope", "code-snippets"), e.Message);
        await Assert.ThrowsAsync<NotFoundException>(() => manager.RemoveAsync("nope"));
        await Assert.ThrowsAsync<NotFoundException>(() => ManagerAsync("nope"));
    }

    [Fact]
    public async Task Hooks_run_in_Elyras_order()
    {
        var hooks = new RecordingHooks();
        var manager = await ManagerAsync(hooks: hooks);

        await manager.CreateAsync(Snippet());
        Assert.Equal(["pre_save(create)", "post_save(create)", "on_load"], hooks.Calls);
        hooks.Calls.Clear();
        await manager.UpdateAsync("hello_world", Snippet("Hello again"));
        Assert.Equal(["pre_save(update)", "post_save(update)", "on_load"], hooks.Calls);
        hooks.Calls.Clear();
        await manager.RemoveAsync("hello_world");
        Assert.Equal(["pre_delete", "post_delete"], hooks.Calls);
    }

    [Fact]
    public async Task On_load_and_pre_save_can_rewrite_the_instance_before_validation()
    {
        var hooks = new RecordingHooks
        {
            OnLoad = i => i with { Metadata = Add(i.Metadata, "description", "migrated") },
            PreSave = i => i with { Metadata = Add(i.Metadata, "code", new JsonArray("filled by the hook")) },
        };
        var manager = await ManagerAsync(hooks: hooks);

        var created = await manager.CreateAsync(Snippet() with { Metadata = new JsonObject { ["language"] = "Python" } });

        Assert.Equal("filled by the hook", (string)created.Metadata["code"]![0]!);
        Assert.Equal("migrated", (string)created.Metadata["description"]!);
        Assert.False(((JsonObject)JsonNode.Parse(File.ReadAllText(created.Resource!))!["metadata"]!).ContainsKey("description"));
    }

    [Fact]
    public async Task A_failing_post_save_on_create_deletes_the_new_instance()
    {
        var manager = await ManagerAsync(hooks: new RecordingHooks { FailPostSave = true });

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => manager.CreateAsync(Snippet()));

        Assert.Equal("post_save failed", e.Message);
        Assert.Empty((await manager.ListAsync()).Instances);
        Assert.Empty(Directory.GetFiles(Path.Combine(User, "metadata", "code-snippets")));
    }

    [Fact]
    public async Task A_failing_post_save_on_update_restores_the_original()
    {
        var hooks = new RecordingHooks();
        var manager = await ManagerAsync(hooks: hooks);
        await manager.CreateAsync(Snippet("Original"), default);
        hooks.FailPostSave = true;

        await Assert.ThrowsAsync<InvalidOperationException>(() => manager.UpdateAsync("original", Snippet("Changed")));

        Assert.Equal("Original", (await manager.GetAsync("original")).DisplayName);
        Assert.Equal(["original.json"], Directory.GetFiles(Path.Combine(User, "metadata", "code-snippets")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_failing_post_save_on_updating_a_factory_instance_removes_the_shadow_copy()
    {
        var manager = await ManagerAsync(hooks: new RecordingHooks { FailPostSave = true });
        var factoryFile = WriteRaw(Factory, "shared", Fixtures.Snippet("Shared").ToJsonString());

        await Assert.ThrowsAsync<InvalidOperationException>(() => manager.UpdateAsync("shared", Snippet("Changed")));

        Assert.Equal(factoryFile, (await manager.GetAsync("shared")).Resource);
        Assert.False(File.Exists(Path.Combine(User, "metadata", "code-snippets", "shared.json")));
    }

    [Fact]
    public async Task A_failing_post_delete_re_creates_the_instance()
    {
        var hooks = new RecordingHooks();
        var manager = await ManagerAsync(hooks: hooks);
        await manager.CreateAsync(Snippet());
        hooks.FailPostDelete = true;

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => manager.RemoveAsync("hello_world"));

        Assert.Equal("post_delete failed", e.Message);
        Assert.Equal("Hello World", (await manager.GetAsync("hello_world")).DisplayName);
    }

    [Fact]
    public async Task A_failing_pre_hook_writes_nothing()
    {
        var hooks = new RecordingHooks { FailPreSave = true };
        var manager = await ManagerAsync(hooks: hooks);

        await Assert.ThrowsAsync<InvalidOperationException>(() => manager.CreateAsync(Snippet()));

        Assert.False(Directory.Exists(Path.Combine(User, "metadata", "code-snippets")));
    }

    [Fact]
    public async Task A_deprecated_schemaspace_refuses_create_and_update()
    {
        var schema = Fixtures.Schema("code-snippet.json");
        var declaration = new JsonObject { ["id"] = Fixtures.CodeSnippetsId, ["name"] = "code-snippets", ["deprecated"] = true };
        var catalog = await SchemaCatalog.LoadAsync([new InMemorySchemasProvider([schema], [declaration])]);
        var manager = new MetadataManager(catalog, "code-snippets", new FileInstanceStore([User]));

        var e = await Assert.ThrowsAsync<FailedPreconditionException>(() => manager.CreateAsync(Snippet()));

        Assert.Equal(SchemaspaceMessages.SchemaspaceDeprecated("code-snippets", "create"), e.Message);
    }

    private static JsonObject Add(JsonObject metadata, string key, JsonNode value)
    {
        var copy = (JsonObject)metadata.DeepClone();
        copy[key] = value;
        return copy;
    }

    private sealed class RecordingHooks : IMetadataHooks
    {
        public List<string> Calls { get; } = [];

        public bool FailPreSave { get; set; }

        public bool FailPostSave { get; set; }

        public bool FailPostDelete { get; set; }

        public Func<MetadataInstance, MetadataInstance>? OnLoad { get; init; }

        public Func<MetadataInstance, MetadataInstance>? PreSave { get; init; }

        public ValueTask<MetadataInstance> OnLoadAsync(MetadataHookContext context, MetadataInstance instance, CancellationToken cancellationToken)
        {
            Calls.Add("on_load");
            return ValueTask.FromResult(OnLoad?.Invoke(instance) ?? instance);
        }

        public ValueTask<MetadataInstance> PreSaveAsync(MetadataHookContext context, MetadataInstance instance, bool forUpdate, CancellationToken cancellationToken)
        {
            Calls.Add(forUpdate ? "pre_save(update)" : "pre_save(create)");
            if (FailPreSave) throw new InvalidOperationException("pre_save failed");
            return ValueTask.FromResult(PreSave?.Invoke(instance) ?? instance);
        }

        public ValueTask PostSaveAsync(MetadataHookContext context, MetadataInstance instance, bool forUpdate, CancellationToken cancellationToken)
        {
            Calls.Add(forUpdate ? "post_save(update)" : "post_save(create)");
            if (FailPostSave) throw new InvalidOperationException("post_save failed");
            return ValueTask.CompletedTask;
        }

        public ValueTask PreDeleteAsync(MetadataHookContext context, MetadataInstance instance, CancellationToken cancellationToken)
        {
            Calls.Add("pre_delete");
            return ValueTask.CompletedTask;
        }

        public ValueTask PostDeleteAsync(MetadataHookContext context, MetadataInstance instance, CancellationToken cancellationToken)
        {
            Calls.Add("post_delete");
            if (FailPostDelete) throw new InvalidOperationException("post_delete failed");
            return ValueTask.CompletedTask;
        }
    }
}
