namespace Cairn;

/// <summary>
/// A Cairn metadata store with ML Metadata's semantics: the same operations, the same validation and the same
/// error codes as MLMD's <c>MetadataStoreService</c>. Every call is one transaction.
/// </summary>
/// <remarks>
/// Open one with <see cref="CairnStore.OpenAsync(string, CancellationToken)"/>. Implementations are thread-safe;
/// share one instance per store and dispose it when done.
/// </remarks>
public interface IMetadataStore : IAsyncDisposable
{
    /// <summary>The URI the store was opened with, with any password removed.</summary>
    string DisplayUri { get; }

    // ---------------------------------------------------------------- types

    /// <summary>Inserts an artifact type, or checks and extends the stored one with the same name and version.</summary>
    /// <returns>The type's id.</returns>
    Task<long> PutArtifactTypeAsync(ArtifactType type, TypeUpsertOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Inserts an execution type, or checks and extends the stored one with the same name and version.</summary>
    Task<long> PutExecutionTypeAsync(ExecutionType type, TypeUpsertOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Inserts a context type, or checks and extends the stored one with the same name and version.</summary>
    Task<long> PutContextTypeAsync(ContextType type, TypeUpsertOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Upserts several types of every kind in one transaction: all succeed or none do.</summary>
    Task<PutTypesResult> PutTypesAsync(
        IReadOnlyList<ArtifactType> artifactTypes,
        IReadOnlyList<ExecutionType> executionTypes,
        IReadOnlyList<ContextType> contextTypes,
        TypeUpsertOptions? options = null,
        CancellationToken cancellationToken = default);

    /// <summary>The artifact type with this name and version (null or empty version = unversioned); NotFound otherwise.</summary>
    Task<ArtifactType> GetArtifactTypeAsync(string typeName, string? typeVersion = null, CancellationToken cancellationToken = default);

    /// <summary>The execution type with this name and version; NotFound otherwise.</summary>
    Task<ExecutionType> GetExecutionTypeAsync(string typeName, string? typeVersion = null, CancellationToken cancellationToken = default);

    /// <summary>The context type with this name and version; NotFound otherwise.</summary>
    Task<ContextType> GetContextTypeAsync(string typeName, string? typeVersion = null, CancellationToken cancellationToken = default);

    /// <summary>Artifact types with these ids; unknown ids are skipped.</summary>
    Task<IReadOnlyList<ArtifactType>> GetArtifactTypesByIdAsync(IReadOnlyCollection<long> typeIds, CancellationToken cancellationToken = default);

    /// <summary>Execution types with these ids; unknown ids are skipped.</summary>
    Task<IReadOnlyList<ExecutionType>> GetExecutionTypesByIdAsync(IReadOnlyCollection<long> typeIds, CancellationToken cancellationToken = default);

    /// <summary>Context types with these ids; unknown ids are skipped.</summary>
    Task<IReadOnlyList<ContextType>> GetContextTypesByIdAsync(IReadOnlyCollection<long> typeIds, CancellationToken cancellationToken = default);

    /// <summary>All artifact types except the <c>mlmd.*</c> system types.</summary>
    Task<IReadOnlyList<ArtifactType>> GetArtifactTypesAsync(CancellationToken cancellationToken = default);

    /// <summary>All execution types except the <c>mlmd.*</c> system types.</summary>
    Task<IReadOnlyList<ExecutionType>> GetExecutionTypesAsync(CancellationToken cancellationToken = default);

    /// <summary>All context types.</summary>
    Task<IReadOnlyList<ContextType>> GetContextTypesAsync(CancellationToken cancellationToken = default);

    /// <summary>Artifact types with these external ids; NotFound when none match, InvalidArgument for an empty id.</summary>
    Task<IReadOnlyList<ArtifactType>> GetArtifactTypesByExternalIdsAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken = default);

    /// <summary>Execution types with these external ids; NotFound when none match, InvalidArgument for an empty id.</summary>
    Task<IReadOnlyList<ExecutionType>> GetExecutionTypesByExternalIdsAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken = default);

    /// <summary>Context types with these external ids; NotFound when none match, InvalidArgument for an empty id.</summary>
    Task<IReadOnlyList<ContextType>> GetContextTypesByExternalIdsAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken = default);

    // ---------------------------------------------------------------- node writes

