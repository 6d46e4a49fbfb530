using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace Cairn.Server.Tests;

/// <summary>Every /api/v1 route's happy path, through a real HttpClient against an in-process server.</summary>
public sealed class RestResourceTests : RestTestBase
{
    // ------------------------------------------------------------------ types

    [Fact]
    public async Task Types_are_put_listed_and_read_by_id_and_by_name_with_version()
    {
        foreach (var kind in new[] { "artifact_types", "execution_types", "context_types" })
        {
            var put = await PutAsync($"/api/v1/{kind}", $$$"""{"name": "T", "version": "v1", "description": "d", "external_id": "x-{{{kind}}}", "properties": {"a": "INT", "b": "STRUCT"}}""");
            var id = (long)put!["id"]!;
            Assert.Equal("T", (string?)put["name"]);
            Assert.Equal("v1", (string?)put["version"]);
            Assert.Equal("INT", (string?)put["properties"]!["a"]);
            Assert.Equal("STRUCT", (string?)put["properties"]!["b"]);

            var byId = await GetAsync($"/api/v1/{kind}/{id}");
            Assert.Equal("T", (string?)byId!["name"]);
            Assert.Equal("d", (string?)byId["description"]);

            var byName = await GetAsync($"/api/v1/{kind}/by_name?name=T&version=v1");
            Assert.Equal(id, (long)byName!["id"]!);
            await ProblemAsync(HttpMethod.Get, $"/api/v1/{kind}/by_name?name=T", null, HttpStatusCode.NotFound);

            var list = await GetAsync($"/api/v1/{kind}");
            Assert.Contains(list!["items"]!.AsArray(), t => (long)t!["id"]! == id);
            Assert.DoesNotContain(list["items"]!.AsArray(), t => ((string?)t!["name"])!.StartsWith("mlmd.", StringComparison.Ordinal));
            Assert.Null(list["next_page_token"]);

            var byExternal = await GetAsync($"/api/v1/{kind}?external_id=x-{kind}");
            Assert.Equal(id, (long)byExternal!["items"]![0]!["id"]!);
        }
    }

