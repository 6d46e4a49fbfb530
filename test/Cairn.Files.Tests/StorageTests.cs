using Xunit;

namespace Cairn.Files.Tests;

/// <summary>Deduplication, immutability, verification, interrupted saves and directories, through the .NET API.</summary>
public sealed class StorageTests
{
    private static readonly UnixFileMode Writable = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task Saving_the_same_bytes_again_stores_nothing_new_and_reports_them_deduplicated()
    {
        using var w = new Workspace();
        await using var store = await w.OpenStoreAsync();
        var files = new FileService(store, new LocalBlobStore(w.BlobRoot));
        var a = w.Write("a/data.csv", new string('x', 1000));
        var b = w.Write("b/copy.csv", new string('x', 1000));

        var first = await files.SaveAsync(new SaveRequest { Files = [new FileToSave(a, "data.csv")] });
        var second = await files.SaveAsync(new SaveRequest { Files = [new FileToSave(b, "copy.csv")] });

        Assert.Equal((1000, 0), (first.BytesStored, first.BytesDeduplicated));
        Assert.Equal((0, 1000), (second.BytesStored, second.BytesDeduplicated));
        Assert.Equal(first.Files[0].Sha256, second.Files[0].Sha256);
        Assert.Single(Directory.EnumerateFiles(Path.Combine(w.BlobRoot, "objects"), "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(w.BlobRoot, "tmp")));
        Assert.NotEqual(first.Files[0].Location, second.Files[0].Location);
    }

    [Fact]
    public async Task Stored_objects_are_read_only_and_never_overwritten()
    {
        if (OperatingSystem.IsWindows()) return;
        using var w = new Workspace();
        var blobs = new LocalBlobStore(w.BlobRoot);
        var put = await blobs.PutFileAsync(w.Write("f.txt", "hello"));
        var path = blobs.ObjectPath(put.Sha256);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(path));
        var written = File.GetLastWriteTimeUtc(path);
        var again = await blobs.PutStreamAsync(new MemoryStream("hello"u8.ToArray()));
        Assert.True(again.Deduplicated);
        Assert.Equal(written, File.GetLastWriteTimeUtc(path));

        await blobs.PublishAsync(put.Sha256, "lake/f.txt");
        await Assert.ThrowsAsync<IOException>(() => blobs.PublishAsync(put.Sha256, "lake/f.txt"));
        await blobs.WriteTextAsync("lake/metadata.yaml", "a: 1\n");
        await Assert.ThrowsAsync<IOException>(() => blobs.WriteTextAsync("lake/metadata.yaml", "a: 2\n"));
        Assert.Equal("a: 1\n", await File.ReadAllTextAsync(blobs.LakeFullPath("lake/metadata.yaml")));
        Assert.Equal(File.GetUnixFileMode(path), File.GetUnixFileMode(blobs.LakeFullPath("lake/f.txt")));
        await Assert.ThrowsAsync<ArgumentException>(() => blobs.PublishAsync(put.Sha256, "../escape.txt"));
    }

    [Fact]
    public async Task Load_fails_loudly_on_a_hash_mismatch_and_writes_nothing_for_that_file()
    {
        if (OperatingSystem.IsWindows()) return;
        using var w = new Workspace();
        await using var store = await w.OpenStoreAsync();
        var blobs = new LocalBlobStore(w.BlobRoot);
        var files = new FileService(store, blobs);
        var saved = await files.SaveAsync(new SaveRequest { Files = [new FileToSave(w.Write("in/a.txt", "original"), "a.txt")] });

        var objectPath = blobs.ObjectPath(saved.Files[0].Sha256);
        File.SetUnixFileMode(objectPath, Writable);
        await File.WriteAllTextAsync(objectPath, "tampered");

        var error = await Assert.ThrowsAsync<DataLossException>(() => files.LoadAsync(saved.ArtifactId, w.PathOf("out")));
        Assert.Contains("SHA-256 mismatch for 'a.txt'", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(w.PathOf("out/a.txt")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(w.PathOf("out")));
        var verified = await files.VerifyAsync(saved.ArtifactId);
        Assert.NotNull(Assert.Single(verified).Problem);

        var cli = await w.CairnAsync(["verify", saved.ArtifactId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--blobs", w.BlobRoot]);
        Assert.Equal(Cli.ExitCodes.DataLoss, cli.ExitCode);
        Assert.StartsWith("FAILED  SHA-256 mismatch for 'a.txt'", cli.Stdout, StringComparison.Ordinal);
        var load = await w.CairnAsync(["load", saved.ArtifactId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--to", "out2", "--blobs", w.BlobRoot]);
        Assert.Equal(Cli.ExitCodes.DataLoss, load.ExitCode);
        Assert.StartsWith("error: SHA-256 mismatch", load.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_interrupted_save_leaves_no_visible_artifact_and_no_half_written_object()
    {
        using var w = new Workspace();
        await using var store = await w.OpenStoreAsync();
        var blobs = new FailingPublish(new LocalBlobStore(w.BlobRoot));
        var files = new FileService(store, blobs);
        var request = new SaveRequest { Files = [new FileToSave(w.Write("in/a.txt", "alpha"), "a.txt"), new FileToSave(w.Write("in/b.txt", "beta"), "b.txt")] };

        await Assert.ThrowsAsync<OperationCanceledException>(() => files.SaveAsync(request));

        Assert.Empty(await files.FindAsync(new FindQuery()));
        var leftover = Assert.Single((await store.GetArtifactsAsync()).Items);
        Assert.Equal(ArtifactState.Pending, leftover.State);
        await Assert.ThrowsAsync<FailedPreconditionException>(() => files.LoadAsync(leftover.Id!.Value, w.PathOf("out")));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(w.BlobRoot, "tmp")));
        foreach (var obj in Directory.EnumerateFiles(Path.Combine(w.BlobRoot, "objects"), "*", SearchOption.AllDirectories))
        {
            await using var stream = File.OpenRead(obj);
            var (digest, _) = await LocalBlobStore.HashAsync(stream, CancellationToken.None);
            Assert.EndsWith(digest[2..], obj, StringComparison.Ordinal);
        }

        // Saving again works and shares the bytes already stored.
        var retry = await new FileService(store, blobs.Inner).SaveAsync(request);
        Assert.Equal(9, retry.BytesDeduplicated);
        Assert.Equal([retry.ArtifactId], (await files.FindAsync(new FindQuery())).Select(a => a.Artifact.Id!.Value));
    }

    [Fact]
    public async Task Directories_are_saved_recursively_with_their_relative_paths_and_loaded_back()
    {
        using var w = new Workspace();
        w.Write("data/a.txt", "a");
        w.Write("data/sub/b.txt", "b");
        w.Write("data/sub/deeper/c.csv", "c");
        var id = (await w.OkAsync("save", "data", "--no-capture")).Trim();

        var listing = await w.OkAsync("files", id);
        Assert.Contains("data/a.txt", listing, StringComparison.Ordinal);
        Assert.Contains("data/sub/deeper/c.csv", listing, StringComparison.Ordinal);
        Assert.Equal(["1"], await FindIdsAsync(w, "--file", "data/sub/**"));
        Assert.Equal(["1"], await FindIdsAsync(w, "--file", "*.csv"));
        Assert.Empty(await FindIdsAsync(w, "--file", "data/*.csv"));

        await w.OkAsync("load", id, "--to", "copy");
        Assert.Equal("b", await File.ReadAllTextAsync(w.PathOf("copy/data/sub/b.txt")));
        Assert.Equal("c", await File.ReadAllTextAsync(w.PathOf("copy/data/sub/deeper/c.csv")));
        var verify = await w.OkAsync("verify", id);
        Assert.Equal(3, verify.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.StartsWith("ok", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Bad_input_is_refused_before_anything_is_recorded()
    {
        using var w = new Workspace();
        w.Write("ok.txt", "fine");

        var missing = await w.CairnAsync(["save", "ok.txt", "nope.txt", "--no-capture"]);
        Assert.Equal(Cli.ExitCodes.NotFound, missing.ExitCode);
        Assert.Equal("error: " + FilesMessages.FileMissing("nope.txt") + "\n", missing.Stderr);

        var badInfo = await w.CairnAsync(["save", "ok.txt", "--info", "novalue", "--no-capture"]);
        Assert.Equal(Cli.ExitCodes.InvalidArgument, badInfo.ExitCode);
        var badKey = await w.CairnAsync(["save", "ok.txt", "--info", "a b=c", "--no-capture"]);
        Assert.Equal("error: " + FilesMessages.BadInfoKey("a b") + "\n", badKey.Stderr);
        var badBase = await w.CairnAsync(["save", "ok.txt", "--based-on", "42", "--no-capture"]);
        Assert.Equal(Cli.ExitCodes.NotFound, badBase.ExitCode);

        Assert.False(Directory.Exists(Path.Combine(w.BlobRoot, "objects")));
        await using var store = await w.OpenStoreAsync();
        Assert.Empty((await store.GetArtifactsAsync()).Items);
    }

    [Fact]
    public async Task A_run_scope_records_loads_as_inputs_and_saves_as_outputs()
    {
        using var w = new Workspace();
        await using var store = await w.OpenStoreAsync();
        var files = new FileService(store, new LocalBlobStore(w.BlobRoot));
        var source = await files.SaveAsync(new SaveRequest { Files = [new FileToSave(w.Write("raw.txt", "raw"), "raw.txt")] });

        SaveResult output;
        await using (var run = await files.StartRunAsync("clean"))
        {
            await run.LoadAsync(source.ArtifactId, w.PathOf("work"));
            output = await run.SaveAsync(new SaveRequest { Files = [new FileToSave(w.Write("clean.txt", "clean"), "clean.txt")] });
            Assert.Equal(run.Id, output.ExecutionId);
        }

        Assert.Equal([source.ArtifactId], output.BasedOn);
        var downstream = await files.FindAsync(new FindQuery { BasedOn = source.ArtifactId });
        Assert.Equal([output.ArtifactId], downstream.Select(a => a.Artifact.Id!.Value));
        var execution = (await store.GetExecutionsByIdAsync([output.ExecutionId])).Single();
        Assert.Equal(ExecutionState.Complete, execution.LastKnownState);
    }

    [Fact]
    public void Globs_become_like_patterns_and_match_paths()
    {
        Assert.Equal("%.txt", Globs.ToLike("*.txt"));
        Assert.Equal("a\\_b\\%c_", Globs.ToLike("a_b%c?"));
        Assert.True(Globs.MatchesPath("*.txt", "dir/train.txt"));
        Assert.False(Globs.MatchesPath("dir/*.txt", "dir/sub/train.txt"));
        Assert.True(Globs.MatchesPath("dir/**.txt", "dir/sub/train.txt"));
        Assert.True(Globs.Matches("*dataset*", "dataset_list"));
        Assert.Equal([("pandas", "2.2.0"), ("typing-extensions", "4.9")], EnvironmentCapture.ParsePipFreeze("pandas==2.2.0\n-e git+x#egg=y\ntyping_extensions==4.9\n").ToArray());
    }

    private static async Task<string[]> FindIdsAsync(Workspace w, params string[] args)
    {
        var output = await w.OkAsync(["find", .. args, "--json"]);
        return [.. System.Text.Json.Nodes.JsonNode.Parse(output)!["artifacts"]!.AsArray().Select(a => ((long)a!["id"]!).ToString(System.Globalization.CultureInfo.InvariantCulture))];
    }

    /// <summary>A blob store whose lake publishing is interrupted after the first file, as by Ctrl+C.</summary>
    private sealed class FailingPublish(LocalBlobStore inner) : IBlobStore
    {
        private int _published;

        public LocalBlobStore Inner => inner;

        public string RootUri => inner.RootUri;

        public Task<BlobPutResult> PutFileAsync(string path, CancellationToken cancellationToken = default) => inner.PutFileAsync(path, cancellationToken);

        public Task<BlobPutResult> PutStreamAsync(Stream content, CancellationToken cancellationToken = default) => inner.PutStreamAsync(content, cancellationToken);

        public Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken = default) => inner.ExistsAsync(sha256, cancellationToken);

        public Task<Stream> OpenObjectAsync(string sha256, CancellationToken cancellationToken = default) => inner.OpenObjectAsync(sha256, cancellationToken);

        public async Task PublishAsync(string sha256, string lakePath, CancellationToken cancellationToken = default)
        {
            if (++_published > 1) throw new OperationCanceledException();
            await inner.PublishAsync(sha256, lakePath, cancellationToken);
        }

        public Task WriteTextAsync(string lakePath, string content, CancellationToken cancellationToken = default) => inner.WriteTextAsync(lakePath, content, cancellationToken);

        public Task<Stream> OpenLakeAsync(string lakePath, CancellationToken cancellationToken = default) => inner.OpenLakeAsync(lakePath, cancellationToken);

        public string LocationOf(string lakePath) => inner.LocationOf(lakePath);
    }
}
