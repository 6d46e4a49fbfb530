using System.Text.Json.Nodes;

namespace Cairn.Schemaspaces;

/// <summary>
/// An instance as a store holds it, before any validation (Elyra's raw instance dict): its name, its JSON (null when
/// it could not be parsed, with <see cref="LoadError"/> saying why), where it is, and whether the store may change it.
/// </summary>
/// <param name="Name">The instance's name (with the file layout, the file's stem; a <c>name</c> in the content is ignored).</param>
/// <param name="Content">The stored <c>{display_name, schema_name, metadata}</c>, or null when it could not be read.</param>
/// <param name="Resource">Where it is stored (a file path with the file layout).</param>
/// <param name="Writable">False for factory and system instances, which cannot be removed, only shadowed by an update.</param>
/// <param name="LoadError">Why <paramref name="Content"/> is null.</param>
public sealed record StoredInstance(string Name, JsonObject? Content, string Resource, bool Writable, string? LoadError = null);

/// <summary>
/// Where instances live (Elyra's MetadataStore). The file layout implements it now; the Cairn store (SQLite,
/// PostgreSQL) will implement it too, sharing the store's transactions.
/// </summary>
/// <remarks>Names are already validated when they reach a store; stores never validate content against schemas.</remarks>
public interface IInstanceStore
{
    /// <summary>Whether any instance of <paramref name="schemaspace"/> was ever stored (the file layout: whether its directory exists at any level).</summary>
    Task<bool> SchemaspaceExistsAsync(string schemaspace, CancellationToken cancellationToken = default);

    /// <summary>
    /// The instances of <paramref name="schemaspace"/> (only the one named <paramref name="name"/> when given; none
    /// when it does not exist), each once: where several levels hold the same name, the highest-priority one.
    /// Unreadable instances are returned with their <see cref="StoredInstance.LoadError"/>, never dropped.
    /// </summary>
    Task<IReadOnlyList<StoredInstance>> FetchAsync(string schemaspace, string? name = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes <paramref name="content"/> as instance <paramref name="name"/> and returns it as read back. A create
    /// (<paramref name="forUpdate"/> false) is refused with <see cref="AlreadyExistsException"/> when the name exists
    /// anywhere in the schemaspace; an update of a read-only instance writes a copy that shadows it.
    /// </summary>
    Task<StoredInstance> StoreAsync(string schemaspace, string name, JsonObject content, bool forUpdate, CancellationToken cancellationToken = default);

    /// <summary>Deletes <paramref name="instance"/>; a read-only one is refused with <see cref="FailedPreconditionException"/>.</summary>
    Task DeleteAsync(string schemaspace, StoredInstance instance, CancellationToken cancellationToken = default);
}
