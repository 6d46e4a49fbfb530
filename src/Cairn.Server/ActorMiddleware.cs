using Cairn.Grpc;

namespace Cairn.Server;

/// <summary>
/// Records the actor a caller names in the <c>cairn-actor</c> header as the author of the request's writes in the change log
/// (docs/history.md), for gRPC calls (the <c>grpc://</c> client sends it) and REST requests alike: both pass through this one
/// middleware. The server has no authentication yet, so the header is the caller's claim; without it the store's own actor
/// is recorded.
/// </summary>
internal sealed class ActorMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        string? actor = context.Request.Headers[ChangeMapping.ActorHeader];
        return string.IsNullOrWhiteSpace(actor) ? next(context) : WithActorAsync(actor.Trim(), context);
    }

    private async Task WithActorAsync(string actor, HttpContext context)
    {
        using (ChangeActor.Use(actor)) await next(context).ConfigureAwait(false);
    }
}
