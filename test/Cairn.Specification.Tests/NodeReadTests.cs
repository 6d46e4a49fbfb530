using Xunit;

namespace Cairn.Specification.Tests;

/// <summary>Node reads by id, type, type and name, URI, external id and context (mlmd.md §4.8; §8 items 29–33, 47).</summary>
public abstract class NodeReadTests<TStoreFactory> : StoreTestBase<TStoreFactory>
    where TStoreFactory : ITestStoreFactory, new()
{
    // ------------------------------------------------------------------ item 29: by id

    [SkippableFact]
    public async Task Get_by_id_with_no_ids_returns_nothing()
    {
        await PutArtifactsAsync(2);

        Assert.Empty(await Store.GetArtifactsByIdAsync([]));
        Assert.Empty(await Store.GetExecutionsByIdAsync([]));
        Assert.Empty(await Store.GetContextsByIdAsync([]));
    }

    [SkippableFact]
    public async Task Get_by_id_skips_unknown_ids()
    {
        var ids = await PutArtifactsAsync(3);
        var executionTypeId = await PutExampleExecutionTypeAsync();
        var executionId = await PutExecutionAsync(new Execution { TypeId = executionTypeId });
        var contextTypeId = await PutExampleContextTypeAsync();
        var contextId = await PutContextAsync(new Context { TypeId = contextTypeId, Name = "c" });

        AssertSameIds([ids[0], ids[2]], (await Store.GetArtifactsByIdAsync([ids[2], 9999, ids[0]])).Select(a => a.Id));
        Assert.Empty(await Store.GetArtifactsByIdAsync([9999]));
        Assert.Equal(executionId, Assert.Single(await Store.GetExecutionsByIdAsync([executionId, 9999])).Id);
        Assert.Empty(await Store.GetExecutionsByIdAsync([9999]));
        Assert.Equal(contextId, Assert.Single(await Store.GetContextsByIdAsync([9999, contextId])).Id);
        Assert.Empty(await Store.GetContextsByIdAsync([9999]));
    }

    [SkippableFact]
    public async Task Get_by_id_returns_full_nodes_with_their_type_names()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var id = await PutArtifactAsync(new Artifact { TypeId = typeId, Name = "a", Uri = "u", Properties = Values(("foo", MetadataValue.Int(1))) });

        var artifact = Assert.Single(await Store.GetArtifactsByIdAsync([id]));

        Assert.Equal(ArtifactTypeName, artifact.Type);
        Assert.Equal("a", artifact.Name);
        Assert.Equal("u", artifact.Uri);
        Assert.Equal(1, artifact.Properties["foo"].IntValue);
    }

    // ------------------------------------------------------------------ item 30: by type

    [SkippableFact]
    public async Task Get_by_an_unknown_type_returns_nothing()
    {
        await PutArtifactsAsync(2);

        Assert.Empty((await Store.GetArtifactsByTypeAsync("nonexistent")).Items);
        Assert.Empty((await Store.GetExecutionsByTypeAsync("nonexistent")).Items);
        Assert.Empty((await Store.GetContextsByTypeAsync("nonexistent")).Items);
    }

    [SkippableFact]
    public async Task Get_by_a_type_without_nodes_returns_nothing()
    {
        await PutExampleArtifactTypeAsync("empty_type");
        await PutExampleExecutionTypeAsync("empty_type");
        await PutExampleContextTypeAsync("empty_type");

        Assert.Empty((await Store.GetArtifactsByTypeAsync("empty_type")).Items);
        Assert.Empty((await Store.GetExecutionsByTypeAsync("empty_type")).Items);
        Assert.Empty((await Store.GetContextsByTypeAsync("empty_type")).Items);
    }

    [SkippableFact]
    public async Task Get_by_type_returns_only_the_nodes_of_that_type()
    {
        var t1 = await PutExampleArtifactTypeAsync("t1");
        var t2 = await PutExampleArtifactTypeAsync("t2");
        var ids = await Store.PutArtifactsAsync([new Artifact { TypeId = t1 }, new Artifact { TypeId = t2 }, new Artifact { TypeId = t1 }]);

        var page = await Store.GetArtifactsByTypeAsync("t1");

        AssertSameIds([ids[0], ids[2]], page.Items.Select(a => a.Id));
        Assert.All(page.Items, a => Assert.Equal("t1", a.Type));
        Assert.True(string.IsNullOrEmpty(page.NextPageToken));
    }

    [SkippableFact]
    public async Task Get_executions_and_contexts_by_type_return_only_the_nodes_of_that_type()
    {
        var e1 = await PutExampleExecutionTypeAsync("t1");
        var e2 = await PutExampleExecutionTypeAsync("t2");
        var c1 = await PutExampleContextTypeAsync("t1");
        var c2 = await PutExampleContextTypeAsync("t2");
        var executions = await Store.PutExecutionsAsync([new Execution { TypeId = e1 }, new Execution { TypeId = e2 }]);
        var contexts = await Store.PutContextsAsync([new Context { TypeId = c2, Name = "x" }, new Context { TypeId = c1, Name = "y" }]);

        Assert.Equal(executions[1], Assert.Single((await Store.GetExecutionsByTypeAsync("t2")).Items).Id);
        Assert.Equal(contexts[1], Assert.Single((await Store.GetContextsByTypeAsync("t1")).Items).Id);
        Assert.Equal("t1", Assert.Single((await Store.GetContextsByTypeAsync("t1")).Items).Type);
    }

    [SkippableFact]
    public async Task Get_by_type_distinguishes_type_versions()
    {
        var unversioned = await PutExampleArtifactTypeAsync("n");
        var versioned = await Store.PutArtifactTypeAsync(ExampleArtifactType("n") with { Version = "v1" });
        var ids = await Store.PutArtifactsAsync([new Artifact { TypeId = unversioned }, new Artifact { TypeId = versioned }]);

        Assert.Equal(ids[0], Assert.Single((await Store.GetArtifactsByTypeAsync("n")).Items).Id);
        Assert.Equal(ids[0], Assert.Single((await Store.GetArtifactsByTypeAsync("n", "")).Items).Id);
        Assert.Equal(ids[1], Assert.Single((await Store.GetArtifactsByTypeAsync("n", "v1")).Items).Id);
        Assert.Empty((await Store.GetArtifactsByTypeAsync("n", "random")).Items);
    }

    [SkippableFact]
    public async Task Get_by_type_does_not_match_a_type_of_another_kind()
    {
        var executionTypeId = await PutExampleExecutionTypeAsync("shared");
        await PutExampleArtifactTypeAsync("shared");
        await PutExecutionAsync(new Execution { TypeId = executionTypeId });

        Assert.Empty((await Store.GetArtifactsByTypeAsync("shared")).Items);
        Assert.Empty((await Store.GetContextsByTypeAsync("shared")).Items);
        Assert.Single((await Store.GetExecutionsByTypeAsync("shared")).Items);
    }

    // ------------------------------------------------------------------ item 31: by type and name

    [SkippableFact]
    public async Task Get_artifact_by_type_and_name_finds_only_the_exact_match()
    {
        var t1 = await PutExampleArtifactTypeAsync("test_type_1");
        var t1v = await Store.PutArtifactTypeAsync(ExampleArtifactType("test_type_1") with { Version = "v1" });
        var t2 = await PutExampleArtifactTypeAsync("test_type_2");
        var ids = await Store.PutArtifactsAsync(
            [
                new Artifact { TypeId = t1, Name = "test_artifact_1" },
                new Artifact { TypeId = t1v, Name = "test_artifact_v" },
                new Artifact { TypeId = t2, Name = "test_artifact_2" },
            ]);

        var found = await Store.GetArtifactByTypeAndNameAsync("test_type_1", "test_artifact_1");
        Assert.NotNull(found);
        Assert.Equal(ids[0], found.Id);
        Assert.Equal("test_type_1", found.Type);
        Assert.Equal(ids[1], (await Store.GetArtifactByTypeAndNameAsync("test_type_1", "test_artifact_v", "v1"))?.Id);
        Assert.Equal(ids[2], (await Store.GetArtifactByTypeAndNameAsync("test_type_2", "test_artifact_2"))?.Id);

        Assert.Null(await Store.GetArtifactByTypeAndNameAsync("test_type_1", "test_artifact_2"));
        Assert.Null(await Store.GetArtifactByTypeAndNameAsync("test_type_2", "test_artifact_1"));
        Assert.Null(await Store.GetArtifactByTypeAndNameAsync("test_type_1", "unknown_artifact"));
        Assert.Null(await Store.GetArtifactByTypeAndNameAsync("unknown_type", "test_artifact_1"));
        Assert.Null(await Store.GetArtifactByTypeAndNameAsync("test_type_1", "test_artifact_1", "v1"));
        Assert.Null(await Store.GetArtifactByTypeAndNameAsync("test_type_1", "test_artifact_v"));
        Assert.Null(await Store.GetArtifactByTypeAndNameAsync("test_type_1", "test_artifact_v", "v2"));
    }

    [SkippableFact]
    public async Task Get_execution_and_context_by_type_and_name_find_only_the_exact_match()
    {
        var executionTypeId = await PutExampleExecutionTypeAsync();
        var contextTypeId = await PutExampleContextTypeAsync();
        var executionId = await PutExecutionAsync(new Execution { TypeId = executionTypeId, Name = "e" });
        var contextId = await PutContextAsync(new Context { TypeId = contextTypeId, Name = "c" });

        var execution = await Store.GetExecutionByTypeAndNameAsync(ExecutionTypeName, "e");
        Assert.NotNull(execution);
        Assert.Equal(executionId, execution.Id);
        Assert.Equal(ExecutionTypeName, execution.Type);
        var context = await Store.GetContextByTypeAndNameAsync(ContextTypeName, "c");
        Assert.NotNull(context);
        Assert.Equal(contextId, context.Id);
        Assert.Equal(ContextTypeName, context.Type);

        Assert.Null(await Store.GetExecutionByTypeAndNameAsync(ExecutionTypeName, "c"));
        Assert.Null(await Store.GetExecutionByTypeAndNameAsync(ContextTypeName, "e"));
        Assert.Null(await Store.GetExecutionByTypeAndNameAsync(ExecutionTypeName, "e", "v1"));
        Assert.Null(await Store.GetContextByTypeAndNameAsync(ContextTypeName, "e"));
        Assert.Null(await Store.GetContextByTypeAndNameAsync(ExecutionTypeName, "c"));
        Assert.Null(await Store.GetContextByTypeAndNameAsync(ContextTypeName, "c", "v1"));
    }

    // ------------------------------------------------------------------ item 32: by URI

    [SkippableFact]
    public async Task Get_artifacts_by_uri_returns_exactly_the_matching_artifacts()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var ids = await Store.PutArtifactsAsync([new Artifact { TypeId = typeId, Uri = "test_uri" }, new Artifact { TypeId = typeId, Uri = "other_uri" }]);

        var found = Assert.Single(await Store.GetArtifactsByUriAsync(["test_uri"]));
        Assert.Equal(ids[0], found.Id);
        Assert.Equal("test_uri", found.Uri);
        Assert.Equal(ArtifactTypeName, found.Type);
    }

    [SkippableFact]
    public async Task Get_artifacts_by_uri_ignores_duplicate_and_unknown_uris()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var ids = await Store.PutArtifactsAsync(
            [new Artifact { TypeId = typeId, Uri = "a" }, new Artifact { TypeId = typeId, Uri = "b" }, new Artifact { TypeId = typeId, Uri = "a" }]);

        AssertSameIds([ids[0], ids[1], ids[2]], (await Store.GetArtifactsByUriAsync(["a", "b", "a", "unknown"])).Select(a => a.Id));
        Assert.Empty(await Store.GetArtifactsByUriAsync(["unknown"]));
        Assert.Empty(await Store.GetArtifactsByUriAsync([]));
    }

    [SkippableFact]
    public async Task Get_artifacts_by_an_empty_uri_returns_the_artifacts_without_a_uri()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var ids = await Store.PutArtifactsAsync(
            [new Artifact { TypeId = typeId }, new Artifact { TypeId = typeId, Uri = "" }, new Artifact { TypeId = typeId, Uri = "set" }]);

        AssertSameIds([ids[0], ids[1]], (await Store.GetArtifactsByUriAsync([""])).Select(a => a.Id));
    }

    // ------------------------------------------------------------------ item 33: by external ids

    [SkippableFact]
    public async Task Get_artifacts_by_external_ids_returns_the_matches()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var ids = await Store.PutArtifactsAsync(
            [new Artifact { TypeId = typeId, ExternalId = "e1" }, new Artifact { TypeId = typeId, ExternalId = "e2" }, new Artifact { TypeId = typeId }]);

        var found = await Store.GetArtifactsByExternalIdsAsync(["e1", "e2"]);
        AssertSameIds([ids[0], ids[1]], found.Select(a => a.Id));
        Assert.All(found, a => Assert.Equal(ArtifactTypeName, a.Type));

        Assert.Equal(ids[1], Assert.Single(await Store.GetArtifactsByExternalIdsAsync(["e2", "absent"])).Id);
        Assert.Empty(await Store.GetArtifactsByExternalIdsAsync([]));
    }

    [SkippableFact]
    public async Task Get_artifacts_by_external_ids_with_no_match_is_not_found()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        await PutArtifactAsync(new Artifact { TypeId = typeId, ExternalId = "e1" });

        var e = await Assert.ThrowsAsync<NotFoundException>(() => Store.GetArtifactsByExternalIdsAsync(["absent"]));

        Assert.Contains(Messages.ExternalIdsNotFound(NodeKind.Artifact), e.Message);
    }

    [SkippableFact]
    public async Task Get_artifacts_by_an_empty_external_id_is_an_invalid_argument()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        await PutArtifactAsync(new Artifact { TypeId = typeId, ExternalId = "e1" });

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetArtifactsByExternalIdsAsync([""]));
        Assert.Contains(Messages.ExternalIdEmpty, e.Message);
        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetArtifactsByExternalIdsAsync(["e1", ""]));
    }

    [SkippableFact]
    public async Task Get_executions_and_contexts_by_external_ids_follow_the_same_rules()
    {
        var executionTypeId = await PutExampleExecutionTypeAsync();
        var contextTypeId = await PutExampleContextTypeAsync();
        var executionId = await PutExecutionAsync(new Execution { TypeId = executionTypeId, ExternalId = "x" });
        var contextId = await PutContextAsync(new Context { TypeId = contextTypeId, Name = "c", ExternalId = "x" });

        Assert.Equal(executionId, Assert.Single(await Store.GetExecutionsByExternalIdsAsync(["x", "absent"])).Id);
        Assert.Equal(contextId, Assert.Single(await Store.GetContextsByExternalIdsAsync(["absent", "x"])).Id);

        var e = await Assert.ThrowsAsync<NotFoundException>(() => Store.GetExecutionsByExternalIdsAsync(["absent"]));
        Assert.Contains(Messages.ExternalIdsNotFound(NodeKind.Execution), e.Message);
        e = await Assert.ThrowsAsync<NotFoundException>(() => Store.GetContextsByExternalIdsAsync(["absent"]));
        Assert.Contains(Messages.ExternalIdsNotFound(NodeKind.Context), e.Message);
        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetExecutionsByExternalIdsAsync([""]));
        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetContextsByExternalIdsAsync([""]));
        Assert.Empty(await Store.GetExecutionsByExternalIdsAsync([]));
        Assert.Empty(await Store.GetContextsByExternalIdsAsync([]));
    }

    [SkippableFact]
    public async Task External_ids_of_another_kind_do_not_match()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        await PutArtifactAsync(new Artifact { TypeId = typeId, ExternalId = "only_an_artifact" });

        await Assert.ThrowsAsync<NotFoundException>(() => Store.GetExecutionsByExternalIdsAsync(["only_an_artifact"]));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.GetContextsByExternalIdsAsync(["only_an_artifact"]));
    }

    // ------------------------------------------------------------------ by context (item 47 reads)

    [SkippableFact]
    public async Task Get_by_context_returns_the_attributed_artifacts_and_associated_executions()
    {
        var artifactIds = await PutArtifactsAsync(3);
        var executionTypeId = await PutExampleExecutionTypeAsync();
        var executionIds = await Store.PutExecutionsAsync([new Execution { TypeId = executionTypeId }, new Execution { TypeId = executionTypeId }]);
        var contextTypeId = await PutExampleContextTypeAsync();
        var contextIds = await Store.PutContextsAsync([new Context { TypeId = contextTypeId, Name = "c1" }, new Context { TypeId = contextTypeId, Name = "c2" }]);

        await Store.PutAttributionsAndAssociationsAsync(
            [new Attribution(contextIds[0], artifactIds[0]), new Attribution(contextIds[0], artifactIds[2]), new Attribution(contextIds[1], artifactIds[1])],
            [new Association(contextIds[0], executionIds[1])]);

        var artifacts = await Store.GetArtifactsByContextAsync(contextIds[0]);
        AssertSameIds([artifactIds[0], artifactIds[2]], artifacts.Items.Select(a => a.Id));
        Assert.All(artifacts.Items, a => Assert.Equal(ArtifactTypeName, a.Type));
        var executions = await Store.GetExecutionsByContextAsync(contextIds[0]);
        Assert.Equal(executionIds[1], Assert.Single(executions.Items).Id);
        Assert.Equal(ExecutionTypeName, executions.Items[0].Type);
        Assert.Equal(artifactIds[1], Assert.Single((await Store.GetArtifactsByContextAsync(contextIds[1])).Items).Id);
        Assert.Empty((await Store.GetExecutionsByContextAsync(contextIds[1])).Items);
    }

    [SkippableFact]
    public async Task Get_by_context_of_an_empty_or_unknown_context_returns_nothing()
    {
        var contextTypeId = await PutExampleContextTypeAsync();
        var contextId = await PutContextAsync(new Context { TypeId = contextTypeId, Name = "empty" });

        Assert.Empty((await Store.GetArtifactsByContextAsync(contextId)).Items);
        Assert.Empty((await Store.GetExecutionsByContextAsync(contextId)).Items);
        Assert.Empty((await Store.GetArtifactsByContextAsync(9999)).Items);
        Assert.Empty((await Store.GetExecutionsByContextAsync(9999)).Items);
    }

    [SkippableFact]
    public async Task List_calls_without_options_return_every_node_ordered_by_id()
    {
        var artifactIds = await PutArtifactsAsync(5);
        var executionTypeId = await PutExampleExecutionTypeAsync();
        var executionIds = await Store.PutExecutionsAsync(Enumerable.Range(0, 4).Select(_ => new Execution { TypeId = executionTypeId }).ToList());
        var contextTypeId = await PutExampleContextTypeAsync();
        var contextIds = await Store.PutContextsAsync(new[] { "c", "a", "b" }.Select(n => new Context { TypeId = contextTypeId, Name = n }).ToList());

        var artifacts = await Store.GetArtifactsAsync();
        AssertIds(artifactIds.Order(), artifacts.Items.Select(a => a.Id));
        Assert.True(string.IsNullOrEmpty(artifacts.NextPageToken));
        Assert.All(artifacts.Items, a => Assert.Equal(ArtifactTypeName, a.Type));
        var executions = await Store.GetExecutionsAsync();
        AssertIds(executionIds.Order(), executions.Items.Select(e => e.Id));
        Assert.True(string.IsNullOrEmpty(executions.NextPageToken));
        var contexts = await Store.GetContextsAsync();
        AssertIds(contextIds.Order(), contexts.Items.Select(c => c.Id));
        Assert.True(string.IsNullOrEmpty(contexts.NextPageToken));
    }
}
