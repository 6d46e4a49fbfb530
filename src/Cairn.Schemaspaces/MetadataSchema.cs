using System.Text.Json.Nodes;

namespace Cairn.Schemaspaces;

/// <summary>One schema of a schemaspace: a draft-07 JSON Schema for instances, accepted by the meta-schema.</summary>
public sealed class MetadataSchema
{
    private readonly JsonObject _json;
    private readonly SchemaValidator _validator;

    internal MetadataSchema(JsonObject json, SchemaValidator validator, string schemaspaceName, Guid schemaspaceId, string? source, ISchemasProvider? provider = null)
    {
        Provider = provider;
        _json = json;
        _validator = validator;
        Name = (string)json["name"]!;
        SchemaspaceName = schemaspaceName;
        SchemaspaceId = schemaspaceId;
        Source = source;
        Title = json["title"] is JsonValue title && title.TryGetValue<string>(out var t) ? t : Name;
        Description = json["description"] is JsonValue d && d.TryGetValue<string>(out var text) ? text : "";
        Deprecated = json["deprecated"] is JsonValue dep && dep.TryGetValue<bool>(out var b) && b;
        Properties = ReadProperties(json);
        SecretProperties = [.. Properties.Where(p => p.Secret).Select(p => p.Name)];
        _migrations = json["migrations"] is JsonArray m
            ? [.. m.OfType<JsonObject>().Select(o => ((int)o["version"]!, o["steps"] as JsonArray ?? [])).OrderBy(x => x.Item1)]
            : [];
        Version = _migrations.Count == 0 ? 0 : _migrations[^1].Version;
    }

    private readonly List<(int Version, JsonArray Steps)> _migrations;

    /// <summary>The provider the schema came from, whose <see cref="ISchemasProvider.MigrateAsync"/> migrates its instances.</summary>
    public ISchemasProvider? Provider { get; }

    /// <summary>
    /// The schema's version: the highest version of its <c>migrations</c> (0 without). Instances are stored with it as
    /// <c>schema_version</c>; one stored with a lower version (or none) is migrated.
    /// </summary>
    public int Version { get; }

    /// <summary>The schema's name, which instances give as <c>schema_name</c>.</summary>
    public string Name { get; }

    /// <summary>The title for people (the name when the schema has none).</summary>
    public string Title { get; }

    /// <summary>The schema's description.</summary>
    public string Description { get; }

    /// <summary>The name of the schemaspace the schema belongs to.</summary>
    public string SchemaspaceName { get; }

    /// <summary>The id of the schemaspace the schema belongs to.</summary>
    public Guid SchemaspaceId { get; }

    /// <summary>A deprecated schema is left out of listings of schemas but can still be fetched by name.</summary>
    public bool Deprecated { get; }

    /// <summary>Where the schema came from (a file path), if anywhere.</summary>
    public string? Source { get; }

    /// <summary>The top-level properties of the instances' <c>metadata</c>, in the schema's order (one CLI flag each).</summary>
    public IReadOnlyList<MetadataProperty> Properties { get; }

    /// <summary>The top-level <c>metadata</c> properties marked <c>"secret": true</c>: encrypted at rest, redacted when shown.</summary>
    public IReadOnlyList<string> SecretProperties { get; }

    /// <summary>A copy of the schema's JSON.</summary>
    public JsonObject ToJson() => (JsonObject)_json.DeepClone();

    /// <summary>
    /// Fills in what the schema gives defaults for (Elyra's <c>_apply_defaults</c>): each missing key of
    /// <c>metadata</c> whose property has a <c>default</c> (a key present with null is kept), and each top-level
    /// property with a <c>const</c>.
    /// </summary>
    internal void ApplyDefaults(JsonObject instance)
    {
        if (_json["properties"] is not JsonObject top) return;
        foreach (var (key, property) in top)
        {
            if (property is JsonObject p && p["const"] is { } constant && key is "display_name" or "schema_name") instance[key] = constant.DeepClone();
        }

        if (top["metadata"] is not JsonObject metadataSchema || metadataSchema["properties"] is not JsonObject properties) return;
        if (instance["metadata"] is not JsonObject metadata) return;
        foreach (var (key, property) in properties)
        {
            if (property is JsonObject p && p.ContainsKey("default") && !metadata.ContainsKey(key)) metadata[key] = p["default"]?.DeepClone();
        }
    }

