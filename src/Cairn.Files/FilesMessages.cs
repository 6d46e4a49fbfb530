using System.Globalization;

namespace Cairn.Files;

/// <summary>Every message of the files feature, in one place; tests assert them through these accessors.</summary>
internal static class FilesMessages
{
    public static string BadDigest(string digest) => F("'{0}' is not a lower-case hex SHA-256 digest.", digest);

    public static string ChangedWhileSaving(string path) => F("{0} changed while it was being saved; save it again once nothing writes to it.", path);

    public static string ObjectMissing(string digest, string path) => F("The stored object {0} is missing ({1}); the blob store is damaged or is not the one the file was saved to (check --blobs / CAIRN_BLOBS).", digest, path);

    public static string NeverOverwrite(string path) => F("{0} already exists; stored files are never overwritten.", path);

    public static string OutsideRoot(string path) => F("'{0}' points outside the blob store.", path);

    public static string NothingToSave => "Nothing to save: name at least one file or directory.";

    public static string FileMissing(string path) => F("{0} does not exist; nothing was saved.", path);

    public static string FileUnreadable(string path, string reason) => F("{0} cannot be read ({1}); nothing was saved.", path, reason);

    public static string DuplicatePath(string relative) => F("Two of the given files would both be saved as '{0}'; save them from different directories or in separate artifacts.", relative);

    public static string BadInfoKey(string key) => F("Info key '{0}' is not valid: use letters, digits, '.', '_' and '-' (for example --info stratification=new-cool-method).", key);

    public static string BadTag(string tag, string reason) => F("Tag '{0}' is not valid: {1}", tag, reason);

    public static string BasedOnMissing(long id) => F("--based-on {0}: there is no artifact {0}; nothing was saved.", id);

    public static string NotAFilesArtifact(long id) => F("Artifact {0} holds no saved files (it was not made by 'cairn save').", id);

    public static string ArtifactMissing(long id) => F("There is no artifact {0}.", id);

    public static string SaveInterrupted(long id) => F("Artifact {0} is the leftover of an interrupted save (state PENDING); its files were never completely recorded.", id);

    public static string HashMismatch(string path, string expected, string actual, string where) =>
        F("SHA-256 mismatch for '{0}': expected {1}, the stored bytes hash to {2} ({3}). The stored copy is damaged; nothing was written for this file.", path, expected, actual, where);

    public static string TargetDiffers(string path) => F("{0} already exists with different content; load into an empty directory with --to DIR.", path);

    public static string LogMissing(long id, string name, string available) => F("Artifact {0} has no log '{1}'. Logs: {2}.", id, name, available);

    public static string RunMissing(long id) => F("There is no run (execution) {0}; CAIRN_RUN_ID names a run of another store?", id);

    public static string ManifestDamaged(long id) => F("The file manifest (cairn.files) of artifact {0} cannot be read.", id);

    public static string BadS3Uri(string uri, string reason) => F("'{0}' is not an S3 blob store URI: {1}. Use s3://bucket/prefix, optionally with ?region=…&endpoint=http://host:port&path-style=true.", uri, reason);

    public static string S3NoBucket(string bucket, string where) => F("The S3 bucket '{0}' does not exist ({1}); create it, or check --blobs / CAIRN_BLOBS and AWS_ENDPOINT_URL. Nothing was recorded.", bucket, where);

    public static string S3Denied(string where, string code, string detail) => F("S3 refused the request ({0}: {1}) for {2}; check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) and the bucket's policy. Nothing was recorded.", code, detail, where);

    public static string S3NoCredentials(string where) => F("No AWS credentials were found for {0}; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE with ~/.aws/credentials. Nothing was recorded.", where);

    public static string S3Unreachable(string where, string reason) => F("The S3 endpoint for {0} cannot be reached ({1}); check AWS_ENDPOINT_URL / the endpoint parameter and the network. Nothing was recorded.", where, reason);

    public static string BadRetentionMode(string setting) => F("{0} is not an S3 Object Lock mode: use governance or compliance", setting);

