using Cairn.Cli;
using Microsoft.Data.Sqlite;

namespace Cairn.Catalog.Tests;

/// <summary>
/// A data garden written by the test in a fresh temporary directory, with a SQLite store beside it:
/// <code>
/// garden/text/dolma/metadata.json                         corpora c4, wiki (data_dirs under data/)
/// garden/text/dolma/raw/metadata.json                     not metadata of a dataset: raw/ is skipped
/// garden/text/dolma/tokenized/t5-base/c4/metadata.yaml    tokenizer t5-base
/// garden/text/dolma/tokenized/t5-base/wiki/metadata.json  tokenizer t5-base
/// garden/text/dolma/tokenized/gpt2/c4/metadata.json       tokenizer gpt2
/// garden/text/dolma/tokenized/notes/metadata.json         no tokenized_info: ignored, as tatm does
/// garden/text/red_pajama/metadata.yaml                    corpora arxiv, book (configs); no dataset_path
/// garden/code/stack/metadata.json                         name 'stack'
/// garden/code/stack-old/metadata.json                     name 'stack' too: a collision
/// garden/code/broken/metadata.json                        data_content 'csv': malformed
/// garden/code/broken/tokenized/t5-base/all/metadata.json  under a malformed dataset
/// </code>
/// </summary>
public sealed class Garden : IDisposable
{
    public Garden()
    {
        Root = Directory.CreateTempSubdirectory("cairn-garden-").FullName;
        GardenRoot = Path.Combine(Root, "garden");
        StorePath = Path.Combine(Root, "store", "cairn.db");
        Write("text/dolma/metadata.json", """
            {"name": "dolma", "dataset_path": "/data/text/dolma", "description": "Dolma: an open corpus.", "date_downloaded": "2024-05-01",
             "download_source": "https://huggingface.co/datasets/allenai/dolma", "data_content": "text", "corpuses": ["c4", "wiki"],
             "corpus_separation_strategy": "data_dirs", "corpus_data_dir_parent": "data"}
            """);
        Write("text/dolma/raw/metadata.json", "this is raw data, not metadata");
        Write("text/dolma/tokenized/t5-base/c4/metadata.yaml", """
            name: tokenized
            dataset_path: /data/text/dolma/tokenized/t5-base/c4
            description: Tokenized dataset created using tatm
            date_downloaded: ""
            download_source: Tokenized by tatm
            data_content: text
            content_field: NA
            corpuses: []
            tokenized_info:
              tokenizer: t5-base
              file_prefix: /data/text/dolma/tokenized/t5-base/c4/tokenized
              dtype: uint16
              file_extension: bin
              parent_datasets: [dolma]
              vocab_size: 32100
              tatm_version: 0.2.2
              tokenizers_version: 0.21.0
            """);
        Write("text/dolma/tokenized/t5-base/wiki/metadata.json", """
            {"name": "tokenized", "dataset_path": "/data/text/dolma/tokenized/t5-base/wiki", "description": "Tokenized wiki",
             "date_downloaded": "", "download_source": "Tokenized by tatm", "data_content": "text",
             "tokenized_info": {"tokenizer": "t5-base", "file_prefix": "/data/text/dolma/tokenized/t5-base/wiki/tokenized"}}
            """);
        Write("text/dolma/tokenized/gpt2/c4/metadata.json", """
            {"name": "tokenized", "dataset_path": "/data/text/dolma/tokenized/gpt2/c4", "description": "Tokenized with GPT-2 – ünïcode",
             "date_downloaded": "", "download_source": "Tokenized by tatm", "data_content": "text",
             "tokenized_info": {"tokenizer": "gpt2", "file_prefix": "/data/text/dolma/tokenized/gpt2/c4/tokenized", "vocab_size": 50257}}
            """);
        Write("text/dolma/tokenized/notes/metadata.json", """
            {"name": "notes", "description": "not tokenized", "date_downloaded": "", "download_source": "", "data_content": "other"}
            """);
        Write("text/red_pajama/metadata.yaml", """
            name: red_pajama
            description: RedPajama
            date_downloaded: 2023-10-01
            download_source: https://huggingface.co/datasets/togethercomputer/RedPajama-Data-1T
            data_content: text
            corpuses: [arxiv, book]
            corpus_separation_strategy: configs
            """);
        Write("code/stack/metadata.json", """
            {"name": "stack", "dataset_path": "/data/code/stack", "description": "The Stack", "date_downloaded": "2024-01-01",
             "download_source": "https://huggingface.co/datasets/bigcode/the-stack", "data_content": "text", "content_field": "content"}
            """);
        Write("code/stack-old/metadata.json", """
            {"name": "stack", "dataset_path": "/data/code/stack-old", "description": "The Stack, v1", "date_downloaded": "2023-01-01",
             "download_source": "https://huggingface.co/datasets/bigcode/the-stack", "data_content": "text"}
            """);
        Write("code/broken/metadata.json", """
            {"name": "broken", "dataset_path": "/data/code/broken", "description": "d", "date_downloaded": "", "download_source": "",
             "data_content": "csv"}
            """);
        Write("code/broken/tokenized/t5-base/all/metadata.json", """
            {"name": "tokenized", "description": "d", "date_downloaded": "", "download_source": "", "data_content": "text",
             "tokenized_info": {"tokenizer": "t5-base", "file_prefix": "x"}}
            """);
    }

    /// <summary>The temporary directory holding the garden and the store.</summary>
    public string Root { get; }

    /// <summary>The garden root (holding the context directories text/ and code/).</summary>
    public string GardenRoot { get; }

    public string StorePath { get; }

    public string StoreUri => "sqlite://" + StorePath;

    public string PathOf(string relative) => Path.Combine(GardenRoot, relative);

    public void Write(string relative, string content)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    public void Delete(string relative) => File.Delete(PathOf(relative));

    /// <summary>Removes the collision and the malformed dataset, leaving a garden that imports cleanly.</summary>
    public void MakeClean()
    {
        Directory.Delete(PathOf("code/stack-old"), recursive: true);
        Directory.Delete(PathOf("code/broken"), recursive: true);
    }

    public Task<IMetadataStore> OpenStoreAsync() =>
        CairnStore.OpenAsync(Cairn.StoreUri.Parse(StoreUri), new StoreOpenOptions { CreateIfMissing = true });

    /// <summary>Runs cairn in-process with the fixture's directory as working directory and home.</summary>
    public async Task<CliRun> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var settings = new CliSettings
        {
            DefaultStore = StoreUri,
            WorkingDirectory = Root,
            Width = 120,
            Config = new Cairn.Cli.Configuration.ConfigLocations(),
        };
        var exitCode = await CairnCli.RunAsync(args, stdout, stderr, settings, timeout.Token);
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}

/// <summary>The result of one in-process run of cairn.</summary>
public sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}--- stderr\n{Stderr}";
}
