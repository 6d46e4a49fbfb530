namespace Cairn.Files;

/// <summary>The outcome of storing one stream of bytes in a blob store.</summary>
/// <param name="Sha256">Lower-case hex SHA-256 of the bytes; the object's address.</param>
/// <param name="Size">Number of bytes.</param>
/// <param name="Deduplicated">True when an object with these bytes was already stored and nothing was written.</param>
public sealed record BlobPutResult(string Sha256, long Size, bool Deduplicated);

/// <summary>
/// Where the bytes of saved files live: immutable objects addressed by their SHA-256, plus the user-visible lake layout
/// (<c>YYYY/MM/DD/&lt;user&gt;/&lt;artifact id&gt;/…</c>) with <c>metadata.yaml</c> beside the files.
/// </summary>
public interface IBlobStore
{
    /// <summary>The root of the store as a URI (<c>file:///…/</c> or <c>s3://bucket/prefix/</c>).</summary>
    string RootUri { get; }

    /// <summary>
    /// Hashes and stores the file at <paramref name="path"/>, streamed; bytes already stored are not written again.
    /// <paramref name="progress"/> receives byte counts as they are hashed and as they are written (each byte twice).
    /// </summary>
    Task<BlobPutResult> PutFileAsync(string path, IProgress<long>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Hashes and stores a stream (read once, streamed).</summary>
    Task<BlobPutResult> PutStreamAsync(Stream content, CancellationToken cancellationToken = default);

    /// <summary>True when an object with this digest is stored.</summary>
    Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken = default);

    /// <summary>Opens the stored object with this digest for reading; <see cref="FileNotFoundException"/> when it is missing.</summary>
    Task<Stream> OpenObjectAsync(string sha256, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the stored object to the local file <paramref name="targetPath"/> (created, never overwritten) and returns the
    /// SHA-256 of the bytes written, for the caller to compare; <see cref="FileNotFoundException"/> when the object is missing.
    /// <paramref name="expectedSize"/> is the size the caller expects (a manifest's), or null: it only chooses how to transfer.
    /// </summary>
    Task<string> DownloadAsync(string sha256, string targetPath, long? expectedSize = null, IProgress<long>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes the object visible at a lake path (relative to the root) and returns the URL a user opens it at. Never
    /// overwrites an existing entry.
    /// </summary>
    Task<string> PublishAsync(string sha256, string lakePath, CancellationToken cancellationToken = default);

    /// <summary>The URL <see cref="PublishAsync"/> returns for this object at this lake path, without writing anything.</summary>
    string FileLocation(string sha256, string lakePath);

    /// <summary>Writes a small immutable text file at a lake path (relative to the root), such as <c>metadata.yaml</c>.</summary>
    Task WriteTextAsync(string lakePath, string content, CancellationToken cancellationToken = default);

    /// <summary>Opens a lake path (relative to the root) for reading.</summary>
    Task<Stream> OpenLakeAsync(string lakePath, CancellationToken cancellationToken = default);

    /// <summary>A URL a user can open directly for a lake path (relative to the root).</summary>
    string LocationOf(string lakePath);

    /// <summary>The lake paths (relative to the root) of every <c>metadata.yaml</c> in the store, in no particular order.</summary>
    IAsyncEnumerable<string> ListMetadataAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes what interrupted writes left behind (temporary files, incomplete multipart uploads) that is older than
    /// <paramref name="olderThan"/>, and returns how many were removed. Stored objects are never touched.
    /// </summary>
    Task<int> CleanLeftoversAsync(TimeSpan olderThan, CancellationToken cancellationToken = default);
}
