namespace Cairn.Store.Relational;

/// <summary>The atomic multi-entity writes: MLMD <c>PutExecution</c> and <c>PutLineageSubgraph</c>.</summary>
internal static class CompositeOperations
{
    public static async Task<PutExecutionResult> PutExecutionAsync(
        Session s, Execution? execution, IReadOnlyList<ArtifactAndEvent> pairs, IReadOnlyList<Context> contexts,
        PutExecutionOptions options, TypeCache types, CancellationToken ct)
    {
        if (execution is null) throw new InvalidArgumentException(Messages.PutExecutionNoExecution);

        // 1. Artifacts, in request order.
        var pairArtifactIds = new long?[pairs.Count];
        for (var i = 0; i < pairs.Count; i++)
        {
            if (pairs[i]?.Artifact is not { } artifact) continue;
            var request = NodeData.From(artifact);
            if (options.ReuseArtifactIfAlreadyExistByExternalId)
                request.Id ??= await FindByExternalIdAsync(s, NodeTable.Artifact, request.ExternalId, ct).ConfigureAwait(false);
            pairArtifactIds[i] = await NodeOperations.UpsertAsync(s, NodeTable.Artifact, request, i, PutNodesOptions.Default, false, types, ct).ConfigureAwait(false);
        }

        // 2. The execution.
        var executionId = await NodeOperations.UpsertAsync(
            s, NodeTable.Execution, NodeData.From(execution), 0, PutNodesOptions.Default, options.ForceUpdateTime, types, ct).ConfigureAwait(false);

        // 3. Events.
        var artifactIds = new long[pairs.Count];
        for (var i = 0; i < pairs.Count; i++)
        {
            var pair = pairs[i];
            var e = pair?.Event;
            long artifactId;
            if (pairArtifactIds[i] is { } stored)
            {
                if (e?.ArtifactId is { } given && given != stored)
                    throw new InvalidArgumentException(Messages.PutExecutionEventArtifactMismatch(i, given, stored));
                artifactId = stored;
            }
            else if (e is not null)
            {
                artifactId = e.ArtifactId ?? throw new InvalidArgumentException(Messages.PutExecutionEventNoArtifact(i));
            }
            else
            {
                artifactIds[i] = -1;
                continue;
            }

            artifactIds[i] = artifactId;
            if (e is null) continue;
            if (e.ExecutionId is { } ex && ex != executionId)
                throw new InvalidArgumentException(Messages.PutExecutionEventExecutionMismatch(ex, executionId));
            await EdgeOperations.InsertEventAsync(s, artifactId, executionId, e, ct).ConfigureAwait(false);
        }

        // 4. Contexts, then the execution's association and the artifacts' attributions.
        var contextIds = new List<long>(contexts.Count);
        for (var i = 0; i < contexts.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(contexts[i]);
            var context = contexts[i];
            if (options.ForceReuseContext && context.Id is { } reuseId)
            {
                if (await EdgeOperations.FirstMissingAsync(s, "context", [reuseId], ct).ConfigureAwait(false) is not null)
                    throw new NotFoundException(Messages.ContextNotFoundForReuse(reuseId));
                contextIds.Add(reuseId);
                continue;
            }

            contextIds.Add(await UpsertContextAsync(s, NodeData.From(context), i, options.ReuseContextIfAlreadyExist, types, ct).ConfigureAwait(false));
        }

        var members = artifactIds.Where(id => id >= 0).Distinct().ToList();
        await EdgeOperations.InsertPairsAsync(s, "association", "execution_id", contextIds.Select(c => (c, executionId)), ct).ConfigureAwait(false);
        await EdgeOperations.InsertPairsAsync(s, "attribution", "artifact_id", contextIds.SelectMany(c => members.Select(a => (c, a))), ct).ConfigureAwait(false);
        return new PutExecutionResult(executionId, artifactIds, contextIds);
    }

