namespace Cairn.Client;

/// <summary>
/// Schemaspace instances are not part of the gRPC API (MLMD's service has no such calls): every call answers
/// <see cref="UnimplementedException"/> saying to use the server's REST routes or to open its store directly.
/// </summary>
internal sealed partial class GrpcMetadataStore
{
    public Task<IReadOnlyList<StoredInstanceRecord>> GetInstancesAsync(string schemaspace, string? name = null, CancellationToken cancellationToken = default) =>
        throw new UnimplementedException(InstanceStorageMessages.RemoteUnsupported(DisplayUri));

    public Task<StoredInstanceRecord> PutInstanceAsync(string schemaspace, string name, string content, bool create, CancellationToken cancellationToken = default) =>
        throw new UnimplementedException(InstanceStorageMessages.RemoteUnsupported(DisplayUri));

    public Task<bool> DeleteInstanceAsync(string schemaspace, string name, CancellationToken cancellationToken = default) =>
        throw new UnimplementedException(InstanceStorageMessages.RemoteUnsupported(DisplayUri));
}
