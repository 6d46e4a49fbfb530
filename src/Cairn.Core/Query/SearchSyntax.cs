using System.Globalization;
using System.Text;

namespace Cairn.Query;

/// <summary>One search term: a word, or a phrase of several words in a row; <see cref="Prefix"/> makes the last word a prefix.</summary>
/// <param name="Tokens">Lower-case words of letters and digits, at least one.</param>
/// <param name="Prefix">True when the last token matches any word starting with it.</param>
internal sealed record SearchTerm(IReadOnlyList<string> Tokens, bool Prefix);

/// <summary>
/// A parsed search text: every group of <see cref="All"/> must match (a group matches when any of its terms does) and no term of
/// <see cref="None"/> may match. Tokens hold letters and digits only, so a backend can write them into its own query language
/// (FTS5, tsquery) without quoting problems.
/// </summary>
internal sealed record ParsedSearch(IReadOnlyList<IReadOnlyList<SearchTerm>> All, IReadOnlyList<SearchTerm> None)
{
    /// <summary>Every term that can match, for highlighting.</summary>
    public IEnumerable<SearchTerm> Positive => All.SelectMany(g => g);
}

/// <summary>
/// Parses Cairn's search text: words separated by spaces (all must match), <c>"a phrase"</c>, <c>prefix*</c>, <c>OR</c> between
/// terms (binds tighter than the implicit AND), <c>-term</c> to exclude. Characters other than letters and digits separate words,
/// as in the index (<c>train.txt</c> is the phrase <c>"train txt"</c>). Anything else is an InvalidArgument naming the column.
/// </summary>
internal static class SearchSyntax
{
    /// <summary>Longest search text accepted.</summary>
    public const int MaxLength = 1000;

    /// <summary>Most terms in one search.</summary>
    public const int MaxTerms = 32;

    /// <summary>Shortest prefix before <c>*</c> (one letter would match most of the index).</summary>
    public const int MinPrefix = 2;

    /// <summary>Splits <paramref name="text"/> into the index's words: runs of letters and digits, lower-cased, with their offsets.</summary>
    public static IEnumerable<(int Start, int Length, string Token)> Words(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && !IsWordChar(text, i)) i++;
            var start = i;
            while (i < text.Length && IsWordChar(text, i)) i += char.IsSurrogatePair(text, i) ? 2 : 1;
            if (i > start) yield return (start, i - start, text[start..i].ToLowerInvariant());
        }
    }

    private static bool IsWordChar(string s, int i) => char.IsLetterOrDigit(s, i);

    /// <summary>Parses a search text; null when it is blank (match everything).</summary>
    public static ParsedSearch? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (text.Length > MaxLength) throw Invalid(Messages.SearchTooLong(text.Length, MaxLength));
        var groups = new List<List<SearchTerm>>();
        var none = new List<SearchTerm>();
        List<SearchTerm>? current = null;
        var pendingOr = false;
        var orColumn = 0;
        var count = 0;
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (i >= text.Length) break;
            var column = i + 1;

            if (text[i] == 'O' && i + 1 < text.Length && text[i + 1] == 'R' && (i + 2 == text.Length || char.IsWhiteSpace(text[i + 2])))
            {
                if (current is null || pendingOr) throw Invalid(Messages.SearchOrNeedsTerms(column));
                pendingOr = true;
                orColumn = column;
                i += 2;
                continue;
            }

            var negated = false;
            if (text[i] == '-')
            {
                negated = true;
                i++;
                if (i >= text.Length || char.IsWhiteSpace(text[i])) throw Invalid(Messages.SearchDashNeedsTerm(column));
            }

            var term = ReadTerm(text, ref i, column);
            if (term is null) continue;
            if (++count > MaxTerms) throw Invalid(Messages.SearchTooManyTerms(MaxTerms));
            if (negated)
            {
                if (pendingOr) throw Invalid(Messages.SearchNegatedInOr(column));
                none.Add(term);
                continue;
            }

            if (pendingOr)
            {
                current!.Add(term);
                pendingOr = false;
            }
            else
            {
                current = [term];
                groups.Add(current);
            }
        }

        if (pendingOr) throw Invalid(Messages.SearchOrNeedsTerms(orColumn));
        if (groups.Count == 0) throw Invalid(none.Count > 0 ? Messages.SearchOnlyExclusions : Messages.SearchNoWords);
        return new ParsedSearch(groups, none);
    }

    /// <summary>Reads a word, a phrase or a prefix at <paramref name="i"/>; null when the word holds no letters or digits.</summary>
    private static SearchTerm? ReadTerm(string text, ref int i, int column)
    {
        string raw;
        if (text[i] == '"')
        {
            var close = text.IndexOf('"', i + 1);
            if (close < 0) throw Invalid(Messages.SearchUnterminatedPhrase(column));
            raw = text[(i + 1)..close];
            i = close + 1;
        }
        else
        {
            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] != '"') i++;
            raw = text[start..i];
            if (raw.EndsWith('*'))
            {
                i--;
                raw = raw[..^1];
            }
        }

        var prefix = false;
        if (i < text.Length && text[i] == '*')
        {
            prefix = true;
            i++;
            if (i < text.Length && !char.IsWhiteSpace(text[i])) throw Invalid(Messages.SearchStarNotAtEnd(i + 1));
        }

        if (raw.Contains('*', StringComparison.Ordinal)) throw Invalid(Messages.SearchStarNotAtEnd(column + raw.IndexOf('*', StringComparison.Ordinal)));
        var tokens = Words(raw).Select(w => w.Token).ToList();
        if (tokens.Count == 0)
        {
            if (prefix) throw Invalid(Messages.SearchPrefixTooShort(column, MinPrefix));
            return null;
        }

        if (prefix && tokens[^1].Length < MinPrefix) throw Invalid(Messages.SearchPrefixTooShort(column, MinPrefix));
        return new SearchTerm(tokens, prefix);
    }

    private static InvalidArgumentException Invalid(string message) => new(message);

    /// <summary>A stable text of the parsed query, for page tokens and tests.</summary>
    public static string Describe(ParsedSearch? query)
    {
        if (query is null) return string.Empty;
        var sb = new StringBuilder();
        foreach (var group in query.All) sb.Append('(').AppendJoin('|', group.Select(Describe)).Append(')');
        foreach (var term in query.None) sb.Append('-').Append(Describe(term));
        return sb.ToString();
    }

    private static string Describe(SearchTerm term) =>
        string.Create(CultureInfo.InvariantCulture, $"{string.Join(' ', term.Tokens)}{(term.Prefix ? "*" : string.Empty)}");
}

