using System.Text.Json;
using Xunit;

namespace Cairn.Specification.Tests;

/// <summary>The change log (docs/history.md): every write logs its changes in its own transaction, with the state each left.</summary>
public abstract class ChangeLogTests<TStoreFactory> : StoreTestBase<TStoreFactory>
    where TStoreFactory : ITestStoreFactory, new()
{
    /// <summary>Why this backend's store has no <see cref="IInstanceStorage"/>, or null when it has.</summary>
    protected virtual string? InstanceStorageUnsupported => null;

    /// <summary>Every change of the store, paging with a small limit.</summary>
    private async Task<List<Change>> AllChangesAsync(ChangeEntity? entity = null)
    {
        var all = new List<Change>();
        long after = 0;
        while (true)
        {
            var page = await Store.GetChangesAsync(after, 3, entity);
            all.AddRange(page.Changes);
            if (!page.HasMore) return all;
            after = page.Next;
        }
    }

    private static JsonElement State(Change change)
    {
        Assert.NotNull(change.State);
        return JsonDocument.Parse(change.State).RootElement;
    }

    private static (ChangeEntity, ChangeOperation)[] Kinds(IEnumerable<Change> changes) => [.. changes.Select(c => (c.Entity, c.Operation))];

    [SkippableFact]
    public async Task Each_write_kind_logs_its_changes_with_their_states()
    {
        var before = (await Store.GetChangesAsync()).Next;
        var at = await PutExampleArtifactTypeAsync();
        var xt = await PutExampleExecutionTypeAsync();
        var ct = await PutExampleContextTypeAsync();
        var a = await PutArtifactAsync(new Artifact { TypeId = at, Name = "a", Uri = "/a", Properties = Values(("foo", MetadataValue.Int(1))), Tags = ["gold"] });
        var x = await PutExecutionAsync(new Execution { TypeId = xt, Name = "x" });
        var c1 = await PutContextAsync(new Context { TypeId = ct, Name = "c1" });
        var c2 = await PutContextAsync(new Context { TypeId = ct, Name = "c2" });
        await Store.PutEventsAsync([new Event { ArtifactId = a, ExecutionId = x, Type = EventType.Output }]);
        await Store.PutAttributionsAndAssociationsAsync([new Attribution(c1, a)], [new Association(c1, x)]);
        // A pair that already exists is no change.
        await Store.PutAttributionsAndAssociationsAsync([new Attribution(c1, a)], []);
        await Store.PutParentContextsAsync([new ParentContext(c2, c1)]);

        var changes = (await Store.GetChangesAsync(before)).Changes;
        Assert.Equal(
            [
                (ChangeEntity.ArtifactType, ChangeOperation.Create), (ChangeEntity.ExecutionType, ChangeOperation.Create),
                (ChangeEntity.ContextType, ChangeOperation.Create), (ChangeEntity.Artifact, ChangeOperation.Create),
                (ChangeEntity.Execution, ChangeOperation.Create), (ChangeEntity.Context, ChangeOperation.Create),
                (ChangeEntity.Context, ChangeOperation.Create), (ChangeEntity.Event, ChangeOperation.Create),
                (ChangeEntity.Attribution, ChangeOperation.Create), (ChangeEntity.Association, ChangeOperation.Create),
                (ChangeEntity.ParentContext, ChangeOperation.Create),
            ],
            Kinds(changes));
        Assert.Equal([at, xt, ct, a, x, c1, c2], changes.Take(7).Select(c => c.EntityId!.Value));
        Assert.True(changes.Zip(changes.Skip(1)).All(p => p.First.Seq < p.Second.Seq), "seq increases");

        var artifact = State(changes[3]);
        Assert.Equal(a, artifact.GetProperty("id").GetInt64());
        Assert.Equal("/a", artifact.GetProperty("uri").GetString());
        Assert.Equal(1, artifact.GetProperty("properties").GetProperty("foo").GetProperty("int_value").GetInt64());
        Assert.Equal("gold", artifact.GetProperty("tags")[0].GetString());
        Assert.Equal(ArtifactTypeName, State(changes[0]).GetProperty("name").GetString());
        Assert.Equal("OUTPUT", State(changes[7]).GetProperty("type").GetString());
        Assert.Equal(a, State(changes[7]).GetProperty("artifact_id").GetInt64());
        Assert.Equal(a, State(changes[8]).GetProperty("artifact_id").GetInt64());
        Assert.Equal(x, State(changes[9]).GetProperty("execution_id").GetInt64());
        Assert.Equal(c1, State(changes[10]).GetProperty("parent_id").GetInt64());
        Assert.Equal(c2, State(changes[10]).GetProperty("child_id").GetInt64());
        Assert.All(changes, c => Assert.False(string.IsNullOrEmpty(c.Actor)));
    }

    [SkippableFact]
    public async Task History_returns_every_version_in_order_with_the_state_each_left()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        var id = await PutArtifactAsync(new Artifact { TypeId = typeId, Name = "a", Uri = "/v1", Properties = Values(("foo", MetadataValue.Int(1))) });
        await PutArtifactAsync(new Artifact { Id = id, TypeId = typeId, Name = "a", Uri = "/v2", Properties = Values(("foo", MetadataValue.Int(2))) });
        // An update that changes nothing is no change.
        await PutArtifactAsync(new Artifact { Id = id, TypeId = typeId, Name = "a", Uri = "/v2", Properties = Values(("foo", MetadataValue.Int(2))) });
        await Store.EditLabelsAsync(NodeKind.Artifact, id, new LabelEdit { AddTags = ["reviewed"] });

        var history = await Store.GetHistoryAsync(ChangeEntity.Artifact, id);

        Assert.Equal([ChangeOperation.Create, ChangeOperation.Update, ChangeOperation.Update], history.Select(h => h.Operation));
        Assert.Equal(["/v1", "/v2", "/v2"], history.Select(h => State(h).GetProperty("uri").GetString()));
        Assert.Equal([1L, 2L, 2L], history.Select(h => State(h).GetProperty("properties").GetProperty("foo").GetProperty("int_value").GetInt64()));
        Assert.False(State(history[1]).TryGetProperty("tags", out _));
        Assert.Equal("reviewed", State(history[2]).GetProperty("tags")[0].GetString());

        // The feed gives each change the same state as the history.
        var feed = (await AllChangesAsync(ChangeEntity.Artifact)).Where(c => c.EntityId == id).ToList();
        Assert.Equal(history.Select(h => (h.Seq, h.State)), feed.Select(f => (f.Seq, f.State)));
        // An unknown id is NotFound, whichever adapter asks (REST answers 404, the CLI exits with NotFound).
        var unknown = await Assert.ThrowsAsync<NotFoundException>(() => Store.GetHistoryAsync(ChangeEntity.Artifact, id + 1000));
        Assert.Equal(Messages.NodeIdNotFound(NodeKind.Artifact, id + 1000), unknown.Message);
    }

    [SkippableFact]
    public async Task A_type_that_gains_properties_is_logged_as_an_update_with_the_type_before()
    {
        var id = await PutExampleExecutionTypeAsync();
        var wider = ExampleExecutionType() with { Properties = Declare(("foo", PropertyType.Int), ("bar", PropertyType.String), ("baz", PropertyType.Double), ("qux", PropertyType.Boolean)) };
        await Store.PutExecutionTypeAsync(wider, new TypeUpsertOptions { CanAddFields = true });
        // The same type again changes nothing.
        await Store.PutExecutionTypeAsync(wider, new TypeUpsertOptions { CanAddFields = true });

        var history = await Store.GetHistoryAsync(ChangeEntity.ExecutionType, id);

        Assert.Equal([ChangeOperation.Create, ChangeOperation.Update], history.Select(h => h.Operation));
        Assert.False(State(history[0]).GetProperty("properties").TryGetProperty("qux", out _));
        Assert.Equal("BOOLEAN", State(history[1]).GetProperty("properties").GetProperty("qux").GetString());
        // The id of an execution type is no artifact type.
        var unknown = await Assert.ThrowsAsync<NotFoundException>(() => Store.GetHistoryAsync(ChangeEntity.ArtifactType, id));
        Assert.Equal(Messages.TypeIdNotFound(id, NodeKind.Artifact), unknown.Message);
    }

    [SkippableFact]
    public async Task Composite_writes_log_every_node_and_edge_they_write()
    {
        var at = await PutExampleArtifactTypeAsync();
        var xt = await PutExampleExecutionTypeAsync();
        var ct = await PutExampleContextTypeAsync();
        var before = (await Store.GetChangesAsync(0, ChangeLog.MaxLimit)).Next;

        var result = await Store.PutExecutionAsync(
            new Execution { TypeId = xt, Name = "run" },
            [new ArtifactAndEvent(new Artifact { TypeId = at, Name = "out" }, new Event { Type = EventType.Output })],
            [new Context { TypeId = ct, Name = "exp" }]);
        var composite = (await Store.GetChangesAsync(before)).Changes;
        Assert.Equal(
            [ChangeEntity.Artifact, ChangeEntity.Execution, ChangeEntity.Context, ChangeEntity.Event, ChangeEntity.Attribution, ChangeEntity.Association],
            composite.Select(c => c.Entity).Order());
        Assert.Equal(result.ExecutionId, composite.Single(c => c.Entity == ChangeEntity.Execution).EntityId);

        var after = composite[^1].Seq;
        await Store.PutLineageSubgraphAsync(
            [new Execution { TypeId = xt, Name = "run2" }], [new Artifact { TypeId = at, Name = "out2" }], [new Context { Id = result.ContextIds[0], TypeId = ct, Name = "exp" }],
            [new EventEdge(0, 0, new Event { Type = EventType.Output })]);
        var subgraph = (await Store.GetChangesAsync(after)).Changes;
        Assert.Equal(
            [ChangeEntity.Artifact, ChangeEntity.Execution, ChangeEntity.Event, ChangeEntity.Attribution, ChangeEntity.Association],
            subgraph.Select(c => c.Entity).Order());
    }

    [SkippableFact]
    public async Task A_failed_write_leaves_no_change()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        await PutArtifactAsync(new Artifact { TypeId = typeId, Name = "taken" });
        var before = await Store.GetChangesAsync(0, ChangeLog.MaxLimit);

        // The second artifact of the batch is refused, so the first is not written either.
        await Assert.ThrowsAnyAsync<CairnException>(() => Store.PutArtifactsAsync(
            [new Artifact { TypeId = typeId, Name = "fresh" }, new Artifact { TypeId = typeId, Name = "x", Properties = Values(("nope", MetadataValue.Int(1))) }]));
        await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.PutArtifactsAsync([new Artifact { TypeId = typeId, Name = "taken" }]));
        await Assert.ThrowsAnyAsync<CairnException>(() => Store.PutEventsAsync([new Event { ArtifactId = 999_999, ExecutionId = 1, Type = EventType.Input }]));

        var after = await Store.GetChangesAsync(0, ChangeLog.MaxLimit);
        Assert.Equal(before.Changes.Select(c => c.Seq), after.Changes.Select(c => c.Seq));
        Assert.Equal(2, after.Changes.Count);
    }

    [SkippableFact]
    public async Task The_cursor_pages_through_every_change_once_while_writes_happen()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        const int Writers = 3, Writes = 16;
        // Concurrent writers: on PostgreSQL their transactions overlap, and a seq handed out before another writer's commit
        // must not let a reader skip it.
        var writer = Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < Writes; i++)
            {
                var name = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"w{w}-{i}");
                if (i % 4 == 0) await Store.PutArtifactsAsync([new Artifact { TypeId = typeId, Name = name + "a" }, new Artifact { TypeId = typeId, Name = name + "b" }]);
                else await PutArtifactAsync(new Artifact { TypeId = typeId, Name = name });
            }
        })));

        var seen = new List<Change>();
        long cursor = 0;
        while (!writer.IsCompleted)
        {
            var page = await Store.GetChangesAsync(cursor, 4, ChangeEntity.Artifact);
            seen.AddRange(page.Changes);
            cursor = page.Next;
        }

        await writer;
        while (true)
        {
            var page = await Store.GetChangesAsync(cursor, 4, ChangeEntity.Artifact);
            seen.AddRange(page.Changes);
            cursor = page.Next;
            if (!page.HasMore) break;
        }

        Assert.Equal(Writers * (Writes + (Writes / 4)), seen.Count);
        Assert.Equal(seen.Count, seen.Select(c => c.EntityId).Distinct().Count());
        Assert.True(seen.Zip(seen.Skip(1)).All(p => p.First.Seq < p.Second.Seq), "each change once, in order");
        var last = await Store.GetChangesAsync(cursor);
        Assert.Empty(last.Changes);
        Assert.Equal(cursor, last.Next);
        Assert.False(last.HasMore);
    }

    [SkippableFact]
    public async Task The_actor_is_the_store_default_unless_a_scope_overrides_it()
    {
        var typeId = await PutExampleArtifactTypeAsync();
        using (ChangeActor.Use("alice"))
        {
            await PutArtifactAsync(new Artifact { TypeId = typeId, Name = "by-alice" });
            using (ChangeActor.Use("bob")) await PutArtifactAsync(new Artifact { TypeId = typeId, Name = "by-bob" });
            await PutArtifactAsync(new Artifact { TypeId = typeId, Name = "by-alice-again" });
        }

        await PutArtifactAsync(new Artifact { TypeId = typeId, Name = "by-default" });

        var actors = (await AllChangesAsync(ChangeEntity.Artifact)).Select(c => c.Actor).ToList();
        Assert.Equal(["alice", "bob", "alice"], actors.Take(3));
        Assert.NotEqual("alice", actors[3]);
        Assert.False(string.IsNullOrWhiteSpace(actors[3]));
        Assert.Equal(actors[3], (await AllChangesAsync(ChangeEntity.ArtifactType)).Single().Actor);
    }

    [SkippableFact]
    public async Task The_entity_filter_returns_only_changes_of_that_kind()
    {
        var typeId = await PutExampleContextTypeAsync();
        await PutContextAsync(new Context { TypeId = typeId, Name = "c" });

        var contexts = await AllChangesAsync(ChangeEntity.Context);
        Assert.Equal([ChangeEntity.Context], contexts.Select(c => c.Entity));
        Assert.Empty(await AllChangesAsync(ChangeEntity.Artifact));
    }

    [SkippableFact]
    public async Task Bad_page_requests_are_refused_naming_the_field()
    {
        var after = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetChangesAsync(-1));
        Assert.Equal(Messages.ChangeAfterNegative(-1), after.Message);
        var limit = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetChangesAsync(0, 0));
        Assert.Equal(Messages.ChangeLimitOutOfRange(0, ChangeLog.MaxLimit), limit.Message);
        await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetChangesAsync(0, ChangeLog.MaxLimit + 1));
        var history = await Assert.ThrowsAsync<InvalidArgumentException>(() => Store.GetHistoryAsync(ChangeEntity.Event, 1));
        Assert.Equal(Messages.ChangeHistoryEntity("event"), history.Message);
    }

    [SkippableFact]
    public async Task Instance_writes_log_create_update_and_delete_with_a_tombstone()
    {
        if (InstanceStorageUnsupported is not null)
        {
            // A store without instance storage (grpc://) refuses the write and logs nothing; its server's REST routes write
            // instances, and the server's tests read those writes from the log.
            var before = await Store.GetChangesAsync(0, 1000);
            var refused = await Assert.ThrowsAsync<UnimplementedException>(() => ((IInstanceStorage)Store).PutInstanceAsync("runtimes", "local", """{"display_name":"v1"}""", create: true));
            Assert.Contains("instance", refused.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(before.Changes.Count, (await Store.GetChangesAsync(0, 1000)).Changes.Count);
            return;
        }

        var storage = Assert.IsAssignableFrom<IInstanceStorage>(Store);
        await storage.PutInstanceAsync("runtimes", "local", """{"display_name":"v1"}""", create: true);
        await storage.PutInstanceAsync("runtimes", "local", """{"display_name":"v2"}""", create: false);
        Assert.True(await storage.DeleteInstanceAsync("runtimes", "local"));
        Assert.False(await storage.DeleteInstanceAsync("runtimes", "local"));
        await storage.PutInstanceAsync("runtimes", "local", """{"display_name":"v3"}""", create: false);

        var changes = await AllChangesAsync(ChangeEntity.Instance);

        Assert.Equal([ChangeOperation.Create, ChangeOperation.Update, ChangeOperation.Delete, ChangeOperation.Create], changes.Select(c => c.Operation));
        Assert.All(changes, c => Assert.Equal("runtimes/local", c.EntityKey));
        Assert.Equal("v1", State(changes[0]).GetProperty("content").GetProperty("display_name").GetString());
        Assert.Equal("v2", State(changes[1]).GetProperty("content").GetProperty("display_name").GetString());
        Assert.Null(changes[2].State);
        Assert.Equal("v3", State(changes[3]).GetProperty("content").GetProperty("display_name").GetString());
    }
}
