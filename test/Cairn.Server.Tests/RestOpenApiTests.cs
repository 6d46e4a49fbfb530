using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace Cairn.Server.Tests;

/// <summary>The OpenAPI document at /openapi/v1.json describes every /api/v1 route with its parameters and schemas.</summary>
public sealed class RestOpenApiTests : RestTestBase
{
    /// <summary>Every route of /api/v1, as "METHOD path" (docs/rest.md lists the same).</summary>
    public static readonly string[] Routes =
    [
        "GET /api/v1/artifact_types", "PUT /api/v1/artifact_types", "GET /api/v1/artifact_types/by_name", "GET /api/v1/artifact_types/{id}",
        "GET /api/v1/execution_types", "PUT /api/v1/execution_types", "GET /api/v1/execution_types/by_name", "GET /api/v1/execution_types/{id}",
        "GET /api/v1/context_types", "PUT /api/v1/context_types", "GET /api/v1/context_types/by_name", "GET /api/v1/context_types/{id}",
        "GET /api/v1/artifacts", "POST /api/v1/artifacts", "GET /api/v1/artifacts/by_type_and_name", "GET /api/v1/artifacts/{id}",
        "PUT /api/v1/artifacts/{id}", "PATCH /api/v1/artifacts/{id}", "GET /api/v1/artifacts/{id}/contexts", "GET /api/v1/artifacts/{id}/based_on",
        "GET /api/v1/executions", "POST /api/v1/executions", "GET /api/v1/executions/by_type_and_name", "GET /api/v1/executions/{id}",
        "PUT /api/v1/executions/{id}", "PATCH /api/v1/executions/{id}", "GET /api/v1/executions/{id}/contexts", "POST /api/v1/executions:put",
        "GET /api/v1/contexts", "POST /api/v1/contexts", "GET /api/v1/contexts/by_type_and_name", "GET /api/v1/contexts/{id}",
        "PUT /api/v1/contexts/{id}", "PATCH /api/v1/contexts/{id}", "GET /api/v1/contexts/{id}/artifacts", "GET /api/v1/contexts/{id}/executions",
        "GET /api/v1/contexts/{id}/parents", "GET /api/v1/contexts/{id}/children",
        "PUT /api/v1/artifacts/{id}/tags/{value}", "DELETE /api/v1/artifacts/{id}/tags/{value}", "PUT /api/v1/artifacts/{id}/owners/{value}", "DELETE /api/v1/artifacts/{id}/owners/{value}",
        "PUT /api/v1/executions/{id}/tags/{value}", "DELETE /api/v1/executions/{id}/tags/{value}", "PUT /api/v1/executions/{id}/owners/{value}", "DELETE /api/v1/executions/{id}/owners/{value}",
        "PUT /api/v1/contexts/{id}/tags/{value}", "DELETE /api/v1/contexts/{id}/tags/{value}", "PUT /api/v1/contexts/{id}/owners/{value}", "DELETE /api/v1/contexts/{id}/owners/{value}",
        "POST /api/v1/events", "GET /api/v1/events", "POST /api/v1/attributions", "POST /api/v1/associations", "POST /api/v1/parent_contexts",
        "POST /api/v1/lineage:subgraph", "GET /api/v1/lineage/artifacts/{id}", "GET /api/v1/lineage/executions/{id}", "GET /api/v1/search",
        "GET /api/v1/schemaspaces", "GET /api/v1/schemaspaces/{schemaspace}", "GET /api/v1/schemaspaces/{schemaspace}/schemas",
        "GET /api/v1/schemaspaces/{schemaspace}/schemas/{schema}", "GET /api/v1/schemaspaces/{schemaspace}/instances",
        "POST /api/v1/schemaspaces/{schemaspace}/instances", "GET /api/v1/schemaspaces/{schemaspace}/instances/{name}",
        "PUT /api/v1/schemaspaces/{schemaspace}/instances/{name}", "DELETE /api/v1/schemaspaces/{schemaspace}/instances/{name}",
        "GET /api/v1/changes", "GET /api/v1/artifacts/{id}/history", "GET /api/v1/executions/{id}/history", "GET /api/v1/contexts/{id}/history",
    ];

    private async Task<JsonObject> DocumentAsync() => Assert.IsType<JsonObject>(await GetAsync("/openapi/v1.json"));

