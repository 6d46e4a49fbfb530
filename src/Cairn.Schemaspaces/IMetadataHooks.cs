namespace Cairn.Schemaspaces;

/// <summary>What a hook is told about the instance it runs for.</summary>
/// <param name="Schemaspace">The instance's schemaspace.</param>
/// <param name="Schema">The instance's schema.</param>
public sealed record MetadataHookContext(Schemaspace Schemaspace, MetadataSchema Schema)
{
    /// <summary>
    /// The manager running the hook: an <see cref="IMetadataHooks.OnLoadAsync"/> that migrates an instance saves it with
    /// <c>Manager.UpdateAsync(name, input, forMigration: true)</c>, which does not read it back (so no recursion).
    /// </summary>
    public MetadataManager? Manager { get; init; }
}

/// <summary>
/// Code that runs around an instance's persistence (the methods Elyra's Metadata subclasses override), attached per
/// schema through <see cref="MetadataManagerOptions.Hooks"/>. Every method does nothing by default.
/// </summary>
/// <remarks>
/// The order: a read runs <see cref="OnLoadAsync"/> before validation; a create or update runs
/// <see cref="PreSaveAsync"/>, then defaults and validation, the write, <see cref="PostSaveAsync"/> on the instance as
/// written, and a read (so <see cref="OnLoadAsync"/> again); a removal runs <see cref="PreDeleteAsync"/>, the delete
/// and <see cref="PostDeleteAsync"/>. When a post hook throws, the write is undone (a create deleted, an update
/// restored, a removal re-created) without running hooks, and the hook's exception is rethrown.
/// </remarks>
public interface IMetadataHooks
{
    /// <summary>Runs after an instance is read, before it is validated; returns the instance to use (a migration may rewrite it).</summary>
    ValueTask<MetadataInstance> OnLoadAsync(MetadataHookContext context, MetadataInstance instance, CancellationToken cancellationToken) =>
        ValueTask.FromResult(instance);

    /// <summary>Runs before an instance is saved (before defaults and validation); returns the instance to save. Throwing cancels the save.</summary>
    ValueTask<MetadataInstance> PreSaveAsync(MetadataHookContext context, MetadataInstance instance, bool forUpdate, CancellationToken cancellationToken) =>
        ValueTask.FromResult(instance);

    /// <summary>Runs after an instance was written; throwing undoes the write.</summary>
    ValueTask PostSaveAsync(MetadataHookContext context, MetadataInstance instance, bool forUpdate, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    /// <summary>Runs before an instance is deleted; throwing cancels the removal.</summary>
    ValueTask PreDeleteAsync(MetadataHookContext context, MetadataInstance instance, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    /// <summary>Runs after an instance was deleted; throwing re-creates it.</summary>
    ValueTask PostDeleteAsync(MetadataHookContext context, MetadataInstance instance, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;
}
