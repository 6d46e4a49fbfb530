using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Cairn.Files;

namespace Cairn.Benchmarks.Workloads;

/// <summary>
/// WF files (WFa/WFb save/load many small files, WFc/WFd one large file): <c>cairn save</c> and <c>cairn load</c> throughput on a local blob store, for many small files and for one
/// large file, each against a plain copy of the same bytes with SHA-256 in the same run.
/// </summary>
/// <remarks>
/// Reference, save: read each file once, hash it, write it to a new directory and fsync it (what any durable,
/// verified copy must do). Reference, load: copy the stored files to a new directory, hashing them. The SUT does the
/// same work plus what makes it a store: a hash pass before writing (bytes already stored are never written again),
/// read-only objects renamed into place, hard links for the lake layout, <c>metadata.yaml</c> and the artifact, its
/// execution and events in SQLite. Every round saves to a fresh blob root, so nothing is deduplicated across rounds.
/// Sizes: XS 20 × 64 KiB and 8 MiB; S 100 × 1 MiB and 256 MiB; L 10,000 × 1 KiB and 1 GiB (issue 7's sizes).
/// </remarks>
internal sealed class WFilesSaveLoad : IWorkload
{
    private const int KiB = 1024;

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

        using var storeDir = context.NewTempDirectory("wf-store");
        await using var store = await CairnStore.OpenAsync("sqlite://" + storeDir.File("cairn.db"), cancellationToken).ConfigureAwait(false);
        var results = new List<WorkloadResult>();
        foreach (var (ids, label, files, goal) in new[]
        {
            (("WFa", "WFb"), string.Create(CultureInfo.InvariantCulture, $"{smallCount} × {smallBytes / KiB} KiB"), small, 0.5),
            (("WFc", "WFd"), string.Create(CultureInfo.InvariantCulture, $"1 × {largeBytes >> 20} MiB"), large, 0.8),
        })
        {
            var (save, load) = await RunPairAsync(context, store, files, source.FullPath, rounds, cancellationToken).ConfigureAwait(false);
            var notes = "KiB/s of file content; reference = plain copy with SHA-256 (and fsync on save), same bytes, same run";
            results.Add(WorkloadResult.FromOutcome(ids.Item1, "save " + label, size, "KiB/s", goal, Better.Higher, save, "KiB", notes: notes));
            results.Add(WorkloadResult.FromOutcome(ids.Item2, "load " + label, size, "KiB/s", goal, Better.Higher, load, "KiB", notes: notes));
        }

        return results;
    }

    private static async Task<(AbOutcome Save, AbOutcome Load)> RunPairAsync(
        BenchContext context, IMetadataStore store, IReadOnlyList<string> files, string sourceRoot, int rounds, CancellationToken cancellationToken)
    {
        var request = new SaveRequest { Files = [.. files.Select(f => new FileToSave(f, Path.GetRelativePath(sourceRoot, f).Replace(Path.DirectorySeparatorChar, '/')))] };
        var kib = files.Sum(f => new FileInfo(f).Length) / KiB;
        var save = new AbOutcome();
        var load = new AbOutcome();
        for (var round = 0; round < rounds; round++)
        {
            using var work = context.NewTempDirectory("wf-round");
            var service = new FileService(store, new LocalBlobStore(Path.Combine(work.FullPath, "blobs")));
            var referenceStored = Path.Combine(work.FullPath, "reference");
            long artifactId = 0;

            var saveRef = new Sample();
            var saveSut = new Sample();
            var loadRef = new Sample();
            var loadSut = new Sample();
            async Task SaveReferenceAsync() => await TimedAsync(saveRef, kib, () => CopyAllAsync(files, sourceRoot, referenceStored, durable: true, cancellationToken)).ConfigureAwait(false);
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

            var storedFiles = files.Select(f => Path.Combine(referenceStored, Path.GetRelativePath(sourceRoot, f))).ToList();
            async Task LoadReferenceAsync() => await TimedAsync(loadRef, kib, () => CopyAllAsync(storedFiles, referenceStored, Path.Combine(work.FullPath, "reference-out"), durable: false, cancellationToken)).ConfigureAwait(false);
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

            MakeWritable(work.FullPath);
        }

        return (save, load);
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
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var input = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, buffer.Length, FileOptions.Asynchronous | FileOptions.SequentialScan))
            await using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, buffer.Length, FileOptions.Asynchronous))
            {
                int read;
                while ((read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }

                if (durable) output.Flush(flushToDisk: true);
            }

            _ = hash.GetHashAndReset();
        }
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
