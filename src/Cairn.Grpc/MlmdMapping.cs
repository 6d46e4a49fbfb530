using Google.Protobuf;
using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using M = Cairn.Grpc.Mlmd;

namespace Cairn.Grpc;

/// <summary>
/// Converts between MLMD's proto2 messages and Cairn's core records, both ways. Field presence carries meaning
/// (an artifact with <c>id</c> set is an update, an absent <c>state</c> is NULL), so every optional scalar is read
/// through its <c>Has…</c> property and written only when the core value is not null.
/// </summary>
public static class MlmdMapping
{
    // ------------------------------------------------------------------ values

    /// <summary>A proto <c>Value</c> as a core value; a struct becomes its JSON text, an <c>Any</c> its type URL and bytes.</summary>
    public static MetadataValue ToCore(M.Value value, string propertyName = "")
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.ValueCase switch
        {
            M.Value.ValueOneofCase.IntValue => MetadataValue.Int(value.IntValue),
            M.Value.ValueOneofCase.DoubleValue => MetadataValue.Double(value.DoubleValue),
            M.Value.ValueOneofCase.StringValue => MetadataValue.String(value.StringValue),
            M.Value.ValueOneofCase.BoolValue => MetadataValue.Bool(value.BoolValue),
            M.Value.ValueOneofCase.StructValue => MetadataValue.Struct(FormatStruct(value.StructValue, propertyName)),
            M.Value.ValueOneofCase.ProtoValue => MetadataValue.Proto(value.ProtoValue.TypeUrl, value.ProtoValue.Value.Span),
            _ => MetadataValue.None,
        };
    }

    /// <summary>A core value as a proto <c>Value</c>; struct JSON that is not a JSON object is refused as InvalidArgument.</summary>
    public static M.Value ToProto(MetadataValue value, string propertyName)
    {
        ArgumentNullException.ThrowIfNull(value);
        var proto = new M.Value();
        switch (value.Kind)
        {
            case ValueKind.Int: proto.IntValue = value.IntValue; break;
            case ValueKind.Double: proto.DoubleValue = value.DoubleValue; break;
            case ValueKind.String: proto.StringValue = value.StringValue; break;
            case ValueKind.Bool: proto.BoolValue = value.BoolValue; break;
            case ValueKind.Struct: proto.StructValue = ParseStruct(value.StructJson, propertyName); break;
            case ValueKind.Proto: proto.ProtoValue = new Any { TypeUrl = value.ProtoTypeUrl, Value = ByteString.CopyFrom(value.ProtoBytes.Span) }; break;
            default: break;
        }

        return proto;
    }

    // A struct with a Value whose kind is unset has no JSON form: that is the client's mistake, not the server's.
    private static string FormatStruct(Struct value, string propertyName)
    {
        try
        {
            return JsonFormatter.Default.Format(value);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidArgumentException(GrpcMessages.StructNotJsonObject(propertyName, e.Message), e);
        }
    }

    private static Struct ParseStruct(string json, string propertyName)
    {
        try
        {
            return JsonParser.Default.Parse<Struct>(json);
        }
        catch (Exception e) when (e is InvalidJsonException or InvalidProtocolBufferException or FormatException)
        {
            throw new InvalidArgumentException(GrpcMessages.StructNotJsonObject(propertyName, e.Message), e);
        }
    }

    private static Dictionary<string, MetadataValue> ToCore(MapField<string, M.Value> map)
    {
        var result = new Dictionary<string, MetadataValue>(map.Count, StringComparer.Ordinal);
        foreach (var (key, value) in map) result[key] = ToCore(value, key);
        return result;
    }

    private static void CopyTo(IReadOnlyDictionary<string, MetadataValue>? values, MapField<string, M.Value> map)
    {
        if (values is null) return;
        foreach (var (key, value) in values) map[key] = ToProto(value, key);
    }

    // ------------------------------------------------------------------ nodes

    /// <summary>A proto artifact as a core artifact.</summary>
    public static Artifact ToCore(M.Artifact artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        return new Artifact
        {
            Id = artifact.HasId ? artifact.Id : null,
            TypeId = artifact.HasTypeId ? artifact.TypeId : null,
            Type = artifact.HasType ? artifact.Type : null,
            Name = artifact.HasName ? artifact.Name : null,
            ExternalId = artifact.HasExternalId ? artifact.ExternalId : null,
            Uri = artifact.HasUri ? artifact.Uri : null,
            State = artifact.HasState ? (ArtifactState)(int)artifact.State : null,
            Properties = ToCore(artifact.Properties),
            CustomProperties = ToCore(artifact.CustomProperties),
            CreateTimeSinceEpoch = artifact.HasCreateTimeSinceEpoch ? artifact.CreateTimeSinceEpoch : null,
            LastUpdateTimeSinceEpoch = artifact.HasLastUpdateTimeSinceEpoch ? artifact.LastUpdateTimeSinceEpoch : null,
        };
    }

    /// <summary>A core artifact as a proto artifact.</summary>
    public static M.Artifact ToProto(Artifact artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        var proto = new M.Artifact();
        if (artifact.Id is { } id) proto.Id = id;
        if (artifact.TypeId is { } typeId) proto.TypeId = typeId;
        if (artifact.Type is { } type) proto.Type = type;
        if (artifact.Name is { } name) proto.Name = name;
        if (artifact.ExternalId is { } externalId) proto.ExternalId = externalId;
        if (artifact.Uri is { } uri) proto.Uri = uri;
        if (artifact.State is { } state) proto.State = (M.Artifact.Types.State)(int)state;
        CopyTo(artifact.Properties, proto.Properties);
        CopyTo(artifact.CustomProperties, proto.CustomProperties);
        if (artifact.CreateTimeSinceEpoch is { } created) proto.CreateTimeSinceEpoch = created;
        if (artifact.LastUpdateTimeSinceEpoch is { } updated) proto.LastUpdateTimeSinceEpoch = updated;
        return proto;
    }

    /// <summary>A proto execution as a core execution.</summary>
    public static Execution ToCore(M.Execution execution)
    {
        ArgumentNullException.ThrowIfNull(execution);
        return new Execution
        {
            Id = execution.HasId ? execution.Id : null,
            TypeId = execution.HasTypeId ? execution.TypeId : null,
            Type = execution.HasType ? execution.Type : null,
            Name = execution.HasName ? execution.Name : null,
            ExternalId = execution.HasExternalId ? execution.ExternalId : null,
            LastKnownState = execution.HasLastKnownState ? (ExecutionState)(int)execution.LastKnownState : null,
            Properties = ToCore(execution.Properties),
            CustomProperties = ToCore(execution.CustomProperties),
            CreateTimeSinceEpoch = execution.HasCreateTimeSinceEpoch ? execution.CreateTimeSinceEpoch : null,
            LastUpdateTimeSinceEpoch = execution.HasLastUpdateTimeSinceEpoch ? execution.LastUpdateTimeSinceEpoch : null,
        };
    }

    /// <summary>A core execution as a proto execution.</summary>
    public static M.Execution ToProto(Execution execution)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var proto = new M.Execution();
        if (execution.Id is { } id) proto.Id = id;
        if (execution.TypeId is { } typeId) proto.TypeId = typeId;
        if (execution.Type is { } type) proto.Type = type;
        if (execution.Name is { } name) proto.Name = name;
        if (execution.ExternalId is { } externalId) proto.ExternalId = externalId;
        if (execution.LastKnownState is { } state) proto.LastKnownState = (M.Execution.Types.State)(int)state;
        CopyTo(execution.Properties, proto.Properties);
        CopyTo(execution.CustomProperties, proto.CustomProperties);
        if (execution.CreateTimeSinceEpoch is { } created) proto.CreateTimeSinceEpoch = created;
        if (execution.LastUpdateTimeSinceEpoch is { } updated) proto.LastUpdateTimeSinceEpoch = updated;
        return proto;
    }

    /// <summary>A proto context as a core context.</summary>
    public static Context ToCore(M.Context context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new Context
        {
            Id = context.HasId ? context.Id : null,
            TypeId = context.HasTypeId ? context.TypeId : null,
            Type = context.HasType ? context.Type : null,
            Name = context.HasName ? context.Name : null,
            ExternalId = context.HasExternalId ? context.ExternalId : null,
            Properties = ToCore(context.Properties),
            CustomProperties = ToCore(context.CustomProperties),
            CreateTimeSinceEpoch = context.HasCreateTimeSinceEpoch ? context.CreateTimeSinceEpoch : null,
            LastUpdateTimeSinceEpoch = context.HasLastUpdateTimeSinceEpoch ? context.LastUpdateTimeSinceEpoch : null,
        };
    }

    /// <summary>A core context as a proto context.</summary>
    public static M.Context ToProto(Context context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var proto = new M.Context();
        if (context.Id is { } id) proto.Id = id;
        if (context.TypeId is { } typeId) proto.TypeId = typeId;
        if (context.Type is { } type) proto.Type = type;
        if (context.Name is { } name) proto.Name = name;
        if (context.ExternalId is { } externalId) proto.ExternalId = externalId;
        CopyTo(context.Properties, proto.Properties);
        CopyTo(context.CustomProperties, proto.CustomProperties);
        if (context.CreateTimeSinceEpoch is { } created) proto.CreateTimeSinceEpoch = created;
        if (context.LastUpdateTimeSinceEpoch is { } updated) proto.LastUpdateTimeSinceEpoch = updated;
        return proto;
    }

    // ------------------------------------------------------------------ types

    private static Dictionary<string, PropertyType> ToCore(MapField<string, M.PropertyType> map)
    {
        var result = new Dictionary<string, PropertyType>(map.Count, StringComparer.Ordinal);
        foreach (var (key, value) in map) result[key] = (PropertyType)(int)value;
        return result;
    }

    private static void CopyTo(IReadOnlyDictionary<string, PropertyType>? properties, MapField<string, M.PropertyType> map)
    {
        if (properties is null) return;
        foreach (var (key, value) in properties) map[key] = (M.PropertyType)(int)value;
    }

    /// <summary>A proto artifact type as a core artifact type.</summary>
    public static ArtifactType ToCore(M.ArtifactType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return new ArtifactType
        {
            Id = type.HasId ? type.Id : null,
            Name = type.HasName ? type.Name : null,
            Version = type.HasVersion ? type.Version : null,
            Description = type.HasDescription ? type.Description : null,
            ExternalId = type.HasExternalId ? type.ExternalId : null,
            Properties = ToCore(type.Properties),
            BaseType = type.HasBaseType ? (ArtifactBaseType)(int)type.BaseType : null,
        };
    }

    /// <summary>A core artifact type as a proto artifact type.</summary>
    public static M.ArtifactType ToProto(ArtifactType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var proto = new M.ArtifactType();
        CopyCommon(type, proto.Properties, id => proto.Id = id, name => proto.Name = name, version => proto.Version = version,
            description => proto.Description = description, externalId => proto.ExternalId = externalId);
        if (type.BaseType is { } baseType) proto.BaseType = (M.ArtifactType.Types.SystemDefinedBaseType)(int)baseType;
        return proto;
    }

    /// <summary>A proto execution type as a core execution type; the struct types are kept as their serialized bytes.</summary>
    public static ExecutionType ToCore(M.ExecutionType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return new ExecutionType
        {
            Id = type.HasId ? type.Id : null,
            Name = type.HasName ? type.Name : null,
            Version = type.HasVersion ? type.Version : null,
            Description = type.HasDescription ? type.Description : null,
            ExternalId = type.HasExternalId ? type.ExternalId : null,
            Properties = ToCore(type.Properties),
            BaseType = type.HasBaseType ? (ExecutionBaseType)(int)type.BaseType : null,
            InputType = type.InputType is { } input ? input.ToByteArray() : null,
            OutputType = type.OutputType is { } output ? output.ToByteArray() : null,
        };
    }

    /// <summary>A core execution type as a proto execution type.</summary>
    public static M.ExecutionType ToProto(ExecutionType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var proto = new M.ExecutionType();
        CopyCommon(type, proto.Properties, id => proto.Id = id, name => proto.Name = name, version => proto.Version = version,
            description => proto.Description = description, externalId => proto.ExternalId = externalId);
        if (type.BaseType is { } baseType) proto.BaseType = (M.ExecutionType.Types.SystemDefinedBaseType)(int)baseType;
        if (type.InputType is { } input) proto.InputType = ParseStructType(input, "input_type");
        if (type.OutputType is { } output) proto.OutputType = ParseStructType(output, "output_type");
        return proto;
    }

    private static M.ArtifactStructType ParseStructType(ReadOnlyMemory<byte> bytes, string field)
    {
        try
        {
            return M.ArtifactStructType.Parser.ParseFrom(bytes.Span);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidArgumentException(GrpcMessages.StructTypeInvalid(field, e.Message), e);
        }
    }

    /// <summary>A proto context type as a core context type.</summary>
    public static ContextType ToCore(M.ContextType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return new ContextType
        {
            Id = type.HasId ? type.Id : null,
            Name = type.HasName ? type.Name : null,
            Version = type.HasVersion ? type.Version : null,
            Description = type.HasDescription ? type.Description : null,
            ExternalId = type.HasExternalId ? type.ExternalId : null,
            Properties = ToCore(type.Properties),
            BaseType = type.HasBaseType ? (ContextBaseType)(int)type.BaseType : null,
        };
    }

    /// <summary>A core context type as a proto context type.</summary>
    public static M.ContextType ToProto(ContextType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var proto = new M.ContextType();
        CopyCommon(type, proto.Properties, id => proto.Id = id, name => proto.Name = name, version => proto.Version = version,
            description => proto.Description = description, externalId => proto.ExternalId = externalId);
        if (type.BaseType is { } baseType) proto.BaseType = (M.ContextType.Types.SystemDefinedBaseType)(int)baseType;
        return proto;
    }

    private static void CopyCommon(
        MetadataType type, MapField<string, M.PropertyType> properties, Action<long> id, Action<string> name, Action<string> version,
        Action<string> description, Action<string> externalId)
    {
        if (type.Id is { } i) id(i);
        if (type.Name is { } n) name(n);
        if (type.Version is { } v) version(v);
        if (type.Description is { } d) description(d);
        if (type.ExternalId is { } e) externalId(e);
        CopyTo(type.Properties, properties);
    }

    // ------------------------------------------------------------------ edges

    /// <summary>A proto event as a core event; a path step with neither index nor key stays an empty step.</summary>
    public static Event ToCore(M.Event e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new Event
        {
            ArtifactId = e.HasArtifactId ? e.ArtifactId : null,
            ExecutionId = e.HasExecutionId ? e.ExecutionId : null,
            Type = e.HasType ? (EventType)(int)e.Type : null,
            MillisecondsSinceEpoch = e.HasMillisecondsSinceEpoch ? e.MillisecondsSinceEpoch : null,
            Path = e.Path is { } path
                ? path.Steps.Select(step => step.ValueCase switch
                {
                    M.Event.Types.Path.Types.Step.ValueOneofCase.Index => EventStep.ForIndex(step.Index),
                    M.Event.Types.Path.Types.Step.ValueOneofCase.Key => EventStep.ForKey(step.Key),
                    _ => EventStep.Empty,
                }).ToList()
                : [],
        };
    }

    /// <summary>A core event as a proto event; an empty path is left unset.</summary>
    public static M.Event ToProto(Event e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var proto = new M.Event();
        if (e.ArtifactId is { } artifactId) proto.ArtifactId = artifactId;
        if (e.ExecutionId is { } executionId) proto.ExecutionId = executionId;
        if (e.Type is { } type) proto.Type = (M.Event.Types.Type)(int)type;
        if (e.MillisecondsSinceEpoch is { } time) proto.MillisecondsSinceEpoch = time;
        if (e.Path is { Count: > 0 } steps)
        {
            var path = new M.Event.Types.Path();
            foreach (var step in steps)
            {
                var s = new M.Event.Types.Path.Types.Step();
                if (step.Index is { } index) s.Index = index;
                else if (step.Key is { } key) s.Key = key;
                path.Steps.Add(s);
            }

            proto.Path = path;
        }

        return proto;
    }

    /// <summary>A proto attribution as a core attribution.</summary>
    public static Attribution ToCore(M.Attribution a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new Attribution(a.HasContextId ? a.ContextId : null, a.HasArtifactId ? a.ArtifactId : null);
    }

    /// <summary>A core attribution as a proto attribution.</summary>
    public static M.Attribution ToProto(Attribution a)
    {
        ArgumentNullException.ThrowIfNull(a);
        var proto = new M.Attribution();
        if (a.ContextId is { } contextId) proto.ContextId = contextId;
        if (a.ArtifactId is { } artifactId) proto.ArtifactId = artifactId;
        return proto;
    }

    /// <summary>A proto association as a core association.</summary>
    public static Association ToCore(M.Association a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new Association(a.HasContextId ? a.ContextId : null, a.HasExecutionId ? a.ExecutionId : null);
    }

    /// <summary>A core association as a proto association.</summary>
    public static M.Association ToProto(Association a)
    {
        ArgumentNullException.ThrowIfNull(a);
        var proto = new M.Association();
        if (a.ContextId is { } contextId) proto.ContextId = contextId;
        if (a.ExecutionId is { } executionId) proto.ExecutionId = executionId;
        return proto;
    }

    /// <summary>A proto parent-context edge as a core one.</summary>
    public static ParentContext ToCore(M.ParentContext p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new ParentContext(p.HasChildId ? p.ChildId : null, p.HasParentId ? p.ParentId : null);
    }

    /// <summary>A core parent-context edge as a proto one.</summary>
    public static M.ParentContext ToProto(ParentContext p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var proto = new M.ParentContext();
        if (p.ChildId is { } childId) proto.ChildId = childId;
        if (p.ParentId is { } parentId) proto.ParentId = parentId;
        return proto;
    }

    // ------------------------------------------------------------------ options

    /// <summary>
    /// MLMD list options as core list options; null (no options in the request) means every row in one page. An options
    /// message with nothing set pages at 20 rows by id ascending: the proto2 defaults of <c>max_result_size</c>,
    /// <c>order_by_field.field</c> and <c>order_by_field.is_asc</c>.
    /// </summary>
    public static ListOptions? ToCore(M.ListOperationOptions? options)
    {
        if (options is null) return null;
        var order = options.OrderByField;
        return new ListOptions
        {
            MaxResultSize = options.MaxResultSize,
            OrderBy = (OrderByField)(int)(order?.Field ?? M.ListOperationOptions.Types.OrderByField.Types.Field.Id),
            IsAscending = order?.IsAsc ?? true,
            NextPageToken = options.HasNextPageToken && options.NextPageToken.Length > 0 ? options.NextPageToken : null,
            FilterQuery = options.HasFilterQuery && options.FilterQuery.Length > 0 ? options.FilterQuery : null,
        };
    }

    /// <summary>Core list options as MLMD list options, with every field set explicitly.</summary>
    public static M.ListOperationOptions? ToProto(ListOptions? options)
    {
        if (options is null) return null;
        var proto = new M.ListOperationOptions
        {
            MaxResultSize = options.MaxResultSize,
            OrderByField = new M.ListOperationOptions.Types.OrderByField
            {
                Field = (M.ListOperationOptions.Types.OrderByField.Types.Field)(int)options.OrderBy,
                IsAsc = options.IsAscending,
            },
        };
        if (!string.IsNullOrEmpty(options.NextPageToken)) proto.NextPageToken = options.NextPageToken;
        if (!string.IsNullOrEmpty(options.FilterQuery)) proto.FilterQuery = options.FilterQuery;
        return proto;
    }

    /// <summary>The paths of an update or read mask; an absent mask has none.</summary>
    public static IReadOnlyList<string> Paths(FieldMask? mask) => mask is null ? [] : [.. mask.Paths];

    /// <summary>A field mask with these paths, or null when there are none.</summary>
    public static FieldMask? Mask(IEnumerable<string>? paths)
    {
        if (paths is null) return null;
        var mask = new FieldMask();
        mask.Paths.AddRange(paths);
        return mask.Paths.Count == 0 ? null : mask;
    }

    // ------------------------------------------------------------------ lineage

    /// <summary>MLMD lineage subgraph options as a core lineage query.</summary>
    public static LineageSubgraphQuery ToCore(M.LineageSubgraphQueryOptions? options)
    {
        if (options is null) return new LineageSubgraphQuery();
        var (kind, starting) = options.StartingNodesCase switch
        {
            M.LineageSubgraphQueryOptions.StartingNodesOneofCase.StartingArtifacts => ((NodeKind?)NodeKind.Artifact, options.StartingArtifacts),
            M.LineageSubgraphQueryOptions.StartingNodesOneofCase.StartingExecutions => (NodeKind.Execution, options.StartingExecutions),
            _ => (null, null),
        };
        return new LineageSubgraphQuery
        {
            StartingNodeKind = kind,
            StartingFilterQuery = starting is { HasFilterQuery: true } ? starting.FilterQuery : null,
            MaxNumHops = options.HasMaxNumHops ? options.MaxNumHops : null,
            Direction = (LineageDirection)(int)options.Direction,
            EndingArtifacts = ToCore(options.EndingArtifacts),
            EndingExecutions = ToCore(options.EndingExecutions),
        };
    }

    private static LineageEndingNodes? ToCore(M.LineageSubgraphQueryOptions.Types.EndingNodes? ending) =>
        ending is null ? null : new LineageEndingNodes(ending.FilterQuery, ending.IncludeEndingNodes);

    /// <summary>A core lineage query as MLMD lineage subgraph options.</summary>
    public static M.LineageSubgraphQueryOptions ToProto(LineageSubgraphQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var proto = new M.LineageSubgraphQueryOptions();
        var starting = new M.LineageSubgraphQueryOptions.Types.StartingNodes();
        if (query.StartingFilterQuery is { } filter) starting.FilterQuery = filter;
        switch (query.StartingNodeKind)
        {
            case NodeKind.Artifact: proto.StartingArtifacts = starting; break;
            case NodeKind.Execution: proto.StartingExecutions = starting; break;
            case NodeKind.Context: throw new InvalidArgumentException(Messages.LineageStartKind(NodeKind.Context));
            default: break;
        }

        if (query.MaxNumHops is { } hops) proto.MaxNumHops = hops;
        if (query.Direction != LineageDirection.Unspecified) proto.Direction = (M.LineageSubgraphQueryOptions.Types.Direction)(int)query.Direction;
        if (query.EndingArtifacts is { } endingArtifacts) proto.EndingArtifacts = ToProto(endingArtifacts);
        if (query.EndingExecutions is { } endingExecutions) proto.EndingExecutions = ToProto(endingExecutions);
        return proto;
    }

    private static M.LineageSubgraphQueryOptions.Types.EndingNodes ToProto(LineageEndingNodes ending) =>
        new() { FilterQuery = ending.FilterQuery ?? string.Empty, IncludeEndingNodes = ending.IncludeEndingNodes };

    /// <summary>A core lineage graph as an MLMD one.</summary>
    public static M.LineageGraph ToProto(LineageGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var proto = new M.LineageGraph();
        proto.ArtifactTypes.AddRange(graph.ArtifactTypes.Select(ToProto));
        proto.ExecutionTypes.AddRange(graph.ExecutionTypes.Select(ToProto));
        proto.ContextTypes.AddRange(graph.ContextTypes.Select(ToProto));
        proto.Artifacts.AddRange(graph.Artifacts.Select(ToProto));
        proto.Executions.AddRange(graph.Executions.Select(ToProto));
        proto.Contexts.AddRange(graph.Contexts.Select(ToProto));
        proto.Events.AddRange(graph.Events.Select(ToProto));
        proto.Attributions.AddRange(graph.Attributions.Select(ToProto));
        proto.Associations.AddRange(graph.Associations.Select(ToProto));
        proto.ParentContexts.AddRange(graph.ParentContexts.Select(ToProto));
        return proto;
    }

    /// <summary>An MLMD lineage graph as a core one.</summary>
    public static LineageGraph ToCore(M.LineageGraph? graph)
    {
        if (graph is null) return new LineageGraph();
        return new LineageGraph
        {
            ArtifactTypes = [.. graph.ArtifactTypes.Select(ToCore)],
            ExecutionTypes = [.. graph.ExecutionTypes.Select(ToCore)],
            ContextTypes = [.. graph.ContextTypes.Select(ToCore)],
            Artifacts = [.. graph.Artifacts.Select(ToCore)],
            Executions = [.. graph.Executions.Select(ToCore)],
            Contexts = [.. graph.Contexts.Select(ToCore)],
            Events = [.. graph.Events.Select(ToCore)],
            Attributions = [.. graph.Attributions.Select(ToCore)],
            Associations = [.. graph.Associations.Select(ToCore)],
            ParentContexts = [.. graph.ParentContexts.Select(ToCore)],
        };
    }
}
