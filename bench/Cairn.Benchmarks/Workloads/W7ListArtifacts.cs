using Cairn.Store.Relational;

namespace Cairn.Benchmarks.Workloads;

/// <summary>
/// W7 artifact lookups (mlmd_bench ReadNodesByProperties): a keyset page of 100 by type from a random position,
/// one artifact by type and name, by URI and by external id.
/// </summary>
/// <remarks>Reference: one indexed SELECT (the type name resolved in a subquery) + one property SELECT per call.</remarks>
internal sealed class W7ListArtifacts : IWorkload
{
    public string Id => "W7";

    public async Task<IReadOnlyList<WorkloadResult>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var data = context.ReadDataset;
        using var connection = RawSqlite.Open(data.ReferencePath);
        using var reader = new RawReader(connection);
        await using var sut = await SutStore.OpenAsync(data.StorePath, cancellationToken).ConfigureAwait(false);
        const string TypeId = "(SELECT id FROM type WHERE kind = 1 AND name = $tn AND version = '')";
        var page = reader.Prepare($"SELECT {RawReader.Columns} FROM {RawReader.From} WHERE n.type_id = {TypeId} AND n.id > $after ORDER BY n.id LIMIT 101", "$tn", "$after");
        var byName = reader.Prepare($"SELECT {RawReader.Columns} FROM {RawReader.From} WHERE n.type_id = {TypeId} AND n.name = $n", "$tn", "$n");
        var byUri = reader.Prepare($"SELECT {RawReader.Columns} FROM {RawReader.From} WHERE n.uri = $u", "$u");
        var byExternalId = reader.Prepare($"SELECT {RawReader.Columns} FROM {RawReader.From} WHERE n.external_id = $e", "$e");

        var perType = data.ArtifactCount / BenchConfig.ArtifactTypes;
        var pageSize = Math.Min(100, perType - 1);
        var results = new List<WorkloadResult>
        {
            await ReadBench.RunAsync(context, sut, "W7/type-page", "GetArtifactsByType, keyset page of 100", 2.0, 71,
                rng =>
                {
                    // A page that starts after a random artifact of a random type and is full.
                    var t = rng.Next(BenchConfig.ArtifactTypes);
                    var j = rng.Next(Math.Max(1, perType - pageSize));
                    var after = data.ArtifactIds[(j * BenchConfig.ArtifactTypes) + t];
                    return (Type: ReadDataset.TypeName(t), After: after, Token: new PageToken(OrderByField.Id, true, after, after).Encode());
                },
                a =>
                {
                    page.Parameters[0].Value = a.Type;
                    page.Parameters[1].Value = a.After;
                    W6GetArtifactsById.Expect(reader.Nodes(page, keep: 100).Count, pageSize);
                },
                async (a, ct) =>
                {
                    var options = new ListOptions { MaxResultSize = 100, NextPageToken = a.Token };
                    W6GetArtifactsById.Expect((await sut.Store.GetArtifactsByTypeAsync(a.Type, null, options, ct).ConfigureAwait(false)).Items.Count, pageSize);
                },
                null, cancellationToken, opsDivisor: ReadBench.HeavyDivisor).ConfigureAwait(false),

            await ReadBench.RunAsync(context, sut, "W7/type+name", "GetArtifactByTypeAndName", 2.0, 72,
                rng => rng.Next(data.ArtifactCount),
                k =>
                {
                    byName.Parameters[0].Value = ReadDataset.TypeName(ReadDataset.TypeOf(k));
                    byName.Parameters[1].Value = ReadDataset.Name(k);
                    W6GetArtifactsById.Expect(reader.Nodes(byName).Count, 1);
                },
                async (k, ct) =>
                {
                    var found = await sut.Store.GetArtifactByTypeAndNameAsync(ReadDataset.TypeName(ReadDataset.TypeOf(k)), ReadDataset.Name(k), null, ct).ConfigureAwait(false);
                    W6GetArtifactsById.Expect(found is null ? 0 : 1, 1);
                },
                null, cancellationToken).ConfigureAwait(false),

            await ReadBench.RunAsync(context, sut, "W7/uri", "GetArtifactsByURI, 1 uri", 2.0, 73,
                rng => ReadDataset.Uri(rng.Next(data.ArtifactCount)),
                uri =>
                {
                    byUri.Parameters[0].Value = uri;
                    W6GetArtifactsById.Expect(reader.Nodes(byUri).Count, 1);
                },
                async (uri, ct) => W6GetArtifactsById.Expect((await sut.Store.GetArtifactsByUriAsync([uri], ct).ConfigureAwait(false)).Count, 1),
                null, cancellationToken).ConfigureAwait(false),

            await ReadBench.RunAsync(context, sut, "W7/external-id", "GetArtifactsByExternalIds, 1 id", 2.0, 74,
                rng => ReadDataset.ExternalId(rng.Next(data.ArtifactCount)),
                e =>
                {
                    byExternalId.Parameters[0].Value = e;
                    W6GetArtifactsById.Expect(reader.Nodes(byExternalId).Count, 1);
                },
                async (e, ct) => W6GetArtifactsById.Expect((await sut.Store.GetArtifactsByExternalIdsAsync([e], ct).ConfigureAwait(false)).Count, 1),
                null, cancellationToken).ConfigureAwait(false),
        };
        return results;
    }
}
