using Amazon.S3;
using Amazon.S3.Model;

namespace Cairn.Files.Tests;

/// <summary>
/// The S3-compatible server the S3 tests run against: <c>CAIRN_TEST_S3</c> names its endpoint (<c>./test.sh</c> starts
/// s3rver from test/s3-server on loopback and sets it). Each workspace creates its own bucket.
/// </summary>
internal static class TestS3
{
    public const string Variable = "CAIRN_TEST_S3";

    /// <summary>s3rver's fixed credentials; another server's can be given through CAIRN_TEST_S3_KEY and CAIRN_TEST_S3_SECRET.</summary>
    public static string AccessKey => Environment.GetEnvironmentVariable("CAIRN_TEST_S3_KEY") is { Length: > 0 } key ? key : "S3RVER";

    public static string SecretKey => Environment.GetEnvironmentVariable("CAIRN_TEST_S3_SECRET") is { Length: > 0 } secret ? secret : "S3RVER";

    /// <summary>The endpoint. Without one the test is skipped locally, and fails under <c>CI</c>, where a skip would hide it.</summary>
    public static string Endpoint
    {
        get
        {
            if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } endpoint) return endpoint;
            var message = $"{Variable} is not set, so there is no S3-compatible server to test against. Run ./test.sh, which starts one on loopback, " +
                $"or start one yourself: npm ci --prefix test/s3-server && node test/s3-server/server.js \"$(mktemp -d)\" 4569 & export {Variable}=http://127.0.0.1:4569";
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))) throw new InvalidOperationException(message);
            throw new Xunit.SkipException(message);
        }
    }

    /// <summary>The environment a process needs to reach the server (set for the in-process CLI and inherited by the processes it starts).</summary>
    public static IReadOnlyDictionary<string, string?> EnvironmentFor(string endpoint) => new Dictionary<string, string?>
    {
        ["AWS_ENDPOINT_URL"] = endpoint,
        ["AWS_ENDPOINT_URL_S3"] = null,
        ["AWS_ACCESS_KEY_ID"] = AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
        ["AWS_SESSION_TOKEN"] = null,
        ["AWS_PROFILE"] = null,
        ["AWS_REGION"] = "us-east-1",
        ["AWS_EC2_METADATA_DISABLED"] = "true",
    };

    /// <summary>
    /// Creates a bucket with a unique name; with <paramref name="objectLock"/> it has S3 Object Lock, and with
    /// <paramref name="defaultRetention"/> also that default retention for new objects.
    /// </summary>
    public static async Task<string> CreateBucketAsync(string endpoint, bool objectLock = false, DefaultRetention? defaultRetention = null)
    {
        var bucket = "cairn-test-" + Guid.NewGuid().ToString("N")[..20];
        using var client = Client(endpoint);
        await client.PutBucketAsync(new PutBucketRequest { BucketName = bucket, ObjectLockEnabledForBucket = objectLock || defaultRetention is not null });
        if (defaultRetention is not null)
        {
            await client.PutObjectLockConfigurationAsync(new PutObjectLockConfigurationRequest
            {
                BucketName = bucket,
                ObjectLockConfiguration = new ObjectLockConfiguration
                {
                    ObjectLockEnabled = ObjectLockEnabled.Enabled,
                    Rule = new ObjectLockRule { DefaultRetention = defaultRetention },
                },
            });
        }

        return bucket;
    }

    public static AmazonS3Client Client(string endpoint) => new(
        new Amazon.Runtime.BasicAWSCredentials(AccessKey, SecretKey),
        new AmazonS3Config
        {
            ServiceURL = endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = Amazon.Runtime.RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = Amazon.Runtime.ResponseChecksumValidation.WHEN_REQUIRED,
        });
}
