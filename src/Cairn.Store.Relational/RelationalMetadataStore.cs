namespace Cairn.Store.Relational;

/// <summary>
/// <see cref="IMetadataStore"/> over a relational backend. Every call rents a pooled session, runs in one transaction
/// (write calls take the backend's write lock up front), and maps backend errors once, here.
/// </summary>
internal sealed partial class RelationalMetadataStore : IMetadataStore, IRawImport, IInstanceStorage
{
    private readonly ISqlBackend _backend;
    private readonly SessionPool _pool;
    private readonly SemaphoreSlim? _writeLock;
    private readonly TimeProvider _clock;
    private readonly TypeCache _types = new();
    private readonly string _actor;
    private Session? _writer; // the writers' own session, when the backend has one; used under _writeLock only
    private int _disposed;

    public RelationalMetadataStore(ISqlBackend backend, StoreOpenOptions options, string displayUri)
    {
        _backend = backend;
        _pool = new SessionPool(backend);
        _writeLock = backend.SerializeWriters ? new SemaphoreSlim(1, 1) : null;
        _clock = options.TimeProvider;
        _actor = string.IsNullOrWhiteSpace(options.Actor) ? ChangeActor.Default : options.Actor;
        DisplayUri = displayUri;
    }

    public string DisplayUri { get; }

    /// <summary>Statements executed by the last call on this thread's session; for benchmarks.</summary>
    internal long LastCallStatements { get; private set; }

    // ------------------------------------------------------------------ plumbing

    private Task<T> ReadAsync<T>(Func<Session, Task<T>> work, CancellationToken ct) => RunAsync(write: false, work, ct);

    private Task<T> WriteAsync<T>(Func<Session, Task<T>> work, CancellationToken ct) => RunAsync(write: true, work, ct);

    private const int MaxAttempts = 8;
    private const int MaintenanceEveryWrites = 1000;
    private long _writes;

