namespace Cairn.Grpc;

/// <summary>Owners and tags between the core records and <c>cairn.v1.CairnLabelService</c>'s messages.</summary>
public static class LabelMapping
{
    /// <summary>The update that carries <paramref name="node"/>'s labels: an unset list keeps the stored ones.</summary>
    public static V1.LabelsUpdate ToUpdate(Node? node)
    {
        var update = new V1.LabelsUpdate();
        if (node?.Tags is { } tags) update.Tags = List(tags);
        if (node?.Owners is { } owners) update.Owners = List(owners);
        return update;
    }

    /// <summary>True when some node gives labels (then a put must go through the label service to keep them).</summary>
    public static bool AnyLabels(IEnumerable<Node?> nodes) => nodes.Any(n => n?.Tags is not null || n?.Owners is not null);

    /// <summary><paramref name="node"/> with the labels of <paramref name="updates"/>[<paramref name="index"/>], when there is one.</summary>
    public static T Apply<T>(T node, IReadOnlyList<V1.LabelsUpdate>? updates, int index) where T : Node
    {
        if (updates is null || index >= updates.Count) return node;
        var update = updates[index];
        return node with
        {
            Tags = update.Tags is { } tags ? [.. tags.Values] : node.Tags,
            Owners = update.Owners is { } owners ? [.. owners.Values] : node.Owners,
        };
    }

    /// <summary><paramref name="node"/> with the labels read back for it (none when <paramref name="labels"/> lacks its id).</summary>
    public static T WithLabels<T>(T node, IReadOnlyDictionary<long, V1.NodeLabels> labels) where T : Node =>
        node.Id is { } id && labels.TryGetValue(id, out var found)
            ? node with { Tags = [.. found.Tags], Owners = [.. found.Owners] }
            : node with { Tags = [], Owners = [] };

    /// <summary>The labels of <paramref name="nodes"/> that have any.</summary>
    public static V1.GetLabelsResponse ToProto(IEnumerable<Node> nodes)
    {
        var response = new V1.GetLabelsResponse();
        foreach (var node in nodes)
        {
            if (node.Tags is not { Count: > 0 } && node.Owners is not { Count: > 0 }) continue;
            var labels = new V1.NodeLabels { Id = node.Id ?? 0 };
            labels.Tags.AddRange(node.Tags ?? []);
            labels.Owners.AddRange(node.Owners ?? []);
            response.Nodes.Add(labels);
        }

        return response;
    }

    private static V1.LabelList List(IReadOnlyList<string> values)
    {
        var list = new V1.LabelList();
        list.Values.AddRange(values);
        return list;
    }
}
