using Amazon.S3.Model;
using Xunit;

namespace Cairn.Files.Tests;

/// <summary>Deduplication, immutability, verification, interrupted saves and directories, on every blob store.</summary>
public abstract class StorageTestsBase(BlobBackend backend)
{
    protected Task<Workspace> NewWorkspaceAsync() => Workspace.CreateAsync(backend);

    [SkippableFact]
    public async Task Saving_the_same_bytes_again_stores_nothing_new_and_reports_them_deduplicated()
    {
        using var w = await NewWorkspaceAsync();
        await using var store = await w.OpenStoreAsync();
        var files = new FileService(store, w.Blobs);
        var a = w.Write("a/data.csv", new string('x', 1000));
        var b = w.Write("b/copy.csv", new string('x', 1000));

        var first = await files.SaveAsync(new SaveRequest { Files = [new FileToSave(a, "data.csv")] });
        var second = await files.SaveAsync(new SaveRequest { Files = [new FileToSave(b, "copy.csv")] });

        Assert.Equal((1000, 0), (first.BytesStored, first.BytesDeduplicated));
        Assert.Equal((0, 1000), (second.BytesStored, second.BytesDeduplicated));
        Assert.Equal(first.Files[0].Sha256, second.Files[0].Sha256);
        Assert.Equal(1, await w.Backend.CountObjectsAsync());
        Assert.Equal(0, await w.Backend.CountLeftoversAsync());
        Assert.StartsWith(w.Blobs.RootUri, first.Files[0].Location, StringComparison.Ordinal);
        Assert.StartsWith(w.Blobs.RootUri, first.Uri, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Stored_objects_and_lake_entries_are_never_overwritten()
    {
        using var w = await NewWorkspaceAsync();
        var blobs = w.Blobs;
        var put = await blobs.PutFileAsync(w.Write("f.txt", "hello"));
        Assert.False(put.Deduplicated);
        var again = await blobs.PutStreamAsync(new MemoryStream("hello"u8.ToArray()));
        Assert.True(again.Deduplicated);
        Assert.Equal(put.Sha256, again.Sha256);
        Assert.True(await blobs.ExistsAsync(put.Sha256));

        await blobs.WriteTextAsync("lake/metadata.yaml", "a: 1\n");
        await Assert.ThrowsAsync<IOException>(() => blobs.WriteTextAsync("lake/metadata.yaml", "a: 2\n"));
        await using (var text = await blobs.OpenLakeAsync("lake/metadata.yaml"))
        {
            Assert.Equal("a: 1\n", await new StreamReader(text).ReadToEndAsync());
        }

        await Assert.ThrowsAsync<ArgumentException>(() => blobs.PublishAsync(put.Sha256, "../escape.txt"));
        await Assert.ThrowsAsync<ArgumentException>(() => blobs.WriteTextAsync("a/../../escape.txt", "x"));
        await using var stored = await blobs.OpenObjectAsync(put.Sha256);
        Assert.Equal("hello", await new StreamReader(stored).ReadToEndAsync());
    }

    [SkippableFact]
    public async Task An_object_someone_else_put_at_the_key_is_never_overwritten_and_loading_it_fails_loudly()
    {
        using var w = await NewWorkspaceAsync();
        await using var store = await w.OpenStoreAsync();
        var files = new FileService(store, w.Blobs);
        var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("model weights"u8));
        await w.Backend.TamperAsync(digest, "someone else's bytes"u8.ToArray());

        // The key is taken, so the bytes count as stored (the existing rule for a content address: its object is kept).
        var saved = await files.SaveAsync(new SaveRequest { Files = [new FileToSave(w.Write("m.bin", "model weights"), "m.bin")] });

        Assert.Equal((0L, 13L), (saved.BytesStored, saved.BytesDeduplicated));
        await using (var stored = await w.Blobs.OpenObjectAsync(digest))
        {
            Assert.Equal("someone else's bytes", await new StreamReader(stored).ReadToEndAsync());
        }

        var error = await Assert.ThrowsAsync<DataLossException>(() => files.LoadAsync(saved.ArtifactId, w.PathOf("out")));
        Assert.Contains("SHA-256 mismatch for 'm.bin'", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(w.PathOf("out/m.bin")));
        Assert.NotNull(Assert.Single(await files.VerifyAsync(saved.ArtifactId)).Problem);
    }

    [SkippableFact]
    public async Task Large_files_are_transferred_in_parts_verified_and_reported_as_progress()
    {
        using var w = await NewWorkspaceAsync();
        await using var store = await w.OpenStoreAsync();
        var reports = new List<TransferProgress>();
        var progress = new SynchronousProgress(p => { lock (reports) reports.Add(p); });
        using var blobs = w.Backend.Open(smallParts: true) as IDisposable;
        var files = new FileService(store, (IBlobStore?)blobs ?? w.Blobs, new FileServiceOptions { Progress = progress });

        // 12 MiB + 7 bytes of fixed pseudo-random bytes: three 5 MiB parts on S3, the last one short.
        var bytes = new byte[(12 << 20) + 7];
        new Random(7).NextBytes(bytes);
        var path = w.PathOf("big.bin");
        await File.WriteAllBytesAsync(path, bytes);
        var small = w.Write("small.txt", "small");

        var saved = await files.SaveAsync(new SaveRequest { Files = [new FileToSave(path, "big.bin"), new FileToSave(small, "small.txt")] });
        Assert.Equal(bytes.Length + 5, saved.BytesStored);
        var last = reports.Where(r => r.Operation == "save").MaxBy(r => r.BytesDone)!;
        Assert.Equal(2L * (bytes.Length + 5), last.BytesTotal);
        Assert.Equal(last.BytesTotal, last.BytesDone);

        reports.Clear();
        await files.LoadAsync(saved.ArtifactId, w.PathOf("out"));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(w.PathOf("out/big.bin")));
        Assert.Equal(bytes.Length + 5L, reports.Max(r => r.BytesDone));
        Assert.Equal(0, await w.Backend.CountLeftoversAsync());

        // The same large bytes again: nothing is uploaded.
        var copy = w.PathOf("copy.bin");
        File.Copy(path, copy);
        var again = await files.SaveAsync(new SaveRequest { Files = [new FileToSave(copy, "copy.bin")] });
        Assert.Equal((0L, (long)bytes.Length), (again.BytesStored, again.BytesDeduplicated));
    }

