namespace Cairn.Grpc;

/// <summary>Converts Cairn's own lineage request and result (<c>cairn.v1.CairnLineageService</c>) to and from the core records.</summary>
public static class LineageMapping
{
    /// <summary>A wire lineage request as a core one; absent fields keep the core defaults.</summary>
    public static LineageRequest ToCore(V1.GetLineageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var core = new LineageRequest { Start = [.. request.Start.Select(n => new NodeRef((NodeKind)(int)n.Kind, n.Id))] };
        if (request.HasDirection) core = core with { Direction = (LineageDirection)(int)request.Direction };
        if (request.HasMaxDepth) core = core with { MaxDepth = request.MaxDepth };
        if (request.HasMaxNodes) core = core with { MaxNodes = request.MaxNodes };
        if (request.HasStopAtArtifacts) core = core with { StopAtArtifacts = request.StopAtArtifacts };
        if (request.HasStopAtExecutions) core = core with { StopAtExecutions = request.StopAtExecutions };
        if (request.HasContinuationToken) core = core with { ContinuationToken = request.ContinuationToken };
        if (request.HasOnlyArtifacts) core = core with { OnlyArtifacts = request.OnlyArtifacts };
        if (request.HasOnlyExecutions) core = core with { OnlyExecutions = request.OnlyExecutions };
        if (request.HasIdsOnly) core = core with { IdsOnly = request.IdsOnly };
        return core;
    }

    /// <summary>A core lineage request as a wire one, every field set.</summary>
    public static V1.GetLineageRequest ToProto(LineageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var proto = new V1.GetLineageRequest
        {
            Direction = (V1.LineageDirection)(int)request.Direction,
            MaxDepth = request.MaxDepth,
            MaxNodes = request.MaxNodes,
        };
        proto.Start.AddRange((request.Start ?? []).Select(n => new V1.NodeRef { Kind = (V1.NodeKind)(int)n.Kind, Id = n.Id }));
        if (request.StopAtArtifacts is { } stopArtifacts) proto.StopAtArtifacts = stopArtifacts;
        if (request.StopAtExecutions is { } stopExecutions) proto.StopAtExecutions = stopExecutions;
        if (request.ContinuationToken is { } token) proto.ContinuationToken = token;
        if (request.OnlyArtifacts is { } onlyArtifacts) proto.OnlyArtifacts = onlyArtifacts;
        if (request.OnlyExecutions is { } onlyExecutions) proto.OnlyExecutions = onlyExecutions;
        if (request.IdsOnly) proto.IdsOnly = true;
        return proto;
    }

    /// <summary>A core lineage result as a wire one.</summary>
    public static V1.GetLineageResponse ToProto(LineageResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var proto = new V1.GetLineageResponse { Truncated = result.Truncated };
        foreach (var node in result.Nodes)
        {
            var n = new V1.LineageNode { Depth = node.Depth };
            switch (node.Node)
            {
                case Artifact a: n.Artifact = MlmdMapping.ToProto(a); break;
                case Execution x: n.Execution = MlmdMapping.ToProto(x); break;
                default: continue;
            }

            proto.Nodes.Add(n);
        }

        proto.Events.AddRange(result.Events.Select(MlmdMapping.ToProto));
        if (result.ContinuationToken is { } token) proto.ContinuationToken = token;
        return proto;
    }

    /// <summary>A wire lineage result as a core one.</summary>
    public static LineageResult ToCore(V1.GetLineageResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var nodes = new List<LineageNode>(response.Nodes.Count);
        foreach (var n in response.Nodes)
        {
            Node? node = n.NodeCase switch
            {
                V1.LineageNode.NodeOneofCase.Artifact => MlmdMapping.ToCore(n.Artifact),
                V1.LineageNode.NodeOneofCase.Execution => MlmdMapping.ToCore(n.Execution),
                _ => null,
            };
            if (node is not null) nodes.Add(new LineageNode(node, n.Depth));
        }

        return new LineageResult
        {
            Nodes = nodes,
            Events = [.. response.Events.Select(MlmdMapping.ToCore)],
            Truncated = response.Truncated,
            ContinuationToken = response.HasContinuationToken ? response.ContinuationToken : null,
        };
    }
}
