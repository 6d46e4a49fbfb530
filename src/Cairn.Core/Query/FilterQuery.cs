using System.Globalization;

namespace Cairn.Query;

/// <summary>The type of a filter expression (MLMD's ZetaSQL types, plus the three enums compared by name).</summary>
public enum FilterType
{
    /// <summary>A condition: true, false or unknown.</summary>
    Bool,
    /// <summary>A 64-bit integer.</summary>
    Int,
    /// <summary>A 64-bit floating point number.</summary>
    Double,
    /// <summary>Text.</summary>
    String,
    /// <summary><c>state</c> of an artifact: compared with LIVE, PENDING, …</summary>
    ArtifactState,
    /// <summary><c>last_known_state</c> of an execution: compared with RUNNING, COMPLETE, …</summary>
    ExecutionState,
    /// <summary><c>events_x.type</c>: compared with INPUT, OUTPUT, …</summary>
    EventType,
    /// <summary><c>tags</c> or <c>owners</c>: a set of strings; a comparison holds when some value matches (<c>!=</c>, <c>NOT IN</c>: when none does).</summary>
    Labels,
}

/// <summary>The neighbours a filter can reach through an alias (<c>contexts_a.name</c>).</summary>
public enum FilterNeighbour
{
    /// <summary><c>contexts_&lt;alias&gt;</c> of an artifact or execution.</summary>
    Contexts,
    /// <summary><c>events_&lt;alias&gt;</c> of an artifact or execution.</summary>
    Events,
    /// <summary><c>parent_contexts_&lt;alias&gt;</c> of a context.</summary>
    ParentContexts,
    /// <summary><c>child_contexts_&lt;alias&gt;</c> of a context.</summary>
    ChildContexts,
    /// <summary><c>artifacts_&lt;alias&gt;</c> attributed to a context.</summary>
    Artifacts,
    /// <summary><c>executions_&lt;alias&gt;</c> associated with a context.</summary>
    Executions,
}

/// <summary>Binary operators of the resolved query.</summary>
public enum FilterOperator
{
    /// <summary>AND.</summary>
    And,
    /// <summary>OR.</summary>
    Or,
    /// <summary>=.</summary>
    Equal,
    /// <summary>!= or &lt;&gt;.</summary>
    NotEqual,
    /// <summary>&lt;.</summary>
    Less,
    /// <summary>&lt;=.</summary>
    LessOrEqual,
    /// <summary>&gt;.</summary>
    Greater,
    /// <summary>&gt;=.</summary>
    GreaterOrEqual,
    /// <summary>+.</summary>
    Add,
    /// <summary>-.</summary>
    Subtract,
    /// <summary>*.</summary>
    Multiply,
    /// <summary>/ (always a DOUBLE result, as in ZetaSQL).</summary>
    Divide,
}

/// <summary>A resolved, type-checked filter expression. <see cref="Offset"/> is where it starts in the query text.</summary>
public abstract record FilterExpression(int Offset)
{
    /// <summary>The expression's type.</summary>
    public abstract FilterType Type { get; }
}

/// <summary>A constant: <see cref="long"/>, <see cref="double"/>, <see cref="string"/>, <see cref="bool"/>, or the number of an enum name.</summary>
public sealed record FilterLiteral(int Offset, FilterType LiteralType, object Value) : FilterExpression(Offset)
{
    /// <inheritdoc/>
    public override FilterType Type => LiteralType;
}

/// <summary>Where a field lives: the listed node, one of its properties, or a neighbour alias.</summary>
public abstract record FilterSource;

/// <summary>An attribute of the listed node (<c>name</c>, <c>state</c>, …).</summary>
public sealed record NodeSource : FilterSource
{
    /// <summary>The one instance.</summary>
    public static NodeSource Instance { get; } = new();

    private NodeSource()
    {
    }
}

/// <summary>A property of the listed node: <c>properties.&lt;Name&gt;</c> or <c>custom_properties.&lt;Name&gt;</c>.</summary>
public sealed record PropertySource(string Name, bool IsCustom) : FilterSource;

