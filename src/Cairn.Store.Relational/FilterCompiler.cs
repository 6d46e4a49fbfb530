using System.Data.Common;
using System.Globalization;
using System.Text;
using Cairn.Query;

namespace Cairn.Store.Relational;

/// <summary>A compiled filter: extra joins on the node alias <c>n</c>, a condition, and the binding of its parameters.</summary>
internal sealed record CompiledFilter(string Join, string Where, Action<DbCommand> Bind);

/// <summary>
/// Compiles a filter query into SQL over the node alias <c>n</c> (and its type <c>t</c>); every value from the query is a parameter.
/// </summary>
/// <remarks>
/// MLMD joins one row per property and per neighbour alias with INNER JOINs and keeps the node when some combination of rows makes the
/// expression true. Properties have at most one row per node, so they are joined directly. Neighbours can have many rows, so the
/// expression is put in negation normal form and split: the conjuncts touching one alias become one <c>IN</c>/<c>EXISTS</c> subquery
/// (the conditions on an alias then hold for the same row), an OR distributes the existence over its branches. Nodes come out once
/// each without DISTINCT. In negation normal form the expression is monotone, so a leaf that would be NULL may be compiled as false:
/// that lets a property predicate carry its value-kind guard and still hit the partial value indexes.
/// </remarks>
internal sealed class FilterCompiler
{
    private readonly NodeTable _table;
    private readonly ISqlDialect _dialect;
    private readonly List<(string Name, object Value, ParameterSource Source)> _parameters = [];
    private readonly Dictionary<PropertySource, string> _properties = [];
    private readonly Dictionary<NeighbourSource, string> _neighbours = [];
    private readonly HashSet<NeighbourSource> _typedNeighbours = [];

    private FilterCompiler(NodeTable table, ISqlDialect dialect)
    {
        _table = table;
        _dialect = dialect;
    }

    /// <summary>Parses and compiles <paramref name="query"/> for a list of <paramref name="table"/>'s nodes; null when there is no filter.</summary>
    /// <remarks>
    /// Queries that differ only in their literals (<c>contexts_c.name = 'run-1'</c>, <c>… = 'run-2'</c>) have one
    /// <see cref="FilterShape"/>: the first is parsed and compiled, and its SQL kept with a recipe saying which literal each
    /// parameter takes; the others only scan their text and bind their own literals. A literal that is out of range takes the
    /// full path again, so the error is the parser's.
    /// </remarks>
    public static CompiledFilter? Compile(string? query, NodeTable table, ISqlDialect dialect)
    {
        if (string.IsNullOrWhiteSpace(query)) return null;
        var shape = FilterShape.Of(query);
        var key = (shape.Key, table.Kind, dialect.GetType());
        if (Cache.TryGetValue(key, out var template))
        {
            if (template is not null && template.TryBind(shape, dialect) is { } bound) return bound;
            return CompileNew(query, table, dialect, shape).Filter;
        }

        var (filter, newTemplate) = CompileNew(query, table, dialect, shape);
        if (Cache.Count >= MaxCached) Cache.Clear();
        Cache[key] = newTemplate;
        return filter;
    }

    /// <summary>Compiled shapes kept (a filter's shape is typed by a person or built by a program from a few templates).</summary>
    private const int MaxCached = 1024;

    // A template is immutable (SQL and a recipe), so it is shared between calls and threads. Null: the shape cannot be shared.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string, NodeKind, Type), FilterTemplate?> Cache = new();

    /// <summary>Parses and compiles <paramref name="query"/> without the shape cache (for tests comparing the two paths).</summary>
    internal static CompiledFilter? CompileUncached(string? query, NodeTable table, ISqlDialect dialect) =>
        string.IsNullOrWhiteSpace(query) ? null : CompileNew(query, table, dialect, FilterShape.Of(query)).Filter;