    /// <summary>
    /// Applies to <paramref name="metadata"/> the steps of every migration above <paramref name="fromVersion"/>, in
    /// order: <c>rename</c> (from, to: moves a present property whose target is absent), <c>set_default</c> (property,
    /// value: sets a missing property), <c>set</c> (property, value) and <c>remove</c> (property).
    /// </summary>
    /// <returns>Whether any step changed something.</returns>
    internal bool ApplyMigrations(JsonObject metadata, int fromVersion)
    {
        var changed = false;
        foreach (var (version, steps) in _migrations)
        {
            if (version <= fromVersion) continue;
            foreach (var step in steps.OfType<JsonObject>())
            {
                var op = (string?)step["op"];
                var property = (string?)step["property"];
                switch (op)
                {
                    case "rename" when step["from"]?.ToString() is { } from && step["to"]?.ToString() is { } to && metadata.ContainsKey(from) && !metadata.ContainsKey(to):
                        var value = metadata[from];
                        metadata.Remove(from);
                        metadata[to] = value;
                        changed = true;
                        break;
                    case "set_default" when property is not null && !metadata.ContainsKey(property):
                    case "set" when property is not null:
                        metadata[property!] = step["value"]?.DeepClone();
                        changed = true;
                        break;
                    case "remove" when property is not null && metadata.ContainsKey(property):
                        metadata.Remove(property);
                        changed = true;
                        break;
                }
            }
        }

        return changed;
    }

    /// <summary>The first error of validating <paramref name="instance"/> against the schema, or null when it is valid.</summary>
    internal string? Validate(JsonObject instance) => _validator.Validate(instance);

    private static List<MetadataProperty> ReadProperties(JsonObject json)
    {
        var result = new List<MetadataProperty>();
        if (json["properties"] is not JsonObject top || top["metadata"] is not JsonObject metadata || metadata["properties"] is not JsonObject properties) return result;
        var required = metadata["required"] is JsonArray r ? r.Select(n => n?.GetValue<string>()).ToHashSet(StringComparer.Ordinal) : [];
        foreach (var (name, node) in properties)
        {
            if (node is not JsonObject property) continue;
            var type = property["type"] switch
            {
                JsonValue v when v.TryGetValue<string>(out var s) => s,
                JsonArray a => string.Join('|', a.Select(t => t?.ToString())),
                _ => null,
            };
            var complex = property.ContainsKey("$ref") || property.ContainsKey("$defs") || property.ContainsKey("$anchor")
                || property.ContainsKey("oneOf") || property.ContainsKey("anyOf") || property.ContainsKey("allOf");
            var description = property["description"] is JsonValue d && d.TryGetValue<string>(out var text) ? text : property["title"]?.ToString() ?? "";
            var secret = property["secret"] is JsonValue sv && sv.TryGetValue<bool>(out var isSecret) && isSecret;
            result.Add(new MetadataProperty(name, type, required.Contains(name), complex, description, property.ContainsKey("default"), secret));
        }

        return result;
    }
}

/// <summary>A top-level property of an instance's <c>metadata</c>, as its schema declares it.</summary>
/// <param name="Name">The property name (the CLI flag is <c>--Name</c>).</param>
/// <param name="Type">The JSON Schema type (<c>string</c>, <c>integer</c>, …; several joined by '|'), or null when untyped.</param>
/// <param name="Required">Whether the schema lists it in <c>metadata.required</c>.</param>
/// <param name="Complex">Whether it uses <c>$ref</c>, <c>oneOf</c>, <c>anyOf</c> or <c>allOf</c> (better given with --json or --file).</param>
/// <param name="Description">The property's description or title.</param>
/// <param name="HasDefault">Whether the schema gives it a default.</param>
/// <param name="Secret">Whether the schema marks it <c>"secret": true</c> (encrypted at rest, redacted when shown).</param>
public sealed record MetadataProperty(string Name, string? Type, bool Required, bool Complex, string Description, bool HasDefault, bool Secret = false);
