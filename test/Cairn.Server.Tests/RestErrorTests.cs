using System.Net;
using System.Text;
using Xunit;

namespace Cairn.Server.Tests;

/// <summary>Every error is an RFC 9457 problem with the right status; bad input never gets a 500 and the server keeps serving.</summary>
public sealed class RestErrorTests : RestTestBase
{
    [Fact]
    public async Task A_missing_node_or_type_is_404()
    {
        await PutArtifactTypeAsync();
        var problem = await ProblemAsync(HttpMethod.Get, "/api/v1/artifacts/12345", null, HttpStatusCode.NotFound);
        Assert.Equal("NOT_FOUND", (string?)problem["code"]);
        Assert.Equal("/api/v1/artifacts/12345", (string?)problem["instance"]);
        Assert.Equal(Rest.RestMessages.NodeNotFound(NodeKind.Artifact, 12345), (string?)problem["detail"]);
        await ProblemAsync(HttpMethod.Get, "/api/v1/execution_types/12345", null, HttpStatusCode.NotFound);
        await ProblemAsync(HttpMethod.Get, "/api/v1/contexts/by_type_and_name?type=Nope&name=x", null, HttpStatusCode.NotFound);
        await ProblemAsync(HttpMethod.Put, "/api/v1/executions/777", """{"name": "x"}""", HttpStatusCode.NotFound);
        await ProblemAsync(HttpMethod.Get, "/api/v1/artifact_types?external_id=none", null, HttpStatusCode.NotFound);
        await ProblemAsync(HttpMethod.Post, "/api/v1/artifacts", """{"type": "Nope"}""", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Unknown_routes_are_404_and_wrong_methods_405()
    {
        var unknown = await ProblemAsync(HttpMethod.Get, "/api/v1/nothing/here", null, HttpStatusCode.NotFound);
        Assert.Equal(Rest.RestMessages.RouteNotFound("GET", "/api/v1/nothing/here"), (string?)unknown["detail"]);
        await ProblemAsync(HttpMethod.Get, "/nowhere", null, HttpStatusCode.NotFound);
        using (var response = await SendAsync(HttpMethod.Delete, "/api/v1/artifacts/1"))
        {
            await AssertProblemAsync(response, HttpStatusCode.MethodNotAllowed, "DELETE");
            Assert.Contains("PATCH", response.Content.Headers.Allow);
        }

        var wrong = await ProblemAsync(HttpMethod.Delete, "/api/v1/artifacts", null, HttpStatusCode.MethodNotAllowed);
        Assert.Equal(Rest.RestMessages.MethodNotAllowed("DELETE", "/api/v1/artifacts"), (string?)wrong["detail"]);
        await ProblemAsync(HttpMethod.Post, "/api/v1/artifact_types", "{}", HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task A_misspelt_query_parameter_is_400_with_a_suggestion_not_ignored()
    {
        var typeId = await PutArtifactTypeAsync();
        await CreateAsync("artifacts", $$$"""{"type_id": {{{typeId}}}, "uri": "s3://a"}""");
        await CreateAsync("artifacts", $$$"""{"type_id": {{{typeId}}}, "uri": "s3://b"}""");
        var misspelt = await ProblemAsync(HttpMethod.Get, "/api/v1/artifacts?pagesize=1", null, HttpStatusCode.BadRequest);
        Assert.Equal(
            "Unknown query parameter 'pagesize'. Did you mean 'page_size'? This request takes: external_id, filter_query, is_asc, order_by, page_size, page_token, type, type_version, uri.",
            (string?)misspelt["detail"]);
        var token = await ProblemAsync(HttpMethod.Get, "/api/v1/artifacts?next_page_token=abc", null, HttpStatusCode.BadRequest);
        Assert.StartsWith("Unknown query parameter 'next_page_token'. Did you mean 'page_token'?", (string?)token["detail"], StringComparison.Ordinal);
        var none = await ProblemAsync(HttpMethod.Get, "/api/v1/artifacts/1?verbose=true", null, HttpStatusCode.BadRequest);
        Assert.Equal("Unknown query parameter 'verbose'. This request takes no query parameters.", (string?)none["detail"]);

        // Spelt right, the same request pages; names match ignoring case, as binding does.
        var page = await GetAsync("/api/v1/artifacts?page_size=1");
        Assert.Single(page!["items"]!.AsArray());
        Assert.NotNull(page["next_page_token"]);
        Assert.Single((await GetAsync("/api/v1/artifacts?Page_Size=1"))!["items"]!.AsArray());
    }

    [Fact]
    public async Task An_empty_batch_is_400_saying_what_to_send_and_writes_nothing()
    {
        var empty = await ProblemAsync(HttpMethod.Post, "/api/v1/artifacts", "[]", HttpStatusCode.BadRequest);
        Assert.Equal(
            "The request body is an empty list, so there is nothing to write: send an artifact or a list of them, with at least one item in a list.",
            (string?)empty["detail"]);
        Assert.Empty((await GetAsync("/api/v1/artifacts"))!["items"]!.AsArray());
    }

    [Fact]
    public async Task A_duplicate_is_409_and_an_invalid_node_is_400()
    {
        var typeId = await PutArtifactTypeAsync();
        await CreateAsync("artifacts", $$$"""{"type_id": {{{typeId}}}, "name": "same"}""");
        var duplicate = await ProblemAsync(HttpMethod.Post, "/api/v1/artifacts", $$$"""{"type_id": {{{typeId}}}, "name": "same"}""", HttpStatusCode.Conflict);
        Assert.Equal("ALREADY_EXISTS", (string?)duplicate["code"]);

        var unknownProperty = await ProblemAsync(HttpMethod.Post, "/api/v1/artifacts", $$$"""{"type_id": {{{typeId}}}, "properties": {"nope": {"int_value": 1}} }""", HttpStatusCode.BadRequest);
        Assert.Equal("INVALID_ARGUMENT", (string?)unknownProperty["code"]);
        Assert.Contains("nope", (string?)unknownProperty["detail"], StringComparison.Ordinal);

        var wrongKind = await ProblemAsync(HttpMethod.Post, "/api/v1/artifacts", $$$"""{"type_id": {{{typeId}}}, "properties": {"day": {"string_value": "x"}} }""", HttpStatusCode.BadRequest);
        Assert.Contains("day", (string?)wrongKind["detail"], StringComparison.Ordinal);

        var badState = await ProblemAsync(HttpMethod.Post, "/api/v1/artifacts", $$$"""{"type_id": {{{typeId}}}, "state": "SHINY"}""", HttpStatusCode.BadRequest);
        Assert.Equal(Rest.RestMessages.UnknownEnumValue("artifact.state", "SHINY", "UNKNOWN, PENDING, LIVE, MARKED_FOR_DELETION, DELETED, ABANDONED, REFERENCE"), (string?)badState["detail"]);

        var twoMembers = await ProblemAsync(HttpMethod.Post, "/api/v1/artifacts", $$$"""{"type_id": {{{typeId}}}, "custom_properties": {"x": {"int_value": 1, "string_value": "a"}} }""", HttpStatusCode.BadRequest);
        Assert.Equal(Rest.RestMessages.ValueSeveralMembers("artifact.custom_properties.x"), (string?)twoMembers["detail"]);

        var withId = await ProblemAsync(HttpMethod.Post, "/api/v1/artifacts", $$$"""{"id": 5, "type_id": {{{typeId}}} }""", HttpStatusCode.BadRequest);
        Assert.Equal(Rest.RestMessages.CreateWithId("artifacts"), (string?)withId["detail"]);
    }

    [Fact]
    public async Task A_stale_update_is_412()
    {
        var typeId = await PutArtifactTypeAsync();
        var id = await CreateAsync("artifacts", $$$"""{"type_id": {{{typeId}}}, "uri": "a"}""");
        var read = await GetAsync($"/api/v1/artifacts/{id}");
        var seen = (long)read!["last_update_time_since_epoch"]!;
        await PatchAsync($"/api/v1/artifacts/{id}?abort_if_latest_updated_time_changed=true", $$$"""{"uri": "b", "last_update_time_since_epoch": {{{seen}}} }""");
        var stale = await ProblemAsync(HttpMethod.Patch, $"/api/v1/artifacts/{id}?abort_if_latest_updated_time_changed=true", $$$"""{"uri": "c", "last_update_time_since_epoch": {{{seen}}} }""", HttpStatusCode.PreconditionFailed);
        Assert.Equal("FAILED_PRECONDITION", (string?)stale["code"]);
    }

    [Fact]
    public async Task Malformed_json_is_400_naming_the_line_position_and_field()
    {
        await PutArtifactTypeAsync();
        var syntax = await ProblemAsync(HttpMethod.Post, "/api/v1/artifacts", "{\n  \"type\": \"DataSet\",\n  \"uri\": }", HttpStatusCode.BadRequest);
        var detail = (string?)syntax["detail"];
        Assert.Equal(Rest.RestMessages.BodyNotJson("an artifact or a list of them", "'}' is an invalid start of a value", 3, 10, "$.uri"), detail);
        Assert.Contains("line 3", detail, StringComparison.Ordinal);
        Assert.Contains("position 10", detail, StringComparison.Ordinal);
        Assert.Contains("field '$.uri'", detail, StringComparison.Ordinal);

        var unknownField = await ProblemAsync(HttpMethod.Post, "/api/v1/artifacts", """{"type": "DataSet", "colour": "red"}""", HttpStatusCode.BadRequest);
        Assert.Contains(Rest.RestMessages.BodyUnknownField("colour"), (string?)unknownField["detail"], StringComparison.Ordinal);

        var wrongType = await ProblemAsync(HttpMethod.Post, "/api/v1/artifacts", """{"type": "DataSet", "properties": {"day": {"int_value": "three"}} }""", HttpStatusCode.BadRequest);
        Assert.Contains("field '$.properties.day.int_value'", (string?)wrongType["detail"], StringComparison.Ordinal);
        Assert.DoesNotContain("System.", (string?)wrongType["detail"], StringComparison.Ordinal);

        await ProblemAsync(HttpMethod.Post, "/api/v1/artifacts", "", HttpStatusCode.BadRequest);
        await ProblemAsync(HttpMethod.Post, "/api/v1/artifacts", "null", HttpStatusCode.BadRequest);
        await ProblemAsync(HttpMethod.Post, "/api/v1/artifacts", "[]", HttpStatusCode.BadRequest);
        await ProblemAsync(HttpMethod.Post, "/api/v1/artifacts", "[null]", HttpStatusCode.BadRequest);
        await ProblemAsync(HttpMethod.Post, "/api/v1/events", "42", HttpStatusCode.BadRequest);

        using var text = new StringContent("uri=x", Encoding.UTF8, "application/x-www-form-urlencoded");
        using var form = await Http.PostAsync("/api/v1/artifacts", text);
        var notJson = await AssertProblemAsync(form, HttpStatusCode.UnsupportedMediaType, "form body");
        Assert.Equal(Rest.RestMessages.ContentTypeNotJson("application/x-www-form-urlencoded; charset=utf-8"), (string?)notJson["detail"]);
    }

    [Fact]
    public async Task Invalid_ids_and_query_values_are_400()
    {
        foreach (var path in new[]
        {
            "/api/v1/artifacts/abc", "/api/v1/artifacts/-1", "/api/v1/artifacts/0", "/api/v1/artifact_types/99999999999999999999",
            "/api/v1/artifacts?page_size=0", "/api/v1/artifacts?page_size=101", "/api/v1/artifacts?page_size=x", "/api/v1/artifacts?order_by=name",
            "/api/v1/artifacts?is_asc=maybe", "/api/v1/artifacts?page_token=garbage", "/api/v1/artifacts?filter_query=uri%20%3D%3D",
            "/api/v1/artifacts?filter_query=nope%20%3D%201", "/api/v1/events", "/api/v1/events?artifact_id=1&execution_id=1", "/api/v1/events?artifact_id=x",
            "/api/v1/artifact_types/by_name", "/api/v1/artifacts/by_type_and_name?type=x", "/api/v1/artifacts?uri=a&type=b",
            "/api/v1/lineage/artifacts/1?direction=sideways", "/api/v1/lineage/artifacts/1?depth=-1", "/api/v1/lineage/artifacts/1?max_nodes=0",
            "/api/v1/artifacts/1/based_on?direction=both", "/api/v1/contexts/x/artifacts",
        })
        {
            var problem = await ProblemAsync(HttpMethod.Get, path, null, HttpStatusCode.BadRequest);
            Assert.Equal("INVALID_ARGUMENT", (string?)problem["code"]);
        }

        await ProblemAsync(HttpMethod.Put, "/api/v1/artifact_types?can_add_fields=perhaps", """{"name": "T"}""", HttpStatusCode.BadRequest);
        await ProblemAsync(HttpMethod.Patch, "/api/v1/artifacts/abc", "{}", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Lineage_from_a_node_that_does_not_exist_is_an_error_not_a_500()
    {
        using var response = await SendAsync(HttpMethod.Get, "/api/v1/lineage/artifacts/4242");
        Assert.True((int)response.StatusCode is 400 or 404, response.StatusCode.ToString());
        await AssertProblemAsync(response, response.StatusCode, "lineage");
    }

    [Fact]
    public async Task Arbitrary_bodies_and_paths_never_get_a_500_and_the_server_keeps_serving()
    {
        var typeId = await PutArtifactTypeAsync();
        var random = new Random(20261123);
        string[] bodies =
        [
            "{", "}", "[", "[{]", "{\"a\":", "\"text\"", "true", "1e999", "{\"id\": 1e30}", "{\"type_id\": -5}", "{\"type_id\": \"7\"}",
            "{\"properties\": []}", "{\"properties\": {\"day\": null}}", "{\"custom_properties\": {\"x\": {\"struct_value\": [1]}}}",
            "{\"custom_properties\": {\"x\": {\"proto_value\": {\"value\": \"!!\"}}}}", "{\"custom_properties\": {\"x\": {\"proto_value\": {}}}}",
            "{\"path\": {\"steps\": [{\"index\": 1, \"key\": \"k\"}]}}", "{\"type\": \"INPUT\"}", "{\"context_id\": 1}", "{\"child_id\": 1, \"parent_id\": 1}",
            "{\"lineage_subgraph_query_options\": {}}", "{\"lineage_subgraph_query_options\": {\"starting_artifacts\": {\"filter_query\": \"(\"}}}",
            "{\"lineage_subgraph_query_options\": {\"starting_artifacts\": {\"filter_query\": \"id > 0\"}, \"max_num_hops\": -1}}",
            "{\"execution\": null}", "{\"execution\": {}}", "{\"execution\": {\"type_id\": 1}, \"artifact_event_pairs\": [null]}",
            "\u0000\u0001", "{\"name\": \"\ud800\"}", new string('[', 200) + new string(']', 200), "{\"name\": \"" + new string('x', 5000) + "\"}",
            $"{{\"type_id\": {typeId}, \"properties\": {{\"day\": {{\"double_value\": \"NaN\"}}}}}}",
            $"{{\"type_id\": {typeId}, \"name\": \"n\", \"external_id\": \"\"}}",
        ];
        string[] paths =
        [
            "/api/v1/artifacts", "/api/v1/executions", "/api/v1/contexts", "/api/v1/events", "/api/v1/attributions", "/api/v1/associations",
            "/api/v1/parent_contexts", "/api/v1/executions:put", "/api/v1/lineage:subgraph", "/api/v1/artifact_types", "/api/v1/execution_types",
            "/api/v1/context_types", "/api/v1/artifacts/1", "/api/v1/contexts/1", "/api/v1/executions/1",
        ];
        HttpMethod[] methods = [HttpMethod.Post, HttpMethod.Put, HttpMethod.Patch, HttpMethod.Get, HttpMethod.Delete];
        for (var i = 0; i < 300; i++)
        {
            var method = methods[random.Next(methods.Length)];
            var path = paths[random.Next(paths.Length)];
            var body = method == HttpMethod.Get || method == HttpMethod.Delete ? null : bodies[random.Next(bodies.Length)];
            using var response = await SendAsync(method, path, body);
            var status = (int)response.StatusCode;
            Assert.True(status < 500, $"{method} {path} {body}: {status} {await response.Content.ReadAsStringAsync()}");
            if (status >= 400) await AssertProblemAsync(response, response.StatusCode, $"{method} {path} {body}");
        }

        Assert.Equal(typeId, (long)(await GetAsync($"/api/v1/artifact_types/{typeId}"))!["id"]!);
    }

    [Fact]
    public async Task Random_query_strings_never_get_a_500()
    {
        var random = new Random(7);
        string[] names = ["filter_query", "order_by", "is_asc", "page_size", "page_token", "type", "uri", "external_id", "direction", "depth", "max_nodes", "continue", "update_mask", "artifact_id"];
        string[] values = ["", "0", "-1", "999999999999999999999", "x", "true", "%00", "id%20%3E%200", "properties.day.int_value%20%3D%203", "'", "%E2%82%AC", "create_time", "a,b,,c"];
        string[] paths = ["/api/v1/artifacts", "/api/v1/contexts/1/artifacts", "/api/v1/lineage/artifacts/1", "/api/v1/events", "/api/v1/artifact_types", "/api/v1/artifacts/1/based_on"];
        for (var i = 0; i < 200; i++)
        {
            var query = string.Join("&", Enumerable.Range(0, random.Next(1, 4)).Select(_ => names[random.Next(names.Length)] + "=" + values[random.Next(values.Length)]));
            var path = paths[random.Next(paths.Length)] + "?" + query;
            using var response = await SendAsync(HttpMethod.Get, path);
            var status = (int)response.StatusCode;
            Assert.True(status < 500, $"{path}: {status} {await response.Content.ReadAsStringAsync()}");
            if (status >= 400) await AssertProblemAsync(response, response.StatusCode, path);
        }
    }
}

/// <summary>A body over the configured limit is 413, whether its length is declared or streamed.</summary>
public sealed class RestBodyLimitTests : RestTestBase
{
    protected override ServerOptions Configure(ServerOptions options) => options with { MaxRequestBodyBytes = 1024 };

    [Fact]
    public async Task A_body_over_the_limit_is_413_and_one_under_it_is_served()
    {
        await PutArtifactTypeAsync();
        var big = $$$"""{"type": "DataSet", "uri": "{{{new string('x', 2000)}}}"}""";
        // The server closes a connection whose body it refused to read, so these requests do not leave it in the client's pool.
        using var declared = new HttpRequestMessage(HttpMethod.Post, "/api/v1/artifacts") { Content = Json(big) };
        declared.Headers.ConnectionClose = true;
        using var declaredResponse = await Http.SendAsync(declared).WaitAsync(TestServer.Timeout);
        var problem = await AssertProblemAsync(declaredResponse, HttpStatusCode.RequestEntityTooLarge, "declared length");
        Assert.Equal(Rest.RestMessages.BodyTooLarge(1024), (string?)problem["detail"]);

        // Without a Content-Length the limit stops the read part way.
        using var streamed = new HttpRequestMessage(HttpMethod.Post, "/api/v1/artifacts")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big))),
        };
        streamed.Content.Headers.ContentType = JsonType;
        streamed.Headers.TransferEncodingChunked = true;
        streamed.Headers.ConnectionClose = true;
        using var response = await Http.SendAsync(streamed).WaitAsync(TestServer.Timeout);
        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "chunked");

        await CreateAsync("artifacts", """{"type": "DataSet", "uri": "small"}""");
    }
}

/// <summary>Each error code of the core becomes its status; an unexpected failure is a 500 whose details stay in the log.</summary>
public sealed class RestStatusMappingTests
{
    public static TheoryData<CairnErrorCode, int> Codes => new()
    {
        { CairnErrorCode.InvalidArgument, 400 },
        { CairnErrorCode.NotFound, 404 },
        { CairnErrorCode.AlreadyExists, 409 },
        { CairnErrorCode.FailedPrecondition, 412 },
        { CairnErrorCode.Aborted, 409 },
        { CairnErrorCode.OutOfRange, 400 },
        { CairnErrorCode.Unimplemented, 501 },
        { CairnErrorCode.Unavailable, 503 },
        { CairnErrorCode.Internal, 500 },
    };

