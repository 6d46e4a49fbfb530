using System.Text;
using Cairn.Query;
using Cairn.Store.Relational;

namespace Cairn.Store.Sqlite;

/// <summary>Search on SQLite: FTS5 tables of migration 6 (<see cref="SearchIndex"/>) and FTS5's query language.</summary>
internal sealed partial class SqliteDialect
{
    // bm25 weights, in the FTS5 table's column order: name, type, uri, external_id, properties, tags, owners. bm25 is lower for
    // better matches; the engine wants higher.
    public string SearchHits(NodeTable table, string parameterName) =>
        $"SELECT rowid AS id, -bm25({table.Table}_search, 10.0, 2.0, 3.0, 5.0, 1.0, 5.0, 3.0) AS score FROM {table.Table}_search WHERE {table.Table}_search MATCH {parameterName}";

    /// <summary>The FTS5 query for a parsed search. Tokens are letters and digits only and always quoted, so no user text is syntax.</summary>
    public object SearchQuery(ParsedSearch query) => Fts5(query);

    internal static string Fts5(ParsedSearch query)
    {
        var sb = new StringBuilder();
        if (query.None.Count > 0) sb.Append('(');
        for (var g = 0; g < query.All.Count; g++)
        {
            if (g > 0) sb.Append(" AND ");
            var group = query.All[g];
            if (group.Count > 1) sb.Append('(');
            for (var i = 0; i < group.Count; i++)
            {
                if (i > 0) sb.Append(" OR ");
                Term(sb, group[i]);
            }

            if (group.Count > 1) sb.Append(')');
        }

        if (query.None.Count > 0)
        {
            sb.Append(") NOT (");
            for (var i = 0; i < query.None.Count; i++)
            {
                if (i > 0) sb.Append(" OR ");
                Term(sb, query.None[i]);
            }

            sb.Append(')');
        }

        return sb.ToString();
    }

    private static void Term(StringBuilder sb, SearchTerm term)
    {
        sb.Append('"').AppendJoin(' ', term.Tokens).Append('"');
        if (term.Prefix) sb.Append(" *");
    }
}
