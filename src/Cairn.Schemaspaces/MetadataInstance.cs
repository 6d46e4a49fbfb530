using System.Text.Json.Nodes;

namespace Cairn.Schemaspaces;

/// <summary>A valid metadata instance: <c>{name, display_name, schema_name, metadata}</c>, validated against its schema.</summary>
public sealed record MetadataInstance
{
    /// <summary>The instance's name, unique in its schemaspace (with the file layout, the file's stem).</summary>
    public required string Name { get; init; }

    /// <summary>The name for people.</summary>
    public required string DisplayName { get; init; }

    /// <summary>The schema the instance conforms to.</summary>
    public required string SchemaName { get; init; }

    /// <summary>The instance's properties, as its schema's <c>metadata</c> property describes them.</summary>
    public JsonObject Metadata { get; init; } = [];

    /// <summary>Where the instance is stored (a file path with the file layout), when it was read from a store.</summary>
    public string? Resource { get; init; }

    /// <summary>The REST form, <c>{name, display_name, metadata, schema_name}</c>; with <paramref name="includeResource"/>, also <c>resource</c> (Elyra's export form).</summary>
    public JsonObject ToJson(bool includeResource = false)
    {
        var json = new JsonObject
        {
            ["name"] = Name,
            ["display_name"] = DisplayName,
            ["metadata"] = Metadata.DeepClone(),
            ["schema_name"] = SchemaName,
        };
        if (includeResource && Resource is not null) json["resource"] = Resource;
        return json;
    }

    /// <summary>What a store writes: <c>{display_name, schema_name, metadata}</c>, without name, resource and reason (Elyra's <c>prepare_write</c>).</summary>
    internal JsonObject ToStoredJson() => new()
    {
        ["display_name"] = DisplayName,
        ["schema_name"] = SchemaName,
        ["metadata"] = Metadata.DeepClone(),
    };
}

/// <summary>A stored instance that failed to load or validate, listed with its reason rather than dropped.</summary>
/// <param name="Name">The instance's name.</param>
/// <param name="SchemaName">Its <c>schema_name</c>, or <c>{unknown}</c> when it has none.</param>
/// <param name="Resource">Where it is stored.</param>
/// <param name="Reason">Why it is invalid: the parse error or the validator's message.</param>
/// <param name="Content">Its stored JSON, when it could be parsed.</param>
public sealed record InvalidInstance(string Name, string SchemaName, string? Resource, string Reason, JsonObject? Content);

/// <summary>A schemaspace's instances: the valid ones and, never silently dropped, the invalid ones with their reasons.</summary>
public sealed record MetadataListing(IReadOnlyList<MetadataInstance> Instances, IReadOnlyList<InvalidInstance> Invalid);

/// <summary>
/// An instance as a caller gives it (a REST body, a CLI's flags, a file to import): any field may be missing, and
/// the manager says which one is.
/// </summary>
public sealed record MetadataInput
{
    /// <summary>The name; on create, derived from <see cref="DisplayName"/> when missing.</summary>
    public string? Name { get; init; }

    /// <summary>The display name.</summary>
    public string? DisplayName { get; init; }

    /// <summary>The schema the instance conforms to.</summary>
    public string? SchemaName { get; init; }

    /// <summary>The instance's properties.</summary>
    public JsonObject? Metadata { get; init; }

    /// <summary>Reads <c>{name?, display_name, schema_name, metadata}</c>; other top-level keys (resource, reason) are ignored.</summary>
    /// <exception cref="InvalidArgumentException">A field has the wrong JSON type.</exception>
    public static MetadataInput FromJson(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var name = StringField(json, "name", null);
        return new MetadataInput
        {
            Name = name,
            DisplayName = StringField(json, "display_name", name),
            SchemaName = StringField(json, "schema_name", name),
            Metadata = json["metadata"] switch
            {
                null => null,
                JsonObject m => (JsonObject)m.DeepClone(),
                _ => throw new InvalidArgumentException(SchemaspaceMessages.InstanceMetadataNotObject(name ?? "")),
            },
        };
    }

    private static string? StringField(JsonObject json, string field, string? name) => json[field] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => throw new InvalidArgumentException(SchemaspaceMessages.InstanceFieldNotString(name ?? "", field)),
    };
}
