namespace Cairn.Cli;

/// <summary>The store calls of each node kind behind one switch, so commands are written once for all three kinds.</summary>
internal static class Kinds
{
    public static string Plural(NodeKind kind) => Messages.KindName(kind) + "s";

    public static string Count(NodeKind kind, int count) => count == 1 ? "1 " + Messages.KindName(kind) : $"{count} {Plural(kind)}";

    public static async Task<MetadataType> GetTypeAsync(IMetadataStore store, NodeKind kind, string name, string? version, CancellationToken cancellationToken) => kind switch
    {
        NodeKind.Artifact => await store.GetArtifactTypeAsync(name, version, cancellationToken),
        NodeKind.Execution => await store.GetExecutionTypeAsync(name, version, cancellationToken),
        _ => await store.GetContextTypeAsync(name, version, cancellationToken),
    };

    public static async Task<IReadOnlyList<MetadataType>> GetTypesByIdAsync(IMetadataStore store, NodeKind kind, IReadOnlyCollection<long> ids, CancellationToken cancellationToken) => kind switch
    {
        NodeKind.Artifact => await store.GetArtifactTypesByIdAsync(ids, cancellationToken),
        NodeKind.Execution => await store.GetExecutionTypesByIdAsync(ids, cancellationToken),
        _ => await store.GetContextTypesByIdAsync(ids, cancellationToken),
    };

    public static async Task<IReadOnlyList<MetadataType>> GetTypesAsync(IMetadataStore store, NodeKind kind, CancellationToken cancellationToken) => kind switch
    {
        NodeKind.Artifact => await store.GetArtifactTypesAsync(cancellationToken),
        NodeKind.Execution => await store.GetExecutionTypesAsync(cancellationToken),
        _ => await store.GetContextTypesAsync(cancellationToken),
    };

    public static async Task<Page<Node>> ListAsync(IMetadataStore store, NodeKind kind, ListOptions options, CancellationToken cancellationToken) => kind switch
    {
        NodeKind.Artifact => Widen(await store.GetArtifactsAsync(options, cancellationToken)),
        NodeKind.Execution => Widen(await store.GetExecutionsAsync(options, cancellationToken)),
        _ => Widen(await store.GetContextsAsync(options, cancellationToken)),
    };

    public static async Task<Page<Node>> ListByTypeAsync(IMetadataStore store, NodeKind kind, string typeName, string? typeVersion, ListOptions options, CancellationToken cancellationToken) => kind switch
    {
        NodeKind.Artifact => Widen(await store.GetArtifactsByTypeAsync(typeName, typeVersion, options, cancellationToken)),
        NodeKind.Execution => Widen(await store.GetExecutionsByTypeAsync(typeName, typeVersion, options, cancellationToken)),
        _ => Widen(await store.GetContextsByTypeAsync(typeName, typeVersion, options, cancellationToken)),
    };

    /// <summary>Members of a context (artifacts by attribution, executions by association).</summary>
    public static async Task<Page<Node>> ListByContextAsync(IMetadataStore store, NodeKind kind, long contextId, ListOptions options, CancellationToken cancellationToken) => kind switch
    {
        NodeKind.Artifact => Widen(await store.GetArtifactsByContextAsync(contextId, options, cancellationToken)),
        NodeKind.Execution => Widen(await store.GetExecutionsByContextAsync(contextId, options, cancellationToken)),
        _ => throw new UsageException(CliMessages.ContextFilterOnContexts),
    };

    public static async Task<IReadOnlyList<Node>> GetByIdsAsync(IMetadataStore store, NodeKind kind, IReadOnlyCollection<long> ids, CancellationToken cancellationToken) => kind switch
    {
        NodeKind.Artifact => await store.GetArtifactsByIdAsync(ids, cancellationToken),
        NodeKind.Execution => await store.GetExecutionsByIdAsync(ids, cancellationToken),
        _ => await store.GetContextsByIdAsync(ids, cancellationToken),
    };

    public static async Task<Node?> GetByTypeAndNameAsync(IMetadataStore store, NodeKind kind, string typeName, string name, string? typeVersion, CancellationToken cancellationToken) => kind switch
    {
        NodeKind.Artifact => await store.GetArtifactByTypeAndNameAsync(typeName, name, typeVersion, cancellationToken),
        NodeKind.Execution => await store.GetExecutionByTypeAndNameAsync(typeName, name, typeVersion, cancellationToken),
        _ => await store.GetContextByTypeAndNameAsync(typeName, name, typeVersion, cancellationToken),
    };

    public static Task<IReadOnlyList<long>> PutAsync(IMetadataStore store, NodeKind kind, IReadOnlyList<Node> nodes, PutNodesOptions? options, CancellationToken cancellationToken) => kind switch
    {
        NodeKind.Artifact => store.PutArtifactsAsync([.. nodes.Cast<Artifact>()], options, cancellationToken),
        NodeKind.Execution => store.PutExecutionsAsync([.. nodes.Cast<Execution>()], options, cancellationToken),
        _ => store.PutContextsAsync([.. nodes.Cast<Context>()], options, cancellationToken),
    };

    /// <summary>Reads every page (or the first <paramref name="limit"/> rows), 100 rows per call.</summary>
    public static async Task<List<T>> CollectAsync<T>(Func<ListOptions, Task<Page<T>>> list, int? limit, OrderByField orderBy, bool ascending)
    {
        var rows = new List<T>();
        string? token = null;
        while (limit is not { } max || rows.Count < max)
        {
            var size = limit is { } l ? Math.Min(ListOptions.MaxPageSize, l - rows.Count) : ListOptions.MaxPageSize;
            var page = await list(new ListOptions { MaxResultSize = size, OrderBy = orderBy, IsAscending = ascending, NextPageToken = token });
            rows.AddRange(page.Items);
            token = page.NextPageToken;
            if (string.IsNullOrEmpty(token) || page.Items.Count == 0) break;
        }

        return limit is { } cap && rows.Count > cap ? rows[..cap] : rows;
    }

    private static Page<Node> Widen<T>(Page<T> page)
        where T : Node => new(page.Items, page.NextPageToken);
}
