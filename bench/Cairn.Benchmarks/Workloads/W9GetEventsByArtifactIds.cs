using System.Globalization;

namespace Cairn.Benchmarks.Workloads;

/// <summary>W9 GetEventsByArtifactIDs, 100 random artifact ids (mlmd_bench ReadEvents).</summary>
/// <remarks>Reference: <c>SELECT … FROM event WHERE artifact_id IN ($p0, …) ORDER BY id</c>, every column read.</remarks>
internal sealed class W9GetEventsByArtifactIds : IWorkload
{
    public string Id => "W9";

    public async Task<IReadOnlyList<WorkloadResult>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var data = context.ReadDataset;
        using var connection = RawSqlite.Open(data.ReferencePath);
        using var reader = new RawReader(connection);
        await using var sut = await SutStore.OpenAsync(data.StorePath, cancellationToken).ConfigureAwait(false);
        var query = reader.Prepare(
            $"SELECT artifact_id, execution_id, type, time, path FROM event WHERE artifact_id IN ({RawSqlite.InList(100)}) ORDER BY id",
            RawSqlite.InParameters(100));
        long refRows = 0, sutRows = 0;

        var result = await ReadBench.RunAsync(context, sut, "W9", "GetEventsByArtifactIDs, 100 ids", 1.5, 91,
            rng => W6GetArtifactsById.Draw(rng, data, 100),
            ids =>
            {
                for (var i = 0; i < ids.Length; i++) query.Parameters[i].Value = ids[i];
                using var r = query.ExecuteReader();
                var rows = new List<(long, long, int, long, string?)>();
                while (r.Read()) rows.Add((r.GetInt64(0), r.GetInt64(1), r.GetInt32(2), r.GetInt64(3), r.IsDBNull(4) ? null : r.GetString(4)));
                refRows += rows.Count;
            },
            async (ids, ct) => sutRows += (await sut.Store.GetEventsByArtifactIdsAsync(ids, ct).ConfigureAwait(false)).Count,
            3, cancellationToken, opsDivisor: ReadBench.HeavyDivisor).ConfigureAwait(false);
        if (refRows != sutRows) throw new InvalidOperationException($"The reference read {refRows} events and the store {sutRows}.");
        var perCall = (double)sutRows / (context.Size.Rounds * Math.Max(10, context.Size.ReadOpsPerRound / ReadBench.HeavyDivisor));
        return [result with { Notes = string.Create(CultureInfo.InvariantCulture, $"{perCall:F1} events per call (4 per artifact on average: 1 output, ~3 as input; hubs more)") }];
    }
}
