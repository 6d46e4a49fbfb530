using System.Text.Json.Nodes;
using Xunit;

namespace Cairn.Catalog.Tests;

public sealed class TatmMetadataTests
{
    // What tatm's as_json() returns for the fixture's files (Python json.dumps: ", " and ": " separators, ASCII only).
    internal const string DolmaJson = """{"name": "dolma", "dataset_path": "/data/text/dolma", "description": "Dolma: an open corpus.", "date_downloaded": "2024-05-01", "download_source": "https://huggingface.co/datasets/allenai/dolma", "data_content": "text", "content_field": "text", "corpuses": ["c4", "wiki"], "corpus_separation_strategy": "data_dirs", "corpus_data_dir_parent": "data"}""";

    internal const string T5C4Json = """{"name": "tokenized", "dataset_path": "/data/text/dolma/tokenized/t5-base/c4", "description": "Tokenized dataset created using tatm", "date_downloaded": "", "download_source": "Tokenized by tatm", "data_content": "text", "content_field": "NA", "corpuses": [], "tokenized_info": {"tokenizer": "t5-base", "file_prefix": "/data/text/dolma/tokenized/t5-base/c4/tokenized", "dtype": "uint16", "file_extension": "bin", "parent_datasets": ["dolma"], "vocab_size": 32100, "tatm_version": "0.2.2", "tokenizers_version": "0.21.0"}}""";

    internal const string Gpt2C4Json = """{"name": "tokenized", "dataset_path": "/data/text/dolma/tokenized/gpt2/c4", "description": "Tokenized with GPT-2 \u2013 \u00fcn\u00efcode", "date_downloaded": "", "download_source": "Tokenized by tatm", "data_content": "text", "content_field": "text", "corpuses": [], "tokenized_info": {"tokenizer": "gpt2", "file_prefix": "/data/text/dolma/tokenized/gpt2/c4/tokenized", "dtype": "uint16", "file_extension": "bin", "parent_datasets": [], "vocab_size": 50257, "tatm_version": null, "tokenizers_version": null}}""";

    [Fact]
    public void A_raw_dataset_is_written_as_tatm_as_json_writes_it_with_defaults_filled()
    {
        using var garden = new Garden();
        var metadata = TatmMetadata.ReadFile(garden.PathOf("text/dolma/metadata.json"));
        Assert.Equal(DolmaJson, metadata.ToTatmJson());
    }

    [Fact]
    public void A_yaml_tokenized_dataset_keeps_version_strings_and_its_integer_vocabulary_size()
    {
        using var garden = new Garden();
        var metadata = TatmMetadata.ReadFile(garden.PathOf("text/dolma/tokenized/t5-base/c4/metadata.yaml"));
        Assert.Equal(T5C4Json, metadata.ToTatmJson());
        Assert.Equal(32100, metadata.TokenizedInfo!.VocabSize);
    }

    [Fact]
    public void Nulls_inside_tokenized_info_are_kept_and_non_ascii_text_is_escaped()
    {
        using var garden = new Garden();
        Assert.Equal(Gpt2C4Json, TatmMetadata.ReadFile(garden.PathOf("text/dolma/tokenized/gpt2/c4/metadata.json")).ToTatmJson());
    }

    [Fact]
    public void A_missing_dataset_path_is_filled_with_the_files_directory_and_top_level_nulls_are_dropped()
    {
        using var garden = new Garden();
        garden.Write("text/small/metadata.yml", "name: small\ndescription: d\ndate_downloaded: x\ndownload_source: y\ndata_content: image\ncontent_field: null\n");
        var metadata = TatmMetadata.ReadFile(garden.PathOf("text/small/metadata.yml"));
        Assert.Equal(Path.GetFullPath(garden.PathOf("text/small")), metadata.DatasetPath);
        var json = JsonNode.Parse(metadata.ToTatmJson())!.AsObject();
        Assert.False(json.ContainsKey("content_field"));
        Assert.False(json.ContainsKey("corpus_separation_strategy"));
        Assert.Equal("image", (string?)json["data_content"]);
    }

