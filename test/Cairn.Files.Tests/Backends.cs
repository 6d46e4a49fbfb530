using Amazon.S3.Model;

namespace Cairn.Files.Tests;

/// <summary>A kind of blob store the files tests run against: what a workspace needs to use it and to look inside it.</summary>
public abstract class BlobBackend
{
    /// <summary>Prepares the backend for a new workspace (a fresh bucket, environment variables).</summary>
    public abstract Task<BackendInstance> CreateAsync(Workspace workspace);
}

/// <summary>One workspace's blob store.</summary>
public abstract class BackendInstance : IDisposable
{
    /// <summary>The root as given to <c>--blobs</c> / <c>CAIRN_BLOBS</c>.</summary>
    public abstract string BlobsUri { get; }

    /// <summary>Opens the store; <paramref name="smallParts"/> makes S3 use 5 MiB parts, so large-file tests stay small.</summary>
    public abstract IBlobStore Open(bool smallParts = false);

    /// <summary>How many content-addressed objects are stored.</summary>
    public abstract Task<int> CountObjectsAsync();

    /// <summary>How many leftovers of interrupted writes are visible (temporary files, open multipart uploads).</summary>
    public abstract Task<int> CountLeftoversAsync();

    /// <summary>Whether leftovers of interrupted writes can be listed, and so cleaned by reindex.</summary>
    public virtual bool ListsLeftovers => true;

    /// <summary>Leaves what an interrupted write leaves behind (a temporary file, an incomplete multipart upload).</summary>
    public abstract Task CreateLeftoverAsync();

    /// <summary>Writes bytes at an object's key behind Cairn's back (replacing any), as damage or another writer would.</summary>
    public abstract Task TamperAsync(string sha256, byte[] content);

    public virtual void Dispose() => GC.SuppressFinalize(this);
}

/// <summary>A local directory: the default <c>blobs/</c> beside the SQLite store.</summary>
public sealed class LocalBackend : BlobBackend
{
    public override Task<BackendInstance> CreateAsync(Workspace workspace) => Task.FromResult<BackendInstance>(new Instance(workspace.BlobRoot));

    private sealed class Instance(string root) : BackendInstance
    {
        public override string BlobsUri => root;

        public override IBlobStore Open(bool smallParts = false) => new LocalBlobStore(root);

        public override Task<int> CountObjectsAsync()
        {
            var objects = Path.Combine(root, "objects");
            return Task.FromResult(Directory.Exists(objects) ? Directory.EnumerateFiles(objects, "*", SearchOption.AllDirectories).Count() : 0);
        }

        public override Task<int> CountLeftoversAsync()
        {
            var tmp = Path.Combine(root, "tmp");
            return Task.FromResult(Directory.Exists(tmp) ? Directory.EnumerateFiles(tmp).Count() : 0);
        }

        public override async Task CreateLeftoverAsync()
        {
            Directory.CreateDirectory(Path.Combine(root, "tmp"));
            await File.WriteAllTextAsync(Path.Combine(root, "tmp", Guid.NewGuid().ToString("N") + ".partial"), "half");
        }

        public override async Task TamperAsync(string sha256, byte[] content)
        {
            var path = new LocalBlobStore(root).ObjectPath(sha256);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (File.Exists(path) && !OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            await File.WriteAllBytesAsync(path, content);
        }
    }
}

/// <summary>An S3-compatible server (<see cref="TestS3"/>): a fresh bucket per workspace, under the prefix <c>lake</c>.</summary>
public sealed class S3Backend : BlobBackend
{
    /// <summary>Whether the bucket is created with S3 Object Lock.</summary>
    public bool ObjectLock { get; init; }

    /// <summary>The bucket's default Object Lock retention (which implies <see cref="ObjectLock"/>), or none.</summary>
    public Amazon.S3.Model.DefaultRetention? DefaultRetention { get; init; }

    /// <summary>Query parameters appended to the blob store URI, such as <c>?object-lock-mode=governance&amp;object-lock-days=1</c>.</summary>
    public string UriParameters { get; init; } = string.Empty;

    public override async Task<BackendInstance> CreateAsync(Workspace workspace)
    {
        var endpoint = TestS3.Endpoint;
        var bucket = await TestS3.CreateBucketAsync(endpoint, ObjectLock, DefaultRetention);
        return new Instance(endpoint, bucket, UriParameters);
    }

    private sealed class Instance : BackendInstance
    {
        private readonly string _endpoint;
        private readonly string _bucket;
        private readonly string _parameters;
        private readonly Dictionary<string, string?> _saved = new(StringComparer.Ordinal);

        public Instance(string endpoint, string bucket, string parameters)
        {
            _endpoint = endpoint;
            _bucket = bucket;
            _parameters = parameters;

            // The in-process CLI and the processes 'cairn run' starts find the store and the server through these.
            var variables = new Dictionary<string, string?>(TestS3.EnvironmentFor(endpoint)) { ["CAIRN_BLOBS"] = BlobsUri };
            foreach (var (name, value) in variables)
            {
                _saved[name] = Environment.GetEnvironmentVariable(name);
                Environment.SetEnvironmentVariable(name, value);
            }
        }

        public override string BlobsUri => $"s3://{_bucket}/lake{_parameters}";

        /// <summary>s3rver does not implement ListMultipartUploads (AWS and MinIO do).</summary>
        public override bool ListsLeftovers => false;

        public override IBlobStore Open(bool smallParts = false)
        {
            var options = S3BlobStoreOptions.Parse(BlobsUri);
            if (smallParts) options = options with { MultipartThreshold = 5 << 20, PartSize = 5 << 20, Parallelism = 3 };
            return new S3BlobStore(options);
        }

        public override async Task<int> CountObjectsAsync()
        {
            using var client = TestS3.Client(_endpoint);
            var listed = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = "lake/objects/" });
            return listed.S3Objects?.Count ?? 0;
        }

        public override async Task<int> CountLeftoversAsync()
        {
            using var client = TestS3.Client(_endpoint);
            try
            {
                var uploads = await client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = _bucket });
                return uploads.MultipartUploads?.Count ?? 0;
            }
            catch (Amazon.S3.AmazonS3Exception)
            {
                return 0; // The server cannot list uploads.
            }
        }

        public override async Task CreateLeftoverAsync()
        {
            using var client = TestS3.Client(_endpoint);
            await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _bucket, Key = "lake/objects/00/leftover" });
        }

        public override async Task TamperAsync(string sha256, byte[] content)
        {
            using var client = TestS3.Client(_endpoint);
            var key = "lake/objects/" + sha256[..2] + "/" + sha256[2..];
            await client.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, InputStream = new MemoryStream(content), UseChunkEncoding = false });
        }

        public override void Dispose()
        {
            foreach (var (name, value) in _saved) Environment.SetEnvironmentVariable(name, value);
            base.Dispose();
        }
    }
}
