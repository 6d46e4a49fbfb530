using System.Net;
using Xunit;

namespace Cairn.Server.Tests;

/// <summary><c>GET /api/v1/search</c>: hits with highlights, facets, paging and problem details for bad input.</summary>
public sealed class RestSearchTests : RestTestBase
{
    [Fact]
    public async Task Search_returns_ranked_hits_with_highlights_facets_and_a_page_token()
    {
        var typeId = await PutArtifactTypeAsync();
        var first = await CreateAsync("artifacts", $$"""{"type_id": {{typeId}}, "name": "mnist-train", "uri": "/lake/mnist/train.csv"}""");
        await CreateAsync("artifacts", $$"""{"type_id": {{typeId}}, "name": "mnist-test", "uri": "/lake/mnist/test.csv"}""");
        await CreateAsync("artifacts", $$"""{"type_id": {{typeId}}, "name": "cifar", "uri": "/lake/cifar"}""");

        var page = await GetAsync("/api/v1/search?q=mnist&kind=artifact&facets=true&limit=1");

        Assert.Equal(2, (long)page!["total"]!);
        var hit = Assert.Single(page["hits"]!.AsArray())!;
        Assert.Equal("artifact", (string)hit["kind"]!);
        Assert.NotNull(hit["artifact"]);
        Assert.Contains(hit["highlights"]!.AsArray(), h => (string)h!["field"]! == "name" && ((string)h["marked"]!).StartsWith("**mnist**", StringComparison.Ordinal));
        Assert.Equal(2, (long)page["facets"]!["type"]![0]!["count"]!);
        var token = (string)page["next_page_token"]!;
        var next = await GetAsync("/api/v1/search?q=mnist&kind=artifact&facets=true&limit=1&page_token=" + Uri.EscapeDataString(token));
        Assert.NotEqual((long)hit["id"]!, (long)next!["hits"]![0]!["id"]!);
        Assert.Null(next["next_page_token"]);

        var train = await GetAsync("/api/v1/search?q=%22mnist%20train%22");
        Assert.Equal(first, (long)train!["hits"]![0]!["id"]!);
    }

    [Fact]
    public async Task Bad_search_input_is_a_400_problem_naming_the_problem()
    {
        var unterminated = await ProblemAsync(HttpMethod.Get, "/api/v1/search?q=%22open", null, HttpStatusCode.BadRequest);
        Assert.Equal(Messages.SearchUnterminatedPhrase(1), (string)unterminated["detail"]!);
        var kind = await ProblemAsync(HttpMethod.Get, "/api/v1/search?q=x&kind=dataset", null, HttpStatusCode.BadRequest);
        Assert.Contains("kind", (string)kind["detail"]!, StringComparison.Ordinal);
        var since = await ProblemAsync(HttpMethod.Get, "/api/v1/search?q=x&since=yesterday", null, HttpStatusCode.BadRequest);
        Assert.Contains("since", (string)since["detail"]!, StringComparison.Ordinal);
        await ProblemAsync(HttpMethod.Get, "/api/v1/search?q=x&limit=101", null, HttpStatusCode.BadRequest);
    }
}
