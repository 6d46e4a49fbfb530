using System.Text;
using Cairn.Query;
using Cairn.Store.Relational;

namespace Cairn.Store.PostgreSql;

/// <summary>Search on PostgreSQL: the tsvector tables of migration 6 (<see cref="SearchIndex"/>) and the <c>simple</c> tsquery language.</summary>
internal sealed partial class PostgreSqlDialect
{
    // ts_rank's default weights (A 1.0, B 0.4, C 0.2, D 0.1) rank a name match above a property match, as the SQLite weights do.
    public string SearchHits(NodeTable table, ParsedSearch query, string parameterName) =>
        $"SELECT s.node_id AS id, ts_rank(s.doc, q.q) AS score FROM {table.Table}_search s, to_tsquery('simple', {parameterName}) AS q (q) WHERE s.doc @@ q.q";

    /// <summary>The tsquery text for a parsed search. Tokens are letters and digits only, so no user text is an operator.</summary>
    public object SearchQuery(ParsedSearch query) => TsQuery(query);

    internal static string TsQuery(ParsedSearch query)
    {
        var sb = new StringBuilder();
        for (var g = 0; g < query.All.Count; g++)
        {
            if (g > 0) sb.Append(" & ");
            var group = query.All[g];
            sb.Append('(');
            for (var i = 0; i < group.Count; i++)
            {
                if (i > 0) sb.Append(" | ");
                Term(sb, group[i]);
            }

            sb.Append(')');
        }

        foreach (var term in query.None)
        {
            sb.Append(" & !");
            Term(sb, term);
        }

        return sb.ToString();
    }

    private static void Term(StringBuilder sb, SearchTerm term)
    {
        sb.Append('(');
        for (var i = 0; i < term.Tokens.Count; i++)
        {
            if (i > 0) sb.Append(" <-> ");
            sb.Append(term.Tokens[i]);
        }

        if (term.Prefix) sb.Append(":*");
        sb.Append(')');
    }
}
