using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Cairn.Files;

/// <summary>
/// A blob store in an S3 bucket (AWS or an S3-compatible server). Objects live at <c>&lt;prefix&gt;/objects/ab/cdef…</c>
/// and are created only when absent, with <c>If-None-Match: *</c> (S3's conditional create), so an existing object is never
/// overwritten: a small file (up to 1 MiB) is one conditional PUT, a larger one is looked up first so stored bytes are not
/// uploaded again. Large objects are uploaded in parts and downloaded in ranges, several at a time. On a bucket with S3
/// Object Lock every write carries a checksum (S3 requires one there), and <see cref="S3BlobStoreOptions.RetentionMode"/>
/// gives each object a retention of its own, extended (never shortened) on an object a save reuses, so reused bytes are
/// retained the full period from every save that reuses them.
/// </summary>
/// <remarks>
/// S3 has no hard links, so the lake directory (<c>YYYY/MM/DD/&lt;user&gt;/&lt;id&gt;/</c>) holds <c>metadata.yaml</c>
/// and each file's location is the one stored object (<c>s3://bucket/prefix/objects/…</c>): copying the bytes into the
/// lake would store every saved file twice and undo deduplication.
/// </remarks>
public sealed class S3BlobStore : IBlobStore, IDisposable
{
    private const int BufferSize = 1 << 20;

    /// <summary>Files up to this size are read into memory once, hashed and sent from there.</summary>
    private const int InMemoryLimit = 1 << 20;

    /// <summary>How often a conditional create answered 409 ConditionalRequestConflict is tried again.</summary>
    private const int ConflictRetries = 5;
    private readonly IAmazonS3 _client;
    private readonly S3BlobStoreOptions _options;
    private readonly bool _ownsClient;
    private readonly SemaphoreSlim _readyLock = new(1, 1);
    private bool _ready;

    /// <summary>Whether the bucket has Object Lock, learned before the first write.</summary>
    private volatile BucketLock _bucketLock;

    /// <summary>What the store knows of the bucket's Object Lock.</summary>
    private enum BucketLock
    {
        /// <summary>Not asked yet.</summary>
        Unchecked,

        /// <summary>The bucket has none (or the server does not implement it).</summary>
        Off,

        /// <summary>The bucket has Object Lock.</summary>
        On,

        /// <summary>The bucket's configuration could not be read (refused): writes carry checksums, as on a locked bucket.</summary>
        Unreadable,
    }

    /// <summary>Opens a blob store with a client built from <paramref name="options"/> and the AWS environment.</summary>
    public S3BlobStore(S3BlobStoreOptions options)
        : this(options, CreateClient(options), ownsClient: true)
    {
    }

    /// <summary>Opens a blob store over an existing client (which the store does not dispose).</summary>
    public S3BlobStore(S3BlobStoreOptions options, IAmazonS3 client)
        : this(options, client, ownsClient: false)
    {
    }

    private S3BlobStore(S3BlobStoreOptions options, IAmazonS3 client, bool ownsClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(client);
        if (options.PartSize < 5L << 20) throw new ArgumentOutOfRangeException(nameof(options), "PartSize must be at least 5 MiB (S3's minimum part size).");
        if (options.Parallelism < 1) throw new ArgumentOutOfRangeException(nameof(options), "Parallelism must be at least 1.");
        if (options.RetentionDays is < 1 or > S3BlobStoreOptions.MaxRetentionDays) throw new ArgumentOutOfRangeException(nameof(options), $"RetentionDays must be from 1 to {S3BlobStoreOptions.MaxRetentionDays}.");
        if ((options.RetentionMode is null) != (options.RetentionDays is null)) throw new ArgumentException("RetentionMode and RetentionDays must be set together (S3 Object Lock retention needs a mode and a period).", nameof(options));
        _options = options;
        _client = client;
        _ownsClient = ownsClient;
    }

    /// <summary>Where the store lives.</summary>
    public S3BlobStoreOptions Options => _options;

    /// <inheritdoc/>
    public string RootUri => _options.RootUri;