    /// <summary>Runs a call, running it again when the backend reports a transient conflict between concurrent writers.</summary>
    private async Task<T> RunAsync<T>(bool write, Func<Session, Task<T>> work, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RunOnceAsync(write, work, ct).ConfigureAwait(false);
            }
            catch (TransientConflictException) when (attempt < MaxAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 << attempt)), ct).ConfigureAwait(false);
            }
            catch (TransientConflictException e)
            {
                throw _backend.Translate(e.InnerException!) ?? new AbortedException(e.Message, e.InnerException);
            }
        }
    }

    private async Task<T> RunOnceAsync<T>(bool write, Func<Session, Task<T>> work, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var locked = false;
        Session? session = null;
        try
        {
            if (write && _writeLock is not null)
            {
                await _writeLock.WaitAsync(ct).ConfigureAwait(false);
                locked = true;
            }

            session = locked ? await WriterSessionAsync(ct).ConfigureAwait(false) : null;
            session ??= await _pool.RentAsync(ct).ConfigureAwait(false);
            var before = session.StatementCount;
            session.Now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
            session.Actor = ChangeActor.Current ?? _actor;
            session.Changes.Clear();
            session.LogsChanges = _backend.LatestSchemaVersion >= ChangeOperations.SchemaVersion;
            await using var tx = await _backend.BeginAsync(session.Connection, write, ct).ConfigureAwait(false);
            session.Transaction = tx;
            T result;
            try
            {
                result = await work(session).ConfigureAwait(false);
                // The change log is written last, in the same transaction (docs/history.md).
                if (write) await ChangeOperations.FlushAsync(session, ct).ConfigureAwait(false);
                await tx.CommitAsync(ct).ConfigureAwait(false);
            }
            catch
            {
                try
                {
                    await tx.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // A failed rollback leaves the connection in an unknown state: drop it instead of pooling it.
                    session.Broken = true;
                }

                throw;
            }

            LastCallStatements = session.StatementCount - before;
            if (write && Interlocked.Increment(ref _writes) % MaintenanceEveryWrites == 0)
            {
                session.Transaction = null;
                await _backend.MaintainAsync(session, ct).ConfigureAwait(false);
            }

            return result;
        }
        catch (Exception e) when (e is not CairnException && e is not OperationCanceledException && _backend.IsTransient(e))
        {
            throw new TransientConflictException(e);
        }
        catch (Exception e) when (e is not CairnException && e is not OperationCanceledException && _backend.Translate(e) is { } translated)
        {
            if (session is not null) session.Broken = true;
            throw translated;
        }
        finally
        {
            if (session is not null && ReferenceEquals(session, _writer))
            {
                session.Transaction = null;
                if (session.Broken || Volatile.Read(ref _disposed) != 0)
                {
                    _writer = null;
                    await session.DisposeAsync().ConfigureAwait(false);
                }
            }
            else if (session is not null)
            {
                await _pool.ReturnAsync(session).ConfigureAwait(false);
            }

            if (locked) _writeLock!.Release();
        }
    }

    /// <summary>The writers' own session (opened on first use), or null when the backend has none. Called under the write lock.</summary>
    private async Task<Session?> WriterSessionAsync(CancellationToken ct)
    {
        if (_writer is not null) return _writer;
        if (_backend.OpenWriterConnectionAsync(ct) is not { } opening) return null;
        _writer = new Session(await opening.ConfigureAwait(false), _backend);
        return _writer;
    }

    private static List<T> As<T>(IEnumerable<TypeData> types) where T : MetadataType => types.Select(t => (T)t.ToPublic()).ToList();

    private static List<T> As<T>(List<NodeData> nodes, NodeKind kind) where T : Node
    {
        var result = new List<T>(nodes.Count);
        foreach (var n in nodes) result.Add((T)n.ToNode(kind));
        return result;
    }

    private static Page<T> AsPage<T>((List<NodeData> Nodes, string? Token) page, NodeKind kind) where T : Node =>
        new(As<T>(page.Nodes, kind), page.Token);

    private static void RequireNonEmpty(IReadOnlyCollection<string> externalIds)
    {
        if (externalIds.Any(string.IsNullOrEmpty)) throw new InvalidArgumentException(Messages.ExternalIdEmpty);
    }

    // ------------------------------------------------------------------ types

    public Task<long> PutArtifactTypeAsync(ArtifactType type, TypeUpsertOptions? options = null, CancellationToken cancellationToken = default) =>
        PutTypeAsync(type, options, cancellationToken);

    public Task<long> PutExecutionTypeAsync(ExecutionType type, TypeUpsertOptions? options = null, CancellationToken cancellationToken = default) =>
        PutTypeAsync(type, options, cancellationToken);

    public Task<long> PutContextTypeAsync(ContextType type, TypeUpsertOptions? options = null, CancellationToken cancellationToken = default) =>
        PutTypeAsync(type, options, cancellationToken);

    private Task<long> PutTypeAsync(MetadataType type, TypeUpsertOptions? options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(type);
        return WriteAsync(s => TypeOperations.UpsertAsync(s, type, options ?? TypeUpsertOptions.Default, ct), ct);
    }

    public Task<PutTypesResult> PutTypesAsync(
        IReadOnlyList<ArtifactType> artifactTypes, IReadOnlyList<ExecutionType> executionTypes, IReadOnlyList<ContextType> contextTypes,
        TypeUpsertOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(artifactTypes);
        ArgumentNullException.ThrowIfNull(executionTypes);
        ArgumentNullException.ThrowIfNull(contextTypes);
        var o = options ?? TypeUpsertOptions.Default;
        return WriteAsync(async s =>
        {
            async Task<List<long>> AllAsync(IEnumerable<MetadataType> types)
            {
                var ids = new List<long>();
                foreach (var t in types) ids.Add(await TypeOperations.UpsertAsync(s, t, o, cancellationToken).ConfigureAwait(false));
                return ids;
            }

            var a = await AllAsync(artifactTypes).ConfigureAwait(false);
            var e = await AllAsync(executionTypes).ConfigureAwait(false);
            var c = await AllAsync(contextTypes).ConfigureAwait(false);
            return new PutTypesResult(a, e, c);
        }, cancellationToken);
    }

    public Task<ArtifactType> GetArtifactTypeAsync(string typeName, string? typeVersion = null, CancellationToken cancellationToken = default) =>
        GetTypeAsync<ArtifactType>(NodeKind.Artifact, typeName, typeVersion, cancellationToken);

    public Task<ExecutionType> GetExecutionTypeAsync(string typeName, string? typeVersion = null, CancellationToken cancellationToken = default) =>
        GetTypeAsync<ExecutionType>(NodeKind.Execution, typeName, typeVersion, cancellationToken);

    public Task<ContextType> GetContextTypeAsync(string typeName, string? typeVersion = null, CancellationToken cancellationToken = default) =>
        GetTypeAsync<ContextType>(NodeKind.Context, typeName, typeVersion, cancellationToken);

    private Task<T> GetTypeAsync<T>(NodeKind kind, string name, string? version, CancellationToken ct) where T : MetadataType
    {
        ArgumentNullException.ThrowIfNull(name);
        return ReadAsync(async s =>
        {
            var type = await TypeOperations.FindByNameAsync(s, kind, name, version, ct).ConfigureAwait(false)
                ?? throw new NotFoundException(Messages.TypeNotFound(name, version));
            return (T)type.ToPublic();
        }, ct);
    }

    public Task<IReadOnlyList<ArtifactType>> GetArtifactTypesByIdAsync(IReadOnlyCollection<long> typeIds, CancellationToken cancellationToken = default) =>
        GetTypesByIdAsync<ArtifactType>(NodeKind.Artifact, typeIds, cancellationToken);

    public Task<IReadOnlyList<ExecutionType>> GetExecutionTypesByIdAsync(IReadOnlyCollection<long> typeIds, CancellationToken cancellationToken = default) =>
        GetTypesByIdAsync<ExecutionType>(NodeKind.Execution, typeIds, cancellationToken);

    public Task<IReadOnlyList<ContextType>> GetContextTypesByIdAsync(IReadOnlyCollection<long> typeIds, CancellationToken cancellationToken = default) =>
        GetTypesByIdAsync<ContextType>(NodeKind.Context, typeIds, cancellationToken);

    private Task<IReadOnlyList<T>> GetTypesByIdAsync<T>(NodeKind kind, IReadOnlyCollection<long> ids, CancellationToken ct) where T : MetadataType
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0) return Task.FromResult<IReadOnlyList<T>>([]);
        return ReadAsync<IReadOnlyList<T>>(async s => As<T>(await TypeOperations.LoadAsync(s, $"WHERE t.kind = @k AND t.id IN ({s.Dialect.ListSource("@ids")})", c =>
        {
            Session.Bind(c, "@k", (int)kind);
            Session.Bind(c, "@ids", s.Dialect.IntList(ids));
        }, ct).ConfigureAwait(false)), ct);
    }

    public Task<IReadOnlyList<ArtifactType>> GetArtifactTypesAsync(CancellationToken cancellationToken = default) =>
        GetAllTypesAsync<ArtifactType>(NodeKind.Artifact, cancellationToken);

    public Task<IReadOnlyList<ExecutionType>> GetExecutionTypesAsync(CancellationToken cancellationToken = default) =>
        GetAllTypesAsync<ExecutionType>(NodeKind.Execution, cancellationToken);

    public Task<IReadOnlyList<ContextType>> GetContextTypesAsync(CancellationToken cancellationToken = default) =>
        GetAllTypesAsync<ContextType>(NodeKind.Context, cancellationToken);

    private Task<IReadOnlyList<T>> GetAllTypesAsync<T>(NodeKind kind, CancellationToken ct) where T : MetadataType =>
        ReadAsync<IReadOnlyList<T>>(async s =>
        {
            var types = await TypeOperations.LoadAsync(s, "WHERE t.kind = @k", c => Session.Bind(c, "@k", (int)kind), ct).ConfigureAwait(false);
            // MLMD hides the system types from the artifact and execution lists only; context types are never hidden.
            return As<T>(types.Where(t => kind == NodeKind.Context || !SystemTypes.IsSystemTypeName(t.Name) || t.Version.Length != 0));
        }, ct);

    public Task<IReadOnlyList<ArtifactType>> GetArtifactTypesByExternalIdsAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken = default) =>
        GetTypesByExternalIdsAsync<ArtifactType>(NodeKind.Artifact, externalIds, cancellationToken);

    public Task<IReadOnlyList<ExecutionType>> GetExecutionTypesByExternalIdsAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken = default) =>
        GetTypesByExternalIdsAsync<ExecutionType>(NodeKind.Execution, externalIds, cancellationToken);

    public Task<IReadOnlyList<ContextType>> GetContextTypesByExternalIdsAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken = default) =>
        GetTypesByExternalIdsAsync<ContextType>(NodeKind.Context, externalIds, cancellationToken);

    private Task<IReadOnlyList<T>> GetTypesByExternalIdsAsync<T>(NodeKind kind, IReadOnlyCollection<string> externalIds, CancellationToken ct) where T : MetadataType
    {
        ArgumentNullException.ThrowIfNull(externalIds);
        RequireNonEmpty(externalIds);
        if (externalIds.Count == 0) return Task.FromResult<IReadOnlyList<T>>([]);
        return ReadAsync<IReadOnlyList<T>>(async s =>
        {
            var types = await TypeOperations.LoadAsync(s, $"WHERE t.kind = @k AND t.external_id IN ({s.Dialect.ListSource("@ids")})", c =>
            {
                Session.Bind(c, "@k", (int)kind);
                Session.Bind(c, "@ids", s.Dialect.TextList(externalIds));
            }, ct).ConfigureAwait(false);
            return types.Count == 0 ? throw new NotFoundException(Messages.ExternalIdsNotFound(null)) : As<T>(types);
        }, ct);
    }

    // ------------------------------------------------------------------ node writes

    public Task<IReadOnlyList<long>> PutArtifactsAsync(IReadOnlyList<Artifact> artifacts, PutNodesOptions? options = null, CancellationToken cancellationToken = default) =>
        PutNodesAsync(NodeTable.Artifact, artifacts, options, cancellationToken);

    public Task<IReadOnlyList<long>> PutExecutionsAsync(IReadOnlyList<Execution> executions, PutNodesOptions? options = null, CancellationToken cancellationToken = default) =>
        PutNodesAsync(NodeTable.Execution, executions, options, cancellationToken);

    public Task<IReadOnlyList<long>> PutContextsAsync(IReadOnlyList<Context> contexts, PutNodesOptions? options = null, CancellationToken cancellationToken = default) =>
        PutNodesAsync(NodeTable.Context, contexts, options, cancellationToken);

    private Task<IReadOnlyList<long>> PutNodesAsync(NodeTable table, IReadOnlyList<Node> nodes, PutNodesOptions? options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (nodes.Count == 0) return Task.FromResult<IReadOnlyList<long>>([]);
        return WriteAsync<IReadOnlyList<long>>(
            async s => await NodeOperations.PutAsync(s, table, nodes, options ?? PutNodesOptions.Default, _types, ct).ConfigureAwait(false), ct);
    }

    // ------------------------------------------------------------------ node reads

    public Task<Page<Artifact>> GetArtifactsAsync(ListOptions? options = null, CancellationToken cancellationToken = default) =>
        ListAsync<Artifact>(NodeTable.Artifact, options, cancellationToken);

    public Task<Page<Execution>> GetExecutionsAsync(ListOptions? options = null, CancellationToken cancellationToken = default) =>
        ListAsync<Execution>(NodeTable.Execution, options, cancellationToken);

    public Task<Page<Context>> GetContextsAsync(ListOptions? options = null, CancellationToken cancellationToken = default) =>
        ListAsync<Context>(NodeTable.Context, options, cancellationToken);

    private Task<Page<T>> ListAsync<T>(NodeTable table, ListOptions? options, CancellationToken ct) where T : Node =>
        ReadAsync(async s => AsPage<T>(await NodeOperations.ListAsync(s, table, string.Empty, string.Empty, _ => { }, options, ct).ConfigureAwait(false), table.Kind), ct);

    public Task<IReadOnlyList<Artifact>> GetArtifactsByIdAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default) =>
        ByIdAsync<Artifact>(NodeTable.Artifact, ids, cancellationToken);

    public Task<IReadOnlyList<Execution>> GetExecutionsByIdAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default) =>
        ByIdAsync<Execution>(NodeTable.Execution, ids, cancellationToken);

    public Task<IReadOnlyList<Context>> GetContextsByIdAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default) =>
        ByIdAsync<Context>(NodeTable.Context, ids, cancellationToken);

    private Task<IReadOnlyList<T>> ByIdAsync<T>(NodeTable table, IReadOnlyCollection<long> ids, CancellationToken ct) where T : Node
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0) return Task.FromResult<IReadOnlyList<T>>([]);
        return ReadAsync<IReadOnlyList<T>>(async s => As<T>(await NodeOperations.LoadByIdsAsync(s, table, ids, ct).ConfigureAwait(false), table.Kind), ct);
    }

    public Task<Page<Artifact>> GetArtifactsByTypeAsync(string typeName, string? typeVersion = null, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        ByTypeAsync<Artifact>(NodeTable.Artifact, typeName, typeVersion, options, cancellationToken);

    public Task<Page<Execution>> GetExecutionsByTypeAsync(string typeName, string? typeVersion = null, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        ByTypeAsync<Execution>(NodeTable.Execution, typeName, typeVersion, options, cancellationToken);

    public Task<Page<Context>> GetContextsByTypeAsync(string typeName, string? typeVersion = null, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        ByTypeAsync<Context>(NodeTable.Context, typeName, typeVersion, options, cancellationToken);

    private Task<Page<T>> ByTypeAsync<T>(NodeTable table, string typeName, string? typeVersion, ListOptions? options, CancellationToken ct) where T : Node
    {
        ArgumentNullException.ThrowIfNull(typeName);
        return ReadAsync(async s =>
        {
            var type = await TypeOperations.FindByNameAsync(s, table.Kind, typeName, typeVersion, ct).ConfigureAwait(false);
            if (type is null) return new Page<T>([], options is null ? null : string.Empty);
            var page = await NodeOperations.ListAsync(s, table, string.Empty, "n.type_id = @type", c => Session.Bind(c, "@type", type.Id), options, ct).ConfigureAwait(false);
            return new Page<T>(As<T>(page.Nodes, table.Kind), options is null ? page.Token : page.Token ?? string.Empty);
        }, ct);
    }

    public Task<Artifact?> GetArtifactByTypeAndNameAsync(string typeName, string artifactName, string? typeVersion = null, CancellationToken cancellationToken = default) =>
        ByTypeAndNameAsync<Artifact>(NodeTable.Artifact, typeName, artifactName, typeVersion, cancellationToken);

    public Task<Execution?> GetExecutionByTypeAndNameAsync(string typeName, string executionName, string? typeVersion = null, CancellationToken cancellationToken = default) =>
        ByTypeAndNameAsync<Execution>(NodeTable.Execution, typeName, executionName, typeVersion, cancellationToken);

    public Task<Context?> GetContextByTypeAndNameAsync(string typeName, string contextName, string? typeVersion = null, CancellationToken cancellationToken = default) =>
        ByTypeAndNameAsync<Context>(NodeTable.Context, typeName, contextName, typeVersion, cancellationToken);

    private Task<T?> ByTypeAndNameAsync<T>(NodeTable table, string typeName, string name, string? typeVersion, CancellationToken ct) where T : Node
    {
        ArgumentNullException.ThrowIfNull(typeName);
        ArgumentNullException.ThrowIfNull(name);
        return ReadAsync(async s =>
        {
            var nodes = await NodeOperations.LoadAsync(s, table, "WHERE t.kind = @k AND t.name = @tn AND t.version = @tv AND n.name = @n", c =>
            {
                Session.Bind(c, "@k", (int)table.Kind);
                Session.Bind(c, "@tn", typeName);
                Session.Bind(c, "@tv", typeVersion ?? string.Empty);
                Session.Bind(c, "@n", name);
            }, ct).ConfigureAwait(false);
            return nodes.Count == 0 ? null : (T)nodes[0].ToNode(table.Kind);
        }, ct);
    }

    public Task<IReadOnlyList<Artifact>> GetArtifactsByUriAsync(IReadOnlyCollection<string> uris, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uris);
        var distinct = uris.Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count == 0) return Task.FromResult<IReadOnlyList<Artifact>>([]);
        return ReadAsync<IReadOnlyList<Artifact>>(async s => As<Artifact>(await NodeOperations.LoadAsync(
            s, NodeTable.Artifact, $"WHERE n.uri IN ({s.Dialect.ListSource("@uris")}) ORDER BY n.id",
            c => Session.Bind(c, "@uris", s.Dialect.TextList(distinct)), cancellationToken).ConfigureAwait(false), NodeKind.Artifact), cancellationToken);
    }

    public Task<IReadOnlyList<Artifact>> GetArtifactsByExternalIdsAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken = default) =>
        ByExternalIdsAsync<Artifact>(NodeTable.Artifact, externalIds, cancellationToken);

    public Task<IReadOnlyList<Execution>> GetExecutionsByExternalIdsAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken = default) =>
        ByExternalIdsAsync<Execution>(NodeTable.Execution, externalIds, cancellationToken);

    public Task<IReadOnlyList<Context>> GetContextsByExternalIdsAsync(IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken = default) =>
        ByExternalIdsAsync<Context>(NodeTable.Context, externalIds, cancellationToken);

    private Task<IReadOnlyList<T>> ByExternalIdsAsync<T>(NodeTable table, IReadOnlyCollection<string> externalIds, CancellationToken ct) where T : Node
    {
        ArgumentNullException.ThrowIfNull(externalIds);
        RequireNonEmpty(externalIds);
        if (externalIds.Count == 0) return Task.FromResult<IReadOnlyList<T>>([]);
        return ReadAsync<IReadOnlyList<T>>(async s =>
        {
            var nodes = await NodeOperations.LoadAsync(s, table, $"WHERE n.external_id IN ({s.Dialect.ListSource("@ids")}) ORDER BY n.id",
                c => Session.Bind(c, "@ids", s.Dialect.TextList(externalIds)), ct).ConfigureAwait(false);
            return nodes.Count == 0 ? throw new NotFoundException(Messages.ExternalIdsNotFound(table.Kind)) : As<T>(nodes, table.Kind);
        }, ct);
    }

    public Task<Page<Artifact>> GetArtifactsByContextAsync(long contextId, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        ReadAsync(async s => AsPage<Artifact>(await NodeOperations.ListAsync(s, NodeTable.Artifact,
            "JOIN attribution m ON m.artifact_id = n.id", "m.context_id = @ctx", c => Session.Bind(c, "@ctx", contextId), options, cancellationToken, "m.artifact_id").ConfigureAwait(false), NodeKind.Artifact), cancellationToken);

    public Task<Page<Execution>> GetExecutionsByContextAsync(long contextId, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        ReadAsync(async s => AsPage<Execution>(await NodeOperations.ListAsync(s, NodeTable.Execution,
            "JOIN association m ON m.execution_id = n.id", "m.context_id = @ctx", c => Session.Bind(c, "@ctx", contextId), options, cancellationToken, "m.execution_id").ConfigureAwait(false), NodeKind.Execution), cancellationToken);

    public Task<IReadOnlyList<Context>> GetContextsByArtifactAsync(long artifactId, CancellationToken cancellationToken = default) =>
        ContextsOfMemberAsync("attribution", "artifact_id", artifactId, Messages.NoContextsForArtifact(artifactId), cancellationToken);

    public Task<IReadOnlyList<Context>> GetContextsByExecutionAsync(long executionId, CancellationToken cancellationToken = default) =>
        ContextsOfMemberAsync("association", "execution_id", executionId, Messages.NoContextsForExecution(executionId), cancellationToken);

    private Task<IReadOnlyList<Context>> ContextsOfMemberAsync(string table, string column, long id, string notFound, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<Context>>(async s =>
        {
            var contexts = await NodeOperations.LoadAsync(s, NodeTable.Context, $"JOIN {table} m ON m.context_id = n.id WHERE m.{column} = @id ORDER BY n.id",
                c => Session.Bind(c, "@id", id), ct).ConfigureAwait(false);
            return contexts.Count == 0 ? throw new NotFoundException(notFound) : As<Context>(contexts, NodeKind.Context);
        }, ct);

    public Task<IReadOnlyList<Context>> GetParentContextsByContextAsync(long contextId, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<Context>>(async s => As<Context>(await NodeOperations.LoadAsync(s, NodeTable.Context,
            "JOIN parent_context m ON m.parent_id = n.id WHERE m.child_id = @id ORDER BY n.id", c => Session.Bind(c, "@id", contextId), cancellationToken).ConfigureAwait(false), NodeKind.Context), cancellationToken);

    public Task<IReadOnlyList<Context>> GetChildrenContextsByContextAsync(long contextId, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<Context>>(async s => As<Context>(await NodeOperations.LoadAsync(s, NodeTable.Context,
            "JOIN parent_context m ON m.child_id = n.id WHERE m.parent_id = @id ORDER BY n.id", c => Session.Bind(c, "@id", contextId), cancellationToken).ConfigureAwait(false), NodeKind.Context), cancellationToken);

    public Task<IReadOnlyDictionary<long, IReadOnlyList<Context>>> GetParentContextsByContextsAsync(IReadOnlyCollection<long> contextIds, CancellationToken cancellationToken = default) =>
        LinkedContextsAsync(contextIds, parents: true, cancellationToken);

    public Task<IReadOnlyDictionary<long, IReadOnlyList<Context>>> GetChildrenContextsByContextsAsync(IReadOnlyCollection<long> contextIds, CancellationToken cancellationToken = default) =>
        LinkedContextsAsync(contextIds, parents: false, cancellationToken);

    private Task<IReadOnlyDictionary<long, IReadOnlyList<Context>>> LinkedContextsAsync(IReadOnlyCollection<long> ids, bool parents, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0) throw new InvalidArgumentException(Messages.ContextIdsEmpty);
        return ReadAsync<IReadOnlyDictionary<long, IReadOnlyList<Context>>>(async s =>
        {
            var links = await EdgeOperations.ContextLinksAsync(s, parents ? "child_id" : "parent_id", ids, ct).ConfigureAwait(false);
            var others = links.Select(l => parents ? l.Parent : l.Child).Distinct().ToList();
            var contexts = (await NodeOperations.LoadByIdsAsync(s, NodeTable.Context, others, ct).ConfigureAwait(false))
                .ToDictionary(n => n.Id!.Value, n => (Context)n.ToNode(NodeKind.Context));
            var map = new Dictionary<long, IReadOnlyList<Context>>();
            foreach (var group in links.GroupBy(l => parents ? l.Child : l.Parent))
                map[group.Key] = group.Select(l => contexts[parents ? l.Parent : l.Child]).ToList();
            return map;
        }, ct);
    }

    // ------------------------------------------------------------------ edges

    public Task PutEventsAsync(IReadOnlyList<Event> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0) return Task.CompletedTask;
        return WriteAsync(async s =>
        {
            await EdgeOperations.PutEventsAsync(s, events, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<Event>> GetEventsByArtifactIdsAsync(IReadOnlyCollection<long> artifactIds, CancellationToken cancellationToken = default) =>
        EventsAsync("artifact_id", artifactIds, cancellationToken);

    public Task<IReadOnlyList<Event>> GetEventsByExecutionIdsAsync(IReadOnlyCollection<long> executionIds, CancellationToken cancellationToken = default) =>
        EventsAsync("execution_id", executionIds, cancellationToken);

    private Task<IReadOnlyList<Event>> EventsAsync(string column, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0) return Task.FromResult<IReadOnlyList<Event>>([]);
        return ReadAsync<IReadOnlyList<Event>>(async s => await EdgeOperations.GetEventsAsync(s, column, ids, ct).ConfigureAwait(false), ct);
    }

    public Task PutAttributionsAndAssociationsAsync(IReadOnlyList<Attribution> attributions, IReadOnlyList<Association> associations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attributions);
        ArgumentNullException.ThrowIfNull(associations);
        if (attributions.Count == 0 && associations.Count == 0) return Task.CompletedTask;
        return WriteAsync(async s =>
        {
            await EdgeOperations.PutAttributionsAndAssociationsAsync(s, attributions, associations, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    public Task PutParentContextsAsync(IReadOnlyList<ParentContext> parentContexts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parentContexts);
        if (parentContexts.Count == 0) return Task.CompletedTask;
        return WriteAsync(async s =>
        {
            await EdgeOperations.PutParentContextsAsync(s, parentContexts, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    // ------------------------------------------------------------------ composite writes

    public Task<PutExecutionResult> PutExecutionAsync(
        Execution execution, IReadOnlyList<ArtifactAndEvent> artifactEventPairs, IReadOnlyList<Context> contexts,
        PutExecutionOptions? options = null, CancellationToken cancellationToken = default) =>
        WriteAsync(s => CompositeOperations.PutExecutionAsync(
            s, execution, artifactEventPairs ?? [], contexts ?? [], options ?? PutExecutionOptions.Default, _types, cancellationToken), cancellationToken);

    public Task<PutLineageSubgraphResult> PutLineageSubgraphAsync(
        IReadOnlyList<Execution> executions, IReadOnlyList<Artifact> artifacts, IReadOnlyList<Context> contexts, IReadOnlyList<EventEdge> eventEdges,
        PutLineageSubgraphOptions? options = null, CancellationToken cancellationToken = default) =>
        WriteAsync(s => CompositeOperations.PutLineageSubgraphAsync(
            s, executions ?? [], artifacts ?? [], contexts ?? [], eventEdges ?? [], options ?? PutLineageSubgraphOptions.Default, _types, cancellationToken), cancellationToken);

    // ------------------------------------------------------------------ lineage

    public Task<LineageGraph> GetLineageSubgraphAsync(LineageSubgraphQuery query, IReadOnlyCollection<string>? readMask = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ReadAsync(s => LineageOperations.GetLineageSubgraphAsync(s, query, readMask, cancellationToken), cancellationToken);
    }

    public Task<LineageResult> GetLineageAsync(LineageRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ReadAsync(s => LineageOperations.GetLineageAsync(s, request, cancellationToken), cancellationToken);
    }

    public Task<StoreInfo> GetStoreInfoAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(async s =>
        {
            var cmd = s.Command("SELECT COALESCE(MAX(version), 0) FROM cairn_schema");
            var version = Convert.ToInt64(await s.ScalarAsync(cmd, cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            return new StoreInfo(DisplayUri, _backend.Name, version, _backend.LatestSchemaVersion);
        }, cancellationToken);

    public Task<ImportOutcome> ImportAsync(ImportData data, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        return WriteAsync(s => ImportOperations.ImportAsync(s, data, progress, cancellationToken), cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _pool.DisposeAsync().ConfigureAwait(false);
        if (_writeLock is not null)
        {
            // A write in flight keeps the writer session until it ends; it is disposed then (see RunOnceAsync).
            await _writeLock.WaitAsync().ConfigureAwait(false);
            if (_writer is not null) await _writer.DisposeAsync().ConfigureAwait(false);
            _writer = null;
        }

        await _backend.DisposeAsync().ConfigureAwait(false);
        _writeLock?.Dispose();
    }
}

/// <summary>Carries a transient backend conflict to the retry loop.</summary>
internal sealed class TransientConflictException(Exception inner) : Exception(inner.Message, inner);
