using Microsoft.Data.Sqlite;
using Xunit;

namespace Cairn.Store.Sqlite.Tests;

/// <summary>Lineage answers keep their order when ids are too large for the packed sort keys (above 2^30 and 2^40).</summary>
public sealed class LineageLargeIdTests() : SqliteFileTests("cairn-largeid-")
{
    [Fact]
    public async Task Nodes_and_events_are_ordered_with_ids_beyond_the_packed_keys()
    {
        var path = Path.Combine(Dir, "large.db");
        long hub, first;
        await using (var store = await CairnStore.OpenAsync("sqlite://" + path))
        {
            var data = await store.PutArtifactTypeAsync(new ArtifactType { Name = "Data" });
            var step = await store.PutExecutionTypeAsync(new ExecutionType { Name = "Step" });
            hub = (await store.PutArtifactsAsync([new Artifact { TypeId = data, Uri = "hub" }]))[0];
            first = (await store.PutExecutionsAsync([new Execution { TypeId = step }]))[0];
        }

        // The next ids jump past 2^40, as an imported or long-lived store's might.
        await using (var raw = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await raw.OpenAsync();
            await using var bump = raw.CreateCommand();
            bump.CommandText = "UPDATE sqlite_sequence SET seq = 2000000000000 WHERE name IN ('artifact', 'execution')";
            Assert.Equal(2, await bump.ExecuteNonQueryAsync());
        }

        await using (var store = await CairnStore.OpenAsync("sqlite://" + path))
        {
            var data = (await store.GetArtifactTypeAsync("Data")).Id!.Value;
            var step = (await store.GetExecutionTypeAsync("Step")).Id!.Value;
            var steps = (await store.PutExecutionsAsync([new Execution { TypeId = step }, new Execution { TypeId = step }])).Append(first).ToList();
            var outputs = await store.PutArtifactsAsync([.. Enumerable.Range(0, 4).Select(k => new Artifact { TypeId = data, Uri = "out" + k })]);
            Assert.True(outputs[0] > 1L << 40);
            var events = new List<Event>();
            for (var k = 2; k >= 0; k--)
            {
                events.Add(new Event { ArtifactId = hub, ExecutionId = steps[k], Type = EventType.Input });
                events.Add(new Event { ArtifactId = outputs[k], ExecutionId = steps[k], Type = EventType.Output });
            }

            await store.PutEventsAsync(events);
            var result = await store.GetLineageAsync(new LineageRequest { Start = [NodeRef.Artifact(hub)], Direction = LineageDirection.Downstream, MaxDepth = 2 });
            var expected = new[] { (0, NodeKind.Artifact, hub) }
                .Concat(steps.Order().Select(x => (1, NodeKind.Execution, x)))
                .Concat(outputs.Take(3).Order().Select(a => (2, NodeKind.Artifact, a)));
            Assert.Equal(expected, result.Nodes.Select(n => (n.Depth, n.Node.Kind, n.Node.Id!.Value)));
            var got = result.Events.Select(e => (e.ExecutionId!.Value, e.ArtifactId!.Value, (int)e.Type!.Value)).ToList();
            Assert.Equal(6, got.Count);
            Assert.Equal(got.Order(), got);
        }
    }
}
