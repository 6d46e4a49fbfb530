using Cairn.Grpc;
using Google.Protobuf;
using Grpc.Core;
using static Cairn.Grpc.MlmdMapping;
using M = Cairn.Grpc.Mlmd;
using V1 = Cairn.Grpc.V1;

namespace Cairn.Server;

/// <summary>
/// <c>ml_metadata.MetadataStoreService</c> over an <see cref="IMetadataStore"/>: each RPC maps its request, makes one
/// core call (one transaction) and maps the answer. Errors are mapped once, by <see cref="ErrorInterceptor"/>.
/// </summary>
internal sealed class MlmdService(IMetadataStore store) : M.MetadataStoreService.MetadataStoreServiceBase
{
    // ------------------------------------------------------------------ type writes

#pragma warning disable CS0612 // all_fields_match is deprecated in MLMD's proto, yet MLMD still honours it (false is refused).
    private static TypeUpsertOptions TypeOptions(bool canAdd, bool canOmit, bool allFieldsMatch) =>
        new() { CanAddFields = canAdd, CanOmitFields = canOmit, AllFieldsMatch = allFieldsMatch };

    public override async Task<M.PutArtifactTypeResponse> PutArtifactType(M.PutArtifactTypeRequest request, ServerCallContext context) => new()
    {
        TypeId = await store.PutArtifactTypeAsync(
            ToCore(request.ArtifactType ?? new M.ArtifactType()),
            TypeOptions(request.CanAddFields, request.CanOmitFields, request.AllFieldsMatch),
            context.CancellationToken).ConfigureAwait(false),
    };

    public override async Task<M.PutExecutionTypeResponse> PutExecutionType(M.PutExecutionTypeRequest request, ServerCallContext context) => new()
    {
        TypeId = await store.PutExecutionTypeAsync(
            ToCore(request.ExecutionType ?? new M.ExecutionType()),
            TypeOptions(request.CanAddFields, request.CanOmitFields, request.AllFieldsMatch),
            context.CancellationToken).ConfigureAwait(false),
    };

    public override async Task<M.PutContextTypeResponse> PutContextType(M.PutContextTypeRequest request, ServerCallContext context) => new()
    {
        TypeId = await store.PutContextTypeAsync(
            ToCore(request.ContextType ?? new M.ContextType()),
            TypeOptions(request.CanAddFields, request.CanOmitFields, request.AllFieldsMatch),
            context.CancellationToken).ConfigureAwait(false),
    };

    public override async Task<M.PutTypesResponse> PutTypes(M.PutTypesRequest request, ServerCallContext context)
    {
        var result = await store.PutTypesAsync(
            [.. request.ArtifactTypes.Select(ToCore)],
            [.. request.ExecutionTypes.Select(ToCore)],
            [.. request.ContextTypes.Select(ToCore)],
            TypeOptions(request.CanAddFields, request.CanOmitFields, request.AllFieldsMatch),
            context.CancellationToken).ConfigureAwait(false);
        var response = new M.PutTypesResponse();
        response.ArtifactTypeIds.AddRange(result.ArtifactTypeIds);
        response.ExecutionTypeIds.AddRange(result.ExecutionTypeIds);
        response.ContextTypeIds.AddRange(result.ContextTypeIds);
        return response;
    }
#pragma warning restore CS0612

    // ------------------------------------------------------------------ node and edge writes

    // The puts take the labels of cairn.v1.CairnLabelService.PutNodes (null from MLMD's own calls: stored labels are kept).

    public override Task<M.PutArtifactsResponse> PutArtifacts(M.PutArtifactsRequest request, ServerCallContext context) =>
        PutArtifactsAsync(request, null, context);

    internal async Task<M.PutArtifactsResponse> PutArtifactsAsync(M.PutArtifactsRequest request, V1.PutNodesRequest? labels, ServerCallContext context)
    {
        var options = new PutNodesOptions
        {
            UpdateMask = Paths(request.UpdateMask),
            AbortIfLatestUpdatedTimeChanged = request.Options?.AbortIfLatestUpdatedTimeChanged ?? false,
        };
        var ids = await store.PutArtifactsAsync([.. request.Artifacts.Select((a, i) => LabelMapping.Apply(ToCore(a), labels?.ArtifactLabels, i))], options, context.CancellationToken).ConfigureAwait(false);
        var response = new M.PutArtifactsResponse();
        response.ArtifactIds.AddRange(ids);
        return response;
    }

