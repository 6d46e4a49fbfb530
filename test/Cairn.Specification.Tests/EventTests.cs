using Xunit;

namespace Cairn.Specification.Tests;

/// <summary>Events between artifacts and executions (mlmd.md §4.4; §8 items 34–37).</summary>
public abstract class EventTests<TStoreFactory> : StoreTestBase<TStoreFactory>
    where TStoreFactory : ITestStoreFactory, new()
{
    private async Task<(IReadOnlyList<long> Artifacts, IReadOnlyList<long> Executions)> PutNodesAsync(int artifacts = 1, int executions = 1)
    {
        var artifactIds = await PutArtifactsAsync(artifacts);
        var executionTypeId = await PutExampleExecutionTypeAsync();
        var executionIds = await Store.PutExecutionsAsync(
            Enumerable.Range(0, executions).Select(_ => new Execution { TypeId = executionTypeId }).ToList());
        return (artifactIds, executionIds);
    }

    // ------------------------------------------------------------------ item 34

    [SkippableFact]
    public async Task An_event_is_returned_by_artifact_id_and_by_execution_id()
    {
        var (artifacts, executions) = await PutNodesAsync();

        await Store.PutEventsAsync([new Event { ArtifactId = artifacts[0], ExecutionId = executions[0], Type = EventType.DeclaredOutput }]);

        var byArtifact = Assert.Single(await Store.GetEventsByArtifactIdsAsync([artifacts[0]]));
        Assert.Equal(artifacts[0], byArtifact.ArtifactId);
        Assert.Equal(executions[0], byArtifact.ExecutionId);
        Assert.Equal(EventType.DeclaredOutput, byArtifact.Type);
        var byExecution = Assert.Single(await Store.GetEventsByExecutionIdsAsync([executions[0]]));
        Assert.Equal(artifacts[0], byExecution.ArtifactId);
        Assert.Equal(executions[0], byExecution.ExecutionId);
        Assert.Equal(EventType.DeclaredOutput, byExecution.Type);
    }

    [SkippableFact]
    public async Task Events_are_read_only_for_the_requested_ids()
    {
        var (artifacts, executions) = await PutNodesAsync(artifacts: 2, executions: 2);
        await Store.PutEventsAsync(
            [
                new Event { ArtifactId = artifacts[0], ExecutionId = executions[0], Type = EventType.Input },
                new Event { ArtifactId = artifacts[1], ExecutionId = executions[1], Type = EventType.Output },
            ]);

        Assert.Equal(executions[1], Assert.Single(await Store.GetEventsByArtifactIdsAsync([artifacts[1]])).ExecutionId);
        Assert.Equal(artifacts[0], Assert.Single(await Store.GetEventsByExecutionIdsAsync([executions[0]])).ArtifactId);
        Assert.Equal(2, (await Store.GetEventsByArtifactIdsAsync([artifacts[0], artifacts[1]])).Count);
        Assert.Equal(2, (await Store.GetEventsByExecutionIdsAsync([executions[0], executions[1]])).Count);
    }

    [SkippableFact]
    public async Task Events_of_nodes_without_events_are_empty()
    {
        var (artifacts, executions) = await PutNodesAsync();

        Assert.Empty(await Store.GetEventsByArtifactIdsAsync([artifacts[0]]));
        Assert.Empty(await Store.GetEventsByExecutionIdsAsync([executions[0]]));
        Assert.Empty(await Store.GetEventsByArtifactIdsAsync([9999]));
        Assert.Empty(await Store.GetEventsByExecutionIdsAsync([9999]));
        Assert.Empty(await Store.GetEventsByArtifactIdsAsync([]));
        Assert.Empty(await Store.GetEventsByExecutionIdsAsync([]));
    }

    [SkippableFact]
    public async Task Repeated_ids_in_an_event_read_do_not_repeat_events()
    {
        var (artifacts, executions) = await PutNodesAsync();
        await Store.PutEventsAsync([new Event { ArtifactId = artifacts[0], ExecutionId = executions[0], Type = EventType.Input }]);

        Assert.Single(await Store.GetEventsByArtifactIdsAsync([artifacts[0], artifacts[0]]));
        Assert.Single(await Store.GetEventsByExecutionIdsAsync([executions[0], executions[0]]));
    }

    // ------------------------------------------------------------------ item 35: paths

    [SkippableFact]
    public async Task An_event_path_of_key_steps_round_trips()
    {
        var (artifacts, executions) = await PutNodesAsync();

        await Store.PutEventsAsync([new Event { ArtifactId = artifacts[0], ExecutionId = executions[0], Type = EventType.Input, Path = [EventStep.ForKey("ggg")] }]);

        var stored = Assert.Single(await Store.GetEventsByArtifactIdsAsync([artifacts[0]]));
        var step = Assert.Single(stored.Path);
        Assert.Equal("ggg", step.Key);
        Assert.Null(step.Index);
    }

    [SkippableFact]
    public async Task An_event_path_of_index_and_key_steps_round_trips_in_order()
    {
        var (artifacts, executions) = await PutNodesAsync();
        EventStep[] path = [EventStep.ForIndex(1), EventStep.ForKey("k"), EventStep.ForIndex(0), EventStep.ForKey(""), EventStep.ForIndex(-3)];

        await Store.PutEventsAsync([new Event { ArtifactId = artifacts[0], ExecutionId = executions[0], Type = EventType.Output, Path = path }]);

        var stored = Assert.Single(await Store.GetEventsByExecutionIdsAsync([executions[0]]));
        Assert.Equal(path, stored.Path);
    }

    [SkippableFact]
    public async Task An_event_without_a_path_has_an_empty_path()
    {
        var (artifacts, executions) = await PutNodesAsync();

        await Store.PutEventsAsync([new Event { ArtifactId = artifacts[0], ExecutionId = executions[0], Type = EventType.Input }]);

        Assert.Empty(Assert.Single(await Store.GetEventsByArtifactIdsAsync([artifacts[0]])).Path);
    }

    [SkippableFact]
    public async Task Two_executions_sharing_an_artifact_give_the_artifact_two_events()
    {
        var (artifacts, executions) = await PutNodesAsync(artifacts: 1, executions: 2);

        await Store.PutEventsAsync(
            [
                new Event { ArtifactId = artifacts[0], ExecutionId = executions[0], Type = EventType.Output, Path = [EventStep.ForKey("out")] },
                new Event { ArtifactId = artifacts[0], ExecutionId = executions[1], Type = EventType.Input, Path = [EventStep.ForKey("in")] },
            ]);

        var events = await Store.GetEventsByArtifactIdsAsync([artifacts[0]]);
        Assert.Equal(2, events.Count);
        var output = Assert.Single(events, e => e.ExecutionId == executions[0]);
        Assert.Equal(EventType.Output, output.Type);
        Assert.Equal("out", Assert.Single(output.Path).Key);
        var input = Assert.Single(events, e => e.ExecutionId == executions[1]);
        Assert.Equal(EventType.Input, input.Type);
        Assert.Equal("in", Assert.Single(input.Path).Key);
    }

    // ------------------------------------------------------------------ time

    [SkippableFact]
    public async Task Event_time_defaults_to_now_in_milliseconds()
    {
        var (artifacts, executions) = await PutNodesAsync();
        var before = NowMilliseconds();

        await Store.PutEventsAsync([new Event { ArtifactId = artifacts[0], ExecutionId = executions[0], Type = EventType.Input }]);

        var after = NowMilliseconds();
        AssertMillisecondsBetween(before, Assert.Single(await Store.GetEventsByArtifactIdsAsync([artifacts[0]])).MillisecondsSinceEpoch, after);
    }

    [SkippableFact]
    public async Task An_explicit_event_time_is_kept()
    {
        var (artifacts, executions) = await PutNodesAsync();

        await Store.PutEventsAsync([new Event { ArtifactId = artifacts[0], ExecutionId = executions[0], Type = EventType.Input, MillisecondsSinceEpoch = 1_234_567_890_123 }]);

        Assert.Equal(1_234_567_890_123, Assert.Single(await Store.GetEventsByArtifactIdsAsync([artifacts[0]])).MillisecondsSinceEpoch);
    }

    // ------------------------------------------------------------------ item 36: validation

    [SkippableFact]
    public async Task An_event_without_an_artifact_id_is_rejected()
    {
        var (artifacts, executions) = await PutNodesAsync();

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutEventsAsync([new Event { ExecutionId = executions[0], Type = EventType.Input }]));

        Assert.Contains(Messages.EventArtifactIdMissing, e.Message);
        Assert.Empty(await Store.GetEventsByExecutionIdsAsync([executions[0]]));
        Assert.Empty(await Store.GetEventsByArtifactIdsAsync([artifacts[0]]));
    }

    [SkippableFact]
    public async Task An_event_without_an_execution_id_is_rejected()
    {
        var (artifacts, _) = await PutNodesAsync();

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutEventsAsync([new Event { ArtifactId = artifacts[0], Type = EventType.Input }]));

        Assert.Contains(Messages.EventExecutionIdMissing, e.Message);
        Assert.Empty(await Store.GetEventsByArtifactIdsAsync([artifacts[0]]));
    }

    [SkippableFact]
    public async Task An_event_without_a_type_is_rejected()
    {
        var (artifacts, executions) = await PutNodesAsync();

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutEventsAsync([new Event { ArtifactId = artifacts[0], ExecutionId = executions[0] }]));
        Assert.Contains(Messages.EventTypeMissing, e.Message);
        e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutEventsAsync([new Event { ArtifactId = artifacts[0], ExecutionId = executions[0], Type = EventType.Unknown }]));
        Assert.Contains(Messages.EventTypeMissing, e.Message);

        Assert.Empty(await Store.GetEventsByArtifactIdsAsync([artifacts[0]]));
    }

    [SkippableFact]
    public async Task An_event_referencing_a_missing_artifact_or_execution_is_rejected()
    {
        var (artifacts, executions) = await PutNodesAsync();

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutEventsAsync([new Event { ArtifactId = 9999, ExecutionId = executions[0], Type = EventType.Input }]));
        Assert.Contains(Messages.EventArtifactNotFound(9999), e.Message);
        e = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutEventsAsync([new Event { ArtifactId = artifacts[0], ExecutionId = 9999, Type = EventType.Input }]));
        Assert.Contains(Messages.EventExecutionNotFound(9999), e.Message);

        Assert.Empty(await Store.GetEventsByArtifactIdsAsync([artifacts[0], 9999]));
        Assert.Empty(await Store.GetEventsByExecutionIdsAsync([executions[0], 9999]));
    }

    [SkippableFact]
    public async Task An_event_whose_execution_id_names_an_artifact_is_rejected()
    {
        var (artifacts, _) = await PutNodesAsync(artifacts: 1, executions: 0);

        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutEventsAsync([new Event { ArtifactId = artifacts[0], ExecutionId = artifacts[0], Type = EventType.Input }]));

        Assert.Empty(await Store.GetEventsByArtifactIdsAsync([artifacts[0]]));
    }

    [SkippableFact]
    public async Task A_batch_with_one_invalid_event_records_none()
    {
        var (artifacts, executions) = await PutNodesAsync(artifacts: 2, executions: 1);

        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.PutEventsAsync(
            [
                new Event { ArtifactId = artifacts[0], ExecutionId = executions[0], Type = EventType.Input },
                new Event { ArtifactId = artifacts[1], ExecutionId = executions[0], Type = EventType.Output },
                new Event { ArtifactId = 9999, ExecutionId = executions[0], Type = EventType.Output },
            ]));

        Assert.Empty(await Store.GetEventsByExecutionIdsAsync([executions[0]]));
    }

    // ------------------------------------------------------------------ item 37: uniqueness

    [SkippableFact]
    public async Task The_same_artifact_execution_and_type_cannot_be_recorded_twice()
    {
        var (artifacts, executions) = await PutNodesAsync();
        var ev = new Event { ArtifactId = artifacts[0], ExecutionId = executions[0], Type = EventType.Input };
        await Store.PutEventsAsync([ev]);

        var e = await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.PutEventsAsync([ev with { Path = [EventStep.ForIndex(1)] }]));

        Assert.Contains(Messages.EventAlreadyExists(artifacts[0], executions[0], EventType.Input), e.Message);
        Assert.Empty(Assert.Single(await Store.GetEventsByArtifactIdsAsync([artifacts[0]])).Path);
    }

    [SkippableFact]
    public async Task A_duplicate_event_within_one_batch_records_nothing()
    {
        var (artifacts, executions) = await PutNodesAsync();
        var ev = new Event { ArtifactId = artifacts[0], ExecutionId = executions[0], Type = EventType.Output };

        await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.PutEventsAsync([ev, ev]));

        Assert.Empty(await Store.GetEventsByArtifactIdsAsync([artifacts[0]]));
    }

    [SkippableFact]
    public async Task The_same_artifact_and_execution_may_have_events_of_different_types()
    {
        var (artifacts, executions) = await PutNodesAsync();
        await Store.PutEventsAsync([new Event { ArtifactId = artifacts[0], ExecutionId = executions[0], Type = EventType.Input }]);

        await Store.PutEventsAsync([new Event { ArtifactId = artifacts[0], ExecutionId = executions[0], Type = EventType.Output }]);

        var types = (await Store.GetEventsByArtifactIdsAsync([artifacts[0]])).Select(e => e.Type).Order();
        Assert.Equal([EventType.Input, EventType.Output], types);
    }
}
