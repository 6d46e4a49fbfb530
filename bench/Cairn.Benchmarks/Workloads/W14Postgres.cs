using System.Diagnostics;
using System.Globalization;
using Cairn.Store.Relational;
using Npgsql;
using NpgsqlTypes;

namespace Cairn.Benchmarks.Workloads;

/// <summary>
/// W14 the PostgreSQL backend: W2 (bulk puts of 100 artifacts), W3 (single durable put), W6 (reads by id, 1 and 100) and
/// W11 (lineage, 20 hops up and down on the local DAG), each against hand-written Npgsql SQL on the same server.
/// </summary>
/// <remarks>
/// References: W2 <c>INSERT … SELECT * FROM unnest(arrays)</c> for the artifact rows (RETURNING id) and for the property rows,
/// one transaction per request; W3 one autocommit statement inserting the artifact and its 10 property rows
/// (<c>WITH a AS (INSERT … RETURNING id) INSERT … SELECT FROM a, unnest(…)</c>); W6 the PK SELECT + property SELECT with
/// <c>= ANY(@ids)</c>; W11 the batched BFS (<c>= ANY</c>) and the recursive CTE with the same hydration as on SQLite.
/// The store and the reference each have their own database, created with the store's migrations; the read dataset
/// (W6, W11) is written once through the store and read by both. Skipped with a line when no PostgreSQL can be had.
/// </remarks>
internal sealed class W14Postgres : IWorkload
{
    public string Id => "W14";

    public async Task<IReadOnlyList<WorkloadResult>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var (server, reason) = await PostgresServer.StartAsync(context.Config.TempRoot, cancellationToken).ConfigureAwait(false);
        if (server is null)
        {
            BenchContext.Log($"W14 skipped: {reason}.");
            return [];
        }

