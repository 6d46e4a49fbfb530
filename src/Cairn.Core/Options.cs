namespace Cairn;

/// <summary>Flags for type upserts (MLMD <c>Put*TypeRequest</c>).</summary>
public sealed record TypeUpsertOptions
{
    /// <summary>Defaults: no fields may be added or omitted.</summary>
    public static TypeUpsertOptions Default { get; } = new();

    /// <summary>Allow properties the stored type does not have; they are added.</summary>
    public bool CanAddFields { get; init; }

    /// <summary>Allow the request to leave out properties the stored type has; they are kept.</summary>
    public bool CanOmitFields { get; init; }

    /// <summary>Deprecated MLMD flag; only <c>true</c> is supported, <c>false</c> is refused as Unimplemented.</summary>
    public bool AllFieldsMatch { get; init; } = true;
}

/// <summary>Options of a batch node put (MLMD <c>PutArtifactsRequest</c> and friends).</summary>
public sealed record PutNodesOptions
{
    /// <summary>Defaults: full replacement on update, no timestamp check.</summary>
    public static PutNodesOptions Default { get; } = new();

    /// <summary>
    /// Field paths to merge on update (<c>uri</c>, <c>properties.k</c>, <c>custom_properties</c>, …);
    /// empty means the update replaces the whole node. Ignored for inserts.
    /// </summary>
    public IReadOnlyList<string> UpdateMask { get; init; } = [];

    /// <summary>
    /// For updates, refuse (FailedPrecondition) when the stored last update time differs from the request's.
    /// Artifacts only in MLMD.
    /// </summary>
    public bool AbortIfLatestUpdatedTimeChanged { get; init; }
}

/// <summary>Which column a list is ordered by (MLMD <c>ListOperationOptions.OrderByField.Field</c>).</summary>
public enum OrderByField
{
    /// <summary>Not valid; refused.</summary>
    Unspecified = 0,
    /// <summary>Creation time, then id.</summary>
    CreateTime = 1,
    /// <summary>Last update time, then id.</summary>
    LastUpdateTime = 2,
    /// <summary>Id.</summary>
    Id = 3,
}

/// <summary>Paging, ordering and filtering of a list call (MLMD <c>ListOperationOptions</c>).</summary>
public sealed record ListOptions
{
    /// <summary>The largest page MLMD's surface returns.</summary>
    public const int MaxPageSize = 100;

    /// <summary>Rows per page, 1 to 100 (larger values are capped at 100 and a page token is returned). MLMD's default is 20.</summary>
    public int MaxResultSize { get; init; } = 20;

    /// <summary>Order column.</summary>
    public OrderByField OrderBy { get; init; } = OrderByField.Id;

    /// <summary>Ascending (default) or descending.</summary>
    public bool IsAscending { get; init; } = true;

    /// <summary>Token from the previous page, or null for the first page.</summary>
    public string? NextPageToken { get; init; }

    /// <summary>An MLMD filter query; null or empty means no filter.</summary>
    public string? FilterQuery { get; init; }
}

/// <summary>One page of a list call.</summary>
/// <typeparam name="T">The listed item.</typeparam>
/// <param name="Items">The items of this page.</param>
/// <param name="NextPageToken">Token for the next page; null or empty when this is the last page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextPageToken);

/// <summary>Result of <see cref="IMetadataStore.PutTypesAsync"/>: ids index-aligned with the request.</summary>
public sealed record PutTypesResult(IReadOnlyList<long> ArtifactTypeIds, IReadOnlyList<long> ExecutionTypeIds, IReadOnlyList<long> ContextTypeIds);

/// <summary>An artifact and/or an event linking it to the execution of a <see cref="IMetadataStore.PutExecutionAsync"/> call.</summary>
/// <param name="Artifact">The artifact to insert or update, or null.</param>
/// <param name="Event">The event to record, or null.</param>
public sealed record ArtifactAndEvent(Artifact? Artifact, Event? Event);

/// <summary>Options of <see cref="IMetadataStore.PutExecutionAsync"/> (MLMD <c>PutExecutionRequest.Options</c>).</summary>
public sealed record PutExecutionOptions
{
    /// <summary>Defaults: nothing reused.</summary>
    public static PutExecutionOptions Default { get; } = new();

    /// <summary>Reuse a stored context with the same type and name instead of failing.</summary>
    public bool ReuseContextIfAlreadyExist { get; init; }

    /// <summary>Reuse (and update) a stored artifact with the same external id.</summary>
    public bool ReuseArtifactIfAlreadyExistByExternalId { get; init; }

    /// <summary>Bump the execution's last update time even when nothing changed.</summary>
    public bool ForceUpdateTime { get; init; }

    /// <summary>Contexts given with an id are only checked to exist, never modified.</summary>
    public bool ForceReuseContext { get; init; }
}

/// <summary>Result of <see cref="IMetadataStore.PutExecutionAsync"/>.</summary>
/// <param name="ExecutionId">The execution's id.</param>
/// <param name="ArtifactIds">Per request pair: the artifact id, or the event's artifact id, or -1 for an empty pair.</param>
/// <param name="ContextIds">Context ids, index-aligned with the request.</param>
public sealed record PutExecutionResult(long ExecutionId, IReadOnlyList<long> ArtifactIds, IReadOnlyList<long> ContextIds);

/// <summary>An event of <see cref="IMetadataStore.PutLineageSubgraphAsync"/> whose ends may be given by index into the request.</summary>
/// <param name="ExecutionIndex">Index into the request's executions, or null to use the event's execution id.</param>
/// <param name="ArtifactIndex">Index into the request's artifacts, or null to use the event's artifact id.</param>
/// <param name="Event">The event; required.</param>
public sealed record EventEdge(int? ExecutionIndex, int? ArtifactIndex, Event? Event);

/// <summary>Options of <see cref="IMetadataStore.PutLineageSubgraphAsync"/>.</summary>
public sealed record PutLineageSubgraphOptions
{
    /// <summary>Defaults: nothing reused.</summary>
    public static PutLineageSubgraphOptions Default { get; } = new();

    /// <summary>Reuse a stored context with the same type and name instead of failing.</summary>
    public bool ReuseContextIfAlreadyExist { get; init; }

    /// <summary>Reuse (and update) a stored artifact with the same external id.</summary>
    public bool ReuseArtifactIfAlreadyExistByExternalId { get; init; }
}

/// <summary>Result of <see cref="IMetadataStore.PutLineageSubgraphAsync"/>: ids index-aligned with the request.</summary>
public sealed record PutLineageSubgraphResult(IReadOnlyList<long> ExecutionIds, IReadOnlyList<long> ArtifactIds, IReadOnlyList<long> ContextIds);