    private static (CompiledFilter Filter, FilterTemplate? Template) CompileNew(string query, NodeTable table, ISqlDialect dialect, FilterShape shape)
    {
        var expression = FilterQuery.Parse(query, table.Kind)!;
        var compiler = new FilterCompiler(table, dialect);
        var normal = Normalize(expression, negate: false);
        compiler.Register(normal);
        var where = compiler.Exists([.. compiler._neighbours.Keys], normal);

        var join = new StringBuilder();
        foreach (var (property, alias) in compiler._properties)
        {
            var name = compiler.Parameter(property.Name);
            join.Append(CultureInfo.InvariantCulture,
                $" JOIN {table.PropertyTable} {alias} ON {alias}.node_id = n.id AND {alias}.is_custom = {(property.IsCustom ? 1 : 0)} AND {alias}.name = {name}");
        }

        var parameters = compiler._parameters;
        var names = parameters.Select(p => p.Name).ToArray();
        var values = parameters.Select(p => p.Value).ToArray();
        var filter = new CompiledFilter(join.ToString(), where, command =>
        {
            for (var i = 0; i < names.Length; i++) Session.Bind(command, names[i], values[i]);
        });
        return (filter, FilterTemplate.Create(filter.Join, filter.Where, parameters, shape, dialect));
    }

    /// <summary>Where a parameter's value comes from: a constant (<see cref="Offset"/> −1), or the query's literal at an offset.</summary>
    private readonly record struct ParameterSource(int Offset, bool LikePattern)
    {
        public static ParameterSource Constant => new(-1, false);
    }

    /// <summary>The SQL of a filter shape and, per parameter, a constant or the literal (and how) that gives its value.</summary>
    private sealed class FilterTemplate
    {
        private readonly string _join;
        private readonly string _where;
        private readonly string[] _names;
        private readonly object?[] _constants;
        private readonly int[] _literals;
        private readonly bool[] _likePatterns;
        private readonly bool[] _negated;

        private FilterTemplate(string join, string where, string[] names, object?[] constants, int[] literals, bool[] likePatterns, bool[] negated)
        {
            _join = join;
            _where = where;
            _names = names;
            _constants = constants;
            _literals = literals;
            _likePatterns = likePatterns;
            _negated = negated;
        }

        /// <summary>The template of a freshly compiled query, or null when some parameter cannot be traced to one token of its shape.</summary>
        public static FilterTemplate? Create(string join, string where, List<(string Name, object Value, ParameterSource Source)> parameters, FilterShape shape, ISqlDialect dialect)
        {
            var n = parameters.Count;
            var constants = new object?[n];
            var literals = new int[n];
            var likes = new bool[n];
            var negated = new bool?[shape.LiteralCount];
            for (var i = 0; i < n; i++)
            {
                var (_, value, source) = parameters[i];
                literals[i] = -1;
                if (source.Offset < 0)
                {
                    constants[i] = value;
                    continue;
                }

                int literal;
                bool negate;
                if (source.LikePattern)
                {
                    (literal, negate) = (shape.StringLiteralFrom(source.Offset), false);
                    likes[i] = true;
                }
                else
                {
                    var (origin, index, sign) = shape.OriginOf(source.Offset);
                    if (origin == FilterOrigin.Constant)
                    {
                        constants[i] = value;
                        continue;
                    }

                    if (origin != FilterOrigin.Literal) return null;
                    (literal, negate) = (index, sign);
                }

                if (literal < 0 || (negated[literal] is { } seen && seen != negate)) return null;
                negated[literal] = negate;
                literals[i] = literal;
            }

            // Every literal must feed some parameter (so its value, and its range error, are accounted for).
            if (negated.Any(x => x is null)) return null;
            var template = new FilterTemplate(join, where, [.. parameters.Select(p => p.Name)], constants, literals, likes, [.. negated.Select(x => x!.Value)]);

            // The recipe must give back this query's own values; anything else means it misreads the shape.
            var replay = template.Values(shape, dialect);
            if (replay is null) return null;
            for (var i = 0; i < n; i++)
            {
                if (!Equals(replay[i], parameters[i].Value)) return null;
            }

            return template;
        }

        /// <summary>The compiled filter of a query of this shape, or null when one of its numbers is out of range.</summary>
        public CompiledFilter? TryBind(FilterShape shape, ISqlDialect dialect)
        {
            if (Values(shape, dialect) is not { } values) return null;
            var names = _names;
            return new CompiledFilter(_join, _where, command =>
            {
                for (var i = 0; i < names.Length; i++) Session.Bind(command, names[i], values[i]);
            });
        }

        private object?[]? Values(FilterShape shape, ISqlDialect dialect)
        {
            var literals = new object[shape.LiteralCount];
            for (var i = 0; i < literals.Length; i++)
            {
                if (!shape.TryLiteralValue(i, _negated[i], out literals[i])) return null;
            }

            var values = new object?[_names.Length];
            for (var i = 0; i < values.Length; i++)
            {
                var literal = _literals[i];
                values[i] = literal < 0 ? _constants[i]
                    : _likePatterns[i] ? dialect.LikePattern((string)literals[literal])
                    : literals[literal];
            }

