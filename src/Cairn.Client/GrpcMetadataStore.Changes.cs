using Cairn.Grpc;
using V1 = Cairn.Grpc.V1;

namespace Cairn.Client;

internal sealed partial class GrpcMetadataStore
{
    private V1.CairnChangeService.CairnChangeServiceClient? _changes;

    private V1.CairnChangeService.CairnChangeServiceClient Changes => _changes ??= new V1.CairnChangeService.CairnChangeServiceClient(_channel);

    public async Task<ChangePage> GetChangesAsync(long after = 0, int limit = ChangeLog.DefaultLimit, ChangeEntity? entity = null, CancellationToken cancellationToken = default)
    {
        ChangeLog.CheckPage(after, limit);
        var request = new V1.GetChangesRequest { After = after, Limit = limit };
        if (entity is { } e) request.Entity = ChangeLog.NameOf(e);
        var client = Changes;
        return ChangeMapping.ToCore(await CallAsync(o => client.GetChangesAsync(request, o), cancellationToken).ConfigureAwait(false));
    }

    public async Task<IReadOnlyList<Change>> GetHistoryAsync(ChangeEntity entity, long id, CancellationToken cancellationToken = default)
    {
        ChangeLog.CheckHistoryEntity(entity);
        var request = new V1.GetHistoryRequest { Entity = ChangeLog.NameOf(entity), Id = id };
        var client = Changes;
        return [.. (await CallAsync(o => client.GetHistoryAsync(request, o), cancellationToken).ConfigureAwait(false)).Changes.Select(ChangeMapping.ToCore)];
    }
}
