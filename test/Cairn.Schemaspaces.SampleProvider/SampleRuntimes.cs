using System.Text.Json.Nodes;

namespace Cairn.Schemaspaces.SampleProvider;

/// <summary>
/// The schemaspace <c>sample-runtimes</c> with one schema, <c>sample-runtime</c>, whose hooks normalise the endpoint
/// before a save, refuse a post-save marker (to show the compensating transaction) and whose migration is code.
/// </summary>
public sealed class SampleRuntimes : ISchemasProvider, IMetadataHooksProvider
{
    /// <summary>The schemaspace's id.</summary>
    public const string SchemaspaceId = "5b0c6f0e-8a4e-4b8f-9a51-3f1f2f6a7c11";

    /// <inheritdoc/>
    public Task<ProvidedSchemas> GetSchemasAsync(CancellationToken cancellationToken = default)
    {
        var schema = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-07/schema#",
            ["$id"] = "https://example.org/schemas/sample-runtime.json",
            ["title"] = "Sample runtime",
            ["name"] = "sample-runtime",
            ["schemaspace"] = "sample-runtimes",
            ["schemaspace_id"] = SchemaspaceId,
            ["display_name"] = "Sample runtime",
            ["properties"] = new JsonObject
            {
                ["schema_name"] = new JsonObject { ["type"] = "string", ["minLength"] = 1 },
                ["display_name"] = new JsonObject { ["type"] = "string" },
                ["metadata"] = new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject
                    {
                        ["endpoint"] = new JsonObject { ["type"] = "string", ["format"] = "uri" },
                        ["refuse_after_save"] = new JsonObject { ["type"] = "boolean" },
                        ["migrated_by"] = new JsonObject { ["type"] = "string" },
                    },
                    ["required"] = new JsonArray("endpoint"),
                },
            },
            ["required"] = new JsonArray("schema_name", "display_name", "metadata"),
        };
        var space = new JsonObject
        {
            ["id"] = SchemaspaceId,
            ["name"] = "sample-runtimes",
            ["display_name"] = "Sample runtimes",
            ["description"] = "Runtimes defined by a .NET schema provider.",
        };
        return Task.FromResult(new ProvidedSchemas([new SchemaDocument("sample", space)], [new SchemaDocument("sample", schema)]));
    }

    /// <inheritdoc/>
    public IMetadataHooks? HooksFor(MetadataSchema schema) => schema.Name == "sample-runtime" ? new RuntimeHooks() : null;

    /// <summary>The coded migration: every stored instance is marked as migrated by this provider.</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(MetadataManager manager, MetadataSchema schema, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manager);
        var migrated = new List<string>();
        foreach (var instance in (await manager.ListAsync(schema.Name, cancellationToken)).Instances)
        {
            var metadata = (JsonObject)instance.Metadata.DeepClone();
            if (metadata["migrated_by"] is not null) continue;
            metadata["migrated_by"] = "sample-provider";
            await manager.UpdateAsync(instance.Name, MetadataInput.FromJson(instance.ToJson()) with { Metadata = metadata }, forMigration: true, cancellationToken);
            migrated.Add(instance.Name);
        }

        return migrated;
    }

    private sealed class RuntimeHooks : IMetadataHooks
    {
        public ValueTask<MetadataInstance> PreSaveAsync(MetadataHookContext context, MetadataInstance instance, bool forUpdate, CancellationToken cancellationToken)
        {
            var metadata = (JsonObject)instance.Metadata.DeepClone();
            if (metadata["endpoint"]?.GetValue<string>() is { } endpoint) metadata["endpoint"] = endpoint.TrimEnd('/');
            return ValueTask.FromResult(instance with { Metadata = metadata });
        }

        public ValueTask PostSaveAsync(MetadataHookContext context, MetadataInstance instance, bool forUpdate, CancellationToken cancellationToken) =>
            instance.Metadata["refuse_after_save"]?.GetValue<bool>() == true
                ? throw new FailedPreconditionException("The sample provider refuses this runtime after saving it.")
                : ValueTask.CompletedTask;
    }
}
