using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Xunit;

namespace Cairn.Files.Tests;

/// <summary>
/// S3 Object Lock: saving to a bucket that has it (checksums on every write, Cairn's own retention on every object),
/// refusing retention where the bucket lacks it, and the test server's Object Lock rules these tests rely on.
/// </summary>
public sealed class S3ObjectLockTests
{
    private const string Governance1Day = "?object-lock-mode=governance&object-lock-days=1";

    private static DefaultRetention GovernanceDays(int days) => new() { Mode = ObjectLockRetentionMode.Governance, Days = days };

    [SkippableFact]
    public async Task A_bucket_with_default_retention_takes_every_write_with_a_checksum_and_locks_what_cairn_stores()
    {
        using var w = await Workspace.CreateAsync(new S3Backend { DefaultRetention = GovernanceDays(2) });
        await using var store = await w.OpenStoreAsync();
        var options = S3BlobStoreOptions.Parse(w.BlobsUri) with { MultipartThreshold = 5 << 20, PartSize = 5 << 20 };
        using var client = S3BlobStore.CreateClient(options);
        var puts = new List<(string Key, string? ChecksumSha256)>();
        var parts = new List<ChecksumAlgorithm?>();
        client.BeforeRequestEvent += (_, e) =>
        {
            switch ((e as Amazon.Runtime.WebServiceRequestEventArgs)?.Request)
            {
                case PutObjectRequest put:
                    lock (puts) puts.Add((put.Key, put.ChecksumSHA256));
                    break;
                case UploadPartRequest part:
                    lock (parts) parts.Add(part.ChecksumAlgorithm);
                    break;
            }
        };
        using var blobs = new S3BlobStore(options, client);
        var files = new FileService(store, blobs);
        var (small, medium, large) = WriteThreeSizes(w);
        var before = DateTime.UtcNow;

        var saved = await files.SaveAsync(new SaveRequest { Files = [new FileToSave(small, "small.txt"), new FileToSave(medium, "medium.bin"), new FileToSave(large, "large.bin")] });

        // Each PUT carried the SHA-256 Cairn computed (S3 checks the stored bytes against it); each part a CRC32.
        Assert.Equal(3, puts.Count); // small, medium, metadata.yaml; the large file went in parts
        foreach (var file in saved.Files.Where(f => f.Path != "large.bin"))
        {
            Assert.Contains((ObjectKey(file.Sha256), Convert.ToBase64String(Convert.FromHexString(file.Sha256))), puts);
        }

        Assert.All(puts, p => Assert.NotNull(p.ChecksumSha256));
        Assert.Equal([ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32], parts);

        // The bucket's default retention locked every object and the lake's metadata.yaml.
        using var admin = TestS3.Client(TestS3.Endpoint);
        foreach (var key in saved.Files.Select(f => ObjectKey(f.Sha256)).Append(MetadataKey(saved.Uri, options)))
        {
            var head = await admin.GetObjectMetadataAsync(options.Bucket, key);
            Assert.Equal(ObjectLockMode.Governance, head.ObjectLockMode);
            AssertAbout(before.AddDays(2), head.ObjectLockRetainUntilDate);
        }

        await files.LoadAsync(saved.ArtifactId, w.PathOf("out"));
        Assert.Equal(await File.ReadAllBytesAsync(large), await File.ReadAllBytesAsync(w.PathOf("out/large.bin")));
        Assert.All(await files.VerifyAsync(saved.ArtifactId), v => Assert.Null(v.Problem));
    }

