using Cairn.Grpc;
using V1 = Cairn.Grpc.V1;

namespace Cairn.Client;

internal sealed partial class GrpcMetadataStore
{
    private V1.CairnSearchService.CairnSearchServiceClient? _search;

    public async Task<SearchResult> SearchAsync(SearchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var client = _search ??= new V1.CairnSearchService.CairnSearchServiceClient(_channel);
        var proto = SearchMapping.ToProto(request);
        return SearchMapping.ToCore(await CallAsync(o => client.SearchAsync(proto, o), cancellationToken).ConfigureAwait(false));
    }
}
