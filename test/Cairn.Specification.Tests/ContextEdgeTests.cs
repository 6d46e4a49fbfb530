using Xunit;

namespace Cairn.Specification.Tests;

/// <summary>Attributions, associations and parent contexts (mlmd.md §4.7; §8 items 46–49).</summary>
public abstract class ContextEdgeTests<TStoreFactory> : StoreTestBase<TStoreFactory>
    where TStoreFactory : ITestStoreFactory, new()
{
    private async Task<IReadOnlyList<long>> PutContextsAsync(int count)
    {
        var typeId = await PutExampleContextTypeAsync();
        return await Store.PutContextsAsync(
            Enumerable.Range(0, count).Select(i => new Context { TypeId = typeId, Name = "context_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) }).ToList());
    }

    private async Task<IReadOnlyList<long>> PutExecutionsAsync(int count)
    {
        var typeId = await PutExampleExecutionTypeAsync();
        return await Store.PutExecutionsAsync(Enumerable.Range(0, count).Select(_ => new Execution { TypeId = typeId }).ToList());
    }

    // ------------------------------------------------------------------ item 46: attributions and associations

    [SkippableFact]
    public async Task Attributions_and_associations_link_nodes_to_contexts_both_ways()
    {
        var artifacts = await PutArtifactsAsync(1);
        var executions = await PutExecutionsAsync(1);
        var contexts = await PutContextsAsync(2);

        await Store.PutAttributionsAndAssociationsAsync(
            [new Attribution(contexts[0], artifacts[0]), new Attribution(contexts[1], artifacts[0])],
            [new Association(contexts[1], executions[0])]);

        var artifactContexts = await Store.GetContextsByArtifactAsync(artifacts[0]);
        AssertSameIds(contexts, artifactContexts.Select(c => c.Id));
        Assert.All(artifactContexts, c => Assert.Equal(ContextTypeName, c.Type));
        var executionContext = Assert.Single(await Store.GetContextsByExecutionAsync(executions[0]));
        Assert.Equal(contexts[1], executionContext.Id);
        Assert.Equal("context_1", executionContext.Name);
        Assert.Equal(artifacts[0], Assert.Single((await Store.GetArtifactsByContextAsync(contexts[0])).Items).Id);
        Assert.Equal(executions[0], Assert.Single((await Store.GetExecutionsByContextAsync(contexts[1])).Items).Id);
    }

    [SkippableFact]
    public async Task Duplicate_attributions_and_associations_are_ignored()
    {
        var artifacts = await PutArtifactsAsync(1);
        var executions = await PutExecutionsAsync(1);
        var contexts = await PutContextsAsync(1);
        var attribution = new Attribution(contexts[0], artifacts[0]);
        var association = new Association(contexts[0], executions[0]);

        await Store.PutAttributionsAndAssociationsAsync([attribution, attribution], [association, association]);
        await Store.PutAttributionsAndAssociationsAsync([attribution], [association]);

        Assert.Single((await Store.GetArtifactsByContextAsync(contexts[0])).Items);
        Assert.Single((await Store.GetExecutionsByContextAsync(contexts[0])).Items);
        Assert.Single(await Store.GetContextsByArtifactAsync(artifacts[0]));
        Assert.Single(await Store.GetContextsByExecutionAsync(executions[0]));
    }

    [SkippableFact]
    public async Task An_attribution_to_an_unknown_context_or_artifact_is_rejected()
    {
        var artifacts = await PutArtifactsAsync(1);
        var contexts = await PutContextsAsync(1);

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutAttributionsAndAssociationsAsync([new Attribution(9999, artifacts[0])], []));
        Assert.Contains(Messages.ContextIdNotFound(9999), e.Message);
        e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutAttributionsAndAssociationsAsync([new Attribution(contexts[0], 9999)], []));
        Assert.Contains(Messages.ArtifactIdNotFound(9999), e.Message);

        Assert.Empty((await Store.GetArtifactsByContextAsync(contexts[0])).Items);
        await Assert.ThrowsAsync<NotFoundException>(() => Store.GetContextsByArtifactAsync(artifacts[0]));
    }

    [SkippableFact]
    public async Task An_association_to_an_unknown_context_or_execution_is_rejected()
    {
        var executions = await PutExecutionsAsync(1);
        var contexts = await PutContextsAsync(1);

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutAttributionsAndAssociationsAsync([], [new Association(9999, executions[0])]));
        Assert.Contains(Messages.ContextIdNotFound(9999), e.Message);
        e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutAttributionsAndAssociationsAsync([], [new Association(contexts[0], 9999)]));
        Assert.Contains(Messages.ExecutionIdNotFound(9999), e.Message);

        Assert.Empty((await Store.GetExecutionsByContextAsync(contexts[0])).Items);
    }

    [SkippableFact]
    public async Task Attributions_and_associations_without_ids_are_rejected()
    {
        var artifacts = await PutArtifactsAsync(1);
        var executions = await PutExecutionsAsync(1);
        var contexts = await PutContextsAsync(1);

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutAttributionsAndAssociationsAsync([new Attribution(null, artifacts[0])], []));
        Assert.Contains(Messages.ContextIdMissing, e.Message);
        e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutAttributionsAndAssociationsAsync([new Attribution(contexts[0], null)], []));
        Assert.Contains(Messages.AttributionArtifactIdMissing, e.Message);
        e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutAttributionsAndAssociationsAsync([], [new Association(null, executions[0])]));
        Assert.Contains(Messages.ContextIdMissing, e.Message);
        e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutAttributionsAndAssociationsAsync([], [new Association(contexts[0], null)]));
        Assert.Contains(Messages.AssociationExecutionIdMissing, e.Message);

        Assert.Empty((await Store.GetArtifactsByContextAsync(contexts[0])).Items);
        Assert.Empty((await Store.GetExecutionsByContextAsync(contexts[0])).Items);
    }

    [SkippableFact]
    public async Task A_failed_attribution_batch_writes_nothing()
    {
        var artifacts = await PutArtifactsAsync(2);
        var executions = await PutExecutionsAsync(1);
        var contexts = await PutContextsAsync(1);

        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutAttributionsAndAssociationsAsync(
            [new Attribution(contexts[0], artifacts[0]), new Attribution(contexts[0], artifacts[1])],
            [new Association(contexts[0], executions[0]), new Association(contexts[0], 9999)]));

        Assert.Empty((await Store.GetArtifactsByContextAsync(contexts[0])).Items);
        Assert.Empty((await Store.GetExecutionsByContextAsync(contexts[0])).Items);
    }

    // ------------------------------------------------------------------ item 47: empty reads

    [SkippableFact]
    public async Task Contexts_of_an_unattributed_artifact_are_not_found()
    {
        var artifacts = await PutArtifactsAsync(1);
        await PutContextsAsync(1);

        var e = await Assert.ThrowsAsync<NotFoundException>(() => Store.GetContextsByArtifactAsync(artifacts[0]));

        Assert.Contains(Messages.NoContextsForArtifact(artifacts[0]), e.Message);
    }

    [SkippableFact]
    public async Task Contexts_of_an_unassociated_execution_are_not_found()
    {
        var executions = await PutExecutionsAsync(1);
        await PutContextsAsync(1);

        var e = await Assert.ThrowsAsync<NotFoundException>(() => Store.GetContextsByExecutionAsync(executions[0]));

        Assert.Contains(Messages.NoContextsForExecution(executions[0]), e.Message);
    }

    [SkippableFact]
    public async Task An_empty_context_has_no_artifacts_and_no_executions()
    {
        var contexts = await PutContextsAsync(1);
        await PutArtifactsAsync(2);
        await PutExecutionsAsync(2);

        Assert.Empty((await Store.GetArtifactsByContextAsync(contexts[0])).Items);
        Assert.Empty((await Store.GetExecutionsByContextAsync(contexts[0])).Items);
    }

    // ------------------------------------------------------------------ item 48: parent context validation

    [SkippableFact]
    public async Task A_parent_context_with_a_missing_id_is_rejected()
    {
        var contexts = await PutContextsAsync(2);

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutParentContextsAsync([new ParentContext(null, contexts[0])]));
        Assert.Contains(Messages.ParentContextChildMissing, e.Message);
        e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutParentContextsAsync([new ParentContext(contexts[1], null)]));
        Assert.Contains(Messages.ParentContextParentMissing, e.Message);

        Assert.Empty(await Store.GetParentContextsByContextAsync(contexts[1]));
        Assert.Empty(await Store.GetChildrenContextsByContextAsync(contexts[0]));
    }

    [SkippableFact]
    public async Task A_parent_context_with_an_unknown_id_is_rejected()
    {
        var contexts = await PutContextsAsync(2);

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutParentContextsAsync([new ParentContext(9999, contexts[0])]));
        Assert.Contains(Messages.ParentContextNotFound(9999, contexts[0]), e.Message);
        e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutParentContextsAsync([new ParentContext(contexts[1], 9999)]));
        Assert.Contains(Messages.ParentContextNotFound(contexts[1], 9999), e.Message);
        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutParentContextsAsync([new ParentContext(9998, 9999)]));

        Assert.Empty(await Store.GetChildrenContextsByContextAsync(contexts[0]));
        Assert.Empty(await Store.GetParentContextsByContextAsync(contexts[1]));
    }

    [SkippableFact]
    public async Task A_context_cannot_be_its_own_parent()
    {
        var contexts = await PutContextsAsync(1);

        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutParentContextsAsync([new ParentContext(contexts[0], contexts[0])]));

        Assert.Empty(await Store.GetParentContextsByContextAsync(contexts[0]));
    }

    [SkippableFact]
    public async Task A_duplicate_parent_context_already_exists()
    {
        var contexts = await PutContextsAsync(2);
        await Store.PutParentContextsAsync([new ParentContext(contexts[1], contexts[0])]);

        var e = await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.PutParentContextsAsync([new ParentContext(contexts[1], contexts[0])]));

        Assert.Contains(Messages.ParentContextAlreadyExists(contexts[1], contexts[0]), e.Message);
        Assert.Single(await Store.GetParentContextsByContextAsync(contexts[1]));
    }

    [SkippableFact]
    public async Task A_duplicate_parent_context_within_one_batch_writes_nothing()
    {
        var c = await PutContextsAsync(3);

        await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.PutParentContextsAsync(
            [new ParentContext(c[1], c[0]), new ParentContext(c[2], c[0]), new ParentContext(c[1], c[0])]));

        Assert.Empty(await Store.GetChildrenContextsByContextAsync(c[0]));
    }

    [SkippableFact]
    public async Task A_parent_relation_that_closes_a_cycle_is_rejected()
    {
        var contexts = await PutContextsAsync(2);
        await Store.PutParentContextsAsync([new ParentContext(ChildId: contexts[1], ParentId: contexts[0])]);

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutParentContextsAsync([new ParentContext(ChildId: contexts[0], ParentId: contexts[1])]));

        Assert.Contains(Messages.ParentContextCycle(contexts[0], contexts[1]), e.Message);
        Assert.Empty(await Store.GetParentContextsByContextAsync(contexts[0]));
    }

    [SkippableFact]
    public async Task A_longer_cycle_is_detected_too()
    {
        var c = await PutContextsAsync(3);
        await Store.PutParentContextsAsync([new ParentContext(ChildId: c[1], ParentId: c[0]), new ParentContext(ChildId: c[2], ParentId: c[1])]);

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutParentContextsAsync([new ParentContext(ChildId: c[0], ParentId: c[2])]));

        Assert.Contains(Prefix(Messages.ParentContextCycle(c[0], c[2]), ":"), e.Message);
        Assert.Empty(await Store.GetParentContextsByContextAsync(c[0]));
    }

    [SkippableFact]
    public async Task A_cycle_inside_one_batch_is_rejected_and_nothing_is_written()
    {
        var c = await PutContextsAsync(3);

        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutParentContextsAsync(
            [new ParentContext(ChildId: c[1], ParentId: c[0]), new ParentContext(ChildId: c[2], ParentId: c[1]), new ParentContext(ChildId: c[0], ParentId: c[2])]));

        Assert.Empty(await Store.GetParentContextsByContextAsync(c[1]));
        Assert.Empty(await Store.GetParentContextsByContextAsync(c[2]));
        Assert.Empty(await Store.GetParentContextsByContextAsync(c[0]));
    }

    [SkippableFact]
    public async Task A_failed_parent_context_batch_writes_nothing()
    {
        var c = await PutContextsAsync(3);

        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutParentContextsAsync(
            [new ParentContext(ChildId: c[1], ParentId: c[0]), new ParentContext(ChildId: c[2], ParentId: 9999)]));

        Assert.Empty(await Store.GetParentContextsByContextAsync(c[1]));
        Assert.Empty(await Store.GetChildrenContextsByContextAsync(c[0]));
    }

    [SkippableFact]
    public async Task A_diamond_is_not_a_cycle()
    {
        var c = await PutContextsAsync(4);

        await Store.PutParentContextsAsync(
            [
                new ParentContext(ChildId: c[1], ParentId: c[0]),
                new ParentContext(ChildId: c[2], ParentId: c[0]),
                new ParentContext(ChildId: c[3], ParentId: c[1]),
                new ParentContext(ChildId: c[3], ParentId: c[2]),
            ]);

        AssertSameIds([c[1], c[2]], (await Store.GetParentContextsByContextAsync(c[3])).Select(x => x.Id));
        AssertSameIds([c[1], c[2]], (await Store.GetChildrenContextsByContextAsync(c[0])).Select(x => x.Id));
    }

    // ------------------------------------------------------------------ item 49: parents and children

    [SkippableFact]
    public async Task Parents_and_children_are_returned_as_inserted()
    {
        var c = await PutContextsAsync(7);
        (int Child, int Parent)[] edges = [(1, 0), (2, 0), (3, 2), (6, 1), (5, 4), (6, 5)];
        await Store.PutParentContextsAsync(edges.Select(e => new ParentContext(c[e.Child], c[e.Parent])).ToList());

        for (var i = 0; i < 7; i++)
        {
            var expectedParents = edges.Where(e => e.Child == i).Select(e => c[e.Parent]);
            var expectedChildren = edges.Where(e => e.Parent == i).Select(e => c[e.Child]);
            var parents = await Store.GetParentContextsByContextAsync(c[i]);
            var children = await Store.GetChildrenContextsByContextAsync(c[i]);
            AssertSameIds(expectedParents, parents.Select(x => x.Id));
            AssertSameIds(expectedChildren, children.Select(x => x.Id));
            Assert.All(parents.Concat(children), x => Assert.Equal(ContextTypeName, x.Type));
        }
    }

    [SkippableFact]
    public async Task Batch_parent_and_child_maps_omit_contexts_without_relations()
    {
        var c = await PutContextsAsync(7);
        (int Child, int Parent)[] edges = [(1, 0), (2, 0), (3, 2), (6, 1), (5, 4), (6, 5)];
        await Store.PutParentContextsAsync(edges.Select(e => new ParentContext(c[e.Child], c[e.Parent])).ToList());

        var parents = await Store.GetParentContextsByContextsAsync(c.Append(9999).ToList());
        var children = await Store.GetChildrenContextsByContextsAsync(c.Append(9999).ToList());

        Assert.Equal(new[] { 1, 2, 3, 5, 6 }.Select(i => c[i]).Order(), parents.Keys.Order());
        Assert.Equal(new[] { 0, 1, 2, 4, 5 }.Select(i => c[i]).Order(), children.Keys.Order());
        foreach (var (child, list) in parents)
        {
            var i = c.ToList().IndexOf(child);
            AssertSameIds(edges.Where(e => e.Child == i).Select(e => c[e.Parent]), list.Select(x => x.Id));
        }

        foreach (var (parent, list) in children)
        {
            var i = c.ToList().IndexOf(parent);
            AssertSameIds(edges.Where(e => e.Parent == i).Select(e => c[e.Child]), list.Select(x => x.Id));
        }

        var onlyRoot = await Store.GetParentContextsByContextsAsync([c[0], c[4]]);
        Assert.Empty(onlyRoot);
    }

    [SkippableFact]
    public async Task Parents_and_children_of_an_unrelated_context_are_empty()
    {
        var c = await PutContextsAsync(1);

        Assert.Empty(await Store.GetParentContextsByContextAsync(c[0]));
        Assert.Empty(await Store.GetChildrenContextsByContextAsync(c[0]));
        Assert.Empty(await Store.GetParentContextsByContextsAsync([c[0]]));
        Assert.Empty(await Store.GetChildrenContextsByContextsAsync([c[0]]));
    }

    [SkippableFact]
    public async Task Batch_parent_and_child_reads_with_no_ids_are_invalid()
    {
        await PutContextsAsync(1);

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetParentContextsByContextsAsync([]));
        Assert.Contains(Messages.ContextIdsEmpty, e.Message);
        e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetChildrenContextsByContextsAsync([]));
        Assert.Contains(Messages.ContextIdsEmpty, e.Message);
    }
}
