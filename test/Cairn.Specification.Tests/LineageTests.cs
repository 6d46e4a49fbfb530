using Xunit;

namespace Cairn.Specification.Tests;

/// <summary>
/// Lineage: MLMD's GetLineageSubgraph (mlmd.md §5, §8 items 59–62) and Cairn's own lineage API on fixture graphs with known
/// answers: chains, diamonds, fan-in and fan-out, a cycle through an execution that reads and writes one artifact, disconnected parts.
/// </summary>
public abstract class LineageTests<TStoreFactory> : StoreTestBase<TStoreFactory>
    where TStoreFactory : ITestStoreFactory, new()
{
    private long _artifactType;
    private long _executionType;
    private long _contextType;

    private async Task TypesAsync()
    {
        if (_artifactType != 0) return;
        _artifactType = await Store.PutArtifactTypeAsync(new ArtifactType { Name = "Data" });
        _executionType = await Store.PutExecutionTypeAsync(new ExecutionType { Name = "Step" });
        _contextType = await Store.PutContextTypeAsync(new ContextType { Name = "Run" });
    }

    private async Task<long> ArtifactAsync(string name)
    {
        await TypesAsync();
        return await PutArtifactAsync(new Artifact { TypeId = _artifactType, Name = name, Uri = name });
    }

    private async Task<long> ExecutionAsync(string name)
    {
        await TypesAsync();
        return await PutExecutionAsync(new Execution { TypeId = _executionType, Name = name });
    }

    private Task EventAsync(long artifact, long execution, EventType type) =>
        Store.PutEventsAsync([new Event { ArtifactId = artifact, ExecutionId = execution, Type = type }]);

    /// <summary>in → exec → out.</summary>
    private async Task<(long In, long Exec, long Out)> ChainAsync()
    {
        var input = await ArtifactAsync("in");
        var exec = await ExecutionAsync("test_execution");
        var output = await ArtifactAsync("out");
        await EventAsync(input, exec, EventType.Input);
        await EventAsync(output, exec, EventType.Output);
        return (input, exec, output);
    }

    /// <summary>The graph of MLMD's PutLineageSubgraph/GetLineageSubgraph test: in → {existing, new} → out, two contexts.</summary>
    private async Task<(long In, long Out, long Existing, long New)> MlmdGraphAsync()
    {
        await TypesAsync();
        var existingExec = await ExecutionAsync("existing_execution");
        var existingContext = await PutContextAsync(new Context { TypeId = _contextType, Name = "existing_context" });
        var result = await Store.PutLineageSubgraphAsync(
            [new Execution { Id = existingExec, TypeId = _executionType }, new Execution { TypeId = _executionType, Name = "new_execution" }],
            [new Artifact { TypeId = _artifactType, Uri = "input_artifact" }, new Artifact { TypeId = _artifactType, Uri = "output_artifact" }],
            [new Context { Id = existingContext, TypeId = _contextType, Name = "existing_context" }, new Context { TypeId = _contextType, Name = "new_context" }],
            [
                new EventEdge(0, 0, new Event { Type = EventType.Input }),
                new EventEdge(1, 0, new Event { Type = EventType.Input }),
                new EventEdge(0, 1, new Event { Type = EventType.Output }),
                new EventEdge(1, 1, new Event { Type = EventType.Output }),
            ]);
        return (result.ArtifactIds[0], result.ArtifactIds[1], result.ExecutionIds[0], result.ExecutionIds[1]);
    }

    // ------------------------------------------------------------------ MLMD GetLineageSubgraph

    [SkippableFact]
    public async Task Edges_only_mask_returns_every_edge_of_the_connected_graph_and_no_nodes()
    {
        await MlmdGraphAsync();
        var graph = await Store.GetLineageSubgraphAsync(
            new LineageSubgraphQuery { StartingNodeKind = NodeKind.Artifact, StartingFilterQuery = "uri = 'output_artifact'", MaxNumHops = 10 },
            ["events", "associations", "attributions"]);
        Assert.Equal(4, graph.Events.Count);
        Assert.Equal(4, graph.Associations.Count);
        Assert.Equal(4, graph.Attributions.Count);
        Assert.Empty(graph.Artifacts);
        Assert.Empty(graph.Executions);
        Assert.Empty(graph.Contexts);
        Assert.Empty(graph.ArtifactTypes);
    }

    [SkippableFact]
    public async Task Empty_mask_returns_nodes_contexts_and_the_types_of_returned_nodes()
    {
        var (input, output, existing, fresh) = await MlmdGraphAsync();
        var graph = await Store.GetLineageSubgraphAsync(
            new LineageSubgraphQuery { StartingNodeKind = NodeKind.Artifact, StartingFilterQuery = "uri = 'output_artifact'", MaxNumHops = 10 });
        AssertSameIds([input, output], graph.Artifacts.Select(a => a.Id));
        AssertSameIds([existing, fresh], graph.Executions.Select(x => x.Id));
        Assert.Equal(2, graph.Contexts.Count);
        Assert.Equal("Data", Assert.Single(graph.ArtifactTypes).Name);
        Assert.Equal("Step", Assert.Single(graph.ExecutionTypes).Name);
        Assert.Equal("Run", Assert.Single(graph.ContextTypes).Name);
        Assert.Equal("output_artifact", graph.Artifacts.Single(a => a.Id == output).Uri);
    }

    [SkippableFact]
    public async Task Zero_hops_from_executions_in_a_context_returns_just_them_with_their_contexts()
    {
        await MlmdGraphAsync();
        var graph = await Store.GetLineageSubgraphAsync(new LineageSubgraphQuery
        {
            StartingNodeKind = NodeKind.Execution,
            StartingFilterQuery = "contexts_a.name = 'existing_context'",
            MaxNumHops = 0,
        });
        Assert.Equal(2, graph.Executions.Count);
        Assert.Equal(2, graph.Contexts.Count);
        Assert.Equal(4, graph.Associations.Count);
        Assert.Empty(graph.Events);
        Assert.Empty(graph.Artifacts);
        Assert.Empty(graph.Attributions);
    }

    [SkippableFact]
    public async Task Downstream_from_an_execution_reaches_only_its_output()
    {
        var (_, exec, output) = await ChainAsync();
        var graph = await Store.GetLineageSubgraphAsync(new LineageSubgraphQuery
        {
            StartingNodeKind = NodeKind.Execution,
            StartingFilterQuery = "name = 'test_execution'",
            MaxNumHops = 2,
            Direction = LineageDirection.Downstream,
        });
        AssertIds([output], graph.Artifacts.Select(a => a.Id));
        AssertIds([exec], graph.Executions.Select(x => x.Id));
        var e = Assert.Single(graph.Events);
        Assert.Equal(output, e.ArtifactId);
    }

    [SkippableFact]
    public async Task Upstream_from_an_execution_reaches_only_its_input()
    {
        var (input, exec, _) = await ChainAsync();
        var graph = await Store.GetLineageSubgraphAsync(new LineageSubgraphQuery
        {
            StartingNodeKind = NodeKind.Execution,
            StartingFilterQuery = "name = 'test_execution'",
            MaxNumHops = 2,
            Direction = LineageDirection.Upstream,
        });
        AssertIds([input], graph.Artifacts.Select(a => a.Id));
        AssertIds([exec], graph.Executions.Select(x => x.Id));
        Assert.Equal(input, Assert.Single(graph.Events).ArtifactId);
    }

    [SkippableFact]
    public async Task A_query_without_starting_nodes_is_rejected()
    {
        await ChainAsync();
        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetLineageSubgraphAsync(new LineageSubgraphQuery { StartingFilterQuery = "id = 1" }));
        Assert.Equal(Messages.LineageNoStartingNodes, e.Message);
    }

    [SkippableFact]
    public async Task An_empty_starting_filter_is_rejected()
    {
        await ChainAsync();
        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() =>
            Store.GetLineageSubgraphAsync(new LineageSubgraphQuery { StartingNodeKind = NodeKind.Artifact, StartingFilterQuery = "" }));
        Assert.Equal(Messages.LineageEmptyStartingFilter, e.Message);
    }

    [SkippableFact]
    public async Task Negative_hops_are_rejected()
    {
        await ChainAsync();
        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetLineageSubgraphAsync(
            new LineageSubgraphQuery { StartingNodeKind = NodeKind.Artifact, StartingFilterQuery = "uri = 'in'", MaxNumHops = -1 }));
        Assert.Equal(Messages.LineageNegativeHops(-1), e.Message);
    }

    [SkippableFact]
    public async Task A_starting_filter_that_matches_nothing_is_not_found()
    {
        await ChainAsync();
        var e = await Assert.ThrowsAsync<NotFoundException>(() => Store.GetLineageSubgraphAsync(
            new LineageSubgraphQuery { StartingNodeKind = NodeKind.Artifact, StartingFilterQuery = "uri = 'nowhere'" }));
        Assert.Equal(Messages.LineageNoQualifiedNodes, e.Message);
    }

    [SkippableFact]
    public async Task A_start_by_id_is_found_with_or_without_edges_and_a_missing_id_is_not_found()
    {
        var (input, exec, output) = await ChainAsync();
        var island = await ArtifactAsync("island");
        foreach (var filter in new[] { $"id = {input}", $"  id={input} " })
        {
            var graph = await Store.GetLineageSubgraphAsync(new LineageSubgraphQuery { StartingNodeKind = NodeKind.Artifact, StartingFilterQuery = filter, MaxNumHops = 2 });
            Assert.Equal(new[] { input, output }, graph.Artifacts.Select(a => a.Id!.Value).Order());
            Assert.Equal(exec, Assert.Single(graph.Executions).Id);
        }

        var alone = await Store.GetLineageSubgraphAsync(new LineageSubgraphQuery { StartingNodeKind = NodeKind.Artifact, StartingFilterQuery = $"id = {island}" });
        Assert.Equal(island, Assert.Single(alone.Artifacts).Id);
        Assert.Empty(alone.Events);
        var fromExecution = await Store.GetLineageSubgraphAsync(new LineageSubgraphQuery { StartingNodeKind = NodeKind.Execution, StartingFilterQuery = $"id = {exec}", MaxNumHops = 1 });
        Assert.Equal(exec, Assert.Single(fromExecution.Executions).Id);
        Assert.Equal(2, fromExecution.Artifacts.Count);

        foreach (var (kind, filter) in new[] { (NodeKind.Artifact, "id = 999999"), (NodeKind.Execution, "id = 999999"), (NodeKind.Execution, $"id = {exec + 1000}") })
        {
            var e = await Assert.ThrowsAsync<NotFoundException>(() => Store.GetLineageSubgraphAsync(
                new LineageSubgraphQuery { StartingNodeKind = kind, StartingFilterQuery = filter }));
            Assert.Equal(Messages.LineageNoQualifiedNodes, e.Message);
        }
    }

    [SkippableFact]
    public async Task Nodes_come_nearest_first_then_artifacts_then_by_id_and_events_by_execution_artifact_and_type()
    {
        // A fan: three steps each read the hub and write two outputs; created out of id order on purpose.
        var hub = await ArtifactAsync("hub");
        var steps = new List<long>();
        var outputs = new List<long>();
        for (var k = 0; k < 3; k++) steps.Add(await ExecutionAsync("step" + k));
        for (var k = 5; k >= 0; k--) outputs.Add(await ArtifactAsync("out" + k));
        for (var k = 2; k >= 0; k--)
        {
            await EventAsync(outputs[2 * k], steps[k], EventType.Output);
            await EventAsync(hub, steps[k], EventType.Input);
            await EventAsync(outputs[(2 * k) + 1], steps[k], EventType.Output);
        }

        await EventAsync(outputs[0], steps[0], EventType.DeclaredOutput);
        foreach (var idsOnly in new[] { false, true })
        {
            var result = await Store.GetLineageAsync(new LineageRequest
            {
                Start = [NodeRef.Artifact(hub)],
                Direction = LineageDirection.Downstream,
                MaxDepth = 2,
                IdsOnly = idsOnly,
            });
            var expectedNodes = new[] { (0, NodeKind.Artifact, hub) }
                .Concat(steps.Order().Select(x => (1, NodeKind.Execution, x)))
                .Concat(outputs.Order().Select(a => (2, NodeKind.Artifact, a)));
            Assert.Equal(expectedNodes, result.Nodes.Select(n => (n.Depth, n.Node.Kind, n.Node.Id!.Value)));
            var events = result.Events.Select(e => (e.ExecutionId!.Value, e.ArtifactId!.Value, (int)e.Type!.Value)).ToList();
            Assert.Equal(10, events.Count);
            Assert.Equal(events.Order(), events);
        }

        var graph = await Store.GetLineageSubgraphAsync(new LineageSubgraphQuery
        {
            StartingNodeKind = NodeKind.Artifact,
            StartingFilterQuery = $"id = {hub}",
            MaxNumHops = 2,
            Direction = LineageDirection.Downstream,
        });
        var subgraphEvents = graph.Events.Select(e => (e.ExecutionId!.Value, e.ArtifactId!.Value, (int)e.Type!.Value)).ToList();
        Assert.Equal(10, subgraphEvents.Count);
        Assert.Equal(subgraphEvents.Order(), subgraphEvents);
    }

    [SkippableFact]
    public async Task An_invalid_starting_filter_is_rejected()
    {
        await ChainAsync();
        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetLineageSubgraphAsync(
            new LineageSubgraphQuery { StartingNodeKind = NodeKind.Artifact, StartingFilterQuery = "invalid syntax" }));
    }

    [SkippableFact]
    public async Task Hops_limit_how_far_the_traversal_goes()
    {
        var (input, exec, output) = await ChainAsync();
        var one = await Store.GetLineageSubgraphAsync(
            new LineageSubgraphQuery { StartingNodeKind = NodeKind.Artifact, StartingFilterQuery = "uri = 'in'", MaxNumHops = 1 });
        AssertIds([input], one.Artifacts.Select(a => a.Id));
        AssertIds([exec], one.Executions.Select(x => x.Id));
        var two = await Store.GetLineageSubgraphAsync(
            new LineageSubgraphQuery { StartingNodeKind = NodeKind.Artifact, StartingFilterQuery = "uri = 'in'", MaxNumHops = 2 });
        AssertSameIds([input, output], two.Artifacts.Select(a => a.Id));
        Assert.Equal(2, two.Events.Count);
    }

    [SkippableFact]
    public async Task Ending_nodes_stop_the_traversal_and_are_returned_only_when_asked()
    {
        // in → e1 → mid → e2 → out
        var input = await ArtifactAsync("in");
        var e1 = await ExecutionAsync("e1");
        var mid = await ArtifactAsync("mid");
        var e2 = await ExecutionAsync("e2");
        var output = await ArtifactAsync("out");
        await EventAsync(input, e1, EventType.Input);
        await EventAsync(mid, e1, EventType.Output);
        await EventAsync(mid, e2, EventType.Input);
        await EventAsync(output, e2, EventType.Output);

        var query = new LineageSubgraphQuery
        {
            StartingNodeKind = NodeKind.Artifact,
            StartingFilterQuery = "uri = 'in'",
            Direction = LineageDirection.Downstream,
            EndingArtifacts = new LineageEndingNodes("uri = 'mid'"),
        };
        var excluded = await Store.GetLineageSubgraphAsync(query);
        AssertIds([input], excluded.Artifacts.Select(a => a.Id));
        AssertIds([e1], excluded.Executions.Select(x => x.Id));
        Assert.Single(excluded.Events);

        var included = await Store.GetLineageSubgraphAsync(query with { EndingArtifacts = new LineageEndingNodes("uri = 'mid'", IncludeEndingNodes: true) });
        AssertSameIds([input, mid], included.Artifacts.Select(a => a.Id));
        AssertIds([e1], included.Executions.Select(x => x.Id));
        Assert.Equal(2, included.Events.Count);
        Assert.DoesNotContain(included.Executions, x => x.Id == e2);
        Assert.DoesNotContain(included.Artifacts, a => a.Id == output);
    }

    [SkippableFact]
    public async Task Starting_nodes_that_are_also_ending_nodes_are_dropped()
    {
        await ChainAsync();
        var e = await Assert.ThrowsAsync<NotFoundException>(() => Store.GetLineageSubgraphAsync(new LineageSubgraphQuery
        {
            StartingNodeKind = NodeKind.Artifact,
            StartingFilterQuery = "uri = 'in'",
            EndingArtifacts = new LineageEndingNodes("uri = 'in'", IncludeEndingNodes: true),
        }));
        Assert.Equal(Messages.LineageNoQualifiedNodes, e.Message);
    }

    [SkippableTheory]
    [InlineData(EventType.Output, LineageDirection.Upstream, true)]
    [InlineData(EventType.DeclaredOutput, LineageDirection.Upstream, true)]
    [InlineData(EventType.InternalOutput, LineageDirection.Upstream, true)]
    [InlineData(EventType.PendingOutput, LineageDirection.Upstream, true)]
    [InlineData(EventType.Input, LineageDirection.Upstream, false)]
    [InlineData(EventType.Input, LineageDirection.Downstream, true)]
    [InlineData(EventType.DeclaredInput, LineageDirection.Downstream, true)]
    [InlineData(EventType.InternalInput, LineageDirection.Downstream, true)]
    [InlineData(EventType.Output, LineageDirection.Downstream, false)]
    [InlineData(EventType.PendingOutput, LineageDirection.Bidirectional, true)]
    [InlineData(EventType.Input, LineageDirection.Unspecified, true)]
    public async Task Each_event_type_is_followed_only_in_its_direction(EventType type, LineageDirection direction, bool followed)
    {
        var artifact = await ArtifactAsync("a");
        var exec = await ExecutionAsync("x");
        await EventAsync(artifact, exec, type);
        var graph = await Store.GetLineageSubgraphAsync(
            new LineageSubgraphQuery { StartingNodeKind = NodeKind.Artifact, StartingFilterQuery = "uri = 'a'", Direction = direction, MaxNumHops = 1 });
        Assert.Equal(followed, graph.Executions.Any(x => x.Id == exec));
    }

    // ------------------------------------------------------------------ Cairn's lineage API

    [SkippableFact]
    public async Task Downstream_of_a_dataset_walks_hop_by_hop_to_every_derived_artifact_with_depths()
    {
        // dataset → train → model → eval → report
        var dataset = await ArtifactAsync("dataset");
        var train = await ExecutionAsync("train");
        var model = await ArtifactAsync("model");
        var eval = await ExecutionAsync("eval");
        var report = await ArtifactAsync("report");
        await EventAsync(dataset, train, EventType.Input);
        await EventAsync(model, train, EventType.Output);
        await EventAsync(model, eval, EventType.Input);
        await EventAsync(report, eval, EventType.Output);

        var result = await Store.GetLineageAsync(new LineageRequest { Start = [NodeRef.Artifact(dataset)], Direction = LineageDirection.Downstream });
        Assert.False(result.Truncated);
        Assert.Equal(
            [(NodeKind.Artifact, dataset, 0), (NodeKind.Execution, train, 1), (NodeKind.Artifact, model, 2), (NodeKind.Execution, eval, 3), (NodeKind.Artifact, report, 4)],
            result.Nodes.Select(n => (n.Node.Kind, n.Node.Id!.Value, n.Depth)));
        Assert.Equal(4, result.Events.Count);
        Assert.Equal("model", result.Nodes.Single(n => n.Node.Id == model && n.Node.Kind == NodeKind.Artifact).Node.Name);
    }

    [SkippableFact]
    public async Task Ids_only_returns_the_same_traversal_without_reading_the_nodes()
    {
        // dataset → train → model, with a budget that truncates: the ids-only answer matches the full one node for node.
        var dataset = await ArtifactAsync("dataset");
        var train = await ExecutionAsync("train");
        var model = await ArtifactAsync("model");
        await EventAsync(dataset, train, EventType.Input);
        await EventAsync(model, train, EventType.Output);

        var request = new LineageRequest { Start = [NodeRef.Artifact(dataset)], Direction = LineageDirection.Downstream };
        var full = await Store.GetLineageAsync(request);
        var ids = await Store.GetLineageAsync(request with { IdsOnly = true });
        Assert.Equal(full.Nodes.Select(n => (n.Node.Kind, n.Node.Id, n.Depth)), ids.Nodes.Select(n => (n.Node.Kind, n.Node.Id, n.Depth)));
        Assert.Equal(full.Events.Select(e => (e.ArtifactId, e.ExecutionId, e.Type)), ids.Events.Select(e => (e.ArtifactId, e.ExecutionId, e.Type)));
        Assert.All(ids.Nodes, n => Assert.True(n.Node.TypeId is null && n.Node.Type is null && n.Node.Name is null && n.Node.Properties.Count == 0));
        Assert.Equal("model", full.Nodes[2].Node.Name);

        var truncated = await Store.GetLineageAsync(request with { IdsOnly = true, MaxNodes = 2 });
        Assert.True(truncated.Truncated);
        Assert.Equal([dataset, train], truncated.Nodes.Select(n => n.Node.Id!.Value));
        var rest = await Store.GetLineageAsync(new LineageRequest { ContinuationToken = truncated.ContinuationToken, IdsOnly = true });
        Assert.Contains(rest.Nodes, n => n.Node.Id == model && n.Node.Kind == NodeKind.Artifact && n.Node.Name is null);
    }

    [SkippableFact]
    public async Task A_diamond_is_visited_once_per_node()
    {
        // a → x1 → b, a → x2 → c, b → x3, c → x3 → d
        var a = await ArtifactAsync("a");
        var b = await ArtifactAsync("b");
        var c = await ArtifactAsync("c");
        var d = await ArtifactAsync("d");
        var x1 = await ExecutionAsync("x1");
        var x2 = await ExecutionAsync("x2");
        var x3 = await ExecutionAsync("x3");
        await EventAsync(a, x1, EventType.Input);
        await EventAsync(b, x1, EventType.Output);
        await EventAsync(a, x2, EventType.Input);
        await EventAsync(c, x2, EventType.Output);
        await EventAsync(b, x3, EventType.Input);
        await EventAsync(c, x3, EventType.Input);
        await EventAsync(d, x3, EventType.Output);

        var down = await Store.GetLineageAsync(new LineageRequest { Start = [NodeRef.Artifact(a)], Direction = LineageDirection.Downstream });
        Assert.Equal(7, down.Nodes.Count);
        Assert.Equal(7, down.Events.Count);
        Assert.Equal(4, down.Nodes.Single(n => n.Node.Kind == NodeKind.Artifact && n.Node.Id == d).Depth);

        var up = await Store.GetLineageAsync(new LineageRequest { Start = [NodeRef.Artifact(d)], Direction = LineageDirection.Upstream });
        Assert.Equal(7, up.Nodes.Count);
    }

    [SkippableFact]
    public async Task A_cycle_through_an_execution_that_reads_and_writes_one_artifact_terminates()
    {
        var a = await ArtifactAsync("a");
        var x = await ExecutionAsync("x");
        await EventAsync(a, x, EventType.Input);
        await EventAsync(a, x, EventType.Output);
        foreach (var direction in new[] { LineageDirection.Upstream, LineageDirection.Downstream, LineageDirection.Bidirectional })
        {
            var result = await Store.GetLineageAsync(new LineageRequest { Start = [NodeRef.Artifact(a)], Direction = direction, MaxDepth = 1000 });
            Assert.Equal(2, result.Nodes.Count);
        }

        var graph = await Store.GetLineageSubgraphAsync(new LineageSubgraphQuery { StartingNodeKind = NodeKind.Artifact, StartingFilterQuery = "uri = 'a'" });
        Assert.Equal(2, graph.Events.Count);
    }

    [SkippableFact]
    public async Task Fan_in_and_fan_out_and_disconnected_parts()
    {
        // s1, s2, s3 → merge → o1, o2 ; an unrelated island i → y → j
        var sources = new List<long>();
        for (var i = 0; i < 3; i++) sources.Add(await ArtifactAsync("s" + i));
        var merge = await ExecutionAsync("merge");
        foreach (var s in sources) await EventAsync(s, merge, EventType.Input);
        var o1 = await ArtifactAsync("o1");
        var o2 = await ArtifactAsync("o2");
        await EventAsync(o1, merge, EventType.Output);
        await EventAsync(o2, merge, EventType.Output);
        var island = await ArtifactAsync("i");
        var y = await ExecutionAsync("y");
        await EventAsync(island, y, EventType.Input);

        var up = await Store.GetLineageAsync(new LineageRequest { Start = [NodeRef.Artifact(o1)], Direction = LineageDirection.Upstream });
        AssertSameIds([o1, .. sources], up.Nodes.Where(n => n.Node.Kind == NodeKind.Artifact).Select(n => n.Node.Id));

        var both = await Store.GetLineageAsync(new LineageRequest { Start = [NodeRef.Artifact(sources[0])], Direction = LineageDirection.Bidirectional });
        Assert.Equal(5, both.Nodes.Count(n => n.Node.Kind == NodeKind.Artifact));
        Assert.Equal([merge], both.Nodes.Where(n => n.Node.Kind == NodeKind.Execution).Select(n => n.Node.Id!.Value));
        Assert.DoesNotContain(both.Nodes, n => n.Node.Kind == NodeKind.Artifact && n.Node.Id == island);
        Assert.DoesNotContain(both.Nodes, n => n.Node.Kind == NodeKind.Execution && n.Node.Id == y);
    }

    [SkippableFact]
    public async Task A_node_budget_truncates_and_the_continuation_token_reaches_the_rest()
    {
        // root → x → 5 outputs
        var root = await ArtifactAsync("root");
        var x = await ExecutionAsync("x");
        await EventAsync(root, x, EventType.Input);
        var outputs = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            var o = await ArtifactAsync("o" + i);
            outputs.Add(o);
            await EventAsync(o, x, EventType.Output);
        }

        var first = await Store.GetLineageAsync(new LineageRequest { Start = [NodeRef.Artifact(root)], Direction = LineageDirection.Downstream, MaxNodes = 4 });
        Assert.True(first.Truncated);
        Assert.Equal(4, first.Nodes.Count);
        Assert.NotNull(first.ContinuationToken);

        var rest = await Store.GetLineageAsync(new LineageRequest { ContinuationToken = first.ContinuationToken });
        Assert.False(rest.Truncated);
        var seen = first.Nodes.Concat(rest.Nodes).Where(n => n.Node.Kind == NodeKind.Artifact).Select(n => n.Node.Id!.Value).ToHashSet();
        Assert.Superset(outputs.ToHashSet(), seen);
    }

    [SkippableFact]
    public async Task Starting_and_ending_filters_may_name_the_type()
    {
        var (input, exec, _) = await ChainAsync();
        var graph = await Store.GetLineageSubgraphAsync(new LineageSubgraphQuery
        {
            StartingNodeKind = NodeKind.Artifact,
            StartingFilterQuery = "type = 'Data' AND uri = 'in'",
            Direction = LineageDirection.Downstream,
            EndingExecutions = new LineageEndingNodes("type = 'Step'", IncludeEndingNodes: true),
        });
        AssertIds([input], graph.Artifacts.Select(a => a.Id));
        AssertIds([exec], graph.Executions.Select(x => x.Id));
    }

    [SkippableFact]
    public async Task Based_on_names_only_the_executions_along_the_walk()
    {
        // raw → clean (writes data) ; data → train (reads data) → model ; clean also reads raw
        var raw = await ArtifactAsync("raw");
        var clean = await ExecutionAsync("clean");
        var data = await ArtifactAsync("data");
        var train = await ExecutionAsync("train");
        var model = await ArtifactAsync("model");
        await EventAsync(raw, clean, EventType.Input);
        await EventAsync(data, clean, EventType.Output);
        await EventAsync(data, train, EventType.Input);
        await EventAsync(model, train, EventType.Output);
        var side = await ExecutionAsync("side");
        await EventAsync(data, side, EventType.Output);
        await EventAsync(model, side, EventType.Output);

        var up = await Store.GetBasedOnAsync(model);
        var dataEntry = up.Single(b => b.Artifact.Id == data);
        Assert.Equal([train], dataEntry.Via);
    }

    [SkippableFact]
    public async Task Stop_filters_return_the_matching_node_without_going_past_it()
    {
        var (input, exec, output) = await ChainAsync();
        var result = await Store.GetLineageAsync(new LineageRequest
        {
            Start = [NodeRef.Artifact(input)],
            Direction = LineageDirection.Downstream,
            StopAtExecutions = "name = 'test_execution'",
        });
        Assert.Equal([input, exec], result.Nodes.Select(n => n.Node.Id!.Value));
        Assert.DoesNotContain(result.Nodes, n => n.Node.Id == output && n.Node.Kind == NodeKind.Artifact);
    }

    [SkippableFact]
    public async Task Include_filters_return_only_matching_nodes_but_walk_through_the_others()
    {
        var dataset = await ArtifactAsync("dataset");
        var train = await ExecutionAsync("train");
        var model = await ArtifactAsync("model");
        var eval = await ExecutionAsync("eval");
        var report = await ArtifactAsync("report");
        await EventAsync(dataset, train, EventType.Input);
        await EventAsync(model, train, EventType.Output);
        await EventAsync(model, eval, EventType.Input);
        await EventAsync(report, eval, EventType.Output);

        var result = await Store.GetLineageAsync(new LineageRequest
        {
            Start = [NodeRef.Artifact(dataset)],
            Direction = LineageDirection.Downstream,
            OnlyArtifacts = "name = 'report'",
            OnlyExecutions = "name = 'nothing'",
        });
        Assert.Equal([(NodeKind.Artifact, dataset), (NodeKind.Artifact, report)], result.Nodes.Select(n => (n.Node.Kind, n.Node.Id!.Value)));
        Assert.Equal(4, result.Nodes[1].Depth);
        Assert.Empty(result.Events);
    }

    [SkippableFact]
    public async Task Based_on_collapses_executions_between_artifacts()
    {
        var dataset = await ArtifactAsync("dataset");
        var train = await ExecutionAsync("train");
        var model = await ArtifactAsync("model");
        var eval = await ExecutionAsync("eval");
        var report = await ArtifactAsync("report");
        await EventAsync(dataset, train, EventType.Input);
        await EventAsync(model, train, EventType.Output);
        await EventAsync(model, eval, EventType.Input);
        await EventAsync(report, eval, EventType.Output);

        var basedOn = await Store.GetBasedOnAsync(report);
        Assert.Equal([(model, 1), (dataset, 2)], basedOn.Select(b => (b.Artifact.Id!.Value, b.Depth)));
        Assert.Equal([eval], basedOn[0].Via);
        Assert.Equal([train], basedOn[1].Via);

        var derived = await Store.GetBasedOnAsync(dataset, LineageDirection.Downstream);
        Assert.Equal([model, report], derived.Select(b => b.Artifact.Id!.Value));
    }

    [SkippableFact]
    public async Task Paths_between_two_nodes_list_every_shortest_route()
    {
        var a = await ArtifactAsync("a");
        var d = await ArtifactAsync("d");
        var x1 = await ExecutionAsync("x1");
        var x2 = await ExecutionAsync("x2");
        foreach (var x in new[] { x1, x2 })
        {
            await EventAsync(a, x, EventType.Input);
            await EventAsync(d, x, EventType.Output);
        }

        var paths = await Store.FindLineagePathsAsync(NodeRef.Artifact(a), NodeRef.Artifact(d));
        Assert.Equal(2, paths.Count);
        Assert.All(paths, p => Assert.Equal([NodeRef.Artifact(a), p[1], NodeRef.Artifact(d)], p));
        var backwards = await Store.FindLineagePathsAsync(NodeRef.Artifact(d), NodeRef.Artifact(a));
        Assert.Equal(2, backwards.Count);
        var island = await ArtifactAsync("island");
        Assert.Empty(await Store.FindLineagePathsAsync(NodeRef.Artifact(a), NodeRef.Artifact(island)));
    }

    [SkippableFact]
    public async Task Lineage_requests_with_bad_arguments_name_the_problem()
    {
        var (input, _, _) = await ChainAsync();
        Assert.Equal(Messages.LineageStartEmpty,
            (await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetLineageAsync(new LineageRequest()))).Message);
        Assert.Equal(Messages.LineageDepthOutOfRange(-1, 1000),
            (await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetLineageAsync(new LineageRequest { Start = [NodeRef.Artifact(input)], MaxDepth = -1 }))).Message);
        Assert.Equal(Messages.LineageBudgetInvalid(0),
            (await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetLineageAsync(new LineageRequest { Start = [NodeRef.Artifact(input)], MaxNodes = 0 }))).Message);
        Assert.Equal(Messages.LineageStartNotFound("artifact 999999"),
            (await Assert.ThrowsAsync<NotFoundException>(() => Store.GetLineageAsync(new LineageRequest { Start = [NodeRef.Artifact(999999)] }))).Message);
        Assert.Equal(Messages.LineageTokenInvalid,
            (await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetLineageAsync(new LineageRequest { ContinuationToken = "garbage!" }))).Message);
    }

    [SkippableFact]
    public async Task Every_missing_starting_node_is_named_whether_or_not_others_have_edges()
    {
        var (input, exec, _) = await ChainAsync();
        var island = await ArtifactAsync("island");
        foreach (var depth in new[] { 0, 1, 3 })
        {
            foreach (var direction in new[] { LineageDirection.Upstream, LineageDirection.Downstream, LineageDirection.Bidirectional })
            {
                var request = new LineageRequest
                {
                    Start = [NodeRef.Artifact(input), NodeRef.Execution(exec), NodeRef.Artifact(island), NodeRef.Artifact(999999), NodeRef.Execution(888888)],
                    MaxDepth = depth,
                    Direction = direction,
                };
                Assert.Equal(Messages.LineageStartNotFound("artifact 999999, execution 888888"),
                    (await Assert.ThrowsAsync<NotFoundException>(() => Store.GetLineageAsync(request))).Message);
                Assert.Equal(Messages.LineageStartNotFound("artifact 999999, execution 888888"),
                    (await Assert.ThrowsAsync<NotFoundException>(() => Store.GetLineageAsync(request with { IdsOnly = true }))).Message);

                // Without the missing ones, every starting node is returned, those with edges and the one without.
                var found = await Store.GetLineageAsync(request with { Start = request.Start.Take(3).ToList() });
                Assert.Contains(found.Nodes, n => n.Node.Kind == NodeKind.Artifact && n.Node.Id == input && n.Depth == 0);
                Assert.Contains(found.Nodes, n => n.Node.Kind == NodeKind.Execution && n.Node.Id == exec && n.Depth == 0);
                Assert.Contains(found.Nodes, n => n.Node.Kind == NodeKind.Artifact && n.Node.Id == island && n.Depth == 0);
            }
        }
    }
}