    [SkippableFact]
    public async Task Cairns_retention_setting_gives_every_object_its_mode_and_retain_until_date_on_puts_and_multipart_uploads()
    {
        using var w = await Workspace.CreateAsync(new S3Backend { ObjectLock = true, UriParameters = "?object-lock-mode=compliance&object-lock-days=3" });
        await using var store = await w.OpenStoreAsync();
        using var blobs = (S3BlobStore)w.Backend.Open(smallParts: true);
        Assert.Equal((S3RetentionMode.Compliance, 3), (blobs.Options.RetentionMode, blobs.Options.RetentionDays));
        var files = new FileService(store, blobs);
        var (small, medium, large) = WriteThreeSizes(w);
        var before = DateTime.UtcNow;

        var saved = await files.SaveAsync(new SaveRequest { Files = [new FileToSave(small, "small.txt"), new FileToSave(medium, "medium.bin"), new FileToSave(large, "large.bin")] });
        var after = DateTime.UtcNow;

        using var admin = TestS3.Client(TestS3.Endpoint);
        var bucket = blobs.Options.Bucket;
        foreach (var key in saved.Files.Select(f => ObjectKey(f.Sha256)).Append(MetadataKey(saved.Uri, blobs.Options)))
        {
            var head = await admin.GetObjectMetadataAsync(bucket, key);
            Assert.Equal(ObjectLockMode.Compliance, head.ObjectLockMode);
            var until = Assert.NotNull(head.ObjectLockRetainUntilDate).ToUniversalTime();
            Assert.InRange(until, before.AddDays(3).AddSeconds(-1), after.AddDays(3).AddSeconds(1));
            var retention = await admin.GetObjectRetentionAsync(new GetObjectRetentionRequest { BucketName = bucket, Key = key });
            Assert.Equal(ObjectLockRetentionMode.Compliance, retention.Retention.Mode);

            // Locked means locked: the server refuses to delete it, even when asked to bypass governance.
            var delete = await Assert.ThrowsAsync<AmazonS3Exception>(() => admin.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = key, BypassGovernanceRetention = true }));
            Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied"), (delete.StatusCode, delete.ErrorCode));
        }

        await files.LoadAsync(saved.ArtifactId, w.PathOf("out"));
        Assert.Equal(await File.ReadAllBytesAsync(medium), await File.ReadAllBytesAsync(w.PathOf("out/medium.bin")));

        // The same setting from the environment, through the CLI (the URI, here without parameters, would win over it).
        var plainUri = "s3://" + bucket + "/cli";
        using (new Variables((S3BlobStoreOptions.RetentionModeVariable, "governance"), (S3BlobStoreOptions.RetentionDaysVariable, "5")))
        {
            w.Write("cli.txt", "saved through the CLI with retention from the environment");
            var json = System.Text.Json.Nodes.JsonNode.Parse(await w.OkAsync("save", "cli.txt", "--no-capture", "--json", "--blobs", plainUri))!;
            var digest = (string)json["files"]![0]!["sha256"]!;
            var head = await admin.GetObjectMetadataAsync(bucket, "cli/objects/" + digest[..2] + "/" + digest[2..]);
            Assert.Equal(ObjectLockMode.Governance, head.ObjectLockMode);
            AssertAbout(before.AddDays(5), head.ObjectLockRetainUntilDate);
        }
    }

    [SkippableFact]
    public async Task Saving_the_same_bytes_twice_to_a_locking_bucket_is_deduplicated_and_their_retention_runs_from_the_second_save()
    {
        using var w = await Workspace.CreateAsync(new S3Backend { DefaultRetention = GovernanceDays(1), UriParameters = Governance1Day });
        await using var store = await w.OpenStoreAsync();
        using var blobs = (S3BlobStore)w.Backend.Open(smallParts: true);
        var files = new FileService(store, blobs);
        var (small, medium, large) = WriteThreeSizes(w);
        FileToSave[] three = [new(small, "small.txt"), new(medium, "medium.bin"), new(large, "large.bin")];
        var total = three.Sum(f => new FileInfo(f.SourcePath).Length);

        var first = await files.SaveAsync(new SaveRequest { Files = three });
        using var admin = TestS3.Client(TestS3.Endpoint);
        var keys = first.Files.Select(f => ObjectKey(f.Sha256)).ToList();
        var retained = new List<DateTime?>();
        foreach (var key in keys) retained.Add((await admin.GetObjectMetadataAsync(blobs.Options.Bucket, key)).ObjectLockRetainUntilDate);
        await Task.Delay(50);

        // Another store (a second user's process) saving the same bytes: nothing uploaded again, nothing rewritten, and each
        // object retained its day from this save (its retention extended by the moments in between, never shortened).
        using var second = (S3BlobStore)w.Backend.Open(smallParts: true);
        var before = DateTime.UtcNow;
        var again = await new FileService(store, second).SaveAsync(new SaveRequest { Files = three });
        var after = DateTime.UtcNow;

        Assert.Equal((total, 0L), (first.BytesStored, first.BytesDeduplicated));
        Assert.Equal((0L, total), (again.BytesStored, again.BytesDeduplicated));
        Assert.Equal(3, await w.Backend.CountObjectsAsync());
        for (var i = 0; i < keys.Count; i++)
        {
            var head = await admin.GetObjectMetadataAsync(blobs.Options.Bucket, keys[i]);
            Assert.Equal(ObjectLockMode.Governance, head.ObjectLockMode);
            var until = Assert.NotNull(head.ObjectLockRetainUntilDate).ToUniversalTime();
            Assert.True(until > Assert.NotNull(retained[i]).ToUniversalTime(), $"{keys[i]}: {until:O} is not later than {retained[i]:O}");
            Assert.InRange(until, before.AddDays(1).AddSeconds(-1), after.AddDays(1).AddSeconds(1));
        }

        await files.LoadAsync(again.ArtifactId, w.PathOf("out"));
        Assert.Equal("small", await File.ReadAllTextAsync(w.PathOf("out/small.txt")));
    }

    [SkippableFact]
    public async Task Retention_set_for_a_bucket_without_object_lock_fails_the_save_before_anything_is_recorded()
    {
        using var w = await Workspace.CreateAsync(new S3Backend { UriParameters = Governance1Day });
        w.Write("a.txt", "a");
        var options = S3BlobStoreOptions.Parse(w.BlobsUri);
        var expected = FilesMessages.S3NoObjectLock(options.Bucket, "object-lock-mode=governance, object-lock-days=1", options.Describe());

        var cli = await w.CairnAsync(["save", "a.txt", "--no-capture"]);
        Assert.Equal(Cli.ExitCodes.FailedPrecondition, cli.ExitCode);
        Assert.Equal("error: " + expected + "\n", cli.Stderr);

        await using var store = await w.OpenStoreAsync();
        var error = await Assert.ThrowsAsync<FailedPreconditionException>(() => new FileService(store, w.Blobs).SaveAsync(new SaveRequest { Files = [new FileToSave(w.PathOf("a.txt"), "a.txt")] }));
        Assert.Equal(expected, error.Message);
        Assert.Empty((await store.GetArtifactsAsync()).Items);
        using var admin = TestS3.Client(TestS3.Endpoint);
        Assert.Empty((await admin.ListObjectsV2Async(new ListObjectsV2Request { BucketName = options.Bucket })).S3Objects ?? []);

        // Reading is unaffected by the setting: what was saved without it loads and verifies with it.
        var plain = S3BlobStoreOptions.Parse(w.BlobsUri.Split('?')[0]);
        using var plainBlobs = new S3BlobStore(plain);
        var saved = await new FileService(store, plainBlobs).SaveAsync(new SaveRequest { Files = [new FileToSave(w.PathOf("a.txt"), "a.txt")] });
        var id = saved.ArtifactId.ToString(CultureInfo.InvariantCulture);
        await w.OkAsync("load", id, "--to", "out");
        Assert.Equal("a", await File.ReadAllTextAsync(w.PathOf("out/a.txt")));
        Assert.StartsWith("ok", await w.OkAsync("verify", id), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_refused_object_lock_probe_never_fails_a_save_and_S3_then_judges_the_retention()
    {
        // Credentials without s3:GetBucketObjectLockConfiguration: the probe is refused (403), everything else is real.
        using var locked = await Workspace.CreateAsync(new S3Backend { DefaultRetention = GovernanceDays(1) });
        await using var store = await locked.OpenStoreAsync();
        var options = S3BlobStoreOptions.Parse(locked.BlobsUri);
        using var client = new ProbeRefused(options);
        using var blobs = new S3BlobStore(options, client);
        var saved = await new FileService(store, blobs).SaveAsync(new SaveRequest { Files = [new FileToSave(locked.Write("a.txt", "a"), "a.txt")] });
        Assert.Equal(1, client.Probes);
        using var admin = TestS3.Client(TestS3.Endpoint);
        Assert.Equal(ObjectLockMode.Governance, (await admin.GetObjectMetadataAsync(options.Bucket, ObjectKey(saved.Files[0].Sha256))).ObjectLockMode);

        // Retention on a bucket without Object Lock: the first PUT is refused by S3, and the save fails as clearly.
        using var plain = await Workspace.CreateAsync(new S3Backend { UriParameters = Governance1Day });
        await using var plainStore = await plain.OpenStoreAsync();
        var plainOptions = S3BlobStoreOptions.Parse(plain.BlobsUri);
        using var plainClient = new ProbeRefused(plainOptions);
        using var plainBlobs = new S3BlobStore(plainOptions, plainClient);
        var error = await Assert.ThrowsAsync<FailedPreconditionException>(() => new FileService(plainStore, plainBlobs).SaveAsync(new SaveRequest { Files = [new FileToSave(plain.Write("a.txt", "a"), "a.txt")] }));
        Assert.Equal(FilesMessages.S3NoObjectLock(plainOptions.Bucket, "object-lock-mode=governance, object-lock-days=1", plainOptions.Describe()), error.Message);
        Assert.Empty((await plainStore.GetArtifactsAsync()).Items);
        Assert.Equal(0, await plain.Backend.CountObjectsAsync());
    }

    [Fact]
    public async Task Bad_retention_settings_are_refused_with_messages_naming_the_setting()
    {
        static string Refused(string uri) => Assert.Throws<InvalidArgumentException>(() => S3BlobStoreOptions.Parse(uri)).Message;
        const string Bucket = "s3://some-bucket/lake";

        Assert.Contains("object-lock-mode=forever is not an S3 Object Lock mode: use governance or compliance", Refused(Bucket + "?object-lock-mode=forever&object-lock-days=1"), StringComparison.Ordinal);
        foreach (var days in new[] { "0", "-3", "1.5", "many", "36501", string.Empty })
        {
            Assert.Contains($"object-lock-days={days} is not a retention period: give a whole number of days from 1 to 36500", Refused(Bucket + "?object-lock-mode=governance&object-lock-days=" + days), StringComparison.Ordinal);
        }

        Assert.Equal(FilesMessages.RetentionHalfSet(modeMissing: false), Refused(Bucket + "?object-lock-mode=governance"));
        Assert.Equal(FilesMessages.RetentionHalfSet(modeMissing: true), Refused(Bucket + "?object-lock-days=30"));
        Assert.Contains("object-lock-days (or CAIRN_S3_OBJECT_LOCK_DAYS) is set but object-lock-mode (or CAIRN_S3_OBJECT_LOCK_MODE) is not", FilesMessages.RetentionHalfSet(modeMissing: true), StringComparison.Ordinal);
        var ok = S3BlobStoreOptions.Parse(Bucket + "?object-lock-mode=COMPLIANCE&object-lock-days=36500");
        Assert.Equal((S3RetentionMode.Compliance, 36500), (ok.RetentionMode, ok.RetentionDays));

        using (new Variables((S3BlobStoreOptions.RetentionModeVariable, "forever"), (S3BlobStoreOptions.RetentionDaysVariable, "7")))
        {
            Assert.StartsWith("CAIRN_S3_OBJECT_LOCK_MODE='forever' is not an S3 Object Lock mode", Refused(Bucket), StringComparison.Ordinal);

            // The URI's parameter wins over the variable.
            Assert.Equal(S3RetentionMode.Governance, S3BlobStoreOptions.Parse(Bucket + "?object-lock-mode=governance").RetentionMode);
        }

        using (new Variables((S3BlobStoreOptions.RetentionModeVariable, "governance"), (S3BlobStoreOptions.RetentionDaysVariable, "0")))
        {
            Assert.StartsWith("CAIRN_S3_OBJECT_LOCK_DAYS='0' is not a retention period", Refused(Bucket), StringComparison.Ordinal);
        }

        using (new Variables((S3BlobStoreOptions.RetentionModeVariable, "governance"), (S3BlobStoreOptions.RetentionDaysVariable, "2")))
        {
            Assert.Equal((S3RetentionMode.Governance, 2), (S3BlobStoreOptions.Parse(Bucket).RetentionMode, S3BlobStoreOptions.Parse(Bucket).RetentionDays));
        }

        // Options built in code are checked too (a caller's mistake: BCL exceptions).
        var options = S3BlobStoreOptions.Parse(Bucket);
        Assert.Contains("RetentionDays", Assert.Throws<ArgumentOutOfRangeException>(() => new S3BlobStore(options with { RetentionMode = S3RetentionMode.Governance, RetentionDays = 0 })).Message, StringComparison.Ordinal);
        Assert.Contains("RetentionMode and RetentionDays", Assert.Throws<ArgumentException>(() => new S3BlobStore(options with { RetentionMode = S3RetentionMode.Governance })).Message, StringComparison.Ordinal);

        // Through the CLI: exit code 3 (invalid input), the setting named, nothing recorded.
        using var w = new Workspace();
        w.Write("a.txt", "a");
        var cli = await w.CairnAsync(["save", "a.txt", "--no-capture", "--blobs", Bucket + "?object-lock-mode=governance&object-lock-days=0"]);
        Assert.Equal(Cli.ExitCodes.InvalidArgument, cli.ExitCode);
        Assert.Contains("object-lock-days=0 is not a retention period", cli.Stderr, StringComparison.Ordinal);
        await using var store = await w.OpenStoreAsync();
        Assert.Empty((await store.GetArtifactsAsync()).Items);
    }

    [SkippableFact]
    public async Task The_test_server_enforces_object_lock_configuration_headers_and_checksums_as_S3_does()
    {
        var endpoint = TestS3.Endpoint;
        using var client = TestS3.Client(endpoint);
        var plain = await TestS3.CreateBucketAsync(endpoint);
        var locked = await TestS3.CreateBucketAsync(endpoint, objectLock: true);
        var defaulted = await TestS3.CreateBucketAsync(endpoint, defaultRetention: GovernanceDays(1));

        var none = await Assert.ThrowsAsync<AmazonS3Exception>(() => client.GetObjectLockConfigurationAsync(new GetObjectLockConfigurationRequest { BucketName = plain }));
        Assert.Equal((HttpStatusCode.NotFound, "ObjectLockConfigurationNotFoundError"), (none.StatusCode, none.ErrorCode));
        var enabled = (await client.GetObjectLockConfigurationAsync(new GetObjectLockConfigurationRequest { BucketName = locked })).ObjectLockConfiguration;
        Assert.Equal((ObjectLockEnabled.Enabled, (DefaultRetention?)null), (enabled.ObjectLockEnabled, enabled.Rule?.DefaultRetention));
        var rule = (await client.GetObjectLockConfigurationAsync(new GetObjectLockConfigurationRequest { BucketName = defaulted })).ObjectLockConfiguration.Rule.DefaultRetention;
        Assert.Equal((ObjectLockRetentionMode.Governance, 1), (rule.Mode, rule.Days));

        PutObjectRequest Put(string bucket, string key, bool checksum = true, ObjectLockMode? mode = null, DateTime? until = null) => new()
        {
            BucketName = bucket,
            Key = key,
            ContentBody = "bytes",
            UseChunkEncoding = false,
            ObjectLockMode = mode,
            ObjectLockRetainUntilDate = until,
            ChecksumAlgorithm = checksum ? ChecksumAlgorithm.SHA256 : null,
        };
        async Task<AmazonS3Exception> RefusedAsync(Task call, HttpStatusCode status, string code)
        {
            var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => call);
            Assert.Equal((status, code), (e.StatusCode, e.ErrorCode));
            return e;
        }

        var tomorrow = DateTime.UtcNow.AddDays(1);
        var noLock = await RefusedAsync(client.PutObjectAsync(Put(plain, "k", mode: ObjectLockMode.Governance, until: tomorrow)), HttpStatusCode.BadRequest, "InvalidRequest");
        Assert.Equal("Bucket is missing Object Lock Configuration", noLock.Message);
        await RefusedAsync(client.PutObjectAsync(Put(locked, "k", mode: ObjectLockMode.Governance)), HttpStatusCode.BadRequest, "InvalidArgument");
        await RefusedAsync(client.PutObjectAsync(Put(locked, "k", mode: ObjectLockMode.Governance, until: DateTime.UtcNow.AddDays(-1))), HttpStatusCode.BadRequest, "InvalidArgument");
        var noChecksum = await RefusedAsync(client.PutObjectAsync(Put(locked, "k", checksum: false, mode: ObjectLockMode.Governance, until: tomorrow)), HttpStatusCode.BadRequest, "InvalidRequest");
        Assert.Equal("Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters", noChecksum.Message);
        await RefusedAsync(client.PutObjectAsync(Put(defaulted, "k", checksum: false)), HttpStatusCode.BadRequest, "InvalidRequest");

        // Without retention a lock-enabled bucket takes a PUT without a checksum, and an ordinary bucket ignores nothing new.
        await client.PutObjectAsync(Put(locked, "free", checksum: false));
        await client.PutObjectAsync(Put(plain, "free", checksum: false));
        Assert.Null((await client.GetObjectMetadataAsync(plain, "free")).ObjectLockMode);

        // A multipart upload with retention (here the bucket's default) needs a checksum on every part.
        var upload = await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = defaulted, Key = "parts" });
        UploadPartRequest Part(bool checksum) => new()
        {
            BucketName = defaulted,
            Key = "parts",
            UploadId = upload.UploadId,
            PartNumber = 1,
            InputStream = new MemoryStream("part"u8.ToArray()),
            UseChunkEncoding = false,
            ChecksumAlgorithm = checksum ? ChecksumAlgorithm.CRC32 : null,
        };
        await RefusedAsync(client.UploadPartAsync(Part(checksum: false)), HttpStatusCode.BadRequest, "InvalidRequest");
        var part = await client.UploadPartAsync(Part(checksum: true));
        await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = defaulted, Key = "parts", UploadId = upload.UploadId, PartETags = [new PartETag(1, part.ETag)] });
        Assert.Equal(ObjectLockMode.Governance, (await client.GetObjectMetadataAsync(defaulted, "parts")).ObjectLockMode);

        var noRetention = await RefusedAsync(client.GetObjectRetentionAsync(new GetObjectRetentionRequest { BucketName = locked, Key = "free" }), HttpStatusCode.NotFound, "NoSuchObjectLockConfiguration");
        Assert.NotEmpty(noRetention.Message);
    }

    [SkippableFact]
    public async Task The_test_server_refuses_to_delete_or_replace_a_retained_object_until_governance_is_bypassed()
    {
        var endpoint = TestS3.Endpoint;
        using var client = TestS3.Client(endpoint);
        var bucket = await TestS3.CreateBucketAsync(endpoint, objectLock: true);
        PutObjectRequest Put(string key, string body, ObjectLockMode? mode = null) => new()
        {
            BucketName = bucket,
            Key = key,
            ContentBody = body,
            UseChunkEncoding = false,
            ObjectLockMode = mode,
            ObjectLockRetainUntilDate = mode is null ? null : DateTime.UtcNow.AddDays(1),
            ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
        };
        async Task<string> ReadAsync(string key)
        {
            using var response = await client.GetObjectAsync(bucket, key);
            return await new StreamReader(response.ResponseStream).ReadToEndAsync();
        }

        await client.PutObjectAsync(Put("governed", "kept", ObjectLockMode.Governance));
        await client.PutObjectAsync(Put("complied", "kept", ObjectLockMode.Compliance));
        foreach (var key in new[] { "governed", "complied" })
        {
            var delete = await Assert.ThrowsAsync<AmazonS3Exception>(() => client.DeleteObjectAsync(bucket, key));
            Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied"), (delete.StatusCode, delete.ErrorCode));
            var replace = await Assert.ThrowsAsync<AmazonS3Exception>(() => client.PutObjectAsync(Put(key, "replaced")));
            Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied"), (replace.StatusCode, replace.ErrorCode));
            Assert.Equal("kept", await ReadAsync(key));
        }

        // A conditional create of a retained key meets the object, as on S3 (412), rather than being refused.
        var conditional = Put("governed", "other");
        conditional.IfNoneMatch = "*";
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Assert.ThrowsAsync<AmazonS3Exception>(() => client.PutObjectAsync(conditional))).StatusCode);

        // COMPLIANCE cannot be bypassed; GOVERNANCE can, by whoever may bypass it.
        var compliance = await Assert.ThrowsAsync<AmazonS3Exception>(() => client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "complied", BypassGovernanceRetention = true }));
        Assert.Equal(HttpStatusCode.Forbidden, compliance.StatusCode);
        await client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "governed", BypassGovernanceRetention = true });
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<AmazonS3Exception>(() => client.GetObjectMetadataAsync(bucket, "governed"))).StatusCode);

        // An object without retention is deleted as on any bucket.
        await client.PutObjectAsync(Put("free", "gone soon"));
        await client.DeleteObjectAsync(bucket, "free");
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<AmazonS3Exception>(() => client.GetObjectMetadataAsync(bucket, "free"))).StatusCode);
    }

    [SkippableFact]
    public async Task Reusing_stored_bytes_extends_their_retention_to_the_period_from_that_save_and_never_shortens_it()
    {
        using var w = await Workspace.CreateAsync(new S3Backend { ObjectLock = true });
        await using var store = await w.OpenStoreAsync();
        var (small, medium, large) = WriteThreeSizes(w);
        FileToSave[] three = [new(small, "small.txt"), new(medium, "medium.bin"), new(large, "large.bin")];
        var total = three.Sum(f => new FileInfo(f.SourcePath).Length);
        var options = S3BlobStoreOptions.Parse(w.BlobsUri) with { MultipartThreshold = 5 << 20, PartSize = 5 << 20 };
        using var admin = TestS3.Client(TestS3.Endpoint);

        var first = await SaveRecordedAsync(store, options with { RetentionMode = S3RetentionMode.Governance, RetentionDays = 1 }, three);
        var keys = first.Saved.Files.Select(f => ObjectKey(f.Sha256)).ToList();
        Assert.Equal(3, keys.Distinct().Count());
        var oneDay = await RetentionsAsync(admin, options.Bucket, keys);

        // 30 days: every reused object (one PUT answered 412, one HEAD, one multipart-sized HEAD) now lasts 30 days from this
        // save, each with one PutObjectRetention; nothing is uploaded again.
        var before = DateTime.UtcNow;
        var longer = await SaveRecordedAsync(store, options with { RetentionMode = S3RetentionMode.Governance, RetentionDays = 30 }, three);
        var after = DateTime.UtcNow;
        Assert.Equal((0L, total), (longer.Saved.BytesStored, longer.Saved.BytesDeduplicated));
        Assert.Equal(3, longer.Calls.Count(c => c == "PutObjectRetention"));
        Assert.DoesNotContain("InitiateMultipartUpload", longer.Calls);
        var thirtyDays = await RetentionsAsync(admin, options.Bucket, keys);
        for (var i = 0; i < keys.Count; i++)
        {
            Assert.Equal(ObjectLockMode.Governance, thirtyDays[i].Mode);
            Assert.InRange(thirtyDays[i].Until, before.AddDays(30).AddSeconds(-1), after.AddDays(30).AddSeconds(1));
            Assert.True(thirtyDays[i].Until > oneDay[i].Until.AddDays(28));
        }

        // 1 day again: long enough already, so nothing is changed (and S3 would refuse to shorten it anyway).
        var shorter = await SaveRecordedAsync(store, options with { RetentionMode = S3RetentionMode.Governance, RetentionDays = 1 }, three);
        Assert.Equal(0L, shorter.Saved.BytesStored);
        Assert.DoesNotContain("PutObjectRetention", shorter.Calls);
        Assert.Equal(thirtyDays, await RetentionsAsync(admin, options.Bucket, keys));

        // Without a retention setting a deduplicating save asks nothing about retention: the bucket's probe, the small
        // file's PUT (412), a HEAD for each larger file and for metadata.yaml, and metadata.yaml's PUT; retention unchanged.
        var plain = await SaveRecordedAsync(store, options, three);
        Assert.Equal((0L, total), (plain.Saved.BytesStored, plain.Saved.BytesDeduplicated));
        Assert.Equal(["GetBucketLocation", "GetObjectLockConfiguration", "GetObjectMetadata", "GetObjectMetadata", "GetObjectMetadata", "PutObject", "PutObject"], plain.Calls.Order(StringComparer.Ordinal));
        Assert.Equal(thirtyDays, await RetentionsAsync(admin, options.Bucket, keys));

        await new FileService(store, w.Blobs).LoadAsync(plain.Saved.ArtifactId, w.PathOf("out"));
        Assert.Equal(await File.ReadAllBytesAsync(large), await File.ReadAllBytesAsync(w.PathOf("out/large.bin")));
    }

    [SkippableFact]
    public async Task An_extended_retention_keeps_the_objects_mode_and_an_object_without_one_gets_the_settings()
    {
        using var w = await Workspace.CreateAsync(new S3Backend { ObjectLock = true });
        await using var store = await w.OpenStoreAsync();
        var options = S3BlobStoreOptions.Parse(w.BlobsUri);
        using var admin = TestS3.Client(TestS3.Endpoint);
        var complied = new FileToSave(w.Write("in/complied.txt", "first saved under compliance"), "complied.txt");
        var governed = new FileToSave(w.Write("in/governed.txt", "first saved under governance"), "governed.txt");
        var free = new FileToSave(w.Write("in/free.txt", "first saved without retention"), "free.txt");
        var keys = new List<string>();
        foreach (var (file, mode) in new[] { (complied, (S3RetentionMode?)S3RetentionMode.Compliance), (governed, S3RetentionMode.Governance), (free, null) })
        {
            var saved = await SaveRecordedAsync(store, options with { RetentionMode = mode, RetentionDays = mode is null ? null : 1 }, [file]);
            keys.Add(ObjectKey(saved.Saved.Files[0].Sha256));
        }

        Assert.Null((await RetentionsAsync(admin, options.Bucket, [keys[2]]))[0].Mode);

        // Under GOVERNANCE for 30 days: the COMPLIANCE object stays COMPLIANCE (S3 never weakens it), the one without gets GOVERNANCE.
        var before = DateTime.UtcNow;
        await SaveRecordedAsync(store, options with { RetentionMode = S3RetentionMode.Governance, RetentionDays = 30 }, [complied, governed, free]);
        var retentions = await RetentionsAsync(admin, options.Bucket, keys);
        Assert.Equal([ObjectLockMode.Compliance, ObjectLockMode.Governance, ObjectLockMode.Governance], retentions.Select(r => r.Mode));
        Assert.All(retentions, r => AssertAbout(before.AddDays(30), r.Until));

        // Under COMPLIANCE for 60 days: each keeps its mode, for 60 days.
        before = DateTime.UtcNow;
        await SaveRecordedAsync(store, options with { RetentionMode = S3RetentionMode.Compliance, RetentionDays = 60 }, [complied, governed, free]);
        retentions = await RetentionsAsync(admin, options.Bucket, keys);
        Assert.Equal([ObjectLockMode.Compliance, ObjectLockMode.Governance, ObjectLockMode.Governance], retentions.Select(r => r.Mode));
        Assert.All(retentions, r => AssertAbout(before.AddDays(60), r.Until));
    }

    [SkippableFact]
    public async Task A_refused_extension_fails_the_save_naming_the_object_unless_a_concurrent_save_extended_it_further()
    {
        using var w = await Workspace.CreateAsync(new S3Backend { ObjectLock = true });
        await using var store = await w.OpenStoreAsync();
        var options = S3BlobStoreOptions.Parse(w.BlobsUri) with { RetentionMode = S3RetentionMode.Governance, RetentionDays = 1 };
        var file = new FileToSave(w.Write("a.txt", "kept a day, then reused"), "a.txt");
        var first = await SaveRecordedAsync(store, options, [file]);
        var key = ObjectKey(first.Saved.Files[0].Sha256);
        using var admin = TestS3.Client(TestS3.Endpoint);
        var oneDay = await RetentionsAsync(admin, options.Bucket, [key]);
        var thirty = options with { RetentionDays = 30 };

        // Credentials without s3:PutObjectRetention: the save fails before anything is recorded, saying what to grant.
        using (var client = new RetentionRefused(thirty, refuseRead: false, extendFirst: false))
        using (var blobs = new S3BlobStore(thirty, client))
        {
            var error = await Assert.ThrowsAsync<FailedPreconditionException>(() => new FileService(store, blobs).SaveAsync(new SaveRequest { Files = [file] }));
            Assert.Equal(1, client.Puts);
            var location = "s3://" + options.Bucket + "/" + key;
            Assert.StartsWith(location + " is already stored and this save reuses it, but S3 refused to extend its Object Lock retention (GOVERNANCE until ", error.Message, StringComparison.Ordinal);
            Assert.Contains("as object-lock-mode=governance, object-lock-days=30 asks (AccessDenied: Access Denied). Grant s3:PutObjectRetention on the bucket", error.Message, StringComparison.Ordinal);
            Assert.Contains("aws s3api put-object-retention --bucket " + options.Bucket + " --key " + key + " --retention Mode=GOVERNANCE,RetainUntilDate=", error.Message, StringComparison.Ordinal);
            Assert.EndsWith("Nothing was recorded.", error.Message, StringComparison.Ordinal);
        }

        // Credentials without s3:GetObjectRetention: refused as clearly.
        using (var client = new RetentionRefused(thirty, refuseRead: true, extendFirst: false))
        using (var blobs = new S3BlobStore(thirty, client))
        {
            var error = await Assert.ThrowsAsync<FailedPreconditionException>(() => new FileService(store, blobs).SaveAsync(new SaveRequest { Files = [file] }));
            Assert.Equal(FilesMessages.S3RetentionUnreadable("s3://" + options.Bucket + "/" + key, "object-lock-mode=governance, object-lock-days=30", "AccessDenied", "Access Denied"), error.Message);
            Assert.Equal(0, client.Puts);
        }

        Assert.Single((await store.GetArtifactsAsync()).Items);
        Assert.Equal(oneDay, await RetentionsAsync(admin, options.Bucket, [key]));

        // A refusal because another save extended it further first (S3 never shortens) is no failure: it lasts long enough.
        var before = DateTime.UtcNow;
        using (var client = new RetentionRefused(thirty, refuseRead: false, extendFirst: true))
        using (var blobs = new S3BlobStore(thirty, client))
        {
            var saved = await new FileService(store, blobs).SaveAsync(new SaveRequest { Files = [file] });
            Assert.Equal(1, client.Puts);
            Assert.Equal(0L, saved.BytesStored);
        }

        var (mode, until) = (await RetentionsAsync(admin, options.Bucket, [key]))[0];
        Assert.Equal(ObjectLockMode.Governance, mode);
        AssertAbout(before.AddDays(31), until);
        Assert.Equal(2, (await store.GetArtifactsAsync()).Items.Count);
    }

    [SkippableFact]
    public async Task The_test_server_extends_retention_but_refuses_to_shorten_or_weaken_it_as_S3_does()
    {
        var endpoint = TestS3.Endpoint;
        using var client = TestS3.Client(endpoint);
        var plain = await TestS3.CreateBucketAsync(endpoint);
        var bucket = await TestS3.CreateBucketAsync(endpoint, objectLock: true);
        foreach (var (b, key) in new[] { (plain, "free"), (bucket, "governed"), (bucket, "complied") })
        {
            await client.PutObjectAsync(new PutObjectRequest { BucketName = b, Key = key, ContentBody = key, UseChunkEncoding = false, ChecksumAlgorithm = ChecksumAlgorithm.SHA256 });
        }

        var now = DateTime.UtcNow;
        Task Retain(string b, string key, ObjectLockRetentionMode mode, DateTime until, bool bypass = false) => client.PutObjectRetentionAsync(new PutObjectRetentionRequest
        {
            BucketName = b,
            Key = key,
            Retention = new ObjectLockRetention { Mode = mode, RetainUntilDate = until },
            BypassGovernanceRetention = bypass ? true : null,
        });
        async Task RefusedAsync(Task call, HttpStatusCode status, string code)
        {
            var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => call);
            Assert.Equal((status, code), (e.StatusCode, e.ErrorCode));
        }

        async Task AssertRetainedAsync(string key, ObjectLockRetentionMode mode, DateTime until)
        {
            var retention = (await client.GetObjectRetentionAsync(new GetObjectRetentionRequest { BucketName = bucket, Key = key })).Retention;
            Assert.Equal(mode, retention.Mode);
            Assert.InRange(Assert.NotNull(retention.RetainUntilDate).ToUniversalTime(), until.AddSeconds(-1), until.AddSeconds(1));
        }

        await RefusedAsync(Retain(plain, "free", ObjectLockRetentionMode.Governance, now.AddDays(1)), HttpStatusCode.BadRequest, "InvalidRequest");
        await RefusedAsync(Retain(bucket, "missing", ObjectLockRetentionMode.Governance, now.AddDays(1)), HttpStatusCode.NotFound, "NoSuchKey");
        await RefusedAsync(Retain(bucket, "governed", ObjectLockRetentionMode.Governance, now.AddDays(-1)), HttpStatusCode.BadRequest, "InvalidArgument");

        // Placed on an object without one, then extended in its mode.
        await Retain(bucket, "governed", ObjectLockRetentionMode.Governance, now.AddDays(1));
        await Retain(bucket, "complied", ObjectLockRetentionMode.Compliance, now.AddDays(1));
        await Retain(bucket, "governed", ObjectLockRetentionMode.Governance, now.AddDays(10));
        await Retain(bucket, "complied", ObjectLockRetentionMode.Compliance, now.AddDays(10));
        Assert.Equal(ObjectLockMode.Compliance, (await client.GetObjectMetadataAsync(bucket, "complied")).ObjectLockMode);
        AssertAbout(now.AddDays(10), (await client.GetObjectMetadataAsync(bucket, "complied")).ObjectLockRetainUntilDate);

        // COMPLIANCE is never shortened nor turned into GOVERNANCE, bypass or not.
        await RefusedAsync(Retain(bucket, "complied", ObjectLockRetentionMode.Compliance, now.AddDays(5)), HttpStatusCode.Forbidden, "AccessDenied");
        await RefusedAsync(Retain(bucket, "complied", ObjectLockRetentionMode.Compliance, now.AddDays(5), bypass: true), HttpStatusCode.Forbidden, "AccessDenied");
        await RefusedAsync(Retain(bucket, "complied", ObjectLockRetentionMode.Governance, now.AddDays(20), bypass: true), HttpStatusCode.Forbidden, "AccessDenied");
        await AssertRetainedAsync("complied", ObjectLockRetentionMode.Compliance, now.AddDays(10));

        // GOVERNANCE is shortened or changed only with x-amz-bypass-governance-retention.
        await RefusedAsync(Retain(bucket, "governed", ObjectLockRetentionMode.Governance, now.AddDays(5)), HttpStatusCode.Forbidden, "AccessDenied");
        await RefusedAsync(Retain(bucket, "governed", ObjectLockRetentionMode.Compliance, now.AddDays(20)), HttpStatusCode.Forbidden, "AccessDenied");
        await AssertRetainedAsync("governed", ObjectLockRetentionMode.Governance, now.AddDays(10));
        await Retain(bucket, "governed", ObjectLockRetentionMode.Governance, now.AddDays(5), bypass: true);
        await AssertRetainedAsync("governed", ObjectLockRetentionMode.Governance, now.AddDays(5));
    }

    /// <summary>Saves <paramref name="files"/> through a store with <paramref name="options"/>, recording the S3 operations it calls.</summary>
    private static async Task<(SaveResult Saved, List<string> Calls)> SaveRecordedAsync(IMetadataStore store, S3BlobStoreOptions options, FileToSave[] files)
    {
        using var client = S3BlobStore.CreateClient(options);
        var calls = new List<string>();
        client.BeforeRequestEvent += (_, e) =>
        {
            if (e is Amazon.Runtime.WebServiceRequestEventArgs { Request: { } request })
            {
                lock (calls) calls.Add(request.GetType().Name[..^"Request".Length]);
            }
        };
        using var blobs = new S3BlobStore(options, client);
        var saved = await new FileService(store, blobs).SaveAsync(new SaveRequest { Files = files });
        return (saved, calls);
    }

    /// <summary>Each object's retention as a HEAD shows it (UTC).</summary>
    private static async Task<List<(ObjectLockMode? Mode, DateTime Until)>> RetentionsAsync(IAmazonS3 admin, string bucket, IEnumerable<string> keys)
    {
        var retentions = new List<(ObjectLockMode? Mode, DateTime Until)>();
        foreach (var key in keys)
        {
            var head = await admin.GetObjectMetadataAsync(bucket, key);
            retentions.Add((head.ObjectLockMode, head.ObjectLockRetainUntilDate?.ToUniversalTime() ?? default));
        }

        return retentions;
    }

    /// <summary>A 1 KiB file (one PUT from memory), a 2 MiB one (one PUT from the file) and a 6 MiB one (two 5 MiB-part uploads with small parts).</summary>
    private static (string Small, string Medium, string Large) WriteThreeSizes(Workspace w)
    {
        var small = w.Write("in/small.txt", "small");
        var random = new Random(17);
        var medium = w.PathOf("in/medium.bin");
        var bytes = new byte[2 << 20];
        random.NextBytes(bytes);
        File.WriteAllBytes(medium, bytes);
        var large = w.PathOf("in/large.bin");
        bytes = new byte[6 << 20];
        random.NextBytes(bytes);
        File.WriteAllBytes(large, bytes);
        return (small, medium, large);
    }

    private static string ObjectKey(string sha256) => "lake/objects/" + sha256[..2] + "/" + sha256[2..];

    /// <summary>The key of an artifact's metadata.yaml, from its lake directory URI (<c>s3://bucket/lake/…/id/</c>).</summary>
    private static string MetadataKey(string uri, S3BlobStoreOptions options) => uri["s3://".Length..][(options.Bucket.Length + 1)..] + "metadata.yaml";

    private static void AssertAbout(DateTime expected, DateTime? actual)
    {
        var value = Assert.NotNull(actual).ToUniversalTime();
        Assert.InRange(value, expected.AddMinutes(-1), expected.AddMinutes(1));
    }

    /// <summary>A client of the test server whose credentials may not read a bucket's Object Lock configuration.</summary>
    private sealed class ProbeRefused(S3BlobStoreOptions options) : AmazonS3Client(
        new Amazon.Runtime.BasicAWSCredentials(TestS3.AccessKey, TestS3.SecretKey),
        new AmazonS3Config { ServiceURL = options.Endpoint ?? TestS3.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1", RequestChecksumCalculation = Amazon.Runtime.RequestChecksumCalculation.WHEN_REQUIRED })
    {
        public int Probes { get; private set; }

        public override Task<GetObjectLockConfigurationResponse> GetObjectLockConfigurationAsync(GetObjectLockConfigurationRequest request, CancellationToken cancellationToken = default)
        {
            Probes++;
            throw new AmazonS3Exception("Access Denied") { StatusCode = HttpStatusCode.Forbidden, ErrorCode = "AccessDenied" };
        }
    }

    /// <summary>
    /// A client of the test server whose credentials may not place (or, with <c>refuseRead</c>, read) an object's retention;
    /// with <c>extendFirst</c> its PutObjectRetention is refused only after another writer extended the retention a day further.
    /// </summary>
    private sealed class RetentionRefused(S3BlobStoreOptions options, bool refuseRead, bool extendFirst) : AmazonS3Client(
        new Amazon.Runtime.BasicAWSCredentials(TestS3.AccessKey, TestS3.SecretKey),
        new AmazonS3Config { ServiceURL = options.Endpoint ?? TestS3.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1", RequestChecksumCalculation = Amazon.Runtime.RequestChecksumCalculation.WHEN_REQUIRED })
    {
        public int Puts { get; private set; }

        public override Task<GetObjectRetentionResponse> GetObjectRetentionAsync(GetObjectRetentionRequest request, CancellationToken cancellationToken = default) =>
            refuseRead ? throw Denied() : base.GetObjectRetentionAsync(request, cancellationToken);

        public override async Task<PutObjectRetentionResponse> PutObjectRetentionAsync(PutObjectRetentionRequest request, CancellationToken cancellationToken = default)
        {
            Puts++;
            if (extendFirst)
            {
                using var other = TestS3.Client(TestS3.Endpoint);
                var further = new ObjectLockRetention { Mode = request.Retention.Mode, RetainUntilDate = request.Retention.RetainUntilDate!.Value.AddDays(1) };
                await other.PutObjectRetentionAsync(new PutObjectRetentionRequest { BucketName = request.BucketName, Key = request.Key, Retention = further }, cancellationToken);
            }

            throw Denied();
        }

        private static AmazonS3Exception Denied() => new("Access Denied") { StatusCode = HttpStatusCode.Forbidden, ErrorCode = "AccessDenied" };
    }

    /// <summary>Sets environment variables for a block and restores them after.</summary>
    private sealed class Variables : IDisposable
    {
        private readonly (string Name, string? Value)[] _saved;

        public Variables(params (string Name, string? Value)[] values)
        {
            _saved = values.Select(v => (v.Name, Environment.GetEnvironmentVariable(v.Name))).ToArray();
            foreach (var (name, value) in values) Environment.SetEnvironmentVariable(name, value);
        }

        public void Dispose()
        {
            foreach (var (name, value) in _saved) Environment.SetEnvironmentVariable(name, value);
        }
    }
}
