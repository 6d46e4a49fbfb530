using System.Text.Json.Nodes;
using Xunit;

namespace Cairn.Catalog.Tests;

public sealed class ExportAndResolveTests
{
    [Fact]
    public async Task The_tatm_json_export_reads_back_field_by_field_in_tatms_format()
    {
        using var garden = new Garden();
        garden.MakeClean();
        await using var store = await garden.OpenStoreAsync();
        await GardenImporter.ImportAsync(store, [garden.GardenRoot]);
        var file = Path.Combine(garden.Root, "metadata_store.json");
        var result = await TatmJsonExport.WriteFileAsync(store, file);

        // tatm's store file: {name: string holding as_json()}, only raw datasets and tokenized subsets (no corpora).
        string[] names = ["dolma", "dolma-tokenized_gpt2_c4", "dolma-tokenized_t5-base_c4", "dolma-tokenized_t5-base_wiki", "red_pajama", "stack"];
        Assert.Equal(names, result.Names);
        var text = await File.ReadAllTextAsync(file);
        var document = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(names, document.Select(p => p.Key));
        foreach (var (name, value) in document)
        {
            var inner = value!.GetValue<string>();
            var fromStore = TatmMetadata.Parse(inner, name);
            Assert.Equal(inner, fromStore.ToTatmJson());
        }

        // Field by field against the garden's files, and byte for byte against what tatm's json.dump(indent=4) writes.
        var dolma = JsonNode.Parse(document["dolma"]!.GetValue<string>())!.AsObject();
        Assert.Equal(
            ["name", "dataset_path", "description", "date_downloaded", "download_source", "data_content", "content_field", "corpuses", "corpus_separation_strategy", "corpus_data_dir_parent"],
            dolma.Select(p => p.Key));
        Assert.Equal("/data/text/dolma", (string?)dolma["dataset_path"]);
        Assert.Equal(["c4", "wiki"], dolma["corpuses"]!.AsArray().Select(c => (string?)c));
        var gpt2 = JsonNode.Parse(document["dolma-tokenized_gpt2_c4"]!.GetValue<string>())!.AsObject();
        var info = gpt2["tokenized_info"]!.AsObject();
        Assert.Equal(["tokenizer", "file_prefix", "dtype", "file_extension", "parent_datasets", "vocab_size", "tatm_version", "tokenizers_version"], info.Select(p => p.Key));
        Assert.Null(info["tatm_version"]);
        Assert.True(info.ContainsKey("tatm_version"));
        Assert.Equal(50257, (long)info["vocab_size"]!);
        Assert.StartsWith("{\n    \"dolma\": \"" + TatmMetadataTests.DolmaJson.Replace("\"", "\\\"", StringComparison.Ordinal) + "\",\n    \"dolma-tokenized_gpt2_c4\": \"", text, StringComparison.Ordinal);
        Assert.Contains(TatmMetadataTests.Gpt2C4Json.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal), text, StringComparison.Ordinal);
        Assert.EndsWith("\"\n}", text, StringComparison.Ordinal);
        Assert.All(text, c => Assert.True(c < 128));
    }

    [Fact]
    public async Task Names_resolve_to_paths_and_metadata_with_corpora_by_tatms_rules()
    {
        using var garden = new Garden();
        garden.MakeClean();
        await using var store = await garden.OpenStoreAsync();
        await GardenImporter.ImportAsync(store, [garden.GardenRoot]);
        var names = new SemanticNames(store);

        var dolma = await names.ResolveAsync("dolma");
        Assert.Equal(("/data/text/dolma", NameSource.Store, GardenSchema.DatasetType), (dolma.Path, dolma.Source, dolma.Artifact!.Type));
        Assert.Equal(TatmMetadataTests.DolmaJson, dolma.Metadata.ToTatmJson());

        var c4 = await names.ResolveAsync("dolma:c4");
        Assert.Equal("/data/text/dolma/data/c4", c4.Path);
        Assert.Equal(new TatmCorpus("/data/text/dolma/data/c4", "data_dir", "data/c4"), c4.CorpusLocation);
        Assert.Equal("dolma:c4", c4.Artifact!.Name);

        var arxiv = await names.ResolveAsync("red_pajama:arxiv");
        Assert.Equal(garden.PathOf("text/red_pajama"), arxiv.Path);
        Assert.Equal(("name", "arxiv"), (arxiv.CorpusLocation!.LoadArgument, arxiv.CorpusLocation.LoadValue));

        var tokenized = await names.ResolveAsync("dolma-tokenized_t5-base_c4");
        Assert.True(tokenized.IsTokenized);
        Assert.Equal("/data/text/dolma/tokenized/t5-base/c4", tokenized.Path);
    }

    [Fact]
    public async Task Unknown_names_and_corpora_suggest_the_closest_known_ones()
    {
        using var garden = new Garden();
        garden.MakeClean();
        await using var store = await garden.OpenStoreAsync();
        await GardenImporter.ImportAsync(store, [garden.GardenRoot]);
        var names = new SemanticNames(store);

        var e = await Assert.ThrowsAsync<NotFoundException>(() => names.ResolveAsync("dolmaa"));
        Assert.Equal(CatalogMessages.NameUnknown("dolmaa", [CatalogMessages.StoreSource(store.DisplayUri)], ["dolma"]), e.Message);
        var tokenizedTypo = await Assert.ThrowsAsync<NotFoundException>(() => names.ResolveAsync("dolma-tokenized_t5-base_c5"));
        Assert.Contains("Did you mean 'dolma-tokenized_t5-base_c4'", tokenizedTypo.Message, StringComparison.Ordinal);
        var corpus = await Assert.ThrowsAsync<NotFoundException>(() => names.ResolveAsync("dolma:wik"));
        Assert.Equal(CatalogMessages.CorpusUnknown("dolma", "wik", ["c4", "wiki"], ["wiki"]), corpus.Message);
        var nothing = await Assert.ThrowsAsync<NotFoundException>(() => names.ResolveAsync("imagenet"));
        Assert.DoesNotContain("Did you mean", nothing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tatm_json_store_resolves_names_after_the_store()
    {
        using var garden = new Garden();
        garden.MakeClean();
        await using var store = await garden.OpenStoreAsync();
        await GardenImporter.ImportAsync(store, [garden.GardenRoot]);
        var file = Path.Combine(garden.Root, "tatm.json");
        // One value as tatm's script writes it (a JSON string), one as a plain object, and 'dolma' pointing elsewhere.
        await File.WriteAllTextAsync(file, new JsonObject
        {
            ["pile"] = """{"name": "pile", "dataset_path": "/old/pile", "description": "d", "date_downloaded": "", "download_source": "", "data_content": "text", "corpuses": ["arxiv"], "corpus_separation_strategy": "data_dirs"}""",
            ["dolma"] = JsonNode.Parse("""{"name": "dolma", "dataset_path": "/old/dolma", "description": "d", "date_downloaded": "", "download_source": "", "data_content": "text"}"""),
        }.ToJsonString());
        var names = new SemanticNames(store, new TatmJsonStore(file));

        var pile = await names.ResolveAsync("pile:arxiv");
        Assert.Equal((NameSource.TatmJson, file, "/old/pile/arxiv"), (pile.Source, pile.SourceLocation, pile.Path));
        Assert.Null(pile.Artifact);
        Assert.Equal("/data/text/dolma", (await names.ResolveAsync("dolma")).Path);
        var e = await Assert.ThrowsAsync<NotFoundException>(() => names.ResolveAsync("piles"));
        Assert.Contains("Did you mean 'pile'", e.Message, StringComparison.Ordinal);
        Assert.Contains(CatalogMessages.TatmStoreSource(file), e.Message, StringComparison.Ordinal);

        var missing = new SemanticNames(store, new TatmJsonStore(Path.Combine(garden.Root, "absent.json")));
        Assert.Equal("/data/text/dolma", (await missing.ResolveAsync("dolma")).Path);
        var absent = await Assert.ThrowsAsync<NotFoundException>(() => missing.ResolveAsync("pile"));
        Assert.Equal(CatalogMessages.TatmStoreMissing(Path.Combine(garden.Root, "absent.json")), absent.Message);
    }
}
