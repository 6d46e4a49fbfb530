namespace Cairn.Files;

/// <summary>The outcome of storing one stream of bytes in a blob store.</summary>
/// <param name="Sha256">Lower-case hex SHA-256 of the bytes; the object's address.</param>
/// <param name="Size">Number of bytes.</param>
/// <param name="Deduplicated">True when an object with these bytes was already stored and nothing was written.</param>
public sealed record BlobPutResult(string Sha256, long Size, bool Deduplicated);

/// <summary>
/// Where the bytes of saved files live: immutable objects addressed by their SHA-256, plus the user-visible lake layout
/// (<c>YYYY/MM/DD/&lt;user&gt;/&lt;artifact id&gt;/files/…</c>) that points at them.
/// </summary>
public interface IBlobStore
{
    /// <summary>The root of the store as a URI (<c>file:///…</c>).</summary>
    string RootUri { get; }

    /// <summary>Hashes and stores the file at <paramref name="path"/>, streamed; bytes already stored are not written again.</summary>
    Task<BlobPutResult> PutFileAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>Hashes and stores a stream (read once, streamed).</summary>
    Task<BlobPutResult> PutStreamAsync(Stream content, CancellationToken cancellationToken = default);

    /// <summary>True when an object with this digest is stored.</summary>
    Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken = default);

    /// <summary>Opens the stored object with this digest for reading.</summary>
    Task<Stream> OpenObjectAsync(string sha256, CancellationToken cancellationToken = default);

    /// <summary>Makes the object visible at a lake path (relative to the root); never overwrites an existing entry.</summary>
    Task PublishAsync(string sha256, string lakePath, CancellationToken cancellationToken = default);

    /// <summary>Writes a small immutable text file at a lake path (relative to the root), such as <c>metadata.yaml</c>.</summary>
    Task WriteTextAsync(string lakePath, string content, CancellationToken cancellationToken = default);

    /// <summary>Opens a lake path (relative to the root) for reading.</summary>
    Task<Stream> OpenLakeAsync(string lakePath, CancellationToken cancellationToken = default);

    /// <summary>A URL a user can open directly for a lake path (relative to the root).</summary>
    string LocationOf(string lakePath);
}