/// <summary>A neighbour alias such as <c>contexts_a</c>: every distinct alias is one neighbour row (MLMD's INNER JOIN).</summary>
public sealed record NeighbourSource(FilterNeighbour Neighbour, string Alias) : FilterSource
{
    /// <summary>The alias as written, e.g. <c>contexts_a</c>.</summary>
    public string Name => FilterNames.PrefixOf(Neighbour) + Alias;
}

/// <summary>A field: <c>name</c>, <c>properties.p.int_value</c>, <c>contexts_a.type</c>.</summary>
public sealed record FilterField(int Offset, FilterSource Source, string Field, FilterType FieldType) : FilterExpression(Offset)
{
    /// <inheritdoc/>
    public override FilterType Type => FieldType;
}

/// <summary>A binary operation; logical, comparison or arithmetic depending on <see cref="Operator"/>.</summary>
public sealed record FilterBinary(int Offset, FilterOperator Operator, FilterExpression Left, FilterExpression Right, FilterType ResultType) : FilterExpression(Offset)
{
    /// <inheritdoc/>
    public override FilterType Type => ResultType;
}

/// <summary>NOT.</summary>
public sealed record FilterNot(int Offset, FilterExpression Operand) : FilterExpression(Offset)
{
    /// <inheritdoc/>
    public override FilterType Type => FilterType.Bool;
}

/// <summary>Unary minus.</summary>
public sealed record FilterNegate(int Offset, FilterExpression Operand) : FilterExpression(Offset)
{
    /// <inheritdoc/>
    public override FilterType Type => Operand.Type;
}

/// <summary><c>value [NOT] LIKE 'pattern'</c>: <c>%</c> any run, <c>_</c> one character, backslash escapes; case-sensitive.</summary>
public sealed record FilterLike(int Offset, FilterExpression Value, string Pattern, bool Negated) : FilterExpression(Offset)
{
    /// <inheritdoc/>
    public override FilterType Type => FilterType.Bool;
}

/// <summary><c>value [NOT] IN (items)</c>.</summary>
public sealed record FilterIn(int Offset, FilterExpression Value, IReadOnlyList<FilterExpression> Items, bool Negated) : FilterExpression(Offset)
{
    /// <inheritdoc/>
    public override FilterType Type => FilterType.Bool;
}

/// <summary><c>value IS [NOT] NULL</c>.</summary>
public sealed record FilterIsNull(int Offset, FilterExpression Value, bool Negated) : FilterExpression(Offset)
{
    /// <inheritdoc/>
    public override FilterType Type => FilterType.Bool;
}

/// <summary>Parses and type-checks MLMD filter queries (<c>ListOperationOptions.filter_query</c>).</summary>
public static class FilterQuery
{
    /// <summary>Expressions nested deeper than this are refused (they would also exceed the databases' expression depth).</summary>
    public const int MaxDepth = 100;

    /// <summary>
    /// Parses <paramref name="query"/> for a list of <paramref name="kind"/> nodes. Returns null for a null, empty or blank query
    /// (no filter); throws <see cref="InvalidArgumentException"/> saying where and why for an invalid one.
    /// </summary>
    public static FilterExpression? Parse(string? query, NodeKind kind)
    {
        if (string.IsNullOrWhiteSpace(query)) return null;
        var syntax = FilterGrammar.ParseSyntax(query);
        var bound = new Binder(query, kind).Bind(syntax, 0);
        if (bound.Type != FilterType.Bool)
            throw FilterLexer.Error(query, syntax.Offset, Messages.FilterNotBoolean(FilterNames.TypeName(bound.Type)));
        return bound;
    }

