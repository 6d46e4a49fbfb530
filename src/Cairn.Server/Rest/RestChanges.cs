using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace Cairn.Server.Rest;

/// <summary><c>GET /api/v1/changes</c> and <c>GET /api/v1/{artifacts|executions|contexts}/{id}/history</c>: the change log (docs/history.md).</summary>
internal static class RestChanges
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/changes", async (
            IMetadataStore store,
            [FromQuery(Name = "after")] string? after,
            [FromQuery(Name = "limit")] string? limit,
            [FromQuery(Name = "entity")] string? entity,
            CancellationToken ct) =>
        {
            var page = await store.GetChangesAsync(
                After(after),
                RestInput.Int(limit, "limit", 1, ChangeLog.MaxLimit) ?? ChangeLog.DefaultLimit,
                string.IsNullOrWhiteSpace(entity) ? null : ChangeLog.ParseEntity(entity, "entity"),
                ct).ConfigureAwait(false);
            return Results.Json(new RestChangePage { Changes = [.. page.Changes.Select(ToRest)], Next = page.Next, HasMore = page.HasMore }, RestJsonContext.Default.RestChangePage);
        })
            .WithTags("Changes")
            .WithName("ListChanges")
            .WithSummary("The change log after a cursor (after: a seq, 0 for the start), oldest first, each change with the state it left; pass next as the next after while has_more is true (docs/history.md).")
            .Produces<RestChangePage>();

        foreach (var (kind, path, tag) in new[] { (NodeKind.Artifact, "artifacts", "Artifact"), (NodeKind.Execution, "executions", "Execution"), (NodeKind.Context, "contexts", "Context") })
        {
            api.MapGet($"/{path}/{{id}}/history", async (IMetadataStore store, string id, CancellationToken ct) =>
            {
                var nodeId = RestInput.Id(id, "id");
                var history = await store.GetHistoryAsync(ChangeLog.NodeEntity(kind), nodeId, ct).ConfigureAwait(false);
                return Results.Json(new RestHistory { Changes = [.. history.Select(ToRest)] }, RestJsonContext.Default.RestHistory);
            })
                .WithTags("Changes")
                .WithName($"Get{tag}History")
                .WithSummary($"Every recorded version of the {Messages.KindName(kind)}, oldest first: each change with the state it left (empty for one written before the store had a change log).")
                .Produces<RestHistory>()
                .ProducesProblem(StatusCodes.Status404NotFound);
        }
    }

    // A negative cursor parses here and is refused by the core, whose message names the field.
    private static long After(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return 0;
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var after)
            ? after
            : throw new InvalidArgumentException(RestMessages.NotAnInteger("after", text, 0, long.MaxValue));
    }

    private static RestChange ToRest(Change change) => new()
    {
        Seq = change.Seq,
        Time = change.Time,
        Actor = change.Actor,
        Entity = ChangeLog.NameOf(change.Entity),
        EntityId = change.EntityId,
        EntityKey = change.EntityKey,
        Operation = ChangeLog.NameOf(change.Operation),
        State = change.State is { } state ? JsonDocument.Parse(state).RootElement.Clone() : null,
    };
}

/// <summary>One change of the log: <c>state</c> is the entity as the change left it (the shapes of this API), absent for a delete.</summary>
internal sealed class RestChange
{
    public long Seq { get; init; }

    /// <summary>Milliseconds since the Unix epoch.</summary>
    public long Time { get; init; }

    public required string Actor { get; init; }

    /// <summary>artifact, execution, context, artifact_type, execution_type, context_type, event, attribution, association, parent_context or instance.</summary>
    public required string Entity { get; init; }

    public long? EntityId { get; init; }

    public string? EntityKey { get; init; }

    /// <summary>create, update or delete.</summary>
    public required string Operation { get; init; }

    public JsonElement? State { get; init; }
}

/// <summary>The answer of <c>GET /api/v1/changes</c>.</summary>
internal sealed class RestChangePage
{
    public required IReadOnlyList<RestChange> Changes { get; init; }

    /// <summary>The cursor for the next page (the last change's seq, or the request's after when the page is empty).</summary>
    public long Next { get; init; }

    public bool HasMore { get; init; }
}

/// <summary>The answer of <c>GET /api/v1/{artifacts|executions|contexts}/{id}/history</c>.</summary>
internal sealed class RestHistory
{
    public required IReadOnlyList<RestChange> Changes { get; init; }
}