            return values;
        }
    }

    // ------------------------------------------------------------------ negation normal form

    /// <summary>Pushes NOT down to the leaves (exact in three-valued logic) and turns a bare boolean field into <c>field = true</c>.</summary>
    private static FilterExpression Normalize(FilterExpression e, bool negate) => e switch
    {
        FilterNot not => Normalize(not.Operand, !negate),
        FilterBinary { Operator: FilterOperator.And or FilterOperator.Or } b => b with
        {
            Operator = negate ? (b.Operator == FilterOperator.And ? FilterOperator.Or : FilterOperator.And) : b.Operator,
            Left = Normalize(b.Left, negate),
            Right = Normalize(b.Right, negate),
        },
        FilterBinary b when negate && IsComparison(b.Operator) => b with { Operator = Inverse(b.Operator) },
        FilterLike like => like with { Negated = like.Negated ^ negate },
        FilterIn @in => @in with { Negated = @in.Negated ^ negate },
        FilterIsNull isNull => isNull with { Negated = isNull.Negated ^ negate },
        FilterLiteral { Value: bool value } literal => literal with { Value = value ^ negate },
        FilterField { Type: FilterType.Bool } field =>
            new FilterBinary(field.Offset, FilterOperator.Equal, field, new FilterLiteral(field.Offset, FilterType.Bool, !negate), FilterType.Bool),
        _ => e,
    };

    private static bool IsComparison(FilterOperator op) => op is >= FilterOperator.Equal and <= FilterOperator.GreaterOrEqual;

    private static FilterOperator Inverse(FilterOperator op) => op switch
    {
        FilterOperator.Equal => FilterOperator.NotEqual,
        FilterOperator.NotEqual => FilterOperator.Equal,
        FilterOperator.Less => FilterOperator.GreaterOrEqual,
        FilterOperator.LessOrEqual => FilterOperator.Greater,
        FilterOperator.Greater => FilterOperator.LessOrEqual,
        _ => FilterOperator.Less,
    };

    // ------------------------------------------------------------------ aliases

    private void Register(FilterExpression e)
    {
        foreach (var field in Fields(e))
        {
            switch (field.Source)
            {
                case PropertySource p when !_properties.ContainsKey(p):
                    _properties[p] = "fp" + _properties.Count.ToString(CultureInfo.InvariantCulture);
                    break;
                case NeighbourSource n:
                    if (!_neighbours.ContainsKey(n)) _neighbours[n] = "fn" + _neighbours.Count.ToString(CultureInfo.InvariantCulture);
                    if (field.Field == "type" && n.Neighbour != FilterNeighbour.Events) _typedNeighbours.Add(n);
                    break;
            }
        }
    }

    private static IEnumerable<FilterField> Fields(FilterExpression e)
    {
        var stack = new Stack<FilterExpression>();
        stack.Push(e);
        while (stack.Count > 0)
        {
            switch (stack.Pop())
            {
                case FilterField f: yield return f; break;
                case FilterBinary b: stack.Push(b.Left); stack.Push(b.Right); break;
                case FilterNot n: stack.Push(n.Operand); break;
                case FilterNegate n: stack.Push(n.Operand); break;
                case FilterLike l: stack.Push(l.Value); break;
                case FilterIsNull i: stack.Push(i.Value); break;
                case FilterIn i:
                    stack.Push(i.Value);
                    foreach (var item in i.Items) stack.Push(item);
                    break;
            }
        }
    }

    private static HashSet<NeighbourSource> NeighboursOf(FilterExpression e) =>
        [.. Fields(e).Select(f => f.Source).OfType<NeighbourSource>()];

    private static void Flatten(FilterExpression e, FilterOperator op, List<FilterExpression> into)
    {
        if (e is FilterBinary b && b.Operator == op)
        {
            Flatten(b.Left, op, into);
            Flatten(b.Right, op, into);
        }
        else
        {
            into.Add(e);
        }
    }

