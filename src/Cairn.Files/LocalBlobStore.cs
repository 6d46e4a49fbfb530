using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Cairn.Files;

/// <summary>
/// A blob store in a local directory. Objects live at <c>objects/ab/cdef…</c> (the SHA-256 split after two characters);
/// each is written to <c>tmp/</c>, flushed to disk, made read-only and renamed into place, so a reader never sees a
/// half-written object and an object is never overwritten. Lake entries are hard links to the objects (a copy where the
/// file system refuses links), so the lake costs no extra space.
/// </summary>
public sealed partial class LocalBlobStore : IBlobStore
{
    private const int BufferSize = 1 << 20;
    private const UnixFileMode ReadOnlyMode = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Opens (and creates when missing) a blob store rooted at <paramref name="rootDirectory"/>.</summary>
    public LocalBlobStore(string rootDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        Root = Path.GetFullPath(rootDirectory);
    }

    /// <summary>The root directory.</summary>
    public string Root { get; }

    /// <inheritdoc/>
    public string RootUri => new Uri(Path.TrimEndingDirectorySeparator(Root) + Path.DirectorySeparatorChar).AbsoluteUri;

    /// <summary>Where the object with this digest lives (whether or not it is stored).</summary>
    public string ObjectPath(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower)) throw new ArgumentException(FilesMessages.BadDigest(sha256), nameof(sha256));
        return Path.Combine(Root, "objects", sha256[..2], sha256[2..]);
    }

    /// <inheritdoc/>
    public async Task<BlobPutResult> PutFileAsync(string path, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        // One pass: the bytes are hashed as they are copied to tmp/, so the object is exactly the bytes its name says.
        // When they turn out to be stored already, the copy is dropped before it is ever flushed to disk.
        await using var source = OpenSequential(path);
        return await StoreAsync(source, progress is null ? null : new Doubled(progress), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<BlobPutResult> PutStreamAsync(Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        return StoreAsync(content, progress: null, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken = default) => Task.FromResult(File.Exists(ObjectPath(sha256)));

    /// <inheritdoc/>
    public Task<Stream> OpenObjectAsync(string sha256, CancellationToken cancellationToken = default)
    {
        var path = ObjectPath(sha256);
        if (!File.Exists(path)) throw new FileNotFoundException(FilesMessages.ObjectMissing(sha256, path), path);
        return Task.FromResult<Stream>(OpenSequential(path));
    }

    /// <inheritdoc/>
    public async Task<string> DownloadAsync(string sha256, string targetPath, long? expectedSize = null, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var source = await OpenObjectAsync(sha256, cancellationToken);
        await using var output = new FileStream(targetPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous);
        return await CopyHashingAsync(source, output, progress, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<string> PublishAsync(string sha256, string lakePath, CancellationToken cancellationToken = default)
    {
        var source = ObjectPath(sha256);
        var target = LakeFullPath(lakePath);
        if (File.Exists(target)) throw new IOException(FilesMessages.NeverOverwrite(target));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (!TryHardLink(source, target))
        {
            await using var input = OpenSequential(source);
            await WriteImmutableAsync(target, async output => await input.CopyToAsync(output, BufferSize, cancellationToken), cancellationToken);
        }

        return LocationOf(lakePath);
    }

    /// <inheritdoc/>
    public async Task WriteTextAsync(string lakePath, string content, CancellationToken cancellationToken = default)
    {
        var target = LakeFullPath(lakePath);
        if (File.Exists(target)) throw new IOException(FilesMessages.NeverOverwrite(target));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var bytes = new System.Text.UTF8Encoding(false).GetBytes(content);
        await WriteImmutableAsync(target, async output => await output.WriteAsync(bytes, cancellationToken), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<Stream> OpenLakeAsync(string lakePath, CancellationToken cancellationToken = default) =>
        Task.FromResult<Stream>(OpenSequential(LakeFullPath(lakePath)));

    /// <inheritdoc/>
    public string LocationOf(string lakePath) => new Uri(LakeFullPath(lakePath)).AbsoluteUri;

    /// <inheritdoc/>
    public string FileLocation(string sha256, string lakePath) => LocationOf(lakePath);

    /// <inheritdoc/>
    public async IAsyncEnumerable<string> ListMetadataAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        if (!Directory.Exists(Root)) yield break;

        // Only the date directories hold artifacts; objects/ and tmp/ are never walked.
        foreach (var year in Directory.EnumerateDirectories(Root))
        {
            var name = Path.GetFileName(year);
            if (name.Length != 4 || !name.All(char.IsAsciiDigit)) continue;
            foreach (var file in Directory.EnumerateFiles(year, "metadata.yaml", SearchOption.AllDirectories))
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return Path.GetRelativePath(Root, file).Replace(Path.DirectorySeparatorChar, '/');
            }
        }
    }

    /// <inheritdoc/>
    public Task<int> CleanLeftoversAsync(TimeSpan olderThan, CancellationToken cancellationToken = default)
    {
        var directory = Path.Combine(Root, "tmp");
        if (!Directory.Exists(directory)) return Task.FromResult(0);
        var before = DateTime.UtcNow - olderThan;
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(directory, "*.partial"))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (File.GetLastWriteTimeUtc(file) > before) continue;
            if (TryDelete(file)) removed++;
        }

        return Task.FromResult(removed);
    }

    /// <summary>The local path of a lake entry.</summary>
    public string LakeFullPath(string lakePath)
    {
        var full = Path.GetFullPath(Path.Combine(Root, lakePath));
        if (!full.StartsWith(Path.TrimEndingDirectorySeparator(Root) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException(FilesMessages.OutsideRoot(lakePath), nameof(lakePath));
        }

        return full;
    }

    internal static async Task<(string Sha256, long Size)> HashAsync(Stream source, CancellationToken cancellationToken, IProgress<long>? progress = null)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[BufferSize];
        long size = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            size += read;
            progress?.Report(read);
        }

        return (Convert.ToHexStringLower(hash.GetHashAndReset()), size);
    }

    /// <summary>Copies <paramref name="source"/> to <paramref name="output"/>, returning the SHA-256 of the bytes copied.</summary>
    internal static async Task<string> CopyHashingAsync(Stream source, Stream output, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[BufferSize];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            progress?.Report(read);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private async Task<BlobPutResult> StoreAsync(Stream source, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var temp = TempPath();
        string digest;
        long size = 0;
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous))
            {
                var buffer = new byte[BufferSize];
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    size += read;
                    progress?.Report(read);
                }

                digest = Convert.ToHexStringLower(hash.GetHashAndReset());
                if (!File.Exists(ObjectPath(digest))) output.Flush(flushToDisk: true);
            }

            var target = ObjectPath(digest);
            if (File.Exists(target))
            {
                File.Delete(temp);
                return new BlobPutResult(digest, size, Deduplicated: true);
            }

            MakeReadOnly(temp);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            try
            {
                File.Move(temp, target, overwrite: false);
            }
            catch (IOException) when (File.Exists(target))
            {
                // Another writer stored the same bytes first; theirs is identical.
                File.Delete(temp);
                return new BlobPutResult(digest, size, Deduplicated: true);
            }

            return new BlobPutResult(digest, size, Deduplicated: false);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// <see cref="IBlobStore.PutFileAsync"/> reports each byte twice (hashed, then stored or skipped); this store does
    /// both in one pass.
    /// </summary>
    private sealed class Doubled(IProgress<long> inner) : IProgress<long>
    {
        public void Report(long value) => inner.Report(2 * value);
    }

    private async Task WriteImmutableAsync(string target, Func<Stream, Task> write, CancellationToken cancellationToken)
    {
        var temp = TempPath();
        try
        {
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous))
            {
                await write(output);
                output.Flush(flushToDisk: true);
            }

            cancellationToken.ThrowIfCancellationRequested();
            MakeReadOnly(temp);
            File.Move(temp, target, overwrite: false);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private string TempPath()
    {
        var directory = Path.Combine(Root, "tmp");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, Guid.NewGuid().ToString("N") + ".partial");
    }

    private static FileStream OpenSequential(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);

    private static void MakeReadOnly(string path)
    {
        if (OperatingSystem.IsWindows()) File.SetAttributes(path, FileAttributes.ReadOnly);
        else File.SetUnixFileMode(path, ReadOnlyMode);
    }

    private static bool TryDelete(string path)
    {
        try
        {
            if (!File.Exists(path)) return false;
            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            // Leftovers in tmp/ are harmless and cleaned later.
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
            return false;
        }
    }

    private static bool TryHardLink(string source, string target)
    {
        if (OperatingSystem.IsWindows()) return false;
        return Link(source, target) == 0;
    }

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Link(string oldPath, string newPath);
}
