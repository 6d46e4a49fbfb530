using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Cairn.Schemaspaces;

/// <summary>
/// A compiled draft-07 JSON Schema (JsonSchema.Net, which evaluates every draft-07 keyword: <c>const</c>,
/// <c>contains</c>, <c>propertyNames</c>, <c>if</c>/<c>then</c>/<c>else</c>, <c>dependencies</c>, formats) that
/// reports the first error in one line naming the field, in the words of Elyra's validator.
/// </summary>
internal sealed class SchemaValidator
{
    private static readonly EvaluationOptions Options = new()
    {
        OutputFormat = OutputFormat.Hierarchical,
        RequireFormatValidation = true,
        Culture = CultureInfo.InvariantCulture,
    };

    private readonly JsonSchema _schema;
    private readonly JsonObject _root;

    private SchemaValidator(JsonSchema schema, JsonObject root)
    {
        _schema = schema;
        _root = root;
    }

    /// <summary>Compiles <paramref name="schema"/> (draft-07 unless its <c>$schema</c> says otherwise).</summary>
    /// <exception cref="JsonSchemaException">It is not a valid JSON Schema.</exception>
    /// <exception cref="JsonException">It is not a valid JSON Schema.</exception>
    public static SchemaValidator Build(JsonObject schema)
    {
        // A registry per schema: schemas of different files may share an $id, and a reload must not collide with itself.
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry(), Dialect = Dialect.Draft07 };
        var root = (JsonObject)schema.DeepClone();
        return new SchemaValidator(JsonSchema.Build(JsonSerializer.SerializeToElement(root), options), root);
    }

    /// <summary>The first error of validating <paramref name="instance"/>, or null when it is valid.</summary>
    public string? Validate(JsonNode? instance)
    {
        var results = _schema.Evaluate(JsonSerializer.SerializeToElement(instance), Options);
        return results.IsValid ? null : FirstError(results, instance) ?? SchemaspaceMessages.ValidationGeneric(FieldPath(instance, ""), "is not valid");
    }

    private string? FirstError(EvaluationResults node, JsonNode? instance)
    {
        if (node.IsValid) return null;
        var location = node.InstanceLocation.ToString();
        var evaluation = node.EvaluationPath.ToString();
        var lastSegment = LastSegment(evaluation);
        if (lastSegment == "additionalProperties") return SchemaspaceMessages.ValidationNotAllowed(FieldPath(instance, location));
        if (node.Errors is { Count: > 0 } errors)
        {
            var (keyword, message) = errors.First();
            if (lastSegment == "propertyNames")
            {
                var parent = location[..Math.Max(0, location.LastIndexOf('/'))];
                return SchemaspaceMessages.ValidationPropertyName(FieldPath(instance, parent), Unescape(LastSegment(location)), message);
            }

            return Describe(keyword, message, SchemaAt(evaluation), instance, location);
        }

        foreach (var child in node.Details ?? [])
        {
            if (child.IsValid) continue;
            var childSegment = LastSegment(child.EvaluationPath.ToString());

            // A failing `if` only picks `else`; the failing `contains` items only matter as a whole.
            if (childSegment == "if") continue;
            if (childSegment == "contains") return SchemaspaceMessages.ValidationContains(FieldPath(instance, location));
            if (FirstError(child, instance) is { } error) return error;
        }

        return null;
    }

    private static string Describe(string keyword, string message, JsonObject? schema, JsonNode? instance, string location)
    {
        var path = FieldPath(instance, location);
        var value = At(instance, location);
        JsonNode? given = null;
        var hasKeyword = schema is not null && schema.TryGetPropertyValue(keyword, out given);
        switch (keyword)
        {
            case "required" when given is JsonArray required && value is JsonObject obj:
                var missing = required.Select(r => r?.ToString()).FirstOrDefault(r => r is not null && !obj.ContainsKey(r));
                if (missing is not null) return SchemaspaceMessages.ValidationRequired(location.Length == 0 ? missing : path + "." + missing);
                break;
            case "const" when hasKeyword:
                return SchemaspaceMessages.ValidationConst(path, given?.ToJsonString() ?? "null");
            case "pattern" when given is JsonValue:
                return SchemaspaceMessages.ValidationPattern(path, given.ToString());
            case "enum" when given is JsonArray:
                return SchemaspaceMessages.ValidationEnum(path, Show(value), given.ToJsonString());
            case "type" when given is not null:
                return SchemaspaceMessages.ValidationType(path, Show(value), given is JsonArray ? given.ToJsonString() : "'" + given + "'");
            case "format" when given is JsonValue:
                return SchemaspaceMessages.ValidationFormat(path, Show(value), given.ToString());
            case "minLength":
                return SchemaspaceMessages.ValidationTooShort(path, Show(value));
            case "maxLength":
                return SchemaspaceMessages.ValidationTooLong(path, Show(value));
            case "uniqueItems":
                return SchemaspaceMessages.ValidationNotUnique(path, Show(value));
        }

        return SchemaspaceMessages.ValidationGeneric(path, message);
    }

    /// <summary>The schema object an evaluation path leads to, following local <c>$ref</c>s; null when it cannot be followed.</summary>
    private JsonObject? SchemaAt(string evaluationPath)
    {
        JsonNode? current = _root;
        foreach (var segment in Segments(evaluationPath))
        {
            if (segment == "$ref" && current?["$ref"] is JsonValue reference && reference.ToString() is { } target && target.StartsWith('#'))
            {
                current = _root;
                foreach (var part in Segments(Uri.UnescapeDataString(target[1..]))) current = Step(current, part);
                continue;
            }

            current = Step(current, segment);
        }

        return current as JsonObject;
    }

    private static JsonNode? At(JsonNode? instance, string location)
    {
        var current = instance;
        foreach (var segment in Segments(location)) current = Step(current, segment);
        return current;
    }

    private static JsonNode? Step(JsonNode? node, string segment) => node switch
    {
        JsonObject o => o.TryGetPropertyValue(segment, out var value) ? value : null,
        JsonArray a when int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
        _ => null,
    };

    /// <summary>An instance location as a field path: <c>metadata.tags[1]</c>, or "(the instance)" for the root.</summary>
    private static string FieldPath(JsonNode? instance, string location)
    {
        var text = new StringBuilder();
        var current = instance;
        foreach (var segment in Segments(location))
        {
            if (current is JsonArray) text.Append('[').Append(segment).Append(']');
            else text.Append(text.Length == 0 ? "" : ".").Append(segment);
            current = Step(current, segment);
        }

        return text.Length == 0 ? "(the instance)" : text.ToString();
    }

    private static IEnumerable<string> Segments(string pointer) =>
        pointer.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Unescape);

    private static string Unescape(string segment) => segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);

    private static string LastSegment(string pointer) => pointer.Length == 0 ? "" : pointer[(pointer.LastIndexOf('/') + 1)..];

    private static string Show(JsonNode? value)
    {
        var text = value?.ToJsonString() ?? "null";
        return text.Length <= 200 ? text : text[..197] + "...";
    }
}
