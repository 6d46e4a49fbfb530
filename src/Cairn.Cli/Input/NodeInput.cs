namespace Cairn.Cli.Input;

/// <summary>An artifact, execution or context as given on the command line or in a file, before its type is known.</summary>
internal sealed class NodeDraft
{
    public required NodeKind Kind { get; init; }

    /// <summary>Prefixes a message with where the node was given (a file position), or leaves it as is for flags.</summary>
    public required Func<string, string> Locate { get; init; }

    /// <summary>Like <see cref="Locate"/>, for errors in the state field.</summary>
    public Func<string, string>? LocateState { get; init; }

    public long? Id { get; init; }

    public long? TypeId { get; set; }

    public string? TypeName { get; init; }

    public string? TypeVersion { get; init; }

    public string? Name { get; init; }

    public string? ExternalId { get; init; }

    public string? Uri { get; init; }

    public string? State { get; init; }

    public List<(string Key, RawValue Value)> Properties { get; } = [];

    public List<(string Key, RawValue Value)> CustomProperties { get; } = [];

    /// <summary>Tags; null keeps the stored ones.</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>Owners; null keeps the stored ones.</summary>
    public IReadOnlyList<string>? Owners { get; init; }
}

/// <summary>Turns drafts into nodes: resolves their types (once per type) and types their property values.</summary>
internal sealed class NodeBuilder(IMetadataStore store)
{
    private readonly Dictionary<(NodeKind, long), MetadataType> _byId = [];
    private readonly Dictionary<(NodeKind, string, string), MetadataType> _byName = [];

    public async Task<IReadOnlyList<Node>> BuildAsync(IReadOnlyList<NodeDraft> drafts, CancellationToken cancellationToken)
    {
        var nodes = new List<Node>(drafts.Count);
        foreach (var draft in drafts) nodes.Add(Build(draft, await TypeOfAsync(draft, cancellationToken)));
        return nodes;
    }

    public async Task<MetadataType> TypeOfAsync(NodeDraft draft, CancellationToken cancellationToken)
    {
        if (draft.TypeId is { } typeId)
        {
            if (_byId.TryGetValue((draft.Kind, typeId), out var cached)) return cached;
            var found = (await Kinds.GetTypesByIdAsync(store, draft.Kind, [typeId], cancellationToken)).FirstOrDefault()
                ?? throw new NotFoundException(draft.Locate(Messages.TypeIdNotFound(typeId, draft.Kind)));
            return _byId[(draft.Kind, typeId)] = found;
        }

        var name = draft.TypeName ?? throw new InvalidArgumentException(draft.Locate(CliMessages.NodeTypeMissing(draft.Kind)));
        var key = (draft.Kind, name, draft.TypeVersion ?? string.Empty);
        if (_byName.TryGetValue(key, out var type)) return type;
        try
        {
            type = await Kinds.GetTypeAsync(store, draft.Kind, name, draft.TypeVersion, cancellationToken);
        }
        catch (NotFoundException e)
        {
            throw new NotFoundException(draft.Locate(CliMessages.NodeTypeNotFound(draft.Kind, name, draft.TypeVersion)), e);
        }

        return _byName[key] = type;
    }

    private static Node Build(NodeDraft draft, MetadataType type)
    {
        var properties = new Dictionary<string, MetadataValue>(StringComparer.Ordinal);
        foreach (var (key, raw) in draft.Properties)
        {
            if (!type.Properties.TryGetValue(key, out var declared))
            {
                throw raw.Error(CliMessages.PropertyNotDeclared(key, type.Name ?? string.Empty));
            }

            properties[key] = ValueInput.Declared(raw, key, declared);
        }

        var customProperties = new Dictionary<string, MetadataValue>(StringComparer.Ordinal);
        foreach (var (key, raw) in draft.CustomProperties) customProperties[key] = ValueInput.Inferred(raw);

        switch (draft.Kind)
        {
            case NodeKind.Artifact:
                return new Artifact
                {
                    Id = draft.Id,
                    TypeId = type.Id,
                    Name = draft.Name,
                    ExternalId = draft.ExternalId,
                    Uri = draft.Uri,
                    State = draft.State is null ? null : ParseState<ArtifactState>(draft),
                    Properties = properties,
                    CustomProperties = customProperties,
                    Tags = draft.Tags,
                    Owners = draft.Owners,
                };
            case NodeKind.Execution:
                return new Execution
                {
                    Id = draft.Id,
                    TypeId = type.Id,
                    Name = draft.Name,
                    ExternalId = draft.ExternalId,
                    LastKnownState = draft.State is null ? null : ParseState<ExecutionState>(draft),
                    Properties = properties,
                    CustomProperties = customProperties,
                    Tags = draft.Tags,
                    Owners = draft.Owners,
                };
            default:
                return new Context
                {
                    Id = draft.Id,
                    TypeId = type.Id,
                    Name = draft.Name,
                    ExternalId = draft.ExternalId,
                    Properties = properties,
                    CustomProperties = customProperties,
                    Tags = draft.Tags,
                    Owners = draft.Owners,
                };
        }
    }