    [SkippableFact]
    public async Task Load_fails_loudly_on_a_hash_mismatch_and_writes_nothing_for_that_file()
    {
        using var w = await NewWorkspaceAsync();
        await using var store = await w.OpenStoreAsync();
        var files = new FileService(store, w.Blobs);
        var saved = await files.SaveAsync(new SaveRequest { Files = [new FileToSave(w.Write("in/a.txt", "original"), "a.txt")] });

        await w.Backend.TamperAsync(saved.Files[0].Sha256, "tampered"u8.ToArray());

        var error = await Assert.ThrowsAsync<DataLossException>(() => files.LoadAsync(saved.ArtifactId, w.PathOf("out")));
        Assert.Contains("SHA-256 mismatch for 'a.txt'", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(w.PathOf("out/a.txt")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(w.PathOf("out")));
        var verified = await files.VerifyAsync(saved.ArtifactId);
        Assert.NotNull(Assert.Single(verified).Problem);

        var cli = await w.CairnAsync(["verify", saved.ArtifactId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--blobs", w.BlobsUri]);
        Assert.Equal(Cli.ExitCodes.DataLoss, cli.ExitCode);
        Assert.StartsWith("FAILED  SHA-256 mismatch for 'a.txt'", cli.Stdout, StringComparison.Ordinal);
        var load = await w.CairnAsync(["load", saved.ArtifactId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--to", "out2", "--blobs", w.BlobsUri]);
        Assert.Equal(Cli.ExitCodes.DataLoss, load.ExitCode);
        Assert.StartsWith("error: SHA-256 mismatch", load.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task An_interrupted_save_leaves_no_visible_artifact_and_no_half_written_object()
    {
        using var w = await NewWorkspaceAsync();
        await using var store = await w.OpenStoreAsync();
        var blobs = new FailingPublish(w.Blobs);
        var files = new FileService(store, blobs);
        var request = new SaveRequest { Files = [new FileToSave(w.Write("in/a.txt", "alpha"), "a.txt"), new FileToSave(w.Write("in/b.txt", "beta"), "b.txt")] };

        await Assert.ThrowsAsync<OperationCanceledException>(() => files.SaveAsync(request));

        Assert.Empty(await files.FindAsync(new FindQuery()));
        var leftover = Assert.Single((await store.GetArtifactsAsync()).Items);
        Assert.Equal(ArtifactState.Pending, leftover.State);
        await Assert.ThrowsAsync<FailedPreconditionException>(() => files.LoadAsync(leftover.Id!.Value, w.PathOf("out")));
        Assert.Equal(0, await w.Backend.CountLeftoversAsync());
        foreach (var text in new[] { "alpha", "beta" })
        {
            var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
            await using var stream = await w.Blobs.OpenObjectAsync(digest);
            Assert.Equal(text, await new StreamReader(stream).ReadToEndAsync());
        }

        // Saving again works and shares the bytes already stored.
        var retry = await new FileService(store, blobs.Inner).SaveAsync(request);
        Assert.Equal(9, retry.BytesDeduplicated);
        Assert.Equal([retry.ArtifactId], (await files.FindAsync(new FindQuery())).Select(a => a.Artifact.Id!.Value));
    }

    [SkippableFact]
    public async Task Directories_are_saved_recursively_with_their_relative_paths_and_loaded_back()
    {
        using var w = await NewWorkspaceAsync();
        w.Write("data/a.txt", "a");
        w.Write("data/sub/b.txt", "b");
        w.Write("data/sub/deeper/c.csv", "c");
        var id = (await w.OkAsync("save", "data", "--no-capture")).Trim();

        var listing = await w.OkAsync("files", id);
        Assert.Contains("data/a.txt", listing, StringComparison.Ordinal);
        Assert.Contains(" " + w.Blobs.RootUri, listing, StringComparison.Ordinal);
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

    [SkippableFact]
    public async Task Bad_input_is_refused_before_anything_is_recorded()
    {
        using var w = await NewWorkspaceAsync();
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

        Assert.Equal(0, await w.Backend.CountObjectsAsync());
        await using var store = await w.OpenStoreAsync();
        Assert.Empty((await store.GetArtifactsAsync()).Items);
    }

    [SkippableFact]
    public async Task A_run_scope_records_loads_as_inputs_and_saves_as_outputs()
    {
        using var w = await NewWorkspaceAsync();
        await using var store = await w.OpenStoreAsync();
        var files = new FileService(store, w.Blobs);
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

    [SkippableFact]
    public async Task Reindex_marks_old_pending_leftovers_abandoned_and_leaves_young_ones_pending()
    {
        using var w = await NewWorkspaceAsync();
        await using var store = await w.OpenStoreAsync();
        // Interrupted at its second file, before its metadata was written.
        var request = new SaveRequest { Files = [new FileToSave(w.Write("in/a.txt", "alpha"), "a.txt"), new FileToSave(w.Write("in/b.txt", "beta"), "b.txt")] };
        await Assert.ThrowsAsync<OperationCanceledException>(() => new FileService(store, new FailingPublish(w.Blobs)).SaveAsync(request));
        var leftover = Assert.Single((await store.GetArtifactsAsync()).Items).Id!.Value;
        var files = new FileService(store, w.Blobs);

        // Younger than the leftover age (an hour by default): perhaps still being saved, so left PENDING.
        var young = await files.ReindexAsync();
        Assert.Equal([leftover], young.Pending);
        Assert.Empty(young.Abandoned);

        var old = await files.ReindexAsync(new ReindexOptions { LeftoverAge = TimeSpan.Zero });
        Assert.Equal([leftover], old.Abandoned);
        Assert.Empty(old.Pending);
        Assert.Equal(ArtifactState.Abandoned, Assert.Single(await store.GetArtifactsByIdAsync([leftover])).State);
        Assert.Empty(await files.FindAsync(new FindQuery()));

        var again = await files.ReindexAsync(new ReindexOptions { LeftoverAge = TimeSpan.Zero });
        Assert.Empty(again.Abandoned);
        Assert.Empty(again.Pending);
    }

    [SkippableFact]
    public async Task Reindex_repairs_an_interrupted_save_rebuilds_a_lost_store_from_the_lake_and_is_idempotent()
    {
        using var w = await NewWorkspaceAsync();
        await using var store = await w.OpenStoreAsync();
        var files = new FileService(store, w.Blobs);
        var a = await files.SaveAsync(new SaveRequest
        {
            Files = [new FileToSave(w.Write("a/train.txt", "train"), "train.txt")],
            Info = new Dictionary<string, string> { ["type"] = "dataset_list" },
            Tags = ["dataset"],
        });
        var b = await files.SaveAsync(new SaveRequest { Files = [new FileToSave(w.Write("b/model.bin", "model"), "model.bin")], BasedOn = [a.ArtifactId], TypeName = "Model" });
        SaveResult c;
        await using (var run = await files.StartRunAsync("evaluate"))
        {
            await run.LoadAsync(b.ArtifactId, w.PathOf("work"));
            c = await run.SaveAsync(new SaveRequest { Files = [new FileToSave(w.Write("c/report.md", "good"), "report.md")] });
        }

        // A save interrupted after its metadata.yaml was written: the artifact stays PENDING.
        var failing = FailingStore.Wrap(store);
        await Assert.ThrowsAsync<AbortedException>(() => new FileService(failing, w.Blobs).SaveAsync(new SaveRequest { Files = [new FileToSave(w.Write("d/late.txt", "late"), "late.txt")] }));
        var d = (await store.GetArtifactsAsync()).Items.Single(x => x.State == ArtifactState.Pending).Id!.Value;
        await w.Backend.CreateLeftoverAsync();

        // Reindexing the same store completes the interrupted save and changes nothing else.
        var repaired = await files.ReindexAsync(new ReindexOptions { LeftoverAge = TimeSpan.Zero });
        Assert.Empty(repaired.Problems);
        Assert.Equal(
            [(a.ArtifactId, ReindexOutcome.Existing), (b.ArtifactId, ReindexOutcome.Existing), (c.ArtifactId, ReindexOutcome.Existing), (d, ReindexOutcome.Repaired)],
            repaired.Artifacts.Select(x => (x.ArtifactId, x.Outcome)));
        Assert.Equal(w.Backend.ListsLeftovers ? 1 : 0, repaired.LeftoversRemoved);
        Assert.Equal(0, await w.Backend.CountLeftoversAsync());
        Assert.Empty(repaired.Pending);
        await files.LoadAsync(d, w.PathOf("late"));
        Assert.Equal("late", await File.ReadAllTextAsync(w.PathOf("late/late.txt")));
        var again = await files.ReindexAsync();
        Assert.All(again.Artifacts, x => Assert.Equal(ReindexOutcome.Existing, x.Outcome));

        // The store is lost: 'cairn reindex' into a new one brings back every artifact, its info, tags, type and lineage.
        var newStore = "sqlite://" + w.PathOf("new/cairn.db");
        var json = System.Text.Json.Nodes.JsonNode.Parse(await w.OkAsync("reindex", "--store", newStore, "--blobs", w.BlobsUri, "--json"))!;
        Assert.Equal((4, 4, 0), ((int)json["scanned"]!, (int)json["created"]!, (int)json["existing"]!));
        var ids = json["artifacts"]!.AsArray().ToDictionary(x => (long)x!["original_id"]!, x => ((long)x!["id"]!).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await w.OkAsync("load", ids[a.ArtifactId], "--store", newStore, "--blobs", w.BlobsUri, "--to", "restored");
        Assert.Equal("train", await File.ReadAllTextAsync(w.PathOf("restored/train.txt")));
        Assert.Equal([ids[a.ArtifactId]], await FindIdsAsync(w, "--store", newStore, "--info", "type=dataset*", "--tag", "dataset", "--file", "train.txt"));
        Assert.Equal([ids[b.ArtifactId]], await FindIdsAsync(w, "--store", newStore, "--type", "Model"));
        Assert.Equal([ids[b.ArtifactId], ids[c.ArtifactId]], await FindIdsAsync(w, "--store", newStore, "--based-on", ids[a.ArtifactId]));
        var listing = await w.OkAsync("files", ids[c.ArtifactId], "--store", newStore);
        Assert.Contains(w.Blobs.RootUri, listing, StringComparison.Ordinal);

        var twice = System.Text.Json.Nodes.JsonNode.Parse(await w.OkAsync("reindex", "--store", newStore, "--blobs", w.BlobsUri, "--json"))!;
        Assert.Equal((4, 0, 4), ((int)twice["scanned"]!, (int)twice["created"]!, (int)twice["existing"]!));
    }

    private static async Task<string[]> FindIdsAsync(Workspace w, params string[] args)
    {
        var output = await w.OkAsync(["find", .. args, "--json"]);
        return [.. System.Text.Json.Nodes.JsonNode.Parse(output)!["artifacts"]!.AsArray().Select(a => ((long)a!["id"]!).ToString(System.Globalization.CultureInfo.InvariantCulture))];
    }

    /// <summary>A blob store whose lake publishing is interrupted after the first file, as by Ctrl+C.</summary>
    private sealed class FailingPublish(IBlobStore inner) : IBlobStore
    {
        private int _published;

        public IBlobStore Inner => inner;

        public string RootUri => inner.RootUri;

        public Task<BlobPutResult> PutFileAsync(string path, IProgress<long>? progress = null, CancellationToken cancellationToken = default) => inner.PutFileAsync(path, progress, cancellationToken);

        public Task<BlobPutResult> PutStreamAsync(Stream content, CancellationToken cancellationToken = default) => inner.PutStreamAsync(content, cancellationToken);

        public Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken = default) => inner.ExistsAsync(sha256, cancellationToken);

        public Task<Stream> OpenObjectAsync(string sha256, CancellationToken cancellationToken = default) => inner.OpenObjectAsync(sha256, cancellationToken);

        public Task<string> DownloadAsync(string sha256, string targetPath, long? expectedSize = null, IProgress<long>? progress = null, CancellationToken cancellationToken = default) =>
            inner.DownloadAsync(sha256, targetPath, expectedSize, progress, cancellationToken);

        public async Task<string> PublishAsync(string sha256, string lakePath, CancellationToken cancellationToken = default)
        {
            if (++_published > 1) throw new OperationCanceledException();
            return await inner.PublishAsync(sha256, lakePath, cancellationToken);
        }

        public Task WriteTextAsync(string lakePath, string content, CancellationToken cancellationToken = default) => inner.WriteTextAsync(lakePath, content, cancellationToken);

        public Task<Stream> OpenLakeAsync(string lakePath, CancellationToken cancellationToken = default) => inner.OpenLakeAsync(lakePath, cancellationToken);

        public string LocationOf(string lakePath) => inner.LocationOf(lakePath);

        public string FileLocation(string sha256, string lakePath) => inner.FileLocation(sha256, lakePath);

        public IAsyncEnumerable<string> ListMetadataAsync(CancellationToken cancellationToken = default) => inner.ListMetadataAsync(cancellationToken);

        public Task<int> CleanLeftoversAsync(TimeSpan olderThan, CancellationToken cancellationToken = default) => inner.CleanLeftoversAsync(olderThan, cancellationToken);
    }

    /// <summary>A store whose next lineage write fails, as a crash between the lake and the final transaction would.</summary>
    public class FailingStore : System.Reflection.DispatchProxy
    {
        private IMetadataStore _inner = null!;

        public static IMetadataStore Wrap(IMetadataStore inner)
        {
            var proxy = Create<IMetadataStore, FailingStore>();
            ((FailingStore)(object)proxy)._inner = inner;
            return proxy;
        }

        protected override object? Invoke(System.Reflection.MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod!.Name == nameof(IMetadataStore.PutLineageSubgraphAsync)) throw new AbortedException("interrupted");
            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
            {
                throw e.InnerException;
            }
        }
    }

    /// <summary>
    /// A request body that stops in the middle of its second reading (the SDK reads it once to sign it, then sends it) until
    /// released, to hold an upload in progress.
    /// </summary>
    protected sealed class HeldBody(byte[] bytes) : Stream
    {
        private int _starts;

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => bytes.Length;

        public override long Position { get; set; }

        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => Position + offset,
            _ => Length + offset,
        };

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public SemaphoreSlim Reached { get; } = new(0);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var (hold, length) = Hold(buffer.Length);
            if (hold) Release.Task.Wait();
            return Copy(buffer[..length]);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var (hold, length) = Hold(buffer.Length);
            if (hold) await Release.Task.WaitAsync(cancellationToken);
            return Copy(buffer.Span[..length]);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Copy(Span<byte> buffer)
        {
            var count = (int)Math.Min(buffer.Length, Length - Position);
            bytes.AsSpan((int)Position, count).CopyTo(buffer);
            Position += count;
            return count;
        }

        /// <summary>Whether to wait before this read, and how much it may read (up to the middle, on the second reading).</summary>
        private (bool Hold, int Length) Hold(int length)
        {
            if (Position == 0) _starts++;
            var half = Length / 2;
            if (_starts < 2 || Release.Task.IsCompleted || Position > half) return (false, length);
            if (Position < half) return (false, (int)Math.Min(length, half - Position));
            Reached.Release();
            return (true, length);
        }
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool and arrive late).</summary>
    private sealed class SynchronousProgress(Action<TransferProgress> report) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value) => report(value);
    }
}

/// <summary>The files tests on a local directory, plus what only a local directory has (file modes, hard links).</summary>
public sealed class LocalStorageTests() : StorageTestsBase(new LocalBackend())
{
    [Fact]
    public async Task Local_objects_are_read_only_and_lake_entries_are_hard_links_to_them()
    {
        if (OperatingSystem.IsWindows()) return;
        using var w = new Workspace();
        var blobs = new LocalBlobStore(w.BlobRoot);
        var put = await blobs.PutFileAsync(w.Write("f.txt", "hello"));
        var path = blobs.ObjectPath(put.Sha256);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(path));
        var written = File.GetLastWriteTimeUtc(path);
        Assert.True((await blobs.PutStreamAsync(new MemoryStream("hello"u8.ToArray()))).Deduplicated);
        Assert.Equal(written, File.GetLastWriteTimeUtc(path));

        var location = await blobs.PublishAsync(put.Sha256, "lake/f.txt");
        Assert.Equal(new Uri(blobs.LakeFullPath("lake/f.txt")).AbsoluteUri, location);
        await Assert.ThrowsAsync<IOException>(() => blobs.PublishAsync(put.Sha256, "lake/f.txt"));
        Assert.Equal(File.GetUnixFileMode(path), File.GetUnixFileMode(blobs.LakeFullPath("lake/f.txt")));
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


    [Fact]
    public async Task The_blob_store_comes_from_blobs_then_the_configuration_then_CAIRN_BLOBS_then_beside_the_store()
    {
        using var w = new Workspace();
        w.Write("a.txt", "a");
        var configured = w.PathOf("configured");
        var flagged = w.PathOf("flagged");

        static string Uri(string json) => (string)System.Text.Json.Nodes.JsonNode.Parse(json)!["uri"]!;
        Assert.StartsWith(new Uri(w.BlobRoot + "/").AbsoluteUri, Uri(await w.OkAsync("save", "a.txt", "--no-capture", "--json")), StringComparison.Ordinal);
        Assert.StartsWith(new Uri(configured + "/").AbsoluteUri, Uri(await w.OkAsync("save", "a.txt", "--no-capture", "--json", "--config", "blobs=" + configured)), StringComparison.Ordinal);
        Assert.StartsWith(new Uri(flagged + "/").AbsoluteUri, Uri(await w.OkAsync("save", "a.txt", "--no-capture", "--json", "--config", "blobs=" + configured, "--blobs", flagged)), StringComparison.Ordinal);
    }
}

/// <summary>The files tests on an S3-compatible server (CAIRN_TEST_S3), through the AWS SDK.</summary>
public sealed class S3StorageTests() : StorageTestsBase(new S3Backend())
{
    [SkippableFact]
    public async Task S3_locations_are_s3_urls_of_the_one_stored_object()
    {
        using var w = await NewWorkspaceAsync();
        w.Write("a.txt", "same");
        w.Write("b.txt", "same");
        var save = System.Text.Json.Nodes.JsonNode.Parse(await w.OkAsync("save", "a.txt", "b.txt", "--no-capture", "--json"))!;
        var locations = save["files"]!.AsArray().Select(f => (string)f!["location"]!).Distinct().ToList();
        var digest = (string)save["files"]![0]!["sha256"]!;
        Assert.Equal([w.Blobs.RootUri + "objects/" + digest[..2] + "/" + digest[2..]], locations);
        Assert.Matches(@"^s3://cairn-test-[0-9a-f]+/lake/\d{4}/\d{2}/\d{2}/[^/]+/1/$", (string)save["uri"]!);
        Assert.Equal(1, await w.Backend.CountObjectsAsync());
    }

    [SkippableFact]
    public async Task A_small_file_is_one_conditional_put_to_save_whether_new_or_stored_and_one_get_to_load()
    {
        using var w = await NewWorkspaceAsync();
        await using var store = await w.OpenStoreAsync();
        var options = S3BlobStoreOptions.Parse(w.BlobsUri);
        using var client = S3BlobStore.CreateClient(options);
        var requests = new List<string>();
        client.BeforeRequestEvent += (_, e) =>
        {
            var described = (e as Amazon.Runtime.WebServiceRequestEventArgs)?.Request switch
            {
                PutObjectRequest put => "PUT " + put.Key + (put.IfNoneMatch == "*" ? " If-None-Match: *" : string.Empty),
                GetObjectMetadataRequest head => "HEAD " + head.Key,
                GetObjectRequest get => "GET " + get.Key + (get.ByteRange is null ? string.Empty : " (range)"),
                _ => null,
            };
            if (described is not null && described.Contains("/objects/", StringComparison.Ordinal)) lock (requests) requests.Add(described);
        };
        using var blobs = new S3BlobStore(options, client);
        var files = new FileService(store, blobs);
        var bytes = new byte[1 << 20];
        new Random(11).NextBytes(bytes);
        var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        var expected = $"PUT lake/objects/{digest[..2]}/{digest[2..]} If-None-Match: *";
        await File.WriteAllBytesAsync(w.PathOf("a.bin"), bytes);
        await File.WriteAllBytesAsync(w.PathOf("b.bin"), bytes);

        var first = await files.SaveAsync(new SaveRequest { Files = [new FileToSave(w.PathOf("a.bin"), "a.bin")] });
        Assert.Equal([expected], requests);
        requests.Clear();
        var second = await files.SaveAsync(new SaveRequest { Files = [new FileToSave(w.PathOf("b.bin"), "b.bin")] });

        Assert.Equal([expected], requests);
        Assert.Equal(((long)bytes.Length, 0L), (first.BytesStored, first.BytesDeduplicated));
        Assert.Equal((0L, (long)bytes.Length), (second.BytesStored, second.BytesDeduplicated));
        Assert.Equal(1, await w.Backend.CountObjectsAsync());

        // Loading it back is one GET too: the manifest says the file is small, so its size is not asked first.
        requests.Clear();
        await files.LoadAsync(second.ArtifactId, w.PathOf("out"));
        Assert.Equal([$"GET lake/objects/{digest[..2]}/{digest[2..]}"], requests);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(w.PathOf("out/b.bin")));
    }

    [SkippableFact]
    public async Task The_test_server_refuses_a_conditional_create_of_an_existing_key_with_412_as_S3_does()
    {
        using var w = await NewWorkspaceAsync();
        var options = S3BlobStoreOptions.Parse(w.BlobsUri);
        using var client = TestS3.Client(TestS3.Endpoint);
        var key = "lake/objects/conditional";
        PutObjectRequest Put(string body) => new() { BucketName = options.Bucket, Key = key, ContentBody = body, IfNoneMatch = "*", UseChunkEncoding = false };
        async Task<string> ReadAsync()
        {
            using var response = await client.GetObjectAsync(options.Bucket, key);
            return await new StreamReader(response.ResponseStream).ReadToEndAsync();
        }

        await client.PutObjectAsync(Put("first"));
        var put = await Assert.ThrowsAsync<Amazon.S3.AmazonS3Exception>(() => client.PutObjectAsync(Put("second")));
        Assert.Equal((System.Net.HttpStatusCode.PreconditionFailed, "PreconditionFailed"), (put.StatusCode, put.ErrorCode));
        Assert.Equal("first", await ReadAsync());

        var upload = await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = options.Bucket, Key = key });
        var part = await client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = options.Bucket,
            Key = key,
            UploadId = upload.UploadId,
            PartNumber = 1,
            InputStream = new MemoryStream("third"u8.ToArray()),
            UseChunkEncoding = false,
        });
        var complete = new CompleteMultipartUploadRequest { BucketName = options.Bucket, Key = key, UploadId = upload.UploadId, PartETags = [new PartETag(1, part.ETag)], IfNoneMatch = "*" };
        var completed = await Assert.ThrowsAsync<Amazon.S3.AmazonS3Exception>(() => client.CompleteMultipartUploadAsync(complete));
        Assert.Equal((System.Net.HttpStatusCode.PreconditionFailed, "PreconditionFailed"), (completed.StatusCode, completed.ErrorCode));
        Assert.Equal("first", await ReadAsync());
    }