    /// <summary>
    /// The value of a number literal's text (<see cref="long"/> for <see cref="FilterType.Int"/>, <see cref="double"/> for
    /// <see cref="FilterType.Double"/>), negated when a sign folds into it; false when it is out of range.
    /// </summary>
    internal static bool TryNumber(FilterType type, string text, bool negative, out object value)
    {
        value = 0L;
        if (type == FilterType.Double)
        {
            var d = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (!double.IsFinite(d)) return false;
            value = negative ? -d : d;
            return true;
        }

        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            if (!ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex)
                || hex > (negative ? 1UL << 63 : long.MaxValue))
                return false;
            value = negative ? unchecked(-(long)hex) : (long)hex;
            return true;
        }

        if (!long.TryParse(negative ? "-" + text : text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)) return false;
        value = number;
        return true;
    }

    private sealed class Binder(string query, NodeKind kind)
    {
        private InvalidArgumentException Error(int offset, string detail) => FilterLexer.Error(query, offset, detail);

        public FilterExpression Bind(Syntax syntax, int depth)
        {
            if (depth > MaxDepth) throw Error(syntax.Offset, Messages.FilterTooDeep(MaxDepth));
            var d = depth + 1;
            switch (syntax)
            {
                case SyntaxLiteral literal:
                    return BindLiteral(literal, negative: false);
                case SyntaxName name:
                    return ResolveName(name);
                case SyntaxUnary { Operator: "NOT" } not:
                    return new FilterNot(not.Offset, Expect(Bind(not.Operand, d), "NOT", not.Operand));
                case SyntaxUnary { Operand: SyntaxLiteral { Type: FilterType.Int or FilterType.Double } number } sign:
                    var folded = BindLiteral(number, negative: sign.Operator == "-");
                    return folded with { Offset = sign.Offset };
                case SyntaxUnary sign:
                    {
                        var operand = Bind(sign.Operand, d);
                        if (!IsNumeric(operand.Type)) throw Error(sign.Offset, Messages.FilterUnaryMismatch(sign.Operator, FilterNames.TypeName(operand.Type)));
                        return sign.Operator == "-" ? new FilterNegate(sign.Offset, operand) : operand;
                    }

                case SyntaxBinary { Operator: "AND" or "OR" } logic:
                    {
                        var op = logic.Operator == "AND" ? FilterOperator.And : FilterOperator.Or;
                        var left = Expect(Bind(logic.Left, d), logic.Operator, logic.Left);
                        var right = Expect(Bind(logic.Right, d), logic.Operator, logic.Right);
                        return new FilterBinary(logic.Offset, op, left, right, FilterType.Bool);
                    }

                case SyntaxBinary { Operator: "+" or "-" or "*" or "/" } arithmetic:
                    {
                        var left = Bind(arithmetic.Left, d);
                        var right = Bind(arithmetic.Right, d);
                        if (!IsNumeric(left.Type) || !IsNumeric(right.Type))
                            throw Error(arithmetic.Offset, Messages.FilterNoMatchingSignature(arithmetic.Operator, FilterNames.TypeName(left.Type), FilterNames.TypeName(right.Type)));
                        var op = arithmetic.Operator switch
                        {
                            "+" => FilterOperator.Add,
                            "-" => FilterOperator.Subtract,
                            "*" => FilterOperator.Multiply,
                            _ => FilterOperator.Divide,
                        };
                        var type = op != FilterOperator.Divide && left.Type == FilterType.Int && right.Type == FilterType.Int ? FilterType.Int : FilterType.Double;
                        return new FilterBinary(arithmetic.Offset, op, left, right, type);
                    }

                case SyntaxBinary comparison:
                    return BindComparison(comparison, d);
                case SyntaxLike like:
                    {
                        var value = Bind(like.Value, d);
                        if (IsEnum(value.Type)) throw Error(like.Offset, Messages.FilterEnumOperator(FieldText(value), "LIKE"));
                        if (like.Pattern is not SyntaxLiteral { Type: FilterType.String, Value: string pattern })
                        {
                            var patternType = Bind(like.Pattern, d).Type;
                            if (patternType != FilterType.String || value.Type != FilterType.String)
                                throw Error(like.Offset, Messages.FilterNoMatchingSignature("LIKE", FilterNames.TypeName(value.Type), FilterNames.TypeName(patternType)));
                            throw Error(like.Pattern.Offset, Messages.FilterLikePatternNotLiteral);
                        }

                        if (value.Type is not (FilterType.String or FilterType.Labels))
                            throw Error(like.Offset, Messages.FilterNoMatchingSignature("LIKE", FilterNames.TypeName(value.Type), "STRING"));
                        return new FilterLike(like.Offset, value, pattern, like.Negated);
                    }

                case SyntaxIn @in:
                    return BindIn(@in, d);
                case SyntaxIsNull isNull:
                    return new FilterIsNull(isNull.Offset, Bind(isNull.Value, d), isNull.Negated);
                default:
                    throw new InvalidOperationException("Unknown syntax node " + syntax.GetType().Name);
            }
        }

        private FilterExpression Expect(FilterExpression operand, string op, Syntax at)
        {
            if (operand.Type != FilterType.Bool) throw Error(at.Offset, Messages.FilterOperandNotBoolean(op, FilterNames.TypeName(operand.Type)));
            return operand;
        }

        private FilterLiteral BindLiteral(SyntaxLiteral literal, bool negative)
        {
            if (literal.Type is not (FilterType.Int or FilterType.Double)) return new FilterLiteral(literal.Offset, literal.Type, literal.Value);
            var text = (string)literal.Value;
            if (!TryNumber(literal.Type, text, negative, out var value))
            {
                throw Error(literal.Offset, literal.Type == FilterType.Int
                    ? Messages.FilterIntegerOutOfRange((negative ? "-" : string.Empty) + text)
                    : Messages.FilterBadNumber(text));
            }

            return new FilterLiteral(literal.Offset, literal.Type, value);
        }

        private FilterExpression BindComparison(SyntaxBinary comparison, int depth)
        {
            var op = comparison.Operator switch
            {
                "=" => FilterOperator.Equal,
                "!=" or "<>" => FilterOperator.NotEqual,
                "<" => FilterOperator.Less,
                "<=" => FilterOperator.LessOrEqual,
                ">" => FilterOperator.Greater,
                _ => FilterOperator.GreaterOrEqual,
            };
            var left = Bind(comparison.Left, depth);
            if (left.Type == FilterType.Labels)
            {
                if (op is not (FilterOperator.Equal or FilterOperator.NotEqual))
                    throw Error(comparison.Offset, Messages.FilterLabelsOperator(FieldText(left), comparison.Operator));
                var text = Bind(comparison.Right, depth);
                if (text.Type != FilterType.String)
                    throw Error(comparison.Right.Offset, Messages.FilterLabelsNeedString(FieldText(left), comparison.Operator, FilterNames.TypeName(text.Type)));
                return new FilterBinary(comparison.Offset, op, left, text, FilterType.Bool);
            }

            if (IsEnum(left.Type))
            {
                if (op is not (FilterOperator.Equal or FilterOperator.NotEqual))
                    throw Error(comparison.Offset, Messages.FilterEnumOperator(FieldText(left), comparison.Operator));
                var value = EnumValue(left, comparison.Right);
                var equal = new FilterBinary(comparison.Offset, op, left, value, FilterType.Bool);
                // MLMD rewrites `x != V` to `((x != v) OR (x IS NULL))`: an unset state differs from every value.
                return op == FilterOperator.Equal
                    ? equal
                    : new FilterBinary(comparison.Offset, FilterOperator.Or, equal, new FilterIsNull(comparison.Offset, left, Negated: false), FilterType.Bool);
            }

            var right = Bind(comparison.Right, depth);
            if (right.Type == FilterType.Labels) throw Error(comparison.Offset, Messages.FilterLabelsOnRight(FieldText(right)));
            if (IsEnum(right.Type)) throw Error(comparison.Offset, Messages.FilterEnumOnRight(FieldText(right), EnumNames(right.Type)[0]));
            if (!Comparable(left.Type, right.Type))
                throw Error(comparison.Offset, Messages.FilterNoMatchingSignature(comparison.Operator, FilterNames.TypeName(left.Type), FilterNames.TypeName(right.Type)));
            return new FilterBinary(comparison.Offset, op, left, right, FilterType.Bool);
        }

        private FilterExpression BindIn(SyntaxIn @in, int depth)
        {
            var value = Bind(@in.Value, depth);
            if (IsEnum(value.Type))
            {
                var items = @in.Items.Select(item => (FilterExpression)EnumValue(value, item)).ToList();
                var test = new FilterIn(@in.Offset, value, items, @in.Negated);
                return !@in.Negated
                    ? test
                    : new FilterBinary(@in.Offset, FilterOperator.Or, test, new FilterIsNull(@in.Offset, value, Negated: false), FilterType.Bool);
            }

            var bound = new List<FilterExpression>(@in.Items.Count);
            foreach (var item in @in.Items)
            {
                var b = Bind(item, depth);
                if (value.Type == FilterType.Labels)
                {
                    if (b.Type != FilterType.String)
                        throw Error(item.Offset, Messages.FilterLabelsNeedString(FieldText(value), @in.Negated ? "NOT IN" : "IN", FilterNames.TypeName(b.Type)));
                    bound.Add(b);
                    continue;
                }

                if (!Comparable(value.Type, b.Type))
                    throw Error(item.Offset, Messages.FilterNoMatchingSignature(@in.Negated ? "NOT IN" : "IN", FilterNames.TypeName(value.Type), FilterNames.TypeName(b.Type)));
                bound.Add(b);
            }

            return new FilterIn(@in.Offset, value, bound, @in.Negated);
        }

        private FilterLiteral EnumValue(FilterExpression field, Syntax value)
        {
            var accepted = EnumNames(field.Type);
            if (value is not SyntaxName { Segments: [{ Quoted: false } segment] })
            {
                var given = value switch
                {
                    SyntaxLiteral literal => literal.Text,
                    SyntaxName name => name.Text,
                    _ => "an expression",
                };
                throw Error(value.Offset, Messages.FilterEnumNeedsName(FieldText(field), given, string.Join(", ", accepted)));
            }

            var number = FilterNames.EnumNumber(field.Type, segment.Text);
            if (number is null) throw Error(value.Offset, Messages.FilterUnsupportedEnumValue(segment.Text, FieldText(field), string.Join(", ", accepted)));
            return new FilterLiteral(value.Offset, field.Type, number.Value);
        }

        private static string[] EnumNames(FilterType type) => FilterNames.EnumNames(type);

        private static string FieldText(FilterExpression e) => e switch
        {
            FilterField { Source: NeighbourSource n } f => n.Name + "." + f.Field,
            FilterField f => f.Field,
            _ => "the value",
        };

        private static bool IsNumeric(FilterType t) => t is FilterType.Int or FilterType.Double;

        private static bool IsEnum(FilterType t) => t is FilterType.ArtifactState or FilterType.ExecutionState or FilterType.EventType;

        private static bool Comparable(FilterType a, FilterType b) => a == b || (IsNumeric(a) && IsNumeric(b));

        // ------------------------------------------------------------------ names

        private FilterField ResolveName(SyntaxName name)
        {
            var segments = name.Segments;
            var head = segments[0];
            var attributes = FilterNames.Attributes(kind);

            if (head.Text is "properties" or "custom_properties" && !head.Quoted)
            {
                var custom = head.Text == "custom_properties";
                if (segments.Count == 1) throw Error(name.Offset, Messages.FilterBareProperties(head.Text));
                if (segments.Count == 2) throw Error(name.Offset, Messages.FilterPropertyNeedsKind(head.Text, Show(segments[1])));
                var valueKind = segments[2];
                var type = FilterNames.ValueKindType(valueKind.Text);
                if (type is null || valueKind.Quoted)
                    throw Error(valueKind.Offset, Messages.FilterUnknownValueKind(head.Text, Show(segments[1]), valueKind.Text, Suggest(valueKind.Text, FilterNames.ValueKinds)));
                if (segments.Count > 3) throw Error(segments[3].Offset, Messages.FilterTooManyParts(name.Text));
                return new FilterField(name.Offset, new PropertySource(segments[1].Text, custom), valueKind.Text, type.Value);
            }

            var neighbour = head.Quoted ? null : FilterNames.NeighbourOf(head.Text);
            if (neighbour is { } nb)
            {
                var prefix = FilterNames.PrefixOf(nb);
                var alias = head.Text[prefix.Length..];
                var fields = FilterNames.NeighbourFields(kind, nb);
                if (fields is null)
                    throw Error(name.Offset, Messages.FilterNeighbourNotForKind(head.Text, Messages.KindName(kind), string.Join(", ", FilterNames.NeighbourPrefixes(kind).Select(p => p + "<alias>"))));
                var fieldNames = string.Join(", ", fields.Select(f => f.Name));
                if (alias.Length == 0) throw Error(name.Offset, Messages.FilterUnrecognizedName(head.Text, null, ValidNames()));
                if (segments.Count == 1) throw Error(name.Offset, Messages.FilterNeighbourNeedsField(head.Text, fieldNames));
                var field = segments[1];
                var match = fields.FirstOrDefault(f => string.Equals(f.Name, field.Text, StringComparison.Ordinal));
                if (match.Name is null)
                    throw Error(field.Offset, Messages.FilterUnknownField(field.Text, head.Text, Suggest(field.Text, fields.Select(f => f.Name)), fieldNames));
                if (segments.Count > 2) throw Error(segments[2].Offset, Messages.FilterTooManyParts(name.Text));
                return new FilterField(name.Offset, new NeighbourSource(nb, alias), match.Name, match.Type);
            }

            var attribute = attributes.FirstOrDefault(a => string.Equals(a.Name, head.Text, StringComparison.Ordinal));
            if (attribute.Name is null)
            {
                var candidates = attributes.Select(a => a.Name).Concat(["properties", "custom_properties"]).Concat(FilterNames.NeighbourPrefixes(kind));
                throw Error(name.Offset, Messages.FilterUnrecognizedName(head.Text, Suggest(head.Text, candidates), ValidNames()));
            }

            if (segments.Count > 1) throw Error(segments[1].Offset, Messages.FilterAttributeHasNoFields(head.Text, segments[1].Text));
            return new FilterField(name.Offset, NodeSource.Instance, attribute.Name, attribute.Type);
        }

        private string ValidNames() =>
            string.Join(", ", FilterNames.Attributes(kind).Select(a => a.Name)
                .Concat(["properties.<name>.<int_value|double_value|string_value|bool_value>", "custom_properties.<name>.<…>"])
                .Concat(FilterNames.NeighbourPrefixes(kind).Select(p => p + "<alias>.<field>")));

        private static string Show(SyntaxSegment s) => s.Quoted ? "`" + s.Text + "`" : s.Text;

        /// <summary>The closest candidate within a small edit distance, for "did you mean".</summary>
        private static string? Suggest(string given, IEnumerable<string> candidates)
        {
            string? best = null;
            var bestDistance = int.MaxValue;
            foreach (var c in candidates)
            {
                var candidate = c.EndsWith('_') && given.StartsWith(c, StringComparison.Ordinal) ? given : c;
                var d = Spelling.EditDistance(given, candidate);
                if (d < bestDistance)
                {
                    best = candidate;
                    bestDistance = d;
                }
            }

            return bestDistance <= 2 && bestDistance < given.Length ? best : null;
        }
    }
}

