using System.Diagnostics;
using System.Globalization;
using Cairn.Store.Sqlite;
using Microsoft.Data.Sqlite;

namespace Cairn.Benchmarks.Workloads;

/// <summary>
/// WS full-text search (issue 8) on the read dataset, with tags (<c>tag-{id % 50}</c>) and owners (<c>user-{id % 20}</c>) added
/// once to both copies: (a) one word matching 200 artifacts (property p5's group value), ranked page of 20 with the total;
/// (b) two group values OR-ed AND the word of a type name (from the type column, so two index tables meet); (c) the same as (a) with every facet counted; and the index's write cost:
/// (w2) the W2 batch and (w3) the W3 single put, written with raw SQL into a schema without the index (version 5) and with it
/// (version 6), alternating in the same run.
/// </summary>
/// <remarks>
/// References are hand-written SQL on the same FTS5 tables a person would write: each term group against the node rows and the
/// value rows, grouped by node (with the store's bm25 weights), the ranked page joined to its rows, a <c>count(*)</c> of the
/// matches, one property SELECT, and for (c) one GROUP BY per facet over the matches. Goals (issue 8): ≤1.5× of the reference; facet counts under 50 ms at L (SUT p99 in the notes).
/// </remarks>
internal sealed class WSSearch : IWorkload
{
    private const int Page = 20;
    private const string NodeWeights = "10.0, 2.0, 3.0, 5.0";
    private const string ValueWeights = "1.0, 5.0, 3.0";

    public string Id => "WS";

    /// <summary>The FTS5 query of each term group (all must match one of a node's rows) and the search text the store gets.</summary>
    private sealed record Query(string[] Groups, string Text);

    /// <summary>Matching node ids and their scores: each group against the node rows and the value rows, every group matched.</summary>
    private static string Matches(int groups)
    {
        var parts = Enumerable.Range(0, groups).Select(g =>
            $"SELECT rowid AS id, {g} AS g, -bm25(artifact_search, {NodeWeights}) AS score FROM artifact_search WHERE artifact_search MATCH $g{g} "
            + $"UNION ALL SELECT k.node_id, {g}, -bm25(artifact_search_value, {ValueWeights}) FROM artifact_search_value v JOIN artifact_search_key k ON k.id = v.rowid WHERE artifact_search_value MATCH $g{g}");
        return $"SELECT id, SUM(score) AS score FROM ({string.Join(" UNION ALL ", parts)}) GROUP BY id" + (groups > 1 ? $" HAVING COUNT(DISTINCT g) = {groups}" : string.Empty);
    }

    public async Task<IReadOnlyList<WorkloadResult>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var data = context.ReadDataset;
        AddLabels(data.ReferencePath);
        AddLabels(data.StorePath);
        using var connection = RawSqlite.Open(data.ReferencePath);
        using var reader = new RawReader(connection);
        await using var sut = await SutStore.OpenAsync(data.StorePath, cancellationToken).ConfigureAwait(false);

        var commands = new Dictionary<int, (SqliteCommand Page, SqliteCommand Count, SqliteCommand Facets)>();
        (SqliteCommand Page, SqliteCommand Count, SqliteCommand Facets) For(int groups)
        {
            if (commands.TryGetValue(groups, out var c)) return c;
            var parameters = Enumerable.Range(0, groups).Select(g => "$g" + g.ToString(CultureInfo.InvariantCulture)).ToArray();
            var matches = Matches(groups);
            c = (
                reader.Prepare($"SELECT {RawReader.Columns} FROM ({matches} ORDER BY score DESC LIMIT {Page}) h JOIN artifact n ON n.id = h.id JOIN type t ON t.id = n.type_id ORDER BY h.score DESC", parameters),
                reader.Prepare($"SELECT count(*) FROM ({matches})", parameters),
                reader.Prepare($"""
                    WITH m AS (SELECT n.id, n.type_id, n.create_time FROM ({matches}) h JOIN artifact n ON n.id = h.id)
                    SELECT 't', t.name, count(*) FROM m JOIN type t ON t.id = m.type_id GROUP BY t.name
                    UNION ALL SELECT 'l' || l.label, l.value, count(*) FROM m JOIN artifact_label l ON l.node_id = m.id GROUP BY l.label, l.value
                    UNION ALL SELECT 'c', c.name, count(*) FROM m JOIN attribution a ON a.artifact_id = m.id JOIN context c ON c.id = a.context_id GROUP BY c.id
                    UNION ALL SELECT 'd', m.create_time / 86400000, count(*) FROM m GROUP BY m.create_time / 86400000
                    """, parameters));
            commands[groups] = c;
            return c;
        }