        await using (server)
        {
            BenchContext.Log($"W14 on PostgreSQL: {server.Description}");
            var results = new List<WorkloadResult>();
            results.AddRange(await WritesAsync(context, server, cancellationToken).ConfigureAwait(false));
            results.AddRange(await ReadsAsync(context, server, cancellationToken).ConfigureAwait(false));
            return results.Select(r => r with { Notes = $"PostgreSQL: {server.Description}" + (r.Notes is null ? string.Empty : "; " + r.Notes) }).ToList();
        }
    }

    // ------------------------------------------------------------------ W2, W3

    private static async Task<List<WorkloadResult>> WritesAsync(BenchContext context, PostgresServer server, CancellationToken cancellationToken)
    {
        var size = context.Size;
        var (sutUri, _) = await server.CreateDatabaseAsync("sut", cancellationToken).ConfigureAwait(false);
        var (refUri, refConnectionString) = await server.CreateDatabaseAsync("ref", cancellationToken).ConfigureAwait(false);
        await using var sut = await CairnStore.OpenAsync(sutUri, cancellationToken).ConfigureAwait(false);
        var engine = (RelationalMetadataStore)sut;
        long[] typeIds;
        await using (var schema = await CairnStore.OpenAsync(refUri, cancellationToken).ConfigureAwait(false))
        {
            // The reference database gets the store's schema and the same types (same ids) through the store itself.
            typeIds = new long[BenchConfig.ArtifactTypes];
            for (var t = 0; t < typeIds.Length; t++)
            {
                typeIds[t] = await schema.PutArtifactTypeAsync(DataGen.ArtifactType(ReadDataset.TypeName(t)), cancellationToken: cancellationToken).ConfigureAwait(false);
                var id = await sut.PutArtifactTypeAsync(DataGen.ArtifactType(ReadDataset.TypeName(t)), cancellationToken: cancellationToken).ConfigureAwait(false);
                if (id != typeIds[t]) throw new InvalidOperationException("Type ids diverge between the store and the reference database.");
            }
        }

        await using var connection = new NpgsqlConnection(refConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var gen = new DataGen(context.Config.Seed);
        var results = new List<WorkloadResult>();

        // W2: 100 artifacts with 10 properties per request.
        List<List<NodeSpec>> specs = [];
        List<List<Artifact>> requests = [];
        var statements = new StatementTally();
        var bulkRequests = Math.Max(3, size.BulkRequestsPerRound / 2);
        var outcome = await AbRunner.RunAsync(size.Rounds,
            round =>
            {
                specs = BulkArtifacts.Generate(gen, round * bulkRequests, bulkRequests, typeIds);
                requests = specs.Select(r => r.Select(s => s.ToArtifact()).ToList()).ToList();
            },
            async (_, sample, ct) =>
            {
                foreach (var request in specs)
                {
                    var start = Stopwatch.GetTimestamp();
                    await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
                    await InsertUnnestAsync(connection, tx, request, ct).ConfigureAwait(false);
                    await tx.CommitAsync(ct).ConfigureAwait(false);
                    sample.Record(start, request.Count);
                }
            },
            async (_, sample, ct) =>
            {
                foreach (var request in requests)
                {
                    var start = Stopwatch.GetTimestamp();
                    await sut.PutArtifactsAsync(request, cancellationToken: ct).ConfigureAwait(false);
                    sample.Record(start, request.Count);
                    statements.Add(engine.LastCallStatements);
                }
            },
            cancellationToken).ConfigureAwait(false);
        results.Add(WorkloadResult.FromOutcome("W14/W2", "PostgreSQL: PutArtifacts, 100 per request, 10 properties", size, "artifacts/s", 0.5, Better.Higher, outcome,
            "artifacts", statements, notes: "reference: INSERT … SELECT * FROM unnest(arrays) for artifacts and properties, 1 txn per 100; p50/p99 per request"));

        // W3: one artifact with 10 properties per call, one durable commit per call.
        List<NodeSpec> singles = [];
        statements = new StatementTally();
        await using var single = new NpgsqlCommand(
            """
            WITH a AS (INSERT INTO artifact (type_id, name, external_id, uri, state, create_time, update_time)
                       VALUES (@t, @n, @e, @u, @s, @ct, @ct) RETURNING id)
            INSERT INTO artifact_property (node_id, is_custom, name, kind, int_value, double_value, string_value, bytes_value)
            SELECT a.id, p.c, p.n, p.k, p.i, p.d, p.s, NULL FROM a, unnest(@pc, @pn, @pk, @pi, @pd, @ps) AS p(c, n, k, i, d, s)
            """, connection);
        var singlePuts = Math.Max(20, size.SinglePutsPerRound / 2);
        var firstSingle = 1_000_000L;
        outcome = await AbRunner.RunAsync(size.Rounds,
            round => singles = Enumerable.Range(0, singlePuts).Select(i => firstSingle + ((long)round * singlePuts) + i)
                .Select(k => gen.Artifact(string.Empty, k, typeIds[k % typeIds.Length])).ToList(),
            async (_, sample, ct) =>
            {
                foreach (var spec in singles)
                {
                    var start = Stopwatch.GetTimestamp();
                    BindSingle(single, spec, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                    await single.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                    sample.Record(start);
                }
            },
            async (_, sample, ct) =>
            {
                foreach (var spec in singles)
                {
                    var start = Stopwatch.GetTimestamp();
                    await sut.PutArtifactsAsync([spec.ToArtifact()], cancellationToken: ct).ConfigureAwait(false);
                    sample.Record(start);
                    statements.Add(engine.LastCallStatements);
                }
            },
            cancellationToken).ConfigureAwait(false);
        results.Add(WorkloadResult.FromOutcome("W14/W3", "PostgreSQL: PutArtifacts, 1 artifact per call, 10 properties (durable commit per call)", size, "calls/s", 0.7,
            Better.Higher, outcome, "calls", statements, notes: "reference: one autocommit statement (CTE INSERT of the artifact and its 10 property rows)"));
        return results;
    }

    private static (long[] Ids, string[] Names, int[] Kinds, long?[] Ints, double?[] Doubles, string?[] Strings, int[] Custom) PropertyArrays(IReadOnlyList<NodeSpec> nodes, IReadOnlyList<long> ids)
    {
        var count = nodes.Sum(n => n.Values.Count);
        var result = (new long[count], new string[count], new int[count], new long?[count], new double?[count], new string?[count], new int[count]);
        var i = 0;
        for (var j = 0; j < nodes.Count; j++)
        {
            foreach (var (name, custom, value) in nodes[j].Values)
            {
                result.Item1[i] = ids[j];
                result.Item2[i] = name;
                result.Item3[i] = (int)value.Kind;
                result.Item4[i] = value.Kind switch { ValueKind.Int => value.IntValue, ValueKind.Bool => value.BoolValue ? 1 : 0, _ => null };
                result.Item5[i] = value.Kind == ValueKind.Double ? value.DoubleValue : null;
                result.Item6[i] = value.Kind == ValueKind.String ? value.StringValue : null;
                result.Item7[i] = custom ? 1 : 0;
                i++;
            }
        }

        return result;
    }

    private static async Task InsertUnnestAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<NodeSpec> nodes, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using var artifacts = new NpgsqlCommand(
            "INSERT INTO artifact (type_id, name, external_id, uri, state, create_time, update_time) SELECT * FROM unnest(@t, @n, @e, @u, @s, @ct, @ut) RETURNING id",
            connection, tx);
        artifacts.Parameters.AddWithValue("t", nodes.Select(n => n.TypeId).ToArray());
        artifacts.Parameters.AddWithValue("n", nodes.Select(n => n.Name).ToArray());
        artifacts.Parameters.AddWithValue("e", nodes.Select(n => n.ExternalId).ToArray());
        artifacts.Parameters.AddWithValue("u", nodes.Select(n => n.Uri ?? string.Empty).ToArray());
        artifacts.Parameters.AddWithValue("s", nodes.Select(n => n.State).ToArray());
        artifacts.Parameters.AddWithValue("ct", nodes.Select(_ => now).ToArray());
        artifacts.Parameters.AddWithValue("ut", nodes.Select(_ => now).ToArray());
        var ids = new List<long>(nodes.Count);
        await using (var r = await artifacts.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await r.ReadAsync(ct).ConfigureAwait(false)) ids.Add(r.GetInt64(0));
        }

        var p = PropertyArrays(nodes, ids);
        await using var properties = new NpgsqlCommand(
            "INSERT INTO artifact_property (node_id, is_custom, name, kind, int_value, double_value, string_value, bytes_value) SELECT i, c, n, k, iv, dv, sv, NULL FROM unnest(@i, @c, @n, @k, @iv, @dv, @sv) AS p(i, c, n, k, iv, dv, sv)",
            connection, tx);
        properties.Parameters.AddWithValue("i", p.Ids);
        properties.Parameters.AddWithValue("c", p.Custom);
        properties.Parameters.AddWithValue("n", p.Names);
        properties.Parameters.AddWithValue("k", p.Kinds);
        properties.Parameters.Add(new NpgsqlParameter("iv", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = p.Ints });
        properties.Parameters.Add(new NpgsqlParameter("dv", NpgsqlDbType.Array | NpgsqlDbType.Double) { Value = p.Doubles });
        properties.Parameters.Add(new NpgsqlParameter("sv", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = p.Strings });
        await properties.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static void BindSingle(NpgsqlCommand command, NodeSpec spec, long now)
    {
        command.Parameters.Clear();
        command.Parameters.AddWithValue("t", spec.TypeId);
        command.Parameters.AddWithValue("n", (object?)spec.Name ?? DBNull.Value);
        command.Parameters.AddWithValue("e", (object?)spec.ExternalId ?? DBNull.Value);
        command.Parameters.AddWithValue("u", spec.Uri ?? string.Empty);
        command.Parameters.AddWithValue("s", (object?)spec.State ?? DBNull.Value);
        command.Parameters.AddWithValue("ct", now);
        var p = PropertyArrays([spec], [0]);
        command.Parameters.AddWithValue("pc", p.Custom);
        command.Parameters.AddWithValue("pn", p.Names);
        command.Parameters.AddWithValue("pk", p.Kinds);
        command.Parameters.Add(new NpgsqlParameter("pi", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = p.Ints });
        command.Parameters.Add(new NpgsqlParameter("pd", NpgsqlDbType.Array | NpgsqlDbType.Double) { Value = p.Doubles });
        command.Parameters.Add(new NpgsqlParameter("ps", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = p.Strings });
    }

    // ------------------------------------------------------------------ W6, W11

    private static async Task<List<WorkloadResult>> ReadsAsync(BenchContext context, PostgresServer server, CancellationToken cancellationToken)
    {
        var size = context.Size;
        var (uri, connectionString) = await server.CreateDatabaseAsync("read", cancellationToken).ConfigureAwait(false);
        await using var store = await CairnStore.OpenAsync(uri, cancellationToken).ConfigureAwait(false);
        var engine = (RelationalMetadataStore)store;
        var clock = Stopwatch.StartNew();
        var (artifactIds, layer) = await WriteDagAsync(store, Math.Min(size.ReadArtifacts, 20_000), context.Config.Seed, cancellationToken).ConfigureAwait(false);
        BenchContext.Log(string.Create(CultureInfo.InvariantCulture, $"W14 read dataset: {artifactIds.Length:N0} artifacts (local DAG) written through the store in {clock.Elapsed.TotalSeconds:F1} s"));
        await using (var analyze = new NpgsqlConnection(connectionString))
        {
            await analyze.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("ANALYZE", analyze);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var sut = new StoreStatements(store, engine);
        var results = new List<WorkloadResult>();

        await using var one = new NpgsqlCommand($"SELECT {RawReader.Columns} FROM {RawReader.From} WHERE n.id = @id", connection);
        await using var many = new NpgsqlCommand($"SELECT {RawReader.Columns} FROM {RawReader.From} WHERE n.id = ANY(@ids) ORDER BY n.id", connection);
        await using var propsOne = new NpgsqlCommand("SELECT node_id, is_custom, name, kind, int_value, double_value, string_value, bytes_value FROM artifact_property WHERE node_id = @id", connection);
        await using var propsMany = new NpgsqlCommand("SELECT node_id, is_custom, name, kind, int_value, double_value, string_value, bytes_value FROM artifact_property WHERE node_id = ANY(@ids)", connection);

        results.Add(await sut.ReadAsync(context, "W14/W6/1", "PostgreSQL: GetArtifactsByID, 1 id, with properties", 1.5, 141,
            rng => artifactIds[rng.Next(artifactIds.Length)],
            id =>
            {
                one.Parameters.Clear();
                one.Parameters.AddWithValue("id", id);
                propsOne.Parameters.Clear();
                propsOne.Parameters.AddWithValue("id", id);
                W6GetArtifactsById.Expect(ReadNodes(one, propsOne), 1);
            },
            async (id, ct) => W6GetArtifactsById.Expect((await store.GetArtifactsByIdAsync([id], ct).ConfigureAwait(false)).Count, 1),
            3, 1, cancellationToken).ConfigureAwait(false));

        results.Add(await sut.ReadAsync(context, "W14/W6/100", "PostgreSQL: GetArtifactsByID, 100 ids, with properties", 1.5, 142,
            rng =>
            {
                var set = new HashSet<long>();
                while (set.Count < Math.Min(100, artifactIds.Length)) set.Add(artifactIds[rng.Next(artifactIds.Length)]);
                return set.ToArray();
            },
            ids =>
            {
                many.Parameters.Clear();
                many.Parameters.AddWithValue("ids", ids);
                propsMany.Parameters.Clear();
                propsMany.Parameters.AddWithValue("ids", ids);
                W6GetArtifactsById.Expect(ReadNodes(many, propsMany), ids.Length);
            },
            async (ids, ct) => W6GetArtifactsById.Expect((await store.GetArtifactsByIdAsync(ids, ct).ConfigureAwait(false)).Count, ids.Length),
            3, ReadBench.HeavyDivisor, cancellationToken).ConfigureAwait(false));

        using var reference = new LineageReference(connection, RawIdLists.Postgres);
        foreach (var direction in new[] { LineageDirection.Upstream, LineageDirection.Downstream })
        {
            var label = $"W14/W11/{(direction == LineageDirection.Upstream ? "up" : "down")}/20";
            BenchContext.Log($"{label} …");
            results.AddRange(await LineageBench.RunCaseAsync(context, label, artifactIds, layer, direction, 20,
                new LineageSides(reference, null, store, () => engine.LastCallStatements), cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    /// <summary>Reads node rows, then their properties (every column materialized); returns the node count.</summary>
    private static int ReadNodes(NpgsqlCommand nodes, NpgsqlCommand properties)
    {
        var count = 0;
        using (var r = nodes.ExecuteReader())
        {
            while (r.Read())
            {
                for (var i = 0; i < r.FieldCount; i++) _ = r.GetValue(i);
                count++;
            }
        }

        using (var r = properties.ExecuteReader())
        {
            while (r.Read())
            {
                for (var i = 0; i < r.FieldCount; i++) _ = r.GetValue(i);
            }
        }

        return count;
    }

    /// <summary>The local DAG of the read dataset (layers, ±50 parents, 1% hubs), written through the store in batches.</summary>
    private static async Task<(long[] ArtifactIds, int Layer)> WriteDagAsync(IMetadataStore store, int n, int seed, CancellationToken ct)
    {
        var gen = new DataGen(seed);
        var rng = new Random(seed + 1);
        var artifactTypes = new long[BenchConfig.ArtifactTypes];
        for (var t = 0; t < artifactTypes.Length; t++)
            artifactTypes[t] = await store.PutArtifactTypeAsync(DataGen.ArtifactType(ReadDataset.TypeName(t)), cancellationToken: ct).ConfigureAwait(false);
        var executionTypes = new long[BenchConfig.ExecutionTypes];
        for (var t = 0; t < executionTypes.Length; t++)
            executionTypes[t] = await store.PutExecutionTypeAsync(DataGen.ExecutionType("bench.Execution" + t.ToString(CultureInfo.InvariantCulture)), cancellationToken: ct).ConfigureAwait(false);

        const int Batch = 1_000;
        var ids = new long[n];
        for (var start = 0; start < n; start += Batch)
        {
            var batch = Enumerable.Range(start, Math.Min(Batch, n - start))
                .Select(k => new NodeSpec(artifactTypes[ReadDataset.TypeOf(k)], ReadDataset.Name(k), ReadDataset.ExternalId(k), ReadDataset.Uri(k), (int)ArtifactState.Live,
                    gen.Values(BenchConfig.PropertiesPerNode, 2)).ToArtifact()).ToList();
            var written = await store.PutArtifactsAsync(batch, cancellationToken: ct).ConfigureAwait(false);
            for (var i = 0; i < written.Count; i++) ids[start + i] = written[i];
        }

        var layer = Math.Max(1, n / BenchConfig.Layers);
        var hubs = Math.Min(100, layer);
        for (var start = layer; start < n; start += Batch)
        {
            var ks = Enumerable.Range(start, Math.Min(Batch, n - start)).ToList();
            var executions = await store.PutExecutionsAsync(ks.Select(k => gen.Execution(string.Empty, k, executionTypes[k % BenchConfig.ExecutionTypes]).ToExecution()).ToList(),
                cancellationToken: ct).ConfigureAwait(false);
            var events = new List<Event>();
            for (var i = 0; i < ks.Count; i++)
            {
                var k = ks[i];
                var position = k % layer;
                var previous = (k / layer - 1) * layer;
                var parents = new HashSet<long>();
                var index = 0;
                while (parents.Count < Math.Min(3, layer))
                {
                    long parent = rng.NextDouble() < 0.01 ? rng.Next(hubs) : previous + (((position + rng.Next(-50, 51)) % layer) + layer) % layer;
                    if (!parents.Add(parent)) continue;
                    events.Add(new Event { ArtifactId = ids[parent], ExecutionId = executions[i], Type = EventType.Input, Path = EventPaths.Steps("in", index++) });
                }

                events.Add(new Event { ArtifactId = ids[k], ExecutionId = executions[i], Type = EventType.Output, Path = EventPaths.Steps("out", 0) });
            }

            await store.PutEventsAsync(events, ct).ConfigureAwait(false);
        }

        return (ids, layer);
    }

    /// <summary>The read A/B loop of <see cref="ReadBench"/> for a store that is not a <see cref="SutStore"/>.</summary>
    private sealed class StoreStatements(IMetadataStore store, RelationalMetadataStore engine)
    {
        public IMetadataStore Store { get; } = store;

        public async Task<WorkloadResult> ReadAsync<T>(
            BenchContext context, string workload, string title, double goal, int seedOffset, Func<Random, T> draw, Action<T> reference,
            Func<T, CancellationToken, Task> call, int statementsGoal, int divisor, CancellationToken cancellationToken)
        {
            var size = context.Size;
            var ops = Math.Max(10, size.ReadOpsPerRound / divisor);
            var rng = new Random(context.Config.Seed + seedOffset);
            List<T> args = [];
            var statements = new StatementTally();
            var outcome = await AbRunner.RunAsync(size.Rounds,
                _ => args = Enumerable.Range(0, ops).Select(_ => draw(rng)).ToList(),
                (_, sample, _) =>
                {
                    foreach (var a in args)
                    {
                        var start = Stopwatch.GetTimestamp();
                        reference(a);
                        sample.Record(start);
                    }

                    return Task.CompletedTask;
                },
                async (_, sample, ct) =>
                {
                    foreach (var a in args)
                    {
                        var start = Stopwatch.GetTimestamp();
                        await call(a, ct).ConfigureAwait(false);
                        sample.Record(start);
                        statements.Add(engine.LastCallStatements);
                    }
                },
                cancellationToken).ConfigureAwait(false);
            return WorkloadResult.FromOutcome(workload, title, size, "p50 latency", goal, Better.Lower, outcome, "calls", statements, statementsGoal);
        }
    }
}
