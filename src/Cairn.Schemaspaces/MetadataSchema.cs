using System.Text.Json.Nodes;
using NJsonSchema;
using NJsonSchema.Validation;

namespace Cairn.Schemaspaces;

/// <summary>One schema of a schemaspace: a draft-07 JSON Schema for instances, accepted by the meta-schema.</summary>
public sealed class MetadataSchema
{
    private readonly JsonObject _json;
    private readonly JsonSchema _validator;

    internal MetadataSchema(JsonObject json, JsonSchema validator, string schemaspaceName, Guid schemaspaceId, string? source)
    {
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
    }

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

    /// <summary>The first error of validating <paramref name="instance"/> against the schema, or null when it is valid.</summary>
    internal string? Validate(JsonObject instance)
    {
        var errors = _validator.Validate(instance.ToJsonString());
        if (errors.Count > 0) return ValidationErrors.Describe(errors);

        // NJsonSchema does not evaluate draft-06's `const`, which Elyra's schemas use (schema_name); check it here.
        return ValidationErrors.CheckConst(_json, instance, "");
    }

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
            result.Add(new MetadataProperty(name, type, required.Contains(name), complex, description, property.ContainsKey("default")));
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
public sealed record MetadataProperty(string Name, string? Type, bool Required, bool Complex, string Description, bool HasDefault);

/// <summary>Turns the validator's errors into the one line Elyra keeps (the first error).</summary>
internal static class ValidationErrors
{
    public static string Describe(ICollection<ValidationError> errors)
    {
        var first = errors.First();
        while (first is ChildSchemaValidationError child && child.Errors.Values.SelectMany(e => e).FirstOrDefault() is { } inner) first = inner;
        return Describe(first);
    }

    /// <summary>The first <c>const</c> violation along <c>properties</c> and <c>items</c>, or null.</summary>
    public static string? CheckConst(JsonObject schema, JsonNode? instance, string path)
    {
        if (schema.TryGetPropertyValue("const", out var constant) && !JsonNode.DeepEquals(constant, instance))
        {
            return SchemaspaceMessages.ValidationConst(path.Length == 0 ? "(the instance)" : path, constant?.ToJsonString() ?? "null");
        }

        if (schema["properties"] is JsonObject properties && instance is JsonObject obj)
        {
            foreach (var (key, sub) in properties)
            {
                if (sub is JsonObject subSchema && obj.TryGetPropertyValue(key, out var value)
                    && CheckConst(subSchema, value, path.Length == 0 ? key : path + "." + key) is { } error)
                {
                    return error;
                }
            }
        }

        if (schema["items"] is JsonObject items && instance is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                if (CheckConst(items, array[i], path + "[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]") is { } error) return error;
            }
        }

        return null;
    }

    private static string Describe(ValidationError error)
    {
        var path = PathOf(error);
        return error.Kind switch
        {
            ValidationErrorKind.PropertyRequired => SchemaspaceMessages.ValidationRequired(path),
            ValidationErrorKind.NoAdditionalPropertiesAllowed => SchemaspaceMessages.ValidationNotAllowed(path),
            ValidationErrorKind.PatternMismatch => SchemaspaceMessages.ValidationPattern(path, error.Schema?.Pattern),
            _ => SchemaspaceMessages.ValidationGeneric(path, Words(error.Kind.ToString())),
        };
    }

    private static string PathOf(ValidationError error)
    {
        var path = error.Path ?? "#";
        if (path.StartsWith("#/", StringComparison.Ordinal)) path = path[2..];
        else if (path == "#") path = "";
        if (error.Kind is ValidationErrorKind.PropertyRequired or ValidationErrorKind.NoAdditionalPropertiesAllowed
            && error.Property is { } property && !path.EndsWith(property, StringComparison.Ordinal))
        {
            path = path.Length == 0 ? property : path + "." + property;
        }

        return path.Length == 0 ? "(the instance)" : path;
    }

    private static string Words(string kind)
    {
        var text = new System.Text.StringBuilder();
        foreach (var c in kind)
        {
            if (char.IsUpper(c) && text.Length > 0) text.Append(' ');
            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }
}
