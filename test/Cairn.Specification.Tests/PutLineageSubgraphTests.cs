using Xunit;

namespace Cairn.Specification.Tests;

/// <summary>The atomic PutLineageSubgraph call (mlmd.md §4.6; §8 items 64–65).</summary>
public abstract class PutLineageSubgraphTests<TStoreFactory> : StoreTestBase<TStoreFactory>
    where TStoreFactory : ITestStoreFactory, new()
{
    private long _artifactTypeId;
    private long _executionTypeId;
    private long _contextTypeId;

    private async Task PutTypesAsync()
    {
        _artifactTypeId = await PutExampleArtifactTypeAsync();
        _executionTypeId = await PutExampleExecutionTypeAsync();
        _contextTypeId = await PutExampleContextTypeAsync();
    }

    private Execution NewExecution(string name) => new() { TypeId = _executionTypeId, Name = name, LastKnownState = ExecutionState.Complete };

    private Artifact NewArtifact(string uri) => new() { TypeId = _artifactTypeId, Uri = uri };

    private Context NewContext(string name) => new() { TypeId = _contextTypeId, Name = name };

    private async Task AssertNothingNewAsync(int artifacts = 0, int executions = 0, int contexts = 0)
    {
        Assert.Equal(artifacts, (await AllArtifactsAsync()).Count);
        Assert.Equal(executions, (await AllExecutionsAsync()).Count);
        Assert.Equal(contexts, (await AllContextsAsync()).Count);
    }

    // ------------------------------------------------------------------ item 65

    [SkippableFact]
    public async Task Put_lineage_subgraph_mixes_existing_and_new_nodes_and_links_them_all()
    {
        await PutTypesAsync();
        var existingExecution = await PutExecutionAsync(NewExecution("existing_execution"));
        var existingArtifact = await PutArtifactAsync(NewArtifact("input_artifact"));
        var existingContext = await PutContextAsync(NewContext("existing_context"));

        var result = await Store.PutLineageSubgraphAsync(
            [NewExecution("existing_execution") with { Id = existingExecution }, NewExecution("new_execution")],
            [NewArtifact("input_artifact") with { Id = existingArtifact }, NewArtifact("output_artifact")],
            [NewContext("existing_context"), NewContext("new_context")],
            [
                new EventEdge(0, 0, new Event { Type = EventType.Input }),
                new EventEdge(1, 0, new Event { Type = EventType.Input }),
                new EventEdge(0, 1, new Event { Type = EventType.Output }),
                new EventEdge(1, 1, new Event { Type = EventType.Output }),
            ],
            new PutLineageSubgraphOptions { ReuseContextIfAlreadyExist = true });

        Assert.Equal(2, result.ExecutionIds.Count);
        Assert.Equal(existingExecution, result.ExecutionIds[0]);
        Assert.Equal("new_execution", (await ReadExecutionAsync(result.ExecutionIds[1])).Name);
        Assert.Equal(2, result.ArtifactIds.Count);
        Assert.Equal(existingArtifact, result.ArtifactIds[0]);
        Assert.Equal("output_artifact", (await ReadArtifactAsync(result.ArtifactIds[1])).Uri);
        Assert.Equal(2, result.ContextIds.Count);
        Assert.Equal(existingContext, result.ContextIds[0]);
        Assert.Equal("new_context", (await ReadContextAsync(result.ContextIds[1])).Name);
        await AssertNothingNewAsync(artifacts: 2, executions: 2, contexts: 2);

        foreach (var contextId in result.ContextIds)
        {
            AssertSameIds(result.ArtifactIds, (await Store.GetArtifactsByContextAsync(contextId)).Items.Select(a => a.Id));
            AssertSameIds(result.ExecutionIds, (await Store.GetExecutionsByContextAsync(contextId)).Items.Select(e => e.Id));
        }

        var events = await Store.GetEventsByExecutionIdsAsync(result.ExecutionIds.ToList());
        Assert.Equal(4, events.Count);
        foreach (var executionId in result.ExecutionIds)
        {
            Assert.Contains(events, e => e.ExecutionId == executionId && e.ArtifactId == result.ArtifactIds[0] && e.Type == EventType.Input);
            Assert.Contains(events, e => e.ExecutionId == executionId && e.ArtifactId == result.ArtifactIds[1] && e.Type == EventType.Output);
        }
    }

    [SkippableFact]
    public async Task Put_lineage_subgraph_of_new_nodes_returns_ids_aligned_with_the_request()
    {
        await PutTypesAsync();

        var result = await Store.PutLineageSubgraphAsync(
            [NewExecution("e0"), NewExecution("e1"), NewExecution("e2")],
            [NewArtifact("a0"), NewArtifact("a1")],
            [NewContext("c0")],
            [new EventEdge(2, 1, new Event { Type = EventType.Output, Path = [EventStep.ForKey("k"), EventStep.ForIndex(3)] })]);

        Assert.Equal(3, result.ExecutionIds.Count);
        for (var i = 0; i < 3; i++) Assert.Equal("e" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), (await ReadExecutionAsync(result.ExecutionIds[i])).Name);
        Assert.Equal(2, result.ArtifactIds.Count);
        Assert.Equal("a0", (await ReadArtifactAsync(result.ArtifactIds[0])).Uri);
        Assert.Equal("a1", (await ReadArtifactAsync(result.ArtifactIds[1])).Uri);
        Assert.Equal("c0", (await ReadContextAsync(Assert.Single(result.ContextIds))).Name);
        var ev = Assert.Single(await Store.GetEventsByArtifactIdsAsync(result.ArtifactIds.ToList()));
        Assert.Equal(result.ExecutionIds[2], ev.ExecutionId);
        Assert.Equal(result.ArtifactIds[1], ev.ArtifactId);
        Assert.Equal([EventStep.ForKey("k"), EventStep.ForIndex(3)], ev.Path);
    }

    [SkippableFact]
    public async Task Put_lineage_subgraph_with_nothing_returns_nothing()
    {
        var result = await Store.PutLineageSubgraphAsync([], [], [], []);

        Assert.Empty(result.ExecutionIds);
        Assert.Empty(result.ArtifactIds);
        Assert.Empty(result.ContextIds);
    }

    [SkippableFact]
    public async Task Edges_may_name_stored_nodes_by_event_ids_instead_of_indexes()
    {
        await PutTypesAsync();
        var executionId = await PutExecutionAsync(NewExecution("stored_execution"));
        var artifactId = await PutArtifactAsync(NewArtifact("stored_artifact"));

        var result = await Store.PutLineageSubgraphAsync(
            [NewExecution("new_execution")],
            [NewArtifact("new_artifact")],
            [],
            [
                new EventEdge(null, 0, new Event { ExecutionId = executionId, Type = EventType.Output }),
                new EventEdge(0, null, new Event { ArtifactId = artifactId, Type = EventType.Input }),
            ]);

        var stored = Assert.Single(await Store.GetEventsByExecutionIdsAsync([executionId]));
        Assert.Equal(result.ArtifactIds[0], stored.ArtifactId);
        var created = Assert.Single(await Store.GetEventsByExecutionIdsAsync([result.ExecutionIds[0]]));
        Assert.Equal(artifactId, created.ArtifactId);
    }

    [SkippableFact]
    public async Task Put_lineage_subgraph_can_reuse_artifacts_by_external_id()
    {
        await PutTypesAsync();
        var artifactId = await PutArtifactAsync(NewArtifact("old_uri") with { ExternalId = "ext" });

        await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.PutLineageSubgraphAsync([], [NewArtifact("new_uri") with { ExternalId = "ext" }], [], []));
        Assert.Equal("old_uri", (await ReadArtifactAsync(artifactId)).Uri);

        var result = await Store.PutLineageSubgraphAsync(
            [], [NewArtifact("new_uri") with { ExternalId = "ext" }], [], [],
            new PutLineageSubgraphOptions { ReuseArtifactIfAlreadyExistByExternalId = true });

        Assert.Equal([artifactId], result.ArtifactIds);
        Assert.Equal("new_uri", (await ReadArtifactAsync(artifactId)).Uri);
    }

    // ------------------------------------------------------------------ item 64: invalid edges

    [SkippableFact]
    public async Task An_edge_without_an_event_is_rejected()
    {
        await PutTypesAsync();

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutLineageSubgraphAsync(
            [NewExecution("e")], [NewArtifact("a")], [NewContext("c")], [new EventEdge(0, 0, null)]));

        Assert.Contains(Messages.EdgeNoEvent(0), e.Message);
        await AssertNothingNewAsync();
    }

    [SkippableFact]
    public async Task An_edge_without_an_execution_index_or_id_is_rejected()
    {
        await PutTypesAsync();

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutLineageSubgraphAsync(
            [NewExecution("e")], [NewArtifact("a")], [NewContext("c")],
            [new EventEdge(0, 0, new Event { Type = EventType.Input }), new EventEdge(null, 0, new Event { Type = EventType.Output })]));

        Assert.Contains(Messages.EdgeNoExecution(1), e.Message);
        await AssertNothingNewAsync();
    }

    [SkippableFact]
    public async Task An_edge_without_an_artifact_index_or_id_is_rejected()
    {
        await PutTypesAsync();

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutLineageSubgraphAsync(
            [NewExecution("e")], [NewArtifact("a")], [], [new EventEdge(0, null, new Event { Type = EventType.Input })]));

        Assert.Contains(Messages.EdgeNoArtifact(0), e.Message);
        await AssertNothingNewAsync();
    }

    [SkippableFact]
    public async Task An_execution_index_into_an_empty_list_is_out_of_range()
    {
        await PutTypesAsync();

        var e = await Assert.ThrowsAsync<OutOfRangeException>(() => Store.PutLineageSubgraphAsync(
            [], [NewArtifact("a")], [NewContext("c")], [new EventEdge(0, 0, new Event { Type = EventType.Input })]));

        Assert.Contains(Messages.EdgeExecutionIndexOutOfRange(0, 0, 0), e.Message);
        await AssertNothingNewAsync();
    }

    [SkippableFact]
    public async Task Indexes_outside_the_lists_are_out_of_range()
    {
        await PutTypesAsync();

        var e = await Assert.ThrowsAsync<OutOfRangeException>(() => Store.PutLineageSubgraphAsync(
            [NewExecution("e")], [NewArtifact("a")], [], [new EventEdge(0, 2, new Event { Type = EventType.Input })]));
        Assert.Contains(Messages.EdgeArtifactIndexOutOfRange(0, 2, 1), e.Message);
        e = await Assert.ThrowsAsync<OutOfRangeException>(() => Store.PutLineageSubgraphAsync(
            [NewExecution("e")], [NewArtifact("a")], [], [new EventEdge(-1, 0, new Event { Type = EventType.Input })]));
        Assert.Contains(Messages.EdgeExecutionIndexOutOfRange(0, -1, 1), e.Message);

        await AssertNothingNewAsync();
    }

    [SkippableFact]
    public async Task An_event_execution_id_that_differs_from_the_indexed_execution_is_rejected()
    {
        await PutTypesAsync();
        var stored = await PutExecutionAsync(NewExecution("stored"));

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutLineageSubgraphAsync(
            [NewExecution("stored") with { Id = stored }], [NewArtifact("a")], [],
            [new EventEdge(0, 0, new Event { ExecutionId = stored + 100, Type = EventType.Input })]));
        Assert.Contains(Messages.EdgeExecutionIdMismatch(0), e.Message);

        e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutLineageSubgraphAsync(
            [NewExecution("new")], [NewArtifact("a")], [],
            [new EventEdge(0, 0, new Event { ExecutionId = stored, Type = EventType.Input })]));
        Assert.Contains(Messages.EdgeExecutionIdMismatch(0), e.Message);

        await AssertNothingNewAsync(executions: 1);
    }

    [SkippableFact]
    public async Task An_event_artifact_id_that_differs_from_the_indexed_artifact_is_rejected()
    {
        await PutTypesAsync();
        var stored = await PutArtifactAsync(NewArtifact("stored"));

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutLineageSubgraphAsync(
            [NewExecution("e")], [NewArtifact("stored") with { Id = stored }], [],
            [new EventEdge(0, 0, new Event { ArtifactId = stored + 100, Type = EventType.Output })]));

        Assert.Contains(Messages.EdgeArtifactIdMismatch(0), e.Message);
        await AssertNothingNewAsync(artifacts: 1);
    }

    [SkippableFact]
    public async Task An_existing_context_name_without_reuse_already_exists()
    {
        await PutTypesAsync();
        await PutContextAsync(NewContext("existing_context"));

        var e = await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.PutLineageSubgraphAsync(
            [NewExecution("e")], [NewArtifact("a")], [NewContext("existing_context")],
            [new EventEdge(0, 0, new Event { Type = EventType.Output })]));

        Assert.Contains(Messages.NodeAlreadyExists(NodeKind.Context, ""), e.Message);
        await AssertNothingNewAsync(contexts: 1);
    }

    [SkippableFact]
    public async Task Node_validation_runs_before_any_write_so_it_wins_over_a_name_conflict()
    {
        await PutTypesAsync();
        await PutContextAsync(NewContext("existing_context"));

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutLineageSubgraphAsync(
            [NewExecution("e")],
            [NewArtifact("a") with { Properties = Values(("undeclared", MetadataValue.Int(1))) }],
            [NewContext("existing_context")],
            []));
        Assert.Contains(Messages.NodeUnknownProperty("undeclared", ArtifactTypeName), e.Message);

        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutLineageSubgraphAsync(
            [new Execution { Name = "no_type" }], [NewArtifact("a")], [NewContext("existing_context")], []));

        await AssertNothingNewAsync(contexts: 1);
    }

    [SkippableFact]
    public async Task Nodes_without_a_type_are_rejected()
    {
        await PutTypesAsync();

        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutLineageSubgraphAsync([NewExecution("e")], [new Artifact { Uri = "a" }], [], []));
        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutLineageSubgraphAsync([new Execution()], [NewArtifact("a")], [], []));
        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutLineageSubgraphAsync([], [NewArtifact("a")], [new Context { Name = "c" }], []));

        await AssertNothingNewAsync();
    }

    [SkippableFact]
    public async Task Nodes_of_an_unknown_type_are_not_found()
    {
        await PutTypesAsync();

        await Assert.ThrowsAsync<NotFoundException>(() => Store.PutLineageSubgraphAsync([NewExecution("e")], [new Artifact { TypeId = 9999 }], [], []));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.PutLineageSubgraphAsync([new Execution { TypeId = _artifactTypeId }], [NewArtifact("a")], [], []));

        await AssertNothingNewAsync();
    }

    [SkippableFact]
    public async Task An_invalid_event_type_stores_nothing()
    {
        await PutTypesAsync();

        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutLineageSubgraphAsync(
            [NewExecution("e")], [NewArtifact("a")], [NewContext("c")], [new EventEdge(0, 0, new Event())]));

        await AssertNothingNewAsync();
    }

    [SkippableFact]
    public async Task A_duplicate_event_in_one_subgraph_stores_nothing()
    {
        await PutTypesAsync();

        await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.PutLineageSubgraphAsync(
            [NewExecution("e")], [NewArtifact("a")], [NewContext("c")],
            [new EventEdge(0, 0, new Event { Type = EventType.Output }), new EventEdge(0, 0, new Event { Type = EventType.Output })]));

        await AssertNothingNewAsync();
    }
}