    /// <summary>SQL for "some row of each alias in <paramref name="required"/> makes <paramref name="e"/> true".</summary>
    private string Exists(IReadOnlyCollection<NeighbourSource> required, FilterExpression e)
    {
        if (required.Count == 0) return Predicate(e, exact: false);

        var branches = new List<FilterExpression>();
        Flatten(e, FilterOperator.Or, branches);
        if (branches.Count > 1) return "(" + string.Join(" OR ", branches.Select(b => Exists(required, b))) + ")";

        var conjuncts = new List<FilterExpression>();
        Flatten(e, FilterOperator.And, conjuncts);

        // Aliases that appear together in one conjunct must be bound together: group them (union-find on a small set).
        var group = required.ToDictionary(n => n, n => n);
        NeighbourSource Find(NeighbourSource n) => group[n] == n ? n : group[n] = Find(group[n]);
        var used = conjuncts.Select(NeighboursOf).ToList();
        foreach (var set in used)
        {
            var first = set.FirstOrDefault();
            if (first is null) continue;
            foreach (var other in set) group[Find(other)] = Find(first);
        }

        var parts = new List<string>();
        for (var i = 0; i < conjuncts.Count; i++)
        {
            if (used[i].Count == 0) parts.Add(Predicate(conjuncts[i], exact: false));
        }

        foreach (var root in required.Where(n => Find(n) == n))
        {
            var members = required.Where(n => Find(n) == root).ToList();
            var terms = conjuncts.Where((_, i) => used[i].Count > 0 && Find(used[i].First()) == root).ToList();
            parts.Add(Subquery(members, terms));
        }

        return parts.Count == 1 ? parts[0] : "(" + string.Join(" AND ", parts) + ")";
    }

    /// <summary>An <c>IN</c> (uncorrelated, so the planner can start from the neighbour) or <c>EXISTS</c> subquery over some aliases.</summary>
    private string Subquery(List<NeighbourSource> members, List<FilterExpression> terms)
    {
        var from = new List<string>();
        var links = new List<string>();
        foreach (var member in members)
        {
            var (source, link) = NeighbourFrom(member);
            from.Add(source);
            links.Add(link);
        }

        var conditions = new List<string>();
        for (var i = 1; i < links.Count; i++) conditions.Add($"{links[i]} = {links[0]}");
        conditions.AddRange(terms.Select(t => Predicate(t, exact: false)));
        var correlated = terms.SelectMany(Fields).Any(f => f.Source is not NeighbourSource);
        var fromSql = string.Join(", ", from);
        if (correlated)
        {
            conditions.Insert(0, $"{links[0]} = n.id");
            return $"EXISTS (SELECT 1 FROM {fromSql} WHERE {string.Join(" AND ", conditions)})";
        }

        var where = conditions.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", conditions);
        return $"n.id IN (SELECT {links[0]} FROM {fromSql}{where})";
    }

    /// <summary>The FROM fragment of a neighbour alias and the column that holds the listed node's id.</summary>
    private (string From, string Link) NeighbourFrom(NeighbourSource n)
    {
        var a = _neighbours[n];
        var typed = _typedNeighbours.Contains(n) ? $" JOIN type {a}t ON {a}t.id = {a}.type_id" : string.Empty;
        return (n.Neighbour, _table.Kind) switch
        {
            (FilterNeighbour.Contexts, NodeKind.Artifact) => ($"attribution {a}l JOIN context {a} ON {a}.id = {a}l.context_id{typed}", $"{a}l.artifact_id"),
            (FilterNeighbour.Contexts, _) => ($"association {a}l JOIN context {a} ON {a}.id = {a}l.context_id{typed}", $"{a}l.execution_id"),
            (FilterNeighbour.Events, NodeKind.Artifact) => ($"event {a}", $"{a}.artifact_id"),
            (FilterNeighbour.Events, _) => ($"event {a}", $"{a}.execution_id"),
            (FilterNeighbour.ParentContexts, _) => ($"parent_context {a}l JOIN context {a} ON {a}.id = {a}l.parent_id{typed}", $"{a}l.child_id"),
            (FilterNeighbour.ChildContexts, _) => ($"parent_context {a}l JOIN context {a} ON {a}.id = {a}l.child_id{typed}", $"{a}l.parent_id"),
            (FilterNeighbour.Artifacts, _) => ($"attribution {a}l JOIN artifact {a} ON {a}.id = {a}l.artifact_id{typed}", $"{a}l.context_id"),
            _ => ($"association {a}l JOIN execution {a} ON {a}.id = {a}l.execution_id{typed}", $"{a}l.context_id"),
        };
    }

    // ------------------------------------------------------------------ predicates and values

