using System.Text;
using Cairn.Query;
using Xunit;

namespace Cairn.Core.Tests;

/// <summary>The filter-query corpus (mlmd.md §6): what MLMD accepts is parsed, what it rejects is InvalidArgument, never anything else.</summary>
public sealed class FilterQueryParserTests
{
    private const NodeKind A = NodeKind.Artifact;
    private const NodeKind E = NodeKind.Execution;
    private const NodeKind C = NodeKind.Context;

    public static TheoryData<NodeKind, string> Valid => new()
    {
        // §6.3, row by row.
        { A, "id != 1" }, { A, "id IN (1, 3)" }, { A, "type_id = 5" },
        { A, "type = 'my_type_name'" }, { A, "type = 'bar' AND name LIKE 'foo%'" },
        { A, "external_id = 'my_external_id'" },
        { A, "NOT(create_time_since_epoch < 1 OR last_update_time_since_epoch < 1)" },
        { A, "uri = 'exact_path_string'" }, { A, "uri LIKE 'path_like_this%'" }, { A, "uri IS NOT NULL" },
        { A, "state = LIVE" }, { A, "state IS NULL" }, { A, "state IN (PENDING, LIVE)" }, { A, "state NOT IN (DELETED)" },
        { E, "last_known_state = RUNNING" }, { E, "last_known_state != RUNNING" }, { E, "last_known_state NOT IN (FAILED, CANCELED)" },
        { A, "contexts_a.id = 5" }, { A, "contexts_a.type = 'RunContext'" }, { A, "contexts_a.name = 'my_run'" },
        { E, "contexts_a.id = 5" },
        { A, "contexts_a.name = 'my_run' AND contexts_b.name = 'my_pipeline'" },
        { C, "artifacts_a.uri = 'p'" }, { C, "artifacts_a.state IN (PENDING, LIVE)" }, { C, "executions_a.last_known_state = RUNNING" },
        { A, "properties.accuracy.double_value > 0.95" }, { A, "custom_properties.my_param.string_value = \"foo\"" },
        { A, "properties.`my property`.int_value > 0" }, { A, "custom_properties.`my:custom.property`.bool_value = true" },
        { A, "type = 'DataSet' AND (contexts_a.type = 'RunContext' AND contexts_a.name = 'my_run') AND (properties.span.int_value = 1 OR custom_properties.span.int_value = 1)" },
        { C, "parent_contexts_a.id = 5" }, { C, "child_contexts_a.type = 'RunContext'" }, { C, "parent_contexts_a.name = 'parent_context_1'" },
        { A, "events_0.execution_id = 1" }, { A, "events_0.type = INPUT" },
        { E, "events_0.artifact_id = 1" }, { E, "events_0.type IN (INPUT, INTERNAL_INPUT)" },
        { A, "custom_properties.p.int_value < 21 AND name LIKE 'node_2%'" },
        { A, "uri LIKE \"%/data\" AND properties.day.int_value > 0" },
        { E, "type = \"Trainer\" AND properties.state.string_value IS NOT NULL" },
        { A, "(contexts_0.type = 'context_type') AND (contexts_0.name = 'properties.component.component')" },

        // More of the grammar.
        { E, "name = \"exe_name_with_'\"" }, { E, "contexts_1.name = \"context_name_with_'\"" }, { E, "name = 'exe_name_with_\\''" },
        { A, "type_id + 1 > 1" }, { A, "id * 2 - 1 <= 7 / 2" }, { A, "-id < -1" }, { A, "id = -9223372036854775808" }, { A, "id = 0x1F" },
        { A, "properties.0.int_value = 1" }, { A, "properties.1st.int_value = 1" }, { A, "properties.and.string_value = 'x'" },
        { A, "properties.flag.bool_value" }, { A, "NOT properties.flag.bool_value" }, { A, "properties.flag.bool_value = false" },
        { A, "id <> 1" }, { A, "id >= 1 AND id < 10" }, { A, "name NOT LIKE 'a%'" }, { A, "id NOT IN (1, 2, 3)" },
        { A, "name IS NULL OR external_id IS NOT NULL" }, { A, "true" }, { A, "NOT false" }, { A, "(id = 1) = true" },
        { A, "id = 1 and name = 'x' or not id = 2" }, { A, "id in (1)" },
        { A, "name = 'tab\\there' AND name != '\\x41\\u00e9\\U0001F600\\101'" },
        { A, "properties.p.double_value > 1e3 AND properties.p.double_value < .5e1 AND properties.p.double_value <> 1." },
        { A, "name = 'a' -- trailing comment" }, { A, "/* lead */ name = 'a' # hash comment" },
        { A, "name = 'multi\\nline'\nAND id = 1" },
        { A, "state != LIVE" }, { A, "state <> LIVE" }, { A, "state = UNKNOWN OR state = MARKED_FOR_DELETION" },
        { E, "last_known_state IN (NEW, COMPLETE, CACHED, UNKNOWN)" },
        { A, "events_x.type NOT IN (OUTPUT, DECLARED_INPUT, DECLARED_OUTPUT, INTERNAL_OUTPUT)" }, { A, "events_x.milliseconds_since_epoch > 0" },
        { C, "artifacts_a.external_id = 'x' AND executions_b.external_id IS NULL" },
        { C, "artifacts_a.create_time_since_epoch > executions_a.last_update_time_since_epoch" },
        { A, "contexts_a.name = name" }, { A, "`name` = 'x'" },
    };