    [Theory]
    [InlineData("""{"name": "x", "description": "d", "date_downloaded": "", "download_source": "", "data_content": "csv"}""", "data_content", "'csv' is not one of text, image, audio, video, other.")]
    [InlineData("""{"name": "x", "date_downloaded": "", "download_source": "", "data_content": "text"}""", "description", "is required")]
    [InlineData("""{"name": "x", "description": "d", "date_downloaded": "", "download_source": "", "data_content": "text", "size": 3}""", "size", "'size' is not a field of tatm metadata")]
    [InlineData("""{"name": 7, "description": "d", "date_downloaded": "", "download_source": "", "data_content": "text"}""", "name", "must be a string; got the number 7.")]
    [InlineData("""{"name": "x", "description": "d", "date_downloaded": "", "download_source": "", "data_content": "text", "corpus_separation_strategy": "dirs"}""", "corpus_separation_strategy", "'dirs' is not one of data_dirs, configs.")]
    [InlineData("""{"name": "x", "description": "d", "date_downloaded": "", "download_source": "", "data_content": "text", "tokenized_info": {"file_prefix": "p"}}""", "tokenized_info.tokenizer", "is required")]
    [InlineData("""{"name": "x", "description": "d", "date_downloaded": "", "download_source": "", "data_content": "text", "tokenized_info": {"tokenizer": "t", "file_prefix": "p", "vocab_size": "big"}}""", "tokenized_info.vocab_size", "must be a whole number")]
    [InlineData("""{"name": "x", "description": "d", "date_downloaded": "", "download_source": "", "data_content": "text", "corpuses": "c4"}""", "corpuses", "must be a list of strings")]
    public void A_malformed_file_is_refused_naming_the_file_and_the_field(string json, string field, string problem)
    {
        using var garden = new Garden();
        garden.Write("text/bad/metadata.json", json);
        var path = garden.PathOf("text/bad/metadata.json");
        var e = Assert.Throws<InvalidArgumentException>(() => TatmMetadata.ReadFile(path));
        Assert.StartsWith(path + ": field '" + field + "': ", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_json_is_refused_with_its_position()
    {
        using var garden = new Garden();
        garden.Write("text/bad/metadata.json", "{\"name\": ");
        var e = Assert.Throws<InvalidArgumentException>(() => TatmMetadata.ReadFile(garden.PathOf("text/bad/metadata.json")));
        Assert.Contains("is not valid JSON (line 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Python_json_formatting_matches_for_indentation_escapes_and_floats()
    {
        var document = new JsonObject { ["a"] = "x\"y\\\n\u00e9\U0001F600", ["b"] = new JsonArray(1, 2.5, 1e20, true, null), ["c"] = new JsonObject() };
        Assert.Equal("{\"a\": \"x\\\"y\\\\\\n\\u00e9\\ud83d\\ude00\", \"b\": [1, 2.5, 1e+20, true, null], \"c\": {}}", PythonJson.Dumps(document));
        Assert.Equal("{\n    \"a\": [\n        1\n    ],\n    \"b\": []\n}", PythonJson.DumpsIndented(new JsonObject { ["a"] = new JsonArray(1), ["b"] = new JsonArray() }));
    }

    [Theory]
    [InlineData("configs", null, "c4", "/d", "name", "c4")]
    [InlineData(null, null, "c4", "/d", "name", "c4")]
    [InlineData("data_dirs", null, "c4", "/d/c4", "data_dir", "c4")]
    [InlineData("data_dirs", "data", "c4", "/d/data/c4", "data_dir", "data/c4")]
    [InlineData("data_dirs", "/elsewhere", "c4", "/elsewhere/c4", "data_dir", "/elsewhere/c4")]
    public void A_corpus_is_located_by_tatms_separation_rules(string? strategy, string? parent, string corpus, string path, string argument, string value)
    {
        var metadata = new TatmMetadata
        {
            Name = "d",
            DatasetPath = "/d",
            Description = "",
            DateDownloaded = "",
            DownloadSource = "",
            DataContent = "text",
            CorpusSeparationStrategy = strategy,
            CorpusDataDirParent = parent,
        };
        Assert.Equal(new TatmCorpus(path, argument, value), TatmCorpus.Locate(metadata, corpus));
    }
}
