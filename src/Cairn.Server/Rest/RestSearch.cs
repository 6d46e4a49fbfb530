using System.Globalization;
using Microsoft.AspNetCore.Mvc;

namespace Cairn.Server.Rest;

/// <summary><c>GET /api/v1/search</c>: full-text search with facets, one core call per request.</summary>
internal static class RestSearch
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/search", async (
            IMetadataStore store,
            [FromQuery(Name = "q")] string? q,
            [FromQuery(Name = "kind")] string[]? kind,
            [FromQuery(Name = "type")] string? type,
            [FromQuery(Name = "owner")] string? owner,
            [FromQuery(Name = "tag")] string? tag,
            [FromQuery(Name = "since")] string? since,
            [FromQuery(Name = "until")] string? until,
            [FromQuery(Name = "filter_query")] string? filterQuery,
            [FromQuery(Name = "facets")] string? facets,
            [FromQuery(Name = "facet_size")] string? facetSize,
            [FromQuery(Name = "date_bucket")] string? dateBucket,
            [FromQuery(Name = "limit")] string? limit,
            [FromQuery(Name = "page_token")] string? pageToken,
            CancellationToken ct) =>
        {
            static string? Value(string? s) => string.IsNullOrEmpty(s) ? null : s;
            var request = new SearchRequest
            {
                Text = q,
                Kinds = [.. RestInput.Strings(kind).Select(Kind)],
                Type = Value(type),
                Owner = Value(owner),
                Tag = Value(tag),
                Since = Time(since, "since"),
                Until = Time(until, "until"),
                FilterQuery = Value(filterQuery),
                Facets = RestInput.Bool(facets, "facets") ?? false,
                FacetSize = RestInput.Int(facetSize, "facet_size", 1, 100) ?? 10,
                DateBucket = dateBucket?.Trim().ToLowerInvariant() switch
                {
                    null or "" or "month" => SearchDateBucket.Month,
                    "day" => SearchDateBucket.Day,
                    _ => throw new InvalidArgumentException(RestMessages.UnknownEnumValue("date_bucket", dateBucket, "month, day")),
                },
                Limit = RestInput.Int(limit, "limit", 1, SearchRequest.MaxLimit) ?? 20,
                PageToken = Value(pageToken),
            };
            var result = await store.SearchAsync(request, ct).ConfigureAwait(false);
            return Results.Json(ToRest(result), RestJsonContext.Default.RestSearchResult);
        })
            .WithTags("Search")
            .WithName("Search")
            .WithSummary("Full-text search over names, types, URIs, external ids, string properties, tags and owners: ranked hits with highlights, the total, facet counts (facets=true) and paging (page_token). Syntax: words, \"phrases\", prefix*, OR, -excluded (docs/catalog.md).")
            .Produces<RestSearchResult>();
    }

    private static NodeKind Kind(string text) => text.ToLowerInvariant() switch
    {
        "artifact" or "artifacts" => NodeKind.Artifact,
        "execution" or "executions" => NodeKind.Execution,
        "context" or "contexts" => NodeKind.Context,
        _ => throw new InvalidArgumentException(RestMessages.UnknownEnumValue("kind", text, "artifact, execution, context")),
    };

    private static DateTimeOffset? Time(string? text, string name)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)) return DateTimeOffset.FromUnixTimeMilliseconds(ms);
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)) return at;
        throw new InvalidArgumentException(RestMessages.NotATime(name, text));
    }

    private static RestSearchResult ToRest(SearchResult result) => new()
    {
        Total = result.Total,
        NextPageToken = result.NextPageToken,
        Hits = [.. result.Hits.Select(h => new RestSearchHit
        {
            Kind = Messages.KindName(h.Kind),
            Id = h.Id,
            Score = h.Score,
            Artifact = h.Node is Artifact a ? RestMapper.ToRest(a) : null,
            Execution = h.Node is Execution x ? RestMapper.ToRest(x) : null,
            Context = h.Node is Context c ? RestMapper.ToRest(c) : null,
            Highlights = [.. h.Highlights.Select(x => new RestHighlight
            {
                Field = x.Field,
                Text = x.Text,
                Marked = x.Marked("**", "**"),
                Matches = [.. x.Matches.Select(m => new RestHighlightSpan { Start = m.Start, Length = m.Length })],
            })],
        })],
        Facets = result.Facets is { } f
            ? new RestSearchFacets
            {
                Kind = Facet(f.Kinds),
                Type = Facet(f.Types),
                Owner = Facet(f.Owners),
                Tag = Facet(f.Tags),
                Context = Facet(f.Contexts),
                Created = Facet(f.Created),
            }
            : null,
    };

    private static List<RestFacetCount> Facet(IReadOnlyList<FacetCount> values) => [.. values.Select(v => new RestFacetCount { Value = v.Value, Count = v.Count })];
}

/// <summary>The answer of <c>GET /api/v1/search</c>.</summary>
internal sealed class RestSearchResult
{
    public long Total { get; init; }

    public required IReadOnlyList<RestSearchHit> Hits { get; init; }

    public string? NextPageToken { get; init; }

    public RestSearchFacets? Facets { get; init; }
}

/// <summary>A search hit: <c>kind</c> says which of <c>artifact</c>, <c>execution</c> or <c>context</c> is set.</summary>
internal sealed class RestSearchHit
{
    public required string Kind { get; init; }

    public long Id { get; init; }

    public double Score { get; init; }

    public RestArtifact? Artifact { get; init; }

    public RestExecution? Execution { get; init; }

    public RestContext? Context { get; init; }

    public required IReadOnlyList<RestHighlight> Highlights { get; init; }
}

/// <summary>Where a hit matched: the field's text, the same with <c>**</c> around each match, and the matched runs.</summary>
internal sealed class RestHighlight
{
    public required string Field { get; init; }

    public required string Text { get; init; }

    public required string Marked { get; init; }

    public required IReadOnlyList<RestHighlightSpan> Matches { get; init; }
}

/// <summary>A matched run of characters in a highlight's text.</summary>
internal sealed class RestHighlightSpan
{
    public int Start { get; init; }

    public int Length { get; init; }
}

/// <summary>Counts over all matches, most frequent first (created: oldest first).</summary>
internal sealed class RestSearchFacets
{
    public required IReadOnlyList<RestFacetCount> Kind { get; init; }

    public required IReadOnlyList<RestFacetCount> Type { get; init; }

    public required IReadOnlyList<RestFacetCount> Owner { get; init; }

    public required IReadOnlyList<RestFacetCount> Tag { get; init; }

    public required IReadOnlyList<RestFacetCount> Context { get; init; }

    public required IReadOnlyList<RestFacetCount> Created { get; init; }
}

/// <summary>A facet value and its count.</summary>
internal sealed class RestFacetCount
{
    public required string Value { get; init; }

    public long Count { get; init; }
}
