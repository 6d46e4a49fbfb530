using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Cairn.Cli.Output;
using Spectre.Console;

namespace Cairn.Cli.Commands;

/// <summary>
/// <c>cairn demo</c>: records MLMD's getting-started workflow (steps 1–9: a dataset trains a model under an
/// experiment) and shows what was recorded and its lineage.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CliRuntime runtime, CommandCatalog catalog)
    {
        var command = catalog.Create(
            "demo",
            "Record MLMD's getting-started workflow (DataSet → Trainer → SavedModel, in experiment exp1) into a fresh temporary store, or into --store, and show it with its lineage.",
            "cairn demo",
            "cairn demo --store demo.db",
            "cairn demo --store demo.db --json");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var uri = parseResult.GetValue(runtime.StoreOption) is null
                ? StoreUri.Parse("sqlite://" + Path.Combine(Path.GetTempPath(), "cairn-demo-" + Guid.NewGuid().ToString("N")[..8], "cairn.db"))
                : runtime.StoreUriFor(parseResult);
            await using var store = await runtime.OpenStoreAsync(uri, create: true, cancellationToken);
            var recorded = await RecordAsync(store, cancellationToken);
            if (runtime.WantsJson(parseResult)) runtime.WriteJson(Json(recorded, CliRuntime.Where(uri)));
            else Show(runtime, recorded, CliRuntime.Where(uri));
            return ExitCodes.Success;
        });
        return command;
    }

    private sealed record Recorded(
        IReadOnlyList<MetadataType> Types,
        IReadOnlyList<Artifact> Artifacts,
        IReadOnlyList<Execution> Executions,
        IReadOnlyList<Context> Contexts,
        IReadOnlyList<Event> Events,
        string? ReusedNote);

    private static async Task<Recorded> RecordAsync(IMetadataStore store, CancellationToken cancellationToken)
    {
        // Step 1: artifact types.
        var dataTypeId = await PutTypeAsync(store, new ArtifactType
        {
            Name = "DataSet",
            Properties = new Dictionary<string, PropertyType>(StringComparer.Ordinal) { ["day"] = PropertyType.Int, ["split"] = PropertyType.String },
        }, cancellationToken);
        var modelTypeId = await PutTypeAsync(store, new ArtifactType
        {
            Name = "SavedModel",
            Properties = new Dictionary<string, PropertyType>(StringComparer.Ordinal) { ["version"] = PropertyType.Int, ["name"] = PropertyType.String },
        }, cancellationToken);

        // Step 2: execution type.
        var trainerTypeId = await PutTypeAsync(store, new ExecutionType
        {
            Name = "Trainer",
            Properties = new Dictionary<string, PropertyType>(StringComparer.Ordinal) { ["state"] = PropertyType.String },
        }, cancellationToken);

        // Step 3: the dataset artifact.
        var dataArtifact = new Artifact
        {
            TypeId = dataTypeId,
            Uri = "path/to/data",
            Properties = new Dictionary<string, MetadataValue>(StringComparer.Ordinal) { ["day"] = MetadataValue.Int(1), ["split"] = MetadataValue.String("train") },
        };
        var dataArtifactId = (await store.PutArtifactsAsync([dataArtifact], cancellationToken: cancellationToken))[0];

        // Step 4: the trainer run, RUNNING.
        var trainerRun = new Execution
        {
            TypeId = trainerTypeId,
            LastKnownState = ExecutionState.Running,
            Properties = new Dictionary<string, MetadataValue>(StringComparer.Ordinal) { ["state"] = MetadataValue.String("RUNNING") },
        };
        var runId = (await store.PutExecutionsAsync([trainerRun], cancellationToken: cancellationToken))[0];

        // Step 5: the input event.
        await store.PutEventsAsync([new Event { ArtifactId = dataArtifactId, ExecutionId = runId, Type = EventType.DeclaredInput }], cancellationToken);

        // Step 6: the saved model artifact.
        var modelArtifact = new Artifact
        {
            TypeId = modelTypeId,
            Uri = "path/to/model/file",
            Properties = new Dictionary<string, MetadataValue>(StringComparer.Ordinal) { ["version"] = MetadataValue.Int(1), ["name"] = MetadataValue.String("MNIST-v1") },
        };
        var modelArtifactId = (await store.PutArtifactsAsync([modelArtifact], cancellationToken: cancellationToken))[0];

        // Step 7: the output event.
        await store.PutEventsAsync([new Event { ArtifactId = modelArtifactId, ExecutionId = runId, Type = EventType.DeclaredOutput }], cancellationToken);

        // Step 8: the run is COMPLETED.
        var completed = trainerRun with
        {
            Id = runId,
            LastKnownState = ExecutionState.Complete,
            Properties = new Dictionary<string, MetadataValue>(StringComparer.Ordinal) { ["state"] = MetadataValue.String("COMPLETED") },
        };
        await store.PutExecutionsAsync([completed], cancellationToken: cancellationToken);

        // Step 9: the experiment context, with the model attributed and the run associated.
        var experimentTypeId = await PutTypeAsync(store, new ContextType
        {
            Name = "Experiment",
            Properties = new Dictionary<string, PropertyType>(StringComparer.Ordinal) { ["note"] = PropertyType.String },
        }, cancellationToken);

        // Context names are unique per type: on a store that already ran the demo, take the next free expN.
        var number = 1;
        while (await store.GetContextByTypeAndNameAsync("Experiment", "exp" + number.ToString(CultureInfo.InvariantCulture), cancellationToken: cancellationToken) is not null) number++;
        var experimentName = "exp" + number.ToString(CultureInfo.InvariantCulture);
        var experiment = new Context
        {
            TypeId = experimentTypeId,
            Name = experimentName,
            Properties = new Dictionary<string, MetadataValue>(StringComparer.Ordinal) { ["note"] = MetadataValue.String("My first experiment.") },
        };
        var experimentId = (await store.PutContextsAsync([experiment], cancellationToken: cancellationToken))[0];
        await store.PutAttributionsAndAssociationsAsync([new Attribution(experimentId, modelArtifactId)], [new Association(experimentId, runId)], cancellationToken);

        // Read everything back, so what is shown is what the store holds.
        var types = new List<MetadataType>();
        types.AddRange(await store.GetArtifactTypesByIdAsync([dataTypeId, modelTypeId], cancellationToken));
        types.AddRange(await store.GetExecutionTypesByIdAsync([trainerTypeId], cancellationToken));
        types.AddRange(await store.GetContextTypesByIdAsync([experimentTypeId], cancellationToken));
        var artifacts = (await store.GetArtifactsByIdAsync([dataArtifactId, modelArtifactId], cancellationToken)).OrderBy(a => a.Id).ToList();
        var executions = await store.GetExecutionsByIdAsync([runId], cancellationToken);
        var contexts = await store.GetContextsByIdAsync([experimentId], cancellationToken);
        var events = (await store.GetEventsByExecutionIdsAsync([runId], cancellationToken)).OrderBy(e => e.Type == EventType.DeclaredInput ? 0 : 1).ThenBy(e => e.ArtifactId).ToList();
        return new Recorded([.. types.OrderBy(t => t.Id)], artifacts, executions, contexts, events, number > 1 ? CliMessages.DemoReusedStore(experimentName) : null);
    }

    private static async Task<long> PutTypeAsync(IMetadataStore store, MetadataType type, CancellationToken cancellationToken)
    {
        try
        {
            return type switch
            {
                ArtifactType a => await store.PutArtifactTypeAsync(a, cancellationToken: cancellationToken),
                ExecutionType e => await store.PutExecutionTypeAsync(e, cancellationToken: cancellationToken),
                _ => await store.PutContextTypeAsync((ContextType)type, cancellationToken: cancellationToken),
            };
        }
        catch (AlreadyExistsException e)
        {
            throw new AlreadyExistsException(CliMessages.DemoTypeConflict(type.Kind, type.Name!), e);
        }
    }

    private static void Show(CliRuntime runtime, Recorded recorded, string where)
    {
        var console = runtime.Console;
        console.WriteLine(CliMessages.DemoHeader);
        if (recorded.ReusedNote is { } note) console.WriteLine(note);
        console.WriteLine();
        console.WriteLine("Types");
        console.Write(Tables.Types(recorded.Types));
        console.WriteLine();
        console.WriteLine("Artifacts");
        console.Write(Tables.Nodes(NodeKind.Artifact, recorded.Artifacts));
        console.WriteLine();
        console.WriteLine("Executions");
        console.Write(Tables.Nodes(NodeKind.Execution, recorded.Executions));
        console.WriteLine();
        console.WriteLine("Contexts");
        console.Write(Tables.Nodes(NodeKind.Context, recorded.Contexts));
        console.WriteLine();
        console.WriteLine("Events");
        console.Write(Tables.Events(recorded.Events));
        console.WriteLine();
        console.WriteLine("Lineage");
        console.Write(Lineage(recorded));
        console.WriteLine();
        console.WriteLine(CliMessages.DemoStore(where));
    }

    /// <summary>The lineage as a tree: for each execution of the context, its inputs lead to it and it leads to its outputs.</summary>
    private static Tree Lineage(Recorded recorded)
    {
        var context = recorded.Contexts[0];
        var tree = new Tree(new Text($"{context.Type} {context.Name} (context {context.Id})"));
        var artifacts = recorded.Artifacts.ToDictionary(a => a.Id!.Value);
        foreach (var execution in recorded.Executions)
        {
            var inputs = recorded.Events.Where(e => e.ExecutionId == execution.Id && IsInput(e.Type)).ToList();
            var outputs = recorded.Events.Where(e => e.ExecutionId == execution.Id && !IsInput(e.Type)).ToList();
            foreach (var input in inputs)
            {
                var inputNode = tree.AddNode(new Text(ArtifactLabel(artifacts[input.ArtifactId!.Value])));
                var executionNode = inputNode.AddNode(new Text($"{MlmdNames.Of(input.Type!.Value)} → {ExecutionLabel(execution)}"));
                foreach (var output in outputs)
                {
                    executionNode.AddNode(new Text($"{MlmdNames.Of(output.Type!.Value)} → {ArtifactLabel(artifacts[output.ArtifactId!.Value])}"));
                }
            }
        }

        return tree;
    }

    private static bool IsInput(EventType? type) => type is EventType.Input or EventType.DeclaredInput or EventType.InternalInput;

    private static string ArtifactLabel(Artifact artifact) => $"{artifact.Type} (artifact {artifact.Id}, {artifact.Uri})";

    private static string ExecutionLabel(Execution execution)
    {
        var state = execution.Properties.TryGetValue("state", out var value) ? value.ToString()
            : execution.LastKnownState is { } s ? MlmdNames.Of(s) : "?";
        return $"{execution.Type} (execution {execution.Id}, {state})";
    }

    private static JsonObject Json(Recorded recorded, string where)
    {
        var lineage = new JsonArray();
        foreach (var execution in recorded.Executions)
        {
            lineage.Add(new JsonObject
            {
                ["execution_id"] = execution.Id,
                ["input_artifact_ids"] = JsonShapes.Ids(recorded.Events.Where(e => e.ExecutionId == execution.Id && IsInput(e.Type)).Select(e => e.ArtifactId!.Value)),
                ["output_artifact_ids"] = JsonShapes.Ids(recorded.Events.Where(e => e.ExecutionId == execution.Id && !IsInput(e.Type)).Select(e => e.ArtifactId!.Value)),
            });
        }

        return new JsonObject
        {
            ["artifact_types"] = new JsonArray([.. recorded.Types.OfType<ArtifactType>().Select(t => (JsonNode)JsonShapes.Type(t))]),
            ["execution_types"] = new JsonArray([.. recorded.Types.OfType<ExecutionType>().Select(t => (JsonNode)JsonShapes.Type(t))]),
            ["context_types"] = new JsonArray([.. recorded.Types.OfType<ContextType>().Select(t => (JsonNode)JsonShapes.Type(t))]),
            ["artifacts"] = JsonShapes.Nodes(recorded.Artifacts),
            ["executions"] = JsonShapes.Nodes(recorded.Executions),
            ["contexts"] = JsonShapes.Nodes(recorded.Contexts),
            ["events"] = JsonShapes.Events(recorded.Events),
            ["lineage"] = lineage,
            ["store"] = where,
        };
    }
}
