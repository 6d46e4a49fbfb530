using System.Text;

namespace Cairn.Query;

/// <summary>Where a value of the resolved query came from, in terms of a <see cref="FilterShape"/>.</summary>
internal enum FilterOrigin
{
    /// <summary>Not traceable to one token: a plan built with it cannot be shared between queries of the shape.</summary>
    Unknown,
    /// <summary>A name or keyword (an enum name, TRUE, a property name): the same in every query of the shape.</summary>
    Constant,
    /// <summary>A string or number literal, which differs between queries of the shape.</summary>
    Literal,
}

/// <summary>
/// A filter query with the values of its string and number literals taken out. Queries with the same <see cref="Key"/> have the
/// same tokens apart from those values (and each literal the same kind), so they parse, resolve and type-check the same way and
/// compile to the same SQL; only the bound values differ. The engine caches compiled filters by shape and binds each query's own
/// literals (<see cref="TryLiteralValue"/>).
/// </summary>
internal sealed class FilterShape
{
    private readonly string _query;
    private readonly List<RawToken> _tokens;
    private readonly int[] _literals;

    private FilterShape(string query, List<RawToken> tokens, int[] literals, string key)
    {
        _query = query;
        _tokens = tokens;
        _literals = literals;
        Key = key;
    }

    /// <summary>The tokens with the literals' values replaced by their kind; names, keywords and operators as written.</summary>
    public string Key { get; }

    /// <summary>The string and number literals, in the order they appear.</summary>
    public int LiteralCount => _literals.Length;

    /// <summary>Scans <paramref name="query"/> (throwing the lexer's InvalidArgument for a malformed one) and takes its shape.</summary>
    public static FilterShape Of(string query)
    {
        var tokens = FilterLexer.Scan(query);
        var literals = new List<int>();
        var key = new StringBuilder(query.Length + (2 * tokens.Count));
        for (var i = 0; i < tokens.Count; i++)
        {
            var (kind, start, length) = tokens[i];
            key.Append((char)('A' + (int)kind));
            if (IsLiteral(kind))
            {
                literals.Add(i);
                continue;
            }

            // Length-prefixed, so that no two token sequences give the same key (a backquoted name may hold any character).
            key.Append(length).Append(':').Append(query, start, length);
        }

        return new FilterShape(query, tokens, [.. literals], key.ToString());
    }

    /// <summary>Where the resolved query's literal at <paramref name="offset"/> came from; for a literal, which one and whether a sign folded into it.</summary>
    public (FilterOrigin Origin, int Literal, bool Negated) OriginOf(int offset)
    {
        var t = TokenAt(offset);
        if (t < 0) return (FilterOrigin.Unknown, -1, false);
        var kind = _tokens[t].Kind;
        switch (kind)
        {
            case FilterToken.String or FilterToken.Integer or FilterToken.Float:
                return (FilterOrigin.Literal, Array.IndexOf(_literals, t), false);
            case FilterToken.Identifier or FilterToken.QuotedIdentifier or FilterToken.True or FilterToken.False:
                return (FilterOrigin.Constant, -1, false);
            case FilterToken.Plus or FilterToken.Minus:
                // A sign folds into the number literal it applies to, which may sit inside parentheses: -(5).
                var next = t + 1;
                while (next < _tokens.Count && _tokens[next].Kind == FilterToken.LeftParen) next++;
                return next < _tokens.Count && _tokens[next].Kind is FilterToken.Integer or FilterToken.Float
                    ? (FilterOrigin.Literal, Array.IndexOf(_literals, next), kind == FilterToken.Minus)
                    : (FilterOrigin.Unknown, -1, false);
            default:
                return (FilterOrigin.Unknown, -1, false);
        }
    }

    /// <summary>The first string literal at or after <paramref name="offset"/> (a LIKE pattern, after its LIKE or NOT), or -1.</summary>
    public int StringLiteralFrom(int offset)
    {
        for (var i = 0; i < _literals.Length; i++)
        {
            var token = _tokens[_literals[i]];
            if (token.Start >= offset) return token.Kind == FilterToken.String ? i : -1;
        }

        return -1;
    }

    /// <summary>
    /// The value the resolved query gives literal <paramref name="literal"/> (<see cref="string"/>, <see cref="long"/> or
    /// <see cref="double"/>; <paramref name="negated"/> when a minus sign folds into it); false when the number is out of range,
    /// which the parser reports as an error.
    /// </summary>
    public bool TryLiteralValue(int literal, bool negated, out object value)
    {
        var (kind, start, length) = _tokens[_literals[literal]];
        var text = _query.Substring(start, length);
        switch (kind)
        {
            case FilterToken.String:
                value = FilterLexer.Unquote(text);
                return !negated;
            case FilterToken.Integer:
                return FilterQuery.TryNumber(FilterType.Int, text, negated, out value);
            default:
                return FilterQuery.TryNumber(FilterType.Double, text, negated, out value);
        }
    }

    private static bool IsLiteral(FilterToken kind) => kind is FilterToken.String or FilterToken.Integer or FilterToken.Float;

    private int TokenAt(int offset)
    {
        int lo = 0, hi = _tokens.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var start = _tokens[mid].Start;
            if (start == offset) return mid;
            if (start < offset) lo = mid + 1;
            else hi = mid - 1;
        }

        return -1;
    }
}
