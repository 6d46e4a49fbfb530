using Xunit;

namespace Cairn.Specification.Tests;

/// <summary>Owners and tags (Cairn, not MLMD): validation, replace and keep semantics, reads of every shape, and filters.</summary>
public abstract class LabelTests<TStoreFactory> : StoreTestBase<TStoreFactory>
    where TStoreFactory : ITestStoreFactory, new()
{
    private static ListOptions Filter(string query) => new() { FilterQuery = query, MaxResultSize = 100 };

    private async Task<string[]> ArtifactNamesAsync(string query) =>
        [.. (await Store.GetArtifactsAsync(Filter(query))).Items.Select(a => a.Name ?? string.Empty).Order(StringComparer.Ordinal)];

    [SkippableFact]
    public async Task Tags_and_owners_are_stored_sorted_without_duplicates_on_every_node_kind()
    {
        var artifactType = await PutExampleArtifactTypeAsync();
        var executionType = await PutExampleExecutionTypeAsync();
        var contextType = await PutExampleContextTypeAsync();

        var a = await PutArtifactAsync(new Artifact { TypeId = artifactType, Name = "a", Tags = ["nlp", "gold", "nlp"], Owners = ["andy"] });
        var e = await PutExecutionAsync(new Execution { TypeId = executionType, Name = "e", Tags = ["run"], Owners = ["brenda", "andy"] });
        var c = await PutContextAsync(new Context { TypeId = contextType, Name = "c", Tags = ["exp"] });

        var artifact = await ReadArtifactAsync(a);
        Assert.Equal(["gold", "nlp"], artifact.Tags);
        Assert.Equal(["andy"], artifact.Owners);
        var execution = await ReadExecutionAsync(e);
        Assert.Equal(["run"], execution.Tags);
        Assert.Equal(["andy", "brenda"], execution.Owners);
        var context = await ReadContextAsync(c);
        Assert.Equal(["exp"], context.Tags);
        Assert.Empty(context.Owners!);
    }

    [SkippableFact]
    public async Task A_node_without_labels_reads_back_empty_lists_not_null()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var id = await PutArtifactAsync(new Artifact { TypeId = typeId, Name = "plain" });

        var stored = await ReadArtifactAsync(id);
        Assert.NotNull(stored.Tags);
        Assert.Empty(stored.Tags);
        Assert.NotNull(stored.Owners);
        Assert.Empty(stored.Owners);
    }

    [SkippableFact]
    public async Task An_update_with_null_labels_keeps_them_and_a_list_replaces_them()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var id = await PutArtifactAsync(new Artifact { TypeId = typeId, Name = "a", Uri = "/1", Tags = ["x", "y"], Owners = ["o"] });

        // An update that says nothing about labels (as every MLMD client does) keeps them.
        await PutArtifactAsync(new Artifact { Id = id, TypeId = typeId, Name = "a", Uri = "/2" });
        var kept = await ReadArtifactAsync(id);
        Assert.Equal("/2", kept.Uri);
        Assert.Equal(["x", "y"], kept.Tags);
        Assert.Equal(["o"], kept.Owners);

        // A list replaces; an empty list removes every label of that kind.
        await PutArtifactAsync(kept with { Tags = ["y", "z"], Owners = [] });
        var replaced = await ReadArtifactAsync(id);
        Assert.Equal(["y", "z"], replaced.Tags);
        Assert.Empty(replaced.Owners!);
        Assert.True(replaced.LastUpdateTimeSinceEpoch >= kept.LastUpdateTimeSinceEpoch);
    }

    [SkippableFact]
    public async Task A_masked_update_keeps_labels_unless_it_gives_them()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var id = await PutArtifactAsync(new Artifact { TypeId = typeId, Name = "a", Tags = ["x"] });

        await Store.PutArtifactsAsync([new Artifact { Id = id, TypeId = typeId, Uri = "/m" }], new PutNodesOptions { UpdateMask = ["uri"] });
        Assert.Equal(["x"], (await ReadArtifactAsync(id)).Tags);

        await Store.PutArtifactsAsync([new Artifact { Id = id, TypeId = typeId, Tags = ["w"] }], new PutNodesOptions { UpdateMask = ["uri"] });
        var stored = await ReadArtifactAsync(id);
        Assert.Equal(["w"], stored.Tags);
        Assert.Equal(string.Empty, stored.Uri);
    }

    [SkippableFact]
    public async Task A_changed_label_alone_counts_as_an_update()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var id = await PutArtifactAsync(new Artifact { TypeId = typeId, Name = "a", Tags = ["x"] });
        var before = await ReadArtifactAsync(id);
        await ClockTickAsync();

        await PutArtifactAsync(before with { Tags = ["x"] });
        Assert.Equal(before.LastUpdateTimeSinceEpoch, (await ReadArtifactAsync(id)).LastUpdateTimeSinceEpoch);

        await PutArtifactAsync(before with { Owners = ["new-owner"] });
        var after = await ReadArtifactAsync(id);
        Assert.True(after.LastUpdateTimeSinceEpoch > before.LastUpdateTimeSinceEpoch);
        Assert.Equal(["new-owner"], after.Owners);
    }

    [SkippableTheory]
    [InlineData("")]
    [InlineData("tab\there")]
    [InlineData("line\nbreak")]
    public async Task A_bad_tag_is_refused_naming_the_field_and_position(string bad)
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() =>
            Store.PutArtifactsAsync([new Artifact { TypeId = typeId, Name = "ok" }, new Artifact { TypeId = typeId, Name = "bad", Tags = ["fine", bad] }]));

        var expected = bad.Length == 0
            ? Messages.LabelEmpty("tags", 1, "artifact #1")
            : Messages.LabelControlCharacter("tags", 1, "artifact #1", bad.Replace("\t", "\\u0009").Replace("\n", "\\u000A"), bad.First(char.IsControl));
        Assert.Equal(expected, e.Message);
        Assert.Empty(await AllArtifactsAsync());
    }

    [SkippableFact]
    public async Task A_too_long_owner_is_refused_and_nothing_is_written()
    {
        var typeId = await PutExampleExecutionTypeAsync();
        var longOwner = new string('o', NodeLabels.MaxLength + 1);

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => PutExecutionAsync(new Execution { TypeId = typeId, Owners = [longOwner] }));

        Assert.Equal(Messages.LabelTooLong("owners", 0, "execution #0", NodeLabels.MaxLength + 1), e.Message);
        Assert.Empty(await AllExecutionsAsync());
        var ok = await PutExecutionAsync(new Execution { TypeId = typeId, Owners = [new string('o', NodeLabels.MaxLength)] });
        Assert.Single((await ReadExecutionAsync(ok)).Owners!);
    }

    [SkippableFact]
    public async Task A_bad_label_on_update_is_refused_and_the_stored_labels_stay()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var id = await PutArtifactAsync(new Artifact { TypeId = typeId, Name = "a", Tags = ["keep"] });

        await Assert.ThrowsAsync<InvalidArgumentException>(() => PutArtifactAsync(new Artifact { Id = id, TypeId = typeId, Tags = ["bad\u0001"] }));

        Assert.Equal(["keep"], (await ReadArtifactAsync(id)).Tags);
    }

    [SkippableFact]
    public async Task Lists_pages_and_reads_by_context_and_type_carry_labels()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var contextType = await PutExampleContextTypeAsync();
        // A batch of new nodes takes the bulk path.
        var ids = await Store.PutArtifactsAsync(
            [.. Enumerable.Range(0, 5).Select(i => new Artifact { TypeId = typeId, Name = "a" + i, Tags = i % 2 == 0 ? ["even", "t" + i] : null, Owners = ["owner" + i] })]);
        var context = await PutContextAsync(new Context { TypeId = contextType, Name = "ctx", Owners = ["team"] });
        await Store.PutAttributionsAndAssociationsAsync([.. ids.Select(id => new Attribution(context, id))], []);

        var first = await Store.GetArtifactsAsync(new ListOptions { MaxResultSize = 2 });
        var second = await Store.GetArtifactsAsync(new ListOptions { MaxResultSize = 10, NextPageToken = first.NextPageToken });
        var all = first.Items.Concat(second.Items).ToList();
        Assert.Equal(5, all.Count);
        foreach (var (artifact, i) in all.Select((a, i) => (a, i)))
        {
            Assert.Equal(i % 2 == 0 ? ["even", "t" + i] : [], artifact.Tags);
            Assert.Equal(["owner" + i], artifact.Owners);
        }

        var byType = await Store.GetArtifactsByTypeAsync(ArtifactTypeName);
        Assert.Equal(["even", "t4"], byType.Items.Single(a => a.Name == "a4").Tags);
        var byContext = await Store.GetArtifactsByContextAsync(context);
        Assert.Equal(["owner3"], byContext.Items.Single(a => a.Name == "a3").Owners);
        var byName = await Store.GetArtifactByTypeAndNameAsync(ArtifactTypeName, "a2");
        Assert.Equal(["even", "t2"], byName!.Tags);
        var contexts = await Store.GetContextsByArtifactAsync(ids[0]);
        Assert.Equal(["team"], Assert.Single(contexts).Owners);
    }

    [SkippableFact]
    public async Task Put_execution_and_put_lineage_subgraph_write_labels_in_their_transaction()
    {
        var artifactType = await PutExampleArtifactTypeAsync();
        var executionType = await PutExampleExecutionTypeAsync();
        var contextType = await PutExampleContextTypeAsync();

        var result = await Store.PutExecutionAsync(
            new Execution { TypeId = executionType, Name = "run", Tags = ["nightly"] },
            [new ArtifactAndEvent(new Artifact { TypeId = artifactType, Name = "out", Owners = ["andy"] }, new Event { Type = EventType.Output })],
            [new Context { TypeId = contextType, Name = "exp", Tags = ["q3"] }]);
        Assert.Equal(["nightly"], (await ReadExecutionAsync(result.ExecutionId)).Tags);
        Assert.Equal(["andy"], (await ReadArtifactAsync(result.ArtifactIds[0])).Owners);
        Assert.Equal(["q3"], (await ReadContextAsync(result.ContextIds[0])).Tags);

        var subgraph = await Store.PutLineageSubgraphAsync(
            [new Execution { TypeId = executionType, Name = "run2", Owners = ["brenda"] }],
            [new Artifact { TypeId = artifactType, Name = "in2", Tags = ["raw"] }],
            [],
            [new EventEdge(0, 0, new Event { Type = EventType.Input })]);
        Assert.Equal(["brenda"], (await ReadExecutionAsync(subgraph.ExecutionIds[0])).Owners);
        Assert.Equal(["raw"], (await ReadArtifactAsync(subgraph.ArtifactIds[0])).Tags);

        // A bad label anywhere in the call leaves nothing behind.
        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutExecutionAsync(
            new Execution { TypeId = executionType, Name = "run3" },
            [new ArtifactAndEvent(new Artifact { TypeId = artifactType, Name = "out3", Tags = [""] }, new Event { Type = EventType.Output })],
            []));
        Assert.Null(await Store.GetExecutionByTypeAndNameAsync(ExecutionTypeName, "run3"));
    }

    [SkippableFact]
    public async Task Lineage_results_carry_labels()
    {
        var artifactType = await PutExampleArtifactTypeAsync();
        var executionType = await PutExampleExecutionTypeAsync();
        var result = await Store.PutExecutionAsync(
            new Execution { TypeId = executionType, Name = "train", Owners = ["brenda"] },
            [
                new ArtifactAndEvent(new Artifact { TypeId = artifactType, Name = "data", Tags = ["dataset"] }, new Event { Type = EventType.Input }),
                new ArtifactAndEvent(new Artifact { TypeId = artifactType, Name = "model", Tags = ["model"] }, new Event { Type = EventType.Output }),
            ],
            []);

        var lineage = await Store.GetLineageAsync(new LineageRequest
        {
            Start = [new NodeRef(NodeKind.Artifact, result.ArtifactIds[1])],
            Direction = LineageDirection.Upstream,
        });

        Assert.Equal(["dataset"], lineage.Nodes.Single(n => n.Node.Name == "data").Node.Tags);
        Assert.Equal(["brenda"], lineage.Nodes.Single(n => n.Node.Name == "train").Node.Owners);

        var graph = await Store.GetLineageSubgraphAsync(new LineageSubgraphQuery
        {
            StartingNodeKind = NodeKind.Artifact,
            StartingFilterQuery = "tags = 'model'",
            MaxNumHops = 2,
        });
        Assert.Equal(["model"], graph.Artifacts.Single(a => a.Name == "model").Tags);
        Assert.Equal(["brenda"], graph.Executions.Single().Owners);
    }

    [SkippableFact]
    public async Task Editing_labels_adds_and_removes_them_and_keeps_every_other_field()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var id = await PutArtifactAsync(new Artifact
        {
            TypeId = typeId,
            Name = "a",
            Uri = "/u",
            Tags = ["old"],
            Properties = Values(("foo", MetadataValue.Int(1))),
        });

        var edited = await Store.EditLabelsAsync(NodeKind.Artifact, id, new LabelEdit { AddTags = ["new", "nlp"], RemoveTags = ["old"], AddOwners = ["andy"] });

        Assert.Equal(["new", "nlp"], edited.Tags);
        Assert.Equal(["andy"], edited.Owners);
        var stored = await ReadArtifactAsync(id);
        Assert.Equal("/u", stored.Uri);
        AssertValues(Values(("foo", MetadataValue.Int(1))), stored.Properties);
        Assert.Equal(["new", "nlp"], stored.Tags);

        var missing = await Assert.ThrowsAsync<NotFoundException>(() => Store.EditLabelsAsync(NodeKind.Context, 999_999, new LabelEdit { AddTags = ["x"] }));
        Assert.Equal(Messages.NodeIdNotFound(NodeKind.Context, 999_999), missing.Message);
        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.EditLabelsAsync(NodeKind.Artifact, id, new LabelEdit { AddOwners = [""] }));
    }

    // ------------------------------------------------------------------ filters

    private async Task SeedFilterDataAsync()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        await Store.PutArtifactsAsync(
        [
            new Artifact { TypeId = typeId, Name = "gold-nlp", Tags = ["gold", "nlp"], Owners = ["andy"] },
            new Artifact { TypeId = typeId, Name = "nlp", Tags = ["nlp"], Owners = ["brenda", "andy"] },
            new Artifact { TypeId = typeId, Name = "vision", Tags = ["vision-dataset"] },
            new Artifact { TypeId = typeId, Name = "bare" },
        ]);
    }

    [SkippableFact]
    public async Task Equality_holds_when_some_value_matches_and_inequality_when_none_does()
    {
        await SeedFilterDataAsync();

        Assert.Equal(["gold-nlp", "nlp"], await ArtifactNamesAsync("tags = 'nlp'"));
        Assert.Equal(["bare", "vision"], await ArtifactNamesAsync("tags != 'nlp'"));
        Assert.Equal(["bare", "vision"], await ArtifactNamesAsync("NOT tags = 'nlp'"));
        Assert.Equal(["gold-nlp", "nlp"], await ArtifactNamesAsync("owners = 'andy'"));
        Assert.Equal(["nlp"], await ArtifactNamesAsync("owners = 'andy' AND owners = 'brenda'"));
        Assert.Equal(["gold-nlp"], await ArtifactNamesAsync("tags = 'nlp' AND owners != 'brenda'"));
    }

    [SkippableFact]
    public async Task In_not_in_like_and_null_tests_follow_the_same_rule()
    {
        await SeedFilterDataAsync();

        Assert.Equal(["gold-nlp", "vision"], await ArtifactNamesAsync("tags IN ('gold', 'vision-dataset')"));
        Assert.Equal(["bare", "nlp"], await ArtifactNamesAsync("tags NOT IN ('gold', 'vision-dataset')"));
        Assert.Equal(["vision"], await ArtifactNamesAsync("tags LIKE '%dataset%'"));
        Assert.Equal(["bare", "gold-nlp", "nlp"], await ArtifactNamesAsync("tags NOT LIKE '%dataset%'"));
        Assert.Equal(["bare"], await ArtifactNamesAsync("tags IS NULL"));
        Assert.Equal(["gold-nlp", "nlp", "vision"], await ArtifactNamesAsync("tags IS NOT NULL"));
        Assert.Equal(["bare", "vision"], await ArtifactNamesAsync("owners IS NULL"));
        Assert.Equal(["gold-nlp", "nlp"], await ArtifactNamesAsync("owners IS NOT NULL OR tags = 'none'"));
    }

    [SkippableFact]
    public async Task Neighbour_aliases_filter_by_the_labels_of_contexts()
    {
        var artifactType = await PutExampleArtifactTypeAsync();
        var contextType = await PutExampleContextTypeAsync();
        var ids = await Store.PutArtifactsAsync([new Artifact { TypeId = artifactType, Name = "in" }, new Artifact { TypeId = artifactType, Name = "out" }]);
        var tagged = await PutContextAsync(new Context { TypeId = contextType, Name = "tagged", Tags = ["prod"] });
        var plain = await PutContextAsync(new Context { TypeId = contextType, Name = "plain" });
        await Store.PutAttributionsAndAssociationsAsync([new Attribution(tagged, ids[0]), new Attribution(plain, ids[1])], []);

        Assert.Equal(["in"], await ArtifactNamesAsync("contexts_a.tags = 'prod'"));
        Assert.Equal(["out"], await ArtifactNamesAsync("contexts_a.tags IS NULL"));
        var contexts = await Store.GetContextsAsync(Filter("artifacts_a.name = 'in' AND tags = 'prod'"));
        Assert.Equal("tagged", Assert.Single(contexts.Items).Name);
    }

    [SkippableTheory]
    [InlineData("tags > 'a'", ">")]
    [InlineData("owners <= 'a'", "<=")]
    public async Task Ordering_comparisons_on_labels_are_refused(string query, string op)
    {
        await PutExampleArtifactTypeAsync();
        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetArtifactsAsync(Filter(query)));
        Assert.Contains(Messages.FilterLabelsOperator(query.Split(' ')[0], op), e.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_misspelt_tags_attribute_suggests_tags()
    {
        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetArtifactsAsync(Filter("tagz = 'x'")));
        Assert.Contains("'tags'", e.Message, StringComparison.Ordinal);
        var n = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetArtifactsAsync(Filter("tags = 3")));
        Assert.Contains(Messages.FilterLabelsNeedString("tags", "=", "INT64"), n.Message, StringComparison.Ordinal);
    }
}