/// <summary>Finds where a parsed search matches a node, for <see cref="SearchHit.Highlights"/>; the same on every backend.</summary>
internal static class SearchHighlighter
{
    /// <summary>Longest excerpt of a field kept in a highlight.</summary>
    public const int MaxExcerpt = 160;

    public static IReadOnlyList<SearchHighlight> For(Node node, ParsedSearch? query)
    {
        if (query is null) return [];
        var terms = query.Positive.ToList();
        var result = new List<SearchHighlight>();
        Add(result, "name", node.Name, terms);
        Add(result, "type", node.Type, terms);
        if (node is Artifact a) Add(result, "uri", a.Uri, terms);
        Add(result, "external_id", node.ExternalId, terms);
        foreach (var (name, value) in node.Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (value.Kind == ValueKind.String) Add(result, "properties." + name, value.StringValue, terms);
        }

        foreach (var (name, value) in node.CustomProperties.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (value.Kind == ValueKind.String) Add(result, "custom_properties." + name, value.StringValue, terms);
        }

        if (node.Tags is { Count: > 0 } tags) Add(result, "tags", string.Join(", ", tags), terms);
        if (node.Owners is { Count: > 0 } owners) Add(result, "owners", string.Join(", ", owners), terms);
        return result;
    }

    private static void Add(List<SearchHighlight> result, string field, string? text, List<SearchTerm> terms)
    {
        if (string.IsNullOrEmpty(text)) return;
        var words = SearchSyntax.Words(text).ToList();
        var marked = new bool[words.Count];
        var any = false;
        foreach (var term in terms)
        {
            var n = term.Tokens.Count;
            for (var start = 0; start + n <= words.Count; start++)
            {
                var ok = true;
                for (var k = 0; k < n && ok; k++)
                {
                    var last = k == n - 1;
                    ok = last && term.Prefix
                        ? words[start + k].Token.StartsWith(term.Tokens[k], StringComparison.Ordinal)
                        : string.Equals(words[start + k].Token, term.Tokens[k], StringComparison.Ordinal);
                }

                if (!ok) continue;
                for (var k = 0; k < n; k++) marked[start + k] = true;
                any = true;
            }
        }

        if (!any) return;
        var spans = new List<HighlightSpan>();
        for (var w = 0; w < words.Count; w++)
        {
            if (!marked[w]) continue;
            var begin = words[w].Start;
            var end = words[w].Start + words[w].Length;
            // Adjacent matched words of a phrase become one run when only separators lie between them.
            while (w + 1 < words.Count && marked[w + 1] && words[w + 1].Start - end <= 1)
            {
                w++;
                end = words[w].Start + words[w].Length;
            }

            spans.Add(new HighlightSpan(begin, end - begin));
        }

        // Long values (paths, descriptions) are cut around the first match.
        if (text.Length > MaxExcerpt)
        {
            var from = Math.Max(0, spans[0].Start - (MaxExcerpt / 4));
            var to = Math.Min(text.Length, from + MaxExcerpt);
            var head = from > 0 ? "…" : string.Empty;
            var excerpt = head + text[from..to] + (to < text.Length ? "…" : string.Empty);
            spans = spans.Where(s => s.Start >= from && s.Start + s.Length <= to).Select(s => new HighlightSpan(s.Start - from + head.Length, s.Length)).ToList();
            result.Add(new SearchHighlight(field, excerpt, spans));
            return;
        }

        result.Add(new SearchHighlight(field, text, spans));
    }
}
