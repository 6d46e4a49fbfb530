using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Cairn.Schemaspaces;

/// <summary>
/// Encrypts the values of secret properties (a schema's <c>"secret": true</c>) at rest with AES-256-GCM and a key of 32
/// random bytes kept in a file (<c>$CAIRN_HOME/secret.key</c> unless <c>CAIRN_SECRET_KEY_FILE</c> names another),
/// created with mode 0600 when a secret is first written.
/// </summary>
/// <remarks>
/// A stored secret is the envelope <c>{"$cairn_secret": "v1:BASE64"}</c>, BASE64 being the 12-byte nonce, the
/// ciphertext of the value's JSON text and the 16-byte tag, so a reader can tell an encrypted value from a plain one.
/// </remarks>
public sealed class SecretProtector
{
    /// <summary>The environment variable that names the key file.</summary>
    public const string KeyFileVariable = "CAIRN_SECRET_KEY_FILE";

    /// <summary>What a secret value is shown as when it is not explicitly requested; sending it back in an update keeps the stored secret.</summary>
    public const string Placeholder = "********";

    /// <summary>The one key of an encrypted value's envelope.</summary>
    public const string EnvelopeKey = "$cairn_secret";

    private const string Version = "v1:";
    private const int KeySize = 32;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] AssociatedData = Encoding.UTF8.GetBytes("cairn-schemaspace-secret-v1");
    private readonly Lock _lock = new();
    private byte[]? _key;

    /// <summary>A protector using the key in <paramref name="keyFile"/> (created on the first encryption when missing).</summary>
    public SecretProtector(string keyFile)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyFile);
        KeyFile = Path.GetFullPath(keyFile);
    }

    /// <summary>The key file.</summary>
    public string KeyFile { get; }

    /// <summary>The protector of <c>$CAIRN_SECRET_KEY_FILE</c>, else of <c>$CAIRN_HOME/secret.key</c>.</summary>
    public static SecretProtector FromEnvironment() =>
        new(Environment.GetEnvironmentVariable(KeyFileVariable) is { Length: > 0 } file ? file : Path.Combine(StoreUri.HomeDirectory, "secret.key"));

    /// <summary>Whether <paramref name="node"/> is an encrypted value's envelope.</summary>
    public static bool IsEnvelope(JsonNode? node) => node is JsonObject { Count: 1 } o && o.ContainsKey(EnvelopeKey);

    /// <summary>Encrypts <paramref name="value"/> into an envelope, creating the key file if there is none.</summary>
    public JsonObject Protect(JsonNode? value)
    {
        var key = Key(create: true, null, null);
        var plaintext = Encoding.UTF8.GetBytes(value?.ToJsonString() ?? "null");
        var sealedBytes = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceSize, plaintext.Length), sealedBytes.AsSpan(NonceSize + plaintext.Length), AssociatedData);
        return new JsonObject { [EnvelopeKey] = Version + Convert.ToBase64String(sealedBytes) };
    }

    /// <summary>Decrypts an envelope of instance <paramref name="instance"/> of <paramref name="schemaspace"/>.</summary>
    /// <exception cref="FailedPreconditionException">There is no key, or it is not the key the value was encrypted with, or the envelope is damaged.</exception>
    public JsonNode? Unprotect(JsonNode envelope, string instance, string schemaspace)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var key = Key(create: false, instance, schemaspace);
        var text = envelope[EnvelopeKey] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        byte[] sealedBytes;
        try
        {
            if (text is null || !text.StartsWith(Version, StringComparison.Ordinal)) throw new FormatException();
            sealedBytes = Convert.FromBase64String(text[Version.Length..]);
            if (sealedBytes.Length < NonceSize + TagSize) throw new FormatException();
        }
        catch (FormatException e)
        {
            throw new FailedPreconditionException(SchemaspaceMessages.SecretDamaged(instance, schemaspace), e);
        }

        var length = sealedBytes.Length - NonceSize - TagSize;
        var plaintext = new byte[length];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, length), sealedBytes.AsSpan(NonceSize + length), plaintext, AssociatedData);
        }
        catch (CryptographicException e)
        {
            throw new FailedPreconditionException(SchemaspaceMessages.SecretWrongKey(instance, schemaspace, KeyFile), e);
        }

        return JsonNode.Parse(plaintext);
    }

    private byte[] Key(bool create, string? instance, string? schemaspace)
    {
        lock (_lock)
        {
            if (_key is not null) return _key;
            if (!File.Exists(KeyFile))
            {
                if (!create) throw new FailedPreconditionException(SchemaspaceMessages.SecretKeyMissing(instance ?? "", schemaspace ?? "", KeyFile));
                CreateKeyFile();
            }

            byte[] key;
            try
            {
                key = File.ReadAllBytes(KeyFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new FailedPreconditionException(SchemaspaceMessages.SecretKeyUnreadable(KeyFile, e.Message), e);
            }

            if (key.Length != KeySize) throw new FailedPreconditionException(SchemaspaceMessages.SecretKeyInvalid(KeyFile, key.Length));
            return _key = key;
        }
    }

    private void CreateKeyFile()
    {
        var directory = Path.GetDirectoryName(KeyFile)!;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory);
        else Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using var stream = new FileStream(KeyFile, options);
            stream.Write(RandomNumberGenerator.GetBytes(KeySize));
        }
        catch (IOException) when (File.Exists(KeyFile))
        {
            // Another process created it first: use theirs.
        }
    }
}