    public static TheoryData<NodeKind, string> Invalid => new()
    {
        // Named by mlmd.md §6.1, §8 items 55, 56 and 58, and the issue.
        { A, "invalid syntax" }, { E, "name = 'exe_name_with_''" }, { A, "properties.foo" }, { A, "custom_properties.foo" },
        { A, "properties" }, { A, "properties.foo = 1" }, { A, "properties.span = 1 OR custom_properties.span = 1" },
        { A, "state = 'LIVE'" }, { A, "state = ABANDONED" }, { A, "state = REFERENCE" }, { A, "state = 1" }, { A, "state IN RUNNING" },
        { A, "state > LIVE" }, { A, "state LIKE 'L%'" }, { A, "LIVE = state" }, { A, "state = live" },
        { E, "last_known_state = LIVE" }, { A, "events_0.type = PENDING_OUTPUT" }, { A, "events_0.type = UNKNOWN" },
        { A, "name = 'unterminated" }, { A, "name = \"unterminated" }, { A, "(id = 1" }, { A, "id = 1)" }, { A, "((id = 1)" },
        { A, "'a'" }, { A, "type_id" }, { A, "1" }, { A, "id + 1" }, { A, "properties.p.int_value" }, { A, "contexts_0.foo = 1" },
        { A, "contexts_0" }, { A, "contexts_.name = 'x'" }, { A, "id = 'a'" }, { A, "name = 1" }, { A, "type = 1" }, { A, "name LIKE 1" },
        { A, "name LIKE name" }, { A, "name + 1 = 2" }, { A, "id AND name = 'x'" }, { A, "NOT id" }, { A, "-name = 'x'" },
        { A, "id =" }, { A, "id = 1 AND" }, { A, "id IS" }, { A, "id IS NOT" }, { A, "id NOT 5" }, { A, "id IN ()" }, { A, "id IN (1," },
        { A, "nmae = 'x'" }, { A, "last_known_state = RUNNING" }, { E, "uri = 'x'" }, { E, "state = LIVE" }, { C, "uri = 'x'" },
        { A, "artifacts_a.id = 1" }, { A, "parent_contexts_a.id = 1" }, { C, "contexts_a.id = 1" }, { C, "events_a.type = INPUT" },
        { C, "parent_contexts_a.create_time_since_epoch > 0" }, { E, "events_0.execution_id = 1" }, { A, "events_0.artifact_id = 1" },
        { A, "properties.p.int_values = 1" }, { A, "properties.p.`int_value` = 1" }, { A, "properties.p.int_value.x = 1" }, { A, "name.x = 'a'" },
        { A, "id = 99999999999999999999" }, { A, "id = 1e999" }, { A, "id = 12abc" }, { A, "id = 0x" }, { A, "name = 'a\\qb'" }, { A, "name = 'a\\x4'" },
        { A, "name = 'a\\U00110000'" }, { A, "name = 'new\nline'" }, { A, "`` = 1" }, { A, "`name = 'x'" }, { A, "/* unterminated comment" },
        { A, "name == 'x'" }, { A, "name = 'x' ; DROP TABLE artifact" }, { A, "id = 1 id = 2" }, { A, "!" }, { A, "id ! = 1" }, { A, "@p = 1" },
        { A, "name = NULL" }, { A, "id BETWEEN 1 AND 3" }, { A, "SELECT 1" }, { A, "name = 'x'' OR 1=1 --'" },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Valid_queries_parse_to_a_condition(NodeKind kind, string query)
    {
        var parsed = FilterQuery.Parse(query, kind);

        Assert.NotNull(parsed);
        Assert.Equal(FilterType.Bool, parsed.Type);
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_queries_are_invalid_argument_with_a_position(NodeKind kind, string query)
    {
        var e = Assert.Throws<InvalidArgumentException>(() => FilterQuery.Parse(query, kind));

        Assert.StartsWith("Invalid `filter_query` at ", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  \t\n ")]
    public void An_empty_query_is_no_filter(string? query) => Assert.Null(FilterQuery.Parse(query, A));

    // ------------------------------------------------------------------ messages

    [Fact]
    public void A_query_that_ends_early_says_what_was_expected_and_where()
    {
        var e = Assert.Throws<InvalidArgumentException>(() => FilterQuery.Parse("type_id = 5 AND id =", A));

        Assert.Equal(Messages.FilterQueryInvalid(1, 21, false, Messages.FilterEndedAfter("a value", "=")), e.Message);
        Assert.Equal("Invalid `filter_query` at column 21: expected a value after '=' but the query ended", e.Message);
    }

    [Fact]
    public void An_unexpected_word_is_named_with_its_column()
    {
        var e = Assert.Throws<InvalidArgumentException>(() => FilterQuery.Parse("invalid syntax", A));

        Assert.Equal(Messages.FilterQueryInvalid(1, 9, false, Messages.FilterUnexpectedToken("syntax", "invalid", Messages.FilterExpectations([]))), e.Message);
    }

    [Fact]
    public void A_misspelt_name_gets_a_suggestion_and_the_valid_names()
    {
        var e = Assert.Throws<InvalidArgumentException>(() => FilterQuery.Parse("id = 1 AND nmae = 'x'", A));

        Assert.StartsWith("Invalid `filter_query` at column 12: Unrecognized name 'nmae'; did you mean 'name'? Valid names: id, type_id, type, name,", e.Message, StringComparison.Ordinal);
        Assert.Contains("contexts_<alias>.<field>", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_neighbour_field_lists_the_fields()
    {
        var e = Assert.Throws<InvalidArgumentException>(() => FilterQuery.Parse("contexts_0.foo = 1", A));

        Assert.Equal(Messages.FilterQueryInvalid(1, 12, false, Messages.FilterUnknownField("foo", "contexts_0", null, "id, name, type, create_time_since_epoch, last_update_time_since_epoch, tags, owners")), e.Message);
    }

    [Fact]
    public void Unsupported_and_quoted_enum_values_say_which_names_are_accepted()
    {
        var abandoned = Assert.Throws<InvalidArgumentException>(() => FilterQuery.Parse("state = ABANDONED", A));
        var quoted = Assert.Throws<InvalidArgumentException>(() => FilterQuery.Parse("state = 'LIVE'", A));

        Assert.Equal(Messages.FilterQueryInvalid(1, 9, false, Messages.FilterUnsupportedEnumValue("ABANDONED", "state", "UNKNOWN, PENDING, LIVE, MARKED_FOR_DELETION, DELETED")), abandoned.Message);
        Assert.Equal(Messages.FilterQueryInvalid(1, 9, false, Messages.FilterEnumNeedsName("state", "'LIVE'", "UNKNOWN, PENDING, LIVE, MARKED_FOR_DELETION, DELETED")), quoted.Message);
    }

    [Fact]
    public void Type_errors_name_the_operator_and_both_types()
    {
        var e = Assert.Throws<InvalidArgumentException>(() => FilterQuery.Parse("id = 'a'", A));

        Assert.Equal(Messages.FilterQueryInvalid(1, 4, false, Messages.FilterNoMatchingSignature("=", "INT64", "STRING")), e.Message);
    }

    [Fact]
    public void A_non_boolean_query_is_refused_as_such()
    {
        var e = Assert.Throws<InvalidArgumentException>(() => FilterQuery.Parse("type_id", A));

        Assert.Equal(Messages.FilterQueryInvalid(1, 1, false, Messages.FilterNotBoolean("INT64")), e.Message);
    }

    [Fact]
    public void An_unterminated_string_points_at_its_opening_quote()
    {
        var e = Assert.Throws<InvalidArgumentException>(() => FilterQuery.Parse("name = 'exe_name_with_''", E));

        Assert.Equal(Messages.FilterQueryInvalid(1, 24, false, Messages.FilterUnterminatedString('\'')), e.Message);
    }

    [Fact]
    public void Errors_in_a_multi_line_query_give_the_line()
    {
        var e = Assert.Throws<InvalidArgumentException>(() => FilterQuery.Parse("name = 'x'\n  AND nmae = 'y'", A));

        Assert.StartsWith("Invalid `filter_query` at line 2, column 7: Unrecognized name 'nmae'", e.Message, StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------ the tree

    [Fact]
    public void Not_equal_on_an_enum_also_matches_an_unset_value()
    {
        var parsed = FilterQuery.Parse("state != LIVE", A);

        var or = Assert.IsType<FilterBinary>(parsed);
        Assert.Equal(FilterOperator.Or, or.Operator);
        var compare = Assert.IsType<FilterBinary>(or.Left);
        Assert.Equal(FilterOperator.NotEqual, compare.Operator);
        Assert.Equal(new FilterLiteral(9, FilterType.ArtifactState, 2L), compare.Right);
        Assert.IsType<FilterIsNull>(or.Right);
    }

    [Fact]
    public void Not_in_on_an_enum_also_matches_an_unset_value()
    {
        var or = Assert.IsType<FilterBinary>(FilterQuery.Parse("last_known_state NOT IN (FAILED, CANCELED)", E));

        var @in = Assert.IsType<FilterIn>(or.Left);
        Assert.True(@in.Negated);
        Assert.Equal(new[] { 4L, 6L }, @in.Items.Cast<FilterLiteral>().Select(l => (long)l.Value));
        Assert.IsType<FilterIsNull>(or.Right);
    }

    [Fact]
    public void Property_and_neighbour_paths_resolve_to_their_sources()
    {
        var and = Assert.IsType<FilterBinary>(FilterQuery.Parse("custom_properties.`my:custom.property`.bool_value = true AND contexts_run.name = 'r'", A));

        var property = Assert.IsType<FilterField>(Assert.IsType<FilterBinary>(and.Left).Left);
        Assert.Equal(new PropertySource("my:custom.property", IsCustom: true), property.Source);
        Assert.Equal(FilterType.Bool, property.Type);
        var neighbour = Assert.IsType<FilterField>(Assert.IsType<FilterBinary>(and.Right).Left);
        Assert.Equal(new NeighbourSource(FilterNeighbour.Contexts, "run"), neighbour.Source);
        Assert.Equal("name", neighbour.Field);
    }

    [Fact]
    public void Precedence_is_not_then_and_then_or()
    {
        var or = Assert.IsType<FilterBinary>(FilterQuery.Parse("NOT id = 1 AND id = 2 OR id = 3", A));

        Assert.Equal(FilterOperator.Or, or.Operator);
        var and = Assert.IsType<FilterBinary>(or.Left);
        Assert.Equal(FilterOperator.And, and.Operator);
        Assert.IsType<FilterNot>(and.Left);
    }

    [Fact]
    public void Escapes_in_strings_are_decoded()
    {
        var compare = Assert.IsType<FilterBinary>(FilterQuery.Parse("name = 'a\\'b\\\"c\\\\d\\x41\\u00e9\\n'", A));

        Assert.Equal("a'b\"c\\dAé\n", Assert.IsType<FilterLiteral>(compare.Right).Value);
    }

    // ------------------------------------------------------------------ robustness

    [Theory]
    [InlineData("(", ")")]
    [InlineData("NOT ", "")]
    [InlineData("- ", "")]
    public void Deep_nesting_is_refused_without_exhausting_the_stack(string open, string close)
    {
        var query = string.Concat(Enumerable.Repeat(open, 20_000)) + "id = 1" + string.Concat(Enumerable.Repeat(close, 20_000));

        Assert.Throws<InvalidArgumentException>(() => FilterQuery.Parse(query, A));
    }

    [Fact]
    public void A_long_chain_of_conditions_is_refused_without_exhausting_the_stack()
    {
        var query = string.Join(" AND ", Enumerable.Repeat("id = 1", 5_000));

        Assert.Throws<InvalidArgumentException>(() => FilterQuery.Parse(query, A));
        Assert.NotNull(FilterQuery.Parse(string.Join(" OR ", Enumerable.Repeat("id = 1", 50)), A));
        Assert.NotNull(FilterQuery.Parse("id IN (" + string.Join(", ", Enumerable.Range(0, 5_000)) + ")", A));
    }

    [Fact]
    public void Random_and_mutated_queries_parse_or_raise_invalid_argument_and_nothing_else()
    {
        var random = new Random(20_240_611);
        string[] vocabulary =
        [
            "id", "type_id", "type", "name", "external_id", "uri", "state", "last_known_state", "create_time_since_epoch",
            "properties", "custom_properties", "contexts_a", "events_0", "artifacts_x", "executions_y", "parent_contexts_p", "child_contexts_c",
            ".", ".", "int_value", "double_value", "string_value", "bool_value", "`my prop`", "`", "=", "!=", "<>", "<", "<=", ">", ">=",
            "+", "-", "*", "/", "(", ")", ",", "AND", "OR", "NOT", "IN", "IS", "NULL", "LIKE", "true", "false", "LIVE", "RUNNING",
            "INPUT", "ABANDONED", "1", "-1", "0x10", "1.5", "1e3", "9999999999999999999999", "'a'", "\"b\"", "'it''s'", "'\\x4'",
            "'\\u00e9'", "'", "\"", "\\", "--", "/*", "*/", "#", "\n", "@", "!", ";", "é", "\u0000", "  ",
        ];
        var seeds = Valid.Select(row => (string)row[1]).ToArray();
        var kinds = new[] { A, E, C };
        var failures = new List<string>();

        for (var i = 0; i < 4_000; i++)
        {
            string query;
            if (i % 2 == 0)
            {
                var sb = new StringBuilder();
                var length = random.Next(1, 14);
                for (var t = 0; t < length; t++) sb.Append(vocabulary[random.Next(vocabulary.Length)]).Append(random.Next(4) == 0 ? "" : " ");
                query = sb.ToString();
            }
            else
            {
                query = Mutate(seeds[random.Next(seeds.Length)], random, vocabulary);
            }

            foreach (var kind in kinds)
            {
                try
                {
                    var parsed = FilterQuery.Parse(query, kind);
                    if (parsed is not null && parsed.Type != FilterType.Bool) failures.Add($"{kind}: non-boolean result for {query}");
                }
                catch (InvalidArgumentException e)
                {
                    if (!e.Message.StartsWith("Invalid `filter_query`", StringComparison.Ordinal)) failures.Add($"{kind}: message '{e.Message}' for {query}");
                }
                catch (Exception e)
                {
                    failures.Add($"{kind}: {e.GetType().Name} {e.Message} for {query}");
                }
            }
        }

        Assert.Empty(failures);
    }

    private static string Mutate(string seed, Random random, string[] vocabulary)
    {
        var text = new StringBuilder(seed);
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits; e++)
        {
            var at = text.Length == 0 ? 0 : random.Next(text.Length);
            switch (random.Next(5))
            {
                case 0 when text.Length > 0: text.Remove(at, 1); break;
                case 1: text.Insert(at, (char)random.Next(32, 127)); break;
                case 2 when text.Length > 0: text[at] = (char)random.Next(32, 127); break;
                case 3: text.Insert(at, " " + vocabulary[random.Next(vocabulary.Length)] + " "); break;
                default:
                    var cut = random.Next(text.Length + 1);
                    text.Length = cut;
                    break;
            }
        }

        return text.ToString();
    }

    [Fact]
    public void The_fuzz_seeds_cover_every_node_kind() =>
        Assert.Equal(3, Valid.Select(row => (NodeKind)row[0]).Distinct().Count());

    [Theory]
    [InlineData("tags = 'x'")]
    [InlineData("owners != 'x'")]
    [InlineData("tags IN ('a', 'b')")]
    [InlineData("tags NOT IN ('a')")]
    [InlineData("tags LIKE 'a%'")]
    [InlineData("tags NOT LIKE 'a%'")]
    [InlineData("tags IS NULL")]
    [InlineData("owners IS NOT NULL")]
    [InlineData("contexts_a.tags = 'prod'")]
    public void Labels_take_equality_membership_like_and_null_tests(string query) =>
        Assert.NotNull(FilterQuery.Parse(query, A));

    [Fact]
    public void Labels_refuse_ordering_numbers_and_the_right_hand_side()
    {
        var less = Assert.Throws<InvalidArgumentException>(() => FilterQuery.Parse("tags < 'x'", A));
        Assert.Equal(Messages.FilterQueryInvalid(1, 6, false, Messages.FilterLabelsOperator("tags", "<")), less.Message);
        var number = Assert.Throws<InvalidArgumentException>(() => FilterQuery.Parse("owners IN ('a', 2)", E));
        Assert.Equal(Messages.FilterQueryInvalid(1, 17, false, Messages.FilterLabelsNeedString("owners", "IN", "INT64")), number.Message);
        var right = Assert.Throws<InvalidArgumentException>(() => FilterQuery.Parse("'x' = tags", C));
        Assert.Equal(Messages.FilterQueryInvalid(1, 5, false, Messages.FilterLabelsOnRight("tags")), right.Message);
    }
}
