using Grpc.Core;
using Grpc.Core.Interceptors;
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

/// <summary>
/// Records the actor a <c>grpc://</c> client names in its <c>cairn-actor</c> header as the author of the call's writes. The server
/// has no authentication yet, so the header is the client's claim, as the store's default actor is the server's own.
/// </summary>
internal sealed class ActorInterceptor : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        // The header straight from the request (repeated values joined, as in RequestHeaders): ServerCallContext.RequestHeaders
        // would copy every header of every call into a new Metadata.
        string? actor = context.GetHttpContext().Request.Headers[Grpc.ChangeMapping.ActorHeader];
        return string.IsNullOrWhiteSpace(actor) ? continuation(request, context) : WithActorAsync(actor, request, context, continuation);
    }

    private static async Task<TResponse> WithActorAsync<TRequest, TResponse>(
        string actor, TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class
    {
        using (ChangeActor.Use(actor)) return await continuation(request, context).ConfigureAwait(false);
    }
}