/// <summary>The names a filter may use, per node kind (mlmd.md §6.1).</summary>
public static class FilterNames
{
    private static readonly (string Name, FilterType Type)[] Common =
    [
        ("id", FilterType.Int), ("type_id", FilterType.Int), ("type", FilterType.String), ("name", FilterType.String),
        ("external_id", FilterType.String), ("create_time_since_epoch", FilterType.Int), ("last_update_time_since_epoch", FilterType.Int),
        ("tags", FilterType.Labels), ("owners", FilterType.Labels),
    ];

    private static readonly (string Name, FilterType Type)[] ArtifactAttributes = [.. Common, ("uri", FilterType.String), ("state", FilterType.ArtifactState)];

    private static readonly (string Name, FilterType Type)[] ExecutionAttributes = [.. Common, ("last_known_state", FilterType.ExecutionState)];

    private static readonly (string Name, FilterType Type)[] ContextFields =
    [
        ("id", FilterType.Int), ("name", FilterType.String), ("type", FilterType.String),
        ("create_time_since_epoch", FilterType.Int), ("last_update_time_since_epoch", FilterType.Int),
        ("tags", FilterType.Labels), ("owners", FilterType.Labels),
    ];

    private static readonly (string Name, FilterType Type)[] ContextLinkFields =
        [("id", FilterType.Int), ("name", FilterType.String), ("type", FilterType.String), ("tags", FilterType.Labels), ("owners", FilterType.Labels)];

