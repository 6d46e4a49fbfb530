using Cairn.Grpc;
using Grpc.Core;
using Grpc.Net.Client;
using static Cairn.Grpc.MlmdMapping;
using M = Cairn.Grpc.Mlmd;
using V1 = Cairn.Grpc.V1;

namespace Cairn.Client;

/// <summary>
/// An <see cref="IMetadataStore"/> served by a remote server over <c>ml_metadata.MetadataStoreService</c>. Each method is
/// one RPC (one transaction on the server); the server's status codes come back as the same <see cref="CairnException"/>
/// subclasses with the same messages as the embedded store's.
/// </summary>
internal sealed partial class GrpcMetadataStore : IMetadataStore, IInstanceStorage
{
    private const int MaxMessageBytes = 64 * 1024 * 1024;

    private readonly GrpcChannel _channel;
    private readonly M.MetadataStoreService.MetadataStoreServiceClient _client;
    private readonly V1.CairnLineageService.CairnLineageServiceClient _lineage;
    private readonly V1.CairnLabelService.CairnLabelServiceClient _labels;
    private readonly TimeSpan? _timeout;

    public GrpcMetadataStore(Uri address, string displayUri, TimeSpan? timeout)
    {
        _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = MaxMessageBytes,
            MaxSendMessageSize = MaxMessageBytes,
        });
        _client = new M.MetadataStoreService.MetadataStoreServiceClient(_channel);
        _lineage = new V1.CairnLineageService.CairnLineageServiceClient(_channel);
        _labels = new V1.CairnLabelService.CairnLabelServiceClient(_channel);
        DisplayUri = displayUri;
        _timeout = timeout;
    }

    public string DisplayUri { get; }

    public ValueTask DisposeAsync()
    {
        _channel.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>One cheap call, so a wrong address fails when the store is opened rather than on first use.</summary>
    internal Task PingAsync(CancellationToken cancellationToken) =>
        CallAsync(o => _client.GetArtifactTypesByIDAsync(new M.GetArtifactTypesByIDRequest(), o), cancellationToken, TimeSpan.FromSeconds(30));

    private async Task<T> CallAsync<T>(Func<CallOptions, AsyncUnaryCall<T>> call, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var limit = timeout ?? _timeout;
        // The actor of an enclosing ChangeActor scope travels to the server, whose change log records it.
        var headers = ChangeActor.Current is { } actor ? new Metadata { { ChangeMapping.ActorHeader, actor } } : null;
        var options = new CallOptions(headers, deadline: limit is { } t ? DateTime.UtcNow + t : null, cancellationToken: cancellationToken);
        try
        {
            using var pending = call(options);
            return await pending.ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(e.Status.Detail, e, cancellationToken);
        }
        catch (RpcException e)
        {
            throw Translate(e, limit);
        }
    }

    private CairnException Translate(RpcException e, TimeSpan? timeout)
    {
        var detail = e.Status.Detail;
        return e.StatusCode switch
        {
            // Something answered, but not in HTTP/2: typically the server's HTTP/1.1 port given as the gRPC one.
            _ when IsHttpProtocolError(e.Status.DebugException) => new StoreUnavailableException(GrpcMessages.NotGrpc(DisplayUri), e),

            // The transport failed before any server answered (the server's own UNAVAILABLE carries no debug exception).
            StatusCode.Unavailable when e.Status.DebugException is not null =>
                new StoreUnavailableException(GrpcMessages.ServerUnreachable(DisplayUri, e.Status.DebugException.Message), e),
            StatusCode.DeadlineExceeded =>
                new StoreUnavailableException(GrpcMessages.ServerTimedOut(DisplayUri, (timeout ?? TimeSpan.Zero).TotalSeconds), e),
            StatusCode.InvalidArgument or StatusCode.NotFound or StatusCode.AlreadyExists or StatusCode.FailedPrecondition
                or StatusCode.Aborted or StatusCode.OutOfRange or StatusCode.Unimplemented or StatusCode.Internal
                or StatusCode.Unavailable or StatusCode.DataLoss =>
                CairnException.Create((CairnErrorCode)(int)e.StatusCode, detail, e),
            _ => new InternalException(GrpcMessages.ServerAnswered(DisplayUri, e.StatusCode.ToString(), detail), e),
        };
    }

    private static bool IsHttpProtocolError(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { HttpRequestError: HttpRequestError.HttpProtocolError }) return true;
        }

        return false;
    }

    // ------------------------------------------------------------------ types