    public override Task<M.PutExecutionsResponse> PutExecutions(M.PutExecutionsRequest request, ServerCallContext context) =>
        PutExecutionsAsync(request, null, context);

    internal async Task<M.PutExecutionsResponse> PutExecutionsAsync(M.PutExecutionsRequest request, V1.PutNodesRequest? labels, ServerCallContext context)
    {
        var options = new PutNodesOptions { UpdateMask = Paths(request.UpdateMask) };
        var ids = await store.PutExecutionsAsync([.. request.Executions.Select((x, i) => LabelMapping.Apply(ToCore(x), labels?.ExecutionLabels, i))], options, context.CancellationToken).ConfigureAwait(false);
        var response = new M.PutExecutionsResponse();
        response.ExecutionIds.AddRange(ids);
        return response;
    }

    public override Task<M.PutContextsResponse> PutContexts(M.PutContextsRequest request, ServerCallContext context) =>
        PutContextsAsync(request, null, context);

    internal async Task<M.PutContextsResponse> PutContextsAsync(M.PutContextsRequest request, V1.PutNodesRequest? labels, ServerCallContext context)
    {
        var options = new PutNodesOptions { UpdateMask = Paths(request.UpdateMask) };
        var ids = await store.PutContextsAsync([.. request.Contexts.Select((c, i) => LabelMapping.Apply(ToCore(c), labels?.ContextLabels, i))], options, context.CancellationToken).ConfigureAwait(false);
        var response = new M.PutContextsResponse();
        response.ContextIds.AddRange(ids);
        return response;
    }

    public override async Task<M.PutEventsResponse> PutEvents(M.PutEventsRequest request, ServerCallContext context)
    {
        await store.PutEventsAsync([.. request.Events.Select(ToCore)], context.CancellationToken).ConfigureAwait(false);
        return new M.PutEventsResponse();
    }

    public override async Task<M.PutAttributionsAndAssociationsResponse> PutAttributionsAndAssociations(
        M.PutAttributionsAndAssociationsRequest request, ServerCallContext context)
    {
        await store.PutAttributionsAndAssociationsAsync(
            [.. request.Attributions.Select(ToCore)], [.. request.Associations.Select(ToCore)], context.CancellationToken).ConfigureAwait(false);
        return new M.PutAttributionsAndAssociationsResponse();
    }

    public override async Task<M.PutParentContextsResponse> PutParentContexts(M.PutParentContextsRequest request, ServerCallContext context)
    {
        await store.PutParentContextsAsync([.. request.ParentContexts.Select(ToCore)], context.CancellationToken).ConfigureAwait(false);
        return new M.PutParentContextsResponse();
    }

    public override Task<M.PutExecutionResponse> PutExecution(M.PutExecutionRequest request, ServerCallContext context) =>
        PutExecutionAsync(request, null, context);

    internal async Task<M.PutExecutionResponse> PutExecutionAsync(M.PutExecutionRequest request, V1.PutNodesRequest? labels, ServerCallContext context)
    {
        var o = request.Options;
        var options = new PutExecutionOptions
        {
            ReuseContextIfAlreadyExist = o?.ReuseContextIfAlreadyExist ?? false,
            ReuseArtifactIfAlreadyExistByExternalId = o?.ReuseArtifactIfAlreadyExistByExternalId ?? false,
            ForceUpdateTime = o?.ForceUpdateTime ?? false,
            ForceReuseContext = o?.ForceReuseContext ?? false,
        };
        var pairs = request.ArtifactEventPairs
            .Select((p, i) => new ArtifactAndEvent(p.Artifact is { } a ? LabelMapping.Apply(ToCore(a), labels?.ArtifactLabels, i) : null, p.Event is { } e ? ToCore(e) : null))
            .ToList();

        // The core refuses a missing execution with MLMD's message.
        var execution = request.Execution is { } x ? LabelMapping.Apply(ToCore(x), labels?.ExecutionLabels, 0) : null;
        var result = await store.PutExecutionAsync(execution!, pairs, [.. request.Contexts.Select((c, i) => LabelMapping.Apply(ToCore(c), labels?.ContextLabels, i))], options, context.CancellationToken).ConfigureAwait(false);
        var response = new M.PutExecutionResponse { ExecutionId = result.ExecutionId };
        response.ArtifactIds.AddRange(result.ArtifactIds);
        response.ContextIds.AddRange(result.ContextIds);
        return response;
    }

