using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.Schemaspaces;

/// <summary>
/// Elyra's file layout: instance <c>NAME</c> of schemaspace <c>SS</c> is the file <c>DIR/metadata/SS/NAME.json</c>.
/// Several directories are layered, highest priority first: reads see the highest-priority file of each name, writes
/// go to the first directory (the only writable one), and instances in the others (factory and system instances) can
/// be shadowed by an update but not removed.
/// </summary>
public sealed class FileInstanceStore : IInstanceStore
{
    private static readonly JsonSerializerOptions WriteOptions = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly TimeProvider _time;

    /// <summary>A store over <paramref name="directories"/>, highest priority first; the first is where writes go.</summary>
    public FileInstanceStore(IEnumerable<string> directories, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(directories);
        Directories = [.. directories.Select(Path.GetFullPath)];
        if (Directories.Count == 0) throw new ArgumentException("At least one directory is needed.", nameof(directories));
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The layered directories, highest priority first.</summary>
    public IReadOnlyList<string> Directories { get; }

    /// <summary>The directory of <paramref name="schemaspace"/>'s instances under each level, highest priority first.</summary>
    public IReadOnlyList<string> MetadataPath(string schemaspace) =>
        [.. Directories.Select(d => Path.Combine(d, "metadata", schemaspace.ToLowerInvariant()))];

    /// <inheritdoc/>
    public Task<bool> SchemaspaceExistsAsync(string schemaspace, CancellationToken cancellationToken = default) =>
        Task.FromResult(MetadataPath(schemaspace).Any(Directory.Exists));

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StoredInstance>> FetchAsync(string schemaspace, string? name = null, CancellationToken cancellationToken = default)
    {
        // A name that is not a plain file name (a path, '..') names no instance.
        if (name is not null && (name.Length == 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name is "." or "..")) return [];
        var paths = MetadataPath(schemaspace);
        var found = new SortedDictionary<string, StoredInstance>(StringComparer.Ordinal);

        // Lowest priority first, so a higher level's file of the same name replaces a lower one's.
        for (var level = paths.Count - 1; level >= 0; level--)
        {
            if (!Directory.Exists(paths[level])) continue;
            var files = name is null
                ? Directory.GetFiles(paths[level], "*.json")
                : File.Exists(Path.Combine(paths[level], name + ".json")) ? [Path.Combine(paths[level], name + ".json")] : [];
            foreach (var file in files)
            {
                var instance = await ReadAsync(file, level == 0, cancellationToken);
                found[instance.Name] = instance;
            }
        }

        return [.. found.Values];
    }

    /// <inheritdoc/>
    public async Task<StoredInstance> StoreAsync(string schemaspace, string name, JsonObject content, bool forUpdate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var directory = MetadataPath(schemaspace)[0];
        var file = Path.Combine(directory, name + ".json");
        if (!forUpdate && (await FetchAsync(schemaspace, name, cancellationToken)).Count > 0)
        {
            throw new AlreadyExistsException(SchemaspaceMessages.InstanceExists(name, schemaspace));
        }

        CreatePrivateDirectory(directory);
        string? backup = null;
        if (File.Exists(file))
        {
            backup = file + _time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            File.Move(file, backup, overwrite: true);
        }

        try
        {
            // What is written is Elyra's prepare_write(): the content without name, resource and reason.
            var written = (JsonObject)content.DeepClone();
            written.Remove("name");
            written.Remove("resource");
            written.Remove("reason");
            await WritePrivateAsync(file, written.ToJsonString(WriteOptions) + "\n", cancellationToken);

            // Read it back, as Elyra does, to confirm what was persisted.
            var confirmed = await ReadAsync(file, writable: true, cancellationToken);
            if (confirmed.Content is null) throw new InternalException(SchemaspaceMessages.InstanceNotPersisted(file, confirmed.LoadError ?? ""));
            if (backup is not null) File.Delete(backup);
            return confirmed;
        }
        catch
        {
            File.Delete(file);
            if (backup is not null) File.Move(backup, file);
            throw;
        }
    }

    /// <inheritdoc/>
    public Task DeleteAsync(string schemaspace, StoredInstance instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var file = Path.Combine(MetadataPath(schemaspace)[0], instance.Name + ".json");
        if (!string.Equals(Path.GetFullPath(instance.Resource), file, StringComparison.Ordinal))
        {
            throw new FailedPreconditionException(SchemaspaceMessages.InstanceReadOnly(instance.Name, schemaspace, instance.Resource));
        }

        if (!File.Exists(file)) throw new NotFoundException(SchemaspaceMessages.InstanceNotFound(instance.Name, schemaspace));
        File.Delete(file);
        return Task.CompletedTask;
    }

    private static async Task<StoredInstance> ReadAsync(string file, bool writable, CancellationToken cancellationToken)
    {
        var name = Path.GetFileNameWithoutExtension(file);
        try
        {
            var text = await File.ReadAllTextAsync(file, Encoding.UTF8, cancellationToken);
            if (JsonNode.Parse(text) is not JsonObject json) return new StoredInstance(name, null, file, writable, SchemaspaceMessages.InstanceNotObject(file));

            // The name is always the file's stem; any name (or resource, reason) in the content is not the instance's.
            json.Remove("name");
            json.Remove("resource");
            json.Remove("reason");
            return new StoredInstance(name, json, file, writable);
        }
        catch (JsonException e)
        {
            return new StoredInstance(name, null, file, writable, SchemaspaceMessages.InstanceNotJson(file, e.Message));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new StoredInstance(name, null, file, writable, SchemaspaceMessages.InstanceNotJson(file, e.Message));
        }
    }

    private static void CreatePrivateDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory);
        else Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static async Task WritePrivateAsync(string file, string text, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using var stream = new FileStream(file, options);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
    }
}
