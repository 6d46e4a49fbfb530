using System.CommandLine;
using System.Text.Json.Nodes;
using Cairn.Cli.Input;
using Cairn.Cli.Output;

namespace Cairn.Cli.Commands;

/// <summary><c>cairn events list|put</c>.</summary>
internal static class EventCommands
{
    public static Command Create(CliRuntime runtime, CommandCatalog catalog)
    {
        var group = catalog.Create(
            "events",
            "List and record events: which artifacts an execution read and wrote.",
            "cairn events list",
            "cairn events put --artifact 1 --execution 1 --type DECLARED_INPUT");
        group.Subcommands.Add(List(runtime, catalog));
        group.Subcommands.Add(Put(runtime, catalog));
        return group;
    }

    private static Command List(CliRuntime runtime, CommandCatalog catalog)
    {
        var command = catalog.Create(
            "list",
            "List the events of some artifacts and/or executions, or every event. Rows are ordered by execution, artifact and type.",
            "cairn events list",
            "cairn events list --execution 1 --json",
            "cairn events list --artifact 2");
        var artifacts = new Option<long[]>("--artifact") { Description = "Events of this artifact. Repeatable.", HelpName = "ID" };
        var executions = new Option<long[]>("--execution") { Description = "Events of this execution. Repeatable.", HelpName = "ID" };
        var limit = new ListingOptions().Limit;
        command.Options.Add(artifacts);
        command.Options.Add(executions);
        command.Options.Add(limit);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var artifactIds = parseResult.GetValue(artifacts) ?? [];
            var executionIds = parseResult.GetValue(executions) ?? [];
            var max = parseResult.GetValue(limit);
            if (max is <= 0) throw new UsageException(CliMessages.LimitNotPositive(max.Value));

            await using var store = await runtime.OpenStoreAsync(parseResult, cancellationToken);
            var events = new List<Event>();
            if (artifactIds.Length > 0) events.AddRange(await store.GetEventsByArtifactIdsAsync(artifactIds, cancellationToken));
            if (executionIds.Length > 0) events.AddRange(await store.GetEventsByExecutionIdsAsync(executionIds, cancellationToken));
            if (artifactIds.Length + executionIds.Length == 0)
            {
                // There is no "all events" call: walk the executions a page at a time and read their events per page.
                var all = await Kinds.CollectAsync(o => store.GetExecutionsAsync(o, cancellationToken), null, OrderByField.Id, ascending: true);
                foreach (var chunk in all.Select(e => e.Id!.Value).Chunk(ListOptions.MaxPageSize))
                {
                    events.AddRange(await store.GetEventsByExecutionIdsAsync(chunk, cancellationToken));
                }
            }

            IEnumerable<Event> rows = events.DistinctBy(e => (e.ArtifactId, e.ExecutionId, e.Type, e.MillisecondsSinceEpoch, Tables.Path(e.Path))).OrderBy(e => e.ExecutionId).ThenBy(e => e.ArtifactId).ThenBy(e => e.Type).ThenBy(e => e.MillisecondsSinceEpoch);
            if (max is { } m) rows = rows.Take(m);
            var list = rows.ToList();

            if (runtime.WantsJson(parseResult)) runtime.WriteJson(new JsonObject { ["events"] = JsonShapes.Events(list) });
            else if (list.Count == 0) runtime.WriteLine(CliMessages.NoneFound("events"));
            else runtime.Console.Write(Tables.Events(list));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Put(CliRuntime runtime, CommandCatalog catalog)
    {
        var command = catalog.Create(
            "put",
            "Record an event between an artifact and an execution, or several from a JSON or YAML file in one transaction. Events cannot change once recorded.",
            "cairn events put --artifact 1 --execution 1 --type DECLARED_INPUT",
            "cairn events put --artifact 2 --execution 1 --type DECLARED_OUTPUT --path model --path 0",
            "cairn events put --file events.yaml");
        var artifact = new Option<long?>("--artifact") { Description = "The artifact.", HelpName = "ID" };
        var execution = new Option<long?>("--execution") { Description = "The execution.", HelpName = "ID" };
        var type = new Option<string>("--type") { Description = "The event type: " + MlmdNames.List(EventType.Unknown) + ".", HelpName = "TYPE" };
        var path = new Option<string[]>("--path") { Description = "A step of the event's path: digits are a list index, other text a map key. Repeatable, in order.", HelpName = "STEP" };
        var file = new Option<string>("--file") { Description = "Read events from a JSON or YAML file (a list, or {\"events\": [...]} as list --json prints).", HelpName = "PATH" };
        Option[] fieldOptions = [artifact, execution, type, path];
        foreach (var option in fieldOptions) command.Options.Add(option);
        command.Options.Add(file);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            IReadOnlyList<Event> events;
            if (parseResult.GetValue(file) is { } filePath)
            {
                var given = fieldOptions.FirstOrDefault(o => parseResult.GetResult(o) is { Implicit: false });
                if (given is not null) throw new UsageException(CliMessages.FileExcludesFlags(given.Name));
                events = EventInput.ParseFile(await InputFiles.ReadAsync(filePath, runtime.ResolvePath(filePath), cancellationToken));
            }
            else
            {
                var artifactId = parseResult.GetValue(artifact);
                var executionId = parseResult.GetValue(execution);
                var typeText = parseResult.GetValue(type);
                if (artifactId is null || executionId is null || typeText is null) throw new UsageException(CliMessages.EventPutNeedsFields);
                events =
                [
                    new Event
                    {
                        ArtifactId = artifactId,
                        ExecutionId = executionId,
                        Type = EventInput.ParseType(typeText, message => new InvalidArgumentException("--type: " + message)),
                        Path = [.. (parseResult.GetValue(path) ?? []).Select(EventInput.ParseStep)],
                    },
                ];
            }

            await using var store = await runtime.OpenStoreAsync(parseResult, cancellationToken);
            await store.PutEventsAsync(events, cancellationToken);
            if (runtime.WantsJson(parseResult)) runtime.WriteJson(new JsonObject { ["event_count"] = events.Count });
            else runtime.WriteLine(CliMessages.EventsRecorded(events.Count));
            return ExitCodes.Success;
        });
        return command;
    }
}
