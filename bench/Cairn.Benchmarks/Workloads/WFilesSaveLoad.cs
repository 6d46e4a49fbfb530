using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Cairn.Files;

namespace Cairn.Benchmarks.Workloads;

/// <summary>
/// WF files (WFa/WFb save/load many small files, WFc/WFd one large file): <c>cairn save</c> and <c>cairn load</c> throughput,
/// for many small files and for one large file, each against a plain copy of the same bytes with SHA-256 to the same store
/// in the same run: on a local blob store, then (rows <c>…/S3</c>) on an S3 blob store when an S3-compatible server can be had.
/// </summary>
/// <remarks>
/// Local reference, save: read each file once, hash it, write it to a new directory and fsync it (what any durable,
/// verified copy must do); load: copy the stored files to a new directory, hashing them. The SUT does the same work plus
/// what makes it a store: read-only objects renamed into place, hard links for the lake layout, <c>metadata.yaml</c> and
/// the artifact, its execution and events in SQLite.
/// S3 reference (the same AWS SDK client as the SUT's, to the same bucket): save = each file read once into memory,
/// hashed and sent with one <c>PutObject</c>, or at 16 MiB and more a multipart upload of 16 MiB parts, 4 at a time,
/// hashed concurrently; load = one streamed <c>GetObject</c> per file into a local file, hashed in the same pass. Both
/// sides move 4 files at a time. The SUT also hashes before uploading (the key is the digest), asks whether the object
/// exists, creates it conditionally, checks its size, writes <c>metadata.yaml</c>; on load it reads ranges in parallel.
/// Every round saves to a fresh blob root (S3: a fresh prefix), so nothing is deduplicated across rounds.
/// Sizes: XS 20 × 64 KiB and 8 MiB; S 100 × 1 MiB and 256 MiB; L 10,000 × 1 KiB and 1 GiB (issue 7's sizes).
/// S3 server: <c>CAIRN_BENCH_S3</c>, else s3rver started from test/s3-server (as test.sh does), else the S3 rows are skipped with a line.
/// </remarks>
internal sealed class WFilesSaveLoad : IWorkload
{
    private const int KiB = 1024;
    private const int Parallelism = 4;
    private const long PartSize = 16L << 20;

    public string Id => "WF";

    public async Task<IReadOnlyList<WorkloadResult>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var size = context.Size;
        var (smallCount, smallBytes, largeBytes) = size.Name switch
        {
            "XS" => (20, 64 * KiB, 8L << 20),
            "L" => (10_000, 1 * KiB, 1L << 30),
            _ => (100, 1 << 20, 256L << 20),
        };

        // Large transfers dominate the run time; four rounds (one warm-up) are enough to see the spread.
        var rounds = Math.Min(size.Rounds, 4);
        using var source = context.NewTempDirectory("wf-source");
        var random = new Random(context.Config.Seed);
        var small = Enumerable.Range(0, smallCount).Select(i => WriteRandom(source.File(string.Create(CultureInfo.InvariantCulture, $"small/part-{i:D5}.bin")), smallBytes, random)).ToList();
        var large = new List<string> { WriteRandom(source.File("large/data.bin"), largeBytes, random) };
        var sets = new[]
        {
            (Ids: ("WFa", "WFb"), Label: string.Create(CultureInfo.InvariantCulture, $"{smallCount} × {smallBytes / KiB} KiB"), Files: small, Goal: 0.5),
            (Ids: ("WFc", "WFd"), Label: string.Create(CultureInfo.InvariantCulture, $"1 × {largeBytes >> 20} MiB"), Files: large, Goal: 0.8),
        };

        using var storeDir = context.NewTempDirectory("wf-store");
        await using var store = await CairnStore.OpenAsync("sqlite://" + storeDir.File("cairn.db"), cancellationToken).ConfigureAwait(false);
        var results = new List<WorkloadResult>();
        foreach (var set in sets)
        {
            results.AddRange(await RunSetAsync(context, store, new LocalTarget(), set.Ids, set.Label, set.Files, source.FullPath, set.Goal, rounds, cancellationToken).ConfigureAwait(false));
        }

