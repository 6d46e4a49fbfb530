namespace Cairn;

/// <summary>Lifecycle state of an artifact (MLMD <c>Artifact.State</c>).</summary>
public enum ArtifactState
{
    /// <summary>Unknown.</summary>
    Unknown = 0,
    /// <summary>Being written.</summary>
    Pending = 1,
    /// <summary>Written and usable.</summary>
    Live = 2,
    /// <summary>Scheduled for deletion.</summary>
    MarkedForDeletion = 3,
    /// <summary>Deleted.</summary>
    Deleted = 4,
    /// <summary>Abandoned before it was written.</summary>
    Abandoned = 5,
    /// <summary>A reference to data managed elsewhere.</summary>
    Reference = 6,
}

/// <summary>Last known state of an execution (MLMD <c>Execution.State</c>).</summary>
public enum ExecutionState
{
    /// <summary>Unknown.</summary>
    Unknown = 0,
    /// <summary>Created, not started.</summary>
    New = 1,
    /// <summary>Running.</summary>
    Running = 2,
    /// <summary>Finished successfully.</summary>
    Complete = 3,
    /// <summary>Finished with an error.</summary>
    Failed = 4,
    /// <summary>Skipped because a cached result was reused.</summary>
    Cached = 5,
    /// <summary>Cancelled.</summary>
    Canceled = 6,
}

/// <summary>Common shape of artifacts, executions and contexts.</summary>
public abstract record Node
{
    private protected Node()
    {
    }

    /// <summary>Store-assigned id. Set it to update an existing node; leave it null to create one.</summary>
    public long? Id { get; init; }

    /// <summary>The id of the node's type; required on create.</summary>
    public long? TypeId { get; init; }

    /// <summary>The type's name; filled by the store on reads, ignored on writes.</summary>
    public string? Type { get; init; }

    /// <summary>Name, unique per type when set (required for contexts).</summary>
    public string? Name { get; init; }

    /// <summary>Optional id from another system, unique per kind.</summary>
    public string? ExternalId { get; init; }

    /// <summary>Values of the properties declared by the type.</summary>
    public IReadOnlyDictionary<string, MetadataValue> Properties { get; init; } = EmptyMaps.Values;

    /// <summary>Free-form properties not declared by the type.</summary>
    public IReadOnlyDictionary<string, MetadataValue> CustomProperties { get; init; } = EmptyMaps.Values;

    /// <summary>
    /// Tags (Cairn, not MLMD). On reads: the node's tags, sorted, never null. On writes: null keeps the stored tags (none for a
    /// new node); a list replaces them. A tag is 1-256 characters without control characters; duplicates are dropped.
    /// </summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>Owners (Cairn, not MLMD): user or team names, with the same rules as <see cref="Tags"/>.</summary>
    public IReadOnlyList<string>? Owners { get; init; }

    /// <summary>Creation time in milliseconds since the Unix epoch; set by the store.</summary>
    public long? CreateTimeSinceEpoch { get; init; }

    /// <summary>Last update time in milliseconds since the Unix epoch; set by the store.</summary>
    public long? LastUpdateTimeSinceEpoch { get; init; }

    /// <summary>Which kind of node this is.</summary>
    public abstract NodeKind Kind { get; }
}

/// <summary>An artifact: a dataset, a model, a file — anything an execution reads or writes (MLMD <c>Artifact</c>).</summary>
public sealed record Artifact : Node
{
    /// <summary>Where the artifact's bytes live. Unset is stored as the empty string, as MLMD does.</summary>
    public string? Uri { get; init; }

    /// <summary>Lifecycle state; null when unset.</summary>
    public ArtifactState? State { get; init; }

    /// <inheritdoc/>
    public override NodeKind Kind => NodeKind.Artifact;
}

/// <summary>An execution: one run of a step (MLMD <c>Execution</c>).</summary>
public sealed record Execution : Node
{
    /// <summary>Last known state; null when unset.</summary>
    public ExecutionState? LastKnownState { get; init; }

    /// <inheritdoc/>
    public override NodeKind Kind => NodeKind.Execution;
}

/// <summary>A context: a named group of artifacts and executions such as a pipeline run or experiment (MLMD <c>Context</c>).</summary>
public sealed record Context : Node
{
    /// <inheritdoc/>
    public override NodeKind Kind => NodeKind.Context;
}