    public static async Task<PutLineageSubgraphResult> PutLineageSubgraphAsync(
        Session s, IReadOnlyList<Execution> executions, IReadOnlyList<Artifact> artifacts, IReadOnlyList<Context> contexts,
        IReadOnlyList<EventEdge> edges, PutLineageSubgraphOptions options, TypeCache types, CancellationToken ct)
    {
        // Edges are checked before anything is written.
        for (var i = 0; i < edges.Count; i++)
        {
            var edge = edges[i];
            var e = edge?.Event ?? throw new InvalidArgumentException(Messages.EdgeNoEvent(i));
            if (edge.ExecutionIndex is null && e.ExecutionId is null) throw new InvalidArgumentException(Messages.EdgeNoExecution(i));
            if (edge.ArtifactIndex is null && e.ArtifactId is null) throw new InvalidArgumentException(Messages.EdgeNoArtifact(i));
            if (edge.ExecutionIndex is { } xi)
            {
                if (xi < 0 || xi >= executions.Count) throw new OutOfRangeException(Messages.EdgeExecutionIndexOutOfRange(i, xi, executions.Count));
                if (e.ExecutionId is { } xid && executions[xi].Id != xid) throw new InvalidArgumentException(Messages.EdgeExecutionIdMismatch(i));
            }

            if (edge.ArtifactIndex is { } ai)
            {
                if (ai < 0 || ai >= artifacts.Count) throw new OutOfRangeException(Messages.EdgeArtifactIndexOutOfRange(i, ai, artifacts.Count));
                if (e.ArtifactId is { } aid && artifacts[ai].Id != aid) throw new InvalidArgumentException(Messages.EdgeArtifactIdMismatch(i));
            }
        }

        // Every node is checked against its type before anything is written, as MLMD does.
        for (var i = 0; i < contexts.Count; i++)
            await NodeOperations.ValidateNewAsync(s, NodeTable.Context, NodeData.From(contexts[i] ?? throw new ArgumentNullException(nameof(contexts))), i, types, ct).ConfigureAwait(false);
        for (var i = 0; i < artifacts.Count; i++)
            await NodeOperations.ValidateNewAsync(s, NodeTable.Artifact, NodeData.From(artifacts[i] ?? throw new ArgumentNullException(nameof(artifacts))), i, types, ct).ConfigureAwait(false);
        for (var i = 0; i < executions.Count; i++)
            await NodeOperations.ValidateNewAsync(s, NodeTable.Execution, NodeData.From(executions[i] ?? throw new ArgumentNullException(nameof(executions))), i, types, ct).ConfigureAwait(false);

        var contextIds = new List<long>(contexts.Count);
        for (var i = 0; i < contexts.Count; i++)
        {
            contextIds.Add(await UpsertContextAsync(s, NodeData.From(contexts[i]), i, options.ReuseContextIfAlreadyExist, types, ct).ConfigureAwait(false));
        }

        var artifactIds = new List<long>(artifacts.Count);
        for (var i = 0; i < artifacts.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(artifacts[i]);
            var request = NodeData.From(artifacts[i]);
            if (options.ReuseArtifactIfAlreadyExistByExternalId)
                request.Id ??= await FindByExternalIdAsync(s, NodeTable.Artifact, request.ExternalId, ct).ConfigureAwait(false);
            artifactIds.Add(await NodeOperations.UpsertAsync(s, NodeTable.Artifact, request, i, PutNodesOptions.Default, false, types, ct).ConfigureAwait(false));
        }

        var executionIds = new List<long>(executions.Count);
        for (var i = 0; i < executions.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(executions[i]);
            executionIds.Add(await NodeOperations.UpsertAsync(s, NodeTable.Execution, NodeData.From(executions[i]), i, PutNodesOptions.Default, false, types, ct).ConfigureAwait(false));
        }

        await EdgeOperations.InsertPairsAsync(s, "association", "execution_id", contextIds.SelectMany(c => executionIds.Select(x => (c, x))), ct).ConfigureAwait(false);
        await EdgeOperations.InsertPairsAsync(s, "attribution", "artifact_id", contextIds.SelectMany(c => artifactIds.Select(a => (c, a))), ct).ConfigureAwait(false);

        for (var i = 0; i < edges.Count; i++)
        {
            var edge = edges[i];
            var e = edge.Event!;
            var executionId = edge.ExecutionIndex is { } xi ? executionIds[xi] : e.ExecutionId!.Value;
            var artifactId = edge.ArtifactIndex is { } ai ? artifactIds[ai] : e.ArtifactId!.Value;
            if (edge.ExecutionIndex is null && await EdgeOperations.FirstMissingAsync(s, "execution", [executionId], ct).ConfigureAwait(false) is not null)
                throw new InvalidArgumentException(Messages.EventExecutionNotFound(executionId));
            if (edge.ArtifactIndex is null && await EdgeOperations.FirstMissingAsync(s, "artifact", [artifactId], ct).ConfigureAwait(false) is not null)
                throw new InvalidArgumentException(Messages.EventArtifactNotFound(artifactId));
            await EdgeOperations.InsertEventAsync(s, artifactId, executionId, e, ct).ConfigureAwait(false);
        }

        return new PutLineageSubgraphResult(executionIds, artifactIds, contextIds);
    }

    /// <summary>Context upsert for the composite calls: with the reuse option, a context of the same type and name is reused as stored.</summary>
    private static async Task<long> UpsertContextAsync(Session s, NodeData request, int index, bool reuse, TypeCache types, CancellationToken ct)
    {
        // MLMD requires both even for a context that is updated by id.
        if (request.TypeId is null) throw new InvalidArgumentException(Messages.NodeTypeIdMissing(NodeKind.Context, index));
        if (string.IsNullOrEmpty(request.Name)) throw new InvalidArgumentException(Messages.ContextNameEmpty);
        if (request.Id is null)
        {
            if (reuse)
            {
                var cmd = s.Command("SELECT id FROM context WHERE type_id = @t AND name = @n");
                Session.Bind(cmd, "@t", request.TypeId);
                Session.Bind(cmd, "@n", request.Name);
                if (await s.ScalarAsync(cmd, ct).ConfigureAwait(false) is { } existing)
                    return Convert.ToInt64(existing, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        try
        {
            return await NodeOperations.UpsertAsync(s, NodeTable.Context, request, index, PutNodesOptions.Default, false, types, ct).ConfigureAwait(false);
        }
        catch (AlreadyExistsException e) when (reuse)
        {
            // Another writer created the same context between our lookup and insert (server backends).
            throw new AbortedException(Messages.ContextConcurrentlyCreated(request.Name ?? string.Empty), e);
        }
    }

    private static async Task<long?> FindByExternalIdAsync(Session s, NodeTable table, string? externalId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(externalId)) return null;
        var cmd = s.Command($"SELECT id FROM {table.Table} WHERE external_id = @e");
        Session.Bind(cmd, "@e", externalId);
        var id = await s.ScalarAsync(cmd, ct).ConfigureAwait(false);
        return id is null ? null : Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture);
    }
}
