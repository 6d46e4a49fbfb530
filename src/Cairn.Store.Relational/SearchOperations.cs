using System.Data.Common;
using System.Globalization;
using System.Text;
using Cairn.Query;

namespace Cairn.Store.Relational;

/// <summary>
/// Full-text search: the backend's index (FTS5 or tsvector, kept by triggers of migration 6) gives the matching ids and their
/// score; the engine narrows them with the node tables (type, labels, time, filter query), pages them by rank and counts facets.
/// </summary>
/// <remarks>
/// One statement reads the page with the total (<c>COUNT(*) OVER ()</c>: the rank order needs every match scored anyway), one
/// more counts every facet when asked, then the page's nodes are read as any read does (per kind, by ids). Highlights are
/// computed from the nodes with the parsed query, so they are the same on every backend.
/// </remarks>
internal static class SearchOperations
{
    private const int MaxOffset = 10_000;
    private const long DayMs = 86_400_000;

    public static void Validate(SearchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Limit is < 1 or > SearchRequest.MaxLimit) throw new InvalidArgumentException(Messages.SearchLimitInvalid(request.Limit, SearchRequest.MaxLimit));
        if (request.FacetSize is < 1 or > 100) throw new InvalidArgumentException(Messages.SearchFacetSizeInvalid(request.FacetSize));
        foreach (var kind in request.Kinds ?? [])
        {
            if (kind is not (NodeKind.Artifact or NodeKind.Execution or NodeKind.Context)) throw new InvalidArgumentException(Messages.SearchKindInvalid((int)kind));
        }

