using Grpc.Core;
using V1 = Cairn.Grpc.V1;

namespace Cairn.Server;

/// <summary><c>cairn.v1.CairnLineageService</c>: Cairn's own lineage call, one core call per RPC.</summary>
internal sealed class LineageService(IMetadataStore store) : V1.CairnLineageService.CairnLineageServiceBase
{
    public override async Task<V1.GetLineageResponse> GetLineage(V1.GetLineageRequest request, ServerCallContext context) =>
        Grpc.LineageMapping.ToProto(await store.GetLineageAsync(Grpc.LineageMapping.ToCore(request), context.CancellationToken).ConfigureAwait(false));
}
