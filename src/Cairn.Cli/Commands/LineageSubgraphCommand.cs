using System.CommandLine;
using System.Text.Json.Nodes;
using Cairn.Cli.Output;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Cairn.Cli.Commands;

/// <summary><c>cairn lineage-subgraph</c>: MLMD's <c>GetLineageSubgraph</c> for scripts, printed as tables or as MLMD's <c>LineageGraph</c>.</summary>
internal static class LineageSubgraphCommand
{
    public static Command Create(CliRuntime runtime, CommandCatalog catalog)
    {
        var command = catalog.Create(
            "lineage-subgraph",
            "MLMD's GetLineageSubgraph: the nodes within N hops of the artifacts or executions a filter query selects, following events by type, with their contexts, types and events. --json prints MLMD's LineageGraph.",
            "cairn lineage-subgraph --from-artifacts \"name = 'mnist-v1'\" --hops 2 --fields artifacts,executions,events",
            "cairn lineage-subgraph --from-executions \"name = 'eval-1'\" --direction upstream --end-artifacts \"name = 'mnist-v1'\" --include-ending --fields artifacts,events --json");
        var fromArtifacts = new Option<string>("--from-artifacts") { Description = "Start from the artifacts matching this filter query.", HelpName = "FILTER" };
        var fromExecutions = new Option<string>("--from-executions") { Description = "Start from the executions matching this filter query.", HelpName = "FILTER" };
        var hops = new Option<long?>("--hops") { Description = "Follow at most N edges from the starting nodes (MLMD's max_num_hops; default and cap 100).", HelpName = "N" };
        var direction = new Option<string>("--direction")
        {
            Description = "upstream (output events from artifacts, input events from executions), downstream (the reverse) or both (every event).",
            HelpName = "DIRECTION",
            DefaultValueFactory = _ => "both",
        };
        direction.AcceptOnlyFromAmong("upstream", "downstream", "both");
        var endArtifacts = new Option<string>("--end-artifacts") { Description = "Stop at the artifacts matching this filter query.", HelpName = "FILTER" };
        var endExecutions = new Option<string>("--end-executions") { Description = "Stop at the executions matching this filter query.", HelpName = "FILTER" };
        var includeEnding = new Option<bool>("--include-ending") { Description = "Return the ending nodes reached (and their edges); by default they are left out, as in MLMD." };
        var fields = new Option<string>("--fields")
        {
            Description = "The parts to return (MLMD's read mask), comma separated: " + string.Join(", ", LineageGraphFields.All) + ". Default: all.",
            HelpName = "FIELDS",
        };
        foreach (var option in new Option[] { fromArtifacts, fromExecutions, hops, direction, endArtifacts, endExecutions, includeEnding, fields }) command.Options.Add(option);

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            string? Text(Option<string> option) => parseResult.GetValue(option) is { Length: > 0 } text ? text : null;

            var artifactsFilter = Text(fromArtifacts);
            var executionsFilter = Text(fromExecutions);
            if (artifactsFilter is not null && executionsFilter is not null) throw new UsageException(CliMessages.Exclusive("--from-artifacts", "--from-executions"));
            if (artifactsFilter is null && executionsFilter is null) throw new UsageException(CliMessages.SubgraphNeedsStart);
            var include = parseResult.GetValue(includeEnding);
            if (include && Text(endArtifacts) is null && Text(endExecutions) is null) throw new UsageException(CliMessages.IncludeEndingNeedsEnd);
            var mask = ParseFields(parseResult.GetValue(fields));

            var query = new LineageSubgraphQuery
            {
                StartingNodeKind = artifactsFilter is not null ? NodeKind.Artifact : NodeKind.Execution,
                StartingFilterQuery = artifactsFilter ?? executionsFilter,
                MaxNumHops = parseResult.GetValue(hops),
                Direction = parseResult.GetValue(direction) switch
                {
                    "upstream" => LineageDirection.Upstream,
                    "downstream" => LineageDirection.Downstream,
                    _ => LineageDirection.Bidirectional,
                },
                EndingArtifacts = Text(endArtifacts) is { } ea ? new LineageEndingNodes(ea, include) : null,
                EndingExecutions = Text(endExecutions) is { } ex ? new LineageEndingNodes(ex, include) : null,
            };

            await using var store = await runtime.OpenStoreAsync(parseResult, cancellationToken);
            var graph = await store.GetLineageSubgraphAsync(query, mask, cancellationToken);
            if (runtime.WantsJson(parseResult)) runtime.WriteJson(Json(graph));
            else Show(runtime, graph, mask.Count == 0 ? LineageGraphFields.All : mask);
            return ExitCodes.Success;
        });
        return command;
    }

    private static List<string> ParseFields(string? text)
    {
        var fields = new List<string>();
        foreach (var field in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!LineageGraphFields.All.Contains(field, StringComparer.Ordinal))
            {
                throw new UsageException(CliMessages.SubgraphFieldUnknown(field, string.Join(", ", LineageGraphFields.All)));
            }

            if (!fields.Contains(field, StringComparer.Ordinal)) fields.Add(field);
        }

        return fields;
    }

    /// <summary>MLMD's <c>LineageGraph</c> with its proto field names; every field is present, empty when not asked for.</summary>
    public static JsonObject Json(LineageGraph graph) => new()
    {
        ["artifact_types"] = new JsonArray([.. graph.ArtifactTypes.Select(t => (JsonNode)JsonShapes.Type(t))]),
        ["execution_types"] = new JsonArray([.. graph.ExecutionTypes.Select(t => (JsonNode)JsonShapes.Type(t))]),
        ["context_types"] = new JsonArray([.. graph.ContextTypes.Select(t => (JsonNode)JsonShapes.Type(t))]),
        ["artifacts"] = JsonShapes.Nodes(graph.Artifacts),
        ["executions"] = JsonShapes.Nodes(graph.Executions),
        ["contexts"] = JsonShapes.Nodes(graph.Contexts),
        ["events"] = JsonShapes.Events(graph.Events),
        ["attributions"] = new JsonArray([.. graph.Attributions.Select(a => (JsonNode)new JsonObject { ["artifact_id"] = a.ArtifactId, ["context_id"] = a.ContextId })]),
        ["associations"] = new JsonArray([.. graph.Associations.Select(a => (JsonNode)new JsonObject { ["execution_id"] = a.ExecutionId, ["context_id"] = a.ContextId })]),
    };

    /// <summary>One titled table per part the read mask names, in the order of <c>cairn demo</c>.</summary>
    private static void Show(CliRuntime runtime, LineageGraph graph, IReadOnlyCollection<string> mask)
    {
        var console = runtime.Console;
        var first = true;
        void Section(string title, bool wanted, int count, Func<IRenderable> table)
        {
            if (!wanted) return;
            if (!first) console.WriteLine();
            first = false;
            console.WriteLine(title);
            if (count == 0) console.WriteLine(CliMessages.NoneFound(title.ToLowerInvariant()));
            else console.Write(table());
        }

        bool Wants(string field) => mask.Contains(field, StringComparer.Ordinal);
        var types = graph.ArtifactTypes.Cast<MetadataType>().Concat(graph.ExecutionTypes).Concat(graph.ContextTypes).ToList();
        Section("Types", Wants("artifact_types") || Wants("execution_types") || Wants("context_types"), types.Count, () => Tables.Types(types));
        Section("Artifacts", Wants("artifacts"), graph.Artifacts.Count, () => Tables.Nodes(NodeKind.Artifact, graph.Artifacts));
        Section("Executions", Wants("executions"), graph.Executions.Count, () => Tables.Nodes(NodeKind.Execution, graph.Executions));
        Section("Contexts", Wants("contexts"), graph.Contexts.Count, () => Tables.Nodes(NodeKind.Context, graph.Contexts));
        Section("Events", Wants("events"), graph.Events.Count, () => Tables.Events(graph.Events));
        Section("Attributions", Wants("attributions"), graph.Attributions.Count, () =>
        {
            var table = Tables.Create("CONTEXT", "ARTIFACT");
            foreach (var a in graph.Attributions) Tables.AddRow(table, Tables.Id(a.ContextId), Tables.Id(a.ArtifactId));
            return table;
        });
        Section("Associations", Wants("associations"), graph.Associations.Count, () =>
        {
            var table = Tables.Create("CONTEXT", "EXECUTION");
            foreach (var a in graph.Associations) Tables.AddRow(table, Tables.Id(a.ContextId), Tables.Id(a.ExecutionId));
            return table;
        });
    }
}