#pragma warning disable CS0612 // all_fields_match is deprecated in MLMD's proto but still means something: false is refused.
    private static void Apply(TypeUpsertOptions? options, Action<bool> canAdd, Action<bool> canOmit, Action<bool> allFieldsMatch)
    {
        options ??= TypeUpsertOptions.Default;
        if (options.CanAddFields) canAdd(true);
        if (options.CanOmitFields) canOmit(true);
        if (!options.AllFieldsMatch) allFieldsMatch(false);
    }

    public async Task<long> PutArtifactTypeAsync(ArtifactType type, TypeUpsertOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = new M.PutArtifactTypeRequest { ArtifactType = ToProto(type) };
        Apply(options, v => request.CanAddFields = v, v => request.CanOmitFields = v, v => request.AllFieldsMatch = v);
        return (await CallAsync(o => _client.PutArtifactTypeAsync(request, o), cancellationToken).ConfigureAwait(false)).TypeId;
    }

    public async Task<long> PutExecutionTypeAsync(ExecutionType type, TypeUpsertOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = new M.PutExecutionTypeRequest { ExecutionType = ToProto(type) };
        Apply(options, v => request.CanAddFields = v, v => request.CanOmitFields = v, v => request.AllFieldsMatch = v);
        return (await CallAsync(o => _client.PutExecutionTypeAsync(request, o), cancellationToken).ConfigureAwait(false)).TypeId;
    }

    public async Task<long> PutContextTypeAsync(ContextType type, TypeUpsertOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = new M.PutContextTypeRequest { ContextType = ToProto(type) };
        Apply(options, v => request.CanAddFields = v, v => request.CanOmitFields = v, v => request.AllFieldsMatch = v);
        return (await CallAsync(o => _client.PutContextTypeAsync(request, o), cancellationToken).ConfigureAwait(false)).TypeId;
    }

    public async Task<PutTypesResult> PutTypesAsync(
        IReadOnlyList<ArtifactType> artifactTypes, IReadOnlyList<ExecutionType> executionTypes, IReadOnlyList<ContextType> contextTypes,
        TypeUpsertOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = new M.PutTypesRequest();
        request.ArtifactTypes.AddRange((artifactTypes ?? []).Select(ToProto));
        request.ExecutionTypes.AddRange((executionTypes ?? []).Select(ToProto));
        request.ContextTypes.AddRange((contextTypes ?? []).Select(ToProto));
        Apply(options, v => request.CanAddFields = v, v => request.CanOmitFields = v, v => request.AllFieldsMatch = v);
        var response = await CallAsync(o => _client.PutTypesAsync(request, o), cancellationToken).ConfigureAwait(false);
        return new PutTypesResult([.. response.ArtifactTypeIds], [.. response.ExecutionTypeIds], [.. response.ContextTypeIds]);
    }