        static void Bind(SqliteCommand command, Query q)
        {
            for (var g = 0; g < q.Groups.Length; g++) command.Parameters[g].Value = q.Groups[g];
        }

        int Rows(SqliteCommand command)
        {
            using var r = command.ExecuteReader();
            var rows = 0;
            while (r.Read()) rows++;
            return rows;
        }

        var groups = data.Groups;
        string Group(Random rng) => ReadDataset.GroupValue(rng.Next(groups));
        var shapes = new (string Id, string Title, Func<Random, Query> Draw, bool Facets)[]
        {
            ("WSa", "search: one word (200 hits), ranked page of 20 with the total", rng =>
            {
                var g = Group(rng);
                return new Query([g], g);
            }, false),
            ("WSb", "search: (g1 OR g2) AND a type word (400 and n/100 rows, ~4 hits), ranked page of 20 with the total", rng =>
            {
                var (a, b) = (Group(rng), Group(rng));
                var type = ReadDataset.TypeName(rng.Next(BenchConfig.ArtifactTypes))["bench.".Length..].ToLowerInvariant();
                return new Query([$"{a} OR {b}", type], $"{a} OR {b} {type}");
            }, false),
            ("WSc", "search + facets: one word (200 hits), page of 20, total and every facet (type, owner, tag, context, day)", rng =>
            {
                var g = Group(rng);
                return new Query([g], g);
            }, true),
        };

        var results = new List<WorkloadResult>();
        foreach (var shape in shapes)
        {
            long refHits = 0, sutHits = 0, refTotal = 0, sutTotal = 0;
            var result = await ReadBench.RunAsync(context, sut, shape.Id, shape.Title, 1.5, 200 + results.Count, shape.Draw,
                q =>
                {
                    var (page, count, facets) = For(q.Groups.Length);
                    Bind(page, q);
                    refHits += reader.Nodes(page).Count;
                    Bind(count, q);
                    refTotal += (long)count.ExecuteScalar()!;
                    if (shape.Facets)
                    {
                        Bind(facets, q);
                        Rows(facets);
                    }
                },
                async (q, ct) =>
                {
                    var r = await sut.Store.SearchAsync(
                        new SearchRequest { Text = q.Text, Kinds = [NodeKind.Artifact], Limit = Page, Facets = shape.Facets }, ct).ConfigureAwait(false);
                    sutHits += r.Hits.Count;
                    sutTotal += r.Total;
                },
                null, cancellationToken, opsDivisor: ReadBench.HeavyDivisor).ConfigureAwait(false);
            if (refHits != sutHits || refTotal != sutTotal)
                throw new InvalidOperationException($"{shape.Id}: the reference found {refHits} hits of {refTotal} and the store {sutHits} of {sutTotal}.");
            var calls = context.Size.Rounds * Math.Max(10, context.Size.ReadOpsPerRound / ReadBench.HeavyDivisor);
            results.Add(result with
            {
                Notes = string.Create(CultureInfo.InvariantCulture,
                    $"{(double)sutTotal / calls:F0} matches and {(double)sutHits / calls:F0} hits per call; SUT p99 {(result.Sut?.P99Us ?? 0) / 1000:F2} ms{(shape.Facets ? " (goal: facets under 50 ms at L)" : string.Empty)}; example: {shape.Draw(new Random(context.Config.Seed)).Text}"),
            });
        }