    [SkippableFact]
    public async Task A_conditional_create_racing_another_gets_409_and_cairn_retries_until_it_sees_the_other_object()
    {
        using var w = await NewWorkspaceAsync();
        var options = S3BlobStoreOptions.Parse(w.BlobsUri);
        using var client = TestS3.Client(TestS3.Endpoint);
        var bytes = new byte[64 << 10];
        new Random(13).NextBytes(bytes);
        var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        var key = $"lake/objects/{digest[..2]}/{digest[2..]}";
        PutObjectRequest Put(Stream body) => new() { BucketName = options.Bucket, Key = key, InputStream = body, IfNoneMatch = "*", UseChunkEncoding = false };

        // Another writer's conditional create of the same bytes, held halfway through its body.
        using var held = new HeldBody(bytes);
        var other = client.PutObjectAsync(Put(held));
        Assert.True(await held.Reached.WaitAsync(TimeSpan.FromSeconds(30)), "the held upload never reached the middle of its body");

        var conflict = await Assert.ThrowsAsync<Amazon.S3.AmazonS3Exception>(() => client.PutObjectAsync(Put(new MemoryStream(bytes))));
        Assert.Equal((System.Net.HttpStatusCode.Conflict, "ConditionalRequestConflict"), (conflict.StatusCode, conflict.ErrorCode));

        // Cairn's create of the same bytes meets the conflict, retries, and once the other write is done sees its object.
        using var cairnClient = S3BlobStore.CreateClient(options);
        var puts = 0;
        cairnClient.BeforeRequestEvent += (_, e) =>
        {
            if ((e as Amazon.Runtime.WebServiceRequestEventArgs)?.Request is PutObjectRequest) Interlocked.Increment(ref puts);
        };
        using var blobs = new S3BlobStore(options, cairnClient);
        await File.WriteAllBytesAsync(w.PathOf("same.bin"), bytes);
        var cairn = blobs.PutFileAsync(w.PathOf("same.bin"));
        while (Volatile.Read(ref puts) < 2 && !cairn.IsCompleted) await Task.Delay(10);
        held.Release.SetResult();
        await other;

        var put = await cairn;
        Assert.True(put.Deduplicated);
        Assert.True(puts >= 3, $"expected the conflict to be retried, saw {puts} PUTs");
        var after = await Assert.ThrowsAsync<Amazon.S3.AmazonS3Exception>(() => client.PutObjectAsync(Put(new MemoryStream(bytes))));
        Assert.Equal(System.Net.HttpStatusCode.PreconditionFailed, after.StatusCode);

        // A writer that goes away mid-body does not leave its key "in progress" on the test server.
        key += "-abandoned";
        using var abandoned = new HeldBody(bytes);
        using var cancel = new CancellationTokenSource();
        var gone = client.PutObjectAsync(Put(abandoned), cancel.Token);
        Assert.True(await abandoned.Reached.WaitAsync(TimeSpan.FromSeconds(30)), "the abandoned upload never reached the middle of its body");
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gone);
        // The server learns of the disconnect asynchronously (its request's close event), so the key is released shortly after
        // the cancel, not at once: a create may meet 409 for that moment, but within seconds it must get through.
        System.Net.HttpStatusCode? status = System.Net.HttpStatusCode.Conflict;
        for (var deadline = DateTime.UtcNow.AddSeconds(15); status == System.Net.HttpStatusCode.Conflict && DateTime.UtcNow < deadline;)
        {
            var next = await Task.WhenAny(client.PutObjectAsync(Put(new MemoryStream(bytes))));
            status = (next.Exception?.GetBaseException() as Amazon.S3.AmazonS3Exception)?.StatusCode;
            if (status == System.Net.HttpStatusCode.Conflict) await Task.Delay(100);
        }

