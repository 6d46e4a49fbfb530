namespace Cairn.Store.Relational;

internal sealed partial class RelationalMetadataStore
{
    public Task<SearchResult> SearchAsync(SearchRequest request, CancellationToken cancellationToken = default)
    {
        SearchOperations.Validate(request);
        return ReadAsync(s => SearchOperations.SearchAsync(s, request, cancellationToken), cancellationToken);
    }
}