        results.Add(await WriteCostAsync(context, bulk: true, cancellationToken).ConfigureAwait(false));
        results.Add(await WriteCostAsync(context, bulk: false, cancellationToken).ConfigureAwait(false));
        return results;
    }

    /// <summary>Tags and owners on every artifact, written once per dataset copy (the triggers index them).</summary>
    private static void AddLabels(string path)
    {
        using var connection = RawSqlite.Open(path);
        using (var check = connection.CreateCommand())
        {
            check.CommandText = "SELECT EXISTS (SELECT 1 FROM artifact_label)";
            if ((long)check.ExecuteScalar()! != 0) return;
        }

        var start = Stopwatch.GetTimestamp();
        using var tx = connection.BeginTransaction();
        RawSqlite.Execute(connection, """
            INSERT INTO artifact_label (node_id, label, value) SELECT id, 1, 'tag-' || (id % 50) FROM artifact;
            INSERT INTO artifact_label (node_id, label, value) SELECT id, 2, 'user-' || (id % 20) FROM artifact;
            """, tx);
        tx.Commit();
        BenchContext.Log(string.Create(CultureInfo.InvariantCulture, $"WS: labels added to {Path.GetFileName(path)} in {Stopwatch.GetElapsedTime(start).TotalSeconds:F1} s"));
    }

    /// <summary>The same raw writes into a version-5 schema (A, no index) and a version-6 one (B): B's throughput over A's.</summary>
    private static async Task<WorkloadResult> WriteCostAsync(BenchContext context, bool bulk, CancellationToken cancellationToken)
    {
        var size = context.Size;
        using var dir = context.NewTempDirectory(bulk ? "ws-w2" : "ws-w3");
        using var without = Create(dir.File("v5.db"), 5);
        using var with = Create(dir.File("v6.db"), SqliteSchema.Migrations.Count);
        using var writerA = new RawWriter(without);
        using var writerB = new RawWriter(with);
        var typesA = Types(writerA);
        var typesB = Types(writerB);
        var gen = new DataGen(context.Config.Seed);
        var perRound = bulk ? size.BulkRequestsPerRound : size.SinglePutsPerRound;
        List<List<NodeSpec>> specs = [];

        Task Write(RawWriter writer, Sample sample) => BulkArtifacts.WriteRaw(writer, specs, sample);

        var outcome = await AbRunner.RunAsync(size.Rounds,
            round => specs = bulk
                ? BulkArtifacts.Generate(gen, round * perRound, perRound, typesA)
                : [.. Enumerable.Range(0, perRound).Select(i => new List<NodeSpec> { gen.Artifact(string.Empty, ((long)round * perRound) + i, typesA[i % typesA.Length], customProperties: 2) })],
            (_, sample, _) => Write(writerA, sample),
            (_, sample, _) => Write(writerB, sample),
            cancellationToken).ConfigureAwait(false);
        if (!typesA.SequenceEqual(typesB)) throw new InvalidOperationException("Type ids diverge between the two schemas.");
        var title = bulk
            ? "index write cost: W2's batch (100 artifacts, 10 properties) by raw SQL, with the search index (v6) over without (v5)"
            : "index write cost: W3's single artifact (10 + 2 properties) by raw SQL, with the search index (v6) over without (v5)";
        return WorkloadResult.FromOutcome(bulk ? "WSw2" : "WSw3", title, size, bulk ? "artifacts/s" : "calls/s", 0.5, Better.Higher, outcome,
            bulk ? "artifacts" : "calls", notes: "reference = the same rows without the index; the ratio is the share of write throughput the index leaves");
    }

    private static SqliteConnection Create(string path, int version)
    {
        var connection = RawSqlite.Open(path);
        RawSqlite.Execute(connection, "PRAGMA journal_mode = WAL");
        using var tx = connection.BeginTransaction();
        for (var v = 0; v < version; v++) RawSqlite.Execute(connection, SqliteSchema.Migrations[v], tx);
        tx.Commit();
        return connection;
    }

    private static long[] Types(RawWriter writer)
    {
        var ids = new long[BenchConfig.ArtifactTypes];
        using var tx = writer.Begin();
        for (var t = 0; t < ids.Length; t++) ids[t] = writer.InsertType(DataGen.ArtifactType(ReadDataset.TypeName(t)));
        tx.Commit();
        return ids;
    }
}
