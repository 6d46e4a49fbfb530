using System.Globalization;

namespace Cairn;

/// <summary>One stored schemaspace instance: its JSON text as written, keyed by (schemaspace, name).</summary>
/// <param name="Schemaspace">The schemaspace's name, lower-case.</param>
/// <param name="Name">The instance's name, unique in its schemaspace.</param>
/// <param name="Content">The instance's JSON (<c>{display_name, schema_name, metadata}</c>); the store does not interpret it.</param>
/// <param name="CreateTime">When it was created, in milliseconds since the epoch.</param>
/// <param name="UpdateTime">When it was last written, in milliseconds since the epoch.</param>
public sealed record StoredInstanceRecord(string Schemaspace, string Name, string Content, long CreateTime, long UpdateTime);

/// <summary>
/// Schemaspace instances kept in the store itself (a table of the SQLite or PostgreSQL store), each write one
/// transaction of the store. Stores that keep them implement it beside <see cref="IMetadataStore"/>: test with
/// <c>store as IInstanceStorage</c>.
/// </summary>
/// <remarks>The store only keeps text; validation against schemas is <c>Cairn.Schemaspaces</c>' job.</remarks>
public interface IInstanceStorage
{
    /// <summary>The instances of <paramref name="schemaspace"/> ordered by name (only <paramref name="name"/> when given).</summary>
    Task<IReadOnlyList<StoredInstanceRecord>> GetInstancesAsync(string schemaspace, string? name = null, CancellationToken cancellationToken = default);

    /// <summary>Writes instance <paramref name="name"/>: with <paramref name="create"/>, only when it does not exist; otherwise inserted or replaced.</summary>
    /// <returns>The instance as stored.</returns>
    /// <exception cref="AlreadyExistsException"><paramref name="create"/> and the name is taken (also when a concurrent create took it first).</exception>
    Task<StoredInstanceRecord> PutInstanceAsync(string schemaspace, string name, string content, bool create, CancellationToken cancellationToken = default);

    /// <summary>Deletes instance <paramref name="name"/>; false when there was none.</summary>
    Task<bool> DeleteInstanceAsync(string schemaspace, string name, CancellationToken cancellationToken = default);
}

/// <summary>The messages of <see cref="IInstanceStorage"/> implementations.</summary>
public static class InstanceStorageMessages
{
    /// <summary>A create found the name taken.</summary>
    public static string InstanceExists(string name, string schemaspace) =>
        string.Format(CultureInfo.InvariantCulture, "An instance named '{0}' already exists in the {1} schemaspace.", name, schemaspace);

    /// <summary>The remote client has no instance storage.</summary>
    public static string RemoteUnsupported(string displayUri) =>
        string.Format(CultureInfo.InvariantCulture, "Schemaspace instances cannot be read or written through the gRPC store {0}: use the server's REST routes (/api/v1/schemaspaces/… or /elyra/metadata/…), or open the server's store directly (sqlite:// or postgres://).", displayUri);
}
