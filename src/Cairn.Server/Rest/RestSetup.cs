using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Cairn.Server.Rest;

/// <summary>Registers /api/v1, its problem details and its OpenAPI document (/openapi/v1.json) on the server's HTTP pipeline.</summary>
internal static class RestSetup
{
    public const string OpenApiDocument = "v1";

    public static void AddRest(IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o =>
        {
            // The OpenAPI document's schemas come from these options, so they see the same names the handlers write.
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, RestJsonContext.Default);
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        });
        services.AddOpenApi(OpenApiDocument, o =>
        {
            o.ShouldInclude = d => d.RelativePath?.StartsWith(RestApi.Prefix[1..], StringComparison.Ordinal) == true;
            // Schemas are named after the MLMD messages (Artifact, Value, …), not after the C# classes that carry them.
            o.CreateSchemaReferenceId = t => OpenApiOptions.CreateDefaultSchemaReferenceId(t)?.Replace("Rest", string.Empty, StringComparison.Ordinal);
            o.AddOperationTransformer(RestOpenApiParameters.TransformAsync);
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Cairn REST API",
                    Version = "v1",
                    Description = "ML Metadata's model over HTTP: types, artifacts, executions, contexts, events, memberships and lineage. "
                        + "JSON uses MLMD's field names (snake case) and enum names; every error is an RFC 9457 problem (application/problem+json). See docs/rest.md.",
                };
                return Task.CompletedTask;
            });
        });
    }

    public static void UseRest(WebApplication app, long maxRequestBodyBytes)
    {
        app.UseMiddleware<RestErrors>(maxRequestBodyBytes);
        app.MapOpenApi("/openapi/{documentName}.json");
        RestApi.Map(app);
    }
}
