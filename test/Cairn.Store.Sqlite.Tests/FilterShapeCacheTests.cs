using System.Globalization;
using System.Text.RegularExpressions;
using Cairn.Store.Relational;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Cairn.Store.Sqlite.Tests;

/// <summary>
/// The compiled-filter cache is keyed by the query's shape (its tokens with literal values taken out): queries that differ
/// only in their literals share one compiled SQL and bind their own values; anything that changes the SQL or the typing is
/// part of the shape.
/// </summary>
public sealed partial class FilterShapeCacheTests
{
    private static readonly SqliteDialect Dialect = new();

    private static CompiledFilter Compile(string query, NodeTable? table = null) =>
        FilterCompiler.Compile(query, table ?? NodeTable.Artifact, Dialect)!;

    private static List<(string Name, object? Value)> Bound(CompiledFilter filter)
    {
        using var command = new SqliteCommand();
        filter.Bind(command);
        return [.. command.Parameters.Cast<SqliteParameter>().Select(p => (p.ParameterName, p.Value))];
    }

    [Fact]
    public void Queries_differing_only_in_literals_share_the_compiled_sql_and_bind_their_own_values()
    {
        var first = Compile("type = 'shape.TypeA' AND contexts_c.name = 'run-1' AND properties.p.int_value >= -5");
        var second = Compile("type = 'shape.TypeB' AND contexts_c.name = 'run-22' AND properties.p.int_value >= -7");

        Assert.Same(first.Where, second.Where);
        Assert.Same(first.Join, second.Join);
        var a = Bound(first).Select(p => p.Value).ToList();
        var b = Bound(second).Select(p => p.Value).ToList();
        Assert.Contains("shape.TypeA", a);
        Assert.Contains("run-1", a);
        Assert.Contains(-5L, a);
        Assert.Contains("shape.TypeB", b);
        Assert.Contains("run-22", b);
        Assert.Contains(-7L, b);
        Assert.DoesNotContain("run-1", b);
    }

    [Theory]
    [InlineData("name = 'a' AND id = 1", "name = 'a' OR id = 1")]
    [InlineData("name = 'a'", "uri = 'a'")]
    [InlineData("properties.p.int_value = 1", "properties.p.double_value = 1")]
    [InlineData("properties.p.int_value = 1", "properties.p.int_value = 1.5")]
    [InlineData("contexts_a.name = 'x' AND contexts_a.type = 'y'", "contexts_a.name = 'x' AND contexts_b.type = 'y'")]
    [InlineData("id IN (1, 2)", "id IN (1, 2, 3)")]
    [InlineData("state = LIVE", "state = PENDING")]
    [InlineData("properties.f.bool_value = true", "properties.f.bool_value = false")]
    public void Queries_differing_in_structure_do_not_share_a_plan(string one, string other)
    {
        var a = Compile(one);
        var b = Compile(other);

        Assert.False(ReferenceEquals(a.Where, b.Where) && ReferenceEquals(a.Join, b.Join) && Bound(a).SequenceEqual(Bound(b)));
    }

    [Fact]
    public void A_literal_of_another_type_is_still_a_type_error_after_its_shape_was_cached()
    {
        Compile("name = 'cached' AND id = 1");

        var e = Assert.Throws<InvalidArgumentException>(() => Compile("name = 1 AND id = 1"));
        var uncached = Assert.Throws<InvalidArgumentException>(() => FilterCompiler.CompileUncached("name = 1 AND id = 1", NodeTable.Artifact, Dialect));
        Assert.Equal(uncached.Message, e.Message);
    }

    [Theory]
    [InlineData("id = 1", "id = 99999999999999999999")]
    [InlineData("id = -1", "id = -9223372036854775809")]
    [InlineData("id = 0x1", "id = 0x8000000000000000")]
    [InlineData("properties.p.double_value > 1.5", "properties.p.double_value > 1e999")]
    public void An_out_of_range_number_is_the_parsers_error_after_its_shape_was_cached(string cached, string query)
    {
        Compile(cached);

        var e = Assert.Throws<InvalidArgumentException>(() => Compile(query));
        var uncached = Assert.Throws<InvalidArgumentException>(() => FilterCompiler.CompileUncached(query, NodeTable.Artifact, Dialect));
        Assert.Equal(uncached.Message, e.Message);
    }

