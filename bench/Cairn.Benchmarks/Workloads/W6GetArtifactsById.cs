namespace Cairn.Benchmarks.Workloads;

/// <summary>W6 GetArtifactsByID with properties, 1 and 100 random ids (mlmd_bench ReadNodesByProperties BY_ID).</summary>
/// <remarks>Reference: PK SELECT (joined with type for the type name) + property SELECT, with bound <c>IN ($p0, …)</c> lists.</remarks>
internal sealed class W6GetArtifactsById : IWorkload
{
    public string Id => "W6";

    public async Task<IReadOnlyList<WorkloadResult>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var data = context.ReadDataset;
        using var connection = RawSqlite.Open(data.ReferencePath);
        using var reader = new RawReader(connection);
        await using var sut = await SutStore.OpenAsync(data.StorePath, cancellationToken).ConfigureAwait(false);

        var one = reader.Prepare($"SELECT {RawReader.Columns} FROM {RawReader.From} WHERE n.id = $id", "$id");
        var many = reader.Prepare($"SELECT {RawReader.Columns} FROM {RawReader.From} WHERE n.id IN ({RawSqlite.InList(100)}) ORDER BY n.id", RawSqlite.InParameters(100));

        var single = await ReadBench.RunAsync(context, sut, "W6/1", "GetArtifactsByID, 1 id, with properties", 2.0, 61,
            rng => data.ArtifactIds[rng.Next(data.ArtifactCount)],
            id =>
            {
                one.Parameters[0].Value = id;
                Expect(reader.Nodes(one).Count, 1);
            },
            async (id, ct) => Expect((await sut.Store.GetArtifactsByIdAsync([id], ct).ConfigureAwait(false)).Count, 1),
            3, cancellationToken).ConfigureAwait(false);

        var hundred = await ReadBench.RunAsync(context, sut, "W6/100", "GetArtifactsByID, 100 ids, with properties", 2.0, 62,
            rng => Draw(rng, data, 100),
            ids =>
            {
                for (var i = 0; i < ids.Length; i++) many.Parameters[i].Value = ids[i];
                Expect(reader.Nodes(many).Count, 100);
            },
            async (ids, ct) => Expect((await sut.Store.GetArtifactsByIdAsync(ids, ct).ConfigureAwait(false)).Count, 100),
            3, cancellationToken, opsDivisor: ReadBench.HeavyDivisor).ConfigureAwait(false);

        return [single, hundred];
    }

    /// <summary><paramref name="count"/> distinct random artifact ids.</summary>
    public static long[] Draw(Random rng, ReadDataset data, int count)
    {
        var set = new HashSet<long>();
        while (set.Count < Math.Min(count, data.ArtifactCount)) set.Add(data.ArtifactIds[rng.Next(data.ArtifactCount)]);
        return [.. set];
    }

    public static void Expect(int actual, int expected)
    {
        if (actual != expected) throw new InvalidOperationException($"Expected {expected} rows, read {actual}: the two sides do not read the same data.");
    }
}