    [Theory]
    [MemberData(nameof(Codes))]
    public async Task A_core_error_code_becomes_its_http_status(CairnErrorCode code, int status)
    {
        var (server, http, inner) = await StartFailingAsync(CairnException.Create(code, "the store says no"));
        try
        {
            server.Log.ExpectError = m => m.Contains("the store says no", StringComparison.Ordinal);
            using var response = await http.GetAsync("/api/v1/artifacts/1").WaitAsync(TestServer.Timeout);
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(status, (int)response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = System.Text.Json.Nodes.JsonNode.Parse(text)!;
            Assert.Equal(status, (int)problem["status"]!);
            Assert.Equal(Rest.RestErrors.CodeName(code), (string?)problem["code"]);
            if (code != CairnErrorCode.Internal) Assert.Equal("the store says no", (string?)problem["detail"]);
            else Assert.Equal(Rest.RestMessages.InternalError, (string?)problem["detail"]);
        }
        finally
        {
            http.Dispose();
            await server.DisposeAsync();
            await inner.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_unexpected_exception_is_a_500_with_a_generic_detail_and_the_details_in_the_log()
    {
        var (server, http, inner) = await StartFailingAsync(new InvalidOperationException("secret internals"));
        try
        {
            server.Log.ExpectError = m => m.Contains("secret internals", StringComparison.Ordinal);
            using var response = await http.GetAsync("/api/v1/artifact_types").WaitAsync(TestServer.Timeout);
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(500, (int)response.StatusCode);
            Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
            Assert.Equal(Rest.RestMessages.InternalError, (string?)System.Text.Json.Nodes.JsonNode.Parse(text)!["detail"]);
            Assert.Contains(server.Log.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Error && e.Message.Contains("secret internals", StringComparison.Ordinal));
        }
        finally
        {
            http.Dispose();
            await server.DisposeAsync();
            await inner.DisposeAsync();
        }
    }

    private static async Task<(TestServer Server, HttpClient Http, IMetadataStore Inner)> StartFailingAsync(Exception error)
    {
        var inner = await CairnStore.OpenAsync("memory:");
        var server = await TestServer.StartAsync(o => o with { Store = FailingStore.Wrap(inner, error), StoreUri = null });
        var http = new HttpClient { BaseAddress = new Uri(server.Handle.ClientHttpAddress), Timeout = TestServer.Timeout };
        return (server, http, inner);
    }
}