    public override Task<M.PutLineageSubgraphResponse> PutLineageSubgraph(M.PutLineageSubgraphRequest request, ServerCallContext context) =>
        PutLineageSubgraphAsync(request, null, context);

    internal async Task<M.PutLineageSubgraphResponse> PutLineageSubgraphAsync(
        M.PutLineageSubgraphRequest request, V1.PutNodesRequest? labels, ServerCallContext context)
    {
        var options = new PutLineageSubgraphOptions
        {
            ReuseContextIfAlreadyExist = request.Options?.ReuseContextIfAlreadyExist ?? false,
            ReuseArtifactIfAlreadyExistByExternalId = request.Options?.ReuseArtifactIfAlreadyExistByExternalId ?? false,
        };
        var edges = request.EventEdges
            .Select(e => new EventEdge(
                e.HasExecutionIndex ? e.ExecutionIndex : null,
                e.HasArtifactIndex ? e.ArtifactIndex : null,
                e.Event is { } ev ? ToCore(ev) : null))
            .ToList();
        var result = await store.PutLineageSubgraphAsync(
            [.. request.Executions.Select((x, i) => LabelMapping.Apply(ToCore(x), labels?.ExecutionLabels, i))],
            [.. request.Artifacts.Select((a, i) => LabelMapping.Apply(ToCore(a), labels?.ArtifactLabels, i))],
            [.. request.Contexts.Select((c, i) => LabelMapping.Apply(ToCore(c), labels?.ContextLabels, i))],
            edges,
            options,
            context.CancellationToken).ConfigureAwait(false);
        var response = new M.PutLineageSubgraphResponse();
        response.ExecutionIds.AddRange(result.ExecutionIds);
        response.ArtifactIds.AddRange(result.ArtifactIds);
        response.ContextIds.AddRange(result.ContextIds);
        return response;
    }

    // ------------------------------------------------------------------ type reads

    private static string? Version(bool has, string version) => has && version.Length > 0 ? version : null;

    public override async Task<M.GetArtifactTypeResponse> GetArtifactType(M.GetArtifactTypeRequest request, ServerCallContext context) => new()
    {
        ArtifactType = ToProto(await store.GetArtifactTypeAsync(request.TypeName, Version(request.HasTypeVersion, request.TypeVersion), context.CancellationToken).ConfigureAwait(false)),
    };

    public override async Task<M.GetExecutionTypeResponse> GetExecutionType(M.GetExecutionTypeRequest request, ServerCallContext context) => new()
    {
        ExecutionType = ToProto(await store.GetExecutionTypeAsync(request.TypeName, Version(request.HasTypeVersion, request.TypeVersion), context.CancellationToken).ConfigureAwait(false)),
    };

    public override async Task<M.GetContextTypeResponse> GetContextType(M.GetContextTypeRequest request, ServerCallContext context) => new()
    {
        ContextType = ToProto(await store.GetContextTypeAsync(request.TypeName, Version(request.HasTypeVersion, request.TypeVersion), context.CancellationToken).ConfigureAwait(false)),
    };

    public override async Task<M.GetArtifactTypesByIDResponse> GetArtifactTypesByID(M.GetArtifactTypesByIDRequest request, ServerCallContext context)
    {
        var response = new M.GetArtifactTypesByIDResponse();
        response.ArtifactTypes.AddRange((await store.GetArtifactTypesByIdAsync(request.TypeIds, context.CancellationToken).ConfigureAwait(false)).Select(ToProto));
        return response;
    }

    public override async Task<M.GetExecutionTypesByIDResponse> GetExecutionTypesByID(M.GetExecutionTypesByIDRequest request, ServerCallContext context)
    {
        var response = new M.GetExecutionTypesByIDResponse();
        response.ExecutionTypes.AddRange((await store.GetExecutionTypesByIdAsync(request.TypeIds, context.CancellationToken).ConfigureAwait(false)).Select(ToProto));
        return response;
    }

    public override async Task<M.GetContextTypesByIDResponse> GetContextTypesByID(M.GetContextTypesByIDRequest request, ServerCallContext context)
    {
        var response = new M.GetContextTypesByIDResponse();
        response.ContextTypes.AddRange((await store.GetContextTypesByIdAsync(request.TypeIds, context.CancellationToken).ConfigureAwait(false)).Select(ToProto));
        return response;
    }

