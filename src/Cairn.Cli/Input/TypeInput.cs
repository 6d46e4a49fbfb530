namespace Cairn.Cli.Input;

/// <summary>Builds types from flags or from a file shaped like <c>types list --json</c>.</summary>
internal static class TypeInput
{
    public static NodeKind ParseKind(string text) => text switch
    {
        "artifact" => NodeKind.Artifact,
        "execution" => NodeKind.Execution,
        _ => NodeKind.Context,
    };

    public static string ListKey(NodeKind kind) => Messages.KindName(kind) + "_types";

    /// <summary>Creates a type of <paramref name="kind"/>; <paramref name="fail"/> makes errors (located or not).</summary>
    public static MetadataType Create(
        NodeKind kind,
        string? name,
        string? version,
        string? description,
        string? externalId,
        string? baseType,
        IReadOnlyDictionary<string, PropertyType> properties,
        Func<string, Exception> fail)
    {
        switch (kind)
        {
            case NodeKind.Artifact:
                {
                    ArtifactBaseType? parsed = null;
                    if (baseType is not null)
                    {
                        parsed = MlmdNames.TryParse<ArtifactBaseType>(baseType, out var b) && b != ArtifactBaseType.Unset
                            ? b
                            : throw fail(CliMessages.BaseTypeUnknown(baseType, kind, MlmdNames.List(ArtifactBaseType.Unset)));
                    }

                    return new ArtifactType { Name = name, Version = version, Description = description, ExternalId = externalId, BaseType = parsed, Properties = properties };
                }

            case NodeKind.Execution:
                {
                    ExecutionBaseType? parsed = null;
                    if (baseType is not null)
                    {
                        parsed = MlmdNames.TryParse<ExecutionBaseType>(baseType, out var b) && b != ExecutionBaseType.Unset
                            ? b
                            : throw fail(CliMessages.BaseTypeUnknown(baseType, kind, MlmdNames.List(ExecutionBaseType.Unset)));
                    }

                    return new ExecutionType { Name = name, Version = version, Description = description, ExternalId = externalId, BaseType = parsed, Properties = properties };
                }

            default:
                if (baseType is not null) throw fail(CliMessages.BaseTypeUnknown(baseType, kind, string.Empty));
                return new ContextType { Name = name, Version = version, Description = description, ExternalId = externalId, Properties = properties };
        }
    }

    public static PropertyType ParsePropertyType(string text, Func<string, Exception> fail) =>
        MlmdNames.TryParse<PropertyType>(text, out var type) && type != PropertyType.Unknown
            ? type
            : throw fail(CliMessages.PropertyTypeUnknown(text, MlmdNames.List(PropertyType.Unknown)));

    /// <summary>
    /// Reads types from a file: <c>{artifact_types: [...], execution_types: [...], context_types: [...]}</c>, or, when
    /// <paramref name="kind"/> is given, a list of types of that kind (or one type).
    /// </summary>
    public static (List<ArtifactType> Artifacts, List<ExecutionType> Executions, List<ContextType> Contexts) ParseFile(InNode root, NodeKind? kind)
    {
        var artifacts = new List<ArtifactType>();
        var executions = new List<ExecutionType>();
        var contexts = new List<ContextType>();
        void Add(MetadataType type)
        {
            switch (type)
            {
                case ArtifactType a: artifacts.Add(a); break;
                case ExecutionType e: executions.Add(e); break;
                case ContextType c: contexts.Add(c); break;
            }
        }

        var keys = new[] { NodeKind.Artifact, NodeKind.Execution, NodeKind.Context }.Select(ListKey).ToArray();
        if (root is InMap map && map.Entries.Any(e => keys.Contains(e.Key.Text, StringComparer.Ordinal)))
        {
            map.OnlyKeys("types file", keys);
            foreach (var (key, list) in map.Entries)
            {
                var listKind = ParseKind(key.Text![..key.Text!.IndexOf('_', StringComparison.Ordinal)]);
                if (kind is { } wanted && wanted != listKind) throw key.Error(CliMessages.TypesFileKindMismatch(key.Text, wanted));
                foreach (var item in In.Items(list)) Add(ParseOne(item, listKind));
            }
        }
        else if (kind is { } only)
        {
            foreach (var item in In.Items(root)) Add(ParseOne(item, only));
        }
        else
        {
            throw root.Error(CliMessages.TypesFileShape);
        }

        if (artifacts.Count + executions.Count + contexts.Count == 0) throw root.Error(CliMessages.InputNoEntries("types"));
        return (artifacts, executions, contexts);
    }

    private static MetadataType ParseOne(InNode node, NodeKind kind)
    {
        var map = In.Map(node, Messages.KindName(kind) + " type");
        map.OnlyKeys(Messages.KindName(kind) + " type", "id", "name", "version", "description", "external_id", "base_type", "properties");
        var properties = new Dictionary<string, PropertyType>(StringComparer.Ordinal);
        if (map["properties"] is { } propertiesNode and not InScalar { Kind: ScalarKind.Null })
        {
            foreach (var (key, value) in In.Map(propertiesNode, "properties").Entries)
            {
                var text = In.String(value, key.Text ?? string.Empty) ?? throw value.Error(CliMessages.InputExpected("a property type", key.Text ?? string.Empty, value.Describe));
                properties[key.Text ?? string.Empty] = ParsePropertyType(text, value.Error);
            }
        }

        var baseTypeNode = map["base_type"];
        return Create(
            kind,
            In.String(map["name"], "name"),
            In.String(map["version"], "version"),
            In.String(map["description"], "description"),
            In.String(map["external_id"], "external_id"),
            In.String(baseTypeNode, "base_type"),
            properties,
            message => (baseTypeNode ?? map).Error(message));
    }
}
