using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace Cairn.Server.Tests;

/// <summary>Owners and tags through /api/v1: in node JSON, replaced or kept by puts and patches, edited one at a time, refused when bad.</summary>
public sealed class RestLabelTests : RestTestBase
{
    private static string[] Strings(JsonNode? array) => [.. array!.AsArray().Select(v => (string)v!)];

    [Fact]
    public async Task Tags_and_owners_are_written_read_and_kept_by_a_patch_that_does_not_name_them()
    {
        var typeId = await PutArtifactTypeAsync();
        var created = await PostAsync("/api/v1/artifacts", $$"""{"type_id": {{typeId}}, "name": "a", "tags": ["nlp", "gold", "nlp"], "owners": ["andy"]}""", HttpStatusCode.Created);
        var id = (long)created!["id"]!;
        Assert.Equal(["gold", "nlp"], Strings(created["tags"]));
        Assert.Equal(["andy"], Strings(created["owners"]));

        var patched = await PatchAsync($"/api/v1/artifacts/{id}", """{"uri": "/new"}""");
        Assert.Equal("/new", (string?)patched!["uri"]);
        Assert.Equal(["gold", "nlp"], Strings(patched["tags"]));

        // A patch of only tags is a masked update: the uri stays.
        var retagged = await PatchAsync($"/api/v1/artifacts/{id}", """{"tags": ["x"]}""");
        Assert.Equal(["x"], Strings(retagged!["tags"]));
        Assert.Equal("/new", (string?)retagged["uri"]);
        Assert.Equal(["andy"], Strings(retagged["owners"]));

        var listed = await GetAsync("/api/v1/artifacts?filter_query=" + Uri.EscapeDataString("tags = 'x'"));
        Assert.Equal(id, (long)Assert.Single(listed!["items"]!.AsArray())!["id"]!);
    }

    [Fact]
    public async Task One_tag_or_owner_is_added_and_removed_without_rewriting_the_node()
    {
        var typeId = await PutArtifactTypeAsync();
        var created = await PostAsync("/api/v1/artifacts", $$"""{"type_id": {{typeId}}, "name": "a", "uri": "/u", "tags": ["keep"]}""", HttpStatusCode.Created);
        var id = (long)created!["id"]!;

        var added = await PutAsync($"/api/v1/artifacts/{id}/tags/{Uri.EscapeDataString("team a")}", string.Empty);
        Assert.Equal(["keep", "team a"], Strings(added!["tags"]));
        Assert.Equal("/u", (string?)added["uri"]);
        var owner = await PutAsync($"/api/v1/artifacts/{id}/owners/andy", string.Empty);
        Assert.Equal(["andy"], Strings(owner!["owners"]));

        var removed = await CallAsync(HttpMethod.Delete, $"/api/v1/artifacts/{id}/tags/keep");
        Assert.Equal(["team a"], Strings(removed!["tags"]));
        var again = await CallAsync(HttpMethod.Delete, $"/api/v1/artifacts/{id}/tags/keep");
        Assert.Equal(["team a"], Strings(again!["tags"]));

        await ProblemAsync(HttpMethod.Put, "/api/v1/contexts/424242/tags/x", string.Empty, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_bad_tag_is_a_400_naming_the_field()
    {
        var typeId = await PutArtifactTypeAsync();
        var problem = await ProblemAsync(HttpMethod.Post, "/api/v1/artifacts", $$"""{"type_id": {{typeId}}, "owners": ["ok", "bad\u0007"]}""", HttpStatusCode.BadRequest);
        Assert.Equal(Messages.LabelControlCharacter("owners", 1, "artifact #0", "bad\\u0007", 7), (string?)problem["detail"]);
    }
}
