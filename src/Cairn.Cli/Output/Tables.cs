using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Cairn.Cli.Output;

/// <summary>The human-readable renderings: Spectre tables with plain text cells (never markup from data).</summary>
internal static class Tables
{
    public static Table Create(params string[] headers)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in headers) table.AddColumn(new TableColumn(new Text(header)));
        return table;
    }

    public static void AddRow(Table table, params string?[] cells) =>
        table.AddRow(cells.Select(c => (IRenderable)new Text(c ?? string.Empty)));

    /// <summary>A two-column FIELD / VALUE table, for one entity.</summary>
    public static Table Fields(IEnumerable<(string Field, string? Value)> rows)
    {
        var table = Create("FIELD", "VALUE");
        foreach (var (field, value) in rows) AddRow(table, field, value);
        return table;
    }

    public static Table Types(IEnumerable<MetadataType> types)
    {
        var table = Create("KIND", "ID", "NAME", "VERSION", "BASE TYPE", "PROPERTIES");
        foreach (var type in types)
        {
            AddRow(table, Messages.KindName(type.Kind), Id(type.Id), type.Name, type.Version, JsonShapes.BaseTypeName(type), PropertyTypes(type));
        }

        return table;
    }

    public static IEnumerable<(string, string?)> TypeFields(MetadataType type)
    {
        yield return ("kind", Messages.KindName(type.Kind));
        yield return ("id", Id(type.Id));
        yield return ("name", type.Name);
        if (!string.IsNullOrEmpty(type.Version)) yield return ("version", type.Version);
        if (!string.IsNullOrEmpty(type.Description)) yield return ("description", type.Description);
        if (!string.IsNullOrEmpty(type.ExternalId)) yield return ("external_id", type.ExternalId);
        if (JsonShapes.BaseTypeName(type) is { } baseType) yield return ("base_type", baseType);
        foreach (var (name, propertyType) in type.Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            yield return ("properties." + name, MlmdNames.Of(propertyType));
        }
    }

    public static Table Nodes(NodeKind kind, IEnumerable<Node> nodes)
    {
        var list = nodes.ToList();
        // The LABELS column appears only when some listed node has tags or owners.
        var labelled = list.Any(n => n.Tags is { Count: > 0 } || n.Owners is { Count: > 0 });
        string[] tail = labelled ? ["PROPERTIES", "LABELS", "CREATED"] : ["PROPERTIES", "CREATED"];
        var table = kind switch
        {
            NodeKind.Artifact => Create(["ID", "TYPE", "NAME", "URI", "STATE", .. tail]),
            NodeKind.Execution => Create(["ID", "TYPE", "NAME", "STATE", .. tail]),
            _ => Create(["ID", "TYPE", "NAME", .. tail]),
        };
        foreach (var node in list)
        {
            string?[] values = labelled ? [AllValues(node), Labels(node), Time(node.CreateTimeSinceEpoch)] : [AllValues(node), Time(node.CreateTimeSinceEpoch)];
            switch (node)
            {
                case Artifact a:
                    AddRow(table, [Id(a.Id), a.Type, a.Name, a.Uri, a.State is { } s ? MlmdNames.Of(s) : null, .. values]);
                    break;
                case Execution e:
                    AddRow(table, [Id(e.Id), e.Type, e.Name, e.LastKnownState is { } s2 ? MlmdNames.Of(s2) : null, .. values]);
                    break;
                default:
                    AddRow(table, [Id(node.Id), node.Type, node.Name, .. values]);
                    break;
            }
        }

        return table;
    }

    /// <summary>Tags as <c>#tag</c> and owners as <c>@owner</c>, space separated.</summary>
    public static string Labels(Node node) =>
        string.Join(" ", (node.Tags ?? []).Select(t => "#" + t).Concat((node.Owners ?? []).Select(o => "@" + o)));

    public static IEnumerable<(string, string?)> NodeFields(Node node)
    {
        yield return ("id", Id(node.Id));
        yield return ("type", node.Type is null ? Id(node.TypeId) : $"{node.Type} (type_id {Id(node.TypeId)})");
        if (node.Name is not null) yield return ("name", node.Name);
        if (node.ExternalId is not null) yield return ("external_id", node.ExternalId);
        switch (node)
        {
            case Artifact a:
                yield return ("uri", a.Uri);
                if (a.State is { } state) yield return ("state", MlmdNames.Of(state));
                break;
            case Execution { LastKnownState: { } lastKnownState }:
                yield return ("last_known_state", MlmdNames.Of(lastKnownState));
                break;
        }

        foreach (var (name, value) in node.Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            yield return ("properties." + name, Value(value));
        }

        foreach (var (name, value) in node.CustomProperties.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            yield return ("custom_properties." + name, Value(value));
        }

        if (node.Tags is { Count: > 0 } tags) yield return ("tags", string.Join(", ", tags));
        if (node.Owners is { Count: > 0 } owners) yield return ("owners", string.Join(", ", owners));
        yield return ("created", Time(node.CreateTimeSinceEpoch));
        yield return ("updated", Time(node.LastUpdateTimeSinceEpoch));
    }

    public static Table Events(IEnumerable<Event> events)
    {
        var table = Create("EXECUTION", "ARTIFACT", "TYPE", "PATH", "TIME");
        foreach (var e in events)
        {
            AddRow(table, Id(e.ExecutionId), Id(e.ArtifactId), e.Type is { } t ? MlmdNames.Of(t) : null, Path(e.Path), Time(e.MillisecondsSinceEpoch));
        }

        return table;
    }

    public static string Path(IReadOnlyList<EventStep> path) =>
        string.Join("/", path.Select(s => s.Index is { } i ? i.ToString(CultureInfo.InvariantCulture) : s.Key ?? string.Empty));

    public static string PropertyTypes(MetadataType type) =>
        string.Join(", ", type.Properties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{MlmdNames.Of(p.Value)}"));

    /// <summary>Properties then custom properties as <c>k=v</c>; custom ones are marked with a leading <c>+</c>.</summary>
    public static string AllValues(Node node)
    {
        var declared = node.Properties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={Value(p.Value)}");
        var custom = node.CustomProperties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"+{p.Key}={Value(p.Value)}");
        return string.Join(", ", declared.Concat(custom));
    }

    public static string Value(MetadataValue value) => value.ToString();

    public static string? Id(long? id) => id?.ToString(CultureInfo.InvariantCulture);

    public static string? Time(long? millisecondsSinceEpoch) => millisecondsSinceEpoch is { } ms
        ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)
        : null;
}
