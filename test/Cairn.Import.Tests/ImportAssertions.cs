using Xunit;
using M = Cairn.Grpc.Mlmd;

namespace Cairn.Import.Tests;

/// <summary>What a store holds after importing <see cref="MlmdDatabase"/>'s sample, checked through the public API.</summary>
internal static class ImportAssertions
{
    public static async Task AssertSampleAsync(IMetadataStore store)
    {
        // Types: ids kept, base types through ParentType, versions, descriptions, external ids, struct types.
        var dataSet = Assert.Single(await store.GetArtifactTypesByIdAsync([10]));
        Assert.Equal("DataSet", dataSet.Name);
        Assert.Null(dataSet.Version);
        Assert.Equal("Rows for training", dataSet.Description);
        Assert.Equal("type-dataset", dataSet.ExternalId);
        Assert.Equal(ArtifactBaseType.Dataset, dataSet.BaseType);
        Assert.Equal(new Dictionary<string, PropertyType> { ["day"] = PropertyType.Int, ["split"] = PropertyType.String }, dataSet.Properties);

        var trainer = await store.GetExecutionTypeAsync("Trainer", "v2");
        Assert.Equal(11, trainer.Id);
        Assert.Equal(ExecutionBaseType.Train, trainer.BaseType);
        Assert.Equal(M.ArtifactStructType.KindOneofCase.Any, M.ArtifactStructType.Parser.ParseFrom(trainer.InputType!.Value.Span).KindCase);
        Assert.Equal(M.ArtifactStructType.KindOneofCase.None_, M.ArtifactStructType.Parser.ParseFrom(trainer.OutputType!.Value.Span).KindCase);
        Assert.Equal(PropertyType.Struct, trainer.Properties["config"]);
        Assert.Equal(PropertyType.Proto, trainer.Properties["spec"]);
        Assert.Equal(PropertyType.Boolean, trainer.Properties["warm_start"]);

        var experiment = Assert.Single(await store.GetContextTypesByIdAsync([12]));
        Assert.Equal("Experiment", experiment.Name);
        Assert.Equal(14, Assert.Single(await store.GetArtifactTypesByIdAsync([14])).Id);
        Assert.Equal(["DataSet", "SavedModel"], (await store.GetArtifactTypesAsync()).Select(t => t.Name));
        Assert.Equal(1, (await store.GetArtifactTypeAsync("mlmd.Dataset")).Id);

        // Nodes: ids, every value kind, custom properties beside declared ones of the same name, times and states.
        var artifacts = await store.GetArtifactsByIdAsync([3, 7]);
        Assert.Equal([3L, 7L], artifacts.Select(a => a.Id!.Value));
        var rows = artifacts[0];
        Assert.Equal("DataSet", rows.Type);
        Assert.Equal("rows-2024-05-01", rows.Name);
        Assert.Equal("s3://bucket/rows", rows.Uri);
        Assert.Equal("artifact-rows", rows.ExternalId);
        Assert.Equal(ArtifactState.Live, rows.State);
        Assert.Equal(1714564800000L, rows.CreateTimeSinceEpoch);
        Assert.Equal(1714564801000L, rows.LastUpdateTimeSinceEpoch);
        Assert.Equal(MetadataValue.Int(20240501), rows.Properties["day"]);
        Assert.Equal(MetadataValue.String("train"), rows.Properties["split"]);
        Assert.Equal(MetadataValue.Double(0.25), rows.CustomProperties["weight"]);
        Assert.Equal(MetadataValue.Bool(true), rows.CustomProperties["verified"]);
        Assert.Equal(MetadataValue.Struct(MlmdDatabase.ConfigJson), rows.CustomProperties["schema"]);
        Assert.Equal(MetadataValue.String("a custom property may share a declared one's name"), rows.CustomProperties["day"]);

        var model = artifacts[1];
        Assert.Null(model.Name);
        Assert.Equal(string.Empty, model.Uri);
        Assert.Equal(ArtifactState.Pending, model.State);
        Assert.Equal(MetadataValue.Proto(MlmdDatabase.ProtoTypeUrl, MlmdDatabase.ProtoBytes), model.CustomProperties["note"]);

        var run = Assert.Single(await store.GetExecutionsByIdAsync([5]));
        Assert.Equal("train-1", run.Name);
        Assert.Equal(ExecutionState.Complete, run.LastKnownState);
        Assert.Equal("run-1", run.ExternalId);
        Assert.Equal(MetadataValue.Double(0.001), run.Properties["learning_rate"]);
        Assert.Equal(MetadataValue.Struct(MlmdDatabase.ConfigJson), run.Properties["config"]);
        Assert.Equal(MetadataValue.Proto(MlmdDatabase.ProtoTypeUrl, MlmdDatabase.ProtoBytes), run.Properties["spec"]);
        Assert.Equal(MetadataValue.Bool(false), run.Properties["warm_start"]);
        Assert.Equal(MetadataValue.Int(2), run.CustomProperties["attempt"]);

        var contexts = await store.GetContextsByIdAsync([2, 4]);
        Assert.Equal(["exp1", "exp1-part"], contexts.Select(c => c.Name));
        Assert.Equal(MetadataValue.String("ana"), contexts[0].Properties["owner"]);
        Assert.Equal("ctx-4", contexts[1].ExternalId);

        // Events with their paths, in step order.
        var events = await store.GetEventsByExecutionIdsAsync([5]);
        Assert.Equal(2, events.Count);
        var input = Assert.Single(events, e => e.Type == EventType.Input);
        Assert.Equal(3, input.ArtifactId);
        Assert.Equal(1714564860000L, input.MillisecondsSinceEpoch);
        Assert.Equal([EventStep.ForKey("examples"), EventStep.ForIndex(0)], input.Path);
        var output = Assert.Single(events, e => e.Type == EventType.Output);
        Assert.Equal([EventStep.ForKey("model")], output.Path);

        // Memberships and the context tree.
        Assert.Equal([3L, 7L], (await store.GetArtifactsByContextAsync(2)).Items.Select(a => a.Id!.Value));
        Assert.Equal([5L], (await store.GetExecutionsByContextAsync(2)).Items.Select(e => e.Id!.Value));
        Assert.Equal([2L], (await store.GetParentContextsByContextAsync(4)).Select(c => c.Id!.Value));

        // Lineage: the model is downstream of the rows through the run.
        var graph = await store.GetLineageSubgraphAsync(new LineageSubgraphQuery
        {
            StartingNodeKind = NodeKind.Artifact,
            StartingFilterQuery = "id = 3",
            Direction = LineageDirection.Downstream,
        });
        Assert.Equal([3L, 7L], graph.Artifacts.Select(a => a.Id!.Value));
        Assert.Equal([5L], graph.Executions.Select(e => e.Id!.Value));

        // A filter query over imported properties.
        var filtered = await store.GetArtifactsAsync(new ListOptions { FilterQuery = "properties.split.string_value = 'train' AND custom_properties.verified.bool_value = true" });
        Assert.Equal([3L], filtered.Items.Select(a => a.Id!.Value));
    }

    public static async Task AssertIdsContinueAsync(IMetadataStore store)
    {
        var typeId = await store.PutArtifactTypeAsync(new ArtifactType { Name = "Added" });
        Assert.Equal(15, typeId);
        var artifact = await store.PutArtifactsAsync([new Artifact { TypeId = typeId, Uri = "s3://new" }]);
        Assert.Equal(8, artifact[0]);
        var execution = await store.PutExecutionsAsync([new Execution { TypeId = 11 }]);
        Assert.Equal(6, execution[0]);
        var context = await store.PutContextsAsync([new Context { TypeId = 12, Name = "exp2" }]);
        Assert.Equal(5, context[0]);
    }
}