    public override async Task<M.GetArtifactTypesResponse> GetArtifactTypes(M.GetArtifactTypesRequest request, ServerCallContext context)
    {
        var response = new M.GetArtifactTypesResponse();
        response.ArtifactTypes.AddRange((await store.GetArtifactTypesAsync(context.CancellationToken).ConfigureAwait(false)).Select(ToProto));
        return response;
    }

    public override async Task<M.GetExecutionTypesResponse> GetExecutionTypes(M.GetExecutionTypesRequest request, ServerCallContext context)
    {
        var response = new M.GetExecutionTypesResponse();
        response.ExecutionTypes.AddRange((await store.GetExecutionTypesAsync(context.CancellationToken).ConfigureAwait(false)).Select(ToProto));
        return response;
    }

    public override async Task<M.GetContextTypesResponse> GetContextTypes(M.GetContextTypesRequest request, ServerCallContext context)
    {
        var response = new M.GetContextTypesResponse();
        response.ContextTypes.AddRange((await store.GetContextTypesAsync(context.CancellationToken).ConfigureAwait(false)).Select(ToProto));
        return response;
    }

    public override async Task<M.GetArtifactTypesByExternalIdsResponse> GetArtifactTypesByExternalIds(M.GetArtifactTypesByExternalIdsRequest request, ServerCallContext context)
    {
        var response = new M.GetArtifactTypesByExternalIdsResponse();
        response.ArtifactTypes.AddRange((await store.GetArtifactTypesByExternalIdsAsync(request.ExternalIds, context.CancellationToken).ConfigureAwait(false)).Select(ToProto));
        return response;
    }

    public override async Task<M.GetExecutionTypesByExternalIdsResponse> GetExecutionTypesByExternalIds(M.GetExecutionTypesByExternalIdsRequest request, ServerCallContext context)
    {
        var response = new M.GetExecutionTypesByExternalIdsResponse();
        response.ExecutionTypes.AddRange((await store.GetExecutionTypesByExternalIdsAsync(request.ExternalIds, context.CancellationToken).ConfigureAwait(false)).Select(ToProto));
        return response;
    }

    public override async Task<M.GetContextTypesByExternalIdsResponse> GetContextTypesByExternalIds(M.GetContextTypesByExternalIdsRequest request, ServerCallContext context)
    {
        var response = new M.GetContextTypesByExternalIdsResponse();
        response.ContextTypes.AddRange((await store.GetContextTypesByExternalIdsAsync(request.ExternalIds, context.CancellationToken).ConfigureAwait(false)).Select(ToProto));
        return response;
    }

    // ------------------------------------------------------------------ node lists

    // MLMD sets next_page_token whenever the request had options, empty on the last page.
    private static string? Token(M.ListOperationOptions? options, string? token) => options is null ? null : token ?? string.Empty;

    public override async Task<M.GetArtifactsResponse> GetArtifacts(M.GetArtifactsRequest request, ServerCallContext context)
    {
        var page = await store.GetArtifactsAsync(ToCore(request.Options), context.CancellationToken).ConfigureAwait(false);
        var response = new M.GetArtifactsResponse();
        response.Artifacts.AddRange(page.Items.Select(ToProto));
        if (Token(request.Options, page.NextPageToken) is { } token) response.NextPageToken = token;
        return response;
    }

    public override async Task<M.GetExecutionsResponse> GetExecutions(M.GetExecutionsRequest request, ServerCallContext context)
    {
        var page = await store.GetExecutionsAsync(ToCore(request.Options), context.CancellationToken).ConfigureAwait(false);
        var response = new M.GetExecutionsResponse();
        response.Executions.AddRange(page.Items.Select(ToProto));
        if (Token(request.Options, page.NextPageToken) is { } token) response.NextPageToken = token;
        return response;
    }

    public override async Task<M.GetContextsResponse> GetContexts(M.GetContextsRequest request, ServerCallContext context)
    {
        var page = await store.GetContextsAsync(ToCore(request.Options), context.CancellationToken).ConfigureAwait(false);
        var response = new M.GetContextsResponse();
        response.Contexts.AddRange(page.Items.Select(ToProto));
        if (Token(request.Options, page.NextPageToken) is { } token) response.NextPageToken = token;
        return response;
    }