    [Fact]
    public async Task A_type_grows_only_with_can_add_fields_and_keeps_omitted_fields_with_can_omit_fields()
    {
        var id = await PutArtifactTypeAsync();
        var refused = await ProblemAsync(HttpMethod.Put, "/api/v1/artifact_types", """{"name": "DataSet", "properties": {"day": "INT", "split": "STRING", "extra": "DOUBLE"}}""", HttpStatusCode.Conflict);
        Assert.Equal("ALREADY_EXISTS", (string?)refused["code"]);

        var grown = await PutAsync("/api/v1/artifact_types?can_add_fields=true&can_omit_fields=true", """{"name": "DataSet", "properties": {"extra": "DOUBLE"}}""");
        Assert.Equal(id, (long)grown!["id"]!);
        Assert.Equal(["day", "extra", "split"], grown["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_type_with_a_base_type_shows_it_by_mlmd_name()
    {
        var put = await PutAsync("/api/v1/artifact_types", """{"name": "Model", "base_type": "MODEL"}""");
        Assert.Equal("MODEL", (string?)put!["base_type"]);
        var exec = await PutAsync("/api/v1/execution_types", """{"name": "Train", "base_type": "train"}""");
        Assert.Equal("TRAIN", (string?)exec!["base_type"]);
    }

    // ------------------------------------------------------------------ nodes

    [Fact]
    public async Task An_artifact_is_created_read_replaced_and_patched()
    {
        var typeId = await PutArtifactTypeAsync();
        using var created = await SendAsync(HttpMethod.Post, "/api/v1/artifacts", $$$"""
            {"type_id": {{{typeId}}}, "name": "a1", "uri": "s3://b/a1", "state": "LIVE", "external_id": "ext-1",
             "properties": {"day": {"int_value": 3}, "split": {"string_value": "train"}},
             "custom_properties": {"note": {"struct_value": {"k": [1, 2]}}, "ok": {"bool_value": true}, "p": {"proto_value": {"type_url": "t/x", "value": "AQI="}}, "f": {"double_value": 0.5}} }
            """);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        var id = (long)body["id"]!;
        Assert.Equal($"/api/v1/artifacts/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("DataSet", (string?)body["type"]);
        Assert.Equal("LIVE", (string?)body["state"]);
        Assert.Equal(3, (long)body["properties"]!["day"]!["int_value"]!);
        Assert.Equal("train", (string?)body["properties"]!["split"]!["string_value"]);
        Assert.Equal(2, (int)body["custom_properties"]!["note"]!["struct_value"]!["k"]![1]!);
        Assert.True((bool)body["custom_properties"]!["ok"]!["bool_value"]!);
        Assert.Equal("AQI=", (string?)body["custom_properties"]!["p"]!["proto_value"]!["value"]);
        Assert.Equal(0.5, (double)body["custom_properties"]!["f"]!["double_value"]!);
        Assert.NotNull(body["create_time_since_epoch"]);

        var read = await GetAsync($"/api/v1/artifacts/{id}");
        Assert.Equal("s3://b/a1", (string?)read!["uri"]);

        var byName = await GetAsync("/api/v1/artifacts/by_type_and_name?type=DataSet&name=a1");
        Assert.Equal(id, (long)byName!["id"]!);

        var byUri = await GetAsync("/api/v1/artifacts?uri=s3://b/a1");
        Assert.Equal(id, (long)byUri!["items"]![0]!["id"]!);

        var byExternal = await GetAsync("/api/v1/artifacts?external_id=ext-1");
        Assert.Equal(id, (long)byExternal!["items"]![0]!["id"]!);

        // PUT replaces every mutable field: what the body leaves out is gone.
        var replaced = await PutAsync($"/api/v1/artifacts/{id}", """{"uri": "s3://b/a2", "properties": {"day": {"int_value": 4}}}""");
        Assert.Equal("s3://b/a2", (string?)replaced!["uri"]);
        Assert.Null(replaced["state"]);
        Assert.Equal(["day"], replaced["properties"]!.AsObject().Select(p => p.Key));
        Assert.Empty(replaced["custom_properties"]!.AsObject());

        // PATCH with an explicit mask changes only what it names.
        var patched = await PatchAsync($"/api/v1/artifacts/{id}?update_mask=state,custom_properties.x", """{"uri": "ignored", "state": "DELETED", "custom_properties": {"x": {"int_value": 1}}}""");
        Assert.Equal("s3://b/a2", (string?)patched!["uri"]);
        Assert.Equal("DELETED", (string?)patched["state"]);
        Assert.Equal(1, (long)patched["custom_properties"]!["x"]!["int_value"]!);
        Assert.Equal(4, (long)patched["properties"]!["day"]!["int_value"]!);

        // PATCH without a mask changes the fields the body has.
        var patched2 = await PatchAsync($"/api/v1/artifacts/{id}", """{"properties": {"split": {"string_value": "test"}}}""");
        Assert.Equal("test", (string?)patched2!["properties"]!["split"]!["string_value"]);
        Assert.Equal(4, (long)patched2["properties"]!["day"]!["int_value"]!);
        Assert.Equal("DELETED", (string?)patched2["state"]);
    }

    [Fact]
    public async Task A_batch_is_created_in_one_call_and_a_node_may_name_its_type()
    {
        await PutArtifactTypeAsync();
        var batch = await PostAsync("/api/v1/artifacts", """[{"type": "DataSet", "uri": "u1"}, {"type": "DataSet", "uri": "u2"}]""", HttpStatusCode.Created);
        var items = batch!["items"]!.AsArray();
        Assert.Equal(["u1", "u2"], items.Select(i => (string?)i!["uri"]));
        Assert.True((long)items[0]!["id"]! < (long)items[1]!["id"]!);
    }

    [Fact]
    public async Task Executions_and_contexts_are_created_listed_and_updated()
    {
        var executionType = await PutExecutionTypeAsync();
        var contextType = await PutContextTypeAsync();
        var x = await CreateAsync("executions", $$$"""{"type_id": {{{executionType}}}, "name": "run", "last_known_state": "RUNNING", "properties": {"lr": {"double_value": 0.1}} }""");
        var c = await CreateAsync("contexts", $$$"""{"type_id": {{{contextType}}}, "name": "p1"}""");

        var patched = await PatchAsync($"/api/v1/executions/{x}", """{"last_known_state": "COMPLETE"}""");
        Assert.Equal("COMPLETE", (string?)patched!["last_known_state"]);
        var renamed = await PutAsync($"/api/v1/contexts/{c}", $$$"""{"id": {{{c}}}, "name": "p2"}""");
        Assert.Equal("p2", (string?)renamed!["name"]);

        Assert.Single((await GetAsync("/api/v1/executions"))!["items"]!.AsArray());
        Assert.Single((await GetAsync("/api/v1/contexts?type=Pipeline"))!["items"]!.AsArray());
        Assert.Empty((await GetAsync("/api/v1/contexts?type=Nope"))!["items"]!.AsArray());
        Assert.Equal(x, (long)(await GetAsync("/api/v1/executions/by_type_and_name?type=Trainer&name=run"))!["id"]!);
        Assert.Equal(c, (long)(await GetAsync($"/api/v1/contexts/{c}"))!["id"]!);
    }

    // ------------------------------------------------------------------ edges and memberships

    [Fact]
    public async Task Events_attributions_associations_and_parent_contexts_are_recorded_and_read_back()
    {
        var artifactType = await PutArtifactTypeAsync();
        var executionType = await PutExecutionTypeAsync();
        var a = await CreateAsync("artifacts", $$$"""{"type_id": {{{artifactType}}}, "uri": "in"}""");
        var x = await CreateAsync("executions", $$$"""{"type_id": {{{executionType}}} }""");
        var contextType = await PutContextTypeAsync();
        var parent = await CreateAsync("contexts", $$$"""{"type_id": {{{contextType}}}, "name": "parent"}""");
        var child = await CreateAsync("contexts", $$$"""{"type_id": {{{contextType}}}, "name": "child"}""");

        await PostAsync("/api/v1/events", $$$"""{"artifact_id": {{{a}}}, "execution_id": {{{x}}}, "type": "INPUT", "path": {"steps": [{"key": "data"}, {"index": 0}]}}""", HttpStatusCode.NoContent);
        await PostAsync("/api/v1/attributions", $$$"""[{"context_id": {{{child}}}, "artifact_id": {{{a}}}}]""", HttpStatusCode.NoContent);
        await PostAsync("/api/v1/associations", $$$"""{"context_id": {{{child}}}, "execution_id": {{{x}}}}""", HttpStatusCode.NoContent);
        await PostAsync("/api/v1/parent_contexts", $$$"""{"child_id": {{{child}}}, "parent_id": {{{parent}}}}""", HttpStatusCode.NoContent);

        var byArtifact = await GetAsync($"/api/v1/events?artifact_id={a}");
        var e = byArtifact!["items"]![0]!;
        Assert.Equal("INPUT", (string?)e["type"]);
        Assert.Equal("data", (string?)e["path"]!["steps"]![0]!["key"]);
        Assert.Equal(0, (long)e["path"]!["steps"]![1]!["index"]!);
        Assert.NotNull(e["milliseconds_since_epoch"]);
        Assert.Single((await GetAsync($"/api/v1/events?execution_id={x},{x + 100}"))!["items"]!.AsArray());

        Assert.Equal(a, (long)(await GetAsync($"/api/v1/contexts/{child}/artifacts"))!["items"]![0]!["id"]!);
        Assert.Equal(x, (long)(await GetAsync($"/api/v1/contexts/{child}/executions"))!["items"]![0]!["id"]!);
        Assert.Equal(parent, (long)(await GetAsync($"/api/v1/contexts/{child}/parents"))!["items"]![0]!["id"]!);
        Assert.Equal(child, (long)(await GetAsync($"/api/v1/contexts/{parent}/children"))!["items"]![0]!["id"]!);
        Assert.Equal(child, (long)(await GetAsync($"/api/v1/artifacts/{a}/contexts"))!["items"]![0]!["id"]!);
        Assert.Equal(child, (long)(await GetAsync($"/api/v1/executions/{x}/contexts"))!["items"]![0]!["id"]!);

        var cycle = await ProblemAsync(HttpMethod.Post, "/api/v1/parent_contexts", $$$"""{"child_id": {{{parent}}}, "parent_id": {{{child}}}}""", HttpStatusCode.BadRequest);
        Assert.Equal("INVALID_ARGUMENT", (string?)cycle["code"]);
    }

    [Fact]
    public async Task Put_execution_records_an_execution_with_its_artifacts_events_and_contexts()
    {
        await PutArtifactTypeAsync();
        await PutExecutionTypeAsync();
        await PutContextTypeAsync();
        var answer = await PostAsync("/api/v1/executions:put", """
            {"execution": {"type": "Trainer", "name": "run-1", "last_known_state": "COMPLETE"},
             "artifact_event_pairs": [
               {"artifact": {"type": "DataSet", "uri": "data"}, "event": {"type": "INPUT"}},
               {"artifact": {"type": "DataSet", "uri": "model"}, "event": {"type": "OUTPUT"}}],
             "contexts": [{"type": "Pipeline", "name": "p"}],
             "options": {"reuse_context_if_already_exist": true}}
            """);
        var executionId = (long)answer!["execution_id"]!;
        Assert.Equal(2, answer["artifact_ids"]!.AsArray().Count);
        var contextId = (long)answer["context_ids"]![0]!;
        Assert.Equal(2, (await GetAsync($"/api/v1/events?execution_id={executionId}"))!["items"]!.AsArray().Count);
        Assert.Equal(2, (await GetAsync($"/api/v1/contexts/{contextId}/artifacts"))!["items"]!.AsArray().Count);
    }
}
