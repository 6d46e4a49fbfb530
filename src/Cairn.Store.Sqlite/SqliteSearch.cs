using System.Globalization;
using System.Text;
using System.Text.Json;
using Cairn.Query;
using Cairn.Store.Relational;

namespace Cairn.Store.Sqlite;

/// <summary>Search on SQLite: the FTS5 tables of migration 6 (<see cref="SearchIndex"/>) and FTS5's query language.</summary>
internal sealed partial class SqliteDialect
{
    // bm25 weights, in each FTS5 table's column order (name, type, uri, external_id; properties, tags, owners). bm25 is lower for
    // better matches; the engine wants higher.
    private const string NodeWeights = "10.0, 2.0, 3.0, 5.0";
    private const string ValueWeights = "1.0, 5.0, 3.0";

    /// <summary>
    /// Each term group is matched against the node rows and the value rows; a node is a hit when every group matched one of its
    /// rows, and its score is the sum of its rows' scores. Excluded terms remove the nodes any of whose rows match them.
    /// </summary>
    public string SearchHits(NodeTable table, ParsedSearch query, string parameterName)
    {
        var t = table.Table;
        string Rows(string match, string group) =>
            $"SELECT rowid AS id, {group} AS g, -bm25({t}_search, {NodeWeights}) AS score FROM {t}_search WHERE {t}_search MATCH {match} "
            + $"UNION ALL SELECT k.node_id, {group}, -bm25({t}_search_value, {ValueWeights}) FROM {t}_search_value v "
            + $"JOIN {t}_search_key k ON k.id = v.rowid WHERE {t}_search_value MATCH {match}";
        var sql = new StringBuilder("SELECT h.id AS id, SUM(h.score) AS score FROM (");
        for (var g = 0; g < query.All.Count; g++)
        {
            var index = g.ToString(CultureInfo.InvariantCulture);
            if (g > 0) sql.Append(" UNION ALL ");
            sql.Append(Rows($"json_extract({parameterName}, '$.all[{index}]')", index));
        }

        sql.Append(") h");
        if (query.None.Count > 0)
        {
            var none = $"json_extract({parameterName}, '$.none')";
            sql.Append($" WHERE h.id NOT IN (SELECT rowid FROM {t}_search WHERE {t}_search MATCH {none} UNION ALL SELECT k.node_id FROM {t}_search_value v JOIN {t}_search_key k ON k.id = v.rowid WHERE {t}_search_value MATCH {none})");
        }

        sql.Append(" GROUP BY h.id");
        if (query.All.Count > 1) sql.Append(" HAVING COUNT(DISTINCT h.g) = ").Append(query.All.Count.ToString(CultureInfo.InvariantCulture));
        return sql.ToString();
    }

    /// <summary>One FTS5 query per term group, and one for the excluded terms, as JSON. Tokens are letters and digits, always quoted.</summary>
    public object SearchQuery(ParsedSearch query) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["all"] = query.All.Select(Group).ToArray(),
        ["none"] = query.None.Count == 0 ? string.Empty : Group(query.None),
    });

    private static string Group(IReadOnlyList<SearchTerm> terms)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < terms.Count; i++)
        {
            if (i > 0) sb.Append(" OR ");
            sb.Append('"').AppendJoin(' ', terms[i].Tokens).Append('"');
            if (terms[i].Prefix) sb.Append(" *");
        }

        return sb.ToString();
    }
}