    private static readonly (string Name, FilterType Type)[] ArtifactEventFields =
        [("execution_id", FilterType.Int), ("type", FilterType.EventType), ("milliseconds_since_epoch", FilterType.Int)];

    private static readonly (string Name, FilterType Type)[] ExecutionEventFields =
        [("artifact_id", FilterType.Int), ("type", FilterType.EventType), ("milliseconds_since_epoch", FilterType.Int)];

    private static readonly (string Name, FilterType Type)[] ArtifactFields =
    [
        ("id", FilterType.Int), ("name", FilterType.String), ("type", FilterType.String), ("state", FilterType.ArtifactState),
        ("uri", FilterType.String), ("external_id", FilterType.String),
        ("create_time_since_epoch", FilterType.Int), ("last_update_time_since_epoch", FilterType.Int),
        ("tags", FilterType.Labels), ("owners", FilterType.Labels),
    ];

    private static readonly (string Name, FilterType Type)[] ExecutionFields =
    [
        ("id", FilterType.Int), ("name", FilterType.String), ("type", FilterType.String), ("last_known_state", FilterType.ExecutionState),
        ("external_id", FilterType.String), ("create_time_since_epoch", FilterType.Int), ("last_update_time_since_epoch", FilterType.Int),
        ("tags", FilterType.Labels), ("owners", FilterType.Labels),
    ];

