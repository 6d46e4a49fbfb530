namespace Cairn;

/// <summary>The rules for <see cref="Node.Tags"/> and <see cref="Node.Owners"/>, shared by every store and interface.</summary>
public static class NodeLabels
{
    /// <summary>The longest tag or owner, in UTF-16 characters.</summary>
    public const int MaxLength = 256;

    /// <summary>The most tags (or owners) one node may have.</summary>
    public const int MaxPerNode = 1000;

    /// <summary>The field name of tags in messages, filters and JSON.</summary>
    public const string TagsField = "tags";

    /// <summary>The field name of owners in messages, filters and JSON.</summary>
    public const string OwnersField = "owners";

    /// <summary>
    /// Checks <paramref name="values"/> and returns them sorted (ordinal) without duplicates; null stays null.
    /// Throws <see cref="InvalidArgumentException"/> naming <paramref name="field"/>, the position and <paramref name="where"/>
    /// (e.g. <c>artifact #0</c>) for an empty, too long or null value, or one with a control character.
    /// </summary>
    public static string[]? Normalize(IReadOnlyList<string>? values, string field, string where)
    {
        if (values is null) return null;
        if (values.Count == 0) return [];
        if (values.Count > MaxPerNode) throw new InvalidArgumentException(Messages.LabelTooMany(field, where, values.Count, MaxPerNode));
        for (var i = 0; i < values.Count; i++) Check(values[i], field, i, where);
        if (values.Count == 1) return [values[0]];
        var sorted = new SortedSet<string>(values, StringComparer.Ordinal);
        return [.. sorted];
    }

    /// <summary>Checks one value (see <see cref="Normalize"/>).</summary>
    public static void Check(string? value, string field, int position, string where)
    {
        if (value is null) throw new InvalidArgumentException(Messages.LabelNull(field, position, where));
        if (value.Length == 0) throw new InvalidArgumentException(Messages.LabelEmpty(field, position, where));
        if (value.Length > MaxLength) throw new InvalidArgumentException(Messages.LabelTooLong(field, position, where, value.Length));
        foreach (var c in value)
        {
            if (char.IsControl(c)) throw new InvalidArgumentException(Messages.LabelControlCharacter(field, position, where, Printable(value), c));
        }
    }

    // A control character is shown as \uXXXX so the message itself stays on one line.
    private static string Printable(string value) =>
        string.Concat(value.Select(c => char.IsControl(c) ? "\\u" + ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture) : c.ToString()));
}

/// <summary>Tags and owners to add to or remove from a stored node (<see cref="LabelEditing.EditLabelsAsync"/>).</summary>
public sealed record LabelEdit
{
    /// <summary>Tags to add (present ones are kept once).</summary>
    public IReadOnlyList<string> AddTags { get; init; } = [];

    /// <summary>Tags to remove (absent ones are ignored).</summary>
    public IReadOnlyList<string> RemoveTags { get; init; } = [];

    /// <summary>Owners to add.</summary>
    public IReadOnlyList<string> AddOwners { get; init; } = [];

    /// <summary>Owners to remove.</summary>
    public IReadOnlyList<string> RemoveOwners { get; init; } = [];
}

/// <summary>Adding and removing labels of a stored node without rewriting the rest of it, through any <see cref="IMetadataStore"/>.</summary>
public static class LabelEditing
{
    /// <summary>The mask of a put that changes only labels: tags and owners are not MLMD fields, so every MLMD field is kept.</summary>
    public static IReadOnlyList<string> LabelsOnlyMask { get; } = [NodeLabels.TagsField, NodeLabels.OwnersField];

    /// <summary>
    /// Applies <paramref name="edit"/> to node <paramref name="id"/> of <paramref name="kind"/> and returns the node as stored afterwards.
    /// Throws <see cref="NotFoundException"/> for an unknown id and <see cref="InvalidArgumentException"/> for a bad label.
    /// </summary>
    /// <remarks>
    /// A read, then a masked put of the new lists. An artifact's put is conditional on its update time (a concurrent change makes it
    /// read again); for executions and contexts, two concurrent edits of the same node's labels may keep only the later one.
    /// </remarks>
    public static async Task<Node> EditLabelsAsync(this IMetadataStore store, NodeKind kind, long id, LabelEdit edit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(edit);
        var where = Messages.KindName(kind) + " " + id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        NodeLabels.Normalize(edit.AddTags, NodeLabels.TagsField, where);
        NodeLabels.Normalize(edit.AddOwners, NodeLabels.OwnersField, where);
        for (var attempt = 0; ; attempt++)
        {
            var node = await ReadAsync(store, kind, id, cancellationToken).ConfigureAwait(false)
                ?? throw new NotFoundException(Messages.NodeIdNotFound(kind, id));
            var tags = Apply(node.Tags, edit.AddTags, edit.RemoveTags);
            var owners = Apply(node.Owners, edit.AddOwners, edit.RemoveOwners);
            if (tags.SequenceEqual(node.Tags ?? [], StringComparer.Ordinal) && owners.SequenceEqual(node.Owners ?? [], StringComparer.Ordinal)) return node;
            try
            {
                var options = new PutNodesOptions { UpdateMask = LabelsOnlyMask, AbortIfLatestUpdatedTimeChanged = kind == NodeKind.Artifact };
                switch (node)
                {
                    case Artifact a: await store.PutArtifactsAsync([a with { Tags = tags, Owners = owners }], options, cancellationToken).ConfigureAwait(false); break;
                    case Execution x: await store.PutExecutionsAsync([x with { Tags = tags, Owners = owners }], options, cancellationToken).ConfigureAwait(false); break;
                    case Context c: await store.PutContextsAsync([c with { Tags = tags, Owners = owners }], options, cancellationToken).ConfigureAwait(false); break;
                }
            }
            catch (FailedPreconditionException) when (attempt < 4)
            {
                continue;
            }

            return await ReadAsync(store, kind, id, cancellationToken).ConfigureAwait(false) ?? throw new NotFoundException(Messages.NodeIdNotFound(kind, id));
        }
    }

    private static string[] Apply(IReadOnlyList<string>? stored, IReadOnlyList<string> add, IReadOnlyList<string> remove)
    {
        var set = new SortedSet<string>(stored ?? [], StringComparer.Ordinal);
        set.UnionWith(add);
        set.ExceptWith(remove);
        return [.. set];
    }

    private static async Task<Node?> ReadAsync(IMetadataStore store, NodeKind kind, long id, CancellationToken ct) => kind switch
    {
        NodeKind.Artifact => (await store.GetArtifactsByIdAsync([id], ct).ConfigureAwait(false)).FirstOrDefault(),
        NodeKind.Execution => (await store.GetExecutionsByIdAsync([id], ct).ConfigureAwait(false)).FirstOrDefault(),
        _ => (await store.GetContextsByIdAsync([id], ct).ConfigureAwait(false)).FirstOrDefault(),
    };
}
