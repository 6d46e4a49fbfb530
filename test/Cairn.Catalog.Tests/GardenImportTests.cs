using Cairn.Specification.Tests;
using Xunit;

namespace Cairn.Catalog.Tests;

public sealed class GardenImportTests
{
    private static readonly string[] CleanNames =
        ["dolma", "dolma-tokenized_gpt2_c4", "dolma-tokenized_t5-base_c4", "dolma-tokenized_t5-base_wiki", "dolma:c4", "dolma:wiki", "red_pajama", "red_pajama:arxiv", "red_pajama:book", "stack"];

    [Fact]
    public async Task A_garden_is_recorded_with_names_paths_tags_contexts_and_the_rest_despite_a_malformed_file_and_a_collision()
    {
        using var garden = new Garden();
        await using var store = await garden.OpenStoreAsync();
        var result = await GardenImporter.ImportAsync(store, [garden.GardenRoot]);

        Assert.Equal(
            ["dolma", "dolma-tokenized_gpt2_c4", "dolma-tokenized_t5-base_c4", "dolma-tokenized_t5-base_wiki", "dolma:c4", "dolma:wiki", "red_pajama", "red_pajama:arxiv", "red_pajama:book"],
            result.Records.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.Equal(9, result.Imported);

        // The malformed file is named with its field, the collision with both paths; neither 'stack' was recorded.
        var malformed = Assert.Single(result.Problems, p => p.Kind == GardenProblemKind.Malformed);
        Assert.Equal("data_content", malformed.Field);
        Assert.StartsWith(garden.PathOf("code/broken/metadata.json") + ": field 'data_content': ", malformed.Message, StringComparison.Ordinal);
        Assert.Contains(CatalogMessages.SubsetsSkipped(1), malformed.Message, StringComparison.Ordinal);
        var collision = Assert.Single(result.Problems, p => p.Kind == GardenProblemKind.Collision);
        Assert.Equal("stack", collision.Name);
        Assert.Equal([garden.PathOf("code/stack/metadata.json"), garden.PathOf("code/stack-old/metadata.json")], collision.Paths);
        Assert.Null(await store.GetArtifactByTypeAndNameAsync(GardenSchema.DatasetType, "stack"));

        var dolma = (await store.GetArtifactByTypeAndNameAsync(GardenSchema.DatasetType, "dolma"))!;
        Assert.Equal("/data/text/dolma", dolma.Uri);
        Assert.Equal(TatmMetadataTests.DolmaJson, dolma.Properties[GardenSchema.TatmJsonProperty].StringValue);
        Assert.Equal("text", dolma.Properties["garden_context"].StringValue);

        var redPajama = (await store.GetArtifactByTypeAndNameAsync(GardenSchema.DatasetType, "red_pajama"))!;
        Assert.Equal(garden.PathOf("text/red_pajama"), redPajama.Uri);

        var corpus = (await store.GetArtifactByTypeAndNameAsync(GardenSchema.CorpusType, "dolma:c4"))!;
        Assert.Equal("/data/text/dolma/data/c4", corpus.Uri);
        var tokenized = (await store.GetArtifactByTypeAndNameAsync(GardenSchema.TokenizedType, "dolma-tokenized_t5-base_c4"))!;
        Assert.Equal("/data/text/dolma/tokenized/t5-base/c4", tokenized.Uri);
        Assert.Equal(TatmMetadataTests.T5C4Json, tokenized.Properties[GardenSchema.TatmJsonProperty].StringValue);
        Assert.Equal(32100, tokenized.Properties["vocab_size"].IntValue);

        // One context per garden context directory.
        var text = (await store.GetContextByTypeAndNameAsync(GardenSchema.ContextType, "text"))!;
        var members = (await store.GetArtifactsByContextAsync(text.Id!.Value)).Items.Select(a => a.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(9, members.Count);
    }

    [Fact]
    public async Task Artifacts_carry_exactly_tatms_classification_tags()
    {
        using var garden = new Garden();
        await using var store = await garden.OpenStoreAsync();
        await GardenImporter.ImportAsync(store, [garden.GardenRoot]);

        Assert.Equal(
            ["ContentContext.text", "Corpus.FullDataset", "DataContentType.text", "Tokenized.Untokenized"],
            (await store.GetArtifactByTypeAndNameAsync(GardenSchema.DatasetType, "dolma"))!.Tags);
        Assert.Equal(["Corpus.Corpus"], (await store.GetArtifactByTypeAndNameAsync(GardenSchema.CorpusType, "dolma:wiki"))!.Tags);
        Assert.Equal(["Tokenized.Tokenized", "Tokenizer.gpt2"], (await store.GetArtifactByTypeAndNameAsync(GardenSchema.TokenizedType, "dolma-tokenized_gpt2_c4"))!.Tags);
    }

    [Fact]
    public async Task Lineage_leads_from_a_tokenized_subset_and_a_corpus_to_their_raw_dataset()
    {
        using var garden = new Garden();
        await using var store = await garden.OpenStoreAsync();
        await GardenImporter.ImportAsync(store, [garden.GardenRoot]);
        var dolma = (await store.GetArtifactByTypeAndNameAsync(GardenSchema.DatasetType, "dolma"))!;
        var lineage = await store.GetLineageAsync(new LineageRequest { Start = [NodeRef.Artifact(dolma.Id!.Value)], Direction = LineageDirection.Downstream, MaxDepth = 2 });
        string[] children = ["dolma-tokenized_gpt2_c4", "dolma-tokenized_t5-base_c4", "dolma-tokenized_t5-base_wiki", "dolma:c4", "dolma:wiki"];
        Assert.Equal(children, lineage.Nodes.Where(n => n.Node is Artifact && n.Depth == 2).Select(n => n.Node.Name).Order(StringComparer.Ordinal));
        Assert.Equal(children, lineage.Nodes.Where(n => n.Node is Execution).Select(n => n.Node.Name).Order(StringComparer.Ordinal));

        // And upstream from a tokenized subset: its raw dataset through a tatm.Tokenize execution.
        var subset = (await store.GetArtifactByTypeAndNameAsync(GardenSchema.TokenizedType, "dolma-tokenized_t5-base_c4"))!;
        var up = await store.GetLineageAsync(new LineageRequest { Start = [NodeRef.Artifact(subset.Id!.Value)], Direction = LineageDirection.Upstream });
        Assert.Equal([GardenSchema.TokenizeType], up.Nodes.Where(n => n.Node is Execution).Select(n => n.Node.Type));
        Assert.Equal(["dolma"], up.Nodes.Where(n => n.Depth == 2).Select(n => n.Node.Name));
    }

    [Fact]
    public async Task Importing_the_same_garden_again_changes_nothing_and_changed_metadata_updates_its_record()
    {
        using var garden = new Garden();
        garden.MakeClean();
        await using var store = await garden.OpenStoreAsync();
        var first = await GardenImporter.ImportAsync(store, [garden.GardenRoot]);
        Assert.Empty(first.Problems);
        Assert.Equal(CleanNames, first.Records.Select(r => r.Name).Order(StringComparer.Ordinal));
        var before = (await store.GetArtifactByTypeAndNameAsync(GardenSchema.DatasetType, "stack"))!;

        var again = await GardenImporter.ImportAsync(store, [garden.GardenRoot]);
        Assert.Equal((0, 0, CleanNames.Length), (again.Imported, again.Updated, again.Unchanged));
        Assert.Equal(before.LastUpdateTimeSinceEpoch, (await store.GetArtifactByTypeAndNameAsync(GardenSchema.DatasetType, "stack"))!.LastUpdateTimeSinceEpoch);
        Assert.Equal(first.Records.Count, (await store.GetExecutionsAsync()).Items.Count + 2 /* the raw datasets have no execution */ + 1);

        garden.Write("code/stack/metadata.json", """
            {"name": "stack", "dataset_path": "/data/code/stack", "description": "The Stack v2", "date_downloaded": "2024-06-01",
             "download_source": "https://huggingface.co/datasets/bigcode/the-stack-v2", "data_content": "text", "corpuses": ["python"]}
            """);
        var changed = await GardenImporter.ImportAsync(store, [garden.GardenRoot]);
        Assert.Equal((1, 1, CleanNames.Length - 1), (changed.Imported, changed.Updated, changed.Unchanged));
        var stack = (await store.GetArtifactByTypeAndNameAsync(GardenSchema.DatasetType, "stack"))!;
        Assert.Equal(before.Id, stack.Id);
        Assert.Equal("The Stack v2", stack.Properties["description"].StringValue);
        Assert.Equal("/data/code/stack", (await store.GetArtifactByTypeAndNameAsync(GardenSchema.CorpusType, "stack:python"))!.Uri);
    }

    [Fact]
    public async Task A_name_recorded_from_another_garden_is_kept_unless_overwrite_is_given()
    {
        using var garden = new Garden();
        garden.MakeClean();
        garden.Write("../other/text/stack/metadata.json", """
            {"name": "stack", "dataset_path": "/mnt/other/stack", "description": "Another stack", "date_downloaded": "", "download_source": "", "data_content": "text"}
            """);
        var other = Path.GetFullPath(garden.PathOf("../other"));
        await using var store = await garden.OpenStoreAsync();
        await GardenImporter.ImportAsync(store, [garden.GardenRoot]);

        var refused = await GardenImporter.ImportAsync(store, [other]);
        var problem = Assert.Single(refused.Problems);
        Assert.Equal(GardenProblemKind.Collision, problem.Kind);
        Assert.Equal([garden.PathOf("code/stack/metadata.json"), Path.Combine(other, "text/stack/metadata.json")], problem.Paths);
        Assert.Equal("/data/code/stack", (await store.GetArtifactByTypeAndNameAsync(GardenSchema.DatasetType, "stack"))!.Uri);

        var forced = await GardenImporter.ImportAsync(store, [other], new GardenImportOptions { Overwrite = true });
        Assert.Empty(forced.Problems);
        Assert.Single(forced.Overwritten);
        Assert.Equal(1, forced.Updated);
        Assert.Equal("/mnt/other/stack", (await store.GetArtifactByTypeAndNameAsync(GardenSchema.DatasetType, "stack"))!.Uri);
    }

    [Fact]
    public async Task With_overwrite_the_last_of_two_datasets_claiming_a_name_is_recorded()
    {
        using var garden = new Garden();
        await using var store = await garden.OpenStoreAsync();
        var result = await GardenImporter.ImportAsync(store, [garden.GardenRoot], new GardenImportOptions { Overwrite = true });
        Assert.Single(result.Problems, p => p.Kind == GardenProblemKind.Malformed);
        Assert.DoesNotContain(result.Problems, p => p.Kind == GardenProblemKind.Collision);
        Assert.Contains(garden.PathOf("code/stack-old/metadata.json"), Assert.Single(result.Overwritten).Message, StringComparison.Ordinal);
        Assert.Equal("/data/code/stack-old", (await store.GetArtifactByTypeAndNameAsync(GardenSchema.DatasetType, "stack"))!.Uri);
    }

    [Fact]
    public async Task A_dataset_moved_within_the_garden_is_updated_not_reported_as_a_collision()
    {
        using var garden = new Garden();
        garden.MakeClean();
        await using var store = await garden.OpenStoreAsync();
        await GardenImporter.ImportAsync(store, [garden.GardenRoot]);
        Directory.Move(garden.PathOf("code/stack"), garden.PathOf("text/stack"));

        var result = await GardenImporter.ImportAsync(store, [garden.GardenRoot]);
        Assert.Empty(result.Problems);
        Assert.Equal(1, result.Updated);
        var stack = (await store.GetArtifactByTypeAndNameAsync(GardenSchema.DatasetType, "stack"))!;
        Assert.Equal(garden.PathOf("text/stack/metadata.json"), stack.Properties[GardenSchema.MetadataFileProperty].StringValue);
    }

    [Fact]
    public async Task A_missing_garden_root_is_not_found_before_anything_is_written()
    {
        using var garden = new Garden();
        await using var store = await garden.OpenStoreAsync();
        var missing = garden.PathOf("nowhere");
        var e = await Assert.ThrowsAsync<NotFoundException>(() => GardenImporter.ImportAsync(store, [garden.GardenRoot, missing]));
        Assert.Equal(CatalogMessages.GardenRootMissing(missing), e.Message);
        Assert.Empty((await store.GetArtifactsAsync()).Items);
    }

    [SkippableFact]
    public async Task On_postgresql_an_import_is_idempotent_and_the_export_is_the_same_as_on_sqlite()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        try
        {
            using var garden = new Garden();
            garden.MakeClean();
            await using var postgres = await CairnStore.OpenAsync(Cairn.StoreUri.Parse(TestPostgres.UriFor(database)), new StoreOpenOptions { CreateIfMissing = true });
            var first = await GardenImporter.ImportAsync(postgres, [garden.GardenRoot]);
            Assert.Equal(CleanNames.Length, first.Imported);
            var again = await GardenImporter.ImportAsync(postgres, [garden.GardenRoot]);
            Assert.Equal(CleanNames.Length, again.Unchanged);

            await using var sqlite = await garden.OpenStoreAsync();
            await GardenImporter.ImportAsync(sqlite, [garden.GardenRoot]);
            using var fromPostgres = new MemoryStream();
            using var fromSqlite = new MemoryStream();
            await TatmJsonExport.WriteAsync(postgres, fromPostgres);
            await TatmJsonExport.WriteAsync(sqlite, fromSqlite);
            Assert.Equal(fromSqlite.ToArray(), fromPostgres.ToArray());
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(database);
        }
    }
}