    [Fact]
    public async Task The_document_lists_every_route_and_nothing_else()
    {
        var document = await DocumentAsync();
        Assert.StartsWith("3.", (string?)document["openapi"], StringComparison.Ordinal);
        Assert.Equal("Cairn REST API", (string?)document["info"]!["title"]);
        var listed = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(m => $"{m.Key.ToUpperInvariant()} {p.Key}"))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Routes.Order(StringComparer.Ordinal), listed);
    }

    [Fact]
    public async Task Every_operation_has_an_id_a_summary_and_a_problem_response()
    {
        var document = await DocumentAsync();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                Assert.False(string.IsNullOrEmpty((string?)operation!["operationId"]), $"{method} {path}");
                Assert.False(string.IsNullOrEmpty((string?)operation["summary"]), $"{method} {path}");
                var bad = operation["responses"]!["400"];
                Assert.True(bad is not null, $"{method} {path} declares no 400");
                Assert.NotNull(bad!["content"]!["application/problem+json"]);
            }
        }
    }

    [Fact]
    public async Task Every_documented_query_parameter_is_taken_and_any_other_is_refused()
    {
        var document = await DocumentAsync();
        var operations = 0;
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var verb = new HttpMethod(method.ToUpperInvariant());
                var body = verb == HttpMethod.Get || verb == HttpMethod.Delete ? null : "{}";
                var url = path.Replace("{id}", "1", StringComparison.Ordinal).Replace("{value}", "v", StringComparison.Ordinal)
                    .Replace("{schemaspace}", "runtimes", StringComparison.Ordinal).Replace("{schema}", "s", StringComparison.Ordinal).Replace("{name}", "n", StringComparison.Ordinal);
                var documented = (operation!["parameters"]?.AsArray() ?? []).Where(p => (string?)p!["in"] == "query").Select(p => (string)p!["name"]!).ToList();
                foreach (var name in documented)
                {
                    using var response = await SendAsync(verb, $"{url}?{name}=1", body);
                    var text = await response.Content.ReadAsStringAsync();
                    Assert.False(text.Contains("Unknown query parameter", StringComparison.Ordinal), $"{method} {path} refuses its documented '{name}': {text}");
                }

                var refused = await ProblemAsync(verb, url + "?zzzzzzzz=1", body, HttpStatusCode.BadRequest);
                Assert.Equal(Rest.RestMessages.UnknownQueryParameter("zzzzzzzz", null, new SortedSet<string>(documented, StringComparer.Ordinal)), (string?)refused["detail"]);
                Assert.Equal("INVALID_ARGUMENT", (string?)refused["code"]);
                operations++;
            }
        }

        Assert.True(operations >= 50, $"only {operations} operations checked");
    }

    [Fact]
    public async Task Parameters_and_schemas_use_mlmd_field_names()
    {
        var document = await DocumentAsync();
        var list = document["paths"]!["/api/v1/artifacts"]!["get"]!;
        var parameters = list["parameters"]!.AsArray().Select(p => (string?)p!["name"]).ToList();
        foreach (var name in new[] { "filter_query", "order_by", "is_asc", "page_size", "page_token", "type", "type_version", "external_id", "uri" })
        {
            Assert.Contains(name, parameters);
        }

        var pageSize = list["parameters"]!.AsArray().Single(p => (string?)p!["name"] == "page_size")!;
        Assert.Equal("integer", (string?)pageSize["schema"]!["type"]);
        Assert.Equal(100, (int)pageSize["schema"]!["maximum"]!);
        Assert.False(string.IsNullOrEmpty((string?)pageSize["description"]));
        var isAsc = list["parameters"]!.AsArray().Single(p => (string?)p!["name"] == "is_asc")!;
        Assert.Equal("boolean", (string?)isAsc["schema"]!["type"]);
        var events = document["paths"]!["/api/v1/events"]!["get"]!["parameters"]!.AsArray().Single(p => (string?)p!["name"] == "artifact_id")!;
        Assert.Equal("array", (string?)events["schema"]!["type"]);
        Assert.Equal("integer", (string?)events["schema"]!["items"]!["type"]);
        var id = document["paths"]!["/api/v1/artifacts/{id}"]!["get"]!["parameters"]!.AsArray().Single(p => (string?)p!["name"] == "id")!;
        Assert.Equal("path", (string?)id["in"]);
        Assert.Equal("int64", (string?)id["schema"]!["format"]);

        var lineage = document["paths"]!["/api/v1/lineage/artifacts/{id}"]!["get"]!["parameters"]!.AsArray().Select(p => (string?)p!["name"]).ToList();
        Assert.Equal(["id", "direction", "depth", "max_nodes", "continue", "stop_at_artifacts", "stop_at_executions", "ids_only"], lineage);

        var schemas = document["components"]!["schemas"]!.AsObject();
        var artifact = schemas["Artifact"]!["properties"]!.AsObject().Select(p => p.Key).ToList();
        foreach (var name in new[] { "id", "type_id", "type", "name", "external_id", "uri", "state", "properties", "custom_properties", "create_time_since_epoch", "last_update_time_since_epoch" })
        {
            Assert.Contains(name, artifact);
        }

        var value = schemas["Value"]!["properties"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Equal(["int_value", "double_value", "string_value", "bool_value", "struct_value", "proto_value"], value);
        var post = document["paths"]!["/api/v1/artifacts"]!["post"]!;
        Assert.NotNull(post["requestBody"]!["content"]!["application/json"]);
    }
}