    public override async Task<M.GetArtifactsByTypeResponse> GetArtifactsByType(M.GetArtifactsByTypeRequest request, ServerCallContext context)
    {
        var page = await store.GetArtifactsByTypeAsync(
            request.TypeName, Version(request.HasTypeVersion, request.TypeVersion), ToCore(request.Options), context.CancellationToken).ConfigureAwait(false);
        var response = new M.GetArtifactsByTypeResponse();
        response.Artifacts.AddRange(page.Items.Select(ToProto));
        if (Token(request.Options, page.NextPageToken) is { } token) response.NextPageToken = token;
        return response;
    }

    public override async Task<M.GetExecutionsByTypeResponse> GetExecutionsByType(M.GetExecutionsByTypeRequest request, ServerCallContext context)
    {
        var page = await store.GetExecutionsByTypeAsync(
            request.TypeName, Version(request.HasTypeVersion, request.TypeVersion), ToCore(request.Options), context.CancellationToken).ConfigureAwait(false);
        var response = new M.GetExecutionsByTypeResponse();
        response.Executions.AddRange(page.Items.Select(ToProto));
        if (Token(request.Options, page.NextPageToken) is { } token) response.NextPageToken = token;
        return response;
    }

    public override async Task<M.GetContextsByTypeResponse> GetContextsByType(M.GetContextsByTypeRequest request, ServerCallContext context)
    {
        var page = await store.GetContextsByTypeAsync(
            request.TypeName, Version(request.HasTypeVersion, request.TypeVersion), ToCore(request.Options), context.CancellationToken).ConfigureAwait(false);
        var response = new M.GetContextsByTypeResponse();
        response.Contexts.AddRange(page.Items.Select(ToProto));
        if (Token(request.Options, page.NextPageToken) is { } token) response.NextPageToken = token;
        return response;
    }

    public override async Task<M.GetArtifactsByContextResponse> GetArtifactsByContext(M.GetArtifactsByContextRequest request, ServerCallContext context)
    {
        var page = await store.GetArtifactsByContextAsync(request.ContextId, ToCore(request.Options), context.CancellationToken).ConfigureAwait(false);
        var response = new M.GetArtifactsByContextResponse();
        response.Artifacts.AddRange(page.Items.Select(ToProto));
        if (Token(request.Options, page.NextPageToken) is { } token) response.NextPageToken = token;
        return response;
    }

    public override async Task<M.GetExecutionsByContextResponse> GetExecutionsByContext(M.GetExecutionsByContextRequest request, ServerCallContext context)
    {
        var page = await store.GetExecutionsByContextAsync(request.ContextId, ToCore(request.Options), context.CancellationToken).ConfigureAwait(false);
        var response = new M.GetExecutionsByContextResponse();
        response.Executions.AddRange(page.Items.Select(ToProto));
        if (Token(request.Options, page.NextPageToken) is { } token) response.NextPageToken = token;
        return response;
    }

    // ------------------------------------------------------------------ node lookups

    public override async Task<M.GetArtifactsByIDResponse> GetArtifactsByID(M.GetArtifactsByIDRequest request, ServerCallContext context)
    {
        var artifacts = await store.GetArtifactsByIdAsync(request.ArtifactIds, context.CancellationToken).ConfigureAwait(false);
        var response = new M.GetArtifactsByIDResponse();
        response.Artifacts.AddRange(artifacts.Select(ToProto));
        if (request.PopulateArtifactTypes && artifacts.Count > 0)
        {
            // A second read: the core has no call that returns nodes with their types (see docs/mlmd-compatibility.md).
            var typeIds = artifacts.Where(a => a.TypeId is not null).Select(a => a.TypeId!.Value).Distinct().ToList();
            var types = await store.GetArtifactTypesByIdAsync(typeIds, context.CancellationToken).ConfigureAwait(false);
            response.ArtifactTypes.AddRange(types.Select(ToProto));
        }

        return response;
    }

    public override async Task<M.GetExecutionsByIDResponse> GetExecutionsByID(M.GetExecutionsByIDRequest request, ServerCallContext context)
    {
        var response = new M.GetExecutionsByIDResponse();
        response.Executions.AddRange((await store.GetExecutionsByIdAsync(request.ExecutionIds, context.CancellationToken).ConfigureAwait(false)).Select(ToProto));
        return response;
    }

    public override async Task<M.GetContextsByIDResponse> GetContextsByID(M.GetContextsByIDRequest request, ServerCallContext context)
    {
        var response = new M.GetContextsByIDResponse();
        response.Contexts.AddRange((await store.GetContextsByIdAsync(request.ContextIds, context.CancellationToken).ConfigureAwait(false)).Select(ToProto));
        return response;
    }