    /// <summary>
    /// SQL for a condition. With <paramref name="exact"/> false the input is in negation normal form and a leaf may be false where
    /// MLMD's would be NULL; with <paramref name="exact"/> true it keeps three-valued logic exactly (for conditions used as values).
    /// </summary>
    private string Predicate(FilterExpression e, bool exact)
    {
        switch (e)
        {
            case FilterBinary { Operator: FilterOperator.And or FilterOperator.Or } b:
                {
                    var terms = new List<FilterExpression>();
                    Flatten(b, b.Operator, terms);
                    var op = b.Operator == FilterOperator.And ? " AND " : " OR ";
                    return "(" + string.Join(op, terms.Select(t => Predicate(t, exact))) + ")";
                }

            case FilterNot not:
                return $"(NOT {Predicate(not.Operand, exact)})";
            case FilterLiteral { Value: bool value }:
                return value ? "(1 = 1)" : "(1 = 0)";
            case FilterField { Type: FilterType.Bool } field:
                return $"({Value(field, direct: false)} <> 0)";
            case FilterBinary { Left: FilterField { Type: FilterType.Labels } labels } b:
                return LabelTest(labels, "fl.value = " + Value(b.Right, direct: false), negated: b.Operator == FilterOperator.NotEqual);
            case FilterIn { Value: FilterField { Type: FilterType.Labels } labels } @in:
                return LabelTest(labels, $"fl.value IN ({string.Join(", ", @in.Items.Select(i => Value(i, direct: false)))})", @in.Negated);
            case FilterLike { Value: FilterField { Type: FilterType.Labels } labels } like:
                return LabelTest(labels, _dialect.Like("fl.value", Parameter(_dialect.LikePattern(like.Pattern), new ParameterSource(like.Offset, LikePattern: true))), like.Negated);
            case FilterIsNull { Value: FilterField { Type: FilterType.Labels } labels } isNull:
                // A node without tags has a NULL (empty) tags field.
                return LabelTest(labels, null, negated: !isNull.Negated);
            case FilterBinary b:
                return Guarded($"({Value(b.Left, !exact)} {Sql(b.Operator)} {Value(b.Right, !exact)})", exact, b.Left, b.Right);
            case FilterLike like:
                {
                    var test = _dialect.Like(Value(like.Value, !exact), Parameter(_dialect.LikePattern(like.Pattern), new ParameterSource(like.Offset, LikePattern: true)));
                    return Guarded(like.Negated ? $"(NOT ({test}))" : $"({test})", exact, like.Value);
                }

            case FilterIn @in:
                {
                    var items = string.Join(", ", @in.Items.Select(i => Value(i, direct: false)));
                    return Guarded($"({Value(@in.Value, !exact)} {(@in.Negated ? "NOT IN" : "IN")} ({items}))", exact, @in.Value);
                }

            case FilterIsNull { Value: FilterField { Source: PropertySource p } field } isNull when !exact:
                // The property row exists (inner join); its value of this kind is NULL exactly when the row holds another kind.
                return $"({_properties[p]}.kind {(isNull.Negated ? "=" : "<>")} {(int)KindOf(field.Field)})";
            case FilterIsNull isNull:
                return $"({Value(isNull.Value, direct: false)} IS {(isNull.Negated ? "NOT " : string.Empty)}NULL)";
            default:
                throw new InvalidOperationException("Not a condition: " + e.GetType().Name);
        }
    }

    /// <summary>
    /// "Some tag (owner) of the node satisfies <paramref name="valueTest"/>" (any tag when null), or with <paramref name="negated"/>
    /// "none does". Uncorrelated, so the planner may start from the label table's (label, value, node_id) index.
    /// </summary>
    private string LabelTest(FilterField field, string? valueTest, bool negated)
    {
        var (table, id) = field.Source switch
        {
            NeighbourSource n => (n.Neighbour switch
            {
                FilterNeighbour.Artifacts => NodeTable.Artifact,
                FilterNeighbour.Executions => NodeTable.Execution,
                _ => NodeTable.Context,
            }, _neighbours[n] + ".id"),
            _ => (_table, "n.id"),
        };
        var label = field.Field == "owners" ? LabelKinds.Owner : LabelKinds.Tag;
        var test = valueTest is null ? string.Empty : " AND " + valueTest;
        return $"({id} {(negated ? "NOT IN" : "IN")} (SELECT fl.node_id FROM {table.LabelTable} fl WHERE fl.label = {label}{test}))";
    }

