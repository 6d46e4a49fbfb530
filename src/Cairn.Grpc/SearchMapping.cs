namespace Cairn.Grpc;

/// <summary>Converts Cairn's search request and result (<c>cairn.v1.CairnSearchService</c>) to and from the core records.</summary>
public static class SearchMapping
{
    /// <summary>A wire search request as a core one; absent fields keep the core defaults.</summary>
    public static SearchRequest ToCore(V1.SearchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var core = new SearchRequest
        {
            Kinds = [.. request.Kinds.Select(k => (NodeKind)(int)k)],
            Facets = request.Facets,
            DateBucket = (SearchDateBucket)(int)request.DateBucket,
        };
        if (request.HasText) core = core with { Text = request.Text };
        if (request.HasType) core = core with { Type = request.Type };
        if (request.HasOwner) core = core with { Owner = request.Owner };
        if (request.HasTag) core = core with { Tag = request.Tag };
        if (request.HasSinceMs) core = core with { Since = DateTimeOffset.FromUnixTimeMilliseconds(request.SinceMs) };
        if (request.HasUntilMs) core = core with { Until = DateTimeOffset.FromUnixTimeMilliseconds(request.UntilMs) };
        if (request.HasFilterQuery) core = core with { FilterQuery = request.FilterQuery };
        if (request.HasLimit) core = core with { Limit = request.Limit };
        if (request.HasPageToken) core = core with { PageToken = request.PageToken };
        if (request.HasFacetSize) core = core with { FacetSize = request.FacetSize };
        return core;
    }

    /// <summary>A core search request as a wire one, every field set.</summary>
    public static V1.SearchRequest ToProto(SearchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var proto = new V1.SearchRequest
        {
            Limit = request.Limit,
            Facets = request.Facets,
            FacetSize = request.FacetSize,
            DateBucket = (V1.SearchDateBucket)(int)request.DateBucket,
        };
        proto.Kinds.AddRange((request.Kinds ?? []).Select(k => (V1.NodeKind)(int)k));
        if (request.Text is { } text) proto.Text = text;
        if (request.Type is { } type) proto.Type = type;
        if (request.Owner is { } owner) proto.Owner = owner;
        if (request.Tag is { } tag) proto.Tag = tag;
        if (request.Since is { } since) proto.SinceMs = since.ToUnixTimeMilliseconds();
        if (request.Until is { } until) proto.UntilMs = until.ToUnixTimeMilliseconds();
        if (request.FilterQuery is { } filter) proto.FilterQuery = filter;
        if (request.PageToken is { } token) proto.PageToken = token;
        return proto;
    }

    /// <summary>A core search result as a wire one.</summary>
    public static V1.SearchResponse ToProto(SearchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var proto = new V1.SearchResponse { Total = result.Total };
        foreach (var hit in result.Hits)
        {
            var h = new V1.SearchHit { Score = hit.Score };
            switch (hit.Node)
            {
                case Artifact a: h.Artifact = MlmdMapping.ToProto(a); break;
                case Execution x: h.Execution = MlmdMapping.ToProto(x); break;
                case Context c: h.Context = MlmdMapping.ToProto(c); break;
            }

            h.Tags.AddRange(hit.Node.Tags ?? []);
            h.Owners.AddRange(hit.Node.Owners ?? []);
            foreach (var highlight in hit.Highlights)
            {
                var wire = new V1.SearchHighlight { Field = highlight.Field, Text = highlight.Text };
                wire.Matches.AddRange(highlight.Matches.Select(m => new V1.HighlightSpan { Start = m.Start, Length = m.Length }));
                h.Highlights.Add(wire);
            }

            proto.Hits.Add(h);
        }

        if (result.NextPageToken is { } next) proto.NextPageToken = next;
        if (result.Facets is { } facets)
        {
            var f = new V1.SearchFacets();
            f.Kinds.AddRange(facets.Kinds.Select(ToProto));
            f.TypeNames.AddRange(facets.Types.Select(ToProto));
            f.Owners.AddRange(facets.Owners.Select(ToProto));
            f.Tags.AddRange(facets.Tags.Select(ToProto));
            f.Contexts.AddRange(facets.Contexts.Select(ToProto));
            f.Created.AddRange(facets.Created.Select(ToProto));
            proto.Facets = f;
        }

        return proto;
    }

    /// <summary>A wire search result as a core one.</summary>
    public static SearchResult ToCore(V1.SearchResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var hits = new List<SearchHit>(response.Hits.Count);
        foreach (var h in response.Hits)
        {
            Node? node = h.NodeCase switch
            {
                V1.SearchHit.NodeOneofCase.Artifact => MlmdMapping.ToCore(h.Artifact),
                V1.SearchHit.NodeOneofCase.Execution => MlmdMapping.ToCore(h.Execution),
                V1.SearchHit.NodeOneofCase.Context => MlmdMapping.ToCore(h.Context),
                _ => null,
            };
            if (node is null) continue;
            node = node with { Tags = [.. h.Tags], Owners = [.. h.Owners] };
            hits.Add(new SearchHit(node, h.Score, [.. h.Highlights.Select(x =>
                new SearchHighlight(x.Field, x.Text, [.. x.Matches.Select(m => new HighlightSpan(m.Start, m.Length))]))]));
        }

        return new SearchResult
        {
            Hits = hits,
            Total = response.Total,
            NextPageToken = response.HasNextPageToken ? response.NextPageToken : null,
            Facets = response.Facets is { } f
                ? new SearchFacets
                {
                    Kinds = [.. f.Kinds.Select(ToCore)],
                    Types = [.. f.TypeNames.Select(ToCore)],
                    Owners = [.. f.Owners.Select(ToCore)],
                    Tags = [.. f.Tags.Select(ToCore)],
                    Contexts = [.. f.Contexts.Select(ToCore)],
                    Created = [.. f.Created.Select(ToCore)],
                }
                : null,
        };
    }

    private static V1.FacetCount ToProto(FacetCount f) => new() { Value = f.Value, Count = f.Count };

    private static FacetCount ToCore(V1.FacetCount f) => new(f.Value, f.Count);
}
