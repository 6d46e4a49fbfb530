using System.Globalization;
using System.Text;
using Superpower;
using Superpower.Model;
using Superpower.Parsers;

namespace Cairn.Query;

/// <summary>The tokens of the filter language.</summary>
internal enum FilterToken
{
    Identifier,
    QuotedIdentifier,
    String,
    Integer,
    Float,
    Dot,
    Comma,
    LeftParen,
    RightParen,
    Equal,
    NotEqual,
    LessGreater,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Plus,
    Minus,
    Star,
    Slash,
    And,
    Or,
    Not,
    In,
    Is,
    Null,
    Like,
    True,
    False,
}

// ---------------------------------------------------------------------- syntax tree (names unresolved, untyped)

/// <summary>A node of the parsed, not yet resolved query; <see cref="Offset"/> is where it starts in the text.</summary>
internal abstract record Syntax(int Offset);

internal sealed record SyntaxLiteral(int Offset, FilterType Type, object Value, string Text) : Syntax(Offset);

internal sealed record SyntaxSegment(string Text, bool Quoted, int Offset);

internal sealed record SyntaxName(int Offset, IReadOnlyList<SyntaxSegment> Segments) : Syntax(Offset)
{
    public string Text => string.Join('.', Segments.Select(s => s.Quoted ? "`" + s.Text + "`" : s.Text));
}

internal sealed record SyntaxUnary(int Offset, string Operator, Syntax Operand) : Syntax(Offset);

internal sealed record SyntaxBinary(int Offset, string Operator, Syntax Left, Syntax Right) : Syntax(Offset);

internal sealed record SyntaxLike(int Offset, Syntax Value, Syntax Pattern, bool Negated) : Syntax(Offset);

internal sealed record SyntaxIn(int Offset, Syntax Value, IReadOnlyList<Syntax> Items, bool Negated) : Syntax(Offset);

internal sealed record SyntaxIsNull(int Offset, Syntax Value, bool Negated) : Syntax(Offset);

// ---------------------------------------------------------------------- lexer

/// <summary>A token as the lexer found it: its kind and where it is in the query text.</summary>
internal readonly record struct RawToken(FilterToken Kind, int Start, int Length);

/// <summary>Splits a query into tokens; string escapes and number formats are checked here so the grammar sees clean tokens.</summary>
internal static class FilterLexer
{
    /// <summary>More nested parentheses, NOTs or signs than this is refused before the recursive parser sees it.</summary>
    public const int MaxNesting = 64;

    /// <summary>Refuse huge queries early; a filter is typed by a person or built from a few values.</summary>
    public const int MaxLength = 64 * 1024;

