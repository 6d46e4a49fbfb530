using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Schemaspaces;
using Cairn.Server.Rest;
using Microsoft.AspNetCore.WebUtilities;

namespace Cairn.Server.Schemaspaces;

/// <summary>
/// The server's schemaspaces: the schemas loaded from <see cref="ServerOptions.SchemaPaths"/> (once, at the first
/// request) and the instances in the server's store.
/// </summary>
internal sealed class SchemaspaceHost(IReadOnlyList<string> schemaPaths, string? secretKeyFile, IMetadataStore store, ILogger<SchemaspaceHost> logger, bool loopbackOnly)
{
    private readonly MetadataManagerOptions _managerOptions = new()
    {
        Secrets = secretKeyFile is { Length: > 0 } ? new SecretProtector(secretKeyFile) : SecretProtector.FromEnvironment(),
    };

    private readonly Lazy<Task<SchemaCatalog>> _catalog = new(async () =>
    {
        var catalog = await SchemaCatalog.LoadAsync(schemaPaths.Select(SchemasProviders.FromPath)).ConfigureAwait(false);
        foreach (var problem in catalog.Problems) SchemaspaceLog.SchemaSkipped(logger, problem.Source, problem.Message);
        return catalog;
    });

    public Task<SchemaCatalog> CatalogAsync() => _catalog.Value;

    public IInstanceStore Instances { get; } = store is IInstanceStorage storage ? new StoreInstanceStore(storage, store.DisplayUri) : new UnsupportedInstances(store.DisplayUri);

    public async Task<MetadataManager> ManagerAsync(string schemaspace) => new(await CatalogAsync().ConfigureAwait(false), schemaspace, Instances, _managerOptions);

    /// <summary>
    /// Secrets are shown only when asked for (<c>include_secrets=true</c>) and only by a server bound to loopback, where
    /// every caller is on this machine: without authentication, a reachable server must not hand them out.
    /// </summary>
    public MetadataInstance Shown(HttpContext http, MetadataManager manager, MetadataInstance instance) =>
        Shown(string.Equals(http.Request.Query["include_secrets"], "true", StringComparison.OrdinalIgnoreCase), manager, instance);

    /// <summary>
    /// The <c>include_secrets</c> query value of a <c>/api/v1</c> route, checked before the call does anything: not a
    /// boolean is a 400 naming it, and <c>true</c> on a server others can reach is refused before a write, not after it.
    /// </summary>
    public bool SecretsRequested(string? includeSecrets)
    {
        var requested = Rest.RestInput.Bool(includeSecrets, "include_secrets") == true;
        if (requested && !loopbackOnly) throw new FailedPreconditionException(SchemaspaceRouteMessages.SecretsNeedLoopback);
        return requested;
    }

    /// <inheritdoc cref="Shown(HttpContext, MetadataManager, MetadataInstance)"/>
    public MetadataInstance Shown(bool includeSecrets, MetadataManager manager, MetadataInstance instance)
    {
        if (!includeSecrets) return manager.Redact(instance);
        if (!loopbackOnly) throw new FailedPreconditionException(SchemaspaceRouteMessages.SecretsNeedLoopback);
        return instance;
    }

    private sealed class UnsupportedInstances(string where) : IInstanceStore
    {
        private UnimplementedException Error => new(InstanceStorageMessages.RemoteUnsupported(where));

        public Task<bool> SchemaspaceExistsAsync(string schemaspace, CancellationToken cancellationToken = default) => throw Error;

        public Task<IReadOnlyList<StoredInstance>> FetchAsync(string schemaspace, string? name = null, CancellationToken cancellationToken = default) => throw Error;

        public Task<StoredInstance> StoreAsync(string schemaspace, string name, JsonObject content, bool forUpdate, CancellationToken cancellationToken = default) => throw Error;

        public Task DeleteAsync(string schemaspace, StoredInstance instance, CancellationToken cancellationToken = default) => throw Error;
    }
}

/// <summary>The schemaspaces' log messages.</summary>
internal static partial class SchemaspaceLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Schema file {Source} was not loaded: {Reason}")]
    public static partial void SchemaSkipped(ILogger logger, string source, string reason);
}