    [Theory]
    [InlineData("id = -1", "id = -9223372036854775808", -9223372036854775808L)]
    [InlineData("id = -0x1", "id = -0x8000000000000000", -9223372036854775808L)]
    [InlineData("id = -(1)", "id = -(42)", -42L)]
    [InlineData("id = +1", "id = +42", 42L)]
    public void A_folded_sign_applies_to_each_querys_own_number(string cached, string query, long expected)
    {
        Compile(cached);

        Assert.Contains(expected, Bound(Compile(query)).Select(p => p.Value));
    }

    [Fact]
    public void Like_patterns_are_translated_for_each_query()
    {
        var a = Compile("name LIKE 'a%' AND uri NOT LIKE '%_x'");
        var b = Compile("name LIKE 'b*_' AND uri NOT LIKE 'y%'");

        Assert.Same(a.Where, b.Where);
        Assert.Equal(["a*", "*?x"], Bound(a).Select(p => p.Value).OfType<string>().ToList());
        Assert.Equal(["b[*]?", "y*"], Bound(b).Select(p => p.Value).OfType<string>().ToList());
    }

    public static TheoryData<NodeKind, string> Corpus => new()
    {
        { NodeKind.Artifact, "id != 1" }, { NodeKind.Artifact, "id IN (1, 3)" }, { NodeKind.Artifact, "type = 'bar' AND name LIKE 'foo%'" },
        { NodeKind.Artifact, "NOT(create_time_since_epoch < 1 OR last_update_time_since_epoch < 1)" },
        { NodeKind.Artifact, "uri LIKE 'path_like_this%'" }, { NodeKind.Artifact, "state NOT IN (DELETED) AND id > 3" },
        { NodeKind.Execution, "last_known_state != RUNNING AND name = 'x'" }, { NodeKind.Artifact, "contexts_a.id = 5" },
        { NodeKind.Artifact, "contexts_a.name = 'my_run' AND contexts_b.name = 'my_pipeline'" },
        { NodeKind.Context, "artifacts_a.uri = 'p' AND executions_b.name LIKE 'e%'" },
        { NodeKind.Artifact, "properties.accuracy.double_value > 0.95" }, { NodeKind.Artifact, "custom_properties.my_param.string_value = \"foo\"" },
        { NodeKind.Artifact, "properties.`my property`.int_value > 0" },
        { NodeKind.Artifact, "type = 'DataSet' AND (contexts_a.type = 'RunContext' AND contexts_a.name = 'my_run') AND (properties.span.int_value = 1 OR custom_properties.span.int_value = 1)" },
        { NodeKind.Context, "parent_contexts_a.name = 'parent_context_1' OR child_contexts_b.id = 3" },
        { NodeKind.Artifact, "events_0.execution_id = 1 AND events_0.type = INPUT" },
        { NodeKind.Execution, "type = \"Trainer\" AND properties.state.string_value IS NOT NULL" },
        { NodeKind.Artifact, "type_id + 1 > 1" }, { NodeKind.Artifact, "id * 2 - 1 <= 7 / 2" }, { NodeKind.Artifact, "-id < -1" },
        { NodeKind.Artifact, "id = -(-5)" }, { NodeKind.Artifact, "id = - - 5 OR id = -(7)" }, { NodeKind.Artifact, "id = 0x1F" },
        { NodeKind.Artifact, "(id = 1) = true" }, { NodeKind.Artifact, "NOT (name = 'a' AND (id = 2) = false)" },
        { NodeKind.Artifact, "name = 'tab\\there' AND name != '\\x41\\u00e9\\U0001F600\\101'" },
        { NodeKind.Artifact, "properties.p.double_value > 1e3 AND properties.p.double_value < .5e1 AND properties.p.double_value <> 1." },
        { NodeKind.Artifact, "name = 'a' -- trailing comment" }, { NodeKind.Artifact, "/* lead */ name = 'a' # hash comment" },
        { NodeKind.Artifact, "name = 'multi\\nline'\nAND id = 1" }, { NodeKind.Artifact, "properties.p.int_value IS NULL OR properties.p.int_value IN (1, -2)" },
        { NodeKind.Context, "artifacts_a.create_time_since_epoch > executions_a.last_update_time_since_epoch + 10" },
        { NodeKind.Artifact, "contexts_a.name = name AND uri LIKE '%\\\\_x'" },
        { NodeKind.Artifact, "NOT name NOT LIKE ('x%') AND NOT properties.q.string_value IN ('a', 'b')" },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public void A_cached_shape_compiles_a_query_with_other_literals_exactly_as_the_full_path_does(NodeKind kind, string query)
    {
        var table = kind switch
        {
            NodeKind.Artifact => NodeTable.Artifact,
            NodeKind.Execution => NodeTable.Execution,
            _ => NodeTable.Context,
        };
        var warm = Compile(query, table);
        var variant = Mutate(query);
        Assert.NotEqual(query, variant);

        var cached = Compile(variant, table);
        var full = FilterCompiler.CompileUncached(variant, table, Dialect)!;

        Assert.Same(warm.Where, cached.Where);
        Assert.Equal(full.Join, cached.Join);
        Assert.Equal(full.Where, cached.Where);
        Assert.Equal(Bound(full), Bound(cached));
    }

    /// <summary>The query with every string literal's text and every decimal number's digits changed, nothing else.</summary>
    private static string Mutate(string query) => LiteralPattern().Replace(query, m =>
    {
        var text = m.Value;
        if (text[0] is '\'' or '"') return text[0] + "z" + text[1..];
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) return text + "1";
        var digit = text.IndexOfAny("0123456789".ToCharArray());
        return text[..digit] + ((text[digit] - '0' + 3) % 9 + 1).ToString(CultureInfo.InvariantCulture) + text[(digit + 1)..];
    });

