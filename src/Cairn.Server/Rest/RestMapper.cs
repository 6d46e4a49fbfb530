using System.Text.Json;

namespace Cairn.Server.Rest;

/// <summary>
/// Core records ↔ /api/v1 JSON shapes. Output follows <c>cairn … --json</c> (the CLI builds the same shapes in
/// <c>Cairn.Cli/Output/JsonShapes.cs</c>; enum names come from <see cref="MlmdNames"/> for both). Input errors name the field.
/// </summary>
internal static class RestMapper
{
    // ------------------------------------------------------------------ enums by MLMD name

    /// <summary>Parses an MLMD enum name (case-insensitive); InvalidArgument naming the field and the valid names otherwise.</summary>
    public static T ParseEnum<T>(string text, string field, params T[] except)
        where T : struct, Enum
    {
        var wanted = text.Trim().Replace('-', '_');
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (!except.Contains(candidate) && string.Equals(MlmdNames.Of(candidate), wanted, StringComparison.OrdinalIgnoreCase)) return candidate;
        }

        throw new InvalidArgumentException(RestMessages.UnknownEnumValue(field, text, Names(except)));
    }

    /// <summary>The valid MLMD names of <typeparamref name="T"/>, comma separated.</summary>
    public static string Names<T>(params T[] except)
        where T : struct, Enum => MlmdNames.List(except);

    // ------------------------------------------------------------------ output

    public static RestType ToRest(MetadataType type)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, propertyType) in type.Properties.OrderBy(p => p.Key, StringComparer.Ordinal)) properties[name] = MlmdNames.Of(propertyType);
        return new RestType
        {
            Id = type.Id,
            Name = type.Name,
            Version = string.IsNullOrEmpty(type.Version) ? null : type.Version,
            Description = string.IsNullOrEmpty(type.Description) ? null : type.Description,
            ExternalId = string.IsNullOrEmpty(type.ExternalId) ? null : type.ExternalId,
            BaseType = type switch
            {
                ArtifactType { BaseType: { } b } when b != ArtifactBaseType.Unset => MlmdNames.Of(b),
                ExecutionType { BaseType: { } b } when b != ExecutionBaseType.Unset => MlmdNames.Of(b),
                _ => null,
            },
            Properties = properties,
        };
    }

    public static RestArtifact ToRest(Artifact artifact)
    {
        var json = Fill(new RestArtifact(), artifact);
        json.Uri = artifact.Uri ?? string.Empty;
        json.State = artifact.State is { } state ? MlmdNames.Of(state) : null;
        return json;
    }

    public static RestExecution ToRest(Execution execution)
    {
        var json = Fill(new RestExecution(), execution);
        json.LastKnownState = execution.LastKnownState is { } state ? MlmdNames.Of(state) : null;
        return json;
    }

    public static RestContext ToRest(Context context) => Fill(new RestContext(), context);

    private static T Fill<T>(T json, Node node)
        where T : RestNode
    {
        json.Id = node.Id;
        json.TypeId = node.TypeId;
        json.Type = node.Type;
        json.Name = node.Name;
        json.ExternalId = node.ExternalId;
        json.Properties = ToRest(node.Properties);
        json.CustomProperties = ToRest(node.CustomProperties);
        json.Tags = [.. node.Tags ?? []];
        json.Owners = [.. node.Owners ?? []];
        json.CreateTimeSinceEpoch = node.CreateTimeSinceEpoch;
        json.LastUpdateTimeSinceEpoch = node.LastUpdateTimeSinceEpoch;
        return json;
    }

    private static Dictionary<string, RestValue> ToRest(IReadOnlyDictionary<string, MetadataValue> values)
    {
        var json = new Dictionary<string, RestValue>(values.Count, StringComparer.Ordinal);
        if (values.Count == 0) return json;
        var names = values.Keys.ToArray();
        Array.Sort(names, StringComparer.Ordinal);
        foreach (var name in names) json[name] = ToRest(values[name]);
        return json;
    }

    public static RestValue ToRest(MetadataValue value) => value.Kind switch
    {
        ValueKind.Int => new RestValue { IntValue = value.IntValue },
        ValueKind.Double => new RestValue { DoubleValue = value.DoubleValue },
        ValueKind.String => new RestValue { StringValue = value.StringValue },
        ValueKind.Bool => new RestValue { BoolValue = value.BoolValue },
        ValueKind.Struct => new RestValue { StructValue = ParseStruct(value.StructJson) },
        ValueKind.Proto => new RestValue { ProtoValue = new RestProtoValue { TypeUrl = value.ProtoTypeUrl, Value = value.ProtoBytes.ToArray() } },
        _ => new RestValue(),
    };

    private static JsonElement ParseStruct(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            // A struct the store holds should be valid JSON; show it as text rather than fail the whole answer.
            using var document = JsonDocument.Parse(JsonSerializer.Serialize(json, RestJsonContext.Default.String));
            return document.RootElement.Clone();
        }
    }

    public static RestEvent ToRest(Event e) => new()
    {
        ArtifactId = e.ArtifactId,
        ExecutionId = e.ExecutionId,
        Path = e.Path.Count == 0 ? null : new RestEventPath { Steps = [.. e.Path.Select(s => new RestEventStep { Index = s.Index, Key = s.Key })] },
        Type = e.Type is { } type ? MlmdNames.Of(type) : null,
        MillisecondsSinceEpoch = e.MillisecondsSinceEpoch,
    };

    public static RestLineageGraph ToRest(LineageGraph graph) => new()
    {
        ArtifactTypes = [.. graph.ArtifactTypes.Select(ToRest)],
        ExecutionTypes = [.. graph.ExecutionTypes.Select(ToRest)],
        ContextTypes = [.. graph.ContextTypes.Select(ToRest)],
        Artifacts = [.. graph.Artifacts.Select(ToRest)],
        Executions = [.. graph.Executions.Select(ToRest)],
        Contexts = [.. graph.Contexts.Select(ToRest)],
        Events = [.. graph.Events.Select(ToRest)],
        Attributions = [.. graph.Attributions.Select(a => new RestAttribution { ContextId = a.ContextId, ArtifactId = a.ArtifactId })],
        Associations = [.. graph.Associations.Select(a => new RestAssociation { ContextId = a.ContextId, ExecutionId = a.ExecutionId })],
    };

    public static RestLineage ToRest(LineageResult result) => new()
    {
        Nodes = [.. result.Nodes.Select(n => new RestLineageNode
        {
            Kind = Messages.KindName(n.Node.Kind),
            Depth = n.Depth,
            Artifact = n.Node is Artifact a ? ToRest(a) : null,
            Execution = n.Node is Execution x ? ToRest(x) : null,
        })],
        Events = [.. result.Events.Select(ToRest)],
        Truncated = result.Truncated,
        ContinuationToken = result.ContinuationToken,
    };

    // ------------------------------------------------------------------ input

    public static T FromRest<T>(RestType json, string field)
        where T : MetadataType
    {
        var properties = new Dictionary<string, PropertyType>(StringComparer.Ordinal);
        foreach (var (name, text) in json.Properties ?? [])
        {
            properties[name] = ParseEnum(text ?? string.Empty, $"{field}.properties.{name}", PropertyType.Unknown);
        }

        MetadataType type = typeof(T) == typeof(ArtifactType)
            ? new ArtifactType { BaseType = json.BaseType is { } b ? ParseEnum<ArtifactBaseType>(b, field + ".base_type") : null }
            : typeof(T) == typeof(ExecutionType)
                ? new ExecutionType { BaseType = json.BaseType is { } e ? ParseEnum<ExecutionBaseType>(e, field + ".base_type") : null }
                : new ContextType { BaseType = json.BaseType is { } c ? ParseEnum<ContextBaseType>(c, field + ".base_type") : null };
        return (T)(type with
        {
            Id = json.Id,
            Name = json.Name,
            Version = json.Version,
            Description = json.Description,
            ExternalId = json.ExternalId,
            Properties = properties,
        });
    }

    public static Artifact FromRest(RestArtifact json, string field) => new()
    {
        Id = json.Id,
        TypeId = json.TypeId,
        Name = json.Name,
        ExternalId = json.ExternalId,
        Uri = json.Uri,
        State = json.State is { } s ? ParseEnum<ArtifactState>(s, field + ".state") : null,
        LastUpdateTimeSinceEpoch = json.LastUpdateTimeSinceEpoch,
        Properties = FromRest(json.Properties, field + ".properties"),
        CustomProperties = FromRest(json.CustomProperties, field + ".custom_properties"),
        Tags = json.Tags,
        Owners = json.Owners,
    };

    public static Execution FromRest(RestExecution json, string field) => new()
    {
        Id = json.Id,
        TypeId = json.TypeId,
        Name = json.Name,
        ExternalId = json.ExternalId,
        LastKnownState = json.LastKnownState is { } s ? ParseEnum<ExecutionState>(s, field + ".last_known_state") : null,
        Properties = FromRest(json.Properties, field + ".properties"),
        CustomProperties = FromRest(json.CustomProperties, field + ".custom_properties"),
        Tags = json.Tags,
        Owners = json.Owners,
    };

    public static Context FromRest(RestContext json, string field) => new()
    {
        Id = json.Id,
        TypeId = json.TypeId,
        Name = json.Name,
        ExternalId = json.ExternalId,
        Properties = FromRest(json.Properties, field + ".properties"),
        CustomProperties = FromRest(json.CustomProperties, field + ".custom_properties"),
        Tags = json.Tags,
        Owners = json.Owners,
    };

    private static Dictionary<string, MetadataValue> FromRest(Dictionary<string, RestValue>? json, string field)
    {
        var values = new Dictionary<string, MetadataValue>(StringComparer.Ordinal);
        foreach (var (name, value) in json ?? [])
        {
            values[name] = FromRest(value, field + "." + name);
        }

        return values;
    }

    public static MetadataValue FromRest(RestValue? json, string field)
    {
        if (json is null) throw new InvalidArgumentException(RestMessages.ValueNull(field));
        var set = (json.IntValue is null ? 0 : 1) + (json.DoubleValue is null ? 0 : 1) + (json.StringValue is null ? 0 : 1)
            + (json.BoolValue is null ? 0 : 1) + (json.StructValue is null ? 0 : 1) + (json.ProtoValue is null ? 0 : 1);
        if (set > 1) throw new InvalidArgumentException(RestMessages.ValueSeveralMembers(field));
        if (json.IntValue is { } i) return MetadataValue.Int(i);
        if (json.DoubleValue is { } d) return MetadataValue.Double(d);
        if (json.StringValue is { } s) return MetadataValue.String(s);
        if (json.BoolValue is { } b) return MetadataValue.Bool(b);
        if (json.StructValue is { } structValue)
        {
            if (structValue.ValueKind != JsonValueKind.Object) throw new InvalidArgumentException(RestMessages.StructNotObject(field + ".struct_value"));
            return MetadataValue.Struct(structValue.GetRawText());
        }

        if (json.ProtoValue is { } proto)
        {
            var typeUrl = proto.TypeUrl ?? throw new InvalidArgumentException(RestMessages.FieldRequired(field + ".proto_value.type_url"));
            return MetadataValue.Proto(typeUrl, proto.Value ?? []);
        }

        return MetadataValue.None;
    }

    public static Event FromRest(RestEvent json, string field) => new()
    {
        ArtifactId = json.ArtifactId,
        ExecutionId = json.ExecutionId,
        Type = json.Type is { } t ? ParseEnum<EventType>(t, field + ".type") : null,
        MillisecondsSinceEpoch = json.MillisecondsSinceEpoch,
        Path = [.. (json.Path?.Steps ?? []).Select((s, i) => s switch
        {
            { Index: not null, Key: not null } => throw new InvalidArgumentException(RestMessages.StepBoth($"{field}.path.steps[{i}]")),
            { Index: { } index } => EventStep.ForIndex(index),
            { Key: { } key } => EventStep.ForKey(key),
            _ => EventStep.Empty,
        })],
    };

    public static LineageSubgraphQuery FromRest(RestLineageSubgraphQueryOptions? json)
    {
        if (json is null) throw new InvalidArgumentException(RestMessages.FieldRequired("lineage_subgraph_query_options"));
        if (json.StartingArtifacts is not null && json.StartingExecutions is not null)
            throw new InvalidArgumentException(RestMessages.StartingBoth);
        return new LineageSubgraphQuery
        {
            StartingNodeKind = json.StartingArtifacts is not null ? NodeKind.Artifact : json.StartingExecutions is not null ? NodeKind.Execution : null,
            StartingFilterQuery = (json.StartingArtifacts ?? json.StartingExecutions)?.FilterQuery,
            MaxNumHops = json.MaxNumHops,
            Direction = json.Direction is { } d
                ? ParseEnum<LineageDirection>(d, "lineage_subgraph_query_options.direction")
                : LineageDirection.Unspecified,
            EndingArtifacts = Ending(json.EndingArtifacts, "ending_artifacts"),
            EndingExecutions = Ending(json.EndingExecutions, "ending_executions"),
        };

        static LineageEndingNodes? Ending(RestEndingNodes? ending, string name) => ending is null
            ? null
            : new LineageEndingNodes(
                ending.FilterQuery ?? throw new InvalidArgumentException(RestMessages.FieldRequired($"lineage_subgraph_query_options.{name}.filter_query")),
                ending.IncludeEndingNodes ?? false);
    }
}
