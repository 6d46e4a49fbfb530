using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.Schemaspaces;

/// <summary>
/// Instances kept in the Cairn store (SQLite or PostgreSQL) through <see cref="IInstanceStorage"/>: one level, every
/// instance writable, each create, update and delete one transaction of the store, and a name taken at most once per
/// schemaspace (the table's key decides, also between concurrent writers).
/// </summary>
public sealed class StoreInstanceStore : IInstanceStore
{
    private readonly IInstanceStorage _storage;
    private readonly string _location;

    /// <summary>A store over <paramref name="storage"/>; resources are shown as <c>LOCATION#SCHEMASPACE/NAME</c>.</summary>
    /// <param name="storage">The store's instance storage (<c>store as IInstanceStorage</c>).</param>
    /// <param name="location">Where the store is, for people (its file path or redacted URI).</param>
    public StoreInstanceStore(IInstanceStorage storage, string location)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(location);
        _storage = storage;
        _location = location;
    }

    /// <summary>
    /// The instance store of <paramref name="store"/>.
    /// </summary>
    /// <exception cref="UnimplementedException">The store keeps no instances (a remote <c>grpc://</c> store).</exception>
    public static StoreInstanceStore For(IMetadataStore store, string? location = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (store is not IInstanceStorage storage) throw new UnimplementedException(InstanceStorageMessages.RemoteUnsupported(store.DisplayUri));
        return new StoreInstanceStore(storage, location ?? store.DisplayUri);
    }

    /// <summary>The resource an instance is shown with.</summary>
    public string ResourceOf(string schemaspace, string name) => _location + "#" + Key(schemaspace) + "/" + name;

    /// <inheritdoc/>
    public async Task<bool> SchemaspaceExistsAsync(string schemaspace, CancellationToken cancellationToken = default) =>
        (await _storage.GetInstancesAsync(Key(schemaspace), null, cancellationToken)).Count > 0;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StoredInstance>> FetchAsync(string schemaspace, string? name = null, CancellationToken cancellationToken = default)
    {
        if (name is { Length: 0 }) return [];
        var records = await _storage.GetInstancesAsync(Key(schemaspace), name, cancellationToken);
        return [.. records.Select(r => ToStored(schemaspace, r))];
    }

    /// <inheritdoc/>
    public async Task<StoredInstance> StoreAsync(string schemaspace, string name, JsonObject content, bool forUpdate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var written = (JsonObject)content.DeepClone();
        written.Remove("name");
        written.Remove("resource");
        written.Remove("reason");
        try
        {
            var record = await _storage.PutInstanceAsync(Key(schemaspace), name, written.ToJsonString(), create: !forUpdate, cancellationToken);
            return ToStored(schemaspace, record);
        }
        catch (AlreadyExistsException e)
        {
            throw new AlreadyExistsException(SchemaspaceMessages.InstanceExists(name, schemaspace), e);
        }
    }

    /// <inheritdoc/>
    public async Task DeleteAsync(string schemaspace, StoredInstance instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (!await _storage.DeleteInstanceAsync(Key(schemaspace), instance.Name, cancellationToken))
        {
            throw new NotFoundException(SchemaspaceMessages.InstanceNotFound(instance.Name, schemaspace));
        }
    }

    private StoredInstance ToStored(string schemaspace, StoredInstanceRecord record)
    {
        var resource = ResourceOf(schemaspace, record.Name);
        try
        {
            if (JsonNode.Parse(record.Content) is not JsonObject json) return new StoredInstance(record.Name, null, resource, true, SchemaspaceMessages.InstanceNotObject(resource));
            json.Remove("name");
            json.Remove("resource");
            json.Remove("reason");
            return new StoredInstance(record.Name, json, resource, true);
        }
        catch (JsonException e)
        {
            return new StoredInstance(record.Name, null, resource, true, SchemaspaceMessages.InstanceNotJson(resource, e.Message));
        }
    }

    private static string Key(string schemaspace) => schemaspace.ToLowerInvariant();
}
