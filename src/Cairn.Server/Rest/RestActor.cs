using Cairn.Grpc;

namespace Cairn.Server.Rest;

/// <summary>
/// Records the actor a REST caller names in the <c>cairn-actor</c> header (the one <c>grpc://</c> clients send) as the author of
/// the request's writes in the change log (docs/history.md). The server has no authentication yet, so the header is the
/// caller's claim; without it the store's own actor is recorded. gRPC calls are left to <see cref="ActorInterceptor"/>.
/// </summary>
internal sealed class RestActor(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        string? actor = context.Request.Headers[ChangeMapping.ActorHeader];
        if (string.IsNullOrWhiteSpace(actor) || context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
            return next(context);
        return WithActorAsync(actor.Trim(), context);
    }

    private async Task WithActorAsync(string actor, HttpContext context)
    {
        using (ChangeActor.Use(actor)) await next(context).ConfigureAwait(false);
    }
}
