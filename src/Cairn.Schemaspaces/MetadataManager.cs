using System.Text.Json.Nodes;

namespace Cairn.Schemaspaces;

/// <summary>Options of a <see cref="MetadataManager"/>.</summary>
public sealed record MetadataManagerOptions
{
    /// <summary>
    /// The hooks of a schema's instances, or null for none (Elyra picks them by the schema's <c>metadata_class_name</c>). When
    /// not set, a schema's hooks come from its provider, if that is an <see cref="IMetadataHooksProvider"/> (an assembly's).
    /// </summary>
    public Func<MetadataSchema, IMetadataHooks?>? Hooks { get; init; }

    /// <summary>The key of secret properties; default: <see cref="SecretProtector.FromEnvironment"/>.</summary>
    public SecretProtector? Secrets { get; init; }
}

/// <summary>
/// Reads and writes the instances of one schemaspace (Elyra's MetadataManager): validates every instance on every
/// read and before every write, applies the schema's defaults, derives names, runs the hooks and undoes a write whose
/// post hook fails.
/// </summary>
/// <remarks>
/// Errors: an unknown schemaspace, schema or instance is <see cref="NotFoundException"/>; a name in use is
/// <see cref="AlreadyExistsException"/>; a bad name, a missing field, a rename through update and an instance that
/// fails its schema are <see cref="InvalidArgumentException"/> (with the validator's message); removing a factory or
/// system instance, and writing into a deprecated schemaspace, are <see cref="FailedPreconditionException"/>.
/// </remarks>
public sealed class MetadataManager
{
    private readonly IInstanceStore _store;
    private readonly MetadataManagerOptions _options;
    private readonly SecretProtector _secrets;

    /// <summary>A manager of <paramref name="schemaspace"/> (its name, ignoring case, or its id) over <paramref name="store"/>.</summary>
    /// <exception cref="NotFoundException">The catalog has no such schemaspace.</exception>
    public MetadataManager(SchemaCatalog catalog, string schemaspace, IInstanceStore store, MetadataManagerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(store);
        Schemaspace = catalog.GetSchemaspace(schemaspace);
        _store = store;
        _options = options ?? new MetadataManagerOptions();
        _secrets = _options.Secrets ?? SecretProtector.FromEnvironment();
    }

    /// <summary>The schemaspace managed.</summary>
    public Schemaspace Schemaspace { get; }

    private IMetadataHooks? HooksOf(MetadataSchema schema) =>
        _options.Hooks is { } hooks ? hooks(schema) : (schema.Provider as IMetadataHooksProvider)?.HooksFor(schema);

    private string Space => Schemaspace.Name;