    /// <summary>Adds the value-kind guard of each property field used directly as an operand.</summary>
    private string Guarded(string sql, bool exact, params FilterExpression[] operands)
    {
        if (exact) return sql;
        var guards = operands.OfType<FilterField>()
            .Where(f => f.Source is PropertySource)
            .Select(f => $"{_properties[(PropertySource)f.Source]}.kind = {(int)KindOf(f.Field)}")
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return guards.Count == 0 ? sql : $"({sql} AND {string.Join(" AND ", guards)})";
    }

    /// <summary>
    /// SQL for a value. A property field used <paramref name="direct"/>ly is its raw column (the caller adds the kind guard);
    /// elsewhere it is NULL unless the stored value has the field's kind, as MLMD's separate value columns are.
    /// </summary>
    private string Value(FilterExpression e, bool direct)
    {
        switch (e)
        {
            case FilterLiteral literal:
                return Parameter(literal.Value switch
                {
                    bool b => b ? 1L : 0L,
                    var v => v,
                }, new ParameterSource(literal.Offset, LikePattern: false));
            case FilterField { Source: NodeSource } field:
                return NodeColumn(field.Field);
            case FilterField { Source: PropertySource p } field:
                {
                    var column = $"{_properties[p]}.{ValueColumn(field.Field)}";
                    return direct ? column : $"(CASE WHEN {_properties[p]}.kind = {(int)KindOf(field.Field)} THEN {column} END)";
                }

            case FilterField { Source: NeighbourSource n } field:
                return NeighbourColumn(n, field.Field);
            case FilterNegate negate:
                return $"(-{Value(negate.Operand, direct: false)})";
            case FilterBinary { Operator: FilterOperator.Divide } divide:
                return $"(CAST({Value(divide.Left, direct: false)} AS DOUBLE PRECISION) / {Value(divide.Right, direct: false)})";
            case FilterBinary { Operator: FilterOperator.Add or FilterOperator.Subtract or FilterOperator.Multiply } arithmetic:
                return $"({Value(arithmetic.Left, direct: false)} {Sql(arithmetic.Operator)} {Value(arithmetic.Right, direct: false)})";
            default:
                {
                    // A condition used as a value (e.g. (id = 1) = true): 1, 0 or NULL, as ZetaSQL's BOOL.
                    var condition = Predicate(e, exact: true);
                    return $"(CASE WHEN {condition} THEN 1 WHEN NOT {condition} THEN 0 END)";
                }
        }
    }

    private string Parameter(object value) => Parameter(value, ParameterSource.Constant);

    private string Parameter(object value, ParameterSource source)
    {
        var name = "@f" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        _parameters.Add((name, value, source));
        return name;
    }

    private static string Sql(FilterOperator op) => op switch
    {
        FilterOperator.Equal => "=",
        FilterOperator.NotEqual => "<>",
        FilterOperator.Less => "<",
        FilterOperator.LessOrEqual => "<=",
        FilterOperator.Greater => ">",
        FilterOperator.GreaterOrEqual => ">=",
        FilterOperator.Add => "+",
        FilterOperator.Subtract => "-",
        FilterOperator.Multiply => "*",
        _ => "/",
    };

    private static ValueKind KindOf(string valueField) => valueField switch
    {
        "int_value" => ValueKind.Int,
        "double_value" => ValueKind.Double,
        "string_value" => ValueKind.String,
        _ => ValueKind.Bool,
    };

    private static string ValueColumn(string valueField) => valueField switch
    {
        "double_value" => "double_value",
        "string_value" => "string_value",
        _ => "int_value",
    };

    private static string NodeColumn(string field) => field switch
    {
        "id" => "n.id",
        "type_id" => "n.type_id",
        "type" => "t.name",
        "name" => "n.name",
        "external_id" => "n.external_id",
        "create_time_since_epoch" => "n.create_time",
        "last_update_time_since_epoch" => "n.update_time",
        "uri" => "n.uri",
        _ => "n.state",
    };

    private string NeighbourColumn(NeighbourSource n, string field)
    {
        var a = _neighbours[n];
        if (n.Neighbour == FilterNeighbour.Events)
        {
            return field switch
            {
                "type" => $"{a}.type",
                "milliseconds_since_epoch" => $"{a}.time",
                "artifact_id" => $"{a}.artifact_id",
                _ => $"{a}.execution_id",
            };
        }

        return field switch
        {
            "type" => $"{a}t.name",
            "create_time_since_epoch" => $"{a}.create_time",
            "last_update_time_since_epoch" => $"{a}.update_time",
            "state" or "last_known_state" => $"{a}.state",
            _ => $"{a}.{field}",
        };
    }
}
