using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Cairn.Server.Rest;

/// <summary>
/// <c>/api/v1</c>: JSON resources over <see cref="IMetadataStore"/>, each handler a thin adapter (parse, call the core,
/// shape the answer). Errors become problem details in <see cref="RestErrors"/>.
/// </summary>
internal static class RestApi
{
    public const string Prefix = "/api/v1";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(Prefix)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status500InternalServerError)
            .RefuseUnknownQueryParameters();

        MapTypes(api, new TypeApi(
            NodeKind.Artifact, "artifact_types", "ArtifactType",
            async (s, ct) => await s.GetArtifactTypesAsync(ct).ConfigureAwait(false),
            async (s, ids, ct) => await s.GetArtifactTypesByIdAsync(ids, ct).ConfigureAwait(false),
            async (s, name, version, ct) => await s.GetArtifactTypeAsync(name, version, ct).ConfigureAwait(false),
            async (s, ids, ct) => await s.GetArtifactTypesByExternalIdsAsync(ids, ct).ConfigureAwait(false),
            (s, t, o, ct) => s.PutArtifactTypeAsync(RestMapper.FromRest<ArtifactType>(t, "artifact_type"), o, ct)));
        MapTypes(api, new TypeApi(
            NodeKind.Execution, "execution_types", "ExecutionType",
            async (s, ct) => await s.GetExecutionTypesAsync(ct).ConfigureAwait(false),
            async (s, ids, ct) => await s.GetExecutionTypesByIdAsync(ids, ct).ConfigureAwait(false),
            async (s, name, version, ct) => await s.GetExecutionTypeAsync(name, version, ct).ConfigureAwait(false),
            async (s, ids, ct) => await s.GetExecutionTypesByExternalIdsAsync(ids, ct).ConfigureAwait(false),
            (s, t, o, ct) => s.PutExecutionTypeAsync(RestMapper.FromRest<ExecutionType>(t, "execution_type"), o, ct)));
        MapTypes(api, new TypeApi(
            NodeKind.Context, "context_types", "ContextType",
            async (s, ct) => await s.GetContextTypesAsync(ct).ConfigureAwait(false),
            async (s, ids, ct) => await s.GetContextTypesByIdAsync(ids, ct).ConfigureAwait(false),
            async (s, name, version, ct) => await s.GetContextTypeAsync(name, version, ct).ConfigureAwait(false),
            async (s, ids, ct) => await s.GetContextTypesByExternalIdsAsync(ids, ct).ConfigureAwait(false),
            (s, t, o, ct) => s.PutContextTypeAsync(RestMapper.FromRest<ContextType>(t, "context_type"), o, ct)));

        var artifacts = new NodeApi<Artifact, RestArtifact>
        {
            Kind = NodeKind.Artifact,
            Path = "artifacts",
            Tag = "Artifact",
            One = RestJsonContext.Default.RestArtifact,
            Many = RestJsonContext.Default.ListRestArtifact,
            Page = RestJsonContext.Default.RestListRestArtifact,
            FromRest = RestMapper.FromRest,
            ToRest = RestMapper.ToRest,
            List = (s, o, ct) => s.GetArtifactsAsync(o, ct),
            ByType = (s, t, v, o, ct) => s.GetArtifactsByTypeAsync(t, v, o, ct),
            ById = (s, ids, ct) => s.GetArtifactsByIdAsync(ids, ct),
            ByTypeAndName = (s, t, n, v, ct) => s.GetArtifactByTypeAndNameAsync(t, n, v, ct),
            ByExternalIds = (s, ids, ct) => s.GetArtifactsByExternalIdsAsync(ids, ct),
            Put = (s, nodes, o, ct) => s.PutArtifactsAsync(nodes, o, ct),
            TypeByName = async (s, n, v, ct) => await s.GetArtifactTypeAsync(n, v, ct).ConfigureAwait(false),
            WithTypeId = (n, id) => n with { TypeId = id },
        };
        var executions = new NodeApi<Execution, RestExecution>
        {
            Kind = NodeKind.Execution,
            Path = "executions",
            Tag = "Execution",
            One = RestJsonContext.Default.RestExecution,
            Many = RestJsonContext.Default.ListRestExecution,
            Page = RestJsonContext.Default.RestListRestExecution,
            FromRest = RestMapper.FromRest,
            ToRest = RestMapper.ToRest,
            List = (s, o, ct) => s.GetExecutionsAsync(o, ct),
            ByType = (s, t, v, o, ct) => s.GetExecutionsByTypeAsync(t, v, o, ct),
            ById = (s, ids, ct) => s.GetExecutionsByIdAsync(ids, ct),
            ByTypeAndName = (s, t, n, v, ct) => s.GetExecutionByTypeAndNameAsync(t, n, v, ct),
            ByExternalIds = (s, ids, ct) => s.GetExecutionsByExternalIdsAsync(ids, ct),
            Put = (s, nodes, o, ct) => s.PutExecutionsAsync(nodes, o, ct),
            TypeByName = async (s, n, v, ct) => await s.GetExecutionTypeAsync(n, v, ct).ConfigureAwait(false),
            WithTypeId = (n, id) => n with { TypeId = id },
        };
        var contexts = new NodeApi<Context, RestContext>
        {
            Kind = NodeKind.Context,
            Path = "contexts",
            Tag = "Context",
            One = RestJsonContext.Default.RestContext,
            Many = RestJsonContext.Default.ListRestContext,
            Page = RestJsonContext.Default.RestListRestContext,
            FromRest = RestMapper.FromRest,
            ToRest = RestMapper.ToRest,
            List = (s, o, ct) => s.GetContextsAsync(o, ct),
            ByType = (s, t, v, o, ct) => s.GetContextsByTypeAsync(t, v, o, ct),
            ById = (s, ids, ct) => s.GetContextsByIdAsync(ids, ct),
            ByTypeAndName = (s, t, n, v, ct) => s.GetContextByTypeAndNameAsync(t, n, v, ct),
            ByExternalIds = (s, ids, ct) => s.GetContextsByExternalIdsAsync(ids, ct),
            Put = (s, nodes, o, ct) => s.PutContextsAsync(nodes, o, ct),
            TypeByName = async (s, n, v, ct) => await s.GetContextTypeAsync(n, v, ct).ConfigureAwait(false),
            WithTypeId = (n, id) => n with { TypeId = id },
        };
        MapNodes(api, artifacts);
        MapNodes(api, executions);
        MapNodes(api, contexts);
        MapMemberships(api);
        MapEdges(api);
        MapComposite(api, artifacts, executions, contexts);
        MapLineage(api);
        RestSearch.Map(api);
        RestChanges.Map(api);
    }

    // ------------------------------------------------------------------ types

    private sealed record TypeApi(
        NodeKind Kind,
        string Path,
        string Tag,
        Func<IMetadataStore, CancellationToken, Task<IReadOnlyList<MetadataType>>> All,
        Func<IMetadataStore, IReadOnlyCollection<long>, CancellationToken, Task<IReadOnlyList<MetadataType>>> ById,
        Func<IMetadataStore, string, string?, CancellationToken, Task<MetadataType>> ByName,
        Func<IMetadataStore, IReadOnlyCollection<string>, CancellationToken, Task<IReadOnlyList<MetadataType>>> ByExternalIds,
        Func<IMetadataStore, RestType, TypeUpsertOptions, CancellationToken, Task<long>> Put);

    private static void MapTypes(RouteGroupBuilder api, TypeApi t)
    {
        var group = api.MapGroup("/" + t.Path).WithTags(t.Tag + "s");

        group.MapGet("", async (
            IMetadataStore store,
            [FromQuery(Name = "external_id")] string[]? externalId,
            CancellationToken ct) =>
        {
            var externalIds = RestInput.Strings(externalId);
            var types = externalIds.Count > 0 ? await t.ByExternalIds(store, externalIds, ct).ConfigureAwait(false) : await t.All(store, ct).ConfigureAwait(false);
            return Results.Json(new RestList<RestType> { Items = [.. types.Select(RestMapper.ToRest)] }, RestJsonContext.Default.RestListRestType);
        })
            .WithName("List" + t.Tag + "s")
            .WithSummary($"Lists {Messages.KindName(t.Kind)} types (without the mlmd.* system types), or those with the given external ids.")
            .Produces<RestList<RestType>>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/by_name", async (
            IMetadataStore store,
            [FromQuery(Name = "name")] string? name,
            [FromQuery(Name = "version")] string? version,
            CancellationToken ct) =>
        {
            if (string.IsNullOrEmpty(name)) throw new InvalidArgumentException(RestMessages.QueryMissing("name"));
            var type = await t.ByName(store, name, version, ct).ConfigureAwait(false);
            return Results.Json(RestMapper.ToRest(type), RestJsonContext.Default.RestType);
        })
            .WithName("Get" + t.Tag + "ByName")
            .WithSummary($"The {Messages.KindName(t.Kind)} type with this name and version.")
            .Produces<RestType>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{id}", async (IMetadataStore store, string id, CancellationToken ct) =>
        {
            var typeId = RestInput.Id(id, "id");
            var type = (await t.ById(store, [typeId], ct).ConfigureAwait(false)).FirstOrDefault()
                ?? throw new NotFoundException(RestMessages.TypeNotFoundById(t.Kind, typeId));
            return Results.Json(RestMapper.ToRest(type), RestJsonContext.Default.RestType);
        })
            .WithName("Get" + t.Tag)
            .WithSummary($"The {Messages.KindName(t.Kind)} type with this id.")
            .Produces<RestType>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPut("", async (
            HttpContext http,
            IMetadataStore store,
            [FromQuery(Name = "can_add_fields")] string? canAddFields,
            [FromQuery(Name = "can_omit_fields")] string? canOmitFields,
            CancellationToken ct) =>
        {
            var options = new TypeUpsertOptions
            {
                CanAddFields = RestInput.Bool(canAddFields, "can_add_fields") ?? false,
                CanOmitFields = RestInput.Bool(canOmitFields, "can_omit_fields") ?? false,
            };
            var body = await RestInput.ReadAsync(http, RestJsonContext.Default.RestType, "a type").ConfigureAwait(false);
            var id = await t.Put(store, body, options, ct).ConfigureAwait(false);
            var stored = (await t.ById(store, [id], ct).ConfigureAwait(false)).FirstOrDefault()
                ?? throw new NotFoundException(RestMessages.TypeNotFoundById(t.Kind, id));
            return Results.Json(RestMapper.ToRest(stored), RestJsonContext.Default.RestType);
        })
            .WithName("Put" + t.Tag)
            .WithSummary($"Inserts a {Messages.KindName(t.Kind)} type, or checks and extends the stored one with the same name and version (MLMD Put{t.Tag}).")
            .Accepts<RestType>("application/json")
            .Produces<RestType>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status501NotImplemented);
    }

    // ------------------------------------------------------------------ nodes

    private sealed class NodeApi<TNode, TRest>
        where TNode : Node
        where TRest : RestNode
    {
        public required NodeKind Kind { get; init; }

        public required string Path { get; init; }

        public required string Tag { get; init; }

        public required JsonTypeInfo<TRest> One { get; init; }

        public required JsonTypeInfo<List<TRest>> Many { get; init; }

        public required JsonTypeInfo<RestList<TRest>> Page { get; init; }

        public required Func<TRest, string, TNode> FromRest { get; init; }

        public required Func<TNode, TRest> ToRest { get; init; }

        public required Func<IMetadataStore, ListOptions, CancellationToken, Task<Page<TNode>>> List { get; init; }

        public required Func<IMetadataStore, string, string?, ListOptions, CancellationToken, Task<Page<TNode>>> ByType { get; init; }

        public required Func<IMetadataStore, IReadOnlyCollection<long>, CancellationToken, Task<IReadOnlyList<TNode>>> ById { get; init; }

        public required Func<IMetadataStore, string, string, string?, CancellationToken, Task<TNode?>> ByTypeAndName { get; init; }

        public required Func<IMetadataStore, IReadOnlyCollection<string>, CancellationToken, Task<IReadOnlyList<TNode>>> ByExternalIds { get; init; }

        public required Func<IMetadataStore, IReadOnlyList<TNode>, PutNodesOptions, CancellationToken, Task<IReadOnlyList<long>>> Put { get; init; }

        public required Func<IMetadataStore, string, string?, CancellationToken, Task<MetadataType>> TypeByName { get; init; }

        public required Func<TNode, long, TNode> WithTypeId { get; init; }

        public string What => Messages.KindName(Kind);

        public IResult Json(TNode node, int status = StatusCodes.Status200OK) => Results.Json(ToRest(node), One, statusCode: status);

        public IResult Json(IEnumerable<TNode> nodes, string? nextPageToken = null, int status = StatusCodes.Status200OK) =>
            Results.Json(new RestList<TRest> { Items = [.. nodes.Select(ToRest)], NextPageToken = string.IsNullOrEmpty(nextPageToken) ? null : nextPageToken }, Page, statusCode: status);

        public async Task<TNode> GetAsync(IMetadataStore store, long id, CancellationToken ct) =>
            (await ById(store, [id], ct).ConfigureAwait(false)).FirstOrDefault() ?? throw new NotFoundException(RestMessages.NodeNotFound(Kind, id));

        public async Task<IReadOnlyList<TNode>> GetInOrderAsync(IMetadataStore store, IReadOnlyList<long> ids, CancellationToken ct)
        {
            var found = (await ById(store, ids, ct).ConfigureAwait(false)).ToDictionary(n => n.Id!.Value);
            return [.. ids.Select(id => found[id])];
        }

        /// <summary>Turns request nodes into core nodes; a node naming its type by <c>type</c> (and <c>type_version</c>) gets its type id.</summary>
        public async Task<List<TNode>> FromRestAsync(IMetadataStore store, IReadOnlyList<TRest> items, string field, bool isBatch, CancellationToken ct)
        {
            var nodes = new List<TNode>(items.Count);
            var typeIds = new Dictionary<(string, string), long>();
            for (var i = 0; i < items.Count; i++)
            {
                var item = items[i];
                var at = isBatch ? $"{field}[{i}]" : field;
                var node = FromRest(item, at);
                if (item.TypeId is null && !string.IsNullOrEmpty(item.Type))
                {
                    var key = (item.Type, item.TypeVersion ?? string.Empty);
                    if (!typeIds.TryGetValue(key, out var typeId))
                    {
                        typeId = typeIds[key] = (await TypeByName(store, item.Type, item.TypeVersion, ct).ConfigureAwait(false)).Id!.Value;
                    }

                    node = WithTypeId(node, typeId);
                }

                nodes.Add(node);
            }

            return nodes;
        }
    }

    private static void MapNodes<TNode, TRest>(RouteGroupBuilder api, NodeApi<TNode, TRest> n)
        where TNode : Node
        where TRest : RestNode
    {
        var group = api.MapGroup("/" + n.Path).WithTags(n.Tag + "s");

        async Task<IResult> ListAsync(
            IMetadataStore store, RestListQuery query, string? type, string? typeVersion, string[]? externalId, string[]? uri, CancellationToken ct)
        {
            var externalIds = RestInput.Strings(externalId);
            var uris = uri ?? [];
            if (uris.Length > 0 && type is not null) throw new InvalidArgumentException(RestMessages.QueryConflict("uri", "type"));
            if (uris.Length > 0 && externalIds.Count > 0) throw new InvalidArgumentException(RestMessages.QueryConflict("uri", "external_id"));
            if (externalIds.Count > 0 && type is not null) throw new InvalidArgumentException(RestMessages.QueryConflict("external_id", "type"));
            if (uris.Length > 0)
            {
                var byUri = await ((IMetadataStore)store).GetArtifactsByUriAsync(uris, ct).ConfigureAwait(false);
                return n.Json(byUri.Cast<TNode>().OrderBy(a => a.Id));
            }

            if (externalIds.Count > 0) return n.Json(await n.ByExternalIds(store, externalIds, ct).ConfigureAwait(false));
            var options = RestInput.List(query);
            var page = string.IsNullOrEmpty(type)
                ? await n.List(store, options, ct).ConfigureAwait(false)
                : await n.ByType(store, type, typeVersion, options, ct).ConfigureAwait(false);
            return n.Json(page.Items, page.NextPageToken);
        }

        var listSummary = $"Lists {n.What}s a page at a time, filtered by a filter query and/or a type, or those with the given external ids"
            + (n.Kind == NodeKind.Artifact ? " or URIs." : ".");
        var list = n.Kind == NodeKind.Artifact
            ? group.MapGet("", (
                IMetadataStore store,
                [AsParameters] RestListQuery query,
                [FromQuery(Name = "type")] string? type,
                [FromQuery(Name = "type_version")] string? typeVersion,
                [FromQuery(Name = "external_id")] string[]? externalId,
                [FromQuery(Name = "uri")] string[]? uri,
                CancellationToken ct) => ListAsync(store, query, type, typeVersion, externalId, uri, ct))
            : group.MapGet("", (
                IMetadataStore store,
                [AsParameters] RestListQuery query,
                [FromQuery(Name = "type")] string? type,
                [FromQuery(Name = "type_version")] string? typeVersion,
                [FromQuery(Name = "external_id")] string[]? externalId,
                CancellationToken ct) => ListAsync(store, query, type, typeVersion, externalId, null, ct));
        list.WithName("List" + n.Tag + "s").WithSummary(listSummary).Produces<RestList<TRest>>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/by_type_and_name", async (
            IMetadataStore store,
            [FromQuery(Name = "type")] string? type,
            [FromQuery(Name = "name")] string? name,
            [FromQuery(Name = "type_version")] string? typeVersion,
            CancellationToken ct) =>
        {
            if (string.IsNullOrEmpty(type)) throw new InvalidArgumentException(RestMessages.QueryMissing("type"));
            if (string.IsNullOrEmpty(name)) throw new InvalidArgumentException(RestMessages.QueryMissing("name"));
            var node = await n.ByTypeAndName(store, type, name, typeVersion, ct).ConfigureAwait(false)
                ?? throw new NotFoundException(RestMessages.NodeByNameNotFound(n.Kind, type, name, typeVersion));
            return n.Json(node);
        })
            .WithName($"Get{n.Tag}ByTypeAndName")
            .WithSummary($"The {n.What} with this type and name.")
            .Produces<TRest>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{id}", async (IMetadataStore store, string id, CancellationToken ct) =>
            n.Json(await n.GetAsync(store, RestInput.Id(id, "id"), ct).ConfigureAwait(false)))
            .WithName("Get" + n.Tag)
            .WithSummary($"The {n.What} with this id.")
            .Produces<TRest>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("", async (HttpContext http, IMetadataStore store, CancellationToken ct) =>
        {
            var (items, isBatch) = await RestInput.ReadOneOrManyAsync(http, n.One, n.Many, $"{(n.Kind == NodeKind.Artifact ? "an" : "a")} {n.What} or a list of them").ConfigureAwait(false);
            if (items.Any(i => i.Id is not null)) throw new InvalidArgumentException(RestMessages.CreateWithId(n.Path));
            var nodes = await n.FromRestAsync(store, items, n.What, isBatch, ct).ConfigureAwait(false);
            var ids = await n.Put(store, nodes, PutNodesOptions.Default, ct).ConfigureAwait(false);
            var created = await n.GetInOrderAsync(store, ids, ct).ConfigureAwait(false);
            if (isBatch) return n.Json(created, status: StatusCodes.Status201Created);
            http.Response.Headers.Location = $"{Prefix}/{n.Path}/{ids[0]}";
            return n.Json(created[0], StatusCodes.Status201Created);
        })
            .WithName("Create" + n.Tag + "s")
            .WithSummary($"Creates one {n.What} (a JSON object; answers the node) or several in one transaction (a JSON array; answers {{\"items\": […]}}). The type is named by type_id, or by type and type_version.")
            .Accepts<TRest>("application/json")
            .Produces<TRest>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        async Task<IResult> UpdateAsync(
            HttpContext http, IMetadataStore store, string id, string[]? updateMask, string? abortIfChanged, bool patch, CancellationToken ct)
        {
            var abort = RestInput.Bool(abortIfChanged, "abort_if_latest_updated_time_changed") ?? false;
            var nodeId = RestInput.Id(id, "id");
            var body = await RestInput.ReadAsync(http, n.One, $"{(n.Kind == NodeKind.Artifact ? "an" : "a")} {n.What}").ConfigureAwait(false);
            if (body.Id is { } bodyId && bodyId != nodeId) throw new InvalidArgumentException(RestMessages.IdMismatch(nodeId, bodyId));
            var stored = await n.GetAsync(store, nodeId, ct).ConfigureAwait(false);
            body.Id = nodeId;
            var node = (await n.FromRestAsync(store, [body], n.What, false, ct).ConfigureAwait(false))[0];
            if (node.TypeId is null) node = n.WithTypeId(node, stored.TypeId!.Value);

            var mask = RestInput.Strings(updateMask);
            if (patch && mask.Count == 0) mask = MaskOf(body, n.Kind);
            if (patch && mask.Count == 0) throw new InvalidArgumentException(RestMessages.PatchNothing);
            await n.Put(store, [node], new PutNodesOptions { UpdateMask = mask, AbortIfLatestUpdatedTimeChanged = abort }, ct).ConfigureAwait(false);
            return n.Json(await n.GetAsync(store, nodeId, ct).ConfigureAwait(false));
        }

        group.MapPut("/{id}", (
            HttpContext http,
            IMetadataStore store,
            string id,
            [FromQuery(Name = "abort_if_latest_updated_time_changed")] string? abortIfChanged,
            CancellationToken ct) => UpdateAsync(http, store, id, null, abortIfChanged, false, ct))
            .WithName("Replace" + n.Tag)
            .WithSummary($"Replaces the {n.What}'s mutable fields with the body's (MLMD Put{n.Tag}s without an update mask). With abort_if_latest_updated_time_changed=true, an artifact whose stored last_update_time_since_epoch differs from the body's is refused (412).")
            .Accepts<TRest>("application/json")
            .Produces<TRest>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        group.MapPatch("/{id}", (
            HttpContext http,
            IMetadataStore store,
            string id,
            [FromQuery(Name = "update_mask")] string[]? updateMask,
            [FromQuery(Name = "abort_if_latest_updated_time_changed")] string? abortIfChanged,
            CancellationToken ct) => UpdateAsync(http, store, id, updateMask, abortIfChanged, true, ct))
            .WithName("Update" + n.Tag)
            .WithSummary($"Updates the fields of the {n.What} named by update_mask (comma separated or repeated: uri, state, external_id, properties.k, custom_properties, …); without update_mask, the fields present in the body.")
            .Accepts<TRest>("application/json")
            .Produces<TRest>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);


        foreach (var field in (string[])[NodeLabels.TagsField, NodeLabels.OwnersField])
        {
            var one = field == NodeLabels.TagsField ? "tag" : "owner";
            async Task<IResult> EditAsync(IMetadataStore store, string id, string value, bool add, CancellationToken ct)
            {
                var nodeId = RestInput.Id(id, "id");
                string[] values = [value];
                var edit = field == NodeLabels.TagsField
                    ? new LabelEdit { AddTags = add ? values : [], RemoveTags = add ? [] : values }
                    : new LabelEdit { AddOwners = add ? values : [], RemoveOwners = add ? [] : values };
                return n.Json((TNode)await store.EditLabelsAsync(n.Kind, nodeId, edit, ct).ConfigureAwait(false));
            }

            group.MapPut($"/{{id}}/{field}/{{value}}", (IMetadataStore store, string id, string value, CancellationToken ct) => EditAsync(store, id, value, true, ct))
                .WithName($"Add{n.Tag}{char.ToUpperInvariant(one[0])}{one[1..]}")
                .WithSummary($"Adds the {one} to the {n.What}'s {field} (nothing else changes; adding a present {one} does nothing). Answers the {n.What}.")
                .Produces<TRest>()
                .ProducesProblem(StatusCodes.Status400BadRequest)
                .ProducesProblem(StatusCodes.Status404NotFound);
            group.MapDelete($"/{{id}}/{field}/{{value}}", (IMetadataStore store, string id, string value, CancellationToken ct) => EditAsync(store, id, value, false, ct))
                .WithName($"Remove{n.Tag}{char.ToUpperInvariant(one[0])}{one[1..]}")
                .WithSummary($"Removes the {one} from the {n.What}'s {field} (removing an absent {one} does nothing). Answers the {n.What}.")
                .Produces<TRest>()
                .ProducesProblem(StatusCodes.Status400BadRequest)
                .ProducesProblem(StatusCodes.Status404NotFound);
        }
    }

    /// <summary>The update mask a PATCH body implies: every field it sets, and every property key it names.</summary>
    private static List<string> MaskOf(RestNode body, NodeKind kind)
    {
        var mask = new List<string>();
        if (body.ExternalId is not null) mask.Add("external_id");
        if (body.Name is not null && kind == NodeKind.Context) mask.Add("name");
        switch (body)
        {
            case RestArtifact a:
                if (a.Uri is not null) mask.Add("uri");
                if (a.State is not null) mask.Add("state");
                break;
            case RestExecution { LastKnownState: not null }:
                mask.Add("last_known_state");
                break;
        }

        // Not MLMD fields: a list given replaces them whatever the mask; naming them keeps the update masked.
        if (body.Tags is not null) mask.Add(NodeLabels.TagsField);
        if (body.Owners is not null) mask.Add(NodeLabels.OwnersField);
        mask.AddRange((body.Properties ?? []).Keys.Select(k => "properties." + k));
        mask.AddRange((body.CustomProperties ?? []).Keys.Select(k => "custom_properties." + k));
        return mask;
    }

    // ------------------------------------------------------------------ memberships

    private static void MapMemberships(RouteGroupBuilder api)
    {
        var contexts = api.MapGroup("/contexts").WithTags("Contexts");
        contexts.MapGet("/{id}/artifacts", async (IMetadataStore store, string id, [AsParameters] RestListQuery query, CancellationToken ct) =>
        {
            var page = await store.GetArtifactsByContextAsync(RestInput.Id(id, "id"), RestInput.List(query), ct).ConfigureAwait(false);
            return Page(page, RestMapper.ToRest, RestJsonContext.Default.RestListRestArtifact);
        })
            .WithName("ListContextArtifacts")
            .WithSummary("Artifacts attributed to the context, a page at a time.")
            .Produces<RestList<RestArtifact>>();

        contexts.MapGet("/{id}/executions", async (IMetadataStore store, string id, [AsParameters] RestListQuery query, CancellationToken ct) =>
        {
            var page = await store.GetExecutionsByContextAsync(RestInput.Id(id, "id"), RestInput.List(query), ct).ConfigureAwait(false);
            return Page(page, RestMapper.ToRest, RestJsonContext.Default.RestListRestExecution);
        })
            .WithName("ListContextExecutions")
            .WithSummary("Executions associated with the context, a page at a time.")
            .Produces<RestList<RestExecution>>();

        contexts.MapGet("/{id}/parents", async (IMetadataStore store, string id, CancellationToken ct) =>
            Items(await store.GetParentContextsByContextAsync(RestInput.Id(id, "id"), ct).ConfigureAwait(false)))
            .WithName("ListContextParents")
            .WithSummary("The parent contexts of the context.")
            .Produces<RestList<RestContext>>();

        contexts.MapGet("/{id}/children", async (IMetadataStore store, string id, CancellationToken ct) =>
            Items(await store.GetChildrenContextsByContextAsync(RestInput.Id(id, "id"), ct).ConfigureAwait(false)))
            .WithName("ListContextChildren")
            .WithSummary("The child contexts of the context.")
            .Produces<RestList<RestContext>>();

        api.MapGet("/artifacts/{id}/contexts", async (IMetadataStore store, string id, CancellationToken ct) =>
            Items(await store.GetContextsByArtifactAsync(RestInput.Id(id, "id"), ct).ConfigureAwait(false)))
            .WithTags("Artifacts")
            .WithName("ListArtifactContexts")
            .WithSummary("The contexts the artifact is attributed to; 404 when there are none (as MLMD answers).")
            .Produces<RestList<RestContext>>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/executions/{id}/contexts", async (IMetadataStore store, string id, CancellationToken ct) =>
            Items(await store.GetContextsByExecutionAsync(RestInput.Id(id, "id"), ct).ConfigureAwait(false)))
            .WithTags("Executions")
            .WithName("ListExecutionContexts")
            .WithSummary("The contexts the execution is associated with; 404 when there are none (as MLMD answers).")
            .Produces<RestList<RestContext>>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        static IResult Items(IReadOnlyList<Context> contexts) =>
            Results.Json(new RestList<RestContext> { Items = [.. contexts.OrderBy(c => c.Id).Select(RestMapper.ToRest)] }, RestJsonContext.Default.RestListRestContext);
    }

    private static IResult Page<TNode, TRest>(Page<TNode> page, Func<TNode, TRest> map, JsonTypeInfo<RestList<TRest>> type) =>
        Results.Json(new RestList<TRest> { Items = [.. page.Items.Select(map)], NextPageToken = string.IsNullOrEmpty(page.NextPageToken) ? null : page.NextPageToken }, type);

    // ------------------------------------------------------------------ edges

    private static void MapEdges(RouteGroupBuilder api)
    {
        api.MapPost("/events", async (HttpContext http, IMetadataStore store, CancellationToken ct) =>
        {
            var (items, isBatch) = await RestInput.ReadOneOrManyAsync(http, RestJsonContext.Default.RestEvent, RestJsonContext.Default.ListRestEvent, "an event or a list of them").ConfigureAwait(false);
            var events = items.Select((e, i) => RestMapper.FromRest(e, isBatch ? $"event[{i}]" : "event")).ToList();
            await store.PutEventsAsync(events, ct).ConfigureAwait(false);
            return Results.NoContent();
        })
            .WithTags("Events")
            .WithName("CreateEvents")
            .WithSummary("Records one event (a JSON object) or several (a JSON array) in one transaction.")
            .Accepts<RestEvent>("application/json")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        api.MapGet("/events", async (
            IMetadataStore store,
            [FromQuery(Name = "artifact_id")] string[]? artifactId,
            [FromQuery(Name = "execution_id")] string[]? executionId,
            CancellationToken ct) =>
        {
            var artifacts = RestInput.Ids(artifactId, "artifact_id");
            var executions = RestInput.Ids(executionId, "execution_id");
            if (artifacts.Count > 0 && executions.Count > 0) throw new InvalidArgumentException(RestMessages.QueryConflict("artifact_id", "execution_id"));
            if (artifacts.Count == 0 && executions.Count == 0) throw new InvalidArgumentException(RestMessages.EventsQuery);
            var events = artifacts.Count > 0
                ? await store.GetEventsByArtifactIdsAsync(artifacts, ct).ConfigureAwait(false)
                : await store.GetEventsByExecutionIdsAsync(executions, ct).ConfigureAwait(false);
            return Results.Json(new RestList<RestEvent> { Items = [.. events.Select(RestMapper.ToRest)] }, RestJsonContext.Default.RestListRestEvent);
        })
            .WithTags("Events")
            .WithName("ListEvents")
            .WithSummary("The events of the given artifacts or executions (ids repeated or comma separated).")
            .Produces<RestList<RestEvent>>();

        api.MapPost("/attributions", async (HttpContext http, IMetadataStore store, CancellationToken ct) =>
        {
            var (items, _) = await RestInput.ReadOneOrManyAsync(http, RestJsonContext.Default.RestAttribution, RestJsonContext.Default.ListRestAttribution, "an attribution or a list of them").ConfigureAwait(false);
            await store.PutAttributionsAndAssociationsAsync([.. items.Select(a => new Attribution(a.ContextId, a.ArtifactId))], [], ct).ConfigureAwait(false);
            return Results.NoContent();
        })
            .WithTags("Contexts")
            .WithName("CreateAttributions")
            .WithSummary("Adds artifacts to contexts; pairs that exist already are ignored.")
            .Accepts<RestAttribution>("application/json")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        api.MapPost("/associations", async (HttpContext http, IMetadataStore store, CancellationToken ct) =>
        {
            var (items, _) = await RestInput.ReadOneOrManyAsync(http, RestJsonContext.Default.RestAssociation, RestJsonContext.Default.ListRestAssociation, "an association or a list of them").ConfigureAwait(false);
            await store.PutAttributionsAndAssociationsAsync([], [.. items.Select(a => new Association(a.ContextId, a.ExecutionId))], ct).ConfigureAwait(false);
            return Results.NoContent();
        })
            .WithTags("Contexts")
            .WithName("CreateAssociations")
            .WithSummary("Adds executions to contexts; pairs that exist already are ignored.")
            .Accepts<RestAssociation>("application/json")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        api.MapPost("/parent_contexts", async (HttpContext http, IMetadataStore store, CancellationToken ct) =>
        {
            var (items, _) = await RestInput.ReadOneOrManyAsync(http, RestJsonContext.Default.RestParentContext, RestJsonContext.Default.ListRestParentContext, "a parent context or a list of them").ConfigureAwait(false);
            await store.PutParentContextsAsync([.. items.Select(p => new ParentContext(p.ChildId, p.ParentId))], ct).ConfigureAwait(false);
            return Results.NoContent();
        })
            .WithTags("Contexts")
            .WithName("CreateParentContexts")
            .WithSummary("Adds parent/child relations between contexts; duplicates and cycles are refused.")
            .Accepts<RestParentContext>("application/json")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
    }

    // ------------------------------------------------------------------ composite writes

    private static void MapComposite(
        RouteGroupBuilder api, NodeApi<Artifact, RestArtifact> artifacts, NodeApi<Execution, RestExecution> executions, NodeApi<Context, RestContext> contexts)
    {
        api.MapPost("/executions:put", async (HttpContext http, IMetadataStore store, CancellationToken ct) =>
        {
            var body = await RestInput.ReadAsync(http, RestJsonContext.Default.RestPutExecutionRequest, "a PutExecution request").ConfigureAwait(false);
            var execution = body.Execution is null
                ? throw new InvalidArgumentException(RestMessages.FieldRequired("execution"))
                : (await executions.FromRestAsync(store, [body.Execution], "execution", false, ct).ConfigureAwait(false))[0];
            var pairs = new List<ArtifactAndEvent>();
            var requestPairs = body.ArtifactEventPairs ?? [];
            for (var i = 0; i < requestPairs.Count; i++)
            {
                var pair = requestPairs[i] ?? throw new InvalidArgumentException(RestMessages.ValueNull($"artifact_event_pairs[{i}]"));
                var artifact = pair.Artifact is null
                    ? null
                    : (await artifacts.FromRestAsync(store, [pair.Artifact], $"artifact_event_pairs[{i}].artifact", false, ct).ConfigureAwait(false))[0];
                var e = pair.Event is null ? null : RestMapper.FromRest(pair.Event, $"artifact_event_pairs[{i}].event");
                pairs.Add(new ArtifactAndEvent(artifact, e));
            }

            var requestContexts = body.Contexts ?? [];
            if (requestContexts.Any(c => c is null)) throw new InvalidArgumentException(RestMessages.ValueNull("contexts[]"));
            var contextNodes = await contexts.FromRestAsync(store, requestContexts, "contexts", true, ct).ConfigureAwait(false);
            var options = new PutExecutionOptions
            {
                ReuseContextIfAlreadyExist = body.Options?.ReuseContextIfAlreadyExist ?? false,
                ReuseArtifactIfAlreadyExistByExternalId = body.Options?.ReuseArtifactIfAlreadyExistByExternalId ?? false,
                ForceUpdateTime = body.Options?.ForceUpdateTime ?? false,
                ForceReuseContext = body.Options?.ForceReuseContext ?? false,
            };
            var result = await store.PutExecutionAsync(execution, pairs, contextNodes, options, ct).ConfigureAwait(false);
            return Results.Json(
                new RestPutExecutionResponse { ExecutionId = result.ExecutionId, ArtifactIds = result.ArtifactIds, ContextIds = result.ContextIds },
                RestJsonContext.Default.RestPutExecutionResponse);
        })
            .WithTags("Executions")
            .WithName("PutExecution")
            .WithSummary("Atomically records an execution with its artifacts, events and contexts (MLMD PutExecution).")
            .Accepts<RestPutExecutionRequest>("application/json")
            .Produces<RestPutExecutionResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
    }

    // ------------------------------------------------------------------ lineage

    private static void MapLineage(RouteGroupBuilder api)
    {
        api.MapPost("/lineage:subgraph", async (HttpContext http, IMetadataStore store, CancellationToken ct) =>
        {
            var body = await RestInput.ReadAsync(http, RestJsonContext.Default.RestLineageSubgraphRequest, "a GetLineageSubgraph request").ConfigureAwait(false);
            var query = RestMapper.FromRest(body.LineageSubgraphQueryOptions);
            var graph = await store.GetLineageSubgraphAsync(query, RestInput.Strings([.. body.ReadMask ?? []]), ct).ConfigureAwait(false);
            return Results.Json(new RestLineageSubgraphResponse { LineageSubgraph = RestMapper.ToRest(graph) }, RestJsonContext.Default.RestLineageSubgraphResponse);
        })
            .WithTags("Lineage")
            .WithName("GetLineageSubgraph")
            .WithSummary("The lineage subgraph around the nodes a filter query selects, with MLMD's semantics (GetLineageSubgraph).")
            .Accepts<RestLineageSubgraphRequest>("application/json")
            .Produces<RestLineageSubgraphResponse>()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status501NotImplemented);

        foreach (var kind in new[] { NodeKind.Artifact, NodeKind.Execution })
        {
            var plural = kind == NodeKind.Artifact ? "artifacts" : "executions";
            api.MapGet($"/lineage/{plural}/{{id}}", async (
                IMetadataStore store,
                string id,
                [FromQuery(Name = "direction")] string? direction,
                [FromQuery(Name = "depth")] string? depth,
                [FromQuery(Name = "max_nodes")] string? maxNodes,
                [FromQuery(Name = "continue")] string? continuation,
                [FromQuery(Name = "stop_at_artifacts")] string? stopAtArtifacts,
                [FromQuery(Name = "stop_at_executions")] string? stopAtExecutions,
                [FromQuery(Name = "ids_only")] string? idsOnly,
                CancellationToken ct) =>
            {
                var request = new LineageRequest
                {
                    Start = [new NodeRef(kind, RestInput.Id(id, "id"))],
                    Direction = Direction(direction),
                    MaxDepth = RestInput.Int(depth, "depth", 0, 1000) ?? 20,
                    MaxNodes = RestInput.Int(maxNodes, "max_nodes", 1, 1_000_000) ?? 10_000,
                    ContinuationToken = string.IsNullOrEmpty(continuation) ? null : continuation,
                    StopAtArtifacts = string.IsNullOrWhiteSpace(stopAtArtifacts) ? null : stopAtArtifacts,
                    StopAtExecutions = string.IsNullOrWhiteSpace(stopAtExecutions) ? null : stopAtExecutions,
                    IdsOnly = RestInput.Bool(idsOnly, "ids_only") ?? false,
                };
                var result = await store.GetLineageAsync(request, ct).ConfigureAwait(false);
                return Results.Json(RestMapper.ToRest(result), RestJsonContext.Default.RestLineage);
            })
                .WithTags("Lineage")
                .WithName(kind == NodeKind.Artifact ? "GetArtifactLineage" : "GetExecutionLineage")
                .WithSummary($"What is upstream (default), downstream or both ways of the {Messages.KindName(kind)}, within depth edges (default 20) and max_nodes nodes (default 10000; continue with the continuation_token).")
                .Produces<RestLineage>()
                .ProducesProblem(StatusCodes.Status404NotFound)
                .ProducesProblem(StatusCodes.Status501NotImplemented);
        }

        api.MapGet("/artifacts/{id}/based_on", async (
            IMetadataStore store,
            string id,
            [FromQuery(Name = "direction")] string? direction,
            [FromQuery(Name = "max_hops")] string? maxHops,
            CancellationToken ct) =>
        {
            var d = Direction(direction);
            if (d == LineageDirection.Bidirectional) throw new InvalidArgumentException(RestMessages.UnknownEnumValue("direction", direction!, "upstream, downstream"));
            var based = await store.GetBasedOnAsync(RestInput.Id(id, "id"), d, RestInput.Int(maxHops, "max_hops", 1, 500) ?? 10, ct).ConfigureAwait(false);
            return Results.Json(
                new RestList<RestBasedOn> { Items = [.. based.Select(b => new RestBasedOn { Artifact = RestMapper.ToRest(b.Artifact), Depth = b.Depth, Via = b.Via })] },
                RestJsonContext.Default.RestListRestBasedOn);
        })
            .WithTags("Lineage")
            .WithName("GetBasedOn")
            .WithSummary("Artifacts the artifact is based on (upstream, the default) or that are based on it (downstream), executions collapsed.")
            .Produces<RestList<RestBasedOn>>()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static LineageDirection Direction(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "upstream" or "up" => LineageDirection.Upstream,
        "downstream" or "down" => LineageDirection.Downstream,
        "both" or "bidirectional" => LineageDirection.Bidirectional,
        _ => throw new InvalidArgumentException(RestMessages.UnknownEnumValue("direction", text, "upstream, downstream, both")),
    };
}
