using Grpc.Core;
using V1 = Cairn.Grpc.V1;

namespace Cairn.Server;

/// <summary>
/// <c>cairn.v1.CairnLabelService</c>: MLMD's node writes with owners and tags (one core call, one transaction, through the same
/// mapping as <see cref="MlmdService"/>), and the labels of nodes by id.
/// </summary>
internal sealed class LabelService(IMetadataStore store) : V1.CairnLabelService.CairnLabelServiceBase
{
    private readonly MlmdService _mlmd = new(store);

    public override async Task<V1.PutNodesResponse> PutNodes(V1.PutNodesRequest request, ServerCallContext context) => request.RequestCase switch
    {
        V1.PutNodesRequest.RequestOneofCase.PutArtifacts =>
            new() { PutArtifacts = await _mlmd.PutArtifactsAsync(request.PutArtifacts, request, context).ConfigureAwait(false) },
        V1.PutNodesRequest.RequestOneofCase.PutExecutions =>
            new() { PutExecutions = await _mlmd.PutExecutionsAsync(request.PutExecutions, request, context).ConfigureAwait(false) },
        V1.PutNodesRequest.RequestOneofCase.PutContexts =>
            new() { PutContexts = await _mlmd.PutContextsAsync(request.PutContexts, request, context).ConfigureAwait(false) },
        V1.PutNodesRequest.RequestOneofCase.PutExecution =>
            new() { PutExecution = await _mlmd.PutExecutionAsync(request.PutExecution, request, context).ConfigureAwait(false) },
        V1.PutNodesRequest.RequestOneofCase.PutLineageSubgraph =>
            new() { PutLineageSubgraph = await _mlmd.PutLineageSubgraphAsync(request.PutLineageSubgraph, request, context).ConfigureAwait(false) },
        _ => throw new InvalidArgumentException(ServerMessages.PutNodesEmpty),
    };

    public override async Task<V1.GetLabelsResponse> GetLabels(V1.GetLabelsRequest request, ServerCallContext context)
    {
        var ids = request.Ids.Distinct().ToList();
        if (ids.Count == 0) return new V1.GetLabelsResponse();
        var ct = context.CancellationToken;
        IEnumerable<Node> nodes = request.Kind switch
        {
            V1.NodeKind.Artifact => await store.GetArtifactsByIdAsync(ids, ct).ConfigureAwait(false),
            V1.NodeKind.Execution => await store.GetExecutionsByIdAsync(ids, ct).ConfigureAwait(false),
            V1.NodeKind.Context => await store.GetContextsByIdAsync(ids, ct).ConfigureAwait(false),
            _ => throw new InvalidArgumentException(ServerMessages.GetLabelsNoKind),
        };
        return Grpc.LabelMapping.ToProto(nodes);
    }
}