    /// <summary>A client for the options: the endpoint, region and path style they name; credentials from the AWS SDK's default chain.</summary>
    public static AmazonS3Client CreateClient(S3BlobStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new AmazonS3Config { MaxErrorRetry = 3, Timeout = TimeSpan.FromMinutes(5) };
        if (options.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = options.EffectiveRegion;
            config.ForcePathStyle = options.ForcePathStyle ?? true;

            // S3-compatible servers often reject the SDK's default streamed checksums (aws-chunked trailers); send them
            // only where an operation requires them, unless the environment says otherwise.
            if (Environment.GetEnvironmentVariable("AWS_REQUEST_CHECKSUM_CALCULATION") is not { Length: > 0 }) config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            if (Environment.GetEnvironmentVariable("AWS_RESPONSE_CHECKSUM_VALIDATION") is not { Length: > 0 }) config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.EffectiveRegion);
            config.ForcePathStyle = options.ForcePathStyle ?? false;
        }

        return new AmazonS3Client(config);
    }

    /// <summary>The key of the object with this digest.</summary>
    public string ObjectKey(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower)) throw new ArgumentException(FilesMessages.BadDigest(sha256), nameof(sha256));
        return _options.Key("objects/" + sha256[..2] + "/" + sha256[2..]);
    }

    /// <inheritdoc/>
    public async Task<BlobPutResult> PutFileAsync(string path, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        await EnsureWritableAsync(cancellationToken);

        // A small file is read once into memory, hashed and sent from there with one conditional PUT and no HEAD first: the
        // bytes hashed are the bytes sent (nothing to check afterwards), and a 412 says the object is already stored. Small
        // files are bound by requests, not bytes, so resending up to 1 MiB that turns out to be stored costs less than
        // asking first every time.
        var length = new FileInfo(path).Length;
        if (length <= InMemoryLimit)
        {
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
            var hash = SHA256.HashData(bytes);
            var sha256 = Convert.ToHexStringLower(hash);
            progress?.Report(bytes.Length);
            var key = ObjectKey(sha256);
            var stored = await CreateOnceAsync(key, () => PutBytesAsync(bytes, hash, key, cancellationToken), cancellationToken);
            if (!stored) await KeepRetainedAsync(key, head: null, cancellationToken);
            progress?.Report(bytes.Length);
            return new BlobPutResult(sha256, bytes.Length, Deduplicated: !stored);
        }

        // Hash first without uploading: large bytes already stored are never uploaded again.
        string digest;
        long size;
        await using (var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan))
        {
            (digest, size) = await LocalBlobStore.HashAsync(source, cancellationToken, progress);
        }

        var objectKey = ObjectKey(digest);
        if (await HeadAsync(objectKey, cancellationToken) is { } existing)
        {
            await KeepRetainedAsync(objectKey, existing, cancellationToken);
            progress?.Report(size);
            return new BlobPutResult(digest, size, Deduplicated: true);
        }

        bool created;
        if (size >= _options.MultipartThreshold)
        {
            created = await UploadMultipartAsync(path, size, objectKey, progress, cancellationToken);
        }
        else
        {
            created = await CreateOnceAsync(objectKey, () => ConditionalPutAsync(objectKey, r => r.FilePath = path, Convert.FromHexString(digest), cancellationToken), cancellationToken);
            progress?.Report(size);
        }

        if (!created)
        {
            // Another writer stored the bytes first (a 412 on the PUT or the multipart completion).
            await KeepRetainedAsync(objectKey, head: null, cancellationToken);
            return new BlobPutResult(digest, size, Deduplicated: true);
        }

        // The upload read the file again: a file that changed since it was hashed has another size (or, undetected here,
        // other bytes of the same size, which load and verify catch by the digest).
        if (!await HasSizeAsync(objectKey, size, cancellationToken)) throw new IOException(FilesMessages.ChangedWhileSaving(path) + " (" + digest + ")");
        return new BlobPutResult(digest, size, Deduplicated: false);
    }

    /// <inheritdoc/>
    public async Task<BlobPutResult> PutStreamAsync(Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);

        // Spooled to a local temporary file, so a stream of any size is read once and never held in memory.
        var temp = Path.Combine(Path.GetTempPath(), "cairn-s3-" + Guid.NewGuid().ToString("N") + ".partial");
        try
        {
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(output, BufferSize, cancellationToken);
            }

            return await PutFileAsync(temp, progress: null, cancellationToken);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <inheritdoc/>
    public async Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken = default) =>
        await SizeOfAsync(ObjectKey(sha256), cancellationToken) is not null;

    /// <inheritdoc/>
    public async Task<Stream> OpenObjectAsync(string sha256, CancellationToken cancellationToken = default)
    {
        var key = ObjectKey(sha256);
        return await OpenKeyAsync(key, FilesMessages.ObjectMissing(sha256, LocationOfKey(key)), cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// An object expected to be small is one <c>GET</c>, without asking its size first (small files are bound by requests);
    /// others are asked about, and a large one is read in ranges. The expected size only chooses: whatever is written is
    /// verified by its digest.
    /// </remarks>
    public async Task<string> DownloadAsync(string sha256, string targetPath, long? expectedSize = null, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var key = ObjectKey(sha256);
        var size = expectedSize is >= 0 and var expected && expected < _options.MultipartThreshold
            ? expected
            : await SizeOfAsync(key, cancellationToken) ?? throw new FileNotFoundException(FilesMessages.ObjectMissing(sha256, LocationOfKey(key)));
        if (size < _options.MultipartThreshold)
        {
            await using var source = await OpenKeyAsync(key, FilesMessages.ObjectMissing(sha256, LocationOfKey(key)), cancellationToken);
            await using var output = new FileStream(targetPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous);
            return await LocalBlobStore.CopyHashingAsync(source, output, progress, cancellationToken);
        }

        // Ranges in parallel, each written at its offset; then the file is hashed as written, so what is verified is
        // exactly what the caller gets.
        using (var handle = File.OpenHandle(targetPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.Asynchronous, preallocationSize: size))
        {
            var ranges = (int)((size + _options.PartSize - 1) / _options.PartSize);
            await Parallel.ForEachAsync(Enumerable.Range(0, ranges), new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism, CancellationToken = cancellationToken }, async (i, token) =>
            {
                var start = i * _options.PartSize;
                var end = Math.Min(size, start + _options.PartSize) - 1;
                var request = new GetObjectRequest { BucketName = _options.Bucket, Key = key, ByteRange = new ByteRange(start, end) };
                using var response = await CallAsync(() => _client.GetObjectAsync(request, token), token);
                var buffer = new byte[BufferSize];
                var offset = start;
                int read;
                while ((read = await response.ResponseStream.ReadAsync(buffer, token)) > 0)
                {
                    await RandomAccess.WriteAsync(handle, buffer.AsMemory(0, read), offset, token);
                    offset += read;
                    progress?.Report(read);
                }

                if (offset != end + 1) throw new IOException(FilesMessages.ShortRange(LocationOfKey(key), start, end, offset));
            });
        }

        await using var written = new FileStream(targetPath, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return (await LocalBlobStore.HashAsync(written, cancellationToken)).Sha256;
    }

    /// <inheritdoc/>
    /// <remarks>On S3 nothing is written: the location is the stored object itself, which the caller has just put (see the class remarks).</remarks>
    public Task<string> PublishAsync(string sha256, string lakePath, CancellationToken cancellationToken = default) =>
        Task.FromResult(FileLocation(sha256, lakePath));

    /// <inheritdoc/>
    public string FileLocation(string sha256, string lakePath)
    {
        LakeKey(lakePath);
        return LocationOfKey(ObjectKey(sha256));
    }

    /// <inheritdoc/>
    public async Task WriteTextAsync(string lakePath, string content, CancellationToken cancellationToken = default)
    {
        await EnsureWritableAsync(cancellationToken);
        var key = LakeKey(lakePath);

        // Asked first as well (one request per save, not per file), so a lake entry is not overwritten even on a server that
        // ignores If-None-Match.
        if (await SizeOfAsync(key, cancellationToken) is not null) throw new IOException(FilesMessages.NeverOverwrite(LocationOfKey(key)));
        var created = await CreateOnceAsync(
            key,
            () => ConditionalPutAsync(
                key,
                r =>
                {
                    r.ContentBody = content;
                    r.ContentType = "text/plain; charset=utf-8";
                },
                SHA256.HashData(Encoding.UTF8.GetBytes(content)),
                cancellationToken),
            cancellationToken);
        if (!created) throw new IOException(FilesMessages.NeverOverwrite(LocationOfKey(key)));
    }

    /// <inheritdoc/>
    public async Task<Stream> OpenLakeAsync(string lakePath, CancellationToken cancellationToken = default)
    {
        var key = LakeKey(lakePath);
        return await OpenKeyAsync(key, FilesMessages.LakeEntryMissing(LocationOfKey(key)), cancellationToken);
    }

    /// <inheritdoc/>
    public string LocationOf(string lakePath) => LocationOfKey(LakeKey(lakePath));

    /// <inheritdoc/>
    public async IAsyncEnumerable<string> ListMetadataAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await EnsureReadyAsync(cancellationToken);
        var root = _options.Key(string.Empty);

        // Only the year "directories" hold artifacts. Keys are listed in byte order, where "2024/…" comes before
        // "objects/…", so the listing stops at the first key past the digits and objects/ is not walked
        // (a delimiter listing would say the same in fewer pages, but not every S3-compatible server implements it).
        await foreach (var page in ListAsync(root, cancellationToken))
        {
            foreach (var entry in page.S3Objects ?? [])
            {
                var relative = entry.Key[root.Length..];
                if (relative.Length > 0 && relative[0] > '9') yield break;
                if (relative.Length > 5 && relative[4] == '/' && relative[..4].All(char.IsAsciiDigit) && relative.EndsWith("/metadata.yaml", StringComparison.Ordinal)) yield return relative;
            }
        }
    }

    /// <inheritdoc/>
    public async Task<int> CleanLeftoversAsync(TimeSpan olderThan, CancellationToken cancellationToken = default)
    {
        await EnsureReadyAsync(cancellationToken);
        var before = DateTime.UtcNow - olderThan;
        var removed = 0;
        var request = new ListMultipartUploadsRequest { BucketName = _options.Bucket, Prefix = _options.Key("objects/") };
        while (true)
        {
            ListMultipartUploadsResponse page;
            try
            {
                page = await CallAsync(() => _client.ListMultipartUploadsAsync(request, cancellationToken), cancellationToken);
            }
            catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.NotImplemented or HttpStatusCode.MethodNotAllowed)
            {
                // Some S3-compatible servers cannot list uploads; there is nothing to clean that we can see.
                return removed;
            }

            foreach (var upload in page.MultipartUploads ?? [])
            {
                if (upload.Initiated is { } initiated && initiated.ToUniversalTime() > before) continue;
                await AbortAsync(upload.Key, upload.UploadId);
                removed++;
            }

            if (page.IsTruncated != true) return removed;
            request.KeyMarker = page.NextKeyMarker;
            request.UploadIdMarker = page.NextUploadIdMarker;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsClient) _client.Dispose();
        _readyLock.Dispose();
    }

    private string LakeKey(string lakePath)
    {
        var segments = lakePath.Split('/');
        if (lakePath.Length == 0 || lakePath.StartsWith('/') || segments.Any(s => s is "." or "..") || lakePath.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException(FilesMessages.OutsideRoot(lakePath), nameof(lakePath));
        }

        return _options.Key(lakePath);
    }

    /// <summary>
    /// AWS takes uploads as signed aws-chunked streams; many S3-compatible servers store those chunk headers as content,
    /// so against a custom endpoint the body is sent whole (its SHA-256 signed up front).
    /// </summary>
    private bool ChunkEncoding => _options.Endpoint is null;

    private string LocationOfKey(string key) => "s3://" + _options.Bucket + "/" + key;

    /// <summary>Checks once that the bucket can be reached with these credentials, so the first error names the real cause.</summary>
    private async Task EnsureReadyAsync(CancellationToken cancellationToken)
    {
        if (_ready) return;
        await _readyLock.WaitAsync(cancellationToken);
        try
        {
            if (_ready) return;
            try
            {
                await _client.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = _options.Bucket }, cancellationToken);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound || e.ErrorCode == "NoSuchBucket")
            {
                throw new NotFoundException(FilesMessages.S3NoBucket(_options.Bucket, _options.Describe()), e);
            }
            catch (AmazonS3Exception e) when (e.ErrorCode == "AccessDenied")
            {
                // Credentials limited to the objects may not read the bucket's location; the calls that follow say more.
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && Translate(e) is { } translated)
            {
                throw translated;
            }

            _ready = true;
        }
        finally
        {
            _readyLock.Release();
        }
    }

    /// <summary>
    /// Before the first write: checks the bucket (<see cref="EnsureReadyAsync"/>) and learns once whether it has Object Lock.
    /// A retention setting on a bucket known to have no Object Lock fails here, before anything is written or recorded.
    /// </summary>
    private async Task EnsureWritableAsync(CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken);
        if (_bucketLock == BucketLock.Unchecked)
        {
            await _readyLock.WaitAsync(cancellationToken);
            try
            {
                if (_bucketLock == BucketLock.Unchecked) _bucketLock = await ProbeObjectLockAsync(cancellationToken);
            }
            finally
            {
                _readyLock.Release();
            }
        }

        if (_bucketLock == BucketLock.Off && _options.DescribeRetention() is { } retention)
        {
            throw new FailedPreconditionException(FilesMessages.S3NoObjectLock(_options.Bucket, retention, _options.Describe()));
        }
    }

    /// <summary>Reads the bucket's Object Lock configuration; a refusal never fails a save, it only leaves the answer unknown.</summary>
    private async Task<BucketLock> ProbeObjectLockAsync(CancellationToken cancellationToken)
    {
        try
        {
            var response = await _client.GetObjectLockConfigurationAsync(new GetObjectLockConfigurationRequest { BucketName = _options.Bucket }, cancellationToken);
            return response.ObjectLockConfiguration?.ObjectLockEnabled == ObjectLockEnabled.Enabled ? BucketLock.On : BucketLock.Off;
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.NotImplemented or HttpStatusCode.MethodNotAllowed)
        {
            // ObjectLockConfigurationNotFoundError, or a server without Object Lock at all.
            return BucketLock.Off;
        }
        catch (AmazonS3Exception)
        {
            // Refused (no s3:GetBucketObjectLockConfiguration) or not understood: send checksums, and let S3 judge any retention.
            return BucketLock.Unreadable;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && Translate(e) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>Writes carry a checksum unless the bucket is known to have no Object Lock (S3 refuses them without one there).</summary>
    private bool SendChecksums => _bucketLock is BucketLock.On or BucketLock.Unreadable;

    /// <summary>The retention mode a new object is given, or null.</summary>
    private ObjectLockMode? RetentionMode => _options.RetentionMode switch
    {
        S3RetentionMode.Governance => ObjectLockMode.Governance,
        S3RetentionMode.Compliance => ObjectLockMode.Compliance,
        _ => null,
    };

    /// <summary>The end of a new object's retention: its period from now.</summary>
    private DateTime? RetainUntil => _options.RetentionDays is { } days ? DateTime.UtcNow.AddDays(days) : null;

    /// <summary>
    /// With a retention setting, makes an object this save reuses instead of writing it (deduplicated) retained at least
    /// the setting's period from now, as a new object would be: its retention is read (from <paramref name="head"/> when
    /// that has it, else with <c>GetObjectRetention</c>) and, only where it ends earlier or is absent, extended with
    /// <c>PutObjectRetention</c>. Without a setting nothing is asked.
    /// </summary>
    /// <remarks>
    /// A retention in force keeps its mode (S3 lets either mode be extended but never a COMPLIANCE one weakened, nor a
    /// GOVERNANCE one changed without bypassing it), so a COMPLIANCE object stays COMPLIANCE under a GOVERNANCE setting and a
    /// GOVERNANCE one stays GOVERNANCE under a COMPLIANCE setting; an object without one, or whose retention has ended, gets
    /// the setting's mode. A refusal fails the save before anything is recorded, naming the object and what to grant,
    /// unless the retention, read again, already lasts long enough (a concurrent save extended it further first).
    /// </remarks>
    private async Task KeepRetainedAsync(string key, GetObjectMetadataResponse? head, CancellationToken cancellationToken)
    {
        if (RetentionMode is not { } setting || RetainUntil is not { } target) return;
        var (mode, until) = head is { ObjectLockMode: { } headMode, ObjectLockRetainUntilDate: { } headUntil }
            ? (headMode == ObjectLockMode.Compliance ? ObjectLockRetentionMode.Compliance : ObjectLockRetentionMode.Governance, headUntil.ToUniversalTime())
            : await ReadRetentionAsync(key, cancellationToken);
        if (until >= target) return;

        var keep = mode is not null && until > DateTime.UtcNow ? mode : setting == ObjectLockMode.Compliance ? ObjectLockRetentionMode.Compliance : ObjectLockRetentionMode.Governance;
        var request = new PutObjectRetentionRequest
        {
            BucketName = _options.Bucket,
            Key = key,
            Retention = new ObjectLockRetention { Mode = keep, RetainUntilDate = target },
        };
        try
        {
            await _client.PutObjectRetentionAsync(request, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.BadRequest && !MissingObjectLock(e))
        {
            var (_, now) = await ReadRetentionAsync(key, cancellationToken);
            if (now >= target) return;
            var current = until is { } u ? mode + " until " + u.ToString("O", CultureInfo.InvariantCulture) : "no retention";
            throw new FailedPreconditionException(
                FilesMessages.S3RetentionNotExtended(LocationOfKey(key), current, keep.Value, target.ToString("O", CultureInfo.InvariantCulture), _options.DescribeRetention()!, e.ErrorCode ?? e.StatusCode.ToString(), e.Message, _options.Bucket, key),
                e);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && Translate(e) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>An object's retention (mode and retain-until date, UTC), both null when it has none.</summary>
    private async Task<(ObjectLockRetentionMode? Mode, DateTime? Until)> ReadRetentionAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _client.GetObjectRetentionAsync(new GetObjectRetentionRequest { BucketName = _options.Bucket, Key = key }, cancellationToken);
            return response.Retention is { Mode: { } mode, RetainUntilDate: { } until } ? (mode, until.ToUniversalTime()) : (null, null);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchObjectLockConfiguration")
        {
            return (null, null);
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.BadRequest && !MissingObjectLock(e))
        {
            throw new FailedPreconditionException(
                FilesMessages.S3RetentionUnreadable(LocationOfKey(key), _options.DescribeRetention()!, e.ErrorCode ?? e.StatusCode.ToString(), e.Message),
                e);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && Translate(e) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>S3's refusal of retention on a bucket without Object Lock, which <see cref="Translate"/> words.</summary>
    private static bool MissingObjectLock(AmazonS3Exception e) =>
        e.ErrorCode == "InvalidRequest" && e.Message.Contains("missing Object Lock Configuration", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the object just uploaded has <paramref name="size"/> bytes: a file that changed while it was read does not.</summary>
    private async Task<bool> HasSizeAsync(string key, long size, CancellationToken cancellationToken)
    {
        // S3 reads its writes, but some S3-compatible servers acknowledge a PUT before the object is fully on their disk
        // (s3rver answers once it has read the body, and a HEAD then sees a shorter file), so a short or missing object is
        // asked about again briefly; a longer one, or one that stays short, is a real change.
        for (var attempt = 0; ; attempt++)
        {
            var stored = await SizeOfAsync(key, cancellationToken);
            if (stored == size) return true;
            if (stored > size || attempt == 4) return false;
            await Task.Delay(TimeSpan.FromMilliseconds(50 << attempt), cancellationToken);
        }
    }

    private async Task<long?> SizeOfAsync(string key, CancellationToken cancellationToken) =>
        (await HeadAsync(key, cancellationToken))?.ContentLength;

    /// <summary>One <c>HEAD</c> of <paramref name="key"/>: its size and, where the caller may read it, its Object Lock retention; null when absent.</summary>
    private async Task<GetObjectMetadataResponse?> HeadAsync(string key, CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken);
        try
        {
            return await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _options.Bucket, Key = key }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && Translate(e) is { } translated)
        {
            throw translated;
        }
    }

    private async Task<Stream> OpenKeyAsync(string key, string missing, CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken);
        try
        {
            var response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = _options.Bucket, Key = key }, cancellationToken);
            return response.ResponseStream;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new FileNotFoundException(missing, LocationOfKey(key), e);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && Translate(e) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>
    /// Runs a conditional create (<c>If-None-Match: *</c>) of <paramref name="key"/>: true when this call created the
    /// object, false when the key already held one (412 Precondition Failed), which is never overwritten.
    /// </summary>
    /// <remarks>
    /// S3 answers 409 ConditionalRequestConflict while another write of the key is in progress and says to retry: the retry
    /// then meets the other writer's object (412) or creates it (the other write failed). The conflict is never taken as
    /// "already stored", since the other write may yet fail; one that outlasts the retries fails the save as Aborted.
    /// </remarks>
    private async Task<bool> CreateOnceAsync(string key, Func<Task> create, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await create();
                return true;
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
            {
                return false;
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
                if (attempt == ConflictRetries) throw new AbortedException(FilesMessages.S3Conflict(LocationOfKey(key)), e);
                await Task.Delay(TimeSpan.FromMilliseconds(50 << attempt), cancellationToken);
            }
        }
    }

    /// <summary>One conditional PUT of bytes held in memory (a fresh body each attempt).</summary>
    private async Task PutBytesAsync(byte[] bytes, byte[] sha256, string key, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(bytes, writable: false);
        await ConditionalPutAsync(
            key,
            r =>
            {
                r.InputStream = body;
                r.AutoCloseStream = false;
            },
            sha256,
            cancellationToken);
    }

    /// <summary>
    /// One <c>PUT</c> of <paramref name="key"/> with <c>If-None-Match: *</c>, its body (and type) set by <paramref name="body"/>,
    /// whose SHA-256 is <paramref name="sha256"/>; with the retention setting's Object Lock headers.
    /// </summary>
    /// <remarks>
    /// Where a checksum is sent it is that SHA-256, already computed: nothing is read twice, and S3 checks that the bytes
    /// it stores are the ones the content address names.
    /// </remarks>
    private Task ConditionalPutAsync(string key, Action<PutObjectRequest> body, byte[] sha256, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest
        {
            BucketName = _options.Bucket,
            Key = key,
            ContentType = "application/octet-stream",
            IfNoneMatch = "*",
            UseChunkEncoding = ChunkEncoding,
        };
        body(request);
        if (SendChecksums) request.ChecksumSHA256 = Convert.ToBase64String(sha256);
        if (RetentionMode is { } mode)
        {
            request.ObjectLockMode = mode;
            request.ObjectLockRetainUntilDate = RetainUntil;
        }

        return CallAsync(() => _client.PutObjectAsync(request, cancellationToken), cancellationToken);
    }

    /// <returns>True when this call created the object; false when another writer created it first.</returns>
    private async Task<bool> UploadMultipartAsync(string path, long size, string key, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        // A 409 on completion means a conflicting write of the key was in progress; S3 says to upload again from the start.
        for (var attempt = 0; ; attempt++)
        {
            var completed = await UploadPartsAsync(path, size, key, progress, cancellationToken);
            if (completed is { } created) return created;
            if (attempt == ConflictRetries) throw new AbortedException(FilesMessages.S3Conflict(LocationOfKey(key)));
            await Task.Delay(TimeSpan.FromMilliseconds(50 << attempt), cancellationToken);
            if (await SizeOfAsync(key, cancellationToken) is not null) return false;
        }
    }

    /// <returns>True when this call created the object, false when the key already held one, null on a conflict (retry).</returns>
    private async Task<bool?> UploadPartsAsync(string path, long size, string key, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var initiate = new InitiateMultipartUploadRequest { BucketName = _options.Bucket, Key = key, ContentType = "application/octet-stream" };
        if (SendChecksums) initiate.ChecksumAlgorithm = ChecksumAlgorithm.CRC32;
        if (RetentionMode is { } mode)
        {
            initiate.ObjectLockMode = mode;
            initiate.ObjectLockRetainUntilDate = RetainUntil;
        }

        var started = await CallAsync(() => _client.InitiateMultipartUploadAsync(initiate, cancellationToken), cancellationToken);
        var uploadId = started.UploadId;
        try
        {
            var parts = (int)((size + _options.PartSize - 1) / _options.PartSize);
            var etags = new PartETag[parts];
            await Parallel.ForEachAsync(Enumerable.Range(0, parts), new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism, CancellationToken = cancellationToken }, async (i, token) =>
            {
                var position = i * _options.PartSize;
                var length = Math.Min(_options.PartSize, size - position);
                var request = new UploadPartRequest
                {
                    BucketName = _options.Bucket,
                    Key = key,
                    UploadId = uploadId,
                    PartNumber = i + 1,
                    FilePath = path,
                    FilePosition = position,
                    PartSize = length,
                    UseChunkEncoding = ChunkEncoding,
                };

                // Every part of a locked bucket's object carries a checksum too, computed by the SDK as the part is read.
                if (SendChecksums) request.ChecksumAlgorithm = ChecksumAlgorithm.CRC32;
                var response = await CallAsync(() => _client.UploadPartAsync(request, token), token);
                etags[i] = new PartETag(i + 1, response.ETag) { ChecksumCRC32 = response.ChecksumCRC32 };
                progress?.Report(length);
            });

            var complete = new CompleteMultipartUploadRequest
            {
                BucketName = _options.Bucket,
                Key = key,
                UploadId = uploadId,
                PartETags = [.. etags],
                IfNoneMatch = "*",
            };
            await CallAsync(() => _client.CompleteMultipartUploadAsync(complete, cancellationToken), cancellationToken);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
        {
            await AbortAsync(key, uploadId);
            return e.StatusCode == HttpStatusCode.PreconditionFailed ? false : null;
        }
        catch
        {
            await AbortAsync(key, uploadId);
            throw;
        }
    }

    private async Task AbortAsync(string key, string uploadId)
    {
        try
        {
            // Not cancellable: an interrupted upload should not leave its parts behind when it can help it.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _options.Bucket, Key = key, UploadId = uploadId }, timeout.Token);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException or OperationCanceledException)
        {
            // What stays behind is removed by 'cairn reindex' (CleanLeftoversAsync).
        }
    }

    private async IAsyncEnumerable<ListObjectsV2Response> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = _options.Bucket, Prefix = prefix };
        while (true)
        {
            var page = await CallAsync(() => _client.ListObjectsV2Async(request, cancellationToken), cancellationToken);
            yield return page;
            if (page.IsTruncated != true || string.IsNullOrEmpty(page.NextContinuationToken)) yield break;
            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    /// <summary>Runs one S3 call, translating unreachable endpoints and refused credentials into the Cairn taxonomy.</summary>
    private async Task<T> CallAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && Translate(e) is { } translated)
        {
            throw translated;
        }
    }

    private CairnException? Translate(Exception e)
    {
        var where = _options.Describe();
        switch (e)
        {
            case AmazonS3Exception { ErrorCode: "NoSuchBucket" } s3:
                return new NotFoundException(FilesMessages.S3NoBucket(_options.Bucket, where), s3);
            case AmazonS3Exception { StatusCode: HttpStatusCode.Forbidden } s3:
                return new FailedPreconditionException(FilesMessages.S3Denied(where, s3.ErrorCode ?? "AccessDenied", s3.Message), s3);
            case AmazonS3Exception { ErrorCode: "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "ExpiredToken" or "InvalidToken" } s3:
                return new FailedPreconditionException(FilesMessages.S3Denied(where, s3.ErrorCode, s3.Message), s3);
            case AmazonS3Exception { ErrorCode: "InvalidRequest" } s3 when s3.Message.Contains("Object Lock", StringComparison.OrdinalIgnoreCase):
                return s3.Message.Contains("missing Object Lock Configuration", StringComparison.OrdinalIgnoreCase) && _options.DescribeRetention() is { } retention
                    ? new FailedPreconditionException(FilesMessages.S3NoObjectLock(_options.Bucket, retention, where), s3)
                    : new FailedPreconditionException(FilesMessages.S3ObjectLockRefused(where, s3.Message), s3);
            case AmazonS3Exception:
                return null;
            case AmazonClientException client when client.Message.Contains("credential", StringComparison.OrdinalIgnoreCase):
                return new FailedPreconditionException(FilesMessages.S3NoCredentials(where), client);
            case HttpRequestException or SocketException or TimeoutException:
            case AmazonClientException { InnerException: HttpRequestException or SocketException }:
            case TaskCanceledException:
                return new StoreUnavailableException(FilesMessages.S3Unreachable(where, e.GetBaseException().Message), e);
            default:
                return null;
        }
    }
}