    // Order matters: the longer prefixes first, so parent_contexts_a is not read as contexts_….
    private static readonly (string Prefix, FilterNeighbour Neighbour)[] Prefixes =
    [
        ("parent_contexts_", FilterNeighbour.ParentContexts), ("child_contexts_", FilterNeighbour.ChildContexts),
        ("contexts_", FilterNeighbour.Contexts), ("events_", FilterNeighbour.Events),
        ("artifacts_", FilterNeighbour.Artifacts), ("executions_", FilterNeighbour.Executions),
    ];

    /// <summary>The property value kinds a filter may read.</summary>
    public static IReadOnlyList<string> ValueKinds { get; } = ["int_value", "double_value", "string_value", "bool_value"];

    /// <summary>Artifact states a filter accepts (MLMD maps no others: ABANDONED and REFERENCE are refused).</summary>
    public static IReadOnlyList<(string Name, ArtifactState Value)> ArtifactStates { get; } =
    [
        ("UNKNOWN", ArtifactState.Unknown), ("PENDING", ArtifactState.Pending), ("LIVE", ArtifactState.Live),
        ("MARKED_FOR_DELETION", ArtifactState.MarkedForDeletion), ("DELETED", ArtifactState.Deleted),
    ];

    /// <summary>Execution states a filter accepts.</summary>
    public static IReadOnlyList<(string Name, ExecutionState Value)> ExecutionStates { get; } =
    [
        ("UNKNOWN", ExecutionState.Unknown), ("NEW", ExecutionState.New), ("RUNNING", ExecutionState.Running),
        ("COMPLETE", ExecutionState.Complete), ("FAILED", ExecutionState.Failed), ("CACHED", ExecutionState.Cached),
        ("CANCELED", ExecutionState.Canceled),
    ];