    private static T ParseState<T>(NodeDraft draft)
        where T : struct, Enum =>
        MlmdNames.TryParse<T>(draft.State, out var state)
            ? state
            : throw new InvalidArgumentException((draft.LocateState ?? draft.Locate)(CliMessages.StateUnknown(draft.State!, MlmdNames.List<T>())));
}

/// <summary>Reads nodes from a JSON/YAML file: a list of nodes, one node, or <c>{"artifacts": [...]}</c> as <c>list --json</c> prints.</summary>
internal static class NodeFile
{
    public static IReadOnlyList<NodeDraft> Parse(InNode root, NodeKind kind)
    {
        var plural = Kinds.Plural(kind);
        var list = root is InMap map && map[plural] is { } wrapped && map.Entries.Count == 1 ? wrapped : root;
        var drafts = new List<NodeDraft>();
        foreach (var item in In.Items(list)) drafts.Add(ParseOne(In.Map(item, Messages.KindName(kind)), kind));
        if (drafts.Count == 0) throw list.Error(CliMessages.InputNoEntries(plural));
        return drafts;
    }

    private static NodeDraft ParseOne(InMap map, NodeKind kind)
    {
        var what = Messages.KindName(kind);
        string[] common = ["id", "type_id", "type", "type_version", "name", "external_id", "properties", "custom_properties", "tags", "owners", "create_time_since_epoch", "last_update_time_since_epoch"];
        string[] extra = kind switch
        {
            NodeKind.Artifact => ["uri", "state"],
            NodeKind.Execution => ["last_known_state"],
            _ => [],
        };
        map.OnlyKeys(what, [.. common, .. extra]);
        if (map["type"] is null && map["type_id"] is null) throw map.Error(CliMessages.NodeTypeMissing(kind));

        var stateField = kind == NodeKind.Execution ? "last_known_state" : "state";
        var stateNode = map[stateField];
        var draft = new NodeDraft
        {
            Kind = kind,
            Locate = Prefix(map),
            LocateState = stateNode is null ? null : Prefix(stateNode),
            Id = In.Long(map["id"], "id"),
            TypeId = In.Long(map["type_id"], "type_id"),
            TypeName = In.String(map["type"], "type"),
            TypeVersion = In.String(map["type_version"], "type_version"),
            Name = In.String(map["name"], "name"),
            ExternalId = In.String(map["external_id"], "external_id"),
            Uri = In.String(map["uri"], "uri"),
            State = In.String(stateNode, stateField),
            Tags = Strings(map["tags"], "tags"),
            Owners = Strings(map["owners"], "owners"),
        };
        AddValues(map["properties"], "properties", draft.Properties);
        AddValues(map["custom_properties"], "custom_properties", draft.CustomProperties);
        return draft;
    }

    /// <summary>A list of strings (or one string); null when the key is absent.</summary>
    private static List<string>? Strings(InNode? node, string field) =>
        node is null or InScalar { Kind: ScalarKind.Null } ? null : [.. In.Items(node).Select(item => In.String(item, field) ?? string.Empty)];

    private static void AddValues(InNode? node, string field, List<(string, RawValue)> into)
    {
        if (node is null or InScalar { Kind: ScalarKind.Null }) return;
        foreach (var (key, value) in In.Map(node, field).Entries) into.Add((key.Text ?? string.Empty, ValueInput.FromInput(value)));
    }

    private static Func<string, string> Prefix(InNode at) => message => at.Error(message).Message;
}
