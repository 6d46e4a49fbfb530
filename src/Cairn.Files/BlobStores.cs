namespace Cairn.Files;

/// <summary>Opens blob stores by URI.</summary>
public static class BlobStores
{
    /// <summary>
    /// Opens <c>file:///path</c>, a plain directory path, or <c>s3://bucket/prefix</c> (see <see cref="S3BlobStoreOptions.Parse"/>).
    /// </summary>
    public static IBlobStore Open(string uri)
    {
        ArgumentException.ThrowIfNullOrEmpty(uri);
        if (uri.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || !parsed.IsFile) throw new InvalidArgumentException(BadUri(uri));
            return new LocalBlobStore(parsed.LocalPath);
        }

        if (uri.StartsWith("s3:", StringComparison.OrdinalIgnoreCase))
        {
            return new S3BlobStore(S3BlobStoreOptions.Parse(uri));
        }

        if (uri.Contains("://", StringComparison.Ordinal)) throw new InvalidArgumentException(BadUri(uri));
        return new LocalBlobStore(uri);
    }

    private static string BadUri(string uri) => $"'{uri}' is not a blob store URI; use file:///absolute/path, a directory path or s3://bucket/prefix.";
}
