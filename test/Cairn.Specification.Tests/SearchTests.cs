using Xunit;

namespace Cairn.Specification.Tests;

/// <summary>Full-text search with facets (Cairn, not MLMD): ranking, syntax, conditions, facets, paging, freshness and bad input.</summary>
public abstract class SearchTests<TStoreFactory> : StoreTestBase<TStoreFactory>
    where TStoreFactory : ITestStoreFactory, new()
{
    private sealed record Catalog(long Dataset, long Model, long Notes, long Run, long Experiment, long DatasetType, long ModelType);

    /// <summary>
    /// Known data: a dataset named after ImageNet, a model whose description mentions it, a note about cats, a training run
    /// and an experiment holding the dataset and the run.
    /// </summary>
    private async Task<Catalog> PutCatalogAsync()
    {
        var datasetType = await Store.PutArtifactTypeAsync(new ArtifactType { Name = "Dataset", Properties = Declare(("description", PropertyType.String), ("rows", PropertyType.Int)) });
        var modelType = await Store.PutArtifactTypeAsync(new ArtifactType { Name = "Model", Properties = Declare(("description", PropertyType.String)) });
        var trainType = await Store.PutExecutionTypeAsync(new ExecutionType { Name = "Train" });
        var experimentType = await Store.PutContextTypeAsync(new ContextType { Name = "Experiment" });

        var ids = await Store.PutArtifactsAsync(
        [
            new Artifact
            {
                TypeId = datasetType, Name = "imagenet-train", Uri = "/lake/imagenet/train.txt",
                Properties = Values(("description", MetadataValue.String("ImageNet training images")), ("rows", MetadataValue.Int(1_281_167))),
                Tags = ["vision", "gold"], Owners = ["andy"],
            },
            new Artifact
            {
                TypeId = modelType, Name = "resnet50", Uri = "/lake/models/resnet50",
                Properties = Values(("description", MetadataValue.String("ResNet-50 trained on imagenet"))),
                CustomProperties = Values(("framework", MetadataValue.String("pytorch"))),
                Tags = ["vision"], Owners = ["brenda"],
            },
            new Artifact
            {
                TypeId = datasetType, Name = "cat-notes", Uri = "/lake/notes/cats.md", ExternalId = "notes-42",
                Properties = Values(("description", MetadataValue.String("notes about cats and dogs"))),
                Tags = ["draft"], Owners = ["andy"],
            },
        ]);
        var run = await PutExecutionAsync(new Execution { TypeId = trainType, Name = "train-resnet-on-imagenet", Owners = ["brenda"] });
        var experiment = await PutContextAsync(new Context { TypeId = experimentType, Name = "imagenet-baseline", Tags = ["vision"] });
        await Store.PutAttributionsAndAssociationsAsync([new Attribution(experiment, ids[0])], [new Association(experiment, run)]);
        return new Catalog(ids[0], ids[1], ids[2], run, experiment, datasetType, modelType);
    }

    private Task<SearchResult> SearchAsync(string? text, Func<SearchRequest, SearchRequest>? with = null)
    {
        var request = new SearchRequest { Text = text, Limit = 100 };
        return Store.SearchAsync(with is null ? request : with(request));
    }

    private static (NodeKind, long)[] Refs(SearchResult result) => [.. result.Hits.Select(h => (h.Kind, h.Id))];

    [SkippableFact]
    public async Task A_name_match_ranks_above_a_property_match_and_every_kind_is_searched()
    {
        var c = await PutCatalogAsync();

        var result = await SearchAsync("imagenet");

        Assert.Equal(4, result.Total);
        Assert.Equal(4, result.Hits.Count);
        // The dataset has the word in its name, URI and description; the model only in its description.
        var order = Refs(result).ToList();
        Assert.True(order.IndexOf((NodeKind.Artifact, c.Dataset)) < order.IndexOf((NodeKind.Artifact, c.Model)));
        Assert.Contains((NodeKind.Execution, c.Run), order);
        Assert.Contains((NodeKind.Context, c.Experiment), order);
        Assert.DoesNotContain((NodeKind.Artifact, c.Notes), order);
        Assert.True(result.Hits.Zip(result.Hits.Skip(1)).All(p => p.First.Score >= p.Second.Score));
        Assert.Null(result.NextPageToken);
        Assert.Null(result.Facets);
    }

    [SkippableFact]
    public async Task Hits_carry_the_node_and_highlights_of_the_matched_fields()
    {
        var c = await PutCatalogAsync();

        var hit = Assert.Single((await SearchAsync("pytorch imagenet")).Hits);

        Assert.Equal(c.Model, hit.Id);
        var model = Assert.IsType<Artifact>(hit.Node);
        Assert.Equal("resnet50", model.Name);
        Assert.Equal("Model", model.Type);
        var description = Assert.Single(hit.Highlights, h => h.Field == "properties.description");
        Assert.Equal("ResNet-50 trained on [imagenet]", description.Marked());
        var framework = Assert.Single(hit.Highlights, h => h.Field == "custom_properties.framework");
        Assert.Equal("<pytorch>", framework.Marked("<", ">"));
        Assert.DoesNotContain(hit.Highlights, h => h.Field == "name");
    }

    [SkippableFact]
    public async Task Phrases_prefixes_or_and_exclusions_follow_the_documented_syntax()
    {
        var c = await PutCatalogAsync();

        Assert.Equal([(NodeKind.Artifact, c.Dataset)], Refs(await SearchAsync("\"imagenet training\"")));
        Assert.Empty((await SearchAsync("\"training imagenet\"")).Hits);
        // Punctuation splits words as the index does: train.txt is the phrase "train txt".
        Assert.Equal([(NodeKind.Artifact, c.Dataset)], Refs(await SearchAsync("train.txt")));
        var prefix = await SearchAsync("resn*", r => r with { Kinds = [NodeKind.Artifact] });
        Assert.Equal([(NodeKind.Artifact, c.Model)], Refs(prefix));
        Assert.Equal("[ResNet]-50 trained on imagenet", Assert.Single(prefix.Hits[0].Highlights, h => h.Field == "properties.description").Marked());
        Assert.Equal(
            new[] { c.Model, c.Notes }.Order(),
            (await SearchAsync("cats OR pytorch")).Hits.Select(h => h.Id).Order());
        Assert.Equal(
            new[] { c.Dataset }, (await SearchAsync("imagenet -resnet -baseline", r => r with { Kinds = [NodeKind.Artifact] })).Hits.Select(h => h.Id));
        // Words are matched case-insensitively, and characters that are syntax in FTS5 or tsquery are only separators.
        Assert.Equal([(NodeKind.Artifact, c.Notes)], Refs(await SearchAsync("CATS & (dogs) ^notes: | !")));
        Assert.Empty((await SearchAsync("NEAR(cats dogs) AND col:*")).Hits);
        Assert.Equal([(NodeKind.Artifact, c.Notes)], Refs(await SearchAsync("notes-42")));
    }

    [SkippableFact]
    public async Task Kind_type_owner_tag_and_time_narrow_the_matches()
    {
        var c = await PutCatalogAsync();

        Assert.Equal([(NodeKind.Execution, c.Run)], Refs(await SearchAsync("imagenet", r => r with { Kinds = [NodeKind.Execution] })));
        Assert.Equal([(NodeKind.Artifact, c.Model)], Refs(await SearchAsync("imagenet", r => r with { Type = "Model" })));
        Assert.Equal(
            new[] { (NodeKind.Artifact, c.Model), (NodeKind.Execution, c.Run) }.Order(),
            Refs(await SearchAsync("imagenet", r => r with { Owner = "brenda" })).Order());
        Assert.Equal(
            new[] { (NodeKind.Artifact, c.Dataset), (NodeKind.Artifact, c.Model), (NodeKind.Context, c.Experiment) }.Order(),
            Refs(await SearchAsync("imagenet", r => r with { Tag = "vision" })).Order());
        Assert.Equal(4, (await SearchAsync("imagenet", r => r with { Since = DateTimeOffset.UtcNow.AddHours(-1) })).Total);
        Assert.Equal(0, (await SearchAsync("imagenet", r => r with { Until = DateTimeOffset.UtcNow.AddHours(-1) })).Total);
        Assert.Empty((await SearchAsync("imagenet", r => r with { Tag = "no-such-tag" })).Hits);
    }

    [SkippableFact]
    public async Task Empty_text_matches_every_node_the_conditions_allow_newest_first()
    {
        var c = await PutCatalogAsync();

        var result = await SearchAsync(null, r => r with { Owner = "andy" });

        Assert.Equal(2, result.Total);
        Assert.Equal([c.Notes, c.Dataset], result.Hits.Select(h => h.Id));
        Assert.All(result.Hits, h => Assert.Empty(h.Highlights));
    }

    [SkippableFact]
    public async Task Facets_count_every_match_not_only_the_page()
    {
        var c = await PutCatalogAsync();

        var result = await SearchAsync("imagenet OR cats", r => r with { Facets = true, Limit = 1 });

        Assert.Equal(5, result.Total);
        Assert.Single(result.Hits);
        var facets = Assert.IsType<SearchFacets>(result.Facets);
        Assert.Equal([new("artifact", 3), new("context", 1), new("execution", 1)], facets.Kinds);
        Assert.Equal([new("Dataset", 2), new("Experiment", 1), new("Model", 1), new("Train", 1)], facets.Types);
        Assert.Equal([new("andy", 2), new("brenda", 2)], facets.Owners);
        Assert.Equal([new("vision", 3), new("draft", 1), new("gold", 1)], facets.Tags);
        // The dataset is attributed to the experiment and the run is associated with it.
        Assert.Equal([new("Experiment/imagenet-baseline", 2)], facets.Contexts);
        var month = DateTimeOffset.UtcNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var created = Assert.Single(facets.Created);
        Assert.Equal(5, created.Count);
        Assert.Equal(month, created.Value);

        var byDay = await SearchAsync("imagenet OR cats", r => r with { Facets = true, DateBucket = SearchDateBucket.Day, FacetSize = 1 });
        Assert.Equal(10, Assert.Single(byDay.Facets!.Created).Value.Length);
        Assert.Equal([new("Dataset", 2)], byDay.Facets.Types);
        Assert.Equal(c.Experiment, (await SearchAsync("baseline", r => r with { Facets = true })).Hits.Single().Id);
    }

    [SkippableFact]
    public async Task A_filter_query_combines_with_the_text_for_one_kind()
    {
        var c = await PutCatalogAsync();

        var result = await SearchAsync("imagenet", r => r with { Kinds = [NodeKind.Artifact], FilterQuery = "properties.rows.int_value > 1000", Facets = true });
        Assert.Equal([(NodeKind.Artifact, c.Dataset)], Refs(result));
        Assert.Equal([new("Dataset", 1)], result.Facets!.Types);

        Assert.Equal(
            [(NodeKind.Artifact, c.Model)],
            Refs(await SearchAsync("imagenet", r => r with { Kinds = [NodeKind.Artifact], FilterQuery = "uri LIKE '/lake/models/%'" })));
        Assert.Equal(
            [(NodeKind.Execution, c.Run)],
            Refs(await SearchAsync("imagenet", r => r with { Kinds = [NodeKind.Execution], FilterQuery = "contexts_e.name = 'imagenet-baseline'" })));
    }

    [SkippableFact]
    public async Task Writes_are_visible_to_the_next_search_without_drift()
    {
        var c = await PutCatalogAsync();

        // Move, change a property and relabel: the old words stop matching and the new ones match at once.
        await Store.PutArtifactsAsync(
        [
            new Artifact
            {
                Id = c.Notes, TypeId = c.DatasetType, Name = "cat-notes", Uri = "/lake/notes/birds.md", ExternalId = "notes-42",
                Properties = Values(("description", MetadataValue.String("notes about parrots"))), Tags = ["final"], Owners = ["charlie"],
            },
        ]);
        Assert.Empty((await SearchAsync("dogs")).Hits);
        Assert.Empty((await SearchAsync("draft")).Hits);
        Assert.Empty((await SearchAsync("md cats")).Hits);
        Assert.Equal([(NodeKind.Artifact, c.Notes)], Refs(await SearchAsync("parrots birds")));
        Assert.Equal([(NodeKind.Artifact, c.Notes)], Refs(await SearchAsync("final charlie")));
        Assert.Equal([(NodeKind.Artifact, c.Notes)], Refs(await SearchAsync("birds", r => r with { Owner = "charlie", Tag = "final" })));

        // A masked update of one custom property is indexed too, and removing it removes its words.
        await Store.PutArtifactsAsync(
            [new Artifact { Id = c.Model, TypeId = c.ModelType, CustomProperties = Values(("framework", MetadataValue.String("jax"))) }],
            new PutNodesOptions { UpdateMask = ["custom_properties.framework"] });
        Assert.Empty((await SearchAsync("pytorch")).Hits);
        Assert.Equal([(NodeKind.Artifact, c.Model)], Refs(await SearchAsync("jax")));

        // A new node is searchable in the same breath.
        var id = await PutArtifactAsync(new Artifact { TypeId = c.DatasetType, Name = "fresh-zebra-data" });
        Assert.Equal([(NodeKind.Artifact, id)], Refs(await SearchAsync("zebra")));
    }

    [SkippableFact]
    public async Task Pages_follow_the_rank_order_without_gaps_or_repeats()
    {
        var typeId = await Store.PutArtifactTypeAsync(new ArtifactType { Name = "Shard" });
        await Store.PutArtifactsAsync([.. Enumerable.Range(0, 25).Select(i => new Artifact { TypeId = typeId, Name = $"shard-{i:D2}", Uri = i % 2 == 0 ? "/shard/shard" : "/x" })]);

        var seen = new List<long>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Store.SearchAsync(new SearchRequest { Text = "shard", Limit = 10, PageToken = token });
            Assert.Equal(25, page.Total);
            seen.AddRange(page.Hits.Select(h => h.Id));
            token = page.NextPageToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(25, seen.Distinct().Count());
        var first = (await Store.SearchAsync(new SearchRequest { Text = "shard", Limit = 10 })).NextPageToken;
        var mismatch = await Assert.ThrowsAsync<InvalidArgumentException>(() =>
            Store.SearchAsync(new SearchRequest { Text = "other", Limit = 10, PageToken = first }));
        Assert.Equal(Messages.SearchPageTokenMismatch, mismatch.Message);
        var bad = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.SearchAsync(new SearchRequest { Text = "shard", PageToken = "not a token" }));
        Assert.Equal(Messages.SearchPageTokenInvalid, bad.Message);
    }

    [SkippableTheory]
    [InlineData("\"unterminated phrase", "column 1")]
    [InlineData("cats OR", "OR needs a term on both sides")]
    [InlineData("OR cats", "OR needs a term on both sides")]
    [InlineData("cats - dogs", "'-' excludes the term")]
    [InlineData("cats OR -dogs", "cannot be part of an OR")]
    [InlineData("-dogs", "only excludes terms")]
    [InlineData("c*", "at least 2 letters")]
    [InlineData("ca*ts", "'*' may only end a word")]
    [InlineData("!!! ???", "no letters or digits")]
    public async Task Bad_search_text_is_an_invalid_argument_naming_the_problem(string text, string expected)
    {
        await PutCatalogAsync();

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.SearchAsync(new SearchRequest { Text = text }));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Bad_requests_are_invalid_arguments_with_their_field_named()
    {
        await PutCatalogAsync();

        var tooLong = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.SearchAsync(new SearchRequest { Text = new string('a', 1001) }));
        Assert.Equal(Messages.SearchTooLong(1001, 1000), tooLong.Message);
        var limit = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.SearchAsync(new SearchRequest { Text = "cats", Limit = 0 }));
        Assert.Equal(Messages.SearchLimitInvalid(0, SearchRequest.MaxLimit), limit.Message);
        var filterKinds = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.SearchAsync(new SearchRequest { Text = "cats", FilterQuery = "name = 'x'" }));
        Assert.Equal(Messages.SearchFilterNeedsOneKind(3), filterKinds.Message);
        var filter = await Assert.ThrowsAsync<InvalidArgumentException>(() =>
            Store.SearchAsync(new SearchRequest { Text = "cats", Kinds = [NodeKind.Artifact], FilterQuery = "nmae = 'x'" }));
        Assert.Contains("nmae", filter.Message, StringComparison.Ordinal);
        var range = await Assert.ThrowsAsync<InvalidArgumentException>(() =>
            Store.SearchAsync(new SearchRequest { Text = "cats", Since = DateTimeOffset.UtcNow, Until = DateTimeOffset.UtcNow.AddDays(-1) }));
        Assert.Equal(Messages.SearchRangeInvalid, range.Message);
    }
}