    /// <summary>Inserts artifacts without an id and updates those with one, in one transaction.</summary>
    /// <returns>Ids index-aligned with <paramref name="artifacts"/>.</returns>
    Task<IReadOnlyList<long>> PutArtifactsAsync(IReadOnlyList<Artifact> artifacts, PutNodesOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Inserts executions without an id and updates those with one, in one transaction.</summary>
    Task<IReadOnlyList<long>> PutExecutionsAsync(IReadOnlyList<Execution> executions, PutNodesOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Inserts contexts without an id and updates those with one, in one transaction.</summary>
    Task<IReadOnlyList<long>> PutContextsAsync(IReadOnlyList<Context> contexts, PutNodesOptions? options = null, CancellationToken cancellationToken = default);

    // ---------------------------------------------------------------- node reads

    /// <summary>Lists artifacts. With null options every artifact is returned in one page.</summary>
    Task<Page<Artifact>> GetArtifactsAsync(ListOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Lists executions. With null options every execution is returned in one page.</summary>
    Task<Page<Execution>> GetExecutionsAsync(ListOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Lists contexts. With null options every context is returned in one page.</summary>
    Task<Page<Context>> GetContextsAsync(ListOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Artifacts with these ids; unknown ids are skipped and the order is not guaranteed.</summary>
    Task<IReadOnlyList<Artifact>> GetArtifactsByIdAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default);

    /// <summary>Executions with these ids; unknown ids are skipped.</summary>
    Task<IReadOnlyList<Execution>> GetExecutionsByIdAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default);

    /// <summary>Contexts with these ids; unknown ids are skipped.</summary>
    Task<IReadOnlyList<Context>> GetContextsByIdAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default);

    /// <summary>Artifacts of a type; empty when the type does not exist.</summary>
    Task<Page<Artifact>> GetArtifactsByTypeAsync(string typeName, string? typeVersion = null, ListOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Executions of a type; empty when the type does not exist.</summary>
    Task<Page<Execution>> GetExecutionsByTypeAsync(string typeName, string? typeVersion = null, ListOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Contexts of a type; empty when the type does not exist.</summary>
    Task<Page<Context>> GetContextsByTypeAsync(string typeName, string? typeVersion = null, ListOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>The artifact with this type and name, or null.</summary>
    Task<Artifact?> GetArtifactByTypeAndNameAsync(string typeName, string artifactName, string? typeVersion = null, CancellationToken cancellationToken = default);

    /// <summary>The execution with this type and name, or null.</summary>
    Task<Execution?> GetExecutionByTypeAndNameAsync(string typeName, string executionName, string? typeVersion = null, CancellationToken cancellationToken = default);

    /// <summary>The context with this type and name, or null.</summary>
    Task<Context?> GetContextByTypeAndNameAsync(string typeName, string contextName, string? typeVersion = null, CancellationToken cancellationToken = default);

    /// <summary>Artifacts whose URI is one of <paramref name="uris"/> (duplicates and unknown URIs are ignored).</summary>
    Task<IReadOnlyList<Artifact>> GetArtifactsByUriAsync(IReadOnlyCollection<string> uris, CancellationToken cancellationToken = default);

    /// <summary>Artifacts with these external ids; NotFound when none match, InvalidArgument for an empty id.</summary>
    Task<IReadOnlyList<Artifact>> GetArtifactsByExternalIdsAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken = default);

    /// <summary>Executions with these external ids; NotFound when none match, InvalidArgument for an empty id.</summary>
    Task<IReadOnlyList<Execution>> GetExecutionsByExternalIdsAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken = default);

    /// <summary>Contexts with these external ids; NotFound when none match, InvalidArgument for an empty id.</summary>
    Task<IReadOnlyList<Context>> GetContextsByExternalIdsAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken = default);

    /// <summary>Artifacts attributed to a context; empty when none.</summary>
    Task<Page<Artifact>> GetArtifactsByContextAsync(long contextId, ListOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Executions associated with a context; empty when none.</summary>
    Task<Page<Execution>> GetExecutionsByContextAsync(long contextId, ListOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Contexts an artifact is attributed to; NotFound when there are none (an MLMD quirk clients rely on).</summary>
    Task<IReadOnlyList<Context>> GetContextsByArtifactAsync(long artifactId, CancellationToken cancellationToken = default);

    /// <summary>Contexts an execution is associated with; NotFound when there are none (an MLMD quirk clients rely on).</summary>
    Task<IReadOnlyList<Context>> GetContextsByExecutionAsync(long executionId, CancellationToken cancellationToken = default);

    /// <summary>Parents of a context; empty when none.</summary>
    Task<IReadOnlyList<Context>> GetParentContextsByContextAsync(long contextId, CancellationToken cancellationToken = default);

    /// <summary>Children of a context; empty when none.</summary>
    Task<IReadOnlyList<Context>> GetChildrenContextsByContextAsync(long contextId, CancellationToken cancellationToken = default);

    /// <summary>Parents of each context; contexts without parents are absent from the map. InvalidArgument for an empty id list.</summary>
    Task<IReadOnlyDictionary<long, IReadOnlyList<Context>>> GetParentContextsByContextsAsync(IReadOnlyCollection<long> contextIds, CancellationToken cancellationToken = default);

    /// <summary>Children of each context; contexts without children are absent from the map. InvalidArgument for an empty id list.</summary>
    Task<IReadOnlyDictionary<long, IReadOnlyList<Context>>> GetChildrenContextsByContextsAsync(IReadOnlyCollection<long> contextIds, CancellationToken cancellationToken = default);

    // ---------------------------------------------------------------- edges

    /// <summary>Records events; all or none.</summary>
    Task PutEventsAsync(IReadOnlyList<Event> events, CancellationToken cancellationToken = default);

    /// <summary>Events of these artifacts; empty when none.</summary>
    Task<IReadOnlyList<Event>> GetEventsByArtifactIdsAsync(IReadOnlyCollection<long> artifactIds, CancellationToken cancellationToken = default);

    /// <summary>Events of these executions; empty when none.</summary>
    Task<IReadOnlyList<Event>> GetEventsByExecutionIdsAsync(IReadOnlyCollection<long> executionIds, CancellationToken cancellationToken = default);

    /// <summary>Adds artifacts and executions to contexts; pairs that already exist are ignored.</summary>
    Task PutAttributionsAndAssociationsAsync(IReadOnlyList<Attribution> attributions, IReadOnlyList<Association> associations, CancellationToken cancellationToken = default);

    /// <summary>Adds parent/child relations between contexts; refuses duplicates and cycles.</summary>
    Task PutParentContextsAsync(IReadOnlyList<ParentContext> parentContexts, CancellationToken cancellationToken = default);

    // ---------------------------------------------------------------- composite writes

    /// <summary>Atomically records an execution with its artifacts, events and contexts (MLMD <c>PutExecution</c>).</summary>
    Task<PutExecutionResult> PutExecutionAsync(
        Execution execution,
        IReadOnlyList<ArtifactAndEvent> artifactEventPairs,
        IReadOnlyList<Context> contexts,
        PutExecutionOptions? options = null,
        CancellationToken cancellationToken = default);

    /// <summary>Atomically records executions, artifacts, contexts and the events between them (MLMD <c>PutLineageSubgraph</c>).</summary>
    Task<PutLineageSubgraphResult> PutLineageSubgraphAsync(
        IReadOnlyList<Execution> executions,
        IReadOnlyList<Artifact> artifacts,
        IReadOnlyList<Context> contexts,
        IReadOnlyList<EventEdge> eventEdges,
        PutLineageSubgraphOptions? options = null,
        CancellationToken cancellationToken = default);

    // ---------------------------------------------------------------- lineage

    /// <summary>
    /// The lineage subgraph around the nodes a filter query selects, with MLMD's semantics (<c>GetLineageSubgraph</c>):
    /// hops, direction by event type, ending nodes. <paramref name="readMask"/> names the <see cref="LineageGraph"/> fields to
    /// fill (see <see cref="LineageGraphFields"/>); empty fills all.
    /// </summary>
    Task<LineageGraph> GetLineageSubgraphAsync(LineageSubgraphQuery query, IReadOnlyCollection<string>? readMask = null, CancellationToken cancellationToken = default) =>
        throw new UnimplementedException(Messages.LineageUnsupported(DisplayUri));

    /// <summary>What is upstream and/or downstream of the given nodes, within a depth and a node budget, with full nodes and edges.</summary>
    Task<LineageResult> GetLineageAsync(LineageRequest request, CancellationToken cancellationToken = default) =>
        throw new UnimplementedException(Messages.LineageUnsupported(DisplayUri));

    // ---------------------------------------------------------------- search

    /// <summary>
    /// Full-text search over names, types, URIs, external ids, string properties, tags and owners, ranked, with highlights and,
    /// on request, facet counts; narrowed by kind, type, owner, tag, creation time and a filter query. The index is written in
    /// the same transaction as the nodes, so a search sees every committed write.
    /// </summary>
    Task<SearchResult> SearchAsync(SearchRequest request, CancellationToken cancellationToken = default) =>
        throw new UnimplementedException(Messages.SearchUnsupported(DisplayUri));

    // ---------------------------------------------------------------- change log

    /// <summary>
    /// The changes committed after <paramref name="after"/> (0 for the start), in log order, at most <paramref name="limit"/>
    /// (1 to <see cref="ChangeLog.MaxLimit"/>), only those of <paramref name="entity"/> when given, each with the state it left.
    /// Pass <see cref="ChangePage.Next"/> as the next <paramref name="after"/>; a change is never skipped or seen twice.
    /// </summary>
    Task<ChangePage> GetChangesAsync(long after = 0, int limit = ChangeLog.DefaultLimit, ChangeEntity? entity = null, CancellationToken cancellationToken = default) =>
        throw new UnimplementedException(Messages.ChangesUnsupported(DisplayUri));

    /// <summary>
    /// Every recorded version of one node or type, oldest first: each change of it with the state it left. Empty when the log
    /// has no change of an existing node or type (one written before the store had a change log); NotFound for an unknown id.
    /// </summary>
    Task<IReadOnlyList<Change>> GetHistoryAsync(ChangeEntity entity, long id, CancellationToken cancellationToken = default) =>
        throw new UnimplementedException(Messages.ChangesUnsupported(DisplayUri));

    // ---------------------------------------------------------------- the store itself

    /// <summary>What backend holds this store and at which schema version.</summary>
    Task<StoreInfo> GetStoreInfoAsync(CancellationToken cancellationToken = default) =>
        throw new UnimplementedException(Messages.StoreInfoUnsupported(DisplayUri));
}