    public static string BadRetentionDays(string setting) => F("{0} is not a retention period: give a whole number of days from 1 to {1}", setting, S3BlobStoreOptions.MaxRetentionDays);

    public static string BadRetentionSetting(string reason) => F("{0}. Fix or unset the variable; nothing was recorded.", reason);

    public static string RetentionHalfSet(bool modeMissing) => modeMissing
        ? F("{0} (or {1}) is set but {2} (or {3}) is not: S3 Object Lock retention needs both a mode and a period, for example s3://bucket/prefix?{2}=governance&{0}=30.", S3BlobStoreOptions.RetentionDaysParameter, S3BlobStoreOptions.RetentionDaysVariable, S3BlobStoreOptions.RetentionModeParameter, S3BlobStoreOptions.RetentionModeVariable)
        : F("{0} (or {1}) is set but {2} (or {3}) is not: S3 Object Lock retention needs both a mode and a period, for example s3://bucket/prefix?{0}=governance&{2}=30.", S3BlobStoreOptions.RetentionModeParameter, S3BlobStoreOptions.RetentionModeVariable, S3BlobStoreOptions.RetentionDaysParameter, S3BlobStoreOptions.RetentionDaysVariable);

    public static string S3NoObjectLock(string bucket, string retention, string where) =>
        F("Object Lock retention is set ({1}) but the S3 bucket '{0}' does not have Object Lock ({2}); enable Object Lock on the bucket, or remove {3} and {4} from the blob store URI (and unset {5} / {6}). Nothing was recorded.", bucket, retention, where, S3BlobStoreOptions.RetentionModeParameter, S3BlobStoreOptions.RetentionDaysParameter, S3BlobStoreOptions.RetentionModeVariable, S3BlobStoreOptions.RetentionDaysVariable);

    public static string S3ObjectLockRefused(string where, string detail) =>
        F("S3 refused a write for Object Lock reasons ({0}) for {1}; check that the bucket has Object Lock when {2} / {3} are set, and set AWS_REQUEST_CHECKSUM_CALCULATION=when_supported if it asks for a checksum. Nothing was recorded.", detail, where, S3BlobStoreOptions.RetentionModeParameter, S3BlobStoreOptions.RetentionDaysParameter);

    public static string S3RetentionNotExtended(string location, string current, string mode, string target, string retention, string code, string detail, string bucket, string key) =>
        F("{0} is already stored and this save reuses it, but S3 refused to extend its Object Lock retention ({1}) to {2} until {3}, as {4} asks ({5}: {6}). Grant s3:PutObjectRetention on the bucket, or extend it yourself (aws s3api put-object-retention --bucket {7} --key {8} --retention Mode={2},RetainUntilDate={3}), then save again. Nothing was recorded.", location, current, mode, target, retention, code, detail, bucket, key);

    public static string S3RetentionUnreadable(string location, string retention, string code, string detail) =>
        F("{0} is already stored and this save reuses it, but S3 refused to read its Object Lock retention ({2}: {3}), so it cannot be made to last as {1} asks. Grant s3:GetObjectRetention and s3:PutObjectRetention on the bucket, then save again. Nothing was recorded.", location, retention, code, detail);

    public static string S3Conflict(string location) => F("S3 kept answering 409 ConditionalRequestConflict for {0}: another write of it is in progress. Save again.", location);

    public static string ShortRange(string location, long start, long end, long got) => F("{0}: the range {1}-{2} ended early at byte {3}; the object changed or the connection broke. Load again.", location, start, end, got);

    public static string LakeEntryMissing(string location) => F("{0} does not exist in the blob store.", location);

    public static string MetadataUnreadable(string reason) => F("this metadata.yaml cannot be read ({0}); the artifact was not indexed. Fix or restore the file and reindex again.", reason);

    public static string BasedOnNotInLake(long id) => F("based on artifact {0}, which is neither in the lake nor in the store; that lineage edge was not restored.", id);

    private static string F(string format, params object?[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
}
