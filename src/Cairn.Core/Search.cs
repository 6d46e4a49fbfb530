namespace Cairn;

/// <summary>How <see cref="SearchFacets.Created"/> buckets creation times.</summary>
public enum SearchDateBucket
{
    /// <summary>One bucket per calendar month (UTC), keyed <c>yyyy-MM</c>.</summary>
    Month = 0,
    /// <summary>One bucket per day (UTC), keyed <c>yyyy-MM-dd</c>.</summary>
    Day = 1,
}

/// <summary>A full-text search over artifacts, executions and contexts, narrowed by structured conditions.</summary>
/// <remarks>The text syntax is in <c>docs/catalog.md</c>: words (all must match), <c>"phrases"</c>, <c>prefix*</c>,
/// <c>OR</c> between terms and <c>-word</c> to exclude. Empty text matches every node the other conditions allow.</remarks>
public sealed record SearchRequest
{
    /// <summary>The largest page a search returns.</summary>
    public const int MaxLimit = 100;

    /// <summary>The search text; null or blank matches everything (then hits are ordered newest first).</summary>
    public string? Text { get; init; }

    /// <summary>Kinds to search; empty searches all three.</summary>
    public IReadOnlyList<NodeKind> Kinds { get; init; } = [];

    /// <summary>Only nodes of this type name.</summary>
    public string? Type { get; init; }

    /// <summary>Only nodes with this owner.</summary>
    public string? Owner { get; init; }

    /// <summary>Only nodes with this tag.</summary>
    public string? Tag { get; init; }

    /// <summary>Only nodes created at or after this instant.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only nodes created before this instant.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>An MLMD filter query the hits must also match; needs exactly one kind in <see cref="Kinds"/>.</summary>
    public string? FilterQuery { get; init; }

    /// <summary>Hits per page, 1 to <see cref="MaxLimit"/>.</summary>
    public int Limit { get; init; } = 20;

    /// <summary>Token from the previous page, or null for the first page.</summary>
    public string? PageToken { get; init; }

    /// <summary>Whether to count facets over all matches (costs one more query).</summary>
    public bool Facets { get; init; }

    /// <summary>Values kept per facet, most frequent first (1 to 100).</summary>
    public int FacetSize { get; init; } = 10;

    /// <summary>How creation times are bucketed in <see cref="SearchFacets.Created"/>.</summary>
    public SearchDateBucket DateBucket { get; init; } = SearchDateBucket.Month;
}

/// <summary>A run of matched characters inside <see cref="SearchHighlight.Text"/>.</summary>
/// <param name="Start">Offset of the first matched character.</param>
/// <param name="Length">Number of matched characters.</param>
public readonly record struct HighlightSpan(int Start, int Length);

/// <summary>Where a hit matched: a field's text (shortened around the matches when long) and the matched runs in it.</summary>
/// <param name="Field"><c>name</c>, <c>type</c>, <c>uri</c>, <c>external_id</c>, <c>tags</c>, <c>owners</c>,
/// <c>properties.NAME</c> or <c>custom_properties.NAME</c>.</param>
/// <param name="Text">The field's text, or an excerpt of it with <c>…</c> where it was cut.</param>
/// <param name="Matches">The matched runs, in order.</param>
public sealed record SearchHighlight(string Field, string Text, IReadOnlyList<HighlightSpan> Matches)
{
    /// <summary>The text with each matched run wrapped in <paramref name="open"/> and <paramref name="close"/>.</summary>
    public string Marked(string open = "[", string close = "]")
    {
        var sb = new System.Text.StringBuilder(Text.Length + (Matches.Count * (open.Length + close.Length)));
        var at = 0;
        foreach (var m in Matches)
        {
            sb.Append(Text, at, m.Start - at).Append(open).Append(Text, m.Start, m.Length).Append(close);
            at = m.Start + m.Length;
        }

        return sb.Append(Text, at, Text.Length - at).ToString();
    }
}

/// <summary>One search hit.</summary>
/// <param name="Node">The artifact, execution or context, as a read returns it.</param>
/// <param name="Score">Relevance: higher is better; comparable within one result only (0 when the text is empty).</param>
/// <param name="Highlights">The fields that matched the text, with the matched terms marked.</param>
public sealed record SearchHit(Node Node, double Score, IReadOnlyList<SearchHighlight> Highlights)
{
    /// <summary>The hit's kind.</summary>
    public NodeKind Kind => Node.Kind;

    /// <summary>The hit's id.</summary>
    public long Id => Node.Id ?? 0;
}

/// <summary>A facet value and how many matches have it.</summary>
/// <param name="Value">The type name, owner, tag, context name (<c>type/name</c>) or date bucket.</param>
/// <param name="Count">Matches with this value.</param>
public sealed record FacetCount(string Value, long Count);

/// <summary>Counts over all matches of a search (not just the page), most frequent first.</summary>
public sealed record SearchFacets
{
    /// <summary>Kinds (<c>artifact</c>, <c>execution</c>, <c>context</c>).</summary>
    public IReadOnlyList<FacetCount> Kinds { get; init; } = [];

    /// <summary>Type names.</summary>
    public IReadOnlyList<FacetCount> Types { get; init; } = [];

    /// <summary>Owners.</summary>
    public IReadOnlyList<FacetCount> Owners { get; init; } = [];

    /// <summary>Tags.</summary>
    public IReadOnlyList<FacetCount> Tags { get; init; } = [];

    /// <summary>Contexts the matching artifacts and executions belong to, as <c>type/name</c>.</summary>
    public IReadOnlyList<FacetCount> Contexts { get; init; } = [];

    /// <summary>Creation date buckets, oldest first.</summary>
    public IReadOnlyList<FacetCount> Created { get; init; } = [];
}

/// <summary>The answer to a <see cref="SearchRequest"/>.</summary>
public sealed record SearchResult
{
    /// <summary>This page's hits, best first.</summary>
    public IReadOnlyList<SearchHit> Hits { get; init; } = [];

    /// <summary>How many nodes match in all.</summary>
    public long Total { get; init; }

    /// <summary>Token for the next page; null on the last page.</summary>
    public string? NextPageToken { get; init; }

    /// <summary>Facet counts when the request asked for them; otherwise null.</summary>
    public SearchFacets? Facets { get; init; }
}
