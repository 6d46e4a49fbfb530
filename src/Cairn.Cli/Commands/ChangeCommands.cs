using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Cli.Output;

namespace Cairn.Cli.Commands;

/// <summary><c>cairn changes</c> (the change log after a cursor) and <c>cairn history KIND ID</c> (every version of a node): docs/history.md.</summary>
internal static class ChangeCommands
{
    public static Command Changes(CliRuntime runtime, CommandCatalog catalog)
    {
        var command = catalog.Create(
            "changes",
            "The store's change log: every write's changes in commit order, with who made them; page with --after.",
            "cairn changes --entity artifact --after 3 --limit 2",
            "cairn changes --after 23 --limit 6",
            "cairn changes --limit 1 --json");
        var after = new Option<long>("--after") { Description = "Only changes after this seq (the cursor; 0, the default, is the start).", HelpName = "SEQ" };
        var limit = new Option<int>("--limit") { Description = $"Changes per page, 1 to {ChangeLog.MaxLimit} (default {ChangeLog.DefaultLimit}).", HelpName = "N", DefaultValueFactory = _ => ChangeLog.DefaultLimit };
        var entity = new Option<string>("--entity") { Description = "Only changes of this entity: " + ChangeLog.EntityNames + ".", HelpName = "KIND" };
        foreach (var option in new Option[] { after, limit, entity }) command.Options.Add(option);

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var cursor = parseResult.GetValue(after);
            ChangeEntity? only = parseResult.GetValue(entity) is { Length: > 0 } e ? ChangeLog.ParseEntity(e, "--entity") : null;
            await using var store = await runtime.OpenStoreAsync(parseResult, cancellationToken);
            var page = await store.GetChangesAsync(cursor, parseResult.GetValue(limit), only, cancellationToken);
            if (runtime.WantsJson(parseResult))
            {
                runtime.WriteJson(new JsonObject { ["changes"] = Json(page.Changes), ["next"] = page.Next, ["has_more"] = page.HasMore });
                return ExitCodes.Success;
            }

            if (page.Changes.Count == 0)
            {
                runtime.WriteLine(CliMessages.ChangesNothing(cursor));
                return ExitCodes.Success;
            }

            var table = Tables.Create("SEQ", "TIME", "ACTOR", "ENTITY", "ID", "OPERATION");
            foreach (var c in page.Changes)
                Tables.AddRow(table, Tables.Id(c.Seq), Tables.Time(c.Time), c.Actor, ChangeLog.NameOf(c.Entity), Tables.Id(c.EntityId) ?? c.EntityKey, ChangeLog.NameOf(c.Operation));
            runtime.Console.Write(table);
            if (page.HasMore) runtime.WriteLine(CliMessages.ChangesNextPage(page.Next));
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command History(CliRuntime runtime, CommandCatalog catalog)
    {
        var command = catalog.Create(
            "history",
            "Every recorded version of an artifact, execution or context, oldest first, with who changed what.",
            "cairn history artifact 1",
            "cairn history artifact 1 --json");
        var kind = new Argument<string>("kind") { Description = "artifact, execution or context." };
        kind.AcceptOnlyFromAmong("artifact", "execution", "context");
        var id = new Argument<long>("id") { Description = "The node's id." };
        command.Arguments.Add(kind);
        command.Arguments.Add(id);

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var entity = ChangeLog.ParseEntity(parseResult.GetValue(kind), "kind");
            var nodeId = parseResult.GetValue(id);
            await using var store = await runtime.OpenStoreAsync(parseResult, cancellationToken);
            var history = await store.GetHistoryAsync(entity, nodeId, cancellationToken);
            if (runtime.WantsJson(parseResult))
            {
                runtime.WriteJson(new JsonObject { ["changes"] = Json(history) });
                return ExitCodes.Success;
            }

            if (history.Count == 0)
            {
                runtime.WriteLine(CliMessages.HistoryNothing(ChangeLog.NameOf(entity), nodeId));
                return ExitCodes.Success;
            }

            var table = Tables.Create("SEQ", "TIME", "ACTOR", "OPERATION", "CHANGED");
            JsonElement? previous = null;
            foreach (var c in history)
            {
                JsonElement? state = c.State is { } s ? JsonDocument.Parse(s).RootElement.Clone() : null;
                var changed = c.Operation == ChangeOperation.Create || previous is null || state is null ? string.Empty : string.Join(", ", Changed(previous.Value, state.Value));
                Tables.AddRow(table, Tables.Id(c.Seq), Tables.Time(c.Time), c.Actor, ChangeLog.NameOf(c.Operation), changed);
                previous = state;
            }

            runtime.Console.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The fields that differ between two states (property maps by key), the update time left out.</summary>
    private static IEnumerable<string> Changed(JsonElement before, JsonElement after)
    {
        var names = Names(before).Union(Names(after), StringComparer.Ordinal).Where(n => n != "last_update_time_since_epoch").Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var had = before.TryGetProperty(name, out var b);
            var has = after.TryGetProperty(name, out var a);
            if (had && has && JsonElement.DeepEquals(a, b)) continue;
            if (name is "properties" or "custom_properties" && (!had || b.ValueKind == JsonValueKind.Object) && (!has || a.ValueKind == JsonValueKind.Object))
            {
                var empty = JsonDocument.Parse("{}").RootElement;
                foreach (var key in Changed(had ? b : empty, has ? a : empty)) yield return name + "." + key;
            }
            else
            {
                yield return name;
            }
        }
    }

    private static IEnumerable<string> Names(JsonElement e) => e.ValueKind == JsonValueKind.Object ? e.EnumerateObject().Select(p => p.Name) : [];

    /// <summary>The JSON of <c>--json</c> (the shapes of REST's <c>GET /api/v1/changes</c>).</summary>
    private static JsonArray Json(IEnumerable<Change> changes) => new([.. changes.Select(c =>
    {
        var json = new JsonObject
        {
            ["seq"] = c.Seq,
            ["time"] = c.Time,
            ["actor"] = c.Actor,
            ["entity"] = ChangeLog.NameOf(c.Entity),
        };
        if (c.EntityId is { } id) json["entity_id"] = id;
        if (c.EntityKey is { } key) json["entity_key"] = key;
        json["operation"] = ChangeLog.NameOf(c.Operation);
        if (c.State is { } state) json["state"] = JsonNode.Parse(state);
        return (JsonNode)json;
    })]);
}
