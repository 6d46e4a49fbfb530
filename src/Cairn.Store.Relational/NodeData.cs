using System.Data.Common;

namespace Cairn.Store.Relational;

/// <summary>Describes one node table and its property table; the three kinds share one shape.</summary>
internal sealed class NodeTable
{
    public static readonly NodeTable Artifact = new(NodeKind.Artifact, "artifact", "artifact_property", hasUri: true, hasState: true);
    public static readonly NodeTable Execution = new(NodeKind.Execution, "execution", "execution_property", hasUri: false, hasState: true);
    public static readonly NodeTable Context = new(NodeKind.Context, "context", "context_property", hasUri: false, hasState: false);

    private NodeTable(NodeKind kind, string table, string propertyTable, bool hasUri, bool hasState)
    {
        Kind = kind;
        Table = table;
        PropertyTable = propertyTable;
        LabelTable = table + "_label";
        HasUri = hasUri;
        HasState = hasState;
        SelectColumns = "n.id, n.type_id, t.name, n.name, n.external_id, n.create_time, n.update_time"
            + (hasUri ? ", n.uri" : ", NULL") + (hasState ? ", n.state" : ", NULL");
        From = $"{table} n JOIN type t ON t.id = n.type_id";
        SelectOneSql = $"SELECT {SelectColumns} FROM {From} WHERE n.id = @id";
        PropertiesOfOneSql = NodeOperations.PropertiesAndLabelsSql(this, "node_id = @id");
    }

    public NodeKind Kind { get; }

    public string Table { get; }

    public string PropertyTable { get; }

    /// <summary>The owners-and-tags table: (node_id, label, value), label <see cref="LabelKinds.Tag"/> or <see cref="LabelKinds.Owner"/>.</summary>
    public string LabelTable { get; }

    public bool HasUri { get; }

    public bool HasState { get; }

    /// <summary>Columns read by <see cref="ReadRow"/>, in order; the table is aliased <c>n</c> and its type <c>t</c>.</summary>
    public string SelectColumns { get; }

    /// <summary>The FROM clause joining the node with its type.</summary>
    public string From { get; }

    /// <summary>The node with id <c>@id</c>, in <see cref="ReadRow"/>'s columns.</summary>
    public string SelectOneSql { get; }

    /// <summary>The properties, tags and owners of the node with id <c>@id</c>.</summary>
    public string PropertiesOfOneSql { get; }

    public static NodeTable For(NodeKind kind) => kind switch
    {
        NodeKind.Artifact => Artifact,
        NodeKind.Execution => Execution,
        _ => Context,
    };

    public static NodeData ReadRow(DbDataReader r) => new()
    {
        Id = r.GetInt64(0),
        TypeId = r.GetInt64(1),
        TypeName = r.GetString(2),
        Name = r.IsDBNull(3) ? null : r.GetString(3),
        ExternalId = r.IsDBNull(4) ? null : r.GetString(4),
        CreateTime = r.GetInt64(5),
        UpdateTime = r.GetInt64(6),
        Uri = r.IsDBNull(7) ? null : r.GetString(7),
        State = r.IsDBNull(8) ? null : r.GetInt32(8),
    };
}

/// <summary>The values of the label column of the <c>*_label</c> tables.</summary>
internal static class LabelKinds
{
    public const int Tag = 1;
    public const int Owner = 2;
}

/// <summary>The engine's mutable working copy of a node, kind-independent.</summary>
internal sealed class NodeData
{
    public long? Id { get; set; }

    public long? TypeId { get; set; }

    public string? TypeName { get; set; }

    public string? Name { get; set; }

    public string? ExternalId { get; set; }

    public string? Uri { get; set; }

    public int? State { get; set; }

    public long CreateTime { get; set; }

    public long UpdateTime { get; set; }

    public long? RequestUpdateTime { get; set; }

