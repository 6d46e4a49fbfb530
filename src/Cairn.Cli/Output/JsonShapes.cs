using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.Cli.Output;

/// <summary>
/// The JSON the CLI prints with <c>--json</c>: MLMD's messages with their proto field names (snake case), enums by
/// name, 64-bit integers as JSON numbers. Unset optional fields are left out; <c>properties</c> and
/// <c>custom_properties</c> are always present. docs/cli.md shows every shape.
/// </summary>
internal static class JsonShapes
{
    public static JsonObject Type(MetadataType type)
    {
        var json = new JsonObject { ["id"] = type.Id };
        json["name"] = type.Name;
        if (!string.IsNullOrEmpty(type.Version)) json["version"] = type.Version;
        if (!string.IsNullOrEmpty(type.Description)) json["description"] = type.Description;
        if (!string.IsNullOrEmpty(type.ExternalId)) json["external_id"] = type.ExternalId;
        if (BaseTypeName(type) is { } baseType) json["base_type"] = baseType;
        var properties = new JsonObject();
        foreach (var (name, propertyType) in type.Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            properties[name] = MlmdNames.Of(propertyType);
        }

        json["properties"] = properties;
        return json;
    }

    public static string? BaseTypeName(MetadataType type) => type switch
    {
        ArtifactType { BaseType: { } b } when b != ArtifactBaseType.Unset => MlmdNames.Of(b),
        ExecutionType { BaseType: { } b } when b != ExecutionBaseType.Unset => MlmdNames.Of(b),
        _ => null,
    };

    public static JsonObject Node(Node node)
    {
        var json = new JsonObject
        {
            ["id"] = node.Id,
            ["type_id"] = node.TypeId,
            ["type"] = node.Type,
        };
        if (node.Name is not null) json["name"] = node.Name;
        if (node.ExternalId is not null) json["external_id"] = node.ExternalId;
        switch (node)
        {
            case Artifact artifact:
                json["uri"] = artifact.Uri ?? string.Empty;
                if (artifact.State is { } state) json["state"] = MlmdNames.Of(state);
                break;
            case Execution execution:
                if (execution.LastKnownState is { } lastKnownState) json["last_known_state"] = MlmdNames.Of(lastKnownState);
                break;
        }

        json["properties"] = Values(node.Properties);
        json["custom_properties"] = Values(node.CustomProperties);
        json["tags"] = Strings(node.Tags);
        json["owners"] = Strings(node.Owners);
        json["create_time_since_epoch"] = node.CreateTimeSinceEpoch;
        json["last_update_time_since_epoch"] = node.LastUpdateTimeSinceEpoch;
        return json;
    }

    private static JsonArray Strings(IReadOnlyList<string>? values) => new([.. (values ?? []).Select(v => (JsonNode)JsonValue.Create(v))]);

    public static JsonArray Nodes(IEnumerable<Node> nodes) => new([.. nodes.Select(n => (JsonNode)Node(n))]);

    public static JsonObject Event(Event e)
    {
        var json = new JsonObject
        {
            ["artifact_id"] = e.ArtifactId,
            ["execution_id"] = e.ExecutionId,
        };
        if (e.Path.Count > 0)
        {
            var steps = new JsonArray();
            foreach (var step in e.Path)
            {
                var stepJson = new JsonObject();
                if (step.Index is { } index) stepJson["index"] = index;
                else if (step.Key is { } key) stepJson["key"] = key;
                steps.Add(stepJson);
            }

            json["path"] = new JsonObject { ["steps"] = steps };
        }

        if (e.Type is { } type) json["type"] = MlmdNames.Of(type);
        json["milliseconds_since_epoch"] = e.MillisecondsSinceEpoch;
        return json;
    }

    public static JsonArray Events(IEnumerable<Event> events) => new([.. events.Select(e => (JsonNode)Event(e))]);

    public static JsonArray Ids(IEnumerable<long> ids) => new([.. ids.Select(id => (JsonNode)JsonValue.Create(id))]);

    public static JsonObject Values(IReadOnlyDictionary<string, MetadataValue> values)
    {
        var json = new JsonObject();
        foreach (var (name, value) in values.OrderBy(p => p.Key, StringComparer.Ordinal)) json[name] = Value(value);
        return json;
    }

    public static JsonObject Value(MetadataValue value) => value.Kind switch
    {
        ValueKind.Int => new JsonObject { ["int_value"] = value.IntValue },
        ValueKind.Double => new JsonObject { ["double_value"] = value.DoubleValue },
        ValueKind.String => new JsonObject { ["string_value"] = value.StringValue },
        ValueKind.Bool => new JsonObject { ["bool_value"] = value.BoolValue },
        ValueKind.Struct => new JsonObject { ["struct_value"] = ParseStruct(value.StructJson) },
        ValueKind.Proto => new JsonObject
        {
            ["proto_value"] = new JsonObject
            {
                ["type_url"] = value.ProtoTypeUrl,
                ["value"] = Convert.ToBase64String(value.ProtoBytes.Span),
            },
        },
        _ => new JsonObject(),
    };

    private static JsonNode? ParseStruct(string json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            // A struct the store holds should be valid JSON; show it as text rather than fail the whole listing.
            return JsonValue.Create(json);
        }
    }
}