/// <summary>
/// The schemaspace routes: Elyra's <c>/elyra/metadata</c>, <c>/elyra/schema</c> and <c>/elyra/schemaspace</c> with its
/// status codes and error bodies (<c>{reason, message, timestamp}</c>), so an Elyra front end can use Cairn as its
/// store, and Cairn's own <c>/api/v1/schemaspaces</c> with problem details like the rest of <c>/api/v1</c>.
/// </summary>
internal static class SchemaspaceRoutes
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = false };

    public static void Add(IServiceCollection services, ServerOptions options) =>
        services.AddSingleton(sp => new SchemaspaceHost(options.SchemaPaths, options.SecretKeyFile, sp.GetRequiredService<IMetadataStore>(), sp.GetRequiredService<ILogger<SchemaspaceHost>>(), IsLoopback(options)));

    private static bool IsLoopback(ServerOptions options)
    {
        try
        {
            return System.Net.IPAddress.IsLoopback(options.ResolveBindAddress());
        }
        catch (InvalidArgumentException)
        {
            return false;
        }
    }

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        MapElyra(endpoints);
        MapApi(endpoints);
    }

    // ------------------------------------------------------------------ Elyra

    private static void MapElyra(IEndpointRouteBuilder endpoints)
    {
        var elyra = endpoints.MapGroup("/elyra").ExcludeFromDescription();

        elyra.MapGet("/metadata/{schemaspace}", (HttpContext http, string schemaspace, SchemaspaceHost host) => ElyraAsync(http, metadataRoute: true, async ct =>
        {
            var manager = await host.ManagerAsync(schemaspace);
            var listing = await manager.ListAsync(cancellationToken: ct);
            return Json(new JsonObject { [schemaspace] = new JsonArray([.. listing.Instances.Select(i => (JsonNode)host.Shown(http, manager, i).ToJson())]) });
        }));
        elyra.MapPost("/metadata/{schemaspace}", (HttpContext http, string schemaspace, SchemaspaceHost host) => ElyraAsync(http, metadataRoute: true, async ct =>
        {
            var manager = await host.ManagerAsync(schemaspace);
            var created = await manager.CreateAsync(MetadataInput.FromJson(await BodyAsync(http, ct)), ct);
            http.Response.Headers.Location = $"{http.Request.PathBase}/elyra/metadata/{Uri.EscapeDataString(schemaspace)}/{Uri.EscapeDataString(created.Name)}";
            return Json(host.Shown(http, manager, created).ToJson(), StatusCodes.Status201Created);
        }));
        elyra.MapGet("/metadata/{schemaspace}/{name}", (HttpContext http, string schemaspace, string name, SchemaspaceHost host) => ElyraAsync(http, metadataRoute: true, async ct =>
        {
            var manager = await host.ManagerAsync(schemaspace);
            return Json(host.Shown(http, manager, await manager.GetAsync(name, ct)).ToJson());
        }));
        elyra.MapPut("/metadata/{schemaspace}/{name}", (HttpContext http, string schemaspace, string name, SchemaspaceHost host) => ElyraAsync(http, metadataRoute: true, async ct =>
        {
            var manager = await host.ManagerAsync(schemaspace);
            return Json(host.Shown(http, manager, await manager.UpdateAsync(name, MetadataInput.FromJson(await BodyAsync(http, ct)), ct)).ToJson());
        }));
        elyra.MapDelete("/metadata/{schemaspace}/{name}", (HttpContext http, string schemaspace, string name, SchemaspaceHost host) => ElyraAsync(http, metadataRoute: true, async ct =>
        {
            await (await host.ManagerAsync(schemaspace)).RemoveAsync(name, ct);
            return Results.NoContent();
        }));

        elyra.MapGet("/schema/{schemaspace}", (HttpContext http, string schemaspace, SchemaspaceHost host) => ElyraAsync(http, metadataRoute: false, async _ =>
        {
            var space = (await host.CatalogAsync()).GetSchemaspace(schemaspace);
            return Json(new JsonObject { [schemaspace] = new JsonArray([.. space.Schemas.Where(s => !s.Deprecated).Select(s => (JsonNode)s.ToJson())]) });
        }));
        elyra.MapGet("/schema/{schemaspace}/{schema}", (HttpContext http, string schemaspace, string schema, SchemaspaceHost host) => ElyraAsync(http, metadataRoute: false, async _ =>
            Json((await host.CatalogAsync()).GetSchemaspace(schemaspace).GetSchema(schema).ToJson())));
        elyra.MapGet("/schemaspace", (HttpContext http, SchemaspaceHost host) => ElyraAsync(http, metadataRoute: false, async _ =>
        {
            var names = (await host.CatalogAsync()).Schemaspaces.Where(s => !s.Deprecated).Select(s => (JsonNode)s.Name.ToLowerInvariant());
            return Json(new JsonObject { ["schemaspaces"] = new JsonArray([.. names]) });
        }));
        elyra.MapGet("/schemaspace/{schemaspace}", (HttpContext http, string schemaspace, SchemaspaceHost host) => ElyraAsync(http, metadataRoute: false, async _ =>
        {
            var space = (await host.CatalogAsync()).GetSchemaspace(schemaspace);
            return Json(new JsonObject { ["name"] = space.Name, ["id"] = space.Id.ToString(), ["display_name"] = space.DisplayName, ["description"] = space.Description });
        }));
    }

    /// <summary>Runs an Elyra handler and answers its errors as Elyra does: status by error, body <c>{reason, message, timestamp}</c>.</summary>
    private static async Task<IResult> ElyraAsync(HttpContext http, bool metadataRoute, Func<CancellationToken, Task<IResult>> handler)
    {
        var ct = http.RequestAborted;
        try
        {
            if (metadataRoute) await RefuseUnknownSchemaspaceAsync(http);
            return await handler(ct);
        }
        catch (CairnException e) when (e.Code is not (CairnErrorCode.Internal or CairnErrorCode.DataLoss))
        {
            var status = !metadataRoute ? StatusCodes.Status404NotFound : e.Code switch
            {
                CairnErrorCode.NotFound => StatusCodes.Status404NotFound,
                CairnErrorCode.AlreadyExists => StatusCodes.Status409Conflict,
                CairnErrorCode.InvalidArgument => StatusCodes.Status400BadRequest,
                CairnErrorCode.FailedPrecondition => StatusCodes.Status403Forbidden,
                CairnErrorCode.Unimplemented => StatusCodes.Status501NotImplemented,
                _ => StatusCodes.Status500InternalServerError,
            };
            return ElyraError(status, e.Message);
        }
    }

    /// <summary>Elyra answers an unknown schemaspace on the metadata routes with 400 (a ValueError), not 404.</summary>
    private static async Task RefuseUnknownSchemaspaceAsync(HttpContext http)
    {
        var schemaspace = (string)http.Request.RouteValues["schemaspace"]!;
        var catalog = await http.RequestServices.GetRequiredService<SchemaspaceHost>().CatalogAsync();
        if (catalog.FindSchemaspace(schemaspace) is null)
        {
            throw new InvalidArgumentException(SchemaspaceMessages.SchemaspaceNotFound(schemaspace, catalog.Schemaspaces.Select(s => s.Name)));
        }
    }

    private static IResult ElyraError(int status, string message) => Json(
        new JsonObject
        {
            ["reason"] = ReasonPhrases.GetReasonPhrase(status),
            ["message"] = message,
            ["timestamp"] = DateTime.Now.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        },
        status);

    // ------------------------------------------------------------------ /api/v1/schemaspaces

    private static void MapApi(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(Rest.RestApi.Prefix + "/schemaspaces")
            .WithTags("Schemaspaces")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status500InternalServerError)
            .RefuseUnknownQueryParameters();

        api.MapGet("", async (SchemaspaceHost host) =>
            Json(new JsonObject { ["schemaspaces"] = new JsonArray([.. (await host.CatalogAsync()).Schemaspaces.Select(s => (JsonNode)Describe(s))]) }))
            .WithName("ListSchemaspaces").WithSummary("The loaded schemaspaces (deprecated ones flagged).");
        api.MapGet("/{schemaspace}", async (string schemaspace, SchemaspaceHost host) =>
            Json(Describe((await host.CatalogAsync()).GetSchemaspace(schemaspace))))
            .WithName("GetSchemaspace").WithSummary("A schemaspace (by name, ignoring case, or id) with the names of its schemas.");
        api.MapGet("/{schemaspace}/schemas", async (string schemaspace, SchemaspaceHost host) =>
            Json(new JsonObject { ["schemas"] = new JsonArray([.. (await host.CatalogAsync()).GetSchemaspace(schemaspace).Schemas.Select(s => (JsonNode)s.ToJson())]) }))
            .WithName("ListSchemas").WithSummary("The schemas of a schemaspace, deprecated ones included.");
        api.MapGet("/{schemaspace}/schemas/{schema}", async (string schemaspace, string schema, SchemaspaceHost host) =>
            Json((await host.CatalogAsync()).GetSchemaspace(schemaspace).GetSchema(schema).ToJson()))
            .WithName("GetSchema").WithSummary("One schema of a schemaspace.");
        api.MapGet("/{schemaspace}/instances", async (HttpContext http, string schemaspace, string? schema_name, string? include_invalid, string? include_secrets, SchemaspaceHost host, CancellationToken ct) =>
        {
            var secrets = host.SecretsRequested(include_secrets);
            var manager = await host.ManagerAsync(schemaspace);
            var listing = await manager.ListAsync(schema_name, ct);
            var json = new JsonObject { ["instances"] = new JsonArray([.. listing.Instances.Select(i => (JsonNode)host.Shown(secrets, manager, i).ToJson(includeResource: true))]) };
            if (Rest.RestInput.Bool(include_invalid, "include_invalid") == true)
            {
                json["invalid"] = new JsonArray([.. listing.Invalid.Select(i => (JsonNode)new JsonObject
                {
                    ["name"] = i.Name, ["schema_name"] = i.SchemaName, ["resource"] = i.Resource, ["reason"] = i.Reason,
                })]);
            }
            else
            {
                json["invalid_count"] = listing.Invalid.Count;
            }

            return Json(json);
        })
            .WithName("ListInstances").WithSummary("The valid instances of a schemaspace (of one schema with schema_name); include_invalid=true adds the invalid ones with their reasons.");
        api.MapPost("/{schemaspace}/instances", async (HttpContext http, string schemaspace, string? include_secrets, SchemaspaceHost host, CancellationToken ct) =>
        {
            var secrets = host.SecretsRequested(include_secrets);
            var manager = await host.ManagerAsync(schemaspace);
            var created = await manager.CreateAsync(MetadataInput.FromJson(await BodyAsync(http, ct)), ct);
            http.Response.Headers.Location = $"{http.Request.PathBase}{Rest.RestApi.Prefix}/schemaspaces/{Uri.EscapeDataString(schemaspace)}/instances/{Uri.EscapeDataString(created.Name)}";
            return Json(host.Shown(secrets, manager, created).ToJson(includeResource: true), StatusCodes.Status201Created);
        })
            .WithName("CreateInstance").WithSummary("Creates an instance {name?, display_name, schema_name, metadata}; the name is derived from display_name when missing.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/{schemaspace}/instances/{name}", async (HttpContext http, string schemaspace, string name, string? include_secrets, SchemaspaceHost host, CancellationToken ct) =>
        {
            var secrets = host.SecretsRequested(include_secrets);
            var manager = await host.ManagerAsync(schemaspace);
            return Json(host.Shown(secrets, manager, await manager.GetAsync(name, ct)).ToJson(includeResource: true));
        })
            .WithName("GetInstance").WithSummary("One instance, validated (an invalid stored instance is a 400 with the reason).");
        api.MapPut("/{schemaspace}/instances/{name}", async (HttpContext http, string schemaspace, string name, string? include_secrets, SchemaspaceHost host, CancellationToken ct) =>
        {
            var secrets = host.SecretsRequested(include_secrets);
            var manager = await host.ManagerAsync(schemaspace);
            var updated = await manager.UpdateAsync(name, MetadataInput.FromJson(await BodyAsync(http, ct)), ct);
            return Json(host.Shown(secrets, manager, updated).ToJson(includeResource: true));
        })
            .WithName("ReplaceInstance").WithSummary("Replaces an instance (no merge; a different name in the body is refused).");
        api.MapDelete("/{schemaspace}/instances/{name}", async (string schemaspace, string name, SchemaspaceHost host, CancellationToken ct) =>
        {
            await (await host.ManagerAsync(schemaspace)).RemoveAsync(name, ct);
            return Results.NoContent();
        })
            .WithName("DeleteInstance").WithSummary("Deletes an instance.");
    }

    private static JsonObject Describe(Schemaspace space) => new()
    {
        ["name"] = space.Name,
        ["id"] = space.Id.ToString(),
        ["display_name"] = space.DisplayName,
        ["description"] = space.Description,
        ["deprecated"] = space.Deprecated,
        ["schemas"] = new JsonArray([.. space.Schemas.Select(s => (JsonNode)s.Name)]),
    };

    // ------------------------------------------------------------------ shared

    private static async Task<JsonObject> BodyAsync(HttpContext http, CancellationToken ct)
    {
        try
        {
            return await JsonNode.ParseAsync(http.Request.Body, cancellationToken: ct) as JsonObject
                ?? throw new InvalidArgumentException(SchemaspaceRouteMessages.BodyNotObject);
        }
        catch (JsonException e)
        {
            throw new InvalidArgumentException(SchemaspaceRouteMessages.BodyNotJson(e.Message), e);
        }
    }

    private static IResult Json(JsonNode body, int status = StatusCodes.Status200OK) =>
        Results.Content(body.ToJsonString(Indented), "application/json", statusCode: status);
}

/// <summary>The messages of the schemaspace routes.</summary>
internal static class SchemaspaceRouteMessages
{
    public static string BodyNotObject => "The request body must be a JSON object: {name?, display_name, schema_name, metadata}.";

    public static string BodyNotJson(string reason) => "The request body is not valid JSON: " + reason;

    public static string SecretsNeedLoopback => "include_secrets=true is honoured only by a server bound to loopback (127.0.0.1 or ::1); this one is reachable from other machines and has no authentication, so secret values are shown as ********.";
}
