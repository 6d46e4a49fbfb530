using Xunit;

namespace Cairn.Specification.Tests;

/// <summary>The atomic PutExecution call (mlmd.md §4.5; §8 items 38–45).</summary>
public abstract class PutExecutionTests<TStoreFactory> : StoreTestBase<TStoreFactory>
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

    private Execution NewExecution(ExecutionState state = ExecutionState.Running) => new() { TypeId = _executionTypeId, LastKnownState = state };

    private Artifact NewArtifact(string uri) => new() { TypeId = _artifactTypeId, Uri = uri };

    private Context NewContext(string name) => new() { TypeId = _contextTypeId, Name = name };

    // ------------------------------------------------------------------ item 38

    [SkippableFact]
    public async Task Put_execution_stores_the_execution_its_artifacts_and_events()
    {
        await PutTypesAsync();

        var result = await Store.PutExecutionAsync(
            NewExecution(),
            [new ArtifactAndEvent(NewArtifact("in"), null), new ArtifactAndEvent(NewArtifact("out"), new Event { Type = EventType.DeclaredInput })],
            []);

        Assert.Equal(2, result.ArtifactIds.Count);
        Assert.Empty(result.ContextIds);
        Assert.Equal(ExecutionState.Running, (await ReadExecutionAsync(result.ExecutionId)).LastKnownState);
        Assert.Equal("in", (await ReadArtifactAsync(result.ArtifactIds[0])).Uri);
        Assert.Equal("out", (await ReadArtifactAsync(result.ArtifactIds[1])).Uri);
        var ev = Assert.Single(await Store.GetEventsByExecutionIdsAsync([result.ExecutionId]));
        Assert.Equal(result.ArtifactIds[1], ev.ArtifactId);
        Assert.Equal(result.ExecutionId, ev.ExecutionId);
        Assert.Equal(EventType.DeclaredInput, ev.Type);
        Assert.Empty(await Store.GetEventsByArtifactIdsAsync([result.ArtifactIds[0]]));
    }

    [SkippableFact]
    public async Task Put_execution_without_pairs_or_contexts_stores_just_the_execution()
    {
        await PutTypesAsync();

        var result = await Store.PutExecutionAsync(NewExecution(), [], []);

        Assert.Empty(result.ArtifactIds);
        Assert.Empty(result.ContextIds);
        Assert.Equal(result.ExecutionId, Assert.Single(await AllExecutionsAsync()).Id);
        Assert.Empty(await AllArtifactsAsync());
    }

    [SkippableFact]
    public async Task Put_execution_keeps_event_paths_and_fills_event_ids()
    {
        await PutTypesAsync();

        var result = await Store.PutExecutionAsync(
            NewExecution(),
            [new ArtifactAndEvent(NewArtifact("out"), new Event { Type = EventType.Output, Path = [EventStep.ForKey("model"), EventStep.ForIndex(0)] })],
            []);

        var ev = Assert.Single(await Store.GetEventsByArtifactIdsAsync([result.ArtifactIds[0]]));
        Assert.Equal(result.ExecutionId, ev.ExecutionId);
        Assert.Equal([EventStep.ForKey("model"), EventStep.ForIndex(0)], ev.Path);
    }

    // ------------------------------------------------------------------ item 39: contexts

    [SkippableFact]
    public async Task Put_execution_with_a_new_context_links_the_execution_and_artifacts_to_it()
    {
        await PutTypesAsync();

        var result = await Store.PutExecutionAsync(
            NewExecution(),
            [new ArtifactAndEvent(NewArtifact("in"), new Event { Type = EventType.Input }), new ArtifactAndEvent(NewArtifact("out"), new Event { Type = EventType.Output })],
            [NewContext("run_1")]);

        var contextId = Assert.Single(result.ContextIds);
        Assert.Equal("run_1", (await ReadContextAsync(contextId)).Name);
        Assert.Equal(contextId, Assert.Single(await Store.GetContextsByExecutionAsync(result.ExecutionId)).Id);
        Assert.Equal(result.ExecutionId, Assert.Single((await Store.GetExecutionsByContextAsync(contextId)).Items).Id);
        AssertSameIds(result.ArtifactIds, (await Store.GetArtifactsByContextAsync(contextId)).Items.Select(a => a.Id));
        Assert.Equal(contextId, Assert.Single(await Store.GetContextsByArtifactAsync(result.ArtifactIds[0])).Id);
    }

    [SkippableFact]
    public async Task Put_execution_returns_context_ids_aligned_with_the_request()
    {
        await PutTypesAsync();
        var existing = await PutContextAsync(NewContext("existing"));

        var result = await Store.PutExecutionAsync(NewExecution(), [], [NewContext("new_1"), NewContext("existing") with { Id = existing }, NewContext("new_2")]);

        Assert.Equal(3, result.ContextIds.Count);
        Assert.Equal(existing, result.ContextIds[1]);
        Assert.Equal("new_1", (await ReadContextAsync(result.ContextIds[0])).Name);
        Assert.Equal("new_2", (await ReadContextAsync(result.ContextIds[2])).Name);
        AssertSameIds(result.ContextIds, (await Store.GetContextsByExecutionAsync(result.ExecutionId)).Select(c => c.Id));
    }

    [SkippableFact]
    public async Task Put_execution_context_without_a_name_is_rejected_and_nothing_is_stored()
    {
        await PutTypesAsync();

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutExecutionAsync(
            NewExecution(), [new ArtifactAndEvent(NewArtifact("a"), new Event { Type = EventType.Output })], [NewContext("ok"), new Context { TypeId = _contextTypeId }]));

        Assert.Contains(Messages.ContextNameEmpty, e.Message);
        Assert.Empty(await AllExecutionsAsync());
        Assert.Empty(await AllArtifactsAsync());
        Assert.Empty(await AllContextsAsync());
    }

    [SkippableFact]
    public async Task Put_execution_context_without_a_type_is_rejected_and_nothing_is_stored()
    {
        await PutTypesAsync();

        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutExecutionAsync(NewExecution(), [new ArtifactAndEvent(NewArtifact("a"), null)], [new Context { Name = "no_type" }]));

        Assert.Empty(await AllExecutionsAsync());
        Assert.Empty(await AllArtifactsAsync());
        Assert.Empty(await AllContextsAsync());
    }

    [SkippableFact]
    public async Task A_context_to_update_still_needs_its_type_id_and_name()
    {
        await PutTypesAsync();
        var contextId = await PutContextAsync(NewContext("c") with { CustomProperties = Values(("k", MetadataValue.Int(1))) });

        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutExecutionAsync(
            NewExecution(), [], [new Context { Id = contextId, Name = "c", CustomProperties = Values(("k", MetadataValue.Int(2))) }]));
        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutExecutionAsync(
            NewExecution(), [], [new Context { Id = contextId, TypeId = _contextTypeId, CustomProperties = Values(("k", MetadataValue.Int(3))) }]));

        Assert.Empty(await AllExecutionsAsync());
        var stored = await ReadContextAsync(contextId);
        Assert.Equal("c", stored.Name);
        Assert.Equal(1, stored.CustomProperties["k"].IntValue);
    }

    // ------------------------------------------------------------------ item 40: empty pairs and event-only pairs

    [SkippableFact]
    public async Task Empty_pairs_give_minus_one_and_no_attribution()
    {
        await PutTypesAsync();

        var result = await Store.PutExecutionAsync(NewExecution(), [new ArtifactAndEvent(null, null), new ArtifactAndEvent(null, null)], [NewContext("c")]);

        Assert.Equal([-1L, -1L], result.ArtifactIds);
        Assert.Empty((await Store.GetArtifactsByContextAsync(Assert.Single(result.ContextIds))).Items);
        Assert.Empty(await AllArtifactsAsync());
        Assert.Empty(await Store.GetEventsByExecutionIdsAsync([result.ExecutionId]));
    }

    [SkippableFact]
    public async Task A_pair_with_only_an_event_uses_the_event_artifact_id()
    {
        await PutTypesAsync();
        var artifactId = await PutArtifactAsync(NewArtifact("existing"));

        var result = await Store.PutExecutionAsync(
            NewExecution(), [new ArtifactAndEvent(null, new Event { ArtifactId = artifactId, Type = EventType.Input })], [NewContext("c")]);

        Assert.Equal([artifactId], result.ArtifactIds);
        var ev = Assert.Single(await Store.GetEventsByExecutionIdsAsync([result.ExecutionId]));
        Assert.Equal(artifactId, ev.ArtifactId);
        Assert.Equal(EventType.Input, ev.Type);
        Assert.Equal(artifactId, Assert.Single((await Store.GetArtifactsByContextAsync(result.ContextIds[0])).Items).Id);
    }

    [SkippableFact]
    public async Task A_pair_with_an_existing_artifact_updates_it()
    {
        await PutTypesAsync();
        var artifactId = await PutArtifactAsync(NewArtifact("old"));

        var result = await Store.PutExecutionAsync(
            NewExecution(), [new ArtifactAndEvent(NewArtifact("new") with { Id = artifactId }, new Event { ArtifactId = artifactId, Type = EventType.Output })], []);

        Assert.Equal([artifactId], result.ArtifactIds);
        Assert.Equal("new", (await ReadArtifactAsync(artifactId)).Uri);
        Assert.Single(await AllArtifactsAsync());
    }

    // ------------------------------------------------------------------ item 41: invalid events

    [SkippableFact]
    public async Task An_event_naming_another_execution_is_rejected_and_nothing_is_stored()
    {
        await PutTypesAsync();
        var executionId = await PutExecutionAsync(NewExecution(ExecutionState.New));
        var otherId = await PutExecutionAsync(NewExecution(ExecutionState.New));

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutExecutionAsync(
            NewExecution(ExecutionState.Complete) with { Id = executionId },
            [new ArtifactAndEvent(NewArtifact("a"), new Event { ExecutionId = otherId, Type = EventType.Output })],
            [NewContext("c")]));

        Assert.Contains(Messages.PutExecutionEventExecutionMismatch(otherId, executionId), e.Message);
        Assert.Equal(ExecutionState.New, (await ReadExecutionAsync(executionId)).LastKnownState);
        Assert.Empty(await AllArtifactsAsync());
        Assert.Empty(await AllContextsAsync());
        Assert.Empty(await Store.GetEventsByExecutionIdsAsync([executionId, otherId]));
    }

    [SkippableFact]
    public async Task An_event_without_artifact_id_and_without_an_artifact_is_rejected()
    {
        await PutTypesAsync();

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutExecutionAsync(
            NewExecution(), [new ArtifactAndEvent(NewArtifact("a"), null), new ArtifactAndEvent(null, new Event { Type = EventType.Input })], []));

        Assert.Contains(Messages.PutExecutionEventNoArtifact(1), e.Message);
        Assert.Empty(await AllExecutionsAsync());
        Assert.Empty(await AllArtifactsAsync());
    }

    [SkippableFact]
    public async Task An_event_naming_another_artifact_than_its_pair_is_rejected()
    {
        await PutTypesAsync();
        var ids = await Store.PutArtifactsAsync([NewArtifact("a"), NewArtifact("b")]);

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutExecutionAsync(
            NewExecution(), [new ArtifactAndEvent(NewArtifact("a2") with { Id = ids[0] }, new Event { ArtifactId = ids[1], Type = EventType.Input })], []));

        Assert.Contains(Messages.PutExecutionEventArtifactMismatch(0, ids[1], ids[0]), e.Message);
        Assert.Empty(await AllExecutionsAsync());
        Assert.Equal("a", (await ReadArtifactAsync(ids[0])).Uri);
    }

    [SkippableFact]
    public async Task Put_execution_updating_an_unknown_execution_is_an_invalid_argument()
    {
        await PutTypesAsync();

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutExecutionAsync(
            NewExecution() with { Id = 9999 }, [new ArtifactAndEvent(NewArtifact("a"), null)], []));

        Assert.Contains(Messages.NodeIdNotFound(NodeKind.Execution, 9999), e.Message);
        Assert.Empty(await AllExecutionsAsync());
        Assert.Empty(await AllArtifactsAsync());
    }

    [SkippableFact]
    public async Task Put_execution_without_an_execution_type_stores_nothing()
    {
        await PutTypesAsync();

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutExecutionAsync(
            new Execution { LastKnownState = ExecutionState.New }, [new ArtifactAndEvent(NewArtifact("a"), new Event { Type = EventType.Output })], [NewContext("c")]));

        Assert.Contains(Prefix(Messages.NodeTypeIdMissing(NodeKind.Execution, 0), "#"), e.Message);
        Assert.Empty(await AllExecutionsAsync());
        Assert.Empty(await AllArtifactsAsync());
        Assert.Empty(await AllContextsAsync());
    }

    [SkippableFact]
    public async Task Put_execution_with_an_invalid_artifact_stores_nothing()
    {
        await PutTypesAsync();

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutExecutionAsync(
            NewExecution(),
            [new ArtifactAndEvent(NewArtifact("ok"), null), new ArtifactAndEvent(NewArtifact("bad") with { Properties = Values(("nope", MetadataValue.Int(1))) }, null)],
            [NewContext("c")]));

        Assert.Contains(Messages.NodeUnknownProperty("nope", ArtifactTypeName), e.Message);
        Assert.Empty(await AllExecutionsAsync());
        Assert.Empty(await AllArtifactsAsync());
        Assert.Empty(await AllContextsAsync());
    }

    // ------------------------------------------------------------------ item 42: context reuse

    [SkippableFact]
    public async Task The_same_new_context_twice_already_exists_unless_reuse_is_requested()
    {
        await PutTypesAsync();
        var first = await Store.PutExecutionAsync(NewExecution(), [], [NewContext("shared")]);

        var e = await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.PutExecutionAsync(NewExecution(), [], [NewContext("shared")]));
        Assert.Contains(Messages.NodeAlreadyExists(NodeKind.Context, ""), e.Message);
        Assert.Single(await AllExecutionsAsync());

        var second = await Store.PutExecutionAsync(NewExecution(), [], [NewContext("shared")], new PutExecutionOptions { ReuseContextIfAlreadyExist = true });

        Assert.Equal(first.ContextIds, second.ContextIds);
        Assert.NotEqual(first.ExecutionId, second.ExecutionId);
        AssertSameIds(first.ContextIds, (await Store.GetContextsByExecutionAsync(second.ExecutionId)).Select(c => c.Id));
        AssertSameIds([first.ExecutionId, second.ExecutionId], (await Store.GetExecutionsByContextAsync(first.ContextIds[0])).Items.Select(x => x.Id));
        Assert.Single(await AllContextsAsync());
    }

    [SkippableFact]
    public async Task A_reused_context_gets_the_new_artifacts_attributed()
    {
        await PutTypesAsync();
        var first = await Store.PutExecutionAsync(NewExecution(), [new ArtifactAndEvent(NewArtifact("a1"), new Event { Type = EventType.Output })], [NewContext("shared")]);

        var second = await Store.PutExecutionAsync(
            NewExecution(),
            [new ArtifactAndEvent(null, new Event { ArtifactId = first.ArtifactIds[0], Type = EventType.Input }), new ArtifactAndEvent(NewArtifact("a2"), new Event { Type = EventType.Output })],
            [NewContext("shared")],
            new PutExecutionOptions { ReuseContextIfAlreadyExist = true });

        Assert.Equal(first.ContextIds, second.ContextIds);
        AssertSameIds([first.ArtifactIds[0], second.ArtifactIds[1]], (await Store.GetArtifactsByContextAsync(first.ContextIds[0])).Items.Select(a => a.Id));
        Assert.Equal(2, (await Store.GetEventsByArtifactIdsAsync([first.ArtifactIds[0]])).Count);
    }

    // ------------------------------------------------------------------ item 43: force_reuse_context

    [SkippableFact]
    public async Task Force_reuse_of_a_missing_context_id_is_not_found()
    {
        await PutTypesAsync();

        var e = await Assert.ThrowsAsync<NotFoundException>(() => Store.PutExecutionAsync(
            NewExecution(), [new ArtifactAndEvent(NewArtifact("a"), null)], [NewContext("c") with { Id = 12345 }], new PutExecutionOptions { ForceReuseContext = true }));

        Assert.Contains(Messages.ContextNotFoundForReuse(12345), e.Message);
        Assert.Empty(await AllExecutionsAsync());
        Assert.Empty(await AllArtifactsAsync());
    }

    [SkippableFact]
    public async Task Force_reuse_of_an_existing_context_leaves_it_unchanged()
    {
        await PutTypesAsync();
        var contextId = await PutContextAsync(NewContext("c") with { CustomProperties = Values(("k", MetadataValue.String("original"))) });
        var before = await ReadContextAsync(contextId);

        var result = await Store.PutExecutionAsync(
            NewExecution(),
            [new ArtifactAndEvent(NewArtifact("a"), new Event { Type = EventType.Output })],
            [before with { Name = "renamed", CustomProperties = Values(("k", MetadataValue.String("modified"))) }],
            new PutExecutionOptions { ForceReuseContext = true });

        Assert.Equal([contextId], result.ContextIds);
        var after = await ReadContextAsync(contextId);
        Assert.Equal("c", after.Name);
        AssertValues(Values(("k", MetadataValue.String("original"))), after.CustomProperties);
        Assert.Equal(before.LastUpdateTimeSinceEpoch, after.LastUpdateTimeSinceEpoch);
        Assert.Equal(result.ExecutionId, Assert.Single((await Store.GetExecutionsByContextAsync(contextId)).Items).Id);
        Assert.Equal(result.ArtifactIds[0], Assert.Single((await Store.GetArtifactsByContextAsync(contextId)).Items).Id);
    }

    [SkippableFact]
    public async Task Without_force_reuse_a_context_with_an_id_is_updated()
    {
        await PutTypesAsync();
        var contextId = await PutContextAsync(NewContext("c") with { CustomProperties = Values(("k", MetadataValue.String("original"))) });

        await Store.PutExecutionAsync(NewExecution(), [], [NewContext("c") with { Id = contextId, CustomProperties = Values(("k", MetadataValue.String("modified"))) }]);

        Assert.Equal("modified", (await ReadContextAsync(contextId)).CustomProperties["k"].StringValue);
    }

    // ------------------------------------------------------------------ item 44: artifact reuse by external id

    [SkippableFact]
    public async Task An_artifact_external_id_is_reused_only_when_requested()
    {
        await PutTypesAsync();
        var first = await Store.PutExecutionAsync(NewExecution(), [new ArtifactAndEvent(NewArtifact("uri_1") with { ExternalId = "X" }, new Event { Type = EventType.Output })], []);

        await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.PutExecutionAsync(
            NewExecution(), [new ArtifactAndEvent(NewArtifact("uri_2") with { ExternalId = "X" }, new Event { Type = EventType.Input })], []));
        Assert.Single(await AllExecutionsAsync());
        Assert.Equal("uri_1", (await ReadArtifactAsync(first.ArtifactIds[0])).Uri);

        var second = await Store.PutExecutionAsync(
            NewExecution(),
            [new ArtifactAndEvent(NewArtifact("uri_2") with { ExternalId = "X" }, new Event { Type = EventType.Input })],
            [],
            new PutExecutionOptions { ReuseArtifactIfAlreadyExistByExternalId = true });

        Assert.Equal(first.ArtifactIds, second.ArtifactIds);
        var artifact = Assert.Single(await AllArtifactsAsync());
        Assert.Equal("uri_2", artifact.Uri);
        Assert.Equal("X", artifact.ExternalId);
        Assert.Equal(2, (await Store.GetEventsByArtifactIdsAsync([first.ArtifactIds[0]])).Count);
    }

    // ------------------------------------------------------------------ item 45: duplicated pairs

    [SkippableFact]
    public async Task Duplicated_artifact_pairs_with_reuse_options_attribute_the_artifact_once()
    {
        await PutTypesAsync();
        var artifact = NewArtifact("dup") with { ExternalId = "dup_ext" };
        var options = new PutExecutionOptions { ReuseContextIfAlreadyExist = true, ReuseArtifactIfAlreadyExistByExternalId = true };

        var result = await Store.PutExecutionAsync(NewExecution(), [new ArtifactAndEvent(artifact, null), new ArtifactAndEvent(artifact, null)], [NewContext("c")], options);

        Assert.Equal(2, result.ArtifactIds.Count);
        Assert.Equal(result.ArtifactIds[0], result.ArtifactIds[1]);
        Assert.Single(await AllArtifactsAsync());
        Assert.Equal(result.ArtifactIds[0], Assert.Single((await Store.GetArtifactsByContextAsync(result.ContextIds[0])).Items).Id);
    }

    // ------------------------------------------------------------------ execution update and force_update_time

    [SkippableFact]
    public async Task Put_execution_updates_an_existing_execution()
    {
        await PutTypesAsync();
        var executionId = await PutExecutionAsync(NewExecution(ExecutionState.Running));

        var result = await Store.PutExecutionAsync(NewExecution(ExecutionState.Complete) with { Id = executionId }, [], []);

        Assert.Equal(executionId, result.ExecutionId);
        Assert.Equal(ExecutionState.Complete, (await ReadExecutionAsync(executionId)).LastKnownState);
        Assert.Single(await AllExecutionsAsync());
    }

    [SkippableFact]
    public async Task Force_update_time_moves_the_last_update_time_of_an_unchanged_execution()
    {
        await PutTypesAsync();
        var executionId = await PutExecutionAsync(NewExecution(ExecutionState.Running));
        var created = await ReadExecutionAsync(executionId);

        await ClockTickAsync();
        await Store.PutExecutionAsync(NewExecution(ExecutionState.Running) with { Id = executionId }, [], []);
        Assert.Equal(created.LastUpdateTimeSinceEpoch, (await ReadExecutionAsync(executionId)).LastUpdateTimeSinceEpoch);

        await ClockTickAsync();
        await Store.PutExecutionAsync(NewExecution(ExecutionState.Running) with { Id = executionId }, [], [], new PutExecutionOptions { ForceUpdateTime = true });
        Assert.True((await ReadExecutionAsync(executionId)).LastUpdateTimeSinceEpoch > created.LastUpdateTimeSinceEpoch);
    }
}