    public override async Task<M.GetArtifactByTypeAndNameResponse> GetArtifactByTypeAndName(M.GetArtifactByTypeAndNameRequest request, ServerCallContext context)
    {
        var found = await store.GetArtifactByTypeAndNameAsync(
            request.TypeName, request.ArtifactName, Version(request.HasTypeVersion, request.TypeVersion), context.CancellationToken).ConfigureAwait(false);
        return new M.GetArtifactByTypeAndNameResponse { Artifact = found is null ? null : ToProto(found) };
    }

    public override async Task<M.GetExecutionByTypeAndNameResponse> GetExecutionByTypeAndName(M.GetExecutionByTypeAndNameRequest request, ServerCallContext context)
    {
        var found = await store.GetExecutionByTypeAndNameAsync(
            request.TypeName, request.ExecutionName, Version(request.HasTypeVersion, request.TypeVersion), context.CancellationToken).ConfigureAwait(false);
        return new M.GetExecutionByTypeAndNameResponse { Execution = found is null ? null : ToProto(found) };
    }

    public override async Task<M.GetContextByTypeAndNameResponse> GetContextByTypeAndName(M.GetContextByTypeAndNameRequest request, ServerCallContext context)
    {
        var found = await store.GetContextByTypeAndNameAsync(
            request.TypeName, request.ContextName, Version(request.HasTypeVersion, request.TypeVersion), context.CancellationToken).ConfigureAwait(false);
        return new M.GetContextByTypeAndNameResponse { Context = found is null ? null : ToProto(found) };
    }

    public override async Task<M.GetArtifactsByURIResponse> GetArtifactsByURI(M.GetArtifactsByURIRequest request, ServerCallContext context)
    {
        // Old clients send a single uri as field 1, now reserved; the message keeps it among its unknown fields.
        if (CarriesField(request, DeprecatedUriFieldNumber))
            throw new InvalidArgumentException(GrpcMessages.DeprecatedUriField);
        var response = new M.GetArtifactsByURIResponse();
        response.Artifacts.AddRange((await store.GetArtifactsByUriAsync(request.Uris, context.CancellationToken).ConfigureAwait(false)).Select(ToProto));
        return response;
    }

    private const int DeprecatedUriFieldNumber = 1;

    /// <summary>True when the serialized message holds field <paramref name="number"/>, known or not.</summary>
    internal static bool CarriesField(IMessage message, int number)
    {
        var input = new CodedInputStream(message.ToByteArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == number) return true;
            input.SkipLastField();
        }