    /// <summary>Event types a filter accepts (MLMD maps neither UNKNOWN nor PENDING_OUTPUT).</summary>
    public static IReadOnlyList<(string Name, EventType Value)> EventTypes { get; } =
    [
        ("INPUT", EventType.Input), ("OUTPUT", EventType.Output), ("DECLARED_INPUT", EventType.DeclaredInput),
        ("DECLARED_OUTPUT", EventType.DeclaredOutput), ("INTERNAL_INPUT", EventType.InternalInput), ("INTERNAL_OUTPUT", EventType.InternalOutput),
    ];

    /// <summary>The attributes of a node of <paramref name="kind"/> and their types.</summary>
    public static IReadOnlyList<(string Name, FilterType Type)> Attributes(NodeKind kind) => kind switch
    {
        NodeKind.Artifact => ArtifactAttributes,
        NodeKind.Execution => ExecutionAttributes,
        _ => Common,
    };

    /// <summary>The neighbour prefixes usable when listing <paramref name="kind"/>.</summary>
    public static IReadOnlyList<string> NeighbourPrefixes(NodeKind kind) => kind == NodeKind.Context
        ? ["parent_contexts_", "child_contexts_", "artifacts_", "executions_"]
        : ["contexts_", "events_"];

    /// <summary>The fields of a neighbour when listing <paramref name="kind"/>, or null when it is not a neighbour of that kind.</summary>
    public static IReadOnlyList<(string Name, FilterType Type)>? NeighbourFields(NodeKind kind, FilterNeighbour neighbour) => (kind, neighbour) switch
    {
        (NodeKind.Artifact or NodeKind.Execution, FilterNeighbour.Contexts) => ContextFields,
        (NodeKind.Artifact, FilterNeighbour.Events) => ArtifactEventFields,
        (NodeKind.Execution, FilterNeighbour.Events) => ExecutionEventFields,
        (NodeKind.Context, FilterNeighbour.ParentContexts or FilterNeighbour.ChildContexts) => ContextLinkFields,
        (NodeKind.Context, FilterNeighbour.Artifacts) => ArtifactFields,
        (NodeKind.Context, FilterNeighbour.Executions) => ExecutionFields,
        _ => null,
    };

