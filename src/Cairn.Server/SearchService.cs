using Grpc.Core;
using V1 = Cairn.Grpc.V1;

namespace Cairn.Server;

/// <summary><c>cairn.v1.CairnSearchService</c>: Cairn's full-text search, one core call per RPC.</summary>
internal sealed class SearchService(IMetadataStore store) : V1.CairnSearchService.CairnSearchServiceBase
{
    public override async Task<V1.SearchResponse> Search(V1.SearchRequest request, ServerCallContext context) =>
        Grpc.SearchMapping.ToProto(await store.SearchAsync(Grpc.SearchMapping.ToCore(request), context.CancellationToken).ConfigureAwait(false));
}