        return false;
    }

    public override async Task<M.GetArtifactsByExternalIdsResponse> GetArtifactsByExternalIds(M.GetArtifactsByExternalIdsRequest request, ServerCallContext context)
    {
        var response = new M.GetArtifactsByExternalIdsResponse();
        response.Artifacts.AddRange((await store.GetArtifactsByExternalIdsAsync(request.ExternalIds, context.CancellationToken).ConfigureAwait(false)).Select(ToProto));
        return response;
    }

    public override async Task<M.GetExecutionsByExternalIdsResponse> GetExecutionsByExternalIds(M.GetExecutionsByExternalIdsRequest request, ServerCallContext context)
    {
        var response = new M.GetExecutionsByExternalIdsResponse();
        response.Executions.AddRange((await store.GetExecutionsByExternalIdsAsync(request.ExternalIds, context.CancellationToken).ConfigureAwait(false)).Select(ToProto));
        return response;
    }

    public override async Task<M.GetContextsByExternalIdsResponse> GetContextsByExternalIds(M.GetContextsByExternalIdsRequest request, ServerCallContext context)
    {
        var response = new M.GetContextsByExternalIdsResponse();
        response.Contexts.AddRange((await store.GetContextsByExternalIdsAsync(request.ExternalIds, context.CancellationToken).ConfigureAwait(false)).Select(ToProto));
        return response;
    }

    // ------------------------------------------------------------------ events and context edges

    public override async Task<M.GetEventsByExecutionIDsResponse> GetEventsByExecutionIDs(M.GetEventsByExecutionIDsRequest request, ServerCallContext context)
    {
        var response = new M.GetEventsByExecutionIDsResponse();
        response.Events.AddRange((await store.GetEventsByExecutionIdsAsync(request.ExecutionIds, context.CancellationToken).ConfigureAwait(false)).Select(ToProto));
        return response;
    }

    public override async Task<M.GetEventsByArtifactIDsResponse> GetEventsByArtifactIDs(M.GetEventsByArtifactIDsRequest request, ServerCallContext context)
    {
        var response = new M.GetEventsByArtifactIDsResponse();
        response.Events.AddRange((await store.GetEventsByArtifactIdsAsync(request.ArtifactIds, context.CancellationToken).ConfigureAwait(false)).Select(ToProto));
        return response;
    }

    public override async Task<M.GetContextsByArtifactResponse> GetContextsByArtifact(M.GetContextsByArtifactRequest request, ServerCallContext context)
    {
        var response = new M.GetContextsByArtifactResponse();
        response.Contexts.AddRange((await store.GetContextsByArtifactAsync(request.ArtifactId, context.CancellationToken).ConfigureAwait(false)).Select(ToProto));
        return response;
    }

    public override async Task<M.GetContextsByExecutionResponse> GetContextsByExecution(M.GetContextsByExecutionRequest request, ServerCallContext context)
    {
        var response = new M.GetContextsByExecutionResponse();
        response.Contexts.AddRange((await store.GetContextsByExecutionAsync(request.ExecutionId, context.CancellationToken).ConfigureAwait(false)).Select(ToProto));
        return response;
    }

    public override async Task<M.GetParentContextsByContextResponse> GetParentContextsByContext(M.GetParentContextsByContextRequest request, ServerCallContext context)
    {
        var response = new M.GetParentContextsByContextResponse();
        response.Contexts.AddRange((await store.GetParentContextsByContextAsync(request.ContextId, context.CancellationToken).ConfigureAwait(false)).Select(ToProto));
        return response;
    }

    public override async Task<M.GetChildrenContextsByContextResponse> GetChildrenContextsByContext(M.GetChildrenContextsByContextRequest request, ServerCallContext context)
    {
        var response = new M.GetChildrenContextsByContextResponse();
        response.Contexts.AddRange((await store.GetChildrenContextsByContextAsync(request.ContextId, context.CancellationToken).ConfigureAwait(false)).Select(ToProto));
        return response;
    }

    public override async Task<M.GetParentContextsByContextsResponse> GetParentContextsByContexts(M.GetParentContextsByContextsRequest request, ServerCallContext context)
    {
        var map = await store.GetParentContextsByContextsAsync(request.ContextIds, context.CancellationToken).ConfigureAwait(false);
        var response = new M.GetParentContextsByContextsResponse();
        foreach (var (child, parents) in map)
        {
            var entry = new M.GetParentContextsByContextsResponse.Types.ParentContextsPerChild();
            entry.ParentContexts.AddRange(parents.Select(ToProto));
            response.Contexts[child] = entry;
        }

        return response;
    }

    public override async Task<M.GetChildrenContextsByContextsResponse> GetChildrenContextsByContexts(M.GetChildrenContextsByContextsRequest request, ServerCallContext context)
    {
        var map = await store.GetChildrenContextsByContextsAsync(request.ContextIds, context.CancellationToken).ConfigureAwait(false);
        var response = new M.GetChildrenContextsByContextsResponse();
        foreach (var (parent, children) in map)
        {
            var entry = new M.GetChildrenContextsByContextsResponse.Types.ChildrenContextsPerParent();
            entry.ChildrenContexts.AddRange(children.Select(ToProto));
            response.Contexts[parent] = entry;
        }

        return response;
    }

    // ------------------------------------------------------------------ lineage

    [Obsolete("MLMD deprecated GetLineageGraph; it is answered UNIMPLEMENTED.")]
    public override Task<M.GetLineageGraphResponse> GetLineageGraph(M.GetLineageGraphRequest request, ServerCallContext context) =>
        throw new UnimplementedException(GrpcMessages.LineageGraphUnimplemented);

    public override async Task<M.GetLineageSubgraphResponse> GetLineageSubgraph(M.GetLineageSubgraphRequest request, ServerCallContext context)
    {
        var mask = Paths(request.ReadMask);
        var graph = await store.GetLineageSubgraphAsync(
            ToCore(request.LineageSubgraphQueryOptions), mask.Count == 0 ? null : mask, context.CancellationToken).ConfigureAwait(false);
        return new M.GetLineageSubgraphResponse { LineageSubgraph = ToProto(graph) };
    }
}