        var (server, reason) = await S3Server.StartAsync(context.Config.TempRoot, cancellationToken).ConfigureAwait(false);
        if (server is null)
        {
            BenchContext.Log($"WF on S3 skipped: {reason}.");
            return results;
        }

        await using (server)
        {
            BenchContext.Log($"WF on S3: {server.Description}");
            using var client = server.Client();
            var bucket = await server.CreateBucketAsync(client, cancellationToken).ConfigureAwait(false);
            var s3 = new S3Target(server, client, bucket);
            foreach (var set in sets)
            {
                results.AddRange(await RunSetAsync(context, store, s3, set.Ids, set.Label, set.Files, source.FullPath, set.Goal, rounds, cancellationToken).ConfigureAwait(false));
            }
        }

        return results;
    }

    private static async Task<WorkloadResult[]> RunSetAsync(
        BenchContext context, IMetadataStore store, Target target, (string Save, string Load) ids, string label, IReadOnlyList<string> files, string sourceRoot,
        double goal, int rounds, CancellationToken cancellationToken)
    {
        // Each row's peak is its own (both sides, all rounds), so small and large files compare.
        ProcessMemory.ResetPeak();
        var (save, load) = await RunPairAsync(context, store, target, files, sourceRoot, rounds, cancellationToken).ConfigureAwait(false);
        var peak = ProcessMemory.PeakMb() is { } mb ? string.Create(CultureInfo.InvariantCulture, $"; peak RSS {mb:F0} MB") : string.Empty;
        var notes = "KiB/s of file content; reference = " + target.Reference + ", same bytes, same run" + peak;
        var size = context.Size;
        WorkloadResult[] rows =
        [
            WorkloadResult.FromOutcome(ids.Save + target.Suffix, target.TitlePrefix + "save " + label, size, "KiB/s", goal, Better.Higher, save, "KiB", notes: notes),
            WorkloadResult.FromOutcome(ids.Load + target.Suffix, target.TitlePrefix + "load " + label, size, "KiB/s", goal, Better.Higher, load, "KiB", notes: notes),
        ];
        BenchContext.Log(string.Create(CultureInfo.InvariantCulture, $"{ids.Save}{target.Suffix}/{ids.Load}{target.Suffix} {label}{peak}"));
        return rows;
    }

    private static async Task<(AbOutcome Save, AbOutcome Load)> RunPairAsync(
        BenchContext context, IMetadataStore store, Target target, IReadOnlyList<string> files, string sourceRoot, int rounds, CancellationToken cancellationToken)
    {
        var request = new SaveRequest { Files = [.. files.Select(f => new FileToSave(f, Relative(sourceRoot, f)))] };
        var kib = files.Sum(f => new FileInfo(f).Length) / KiB;
        var save = new AbOutcome();
        var load = new AbOutcome();
        for (var round = 0; round < rounds; round++)
        {
            using var work = context.NewTempDirectory("wf-round");
            var roundName = string.Create(CultureInfo.InvariantCulture, $"r{round}-{Guid.NewGuid().ToString("N")[..8]}");
            var blobs = target.OpenBlobStore(work.FullPath, roundName);
            try
            {
                var service = new FileService(store, blobs);
                long artifactId = 0;

                var saveRef = new Sample();
                var saveSut = new Sample();
                var loadRef = new Sample();
                var loadSut = new Sample();
                async Task SaveReferenceAsync() => await TimedAsync(saveRef, kib, () => target.SaveReferenceAsync(files, sourceRoot, work.FullPath, roundName, cancellationToken)).ConfigureAwait(false);
                async Task SaveSutAsync() => await TimedAsync(saveSut, kib, async () => artifactId = (await service.SaveAsync(request, cancellationToken).ConfigureAwait(false)).ArtifactId).ConfigureAwait(false);

                // Alternate which side goes first so neither always runs on a page cache the other warmed.
                if (round % 2 == 0)
                {
                    await SaveReferenceAsync().ConfigureAwait(false);
                    await SaveSutAsync().ConfigureAwait(false);
                }
                else
                {
                    await SaveSutAsync().ConfigureAwait(false);
                    await SaveReferenceAsync().ConfigureAwait(false);
                }

                async Task LoadReferenceAsync() => await TimedAsync(loadRef, kib, () => target.LoadReferenceAsync(files, sourceRoot, work.FullPath, roundName, cancellationToken)).ConfigureAwait(false);
                async Task LoadSutAsync() => await TimedAsync(loadSut, kib, () => service.LoadAsync(artifactId, Path.Combine(work.FullPath, "sut-out"), cancellationToken: cancellationToken)).ConfigureAwait(false);
                if (round % 2 == 0)
                {
                    await LoadReferenceAsync().ConfigureAwait(false);
                    await LoadSutAsync().ConfigureAwait(false);
                }
                else
                {
                    await LoadSutAsync().ConfigureAwait(false);
                    await LoadReferenceAsync().ConfigureAwait(false);
                }

                if (round > 0)
                {
                    save.Rounds.Add((saveRef, saveSut));
                    load.Rounds.Add((loadRef, loadSut));
                }
            }
            finally
            {
                (blobs as IDisposable)?.Dispose();
                await target.EndRoundAsync(roundName, cancellationToken).ConfigureAwait(false);
                MakeWritable(work.FullPath);
            }
        }

        return (save, load);
    }

    private static string Relative(string root, string file) => Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>Where one row's bytes go: a blob store for the SUT, and the reference's plain copy to the same place.</summary>
    private abstract class Target
    {
        public abstract string Suffix { get; }

        public abstract string TitlePrefix { get; }

        public abstract string Reference { get; }

        public abstract IBlobStore OpenBlobStore(string work, string round);

        public abstract Task SaveReferenceAsync(IReadOnlyList<string> files, string sourceRoot, string work, string round, CancellationToken cancellationToken);

        public abstract Task LoadReferenceAsync(IReadOnlyList<string> files, string sourceRoot, string work, string round, CancellationToken cancellationToken);

        public virtual Task EndRoundAsync(string round, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class LocalTarget : Target
    {
        public override string Suffix => string.Empty;

        public override string TitlePrefix => string.Empty;

        public override string Reference => "plain copy with SHA-256 (and fsync on save), one file at a time";

        public override IBlobStore OpenBlobStore(string work, string round) => new LocalBlobStore(Path.Combine(work, "blobs"));

        public override Task SaveReferenceAsync(IReadOnlyList<string> files, string sourceRoot, string work, string round, CancellationToken cancellationToken) =>
            CopyAllAsync(files, sourceRoot, Path.Combine(work, "reference"), durable: true, cancellationToken);

        public override Task LoadReferenceAsync(IReadOnlyList<string> files, string sourceRoot, string work, string round, CancellationToken cancellationToken)
        {
            var stored = Path.Combine(work, "reference");
            return CopyAllAsync([.. files.Select(f => Path.Combine(stored, Path.GetRelativePath(sourceRoot, f)))], stored, Path.Combine(work, "reference-out"), durable: false, cancellationToken);
        }
    }

    private sealed class S3Target(S3Server server, IAmazonS3 client, string bucket) : Target
    {
        public override string Suffix => "/S3";

        public override string TitlePrefix => "S3: ";

        public override string Reference => "PutObject (multipart of 16 MiB parts, 4 at a time, from 16 MiB) + SHA-256 / GetObject + SHA-256, 4 files at a time, " + server.Description;

        public override IBlobStore OpenBlobStore(string work, string round) => new S3BlobStore(
            new S3BlobStoreOptions { Bucket = bucket, Prefix = round + "/cairn", Endpoint = server.Endpoint, Region = "us-east-1", ForcePathStyle = true },
            client);

        public override async Task SaveReferenceAsync(IReadOnlyList<string> files, string sourceRoot, string work, string round, CancellationToken cancellationToken) =>
            await Parallel.ForEachAsync(files, Options(cancellationToken), async (file, token) =>
            {
                var key = round + "/reference/" + Relative(sourceRoot, file);
                var length = new FileInfo(file).Length;
                if (length < PartSize)
                {
                    var bytes = await File.ReadAllBytesAsync(file, token).ConfigureAwait(false);
                    _ = SHA256.HashData(bytes);
                    await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(bytes), UseChunkEncoding = false }, token).ConfigureAwait(false);
                    return;
                }

                var upload = await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = key }, token).ConfigureAwait(false);
                var parts = (int)((length + PartSize - 1) / PartSize);
                var etags = new PartETag[parts];
                var hash = HashFileAsync(file, token);
                await Parallel.ForEachAsync(Enumerable.Range(0, parts), Options(token), async (i, ct) =>
                {
                    var position = i * PartSize;
                    var response = await client.UploadPartAsync(
                        new UploadPartRequest
                        {
                            BucketName = bucket,
                            Key = key,
                            UploadId = upload.UploadId,
                            PartNumber = i + 1,
                            FilePath = file,
                            FilePosition = position,
                            PartSize = Math.Min(PartSize, length - position),
                            UseChunkEncoding = false,
                        },
                        ct).ConfigureAwait(false);
                    etags[i] = new PartETag(i + 1, response.ETag);
                }).ConfigureAwait(false);
                await hash.ConfigureAwait(false);
                await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = upload.UploadId, PartETags = [.. etags] }, token).ConfigureAwait(false);
            }).ConfigureAwait(false);

        public override async Task LoadReferenceAsync(IReadOnlyList<string> files, string sourceRoot, string work, string round, CancellationToken cancellationToken) =>
            await Parallel.ForEachAsync(files, Options(cancellationToken), async (file, token) =>
            {
                var relative = Relative(sourceRoot, file);
                var target = Path.Combine(work, "reference-out", relative);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                using var response = await client.GetObjectAsync(bucket, round + "/reference/" + relative, token).ConfigureAwait(false);
                await using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous);
                await CopyHashingAsync(response.ResponseStream, output, token).ConfigureAwait(false);
            }).ConfigureAwait(false);

        public override Task EndRoundAsync(string round, CancellationToken cancellationToken) => server.DeletePrefixAsync(client, bucket, round + "/", cancellationToken);

        private static ParallelOptions Options(CancellationToken cancellationToken) => new() { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };

        private static async Task HashFileAsync(string file, CancellationToken cancellationToken)
        {
            await using var input = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan);
            _ = await SHA256.HashDataAsync(input, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task TimedAsync(Sample sample, long kib, Func<Task> work)
    {
        sample.StartRound();
        var start = Stopwatch.GetTimestamp();
        await work().ConfigureAwait(false);
        sample.Record(start, kib);
        sample.EndRound();
    }

    /// <summary>The reference: each file read once, hashed, written, and (on save) flushed to disk.</summary>
    private static async Task CopyAllAsync(IReadOnlyList<string> files, string fromRoot, string toRoot, bool durable, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 20];
        foreach (var file in files)
        {
            var target = Path.Combine(toRoot, Path.GetRelativePath(fromRoot, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await using var input = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, buffer.Length, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, buffer.Length, FileOptions.Asynchronous);
            await CopyHashingAsync(input, output, cancellationToken, buffer).ConfigureAwait(false);
            if (durable) output.Flush(flushToDisk: true);
        }
    }

    private static async Task CopyHashingAsync(Stream input, Stream output, CancellationToken cancellationToken, byte[]? buffer = null)
    {
        buffer ??= new byte[1 << 20];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        int read;
        while ((read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }

        _ = hash.GetHashAndReset();
    }

    private static string WriteRandom(string path, long bytes, Random random)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var buffer = new byte[(int)Math.Min(bytes, 1 << 20)];
        using var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, buffer.Length);
        for (long written = 0; written < bytes; written += buffer.Length)
        {
            random.NextBytes(buffer);
            output.Write(buffer, 0, (int)Math.Min(buffer.Length, bytes - written));
        }

        return path;
    }

    /// <summary>Stored objects are read-only; the round's directory is deleted afterwards.</summary>
    private static void MakeWritable(string root)
    {
        if (OperatingSystem.IsWindows()) return;
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
