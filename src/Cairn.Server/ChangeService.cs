using Grpc.Core;
using V1 = Cairn.Grpc.V1;

namespace Cairn.Server;

/// <summary><c>cairn.v1.CairnChangeService</c>: the change log, one core call per RPC.</summary>
internal sealed class ChangeService(IMetadataStore store) : V1.CairnChangeService.CairnChangeServiceBase
{
    public override async Task<V1.GetChangesResponse> GetChanges(V1.GetChangesRequest request, ServerCallContext context)
    {
        ChangeEntity? entity = request.HasEntity ? ChangeLog.ParseEntity(request.Entity, "entity") : null;
        var page = await store.GetChangesAsync(request.After, request.Limit, entity, context.CancellationToken).ConfigureAwait(false);
        return Grpc.ChangeMapping.ToProto(page);
    }

    public override async Task<V1.GetHistoryResponse> GetHistory(V1.GetHistoryRequest request, ServerCallContext context)
    {
        var history = await store.GetHistoryAsync(ChangeLog.ParseEntity(request.Entity, "entity"), request.Id, context.CancellationToken).ConfigureAwait(false);
        var response = new V1.GetHistoryResponse();
        response.Changes.Add(history.Select(Grpc.ChangeMapping.ToProto));
        return response;
    }
}