    public Dictionary<string, MetadataValue> Properties { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, MetadataValue> CustomProperties { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Tags, sorted and distinct; in a request, null keeps the stored ones.</summary>
    public string[]? Tags { get; set; } = [];

    /// <summary>Owners, sorted and distinct; in a request, null keeps the stored ones.</summary>
    public string[]? Owners { get; set; } = [];

    /// <summary>Whether the request's labels were checked and normalized (sorted, distinct).</summary>
    public bool LabelsChecked { get; set; }

    public static NodeData From(Node node) => new()
    {
        Id = node.Id,
        TypeId = node.TypeId,
        Name = node.Name,
        ExternalId = string.IsNullOrEmpty(node.ExternalId) ? null : node.ExternalId,
        Uri = node is Artifact a ? a.Uri : null,
        State = node switch
        {
            Artifact { State: { } s } => (int)s,
            Execution { LastKnownState: { } s } => (int)s,
            _ => null,
        },
        RequestUpdateTime = node.LastUpdateTimeSinceEpoch,
        Properties = new Dictionary<string, MetadataValue>(node.Properties, StringComparer.Ordinal),
        CustomProperties = new Dictionary<string, MetadataValue>(node.CustomProperties, StringComparer.Ordinal),
        Tags = node.Tags is null ? null : [.. node.Tags],
        Owners = node.Owners is null ? null : [.. node.Owners],
    };

    /// <summary>Checks and normalizes the request's tags and owners; <paramref name="index"/> names the node in messages.</summary>
    public void CheckLabels(NodeKind kind, int index)
    {
        if (LabelsChecked) return;
        var where = Messages.KindName(kind) + " #" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Tags = NodeLabels.Normalize(Tags, NodeLabels.TagsField, where);
        Owners = NodeLabels.Normalize(Owners, NodeLabels.OwnersField, where);
        LabelsChecked = true;
    }

    public NodeData Clone() => new()
    {
        Id = Id,
        TypeId = TypeId,
        TypeName = TypeName,
        Name = Name,
        ExternalId = ExternalId,
        Uri = Uri,
        State = State,
        CreateTime = CreateTime,
        UpdateTime = UpdateTime,
        Properties = new Dictionary<string, MetadataValue>(Properties, StringComparer.Ordinal),
        CustomProperties = new Dictionary<string, MetadataValue>(CustomProperties, StringComparer.Ordinal),
        Tags = Tags,
        Owners = Owners,
    };

    /// <summary>True when the stored columns or any property differ (timestamps and type are not compared).</summary>
    public bool DiffersFrom(NodeData other) =>
        !string.Equals(Name, other.Name, StringComparison.Ordinal)
        || !string.Equals(ExternalId, other.ExternalId, StringComparison.Ordinal)
        || !string.Equals(Uri ?? string.Empty, other.Uri ?? string.Empty, StringComparison.Ordinal)
        || State != other.State
        || !SameValues(Properties, other.Properties)
        || !SameValues(CustomProperties, other.CustomProperties)
        || !SameLabels(Tags, other.Tags)
        || !SameLabels(Owners, other.Owners);

    private static bool SameLabels(string[]? a, string[]? b) => (a ?? []).AsSpan().SequenceEqual(b ?? []);

    public Node ToNode(NodeKind kind)
    {
        var properties = Properties;
        var custom = CustomProperties;
        return kind switch
        {
            NodeKind.Artifact => new Artifact
            {
                Id = Id,
                TypeId = TypeId,
                Type = TypeName,
                Name = Name,
                ExternalId = ExternalId,
                Uri = Uri,
                State = State is { } s ? (ArtifactState)s : null,
                Properties = properties,
                CustomProperties = custom,
                Tags = Tags ?? [],
                Owners = Owners ?? [],
                CreateTimeSinceEpoch = CreateTime,
                LastUpdateTimeSinceEpoch = UpdateTime,
            },
            NodeKind.Execution => new Execution
            {
                Id = Id,
                TypeId = TypeId,
                Type = TypeName,
                Name = Name,
                ExternalId = ExternalId,
                LastKnownState = State is { } s ? (ExecutionState)s : null,
                Properties = properties,
                CustomProperties = custom,
                Tags = Tags ?? [],
                Owners = Owners ?? [],
                CreateTimeSinceEpoch = CreateTime,
                LastUpdateTimeSinceEpoch = UpdateTime,
            },
            _ => new Context
            {
                Id = Id,
                TypeId = TypeId,
                Type = TypeName,
                Name = Name,
                ExternalId = ExternalId,
                Properties = properties,
                CustomProperties = custom,
                Tags = Tags ?? [],
                Owners = Owners ?? [],
                CreateTimeSinceEpoch = CreateTime,
                LastUpdateTimeSinceEpoch = UpdateTime,
            },
        };
    }

    private static bool SameValues(Dictionary<string, MetadataValue> a, Dictionary<string, MetadataValue> b)
    {
        if (a.Count != b.Count) return false;
        foreach (var (key, value) in a)
        {
            if (!b.TryGetValue(key, out var other) || !value.Equals(other)) return false;
        }

        return true;
    }
}

/// <summary>How property values map to the columns of a property table.</summary>
internal static class ValueColumns
{
    public const string Select = "node_id, is_custom, name, kind, int_value, double_value, string_value, bytes_value";

    /// <summary>Reads a value from columns 3..7 of a row selected with <see cref="Select"/>.</summary>
    public static MetadataValue Read(DbDataReader r) => (ValueKind)r.GetInt32(3) switch
    {
        ValueKind.Int => MetadataValue.Int(r.GetInt64(4)),
        // SQLite cannot hold NaN in a REAL column: NaN is stored as a double with no value.
        ValueKind.Double => MetadataValue.Double(r.IsDBNull(5) ? double.NaN : r.GetDouble(5)),
        ValueKind.String => MetadataValue.String(r.GetString(6)),
        ValueKind.Struct => MetadataValue.Struct(r.GetString(6)),
        ValueKind.Proto => MetadataValue.Proto(r.GetString(6), r.IsDBNull(7) ? [] : (byte[])r.GetValue(7)),
        ValueKind.Bool => MetadataValue.Bool(r.GetInt64(4) != 0),
        _ => MetadataValue.None,
    };

    /// <summary>A property row in the order of the property table's columns (node_id, is_custom, name, kind, int, double, string, bytes).</summary>
    public static object?[] Row(long nodeId, bool custom, string name, MetadataValue value)
    {
        var (iv, dv, sv, bv) = Columns(value);
        return [nodeId, custom ? 1 : 0, name, (int)value.Kind, iv, dv, sv, bv];
    }

    private static (long? Int, double? Double, string? Text, byte[]? Bytes) Columns(MetadataValue value) => value.Kind switch
    {
        ValueKind.Int => (value.IntValue, null, null, null),
        ValueKind.Bool => (value.BoolValue ? 1L : 0L, null, null, null),
        ValueKind.Double => (null, double.IsNaN(value.DoubleValue) ? null : value.DoubleValue, null, null),
        ValueKind.String => (null, null, value.StringValue, null),
        ValueKind.Struct => (null, null, value.StructJson, null),
        ValueKind.Proto => (null, null, value.ProtoTypeUrl, value.ProtoBytes.ToArray()),
        _ => (null, null, null, null),
    };

    /// <summary>Binds <c>@kind, @iv, @dv, @sv, @bv</c> for <paramref name="value"/>.</summary>
    public static void Bind(DbCommand command, MetadataValue value)
    {
        var (iv, dv, sv, bv) = Columns(value);
        Session.Bind(command, "@kind", (int)value.Kind);
        Session.Bind(command, "@iv", iv);
        Session.Bind(command, "@dv", dv);
        Session.Bind(command, "@sv", sv);
        Session.Bind(command, "@bv", bv);
    }
}
