using System.Diagnostics;
using System.Globalization;
using Cairn.Store.Relational;

namespace Cairn.Benchmarks.Workloads;

/// <summary>
/// W8 GetArtifactsByContext, page of 100 (mlmd_bench ReadNodesViaContextEdges): a normal context (100 members, the whole
/// context in one page) and a hub context (n/10 members: 100,000 at L) paged from a random member (keyset token).
/// </summary>
/// <remarks>
/// Reference: <c>attribution m JOIN artifact n … WHERE m.context_id = $c AND n.id > $after ORDER BY n.id LIMIT 101</c> + properties.
/// A third row compares the store's hub page with its normal page in the same rounds (goal: within 1.5×).
/// </remarks>
internal sealed class W8GetArtifactsByContext : IWorkload
{
    public string Id => "W8";

    public async Task<IReadOnlyList<WorkloadResult>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var data = context.ReadDataset;
        using var connection = RawSqlite.Open(data.ReferencePath);
        using var reader = new RawReader(connection);
        await using var sut = await SutStore.OpenAsync(data.StorePath, cancellationToken).ConfigureAwait(false);
        var page = reader.Prepare(
            $"SELECT {RawReader.Columns} FROM attribution m JOIN artifact n ON n.id = m.artifact_id JOIN type t ON t.id = n.type_id WHERE m.context_id = $c AND m.artifact_id > $after ORDER BY m.artifact_id LIMIT 101",
            "$c", "$after");
        var hubMembers = data.ArtifactCount / ReadDataset.Hubs;
        var pageSize = Math.Min(100, hubMembers - 1);

        // A normal context: its first page (all of its 100 members).
        (long Context, long After, string? Token) Normal(Random rng) => (data.ContextIds[rng.Next(data.ContextIds.Length)], 0, null);

        // A hub: a page after a random member, so the page is full.
        (long Context, long After, string? Token) Hub(Random rng)
        {
            var h = rng.Next(ReadDataset.Hubs);
            var j = rng.Next(Math.Max(1, hubMembers - pageSize - 1));
            var after = data.ArtifactIds[(j * ReadDataset.Hubs) + h];
            return (data.HubContextIds[h], after, new PageToken(OrderByField.Id, true, after, after).Encode());
        }

        void Reference((long Context, long After, string? Token) a, int expected)
        {
            page.Parameters[0].Value = a.Context;
            page.Parameters[1].Value = a.After;
            W6GetArtifactsById.Expect(reader.Nodes(page, keep: 100).Count, expected);
        }

        async Task Sut((long Context, long After, string? Token) a, int expected, CancellationToken ct)
        {
            var options = new ListOptions { MaxResultSize = 100, NextPageToken = a.Token };
            W6GetArtifactsById.Expect((await sut.Store.GetArtifactsByContextAsync(a.Context, options, ct).ConfigureAwait(false)).Items.Count, expected);
        }

        var normalSize = Math.Min(ReadDataset.ContextSize, data.ArtifactCount);
        var normal = await ReadBench.RunAsync(context, sut, "W8/normal", "GetArtifactsByContext, page of 100, normal context (100 members)", 2.0, 81,
            Normal, a => Reference(a, normalSize), (a, ct) => Sut(a, normalSize, ct), 3, cancellationToken, opsDivisor: ReadBench.HeavyDivisor).ConfigureAwait(false);
        var hub = await ReadBench.RunAsync(context, sut, "W8/hub", string.Create(CultureInfo.InvariantCulture, $"GetArtifactsByContext, page of 100, hub context ({hubMembers:N0} members)"), 2.0, 82,
            Hub, a => Reference(a, pageSize), (a, ct) => Sut(a, pageSize, ct), 3, cancellationToken, opsDivisor: ReadBench.HeavyDivisor).ConfigureAwait(false);

        // The store's hub page against its normal page, alternating in the same rounds ("reference" = normal, "SUT" = hub).
        var size = context.Size;
        var ops = Math.Max(10, size.ReadOpsPerRound / ReadBench.HeavyDivisor);
        var rng = new Random(context.Config.Seed + 83);
        List<(long, long, string?)> normals = [], hubs = [];
        var outcome = await AbRunner.RunAsync(size.Rounds,
            _ =>
            {
                normals = Enumerable.Range(0, ops).Select(_ => Normal(rng)).ToList();
                hubs = Enumerable.Range(0, ops).Select(_ => Hub(rng)).ToList();
            },
            async (_, sample, ct) =>
            {
                foreach (var a in normals)
                {
                    var start = Stopwatch.GetTimestamp();
                    await Sut(a, normalSize, ct).ConfigureAwait(false);
                    sample.Record(start);
                }
            },
            async (_, sample, ct) =>
            {
                foreach (var a in hubs)
                {
                    var start = Stopwatch.GetTimestamp();
                    await Sut(a, pageSize, ct).ConfigureAwait(false);
                    sample.Record(start);
                }
            },
            cancellationToken).ConfigureAwait(false);
        var hubVsNormal = WorkloadResult.FromOutcome("W8/hub÷normal", "Store's hub page ÷ store's normal page (SUT = hub, reference = normal context)", size,
            "p50 latency", 1.5, Better.Lower, outcome, "calls");
        // Plans of a hub page: the engine's SQL as its list operation builds it for a context, and the reference's.
        var example = Hub(new Random(context.Config.Seed));
        var engineSql = $"SELECT {NodeTable.Artifact.SelectColumns} FROM {NodeTable.Artifact.From} JOIN attribution m ON m.artifact_id = n.id WHERE m.context_id = @ctx AND n.id > @kid ORDER BY n.id ASC LIMIT @limit";
        var enginePlan = W10FilterQueries.Plan(connection, engineSql, c =>
        {
            c.Parameters.AddWithValue("@ctx", example.Context);
            c.Parameters.AddWithValue("@kid", example.After);
            c.Parameters.AddWithValue("@limit", 101);
        });
        var referencePlan = W10FilterQueries.Plan(connection, page.CommandText, c =>
        {
            c.Parameters.AddWithValue("$c", example.Context);
            c.Parameters.AddWithValue("$after", example.After);
        });
        var plans = $"hub page plans: store [{string.Join("; ", enginePlan)}], reference [{string.Join("; ", referencePlan)}]";
        return [normal, hub with { Notes = plans }, hubVsNormal with { Notes = plans }];
    }
}