    // Quoted strings (with escapes), hex numbers, and decimal numbers not glued to a name (p5, fn0, events_0 stay).
    [GeneratedRegex(@"'(?:\\.|[^'\\])*'|""(?:\\.|[^""\\])*""|(?<![\w.`])0x[0-9a-fA-F]+|(?<![\w`])(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?(?![\w`])")]
    private static partial Regex LiteralPattern();

    [Fact]
    public async Task Two_queries_of_one_shape_list_their_own_nodes()
    {
        await using var store = await CairnStore.OpenAsync("memory:");
        var type = await store.PutArtifactTypeAsync(new ArtifactType { Name = "ShapeData", Properties = new Dictionary<string, PropertyType> { ["n"] = PropertyType.Int } });
        var runType = await store.PutContextTypeAsync(new ContextType { Name = "ShapeRun" });
        var ids = await store.PutArtifactsAsync([.. Enumerable.Range(0, 6).Select(i => new Artifact
        {
            TypeId = type,
            Name = "a" + i.ToString(CultureInfo.InvariantCulture),
            Properties = new Dictionary<string, MetadataValue> { ["n"] = MetadataValue.Int(i) },
        })]);
        var runs = await store.PutContextsAsync([new Context { TypeId = runType, Name = "run-1" }, new Context { TypeId = runType, Name = "run-2" }]);
        await store.PutAttributionsAndAssociationsAsync(
            [.. ids.Select((id, i) => new Attribution(runs[i % 2], id))], []);

        async Task<string[]> NamesAsync(string filter) =>
            [.. (await store.GetArtifactsAsync(new ListOptions { FilterQuery = filter, MaxResultSize = 10 })).Items.Select(a => a.Name!)];

        Assert.Equal(["a0", "a2", "a4"], await NamesAsync("type = 'ShapeData' AND contexts_c.name = 'run-1' AND properties.n.int_value >= 0"));
        Assert.Equal(["a3", "a5"], await NamesAsync("type = 'ShapeData' AND contexts_c.name = 'run-2' AND properties.n.int_value >= 2"));
        Assert.Empty(await NamesAsync("type = 'Other' AND contexts_c.name = 'run-2' AND properties.n.int_value >= 2"));
        Assert.Equal(["a4"], await NamesAsync("type = 'ShapeData' AND contexts_c.name = 'run-1' AND properties.n.int_value >= 3"));
    }
}
