using System.Globalization;
using Xunit;

namespace Cairn.Specification.Tests;

/// <summary>
/// Filter queries against real data (mlmd.md §6; §8 items 54–58): one test per example row of §6.3, MLMD's inner-join
/// semantics, filters with paging and with the by-type and by-context lists, and proof that values are bound, never spliced.
/// </summary>
public abstract class FilterQueryTests<TStoreFactory> : StoreTestBase<TStoreFactory>
    where TStoreFactory : ITestStoreFactory, new()
{
    private static string S(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static ListOptions Filter(string query) => new() { FilterQuery = query, MaxResultSize = 100 };

    private async Task<string[]> ArtifactNamesAsync(string query) =>
        [.. (await Store.GetArtifactsAsync(Filter(query))).Items.Select(a => a.Name ?? string.Empty)];

    private async Task<string[]> ExecutionNamesAsync(string query) =>
        [.. (await Store.GetExecutionsAsync(Filter(query))).Items.Select(e => e.Name ?? string.Empty)];

    private async Task<string[]> ContextNamesAsync(string query) =>
        [.. (await Store.GetContextsAsync(Filter(query))).Items.Select(c => c.Name ?? string.Empty)];

    // ------------------------------------------------------------------ the §6.3 graph

    /// <summary>Ids of the graph every §6.3 example runs against.</summary>
    private sealed record Graph(
        long DataSetType, long ModelType, long A0, long A1, long A2, long A3,
        long E0, long E1, long E2, long E3, long Run, long Pipeline, long OtherRun);

    /// <summary>
    /// Artifacts a0 (DataSet, LIVE, in my_run and my_pipeline), a1 (DataSet, PENDING, in my_run), a2 (Model, DELETED, in
    /// my_pipeline), a3 (Model, no state, in other_run); executions e0 (Trainer, RUNNING), e1 (Trainer, FAILED), e2 (Other, no
    /// state), e3 (Other, COMPLETE); my_pipeline is the parent of my_run and other_run.
    /// </summary>
    private async Task<Graph> PutGraphAsync()
    {
        var dataSet = await Store.PutArtifactTypeAsync(new ArtifactType
        {
            Name = "DataSet",
            Properties = Declare(("accuracy", PropertyType.Double), ("span", PropertyType.Int), ("day", PropertyType.Int), ("my property", PropertyType.Int)),
        });
        var model = await Store.PutArtifactTypeAsync(new ArtifactType { Name = "Model" });
        var trainer = await Store.PutExecutionTypeAsync(new ExecutionType { Name = "Trainer", Properties = Declare(("state", PropertyType.String)) });
        var other = await Store.PutExecutionTypeAsync(new ExecutionType { Name = "Other" });
        var runType = await Store.PutContextTypeAsync(new ContextType { Name = "RunContext" });
        var pipelineType = await Store.PutContextTypeAsync(new ContextType { Name = "PipelineContext" });

        var artifacts = await Store.PutArtifactsAsync(
        [
            new Artifact
            {
                TypeId = dataSet, Name = "foo_1", Uri = "/data/a/data", State = ArtifactState.Live, ExternalId = "my_external_id",
                Properties = Values(("accuracy", MetadataValue.Double(0.97)), ("span", MetadataValue.Int(1)), ("day", MetadataValue.Int(3)), ("my property", MetadataValue.Int(5))),
                CustomProperties = Values(("my_param", MetadataValue.String("foo")), ("my:custom.property", MetadataValue.Bool(true))),
            },
            new Artifact
            {
                TypeId = dataSet, Name = "bar_1", Uri = "path_like_this/1", State = ArtifactState.Pending,
                Properties = Values(("accuracy", MetadataValue.Double(0.5)), ("day", MetadataValue.Int(0))),
                CustomProperties = Values(("span", MetadataValue.Int(1)), ("my_param", MetadataValue.String("Foo"))),
            },
            new Artifact { TypeId = model, Name = "foo_2", Uri = "exact_path_string", State = ArtifactState.Deleted },
            new Artifact { TypeId = model, Name = "Foo_3" },
        ]);
        var executions = await Store.PutExecutionsAsync(
        [
            new Execution { TypeId = trainer, Name = "train", LastKnownState = ExecutionState.Running, Properties = Values(("state", MetadataValue.String("done"))) },
            new Execution { TypeId = trainer, Name = "train2", LastKnownState = ExecutionState.Failed },
            new Execution { TypeId = other, Name = "other" },
            new Execution { TypeId = other, Name = "other2", LastKnownState = ExecutionState.Complete },
        ]);
        var contexts = await Store.PutContextsAsync(
        [
            new Context { TypeId = runType, Name = "my_run" },
            new Context { TypeId = pipelineType, Name = "my_pipeline" },
            new Context { TypeId = runType, Name = "other_run" },
            new Context { TypeId = runType, Name = "properties.component.component" },
        ]);
        var (a0, a1, a2, a3) = (artifacts[0], artifacts[1], artifacts[2], artifacts[3]);
        var (e0, e1, e2) = (executions[0], executions[1], executions[2]);
        var (run, pipeline, otherRun, syntaxLike) = (contexts[0], contexts[1], contexts[2], contexts[3]);

        await Store.PutAttributionsAndAssociationsAsync(
            [new(run, a0), new(run, a1), new(pipeline, a0), new(pipeline, a2), new(otherRun, a3), new(syntaxLike, a3)],
            [new(run, e0), new(pipeline, e0), new(pipeline, e1), new(otherRun, e2)]);
        await Store.PutParentContextsAsync([new(run, pipeline), new(otherRun, pipeline)]);
        await Store.PutEventsAsync(
        [
            new Event { ArtifactId = a0, ExecutionId = e0, Type = EventType.Output },
            new Event { ArtifactId = a1, ExecutionId = e0, Type = EventType.Input },
            new Event { ArtifactId = a2, ExecutionId = e1, Type = EventType.InternalInput },
            new Event { ArtifactId = a0, ExecutionId = e1, Type = EventType.Input },
        ]);
        return new Graph(dataSet, model, a0, a1, a2, a3, e0, e1, e2, executions[3], run, pipeline, otherRun);
    }

    [SkippableFact]
    public async Task Attribute_predicates_select_by_id_and_type_id()
    {
        var g = await PutGraphAsync();

        Assert.Equal(["bar_1", "foo_2", "Foo_3"], await ArtifactNamesAsync($"id != {S(g.A0)}"));
        Assert.Equal(["foo_1", "foo_2"], await ArtifactNamesAsync($"id IN ({S(g.A0)}, {S(g.A2)})"));
        Assert.Equal(["foo_2", "Foo_3"], await ArtifactNamesAsync($"type_id = {S(g.ModelType)}"));
        Assert.Equal(["foo_2", "Foo_3"], await ArtifactNamesAsync($"type_id + 1 > {S(g.DataSetType + 1)}"));
    }

    [SkippableFact]
    public async Task Type_names_select_by_type_and_like_is_case_sensitive()
    {
        await PutGraphAsync();

        Assert.Equal(["foo_2", "Foo_3"], await ArtifactNamesAsync("type = 'Model'"));
        Assert.Equal(["foo_1"], await ArtifactNamesAsync("type = 'DataSet' AND name LIKE 'foo%'"));
        Assert.Equal(["foo_1", "foo_2"], await ArtifactNamesAsync("name LIKE 'foo%'"));
        Assert.Equal(["foo_1", "bar_1"], await ArtifactNamesAsync("name LIKE '___\\\\_1'"));
        Assert.Equal(["bar_1", "Foo_3"], await ArtifactNamesAsync("name NOT LIKE 'foo%'"));
        Assert.Empty(await ArtifactNamesAsync("type = 'model'"));
    }

    [SkippableFact]
    public async Task External_id_selects_its_node()
    {
        await PutGraphAsync();

        Assert.Equal(["foo_1"], await ArtifactNamesAsync("external_id = 'my_external_id'"));
        Assert.Equal(["bar_1", "foo_2", "Foo_3"], await ArtifactNamesAsync("external_id IS NULL"));
    }

    [SkippableFact]
    public async Task Negated_time_predicates_keep_every_node()
    {
        await PutGraphAsync();

        Assert.Equal(["foo_1", "bar_1", "foo_2", "Foo_3"], await ArtifactNamesAsync("NOT(create_time_since_epoch < 1 OR last_update_time_since_epoch < 1)"));
        Assert.Empty(await ArtifactNamesAsync("create_time_since_epoch < 1"));
    }

    [SkippableFact]
    public async Task Uri_predicates_match_exactly_by_prefix_and_by_presence()
    {
        await PutGraphAsync();

        Assert.Equal(["foo_2"], await ArtifactNamesAsync("uri = 'exact_path_string'"));
        Assert.Equal(["bar_1"], await ArtifactNamesAsync("uri LIKE 'path_like_this%'"));
        Assert.Equal(["foo_1", "bar_1", "foo_2", "Foo_3"], await ArtifactNamesAsync("uri IS NOT NULL"));
    }

    [SkippableFact]
    public async Task Artifact_state_compares_with_enum_names_and_treats_unset_as_different()
    {
        await PutGraphAsync();

        Assert.Equal(["foo_1"], await ArtifactNamesAsync("state = LIVE"));
        Assert.Equal(["Foo_3"], await ArtifactNamesAsync("state IS NULL"));
        Assert.Equal(["foo_1", "bar_1"], await ArtifactNamesAsync("state IN (PENDING, LIVE)"));
        Assert.Equal(["foo_1", "bar_1", "Foo_3"], await ArtifactNamesAsync("state NOT IN (DELETED)"));
        Assert.Equal(["bar_1", "foo_2", "Foo_3"], await ArtifactNamesAsync("state != LIVE"));
        Assert.Equal(["foo_1"], await ArtifactNamesAsync("NOT (state != LIVE)"));
    }

    [SkippableFact]
    public async Task Execution_state_compares_with_enum_names_and_treats_unset_as_different()
    {
        await PutGraphAsync();

        Assert.Equal(["train"], await ExecutionNamesAsync("last_known_state = RUNNING"));
        Assert.Equal(["train2", "other", "other2"], await ExecutionNamesAsync("last_known_state != RUNNING"));
        Assert.Equal(["train", "other", "other2"], await ExecutionNamesAsync("last_known_state NOT IN (FAILED, CANCELED)"));
    }

    [SkippableFact]
    public async Task Context_aliases_select_the_nodes_of_a_context()
    {
        var g = await PutGraphAsync();

        Assert.Equal(["foo_1", "bar_1"], await ArtifactNamesAsync($"contexts_a.id = {S(g.Run)}"));
        Assert.Equal(["foo_1", "bar_1", "Foo_3"], await ArtifactNamesAsync("contexts_a.type = 'RunContext'"));
        Assert.Equal(["foo_1", "bar_1"], await ArtifactNamesAsync("contexts_a.name = 'my_run'"));
        Assert.Equal(["train", "other"], await ExecutionNamesAsync("contexts_a.type = 'RunContext'"));
    }

    [SkippableFact]
    public async Task Two_context_aliases_require_both_contexts_and_one_alias_is_one_context()
    {
        await PutGraphAsync();

        Assert.Equal(["foo_1"], await ArtifactNamesAsync("contexts_a.name = 'my_run' AND contexts_b.name = 'my_pipeline'"));
        Assert.Empty(await ArtifactNamesAsync("contexts_a.name = 'my_run' AND contexts_a.name = 'my_pipeline'"));
        Assert.Equal(["foo_1", "bar_1", "foo_2"], await ArtifactNamesAsync("contexts_a.name = 'my_run' OR contexts_a.name = 'my_pipeline'"));
    }

    [SkippableFact]
    public async Task A_node_in_several_matching_contexts_is_listed_once()
    {
        await PutGraphAsync();

        Assert.Equal(["foo_1", "bar_1", "foo_2"], await ArtifactNamesAsync("contexts_a.name LIKE 'my_%'"));
        Assert.Equal(["train", "train2"], await ExecutionNamesAsync("contexts_a.name LIKE 'my_%' AND events_b.type IN (INPUT, OUTPUT, INTERNAL_INPUT)"));
    }

    [SkippableFact]
    public async Task Artifact_and_execution_aliases_select_contexts_containing_such_nodes()
    {
        await PutGraphAsync();

        Assert.Equal(["my_pipeline"], await ContextNamesAsync("artifacts_a.uri = 'exact_path_string'"));
        Assert.Equal(["my_run", "my_pipeline"], await ContextNamesAsync("artifacts_a.state IN (PENDING, LIVE)"));
        Assert.Equal(["my_run", "my_pipeline"], await ContextNamesAsync("executions_a.last_known_state = RUNNING"));
        Assert.Equal(["my_pipeline"], await ContextNamesAsync("executions_a.last_known_state = RUNNING AND executions_b.last_known_state = FAILED"));
        Assert.Equal(["my_pipeline"], await ContextNamesAsync("artifacts_a.type = 'Model' AND executions_a.type = 'Trainer'"));
    }

    [SkippableFact]
    public async Task Property_predicates_compare_typed_values()
    {
        await PutGraphAsync();

        Assert.Equal(["foo_1"], await ArtifactNamesAsync("properties.accuracy.double_value > 0.95"));
        Assert.Equal(["foo_1"], await ArtifactNamesAsync("custom_properties.my_param.string_value = \"foo\""));
        Assert.Equal(["bar_1"], await ArtifactNamesAsync("properties.accuracy.double_value * 2 = 1"));
        Assert.Equal(["foo_1", "bar_1"], await ArtifactNamesAsync("properties.day.int_value / 2 < 2"));
    }

    [SkippableFact]
    public async Task Backquoted_property_names_may_hold_any_character()
    {
        await PutGraphAsync();

        Assert.Equal(["foo_1"], await ArtifactNamesAsync("properties.`my property`.int_value > 0"));
        Assert.Equal(["foo_1"], await ArtifactNamesAsync("custom_properties.`my:custom.property`.bool_value = true"));
        Assert.Equal(["foo_1"], await ArtifactNamesAsync("custom_properties.`my:custom.property`.bool_value"));
    }

    [SkippableFact]
    public async Task The_documentation_example_joins_both_span_properties()
    {
        await PutGraphAsync();

        // MLMD joins properties.span and custom_properties.span as INNER JOINs: no artifact has both, so the OR matches nothing.
        Assert.Empty(await ArtifactNamesAsync(
            "type = 'DataSet' AND (contexts_a.type = 'RunContext' AND contexts_a.name = 'my_run') AND (properties.span.int_value = 1 OR custom_properties.span.int_value = 1)"));
        Assert.Equal(["foo_1"], await ArtifactNamesAsync(
            "type = 'DataSet' AND (contexts_a.type = 'RunContext' AND contexts_a.name = 'my_run') AND properties.span.int_value = 1"));
        Assert.Equal(["bar_1"], await ArtifactNamesAsync(
            "type = 'DataSet' AND (contexts_a.type = 'RunContext' AND contexts_a.name = 'my_run') AND custom_properties.span.int_value = 1"));
    }

    [SkippableFact]
    public async Task Parent_and_child_context_aliases_select_contexts()
    {
        var g = await PutGraphAsync();

        Assert.Equal(["my_run", "other_run"], await ContextNamesAsync($"parent_contexts_a.id = {S(g.Pipeline)}"));
        Assert.Equal(["my_pipeline"], await ContextNamesAsync("child_contexts_a.type = 'RunContext'"));
        Assert.Equal(["my_run", "other_run"], await ContextNamesAsync("parent_contexts_a.name = 'parent_context_1' OR parent_contexts_a.name = 'my_pipeline'"));
    }

    [SkippableFact]
    public async Task Event_aliases_select_by_the_other_end_and_the_event_type()
    {
        var g = await PutGraphAsync();

        Assert.Equal(["foo_1", "bar_1"], await ArtifactNamesAsync($"events_0.execution_id = {S(g.E0)}"));
        Assert.Equal(["foo_1", "bar_1"], await ArtifactNamesAsync("events_0.type = INPUT"));
        Assert.Equal(["train", "train2"], await ExecutionNamesAsync($"events_0.artifact_id = {S(g.A0)}"));
        Assert.Equal(["train", "train2"], await ExecutionNamesAsync("events_0.type IN (INPUT, INTERNAL_INPUT)"));
        Assert.Equal(["train"], await ExecutionNamesAsync($"events_0.artifact_id = {S(g.A0)} AND events_0.type = OUTPUT"));
        Assert.Equal(["foo_1"], await ArtifactNamesAsync("events_0.milliseconds_since_epoch > 0 AND events_0.type = OUTPUT"));
    }

    [SkippableFact]
    public async Task The_user_guide_examples_select_by_uri_suffix_and_property_presence()
    {
        await PutGraphAsync();

        Assert.Equal(["foo_1"], await ArtifactNamesAsync("uri LIKE \"%/data\" AND properties.day.int_value > 0"));
        Assert.Equal(["train"], await ExecutionNamesAsync("type = \"Trainer\" AND properties.state.string_value IS NOT NULL"));
    }

    [SkippableFact]
    public async Task Names_that_look_like_syntax_are_plain_text_inside_literals()
    {
        await PutGraphAsync();

        Assert.Equal(["Foo_3"], await ArtifactNamesAsync("(contexts_0.type = 'RunContext') AND (contexts_0.name = 'properties.component.component')"));
    }

    // ------------------------------------------------------------------ inner-join semantics of properties

    private async Task PutCustomValuesAsync()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        await Store.PutArtifactsAsync(
        [
            new Artifact { TypeId = typeId, Name = "int", CustomProperties = Values(("q", MetadataValue.Int(1)), ("flag", MetadataValue.Bool(true))) },
            new Artifact { TypeId = typeId, Name = "string", CustomProperties = Values(("q", MetadataValue.String("s")), ("flag", MetadataValue.Bool(false))) },
            new Artifact { TypeId = typeId, Name = "none", Properties = Values(("foo", MetadataValue.Int(1))) },
        ]);
    }

    [SkippableFact]
    public async Task A_node_without_the_property_never_matches_a_predicate_on_it()
    {
        await PutCustomValuesAsync();

        Assert.Equal(["string"], await ArtifactNamesAsync("custom_properties.q.int_value IS NULL"));
        Assert.Equal(["int"], await ArtifactNamesAsync("custom_properties.q.string_value IS NULL"));
        Assert.Equal(["int", "string"], await ArtifactNamesAsync("custom_properties.q.double_value IS NULL"));
        Assert.Equal(["int"], await ArtifactNamesAsync("custom_properties.q.int_value = 1 OR name = 'none'"));
        Assert.Empty(await ArtifactNamesAsync("custom_properties.missing.int_value IS NULL"));
    }

    [SkippableFact]
    public async Task A_value_of_another_kind_is_null_and_a_negated_comparison_with_null_is_not_true()
    {
        await PutCustomValuesAsync();

        Assert.Empty(await ArtifactNamesAsync("NOT (custom_properties.q.int_value = 1)"));
        Assert.Empty(await ArtifactNamesAsync("custom_properties.q.int_value != 1"));
        Assert.Equal(["string"], await ArtifactNamesAsync("NOT (custom_properties.q.string_value = 'x')"));
    }

    [SkippableFact]
    public async Task Properties_and_custom_properties_are_separate_namespaces()
    {
        await PutCustomValuesAsync();

        Assert.Equal(["none"], await ArtifactNamesAsync("properties.foo.int_value = 1"));
        Assert.Empty(await ArtifactNamesAsync("custom_properties.foo.int_value = 1"));
        Assert.Empty(await ArtifactNamesAsync("properties.q.int_value = 1"));
    }

    [SkippableFact]
    public async Task Bool_values_are_their_own_kind()
    {
        await PutCustomValuesAsync();

        Assert.Equal(["int"], await ArtifactNamesAsync("custom_properties.flag.bool_value = true"));
        Assert.Equal(["string"], await ArtifactNamesAsync("NOT custom_properties.flag.bool_value"));
        Assert.Equal(["int", "string"], await ArtifactNamesAsync("custom_properties.flag.int_value IS NULL"));
        Assert.Equal(["int"], await ArtifactNamesAsync("(custom_properties.q.int_value = 1) = custom_properties.flag.bool_value"));
    }

    // ------------------------------------------------------------------ §8 items 54–58

    [SkippableFact]
    public async Task Item_54_custom_int_range_and_name_prefix_select_two_of_200_artifacts()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        await Store.PutArtifactsAsync([.. Enumerable.Range(0, 200).Select(i => new Artifact
        {
            TypeId = typeId, Name = "node_" + S(i), CustomProperties = Values(("p", MetadataValue.Int(i))),
        })]);

        var page = await Store.GetArtifactsAsync(new ListOptions { FilterQuery = "custom_properties.p.int_value < 21 AND name LIKE 'node_2%'", OrderBy = OrderByField.Id });

        Assert.Equal(["node_2", "node_20"], page.Items.Select(a => a.Name ?? string.Empty));
    }

    [SkippableFact]
    public async Task Item_54_custom_int_range_and_name_prefix_select_two_of_200_executions()
    {
        var typeId = await PutExampleExecutionTypeAsync();
        await Store.PutExecutionsAsync([.. Enumerable.Range(0, 200).Select(i => new Execution
        {
            TypeId = typeId, Name = "node_" + S(i), CustomProperties = Values(("p", MetadataValue.Int(i))),
        })]);

        var page = await Store.GetExecutionsAsync(new ListOptions { FilterQuery = "custom_properties.p.int_value < 21 AND name LIKE 'node_2%'" });

        Assert.Equal(["node_2", "node_20"], page.Items.Select(e => e.Name ?? string.Empty));
    }

    [SkippableFact]
    public async Task Item_54_custom_int_range_and_name_prefix_select_two_of_200_contexts()
    {
        var typeId = await PutExampleContextTypeAsync();
        await Store.PutContextsAsync([.. Enumerable.Range(0, 200).Select(i => new Context
        {
            TypeId = typeId, Name = "node_" + S(i), CustomProperties = Values(("p", MetadataValue.Int(i))),
        })]);

        var page = await Store.GetContextsAsync(new ListOptions { FilterQuery = "custom_properties.p.int_value < 21 AND name LIKE 'node_2%'" });

        Assert.Equal(["node_2", "node_20"], page.Items.Select(c => c.Name ?? string.Empty));
    }

    [SkippableFact]
    public async Task Item_55_invalid_syntax_is_invalid_argument_on_every_list()
    {
        var options = new ListOptions { FilterQuery = "invalid syntax" };

        var errors = new[]
        {
            await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetArtifactsAsync(options)),
            await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetExecutionsAsync(options)),
            await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetContextsAsync(options)),
        };

        foreach (var e in errors) Assert.StartsWith("Invalid `filter_query` at column 9: ", e.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Item_55_invalid_filters_are_refused_by_the_type_and_context_lists_too()
    {
        var g = await PutGraphAsync();
        var options = new ListOptions { FilterQuery = "name = " };

        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetArtifactsByTypeAsync("DataSet", options: options));
        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetExecutionsByTypeAsync("Trainer", options: options));
        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetContextsByTypeAsync("RunContext", options: options));
        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetArtifactsByContextAsync(g.Run, options));
        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetExecutionsByContextAsync(g.Run, options));
    }

    [SkippableFact]
    public async Task Item_56_quotes_inside_names_match_with_the_other_quote_mark()
    {
        var executionType = await PutExampleExecutionTypeAsync();
        var contextType = await PutExampleContextTypeAsync();
        var execution = await PutExecutionAsync(new Execution { TypeId = executionType, Name = "exe_name_with_'" });
        var context = await PutContextAsync(new Context { TypeId = contextType, Name = "context_name_with_'" });
        await Store.PutAttributionsAndAssociationsAsync([], [new(context, execution)]);

        Assert.Single((await Store.GetExecutionsAsync(new ListOptions { FilterQuery = "name = \"exe_name_with_'\"" })).Items);
        Assert.Single((await Store.GetExecutionsAsync(new ListOptions { FilterQuery = "contexts_1.name = \"context_name_with_'\"" })).Items);
        Assert.Single((await Store.GetExecutionsAsync(new ListOptions { FilterQuery = "name = 'exe_name_with_\\''" })).Items);
        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetExecutionsAsync(new ListOptions { FilterQuery = "name = 'exe_name_with_''" }));
    }

    [SkippableFact]
    public async Task Item_57_a_filter_in_a_context_list_keeps_only_that_contexts_nodes()
    {
        var executionType = await PutExampleExecutionTypeAsync();
        var contextType = await PutExampleContextTypeAsync();
        var c1 = await PutContextAsync(new Context { TypeId = contextType, Name = "c1" });
        var c2 = await PutContextAsync(new Context { TypeId = contextType, Name = "c2" });
        var e1 = await PutExecutionAsync(new Execution { TypeId = executionType, Name = "e1", LastKnownState = ExecutionState.New });
        var e2 = await PutExecutionAsync(new Execution { TypeId = executionType, Name = "e2", LastKnownState = ExecutionState.Running });
        await Store.PutAttributionsAndAssociationsAsync([], [new(c1, e1), new(c2, e2)]);

        var page = await Store.GetExecutionsByContextAsync(c1, new ListOptions { FilterQuery = "last_known_state = NEW OR last_known_state = RUNNING" });

        AssertIds([e1], page.Items.Select(e => e.Id));
    }

    [SkippableFact]
    public async Task Item_58_unsupported_and_quoted_states_are_refused_and_state_in_is_accepted()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var pending = await PutArtifactAsync(new Artifact { TypeId = typeId, State = ArtifactState.Pending });
        await PutArtifactAsync(new Artifact { TypeId = typeId, State = ArtifactState.Abandoned });
        var live = await PutArtifactAsync(new Artifact { TypeId = typeId, State = ArtifactState.Live });

        var abandoned = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetArtifactsAsync(new ListOptions { FilterQuery = "state = ABANDONED" }));
        Assert.Contains("Unsupported enum value specified in the query: ABANDONED", abandoned.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetArtifactsAsync(new ListOptions { FilterQuery = "state = 'LIVE'" }));
        var page = await Store.GetArtifactsAsync(new ListOptions { FilterQuery = "state IN (PENDING, LIVE)" });
        AssertIds([pending, live], page.Items.Select(a => a.Id));
    }

    // ------------------------------------------------------------------ filters with the other list options

    [SkippableFact]
    public async Task A_filtered_list_pages_through_exactly_the_matching_nodes()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var ids = await Store.PutArtifactsAsync([.. Enumerable.Range(0, 30).Select(i => new Artifact
        {
            TypeId = typeId, Name = "a" + S(i), CustomProperties = Values(("p", MetadataValue.Int(i))),
        })]);

        foreach (var field in new[] { OrderByField.Id, OrderByField.CreateTime, OrderByField.LastUpdateTime })
        {
            var seen = new List<long?>();
            var options = new ListOptions { FilterQuery = "custom_properties.p.int_value >= 10", MaxResultSize = 7, OrderBy = field, IsAscending = false };
            for (var guard = 0; guard < 10; guard++)
            {
                var page = await Store.GetArtifactsAsync(options);
                seen.AddRange(page.Items.Select(a => a.Id));
                if (string.IsNullOrEmpty(page.NextPageToken)) break;
                options = options with { NextPageToken = page.NextPageToken };
            }

            AssertSameIds(ids.Skip(10), seen);
            Assert.Equal(20, seen.Distinct().Count());
        }
    }

    [SkippableFact]
    public async Task A_filter_narrows_the_list_of_a_type()
    {
        await PutGraphAsync();

        var page = await Store.GetArtifactsByTypeAsync("DataSet", options: Filter("state = LIVE OR name = 'foo_2'"));

        Assert.Equal(["foo_1"], page.Items.Select(a => a.Name ?? string.Empty));
    }

    [SkippableFact]
    public async Task A_filter_narrows_the_artifacts_of_a_context()
    {
        var g = await PutGraphAsync();

        var page = await Store.GetArtifactsByContextAsync(g.Pipeline, Filter("contexts_a.name = 'my_run' OR uri = 'exact_path_string'"));

        Assert.Equal(["foo_1", "foo_2"], page.Items.Select(a => a.Name ?? string.Empty));
    }

    [SkippableTheory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public async Task An_empty_filter_is_no_filter(string? query)
    {
        var ids = await PutArtifactsAsync(3);

        var page = await Store.GetArtifactsAsync(new ListOptions { FilterQuery = query });

        AssertIds(ids, page.Items.Select(a => a.Id));
    }

    // ------------------------------------------------------------------ injection

    [SkippableTheory]
    [InlineData("name = 'x'' OR 1=1 --'")]
    [InlineData("name = 'x'; DROP TABLE artifact; --")]
    [InlineData("name = 'x' UNION SELECT * FROM type")]
    [InlineData("name = x' OR '1'='1")]
    public async Task Injection_attempts_are_syntax_errors(string query)
    {
        await PutArtifactsAsync(3);

        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetArtifactsAsync(new ListOptions { FilterQuery = query }));

        Assert.Equal(3, (await AllArtifactsAsync()).Count);
    }

    [SkippableFact]
    public async Task A_condition_and_a_comment_written_in_the_query_are_the_query()
    {
        await PutArtifactsAsync(3);

        // Not an injection: the user wrote OR 1=1 and a comment, which the language has (as ZetaSQL does).
        Assert.Equal(3, (await Store.GetArtifactsAsync(new ListOptions { FilterQuery = "name = 'x' OR 1=1 --'" })).Items.Count);
    }

    [SkippableTheory]
    [InlineData("name = \"x' OR '1'='1\"")]
    [InlineData("name = 'x\\' OR 1=1 --'")]
    [InlineData("name LIKE '%'' OR ''1''=''1'")]
    [InlineData("custom_properties.`p' OR 1=1 --`.int_value = 1")]
    [InlineData("custom_properties.`p\\` = 1 OR 1`.string_value = 'x'")]
    [InlineData("contexts_a.name = \"' OR 1=1 --\"")]
    public async Task Values_that_look_like_sql_are_bound_and_match_nothing(string query)
    {
        await PutArtifactsAsync(3);

        var outcome = await Record.ExceptionAsync(() => Store.GetArtifactsAsync(new ListOptions { FilterQuery = query }));

        if (outcome is not null) Assert.IsType<InvalidArgumentException>(outcome);
        else Assert.Empty((await Store.GetArtifactsAsync(new ListOptions { FilterQuery = query })).Items);
        Assert.Equal(3, (await AllArtifactsAsync()).Count);
    }

    [SkippableFact]
    public async Task A_name_full_of_sql_is_matched_literally()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        const string Evil = "a'; DROP TABLE artifact; --";
        var id = await PutArtifactAsync(new Artifact
        {
            TypeId = typeId,
            Name = Evil,
            CustomProperties = Values(("k' OR 1=1", MetadataValue.String("v\" OR \"1\"=\"1"))),
        });
        await PutArtifactAsync(new Artifact { TypeId = typeId, Name = "plain" });

        AssertIds([id], (await Store.GetArtifactsAsync(Filter("name = \"a'; DROP TABLE artifact; --\""))).Items.Select(a => a.Id));
        AssertIds([id], (await Store.GetArtifactsAsync(Filter("custom_properties.`k' OR 1=1`.string_value = 'v\" OR \"1\"=\"1'"))).Items.Select(a => a.Id));
        AssertIds([id], (await Store.GetArtifactsAsync(Filter("name LIKE 'a\\'%'"))).Items.Select(a => a.Id));
        Assert.Equal(2, (await AllArtifactsAsync()).Count);
    }

    [SkippableFact]
    public async Task Like_wildcards_of_the_database_are_plain_characters()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        await Store.PutArtifactsAsync(
        [
            new Artifact { TypeId = typeId, Name = "a*b" },
            new Artifact { TypeId = typeId, Name = "axb" },
            new Artifact { TypeId = typeId, Name = "a[b]" },
            new Artifact { TypeId = typeId, Name = "a%b" },
        ]);

        Assert.Equal(["a*b"], await ArtifactNamesAsync("name LIKE 'a*b'"));
        Assert.Equal(["a*b", "axb", "a%b"], await ArtifactNamesAsync("name LIKE 'a_b'"));
        Assert.Equal(["a[b]"], await ArtifactNamesAsync("name LIKE 'a[b]'"));
        Assert.Equal(["a%b"], await ArtifactNamesAsync("name LIKE 'a\\\\%b'"));
        Assert.Equal(["a*b", "axb", "a[b]", "a%b"], await ArtifactNamesAsync("name LIKE 'a%'"));
    }
}