#pragma warning restore CS0612

    public async Task<ArtifactType> GetArtifactTypeAsync(string typeName, string? typeVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        var request = new M.GetArtifactTypeRequest { TypeName = typeName };
        if (typeVersion is not null) request.TypeVersion = typeVersion;
        return ToCore((await CallAsync(o => _client.GetArtifactTypeAsync(request, o), cancellationToken).ConfigureAwait(false)).ArtifactType);
    }

    public async Task<ExecutionType> GetExecutionTypeAsync(string typeName, string? typeVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        var request = new M.GetExecutionTypeRequest { TypeName = typeName };
        if (typeVersion is not null) request.TypeVersion = typeVersion;
        return ToCore((await CallAsync(o => _client.GetExecutionTypeAsync(request, o), cancellationToken).ConfigureAwait(false)).ExecutionType);
    }

    public async Task<ContextType> GetContextTypeAsync(string typeName, string? typeVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        var request = new M.GetContextTypeRequest { TypeName = typeName };
        if (typeVersion is not null) request.TypeVersion = typeVersion;
        return ToCore((await CallAsync(o => _client.GetContextTypeAsync(request, o), cancellationToken).ConfigureAwait(false)).ContextType);
    }

    public async Task<IReadOnlyList<ArtifactType>> GetArtifactTypesByIdAsync(IReadOnlyCollection<long> typeIds, CancellationToken cancellationToken = default)
    {
        var request = new M.GetArtifactTypesByIDRequest();
        request.TypeIds.AddRange(typeIds ?? []);
        return [.. (await CallAsync(o => _client.GetArtifactTypesByIDAsync(request, o), cancellationToken).ConfigureAwait(false)).ArtifactTypes.Select(ToCore)];
    }

    public async Task<IReadOnlyList<ExecutionType>> GetExecutionTypesByIdAsync(IReadOnlyCollection<long> typeIds, CancellationToken cancellationToken = default)
    {
        var request = new M.GetExecutionTypesByIDRequest();
        request.TypeIds.AddRange(typeIds ?? []);
        return [.. (await CallAsync(o => _client.GetExecutionTypesByIDAsync(request, o), cancellationToken).ConfigureAwait(false)).ExecutionTypes.Select(ToCore)];
    }

    public async Task<IReadOnlyList<ContextType>> GetContextTypesByIdAsync(IReadOnlyCollection<long> typeIds, CancellationToken cancellationToken = default)
    {
        var request = new M.GetContextTypesByIDRequest();
        request.TypeIds.AddRange(typeIds ?? []);
        return [.. (await CallAsync(o => _client.GetContextTypesByIDAsync(request, o), cancellationToken).ConfigureAwait(false)).ContextTypes.Select(ToCore)];
    }

    public async Task<IReadOnlyList<ArtifactType>> GetArtifactTypesAsync(CancellationToken cancellationToken = default) =>
        [.. (await CallAsync(o => _client.GetArtifactTypesAsync(new M.GetArtifactTypesRequest(), o), cancellationToken).ConfigureAwait(false)).ArtifactTypes.Select(ToCore)];

    public async Task<IReadOnlyList<ExecutionType>> GetExecutionTypesAsync(CancellationToken cancellationToken = default) =>
        [.. (await CallAsync(o => _client.GetExecutionTypesAsync(new M.GetExecutionTypesRequest(), o), cancellationToken).ConfigureAwait(false)).ExecutionTypes.Select(ToCore)];

    public async Task<IReadOnlyList<ContextType>> GetContextTypesAsync(CancellationToken cancellationToken = default) =>
        [.. (await CallAsync(o => _client.GetContextTypesAsync(new M.GetContextTypesRequest(), o), cancellationToken).ConfigureAwait(false)).ContextTypes.Select(ToCore)];

    public async Task<IReadOnlyList<ArtifactType>> GetArtifactTypesByExternalIdsAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken = default)
    {
        var request = new M.GetArtifactTypesByExternalIdsRequest();
        request.ExternalIds.AddRange(externalIds ?? []);
        return [.. (await CallAsync(o => _client.GetArtifactTypesByExternalIdsAsync(request, o), cancellationToken).ConfigureAwait(false)).ArtifactTypes.Select(ToCore)];
    }

    public async Task<IReadOnlyList<ExecutionType>> GetExecutionTypesByExternalIdsAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken = default)
    {
        var request = new M.GetExecutionTypesByExternalIdsRequest();
        request.ExternalIds.AddRange(externalIds ?? []);
        return [.. (await CallAsync(o => _client.GetExecutionTypesByExternalIdsAsync(request, o), cancellationToken).ConfigureAwait(false)).ExecutionTypes.Select(ToCore)];
    }

    public async Task<IReadOnlyList<ContextType>> GetContextTypesByExternalIdsAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken = default)
    {
        var request = new M.GetContextTypesByExternalIdsRequest();
        request.ExternalIds.AddRange(externalIds ?? []);
        return [.. (await CallAsync(o => _client.GetContextTypesByExternalIdsAsync(request, o), cancellationToken).ConfigureAwait(false)).ContextTypes.Select(ToCore)];
    }

    // ------------------------------------------------------------------ node writes

    public async Task<IReadOnlyList<long>> PutArtifactsAsync(IReadOnlyList<Artifact> artifacts, PutNodesOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        var request = new M.PutArtifactsRequest { UpdateMask = Mask(options?.UpdateMask) };
        request.Artifacts.AddRange(artifacts.Select(ToProto));
        if (options?.AbortIfLatestUpdatedTimeChanged == true) request.Options = new M.PutArtifactsRequest.Types.Options { AbortIfLatestUpdatedTimeChanged = true };
        if (!LabelMapping.AnyLabels(artifacts)) return [.. (await CallAsync(o => _client.PutArtifactsAsync(request, o), cancellationToken).ConfigureAwait(false)).ArtifactIds];
        var labelled = new V1.PutNodesRequest { PutArtifacts = request };
        labelled.ArtifactLabels.AddRange(artifacts.Select(LabelMapping.ToUpdate));
        return [.. (await PutNodesAsync(labelled, cancellationToken).ConfigureAwait(false)).PutArtifacts.ArtifactIds];
    }

    public async Task<IReadOnlyList<long>> PutExecutionsAsync(IReadOnlyList<Execution> executions, PutNodesOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(executions);
        var request = new M.PutExecutionsRequest { UpdateMask = Mask(options?.UpdateMask) };
        request.Executions.AddRange(executions.Select(ToProto));
        if (!LabelMapping.AnyLabels(executions)) return [.. (await CallAsync(o => _client.PutExecutionsAsync(request, o), cancellationToken).ConfigureAwait(false)).ExecutionIds];
        var labelled = new V1.PutNodesRequest { PutExecutions = request };
        labelled.ExecutionLabels.AddRange(executions.Select(LabelMapping.ToUpdate));
        return [.. (await PutNodesAsync(labelled, cancellationToken).ConfigureAwait(false)).PutExecutions.ExecutionIds];
    }

    public async Task<IReadOnlyList<long>> PutContextsAsync(IReadOnlyList<Context> contexts, PutNodesOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contexts);
        var request = new M.PutContextsRequest { UpdateMask = Mask(options?.UpdateMask) };
        request.Contexts.AddRange(contexts.Select(ToProto));
        if (!LabelMapping.AnyLabels(contexts)) return [.. (await CallAsync(o => _client.PutContextsAsync(request, o), cancellationToken).ConfigureAwait(false)).ContextIds];
        var labelled = new V1.PutNodesRequest { PutContexts = request };
        labelled.ContextLabels.AddRange(contexts.Select(LabelMapping.ToUpdate));
        return [.. (await PutNodesAsync(labelled, cancellationToken).ConfigureAwait(false)).PutContexts.ContextIds];
    }

    // A put that gives labels goes through cairn.v1.CairnLabelService (MLMD's messages cannot carry them); one without keeps MLMD's call.
    private Task<V1.PutNodesResponse> PutNodesAsync(V1.PutNodesRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _labels.PutNodesAsync(request, o), cancellationToken);

    /// <summary>
    /// The nodes with their tags and owners, read with one more call for the whole list (MLMD's answers cannot carry them).
    /// </summary>
    private async Task<List<T>> LabelledAsync<T>(IEnumerable<T> nodes, NodeKind kind, CancellationToken cancellationToken) where T : Node
    {
        var list = nodes.ToList();
        if (list.Count == 0) return list;
        var request = new V1.GetLabelsRequest
        {
            Kind = kind switch
            {
                NodeKind.Artifact => V1.NodeKind.Artifact,
                NodeKind.Execution => V1.NodeKind.Execution,
                _ => V1.NodeKind.Context,
            },
        };
        request.Ids.AddRange(list.Where(n => n.Id is not null).Select(n => n.Id!.Value).Distinct());
        var response = await CallAsync(o => _labels.GetLabelsAsync(request, o), cancellationToken).ConfigureAwait(false);
        var byId = response.Nodes.ToDictionary(n => n.Id);
        return [.. list.Select(n => LabelMapping.WithLabels(n, byId))];
    }

    private async Task<T?> LabelledAsync<T>(T? node, NodeKind kind, CancellationToken cancellationToken) where T : Node =>
        node is null ? null : (await LabelledAsync([node], kind, cancellationToken).ConfigureAwait(false))[0];

    // ------------------------------------------------------------------ node reads

    public async Task<Page<Artifact>> GetArtifactsAsync(ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await CallAsync(o => _client.GetArtifactsAsync(new M.GetArtifactsRequest { Options = ToProto(options) }, o), cancellationToken).ConfigureAwait(false);
        return new Page<Artifact>(await LabelledAsync(response.Artifacts.Select(ToCore), NodeKind.Artifact, cancellationToken).ConfigureAwait(false), Token(response.HasNextPageToken, response.NextPageToken));
    }

    public async Task<Page<Execution>> GetExecutionsAsync(ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await CallAsync(o => _client.GetExecutionsAsync(new M.GetExecutionsRequest { Options = ToProto(options) }, o), cancellationToken).ConfigureAwait(false);
        return new Page<Execution>(await LabelledAsync(response.Executions.Select(ToCore), NodeKind.Execution, cancellationToken).ConfigureAwait(false), Token(response.HasNextPageToken, response.NextPageToken));
    }

    public async Task<Page<Context>> GetContextsAsync(ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await CallAsync(o => _client.GetContextsAsync(new M.GetContextsRequest { Options = ToProto(options) }, o), cancellationToken).ConfigureAwait(false);
        return new Page<Context>(await LabelledAsync(response.Contexts.Select(ToCore), NodeKind.Context, cancellationToken).ConfigureAwait(false), Token(response.HasNextPageToken, response.NextPageToken));
    }

    private static string? Token(bool has, string token) => has && token.Length > 0 ? token : null;

    public async Task<IReadOnlyList<Artifact>> GetArtifactsByIdAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        var request = new M.GetArtifactsByIDRequest();
        request.ArtifactIds.AddRange(ids ?? []);
        return await LabelledAsync((await CallAsync(o => _client.GetArtifactsByIDAsync(request, o), cancellationToken).ConfigureAwait(false)).Artifacts.Select(ToCore), NodeKind.Artifact, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Execution>> GetExecutionsByIdAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        var request = new M.GetExecutionsByIDRequest();
        request.ExecutionIds.AddRange(ids ?? []);
        return await LabelledAsync((await CallAsync(o => _client.GetExecutionsByIDAsync(request, o), cancellationToken).ConfigureAwait(false)).Executions.Select(ToCore), NodeKind.Execution, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Context>> GetContextsByIdAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        var request = new M.GetContextsByIDRequest();
        request.ContextIds.AddRange(ids ?? []);
        return await LabelledAsync((await CallAsync(o => _client.GetContextsByIDAsync(request, o), cancellationToken).ConfigureAwait(false)).Contexts.Select(ToCore), NodeKind.Context, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Page<Artifact>> GetArtifactsByTypeAsync(string typeName, string? typeVersion = null, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        var request = new M.GetArtifactsByTypeRequest { TypeName = typeName, Options = ToProto(options) };
        if (typeVersion is not null) request.TypeVersion = typeVersion;
        var response = await CallAsync(o => _client.GetArtifactsByTypeAsync(request, o), cancellationToken).ConfigureAwait(false);
        return new Page<Artifact>(await LabelledAsync(response.Artifacts.Select(ToCore), NodeKind.Artifact, cancellationToken).ConfigureAwait(false), Token(response.HasNextPageToken, response.NextPageToken));
    }

    public async Task<Page<Execution>> GetExecutionsByTypeAsync(string typeName, string? typeVersion = null, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        var request = new M.GetExecutionsByTypeRequest { TypeName = typeName, Options = ToProto(options) };
        if (typeVersion is not null) request.TypeVersion = typeVersion;
        var response = await CallAsync(o => _client.GetExecutionsByTypeAsync(request, o), cancellationToken).ConfigureAwait(false);
        return new Page<Execution>(await LabelledAsync(response.Executions.Select(ToCore), NodeKind.Execution, cancellationToken).ConfigureAwait(false), Token(response.HasNextPageToken, response.NextPageToken));
    }

    public async Task<Page<Context>> GetContextsByTypeAsync(string typeName, string? typeVersion = null, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        var request = new M.GetContextsByTypeRequest { TypeName = typeName, Options = ToProto(options) };
        if (typeVersion is not null) request.TypeVersion = typeVersion;
        var response = await CallAsync(o => _client.GetContextsByTypeAsync(request, o), cancellationToken).ConfigureAwait(false);
        return new Page<Context>(await LabelledAsync(response.Contexts.Select(ToCore), NodeKind.Context, cancellationToken).ConfigureAwait(false), Token(response.HasNextPageToken, response.NextPageToken));
    }

    public async Task<Artifact?> GetArtifactByTypeAndNameAsync(string typeName, string artifactName, string? typeVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        ArgumentNullException.ThrowIfNull(artifactName);
        var request = new M.GetArtifactByTypeAndNameRequest { TypeName = typeName, ArtifactName = artifactName };
        if (typeVersion is not null) request.TypeVersion = typeVersion;
        var found = (await CallAsync(o => _client.GetArtifactByTypeAndNameAsync(request, o), cancellationToken).ConfigureAwait(false)).Artifact;
        return await LabelledAsync(found is null ? null : ToCore(found), NodeKind.Artifact, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Execution?> GetExecutionByTypeAndNameAsync(string typeName, string executionName, string? typeVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        ArgumentNullException.ThrowIfNull(executionName);
        var request = new M.GetExecutionByTypeAndNameRequest { TypeName = typeName, ExecutionName = executionName };
        if (typeVersion is not null) request.TypeVersion = typeVersion;
        var found = (await CallAsync(o => _client.GetExecutionByTypeAndNameAsync(request, o), cancellationToken).ConfigureAwait(false)).Execution;
        return await LabelledAsync(found is null ? null : ToCore(found), NodeKind.Execution, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Context?> GetContextByTypeAndNameAsync(string typeName, string contextName, string? typeVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        ArgumentNullException.ThrowIfNull(contextName);
        var request = new M.GetContextByTypeAndNameRequest { TypeName = typeName, ContextName = contextName };
        if (typeVersion is not null) request.TypeVersion = typeVersion;
        var found = (await CallAsync(o => _client.GetContextByTypeAndNameAsync(request, o), cancellationToken).ConfigureAwait(false)).Context;
        return await LabelledAsync(found is null ? null : ToCore(found), NodeKind.Context, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Artifact>> GetArtifactsByUriAsync(IReadOnlyCollection<string> uris, CancellationToken cancellationToken = default)
    {
        var request = new M.GetArtifactsByURIRequest();
        request.Uris.AddRange(uris ?? []);
        return await LabelledAsync((await CallAsync(o => _client.GetArtifactsByURIAsync(request, o), cancellationToken).ConfigureAwait(false)).Artifacts.Select(ToCore), NodeKind.Artifact, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Artifact>> GetArtifactsByExternalIdsAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken = default)
    {
        var request = new M.GetArtifactsByExternalIdsRequest();
        request.ExternalIds.AddRange(externalIds ?? []);
        return await LabelledAsync((await CallAsync(o => _client.GetArtifactsByExternalIdsAsync(request, o), cancellationToken).ConfigureAwait(false)).Artifacts.Select(ToCore), NodeKind.Artifact, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Execution>> GetExecutionsByExternalIdsAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken = default)
    {
        var request = new M.GetExecutionsByExternalIdsRequest();
        request.ExternalIds.AddRange(externalIds ?? []);
        return await LabelledAsync((await CallAsync(o => _client.GetExecutionsByExternalIdsAsync(request, o), cancellationToken).ConfigureAwait(false)).Executions.Select(ToCore), NodeKind.Execution, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Context>> GetContextsByExternalIdsAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken = default)
    {
        var request = new M.GetContextsByExternalIdsRequest();
        request.ExternalIds.AddRange(externalIds ?? []);
        return await LabelledAsync((await CallAsync(o => _client.GetContextsByExternalIdsAsync(request, o), cancellationToken).ConfigureAwait(false)).Contexts.Select(ToCore), NodeKind.Context, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Page<Artifact>> GetArtifactsByContextAsync(long contextId, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = new M.GetArtifactsByContextRequest { ContextId = contextId, Options = ToProto(options) };
        var response = await CallAsync(o => _client.GetArtifactsByContextAsync(request, o), cancellationToken).ConfigureAwait(false);
        return new Page<Artifact>(await LabelledAsync(response.Artifacts.Select(ToCore), NodeKind.Artifact, cancellationToken).ConfigureAwait(false), Token(response.HasNextPageToken, response.NextPageToken));
    }

    public async Task<Page<Execution>> GetExecutionsByContextAsync(long contextId, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = new M.GetExecutionsByContextRequest { ContextId = contextId, Options = ToProto(options) };
        var response = await CallAsync(o => _client.GetExecutionsByContextAsync(request, o), cancellationToken).ConfigureAwait(false);
        return new Page<Execution>(await LabelledAsync(response.Executions.Select(ToCore), NodeKind.Execution, cancellationToken).ConfigureAwait(false), Token(response.HasNextPageToken, response.NextPageToken));
    }

    public async Task<IReadOnlyList<Context>> GetContextsByArtifactAsync(long artifactId, CancellationToken cancellationToken = default) =>
        await LabelledAsync((await CallAsync(o => _client.GetContextsByArtifactAsync(new M.GetContextsByArtifactRequest { ArtifactId = artifactId }, o), cancellationToken).ConfigureAwait(false)).Contexts.Select(ToCore), NodeKind.Context, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<Context>> GetContextsByExecutionAsync(long executionId, CancellationToken cancellationToken = default) =>
        await LabelledAsync((await CallAsync(o => _client.GetContextsByExecutionAsync(new M.GetContextsByExecutionRequest { ExecutionId = executionId }, o), cancellationToken).ConfigureAwait(false)).Contexts.Select(ToCore), NodeKind.Context, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<Context>> GetParentContextsByContextAsync(long contextId, CancellationToken cancellationToken = default) =>
        await LabelledAsync((await CallAsync(o => _client.GetParentContextsByContextAsync(new M.GetParentContextsByContextRequest { ContextId = contextId }, o), cancellationToken).ConfigureAwait(false)).Contexts.Select(ToCore), NodeKind.Context, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<Context>> GetChildrenContextsByContextAsync(long contextId, CancellationToken cancellationToken = default) =>
        await LabelledAsync((await CallAsync(o => _client.GetChildrenContextsByContextAsync(new M.GetChildrenContextsByContextRequest { ContextId = contextId }, o), cancellationToken).ConfigureAwait(false)).Contexts.Select(ToCore), NodeKind.Context, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyDictionary<long, IReadOnlyList<Context>>> GetParentContextsByContextsAsync(IReadOnlyCollection<long> contextIds, CancellationToken cancellationToken = default)
    {
        var request = new M.GetParentContextsByContextsRequest();
        request.ContextIds.AddRange(contextIds ?? []);
        var response = await CallAsync(o => _client.GetParentContextsByContextsAsync(request, o), cancellationToken).ConfigureAwait(false);
        var all = await LabelledAsync(response.Contexts.SelectMany(kv => kv.Value.ParentContexts).Select(ToCore), NodeKind.Context, cancellationToken).ConfigureAwait(false);
        var labelled = all.GroupBy(c => c.Id).ToDictionary(g => g.Key!.Value, g => g.First());
        return response.Contexts.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<Context>)[.. kv.Value.ParentContexts.Select(c => labelled[c.Id])]);
    }

    public async Task<IReadOnlyDictionary<long, IReadOnlyList<Context>>> GetChildrenContextsByContextsAsync(IReadOnlyCollection<long> contextIds, CancellationToken cancellationToken = default)
    {
        var request = new M.GetChildrenContextsByContextsRequest();
        request.ContextIds.AddRange(contextIds ?? []);
        var response = await CallAsync(o => _client.GetChildrenContextsByContextsAsync(request, o), cancellationToken).ConfigureAwait(false);
        var all = await LabelledAsync(response.Contexts.SelectMany(kv => kv.Value.ChildrenContexts).Select(ToCore), NodeKind.Context, cancellationToken).ConfigureAwait(false);
        var labelled = all.GroupBy(c => c.Id).ToDictionary(g => g.Key!.Value, g => g.First());
        return response.Contexts.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<Context>)[.. kv.Value.ChildrenContexts.Select(c => labelled[c.Id])]);
    }

    // ------------------------------------------------------------------ edges

    public async Task PutEventsAsync(IReadOnlyList<Event> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var request = new M.PutEventsRequest();
        request.Events.AddRange(events.Select(ToProto));
        await CallAsync(o => _client.PutEventsAsync(request, o), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Event>> GetEventsByArtifactIdsAsync(IReadOnlyCollection<long> artifactIds, CancellationToken cancellationToken = default)
    {
        var request = new M.GetEventsByArtifactIDsRequest();
        request.ArtifactIds.AddRange(artifactIds ?? []);
        return [.. (await CallAsync(o => _client.GetEventsByArtifactIDsAsync(request, o), cancellationToken).ConfigureAwait(false)).Events.Select(ToCore)];
    }

    public async Task<IReadOnlyList<Event>> GetEventsByExecutionIdsAsync(IReadOnlyCollection<long> executionIds, CancellationToken cancellationToken = default)
    {
        var request = new M.GetEventsByExecutionIDsRequest();
        request.ExecutionIds.AddRange(executionIds ?? []);
        return [.. (await CallAsync(o => _client.GetEventsByExecutionIDsAsync(request, o), cancellationToken).ConfigureAwait(false)).Events.Select(ToCore)];
    }

    public async Task PutAttributionsAndAssociationsAsync(IReadOnlyList<Attribution> attributions, IReadOnlyList<Association> associations, CancellationToken cancellationToken = default)
    {
        var request = new M.PutAttributionsAndAssociationsRequest();
        request.Attributions.AddRange((attributions ?? []).Select(ToProto));
        request.Associations.AddRange((associations ?? []).Select(ToProto));
        await CallAsync(o => _client.PutAttributionsAndAssociationsAsync(request, o), cancellationToken).ConfigureAwait(false);
    }

    public async Task PutParentContextsAsync(IReadOnlyList<ParentContext> parentContexts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parentContexts);
        var request = new M.PutParentContextsRequest();
        request.ParentContexts.AddRange(parentContexts.Select(ToProto));
        await CallAsync(o => _client.PutParentContextsAsync(request, o), cancellationToken).ConfigureAwait(false);
    }

    // ------------------------------------------------------------------ composite writes

    public async Task<PutExecutionResult> PutExecutionAsync(
        Execution execution, IReadOnlyList<ArtifactAndEvent> artifactEventPairs, IReadOnlyList<Context> contexts,
        PutExecutionOptions? options = null, CancellationToken cancellationToken = default)
    {
        // A missing execution is sent as such; the server refuses it with MLMD's message.
        var request = new M.PutExecutionRequest { Execution = execution is null ? null : ToProto(execution) };
        foreach (var pair in artifactEventPairs ?? [])
        {
            request.ArtifactEventPairs.Add(new M.PutExecutionRequest.Types.ArtifactAndEvent
            {
                Artifact = pair?.Artifact is { } a ? ToProto(a) : null,
                Event = pair?.Event is { } e ? ToProto(e) : null,
            });
        }

        request.Contexts.AddRange((contexts ?? []).Select(ToProto));
        if (options is not null)
        {
            request.Options = new M.PutExecutionRequest.Types.Options
            {
                ReuseContextIfAlreadyExist = options.ReuseContextIfAlreadyExist,
                ReuseArtifactIfAlreadyExistByExternalId = options.ReuseArtifactIfAlreadyExistByExternalId,
                ForceUpdateTime = options.ForceUpdateTime,
                ForceReuseContext = options.ForceReuseContext,
            };
        }

        M.PutExecutionResponse response;
        if (LabelMapping.AnyLabels([execution, .. (artifactEventPairs ?? []).Select(p => p?.Artifact), .. contexts ?? []]))
        {
            var labelled = new V1.PutNodesRequest { PutExecution = request };
            labelled.ExecutionLabels.Add(LabelMapping.ToUpdate(execution));
            labelled.ArtifactLabels.AddRange((artifactEventPairs ?? []).Select(p => LabelMapping.ToUpdate(p?.Artifact)));
            labelled.ContextLabels.AddRange((contexts ?? []).Select(LabelMapping.ToUpdate));
            response = (await PutNodesAsync(labelled, cancellationToken).ConfigureAwait(false)).PutExecution;
        }
        else
        {
            response = await CallAsync(o => _client.PutExecutionAsync(request, o), cancellationToken).ConfigureAwait(false);
        }

        return new PutExecutionResult(response.ExecutionId, [.. response.ArtifactIds], [.. response.ContextIds]);
    }

    public async Task<PutLineageSubgraphResult> PutLineageSubgraphAsync(
        IReadOnlyList<Execution> executions, IReadOnlyList<Artifact> artifacts, IReadOnlyList<Context> contexts, IReadOnlyList<EventEdge> eventEdges,
        PutLineageSubgraphOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = new M.PutLineageSubgraphRequest();
        request.Executions.AddRange((executions ?? []).Select(ToProto));
        request.Artifacts.AddRange((artifacts ?? []).Select(ToProto));
        request.Contexts.AddRange((contexts ?? []).Select(ToProto));
        foreach (var edge in eventEdges ?? [])
        {
            var proto = new M.PutLineageSubgraphRequest.Types.EventEdge();
            if (edge?.ExecutionIndex is { } executionIndex) proto.ExecutionIndex = executionIndex;
            if (edge?.ArtifactIndex is { } artifactIndex) proto.ArtifactIndex = artifactIndex;
            if (edge?.Event is { } e) proto.Event = ToProto(e);
            request.EventEdges.Add(proto);
        }

        if (options is not null)
        {
            request.Options = new M.PutLineageSubgraphRequest.Types.Options
            {
                ReuseContextIfAlreadyExist = options.ReuseContextIfAlreadyExist,
                ReuseArtifactIfAlreadyExistByExternalId = options.ReuseArtifactIfAlreadyExistByExternalId,
            };
        }

        M.PutLineageSubgraphResponse response;
        if (LabelMapping.AnyLabels([.. executions ?? [], .. artifacts ?? [], .. contexts ?? []]))
        {
            var labelled = new V1.PutNodesRequest { PutLineageSubgraph = request };
            labelled.ExecutionLabels.AddRange((executions ?? []).Select(LabelMapping.ToUpdate));
            labelled.ArtifactLabels.AddRange((artifacts ?? []).Select(LabelMapping.ToUpdate));
            labelled.ContextLabels.AddRange((contexts ?? []).Select(LabelMapping.ToUpdate));
            response = (await PutNodesAsync(labelled, cancellationToken).ConfigureAwait(false)).PutLineageSubgraph;
        }
        else
        {
            response = await CallAsync(o => _client.PutLineageSubgraphAsync(request, o), cancellationToken).ConfigureAwait(false);
        }

        return new PutLineageSubgraphResult([.. response.ExecutionIds], [.. response.ArtifactIds], [.. response.ContextIds]);
    }

    // ------------------------------------------------------------------ lineage

    public async Task<LineageGraph> GetLineageSubgraphAsync(LineageSubgraphQuery query, IReadOnlyCollection<string>? readMask = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var request = new M.GetLineageSubgraphRequest { LineageSubgraphQueryOptions = ToProto(query), ReadMask = Mask(readMask) };
        var graph = ToCore((await CallAsync(o => _client.GetLineageSubgraphAsync(request, o), cancellationToken).ConfigureAwait(false)).LineageSubgraph);
        return graph with
        {
            Artifacts = await LabelledAsync(graph.Artifacts, NodeKind.Artifact, cancellationToken).ConfigureAwait(false),
            Executions = await LabelledAsync(graph.Executions, NodeKind.Execution, cancellationToken).ConfigureAwait(false),
            Contexts = await LabelledAsync(graph.Contexts, NodeKind.Context, cancellationToken).ConfigureAwait(false),
        };
    }

    public async Task<LineageResult> GetLineageAsync(LineageRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var proto = LineageMapping.ToProto(request);
        var result = LineageMapping.ToCore(await CallAsync(o => _lineage.GetLineageAsync(proto, o), cancellationToken).ConfigureAwait(false));
        if (request.IdsOnly) return result;
        var artifacts = (await LabelledAsync(result.Nodes.Select(n => n.Node).OfType<Artifact>(), NodeKind.Artifact, cancellationToken).ConfigureAwait(false))
            .ToDictionary(a => a.Id!.Value);
        var executions = (await LabelledAsync(result.Nodes.Select(n => n.Node).OfType<Execution>(), NodeKind.Execution, cancellationToken).ConfigureAwait(false))
            .ToDictionary(x => x.Id!.Value);
        return result with
        {
            Nodes = [.. result.Nodes.Select(n => n with { Node = n.Node is Artifact ? artifacts[n.Node.Id!.Value] : executions[n.Node.Id!.Value] })],
        };
    }
}