    /// <summary>The prefix of a neighbour alias, e.g. <c>contexts_</c>.</summary>
    public static string PrefixOf(FilterNeighbour neighbour) => Prefixes.First(p => p.Neighbour == neighbour).Prefix;

    /// <summary>The neighbour an identifier names by its prefix, or null.</summary>
    public static FilterNeighbour? NeighbourOf(string identifier)
    {
        foreach (var (prefix, neighbour) in Prefixes)
        {
            if (identifier.StartsWith(prefix, StringComparison.Ordinal)) return neighbour;
        }

        return null;
    }

    /// <summary>The type of a property value kind (<c>int_value</c> → INT64), or null.</summary>
    public static FilterType? ValueKindType(string valueKind) => valueKind switch
    {
        "int_value" => FilterType.Int,
        "double_value" => FilterType.Double,
        "string_value" => FilterType.String,
        "bool_value" => FilterType.Bool,
        _ => null,
    };

    /// <summary>The accepted names of an enum type.</summary>
    public static string[] EnumNames(FilterType type) => type switch
    {
        FilterType.ArtifactState => [.. ArtifactStates.Select(s => s.Name)],
        FilterType.ExecutionState => [.. ExecutionStates.Select(s => s.Name)],
        FilterType.EventType => [.. EventTypes.Select(s => s.Name)],
        _ => [],
    };

    /// <summary>The stored number of an accepted enum name, or null when the name is not accepted.</summary>
    public static long? EnumNumber(FilterType type, string name)
    {
        int? value = type switch
        {
            FilterType.ArtifactState => ArtifactStates.Where(s => s.Name == name).Select(s => (int?)s.Value).FirstOrDefault(),
            FilterType.ExecutionState => ExecutionStates.Where(s => s.Name == name).Select(s => (int?)s.Value).FirstOrDefault(),
            FilterType.EventType => EventTypes.Where(s => s.Name == name).Select(s => (int?)s.Value).FirstOrDefault(),
            _ => null,
        };
        return value;
    }

    /// <summary>ZetaSQL's name of a type, for messages.</summary>
    public static string TypeName(FilterType type) => type switch
    {
        FilterType.Bool => "BOOL",
        FilterType.Int => "INT64",
        FilterType.Double => "DOUBLE",
        FilterType.String => "STRING",
        FilterType.ArtifactState => "ENUM<Artifact.State>",
        FilterType.ExecutionState => "ENUM<Execution.State>",
        FilterType.Labels => "ARRAY<STRING>",
        _ => "ENUM<Event.Type>",
    };
}