    private static readonly Dictionary<string, FilterToken> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["AND"] = FilterToken.And,
        ["OR"] = FilterToken.Or,
        ["NOT"] = FilterToken.Not,
        ["IN"] = FilterToken.In,
        ["IS"] = FilterToken.Is,
        ["NULL"] = FilterToken.Null,
        ["LIKE"] = FilterToken.Like,
        ["TRUE"] = FilterToken.True,
        ["FALSE"] = FilterToken.False,
    };

    /// <summary>The tokens of <paramref name="query"/> as Superpower sees them, with line and column positions.</summary>
    public static TokenList<FilterToken> Tokenize(string query)
    {
        var raw = Scan(query);
        var tokens = new Token<FilterToken>[raw.Count];
        int line = 1, lineStart = 0, at = 0;
        for (var k = 0; k < raw.Count; k++)
        {
            var (kind, start, length) = raw[k];
            for (; at < start; at++)
            {
                if (query[at] != '\n') continue;
                line++;
                lineStart = at + 1;
            }

            tokens[k] = new Token<FilterToken>(kind, new TextSpan(query, new Position(start, line, start - lineStart + 1), length));
        }

        return new TokenList<FilterToken>(tokens);
    }

    /// <summary>Splits <paramref name="query"/> into tokens (kind, start, length), or throws InvalidArgument saying where and why.</summary>
    public static List<RawToken> Scan(string query)
    {
        if (query.Length > MaxLength) throw new InvalidArgumentException(Messages.FilterTooLong(query.Length, MaxLength));
        var tokens = new List<RawToken>();
        var depth = 0;
        var prefixRun = 0;
        var i = 0;
        while (i < query.Length)
        {
            var c = query[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if ((c == '-' && At(query, i + 1) == '-') || c == '#')
            {
                while (i < query.Length && query[i] != '\n') i++;
                continue;
            }

            if (c == '/' && At(query, i + 1) == '*')
            {
                var end = query.IndexOf("*/", i + 2, StringComparison.Ordinal);
                if (end < 0) throw Error(query, i, Messages.FilterUnterminatedComment);
                i = end + 2;
                continue;
            }

            var start = i;
            FilterToken kind;
            var afterDot = tokens.Count > 0 && tokens[^1].Kind == FilterToken.Dot;
            if (afterDot && IsWordChar(c))
            {
                while (i < query.Length && IsWordChar(query[i])) i++;
                kind = FilterToken.Identifier;
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < query.Length && IsWordChar(query[i])) i++;
                kind = Keywords.TryGetValue(query[start..i], out var keyword) ? keyword : FilterToken.Identifier;
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(At(query, i + 1)) && !afterDot && !EndsOperand(tokens)))
            {
                kind = ScanNumber(query, ref i);
            }
            else if (c is '\'' or '"')
            {
                ScanQuoted(query, ref i, c, identifier: false);
                kind = FilterToken.String;
            }
            else if (c == '`')
            {
                ScanQuoted(query, ref i, c, identifier: true);
                kind = FilterToken.QuotedIdentifier;
            }
            else
            {
                (kind, var length) = (c, At(query, i + 1)) switch
                {
                    ('.', _) => (FilterToken.Dot, 1),
                    (',', _) => (FilterToken.Comma, 1),
                    ('(', _) => (FilterToken.LeftParen, 1),
                    (')', _) => (FilterToken.RightParen, 1),
                    ('=', _) => (FilterToken.Equal, 1),
                    ('!', '=') => (FilterToken.NotEqual, 2),
                    ('<', '>') => (FilterToken.LessGreater, 2),
                    ('<', '=') => (FilterToken.LessOrEqual, 2),
                    ('<', _) => (FilterToken.Less, 1),
                    ('>', '=') => (FilterToken.GreaterOrEqual, 2),
                    ('>', _) => (FilterToken.Greater, 1),
                    ('+', _) => (FilterToken.Plus, 1),
                    ('-', _) => (FilterToken.Minus, 1),
                    ('*', _) => (FilterToken.Star, 1),
                    ('/', _) => (FilterToken.Slash, 1),
                    _ => throw Error(query, i, Messages.FilterUnexpectedCharacter(c)),
                };
                i += length;
            }

            // Nesting drives the parser's recursion: bound it so no query can exhaust the stack.
            if (kind == FilterToken.LeftParen) depth++;
            else if (kind == FilterToken.RightParen) depth = Math.Max(0, depth - 1);
            prefixRun = kind is FilterToken.LeftParen or FilterToken.Not or FilterToken.Minus or FilterToken.Plus ? prefixRun + 1 : 0;
            if (depth > MaxNesting || prefixRun > MaxNesting) throw Error(query, start, Messages.FilterTooDeep(MaxNesting));

            tokens.Add(new RawToken(kind, start, i - start));
        }

        return tokens;
    }

    /// <summary>The value of a string or backquoted token, escapes decoded (the lexer has checked them).</summary>
    public static string Unquote(Token<FilterToken> token) => Unquote(token.ToStringValue());

    /// <summary>The value of a quoted token's text (quotes included), escapes decoded (the lexer has checked them).</summary>
    public static string Unquote(string text)
    {
        var body = text.AsSpan(1, text.Length - 2);
        if (!body.Contains('\\')) return body.ToString();
        var sb = new StringBuilder(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] != '\\')
            {
                sb.Append(body[i]);
                continue;
            }

            var e = body[++i];
            switch (e)
            {
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'v': sb.Append('\v'); break;
                case 'x' or 'X':
                    sb.Append((char)int.Parse(body.Slice(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 2;
                    break;
                case 'u':
                    sb.Append((char)int.Parse(body.Slice(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 4;
                    break;
                case 'U':
                    sb.Append(char.ConvertFromUtf32(int.Parse(body.Slice(i + 1, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
                    i += 8;
                    break;
                case >= '0' and <= '7':
                    sb.Append((char)Convert.ToInt32(body.Slice(i, 3).ToString(), 8));
                    i += 2;
                    break;
                default: sb.Append(e); break;
            }
        }

        return sb.ToString();
    }

    public static InvalidArgumentException Error(string query, int offset, string detail) =>
        new(Messages.FilterQueryInvalid(LineOf(query, offset), ColumnOf(query, offset), query.Contains('\n', StringComparison.Ordinal), detail));

    public static int LineOf(string query, int offset) => 1 + query.AsSpan(0, Math.Min(offset, query.Length)).Count('\n');

    public static int ColumnOf(string query, int offset)
    {
        offset = Math.Min(offset, query.Length);
        var lineStart = query.LastIndexOf('\n', Math.Max(0, offset - 1)) + 1;
        if (offset == 0) lineStart = 0;
        return offset - lineStart + 1;
    }

    private static char At(string s, int i) => i < s.Length ? s[i] : '\0';

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static bool EndsOperand(List<RawToken> tokens) =>
        tokens.Count > 0 && tokens[^1].Kind is FilterToken.Identifier or FilterToken.QuotedIdentifier or FilterToken.RightParen;

    private static FilterToken ScanNumber(string q, ref int i)
    {
        var start = i;
        if (q[i] == '0' && At(q, i + 1) is 'x' or 'X')
        {
            i += 2;
            while (char.IsAsciiHexDigit(At(q, i))) i++;
            if (i == start + 2) throw Error(q, start, Messages.FilterBadNumber(q[start..i]));
            RefuseGlued(q, start, ref i);
            return FilterToken.Integer;
        }

        var isFloat = false;
        while (char.IsAsciiDigit(At(q, i))) i++;
        if (At(q, i) == '.' && !(char.IsAsciiLetter(At(q, i + 1)) || At(q, i + 1) == '_'))
        {
            isFloat = true;
            i++;
            while (char.IsAsciiDigit(At(q, i))) i++;
        }

        if (At(q, i) is 'e' or 'E' && (char.IsAsciiDigit(At(q, i + 1)) || (At(q, i + 1) is '+' or '-' && char.IsAsciiDigit(At(q, i + 2)))))
        {
            isFloat = true;
            i += 2;
            while (char.IsAsciiDigit(At(q, i))) i++;
        }

        RefuseGlued(q, start, ref i);
        return isFloat ? FilterToken.Float : FilterToken.Integer;
    }

    // "12abc" is neither a number nor a name outside a property path.
    private static void RefuseGlued(string q, int start, ref int i)
    {
        if (!IsWordChar(At(q, i))) return;
        while (IsWordChar(At(q, i))) i++;
        throw Error(q, start, Messages.FilterBadNumber(q[start..i]));
    }

    private static void ScanQuoted(string q, ref int i, char quote, bool identifier)
    {
        var start = i++;
        while (true)
        {
            if (i >= q.Length || q[i] is '\n' or '\r')
                throw Error(q, start, identifier ? Messages.FilterUnterminatedIdentifier : Messages.FilterUnterminatedString(quote));
            var c = q[i];
            if (c == quote)
            {
                i++;
                if (identifier && i - start == 2) throw Error(q, start, Messages.FilterEmptyIdentifier);
                return;
            }

            if (c != '\\')
            {
                i++;
                continue;
            }

            var e = At(q, i + 1);
            var digits = e switch
            {
                'x' or 'X' => 2,
                'u' => 4,
                'U' => 8,
                _ => 0,
            };
            if (digits > 0)
            {
                var hex = q.AsSpan(Math.Min(i + 2, q.Length), Math.Max(0, Math.Min(digits, q.Length - i - 2)));
                if (hex.Length != digits || hex.ContainsAnyExcept("0123456789abcdefABCDEF")
                    || (e == 'U' && (!int.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var cp) || cp > 0x10FFFF || cp is >= 0xD800 and <= 0xDFFF)))
                    throw Error(q, i, Messages.FilterBadEscape(q.Substring(i, Math.Min(digits + 2, q.Length - i))));
                i += 2 + digits;
            }
            else if (e is >= '0' and <= '7')
            {
                var oct = q.AsSpan(i + 1, Math.Min(3, q.Length - i - 1));
                if (oct.Length != 3 || oct.ContainsAnyExcept("01234567") || oct[0] > '3')
                    throw Error(q, i, Messages.FilterBadEscape(q.Substring(i, 1 + oct.Length)));
                i += 4;
            }
            else if (e is 'a' or 'b' or 'f' or 'n' or 'r' or 't' or 'v' or '\\' or '?' or '"' or '\'' or '`')
            {
                i += 2;
            }
            else
            {
                throw Error(q, i, Messages.FilterBadEscape(e == '\0' ? "\\" : "\\" + e));
            }
        }
    }
}

// ---------------------------------------------------------------------- grammar

/// <summary>
/// The filter grammar (ZetaSQL expression precedence): OR &lt; AND &lt; NOT &lt; comparison, LIKE, IN, IS &lt; + - &lt; * / &lt; unary -.
/// </summary>
internal static class FilterGrammar
{
    private static TokenListParser<FilterToken, Token<FilterToken>> Op(FilterToken kind) => Token.EqualTo(kind);

    private static readonly TokenListParser<FilterToken, Syntax> Literal =
        Token.EqualTo(FilterToken.String).Select(t => (Syntax)new SyntaxLiteral(t.Position.Absolute, FilterType.String, FilterLexer.Unquote(t), t.ToStringValue()))
            .Or(Token.EqualTo(FilterToken.Integer).Select(t => (Syntax)new SyntaxLiteral(t.Position.Absolute, FilterType.Int, t.ToStringValue(), t.ToStringValue())))
            .Or(Token.EqualTo(FilterToken.Float).Select(t => (Syntax)new SyntaxLiteral(t.Position.Absolute, FilterType.Double, t.ToStringValue(), t.ToStringValue())))
            .Or(Token.EqualTo(FilterToken.True).Select(t => (Syntax)new SyntaxLiteral(t.Position.Absolute, FilterType.Bool, true, "true")))
            .Or(Token.EqualTo(FilterToken.False).Select(t => (Syntax)new SyntaxLiteral(t.Position.Absolute, FilterType.Bool, false, "false")));

    private static readonly TokenListParser<FilterToken, SyntaxSegment> Segment =
        Token.EqualTo(FilterToken.Identifier).Select(t => new SyntaxSegment(t.ToStringValue(), false, t.Position.Absolute))
            .Or(Token.EqualTo(FilterToken.QuotedIdentifier).Select(t => new SyntaxSegment(FilterLexer.Unquote(t), true, t.Position.Absolute)));

    private static readonly TokenListParser<FilterToken, Syntax> Name =
        from first in Segment
        from rest in Op(FilterToken.Dot).IgnoreThen(Segment.Named("a name")).Many()
        select (Syntax)new SyntaxName(first.Offset, [first, .. rest]);

    private static readonly TokenListParser<FilterToken, Syntax> Parenthesized =
        from open in Op(FilterToken.LeftParen)
        from inner in Parse.Ref(() => Expression!)
        from close in Op(FilterToken.RightParen).Named("')'")
        select inner;

    private static readonly TokenListParser<FilterToken, Syntax> Primary =
        Literal.Or(Name).Or(Parenthesized).Named("a value");

    private static readonly TokenListParser<FilterToken, Syntax> Unary =
        (from sign in Op(FilterToken.Minus).Or(Op(FilterToken.Plus))
         from operand in Parse.Ref(() => Unary!)
         select (Syntax)new SyntaxUnary(sign.Position.Absolute, sign.ToStringValue(), operand))
        .Or(Primary)
        .Named("a value");

    private static TokenListParser<FilterToken, Token<FilterToken>> Operators(params FilterToken[] kinds) =>
        kinds.Skip(1).Aggregate(Op(kinds[0]), (p, k) => p.Or(Op(k)));

    private static Syntax MakeBinary(Token<FilterToken> op, Syntax left, Syntax right) =>
        new SyntaxBinary(op.Position.Absolute, op.ToStringValue().ToUpperInvariant(), left, right);

    private static readonly TokenListParser<FilterToken, Syntax> Multiplicative =
        Parse.Chain(Operators(FilterToken.Star, FilterToken.Slash), Unary, MakeBinary);

    private static readonly TokenListParser<FilterToken, Syntax> Additive =
        Parse.Chain(Operators(FilterToken.Plus, FilterToken.Minus), Multiplicative, MakeBinary);

    private static readonly TokenListParser<FilterToken, Syntax[]> List =
        from open in Op(FilterToken.LeftParen).Named("'(' and a list of values")
        from items in Parse.Ref(() => Expression!).AtLeastOnceDelimitedBy(Op(FilterToken.Comma))
        from close in Op(FilterToken.RightParen).Named("',' or ')'")
        select items;

    private static readonly TokenListParser<FilterToken, Func<Syntax, Syntax>> CompareTail =
        from op in Operators(FilterToken.Equal, FilterToken.NotEqual, FilterToken.LessGreater, FilterToken.Less,
            FilterToken.LessOrEqual, FilterToken.Greater, FilterToken.GreaterOrEqual)
        from right in Additive
        select (Func<Syntax, Syntax>)(left => MakeBinary(op, left, right));

    private static readonly TokenListParser<FilterToken, Func<Syntax, Syntax>> LikeTail =
        from like in Op(FilterToken.Like)
        from pattern in Additive
        select (Func<Syntax, Syntax>)(value => new SyntaxLike(like.Position.Absolute, value, pattern, false));

    private static readonly TokenListParser<FilterToken, Func<Syntax, Syntax>> InTail =
        from @in in Op(FilterToken.In)
        from items in List
        select (Func<Syntax, Syntax>)(value => new SyntaxIn(@in.Position.Absolute, value, items, false));

    private static readonly TokenListParser<FilterToken, Func<Syntax, Syntax>> NotTail =
        from not in Op(FilterToken.Not)
        from tail in LikeTail.Or(InTail).Named("LIKE or IN")
        select (Func<Syntax, Syntax>)(value => tail(value) switch
        {
            SyntaxLike l => l with { Offset = not.Position.Absolute, Negated = true },
            SyntaxIn n => n with { Offset = not.Position.Absolute, Negated = true },
            var other => other,
        });

    private static readonly TokenListParser<FilterToken, Func<Syntax, Syntax>> IsTail =
        from @is in Op(FilterToken.Is)
        from not in Op(FilterToken.Not).OptionalOrDefault()
        from nul in Op(FilterToken.Null).Named(not.HasValue ? "NULL" : "NULL or NOT NULL")
        select (Func<Syntax, Syntax>)(value => new SyntaxIsNull(@is.Position.Absolute, value, not.HasValue));

    private static readonly TokenListParser<FilterToken, Syntax> Comparison =
        from left in Additive
        from tail in CompareTail.Or(LikeTail).Or(InTail).Or(NotTail).Or(IsTail).Select(f => (Func<Syntax, Syntax>?)f).OptionalOrDefault()
        select tail is null ? left : tail(left);

    private static readonly TokenListParser<FilterToken, Syntax> Negation =
        (from not in Op(FilterToken.Not)
         from operand in Parse.Ref(() => Negation!)
         select (Syntax)new SyntaxUnary(not.Position.Absolute, "NOT", operand))
        .Or(Comparison)
        .Named("a condition");

    private static readonly TokenListParser<FilterToken, Syntax> Conjunction =
        Parse.Chain(Op(FilterToken.And), Negation, MakeBinary);

    private static readonly TokenListParser<FilterToken, Syntax> Expression =
        Parse.Chain(Op(FilterToken.Or), Conjunction, MakeBinary);

    private static readonly TokenListParser<FilterToken, Syntax> Query = Expression.AtEnd();

    /// <summary>Parses the query text into a syntax tree, or throws InvalidArgument saying where and what was expected.</summary>
    public static Syntax ParseSyntax(string query)
    {
        var tokens = FilterLexer.Tokenize(query);
        var result = Query.TryParse(tokens);
        if (result.HasValue) return result.Value;

        var at = result.Remainder;
        Token<FilterToken>? previous = null;
        foreach (var token in tokens)
        {
            if (!at.IsAtEnd && token.Position.Absolute >= at.First().Position.Absolute) break;
            previous = token;
        }

        var expected = Messages.FilterExpectations(result.Expectations ?? []);
        if (at.IsAtEnd)
        {
            var end = previous is { } p ? p.Position.Absolute + p.Span.Length : query.Length;
            throw FilterLexer.Error(query, end, previous is { } last
                ? Messages.FilterEndedAfter(expected, last.ToStringValue())
                : Messages.FilterEnded(expected));
        }

        var found = at.First();
        throw FilterLexer.Error(query, found.Position.Absolute, Messages.FilterUnexpectedToken(found.ToStringValue(), previous?.ToStringValue(), expected));
    }
}
