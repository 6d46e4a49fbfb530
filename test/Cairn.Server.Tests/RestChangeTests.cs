using System.Net;
using Xunit;

namespace Cairn.Server.Tests;

/// <summary><c>GET /api/v1/changes</c> and <c>…/{id}/history</c>: the change log with states, the cursor, and problem details for bad input.</summary>
public sealed class RestChangeTests : RestTestBase
{
    [Fact]
    public async Task Changes_page_with_the_cursor_and_carry_the_state_each_change_left()
    {
        var typeId = await PutArtifactTypeAsync();
        var id = await CreateAsync("artifacts", $$"""{"type_id": {{typeId}}, "name": "a", "uri": "/v1"}""");
        await PatchAsync($"/api/v1/artifacts/{id}", """{"uri": "/v2"}""");

        var first = await GetAsync("/api/v1/changes?limit=2");
        Assert.Equal(["artifact_type", "artifact"], first!["changes"]!.AsArray().Select(c => (string)c!["entity"]!));
        Assert.Equal("/v1", (string?)first["changes"]![1]!["state"]!["uri"]);
        Assert.True((bool)first["has_more"]!);

        var rest = await GetAsync($"/api/v1/changes?after={(long)first["next"]!}&entity=artifact");
        var update = Assert.Single(rest!["changes"]!.AsArray())!;
        Assert.Equal("update", (string?)update["operation"]);
        Assert.Equal(id, (long)update["entity_id"]!);
        Assert.Equal("/v2", (string?)update["state"]!["uri"]);
        Assert.False((bool)rest["has_more"]!);

        var history = await GetAsync($"/api/v1/artifacts/{id}/history");
        Assert.Equal(["/v1", "/v2"], history!["changes"]!.AsArray().Select(c => (string)c!["state"]!["uri"]!));
        await ProblemAsync(HttpMethod.Get, "/api/v1/contexts/77/history", null, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_cairn_actor_header_names_the_author_of_a_requests_writes()
    {
        var typeId = await PutArtifactTypeAsync();
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/artifacts") { Content = Json($$"""{"type_id": {{typeId}}, "name": "by-alice"}""") })
        {
            request.Headers.Add("cairn-actor", " alice ");
            using var response = await Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        var changes = (await GetAsync("/api/v1/changes"))!["changes"]!.AsArray();
        Assert.Equal("alice", (string?)changes.Single(c => (string?)c!["entity"] == "artifact")!["actor"]);
        // Without the header, the server's own actor.
        Assert.NotEqual("alice", (string?)changes.Single(c => (string?)c!["entity"] == "artifact_type")!["actor"]);
    }

    [Fact]
    public async Task Bad_change_queries_are_400_problems_naming_the_parameter()
    {
        var after = await ProblemAsync(HttpMethod.Get, "/api/v1/changes?after=-1", null, HttpStatusCode.BadRequest);
        Assert.Equal(Messages.ChangeAfterNegative(-1), (string)after["detail"]!);
        var notNumber = await ProblemAsync(HttpMethod.Get, "/api/v1/changes?after=soon", null, HttpStatusCode.BadRequest);
        Assert.StartsWith("after", (string)notNumber["detail"]!, StringComparison.Ordinal);
        var entity = await ProblemAsync(HttpMethod.Get, "/api/v1/changes?entity=dataset", null, HttpStatusCode.BadRequest);
        Assert.Equal(Messages.ChangeEntityUnknown("entity", "dataset"), (string)entity["detail"]!);
        var limit = await ProblemAsync(HttpMethod.Get, "/api/v1/changes?limit=5000", null, HttpStatusCode.BadRequest);
        Assert.StartsWith("limit", (string)limit["detail"]!, StringComparison.Ordinal);
        var id = await ProblemAsync(HttpMethod.Get, "/api/v1/artifacts/x/history", null, HttpStatusCode.BadRequest);
        Assert.StartsWith("id", (string)id["detail"]!, StringComparison.Ordinal);
    }
}
