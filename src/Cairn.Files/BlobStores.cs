namespace Cairn.Files;

/// <summary>Opens blob stores by URI.</summary>
public static class BlobStores
{
    /// <summary>
    /// Opens <c>file:///path</c> or a plain directory path. <c>s3://</c> is not available yet.
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
            throw new UnimplementedException("S3 blob stores are not available in this build yet; use a local directory (file:///path).");
        }

        if (uri.Contains("://", StringComparison.Ordinal)) throw new InvalidArgumentException(BadUri(uri));
        return new LocalBlobStore(uri);
    }

    private static string BadUri(string uri) => $"'{uri}' is not a blob store URI; use file:///absolute/path or a directory path.";
}