        Assert.NotEqual(System.Net.HttpStatusCode.Conflict, status);
    }

    [SkippableFact]
    public async Task A_missing_bucket_or_bad_credentials_are_refused_with_a_clear_message_before_anything_is_recorded()
    {
        using var w = await NewWorkspaceAsync();
        w.Write("a.txt", "a");

        var noBucket = await w.CairnAsync(["save", "a.txt", "--no-capture", "--blobs", "s3://cairn-test-no-such-bucket/x"]);
        Assert.Equal(Cli.ExitCodes.NotFound, noBucket.ExitCode);
        Assert.Contains("The S3 bucket 'cairn-test-no-such-bucket' does not exist", noBucket.Stderr, StringComparison.Ordinal);

        var oldSecret = Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
        var oldKey = Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID");
        try
        {
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "WRONG");
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "wrong-secret");
            var denied = await w.CairnAsync(["save", "a.txt", "--no-capture"]);
            Assert.Equal(Cli.ExitCodes.FailedPrecondition, denied.ExitCode);
            Assert.StartsWith("error: S3 refused the request", denied.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", oldKey);
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", oldSecret);
        }

        var unreachable = await w.CairnAsync(["save", "a.txt", "--no-capture", "--blobs", "s3://cairn-test-x/y?endpoint=http://127.0.0.1:9"]);
        Assert.Equal(Cli.ExitCodes.For(CairnErrorCode.Unavailable), unreachable.ExitCode);
        Assert.Contains("cannot be reached", unreachable.Stderr, StringComparison.Ordinal);

        Assert.Equal(0, await w.Backend.CountObjectsAsync());
        await using var store = await w.OpenStoreAsync();
        Assert.Empty((await store.GetArtifactsAsync()).Items);
    }
}