        if (request.Since is { } since && request.Until is { } until && since > until) throw new InvalidArgumentException(Messages.SearchRangeInvalid);
    }

    public static async Task<SearchResult> SearchAsync(Session s, SearchRequest request, CancellationToken ct)
    {
        Validate(request);
        var query = SearchSyntax.Parse(request.Text);
        List<NodeKind> kinds = request.Kinds is { Count: > 0 } k ? [.. k.Distinct().Order()] : [NodeKind.Artifact, NodeKind.Execution, NodeKind.Context];
        if (!string.IsNullOrWhiteSpace(request.FilterQuery) && kinds.Count != 1) throw new InvalidArgumentException(Messages.SearchFilterNeedsOneKind(kinds.Count));
        var fingerprint = Fingerprint(request, query, kinds);
        var offset = 0;
        if (!string.IsNullOrEmpty(request.PageToken)) offset = DecodeToken(request.PageToken, fingerprint);

        var (matches, bind) = Matches(s, request, query, kinds);
        var limit = request.Limit.ToString(CultureInfo.InvariantCulture);
        var page = s.Command(
            $"WITH m AS ({matches}) SELECT kind, id, score, COUNT(*) OVER () FROM m ORDER BY score DESC, ctime DESC, kind, id DESC LIMIT {limit} OFFSET @s_offset");
        bind(page);
        Session.Bind(page, "@s_offset", (long)offset);
        var rows = new List<(NodeKind Kind, long Id, double Score)>();
        long total = 0;
        await using (var r = await s.ReaderAsync(page, ct).ConfigureAwait(false))
        {
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                rows.Add(((NodeKind)r.GetInt32(0), r.GetInt64(1), Convert.ToDouble(r.GetValue(2), CultureInfo.InvariantCulture)));
                total = r.GetInt64(3);
            }
        }

        // Past the last page the window has no row to carry the total: count it once more.
        if (rows.Count == 0 && offset > 0)
        {
            var count = s.Command($"WITH m AS ({matches}) SELECT COUNT(*) FROM m");
            bind(count);
            total = Convert.ToInt64(await s.ScalarAsync(count, ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        var nodes = new Dictionary<(NodeKind, long), Node>();
        foreach (var group in rows.GroupBy(row => row.Kind))
        {
            var table = NodeTable.For(group.Key);
            foreach (var data in await NodeOperations.LoadByIdsAsync(s, table, group.Select(g => g.Id).ToList(), ct).ConfigureAwait(false))
                nodes[(group.Key, data.Id!.Value)] = data.ToNode(group.Key);
        }

        var hits = new List<SearchHit>(rows.Count);
        foreach (var row in rows)
        {
            // A row always has its node: both were read in this one transaction.
            if (!nodes.TryGetValue((row.Kind, row.Id), out var node)) continue;
            hits.Add(new SearchHit(node, row.Score, SearchHighlighter.For(node, query)));
        }

        var next = offset + rows.Count < total && rows.Count == request.Limit && offset + rows.Count < MaxOffset
            ? EncodeToken(offset + rows.Count, fingerprint)
            : null;
        var facets = request.Facets ? await FacetsAsync(s, request, matches, bind, kinds, ct).ConfigureAwait(false) : null;
        return new SearchResult { Hits = hits, Total = total, NextPageToken = next, Facets = facets };
    }

    /// <summary>The matches as rows (kind, id, score, ctime, type_id): one branch per kind, joined by UNION ALL.</summary>
    private static (string Sql, Action<DbCommand> Bind) Matches(Session s, SearchRequest request, ParsedSearch? query, List<NodeKind> kinds)
    {
        var sql = new StringBuilder();
        CompiledFilter? filter = null;
        foreach (var kind in kinds)
        {
            var table = NodeTable.For(kind);
            if (sql.Length > 0) sql.Append(" UNION ALL ");
            var kindNumber = ((int)kind).ToString(CultureInfo.InvariantCulture);
            sql.Append("SELECT ").Append(kindNumber).Append(" AS kind, n.id AS id, ")
                .Append(query is null ? "0.0" : "h.score").Append(" AS score, n.create_time AS ctime, n.type_id AS type_id FROM ");
            if (query is not null) sql.Append('(').Append(s.Dialect.SearchHits(table, query, "@s_q")).Append(") h JOIN ").Append(table.Table).Append(" n ON n.id = h.id");
            else sql.Append(table.Table).Append(" n");
            sql.Append(" JOIN type t ON t.id = n.type_id");
            var conditions = new List<string>();
            if (FilterCompiler.Compile(request.FilterQuery, table, s.Dialect) is { } compiled)
            {
                filter = compiled;
                sql.Append(compiled.Join);
                conditions.Add(compiled.Where);
            }

            if (request.Type is not null) conditions.Add("t.name = @s_type");
            if (request.Owner is not null) conditions.Add($"EXISTS (SELECT 1 FROM {table.Table}_label l WHERE l.node_id = n.id AND l.label = 2 AND l.value = @s_owner)");
            if (request.Tag is not null) conditions.Add($"EXISTS (SELECT 1 FROM {table.Table}_label l WHERE l.node_id = n.id AND l.label = 1 AND l.value = @s_tag)");
            if (request.Since is not null) conditions.Add("n.create_time >= @s_since");
            if (request.Until is not null) conditions.Add("n.create_time < @s_until");
            if (conditions.Count > 0) sql.Append(" WHERE ").AppendJoin(" AND ", conditions);
        }

        var text = query is null ? null : s.Dialect.SearchQuery(query);
        void Bind(DbCommand c)
        {
            if (text is not null) Session.Bind(c, "@s_q", text);
            if (request.Type is not null) Session.Bind(c, "@s_type", request.Type);
            if (request.Owner is not null) Session.Bind(c, "@s_owner", request.Owner);
            if (request.Tag is not null) Session.Bind(c, "@s_tag", request.Tag);
            if (request.Since is { } since) Session.Bind(c, "@s_since", since.ToUnixTimeMilliseconds());
            if (request.Until is { } until) Session.Bind(c, "@s_until", until.ToUnixTimeMilliseconds());
            filter?.Bind(c);
        }

        return (sql.ToString(), Bind);
    }

    private static async Task<SearchFacets> FacetsAsync(
        Session s, SearchRequest request, string matches, Action<DbCommand> bind, List<NodeKind> kinds, CancellationToken ct)
    {
        var top = request.FacetSize.ToString(CultureInfo.InvariantCulture);
        string Top(int facet, string select) =>
            $"SELECT * FROM (SELECT {facet.ToString(CultureInfo.InvariantCulture)} AS facet, v, COUNT(*) AS c FROM ({select}) x GROUP BY v ORDER BY c DESC, v LIMIT {top}) f{facet.ToString(CultureInfo.InvariantCulture)}";
        string Labels(int label) => string.Join(" UNION ALL ", kinds.Select(k =>
            $"SELECT l.value AS v FROM m CROSS JOIN {NodeTable.For(k).Table}_label l WHERE l.node_id = m.id AND l.label = {label.ToString(CultureInfo.InvariantCulture)} AND m.kind = {((int)k).ToString(CultureInfo.InvariantCulture)}"));
        var memberships = new List<string>();
        if (kinds.Contains(NodeKind.Artifact)) memberships.Add("SELECT e.context_id AS cid FROM m CROSS JOIN attribution e WHERE e.artifact_id = m.id AND m.kind = 1");
        if (kinds.Contains(NodeKind.Execution)) memberships.Add("SELECT e.context_id AS cid FROM m CROSS JOIN association e WHERE e.execution_id = m.id AND m.kind = 2");

        var branches = new List<string>
        {
            Top(0, "SELECT CAST(m.kind AS TEXT) AS v FROM m"),
            Top(1, "SELECT t.name AS v FROM m CROSS JOIN type t WHERE t.id = m.type_id"),
            Top(2, Labels(2)),
            Top(3, Labels(1)),
            // Days are counted in SQL (integer division works alike everywhere); months are summed from them below.
            $"SELECT 5 AS facet, CAST(m.ctime / {DayMs.ToString(CultureInfo.InvariantCulture)} AS TEXT) AS v, COUNT(*) AS c FROM m GROUP BY m.ctime / {DayMs.ToString(CultureInfo.InvariantCulture)}",
        };
        if (memberships.Count > 0)
        {
            branches.Add(Top(4, $"SELECT ct.name || '/' || c.name AS v FROM ({string.Join(" UNION ALL ", memberships)}) x2 JOIN context c ON c.id = x2.cid JOIN type ct ON ct.id = c.type_id"));
        }

        // The matches are computed once (MATERIALIZED) and every facet starts from them (CROSS JOIN keeps SQLite from starting a
        // label or membership facet from the whole label table); PostgreSQL plans CROSS JOIN … WHERE as the inner join it is.
        var cmd = s.Command($"WITH m AS MATERIALIZED ({matches}) {string.Join(" UNION ALL ", branches)}");
        bind(cmd);
        var lists = new List<FacetCount>[6];
        for (var i = 0; i < lists.Length; i++) lists[i] = [];
        await using (var r = await s.ReaderAsync(cmd, ct).ConfigureAwait(false))
        {
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                if (r.IsDBNull(1)) continue;
                lists[r.GetInt32(0)].Add(new FacetCount(r.GetString(1), r.GetInt64(2)));
            }
        }

        static List<FacetCount> Sorted(List<FacetCount> list) =>
            [.. list.OrderByDescending(f => f.Count).ThenBy(f => f.Value, StringComparer.Ordinal)];

        var created = lists[5]
            .Select(f => (Day: DateTimeOffset.UnixEpoch.AddDays(long.Parse(f.Value, CultureInfo.InvariantCulture)), f.Count))
            .GroupBy(f => request.DateBucket == SearchDateBucket.Day
                ? f.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                : f.Day.ToString("yyyy-MM", CultureInfo.InvariantCulture), StringComparer.Ordinal)
            .Select(g => new FacetCount(g.Key, g.Sum(x => x.Count)))
            .OrderBy(f => f.Value, StringComparer.Ordinal)
            .ToList();
        return new SearchFacets
        {
            Kinds = Sorted([.. lists[0].Select(f => f with { Value = Messages.KindName((NodeKind)int.Parse(f.Value, CultureInfo.InvariantCulture)) })]),
            Types = Sorted(lists[1]),
            Owners = Sorted(lists[2]),
            Tags = Sorted(lists[3]),
            Contexts = Sorted(lists[4]),
            Created = created,
        };
    }

    // ------------------------------------------------------------------ page tokens: an offset bound to the search it came from

    private static string Fingerprint(SearchRequest r, ParsedSearch? query, List<NodeKind> kinds)
    {
        var text = string.Join('\u001f',
            SearchSyntax.Describe(query), string.Join(',', kinds.Select(k => (int)k)), r.Type, r.Owner, r.Tag,
            r.Since?.ToUnixTimeMilliseconds(), r.Until?.ToUnixTimeMilliseconds(), r.FilterQuery);
        var hash = 14695981039346656037UL;
        foreach (var ch in text)
        {
            hash ^= ch;
            hash *= 1099511628211UL;
        }

        return hash.ToString("x16", CultureInfo.InvariantCulture);
    }

    private static string EncodeToken(int offset, string fingerprint) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"s1:{offset}:{fingerprint}")));

    private static int DecodeToken(string token, string fingerprint)
    {
        string[] parts;
        try
        {
            parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split(':');
        }
        catch (FormatException e)
        {
            throw new InvalidArgumentException(Messages.SearchPageTokenInvalid, e);
        }

        if (parts.Length != 3 || parts[0] != "s1" || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var offset) || offset > MaxOffset)
            throw new InvalidArgumentException(Messages.SearchPageTokenInvalid);
        if (!string.Equals(parts[2], fingerprint, StringComparison.Ordinal)) throw new InvalidArgumentException(Messages.SearchPageTokenMismatch);
        return offset;
    }
}