    /// <summary>The instance named <paramref name="name"/>, after its on-load hook, validated.</summary>
    /// <exception cref="NotFoundException">No such instance.</exception>
    /// <exception cref="InvalidArgumentException">The stored instance is not valid; the message says why.</exception>
    public async Task<MetadataInstance> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var stored = await FetchAsync(name, cancellationToken);
        return await LoadAsync(stored, cancellationToken);
    }

    /// <summary>Every instance (of <paramref name="schemaName"/> when given): the valid ones, and the invalid ones with their reasons.</summary>
    public async Task<MetadataListing> ListAsync(string? schemaName = null, CancellationToken cancellationToken = default)
    {
        var valid = new List<MetadataInstance>();
        var invalid = new List<InvalidInstance>();
        foreach (var stored in await _store.FetchAsync(Space, null, cancellationToken))
        {
            var storedSchema = stored.Content?["schema_name"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            if (schemaName is not null && !string.Equals(storedSchema, schemaName, StringComparison.Ordinal)) continue;
            try
            {
                valid.Add(await LoadAsync(stored, cancellationToken));
            }
            catch (CairnException e) when (e is InvalidArgumentException or NotFoundException or FailedPreconditionException)
            {
                invalid.Add(new InvalidInstance(stored.Name, storedSchema ?? SchemaspaceMessages.UnknownSchemaName, stored.Resource, e.Message, RedactStored(stored.Content, storedSchema)));
            }
        }

        return new MetadataListing(valid, invalid);
    }

    /// <summary>Creates an instance; its name is derived from its display name when it has none.</summary>
    /// <returns>The instance as stored and read back.</returns>
    public Task<MetadataInstance> CreateAsync(MetadataInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        RefuseIfDeprecated("create");
        var name = input.Name ?? (input.DisplayName is { } displayName
            ? MetadataNames.FromDisplayName(displayName)
            : throw new InvalidArgumentException(SchemaspaceMessages.NameOrDisplayNameMissing(Space)));
        MetadataNames.Validate(name);
        return SaveAsync(name, input, original: null, cancellationToken);
    }

    /// <summary>Replaces instance <paramref name="name"/> with <paramref name="input"/> (no merge; a rename is refused).</summary>
    /// <returns>The instance as stored and read back. Updating a factory instance writes a copy that overrides it.</returns>
    public Task<MetadataInstance> UpdateAsync(string name, MetadataInput input, CancellationToken cancellationToken = default) =>
        UpdateAsync(name, input, forMigration: false, cancellationToken);

    /// <summary>
    /// Replaces instance <paramref name="name"/>; with <paramref name="forMigration"/> (Elyra's <c>for_migration</c>),
    /// as a migration does: also in a deprecated schemaspace, and the instance returned is the one written, not read
    /// back, so an <see cref="IMetadataHooks.OnLoadAsync"/> that migrates and saves does not run again.
    /// </summary>
    public async Task<MetadataInstance> UpdateAsync(string name, MetadataInput input, bool forMigration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(input);
        if (!forMigration) RefuseIfDeprecated("update");
        if (input.Name is { } given && !string.Equals(given, name, StringComparison.Ordinal))
        {
            throw new InvalidArgumentException(SchemaspaceMessages.InstanceRenameRefused(name, given));
        }

        // The original as stored (not through on_load), so that undoing the update puts back exactly what was there.
        var original = await FetchAsync(name, cancellationToken);
        return await SaveAsync(name, input, original, cancellationToken, forMigration);
    }

    /// <summary>
    /// Migrates the schemaspace's stored instances (Elyra's <c>Schemaspace.migrate</c>): calls each schema's
    /// provider's <see cref="ISchemasProvider.MigrateAsync"/> (by default, the schema's declared <c>migrations</c>).
    /// </summary>
    /// <returns>The names of the instances migrated.</returns>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var migrated = new List<string>();
        foreach (var schema in Schemaspace.Schemas)
        {
            var provider = schema.Provider ?? new InMemorySchemasProvider([]);
            migrated.AddRange(await provider.MigrateAsync(this, schema, cancellationToken));
        }

        return migrated;
    }

    /// <summary>
    /// Applies <paramref name="schema"/>'s declared <c>migrations</c> to its stored instances whose
    /// <c>schema_version</c> is older, saving each (with <c>forMigration</c>); instances that are invalid even once
    /// migrated are left as they are (listed with their reason).
    /// </summary>
    /// <returns>The names of the instances migrated.</returns>
    public async Task<IReadOnlyList<string>> MigrateDeclaredAsync(MetadataSchema schema, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var migrated = new List<string>();
        if (schema.Version == 0) return migrated;
        foreach (var stored in await _store.FetchAsync(Space, null, cancellationToken))
        {
            if (stored.Content is not { } content || content["schema_name"]?.ToString() != schema.Name || StoredVersion(content) >= schema.Version) continue;
            MetadataInstance current;
            try
            {
                current = await LoadAsync(stored, cancellationToken);
            }
            catch (CairnException e) when (e is InvalidArgumentException or NotFoundException or FailedPreconditionException)
            {
                continue;
            }

            await UpdateAsync(stored.Name, MetadataInput.FromJson(current.ToJson()), forMigration: true, cancellationToken);
            migrated.Add(stored.Name);
        }

        return migrated;
    }

    /// <summary>Removes instance <paramref name="name"/>; invalid instances can be removed too.</summary>
    /// <exception cref="FailedPreconditionException">The instance is a factory or system instance.</exception>
    public async Task RemoveAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var stored = await FetchAsync(name, cancellationToken);
        if (!stored.Writable) throw new FailedPreconditionException(SchemaspaceMessages.InstanceReadOnly(name, Space, stored.Resource));

        // Hooks run for instances that can be read and whose schema is known; a broken file is simply removed.
        var (hooks, context, instance) = HooksFor(stored);
        if (hooks is not null) await hooks.PreDeleteAsync(context!, instance!, cancellationToken);
        await _store.DeleteAsync(Space, stored, cancellationToken);
        if (hooks is null) return;
        try
        {
            await hooks.PostDeleteAsync(context!, instance!, cancellationToken);
        }
        catch (Exception hookError) when (stored.Content is not null)
        {
            await CompensateAsync(hookError, () => _store.StoreAsync(Space, name, stored.Content, forUpdate: true, cancellationToken));
            throw;
        }
    }

    private async Task<MetadataInstance> SaveAsync(string name, MetadataInput input, StoredInstance? original, CancellationToken cancellationToken, bool forMigration = false)
    {
        var forUpdate = original is not null;
        var schemaName = input.SchemaName ?? throw new InvalidArgumentException(SchemaspaceMessages.InstanceMissingField(name, Space, "schema_name"));
        var schema = Schemaspace.GetSchema(schemaName);
        var instance = new MetadataInstance
        {
            Name = name,
            SchemaName = schemaName,
            DisplayName = input.DisplayName ?? throw new InvalidArgumentException(SchemaspaceMessages.InstanceMissingField(name, Space, "display_name")),
            Metadata = (JsonObject?)input.Metadata?.DeepClone() ?? throw new InvalidArgumentException(SchemaspaceMessages.InstanceMissingField(name, Space, "metadata")),
        };
        var context = Context(schema);
        var hooks = HooksOf(schema);
        if (hooks is not null) instance = await hooks.PreSaveAsync(context, instance, forUpdate, cancellationToken);

        // An update of an instance stored with an older schema version gets the migrations it missed.
        if (original?.Content is { } originalContent && StoredVersion(originalContent) < schema.Version)
        {
            var metadata = (JsonObject)instance.Metadata.DeepClone();
            schema.ApplyMigrations(metadata, StoredVersion(originalContent));
            instance = instance with { Metadata = metadata };
        }

        if (schema.SecretProperties.Count > 0) instance = instance with { Metadata = KeepSecrets(name, instance.Metadata, schema, original) };
        var json = instance.ToJson();
        schema.ApplyDefaults(json);
        if (schema.Validate(json) is { } error) throw new InvalidArgumentException(SchemaspaceMessages.InstanceValidationFailed(name, schema.Name, WithoutSecrets(error, json, schema)));
        instance = ToInstance(name, json, resource: null);

        var toStore = Protect(instance.ToStoredJson(), schema);
        if (schema.Version > 0) toStore[SchemaVersionField] = schema.Version;
        var stored = await _store.StoreAsync(Space, name, toStore, forUpdate, cancellationToken);
        if (hooks is not null)
        {
            try
            {
                await hooks.PostSaveAsync(context, ToInstance(name, Reveal(name, stored.Content!), stored.Resource), forUpdate, cancellationToken);
            }
            catch (Exception hookError)
            {
                await CompensateAsync(hookError, () => original is { Writable: true, Content: { } content }
                    ? _store.StoreAsync(Space, name, content, forUpdate: true, cancellationToken)
                    : _store.DeleteAsync(Space, stored, cancellationToken));
                throw;
            }
        }

        return forMigration ? ToInstance(name, Reveal(name, stored.Content!), stored.Resource) : await GetAsync(name, cancellationToken);
    }

    private async Task<MetadataInstance> LoadAsync(StoredInstance stored, CancellationToken cancellationToken)
    {
        var content = stored.Content ?? throw new InvalidArgumentException(stored.LoadError ?? SchemaspaceMessages.InstanceNotObject(stored.Resource));
        var schemaName = StringField(stored.Name, content, "schema_name");
        var schema = Schemaspace.FindSchema(schemaName)
            ?? throw new InvalidArgumentException(SchemaspaceMessages.SchemaNotFound(schemaName, Space));
        StringField(stored.Name, content, "display_name");
        if (content["metadata"] is not JsonObject) throw new InvalidArgumentException(SchemaspaceMessages.InstanceMetadataNotObject(stored.Name));

        var instance = ToInstance(stored.Name, Reveal(stored.Name, content), stored.Resource);

        // An instance stored with an older schema version is read migrated; `migrate` (or its next save) stores it so.
        schema.ApplyMigrations(instance.Metadata, StoredVersion(content));
        if (HooksOf(schema) is { } hooks)
        {
            instance = await hooks.OnLoadAsync(Context(schema), instance, cancellationToken);
        }

        if (schema.Validate(instance.ToJson()) is { } error)
        {
            throw new InvalidArgumentException(SchemaspaceMessages.InstanceValidationFailed(stored.Name, schema.Name, WithoutSecrets(error, instance.ToJson(), schema)));
        }

        return instance;
    }

    private async Task<StoredInstance> FetchAsync(string name, CancellationToken cancellationToken) =>
        (await _store.FetchAsync(Space, name, cancellationToken)).FirstOrDefault()
        ?? throw new NotFoundException(SchemaspaceMessages.InstanceNotFound(name, Space));

    private (IMetadataHooks? Hooks, MetadataHookContext? Context, MetadataInstance? Instance) HooksFor(StoredInstance stored)
    {
        if (stored.Content is not { } content
            || content["schema_name"] is not JsonValue v || !v.TryGetValue<string>(out var schemaName)
            || Schemaspace.FindSchema(schemaName) is not { } schema
            || HooksOf(schema) is not { } hooks
            || content["metadata"] is not JsonObject)
        {
            return (null, null, null);
        }

        JsonObject revealed;
        try
        {
            revealed = Reveal(stored.Name, content);
        }
        catch (FailedPreconditionException)
        {
            // Without the key the instance can still be removed; its hooks see the encrypted values.
            revealed = content;
        }

        return (hooks, Context(schema), ToInstance(stored.Name, revealed, stored.Resource));
    }

    /// <summary>
    /// A copy of <paramref name="instance"/> with the value of each secret property of its schema (present and not
    /// null) replaced by <see cref="SecretProtector.Placeholder"/>, for showing it.
    /// </summary>
    public MetadataInstance Redact(MetadataInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (Schemaspace.FindSchema(instance.SchemaName) is not { SecretProperties.Count: > 0 } schema) return instance;
        var metadata = (JsonObject)instance.Metadata.DeepClone();
        foreach (var property in schema.SecretProperties)
        {
            if (metadata[property] is not null) metadata[property] = SecretProtector.Placeholder;
        }

        return instance with { Metadata = metadata };
    }

    /// <summary>The stored content with every encrypted value decrypted (any value that is an envelope, whatever the schema says now).</summary>
    private JsonObject Reveal(string name, JsonObject content)
    {
        if (content["metadata"] is not JsonObject metadata || !metadata.Any(p => SecretProtector.IsEnvelope(p.Value))) return content;
        var revealed = (JsonObject)content.DeepClone();
        var revealedMetadata = (JsonObject)revealed["metadata"]!;
        foreach (var (key, value) in metadata)
        {
            if (SecretProtector.IsEnvelope(value)) revealedMetadata[key] = _secrets.Unprotect(value!, name, Space);
        }

        return revealed;
    }

    /// <summary>What is written: the secret properties' values (not null) encrypted.</summary>
    private JsonObject Protect(JsonObject content, MetadataSchema schema)
    {
        if (content["metadata"] is not JsonObject metadata) return content;
        foreach (var property in schema.SecretProperties)
        {
            if (metadata[property] is { } value) metadata[property] = _secrets.Protect(value);
        }

        return content;
    }

    /// <summary>The metadata to save, where a secret given as the placeholder keeps the stored value (a UI sends back what it was shown).</summary>
    private JsonObject KeepSecrets(string name, JsonObject metadata, MetadataSchema schema, StoredInstance? original)
    {
        var result = metadata;
        foreach (var property in schema.SecretProperties)
        {
            if (metadata[property] is not JsonValue v || !v.TryGetValue<string>(out var text) || text != SecretProtector.Placeholder) continue;
            var kept = original?.Content?["metadata"]?[property];
            if (kept is null) throw new InvalidArgumentException(SchemaspaceMessages.SecretPlaceholderWithoutValue(name, property));
            result = ReferenceEquals(result, metadata) ? (JsonObject)metadata.DeepClone() : result;
            result[property] = SecretProtector.IsEnvelope(kept) ? _secrets.Unprotect(kept, name, Space) : kept.DeepClone();
        }

        return result;
    }

    /// <summary>A validator's message with the secret values it quotes replaced by the placeholder (messages reach stderr, REST bodies and logs).</summary>
    private static string WithoutSecrets(string error, JsonObject instance, MetadataSchema schema)
    {
        if (instance["metadata"] is not JsonObject metadata) return error;
        foreach (var property in schema.SecretProperties)
        {
            if (metadata[property] is not { } value) continue;
            error = error.Replace(value.ToJsonString(), SecretProtector.Placeholder, StringComparison.Ordinal);
            if (value is JsonValue v && v.TryGetValue<string>(out var text) && text.Length > 0) error = error.Replace(text, SecretProtector.Placeholder, StringComparison.Ordinal);
        }

        return error;
    }

    /// <summary>The stored content of an invalid instance with its secrets (encrypted or not) replaced by the placeholder.</summary>
    private JsonObject? RedactStored(JsonObject? content, string? schemaName)
    {
        if (content?.DeepClone() is not JsonObject copy || copy["metadata"] is not JsonObject metadata) return content?.DeepClone() as JsonObject;
        var secret = schemaName is not null && Schemaspace.FindSchema(schemaName) is { } schema ? schema.SecretProperties : [];
        foreach (var (key, value) in metadata.ToList())
        {
            if (SecretProtector.IsEnvelope(value) || (secret.Contains(key) && value is not null)) metadata[key] = SecretProtector.Placeholder;
        }

        return copy;
    }

    /// <summary>The top-level field of a stored instance that holds the schema version it was written with.</summary>
    public const string SchemaVersionField = "schema_version";

    private static int StoredVersion(JsonObject content) =>
        content[SchemaVersionField] is JsonValue v && v.TryGetValue<int>(out var version) ? version : 0;

    private MetadataHookContext Context(MetadataSchema schema) => new(Schemaspace, schema) { Manager = this };

    private void RefuseIfDeprecated(string operation)
    {
        if (Schemaspace.Deprecated) throw new FailedPreconditionException(SchemaspaceMessages.SchemaspaceDeprecated(Space, operation));
    }

    private static async Task CompensateAsync(Exception hookError, Func<Task> undo)
    {
        try
        {
            await undo();
        }
#pragma warning disable CA1031 // The hook's error is the one to report; a failed undo is reported with it.
        catch (Exception undoError)
#pragma warning restore CA1031
        {
            throw new InternalException(SchemaspaceMessages.CompensationFailed(hookError.Message, undoError.Message), hookError);
        }
    }

    private string StringField(string name, JsonObject content, string field) => content[field] switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        null => throw new InvalidArgumentException(SchemaspaceMessages.InstanceMissingField(name, Space, field)),
        _ => throw new InvalidArgumentException(SchemaspaceMessages.InstanceFieldNotString(name, field)),
    };

    private static MetadataInstance ToInstance(string name, JsonObject content, string? resource) => new()
    {
        Name = name,
        DisplayName = content["display_name"] is JsonValue d && d.TryGetValue<string>(out var displayName) ? displayName : "",
        SchemaName = content["schema_name"] is JsonValue s && s.TryGetValue<string>(out var schemaName) ? schemaName : "",
        Metadata = content["metadata"] is JsonObject m ? (JsonObject)m.DeepClone() : [],
        Resource = resource,
    };
}
