using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Cairn.Store.Relational;

/// <summary>A change recorded during a write call, written to <c>change_log</c> just before the call commits.</summary>
/// <param name="Entity">What changed.</param>
/// <param name="EntityId">Its id (nodes, types, events).</param>
/// <param name="EntityKey">Its key (edges without an id, instances).</param>
/// <param name="Operation">Create, update or delete.</param>
/// <param name="Before">For an update or delete, the state it replaces (kept in <c>change_state</c>).</param>
internal sealed record PendingChange(ChangeEntity Entity, long? EntityId, string? EntityKey, ChangeOperation Operation, string? Before);

/// <summary>
/// The change log (migration 7, docs/history.md): recording during a write, writing at its end, and reading changes with their
/// states. A change row is small; the state a change left is the live row while the entity has no later change, and otherwise
/// the state the next change of that entity kept in <c>change_state</c> before replacing it.
/// </summary>
internal static class ChangeOperations
{
    /// <summary>The schema version that created the log; a store opened with fewer migrations (tests of upgrades) logs nothing.</summary>
    public const int SchemaVersion = 7;

    private const string LogColumns = "time, actor, entity, entity_id, entity_key, operation";

    // Changes per statement of creates (an import logs one per entity).
    private const int FlushChunk = 2000;

    /// <summary>The log row of a node created by a statement that also commits; the node's id goes in the first column.</summary>
    public static readonly BulkColumn[] CreatedNodeColumns =
        [new("entity_id", typeof(long)), new("time", typeof(long)), new("actor", typeof(string)), new("entity", typeof(int)), new("operation", typeof(int))];

    public static object?[] CreatedNodeRow(Session s, NodeKind kind) => [0L, s.Now, s.Actor, (int)NodeEntity(kind), (int)ChangeOperation.Create];

    // ------------------------------------------------------------------ recording

    public static ChangeEntity NodeEntity(NodeKind kind) => ChangeLog.NodeEntity(kind);

    public static ChangeEntity TypeEntity(NodeKind kind) => kind switch
    {
        NodeKind.Artifact => ChangeEntity.ArtifactType,
        NodeKind.Execution => ChangeEntity.ExecutionType,
        _ => ChangeEntity.ContextType,
    };

    public static void Created(Session s, ChangeEntity entity, long id)
    {
        if (s.LogsChanges) s.Changes.Add(new(entity, id, null, ChangeOperation.Create, null));
    }

    public static void NodeUpdated(Session s, NodeKind kind, NodeData before)
    {
        if (s.LogsChanges) s.Changes.Add(new(NodeEntity(kind), before.Id, null, ChangeOperation.Update, NodeState(before.ToNode(kind))));
    }

    public static void TypeUpdated(Session s, TypeData before)
    {
        if (s.LogsChanges) s.Changes.Add(new(TypeEntity(before.Kind), before.Id, null, ChangeOperation.Update, TypeState(before.ToPublic())));
    }

    /// <summary>An edge without an id: its key is its whole (immutable) state.</summary>
    public static void PairCreated(Session s, ChangeEntity entity, string firstName, long first, string secondName, long second)
    {
        if (!s.LogsChanges) return;
        s.Changes.Add(new(entity, null, Json(w =>
        {
            w.WriteStartObject();
            w.WriteNumber(firstName, first);
            w.WriteNumber(secondName, second);
            w.WriteEndObject();
        }), ChangeOperation.Create, null));
    }

    public static string InstanceKey(string schemaspace, string name) => schemaspace + "/" + name;

    public static void InstanceChanged(Session s, string schemaspace, string name, ChangeOperation operation, StoredInstanceRecord? before)
    {
        if (s.LogsChanges) s.Changes.Add(new(ChangeEntity.Instance, null, InstanceKey(schemaspace, name), operation, before is null ? null : InstanceState(before)));
    }

    /// <summary>
    /// Writes the changes recorded during the call, in order: each run of creates of one entity kind in one statement (the ids or
    /// keys travel as one list), each update or delete with the state it replaced. Called last before the commit (on PostgreSQL the
    /// log's trigger then orders writers for a moment only).
    /// </summary>
    public static async Task FlushAsync(Session s, CancellationToken ct)
    {
        var pending = s.Changes;
        var i = 0;
        while (i < pending.Count)
        {
            var change = pending[i];
            if (change.Before is null)
            {
                var byId = change.EntityId is not null;
                var ids = new List<long>();
                var keys = new List<string>();
                for (; i < pending.Count && pending[i] is { Before: null } c && c.Entity == change.Entity && c.Operation == change.Operation
                    && (c.EntityId is not null) == byId && ids.Count + keys.Count < FlushChunk; i++)
                {
                    if (byId) ids.Add(c.EntityId!.Value);
                    else keys.Add(c.EntityKey!);
                }

                // The list is read in its order, so the seqs follow the order of the writes.
                var column = byId ? "entity_id" : "entity_key";
                var run = s.Command(
                    $"INSERT INTO change_log ({column}, time, actor, entity, operation) SELECT l.*, @t, @a, @e, @op FROM ({s.Dialect.ListSource("@list")}) l");
                Session.Bind(run, "@list", byId ? s.Dialect.IntList(ids) : s.Dialect.TextList(keys));
                Session.Bind(run, "@t", s.Now);
                Session.Bind(run, "@a", s.Actor);
                Session.Bind(run, "@e", (int)change.Entity);
                Session.Bind(run, "@op", (int)change.Operation);
                await s.ExecuteAsync(run, ct).ConfigureAwait(false);
                continue;
            }

            i++;
            var log = s.Command($"INSERT INTO change_log ({LogColumns}) VALUES (@t, @a, @e, @id, @key, @op) RETURNING seq");
            Session.Bind(log, "@t", s.Now);
            Session.Bind(log, "@a", s.Actor);
            Session.Bind(log, "@e", (int)change.Entity);
            Session.Bind(log, "@id", change.EntityId);
            Session.Bind(log, "@key", change.EntityKey);
            Session.Bind(log, "@op", (int)change.Operation);
            var seq = Convert.ToInt64(await s.ScalarAsync(log, ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
            var state = s.Command("INSERT INTO change_state (seq, state) VALUES (@seq, @state)");
            Session.Bind(state, "@seq", seq);
            Session.Bind(state, "@state", change.Before);
            await s.ExecuteAsync(state, ct).ConfigureAwait(false);
        }

        pending.Clear();
    }

    // ------------------------------------------------------------------ reading

    public static async Task<ChangePage> GetChangesAsync(Session s, long after, int limit, ChangeEntity? entity, CancellationToken ct)
    {
        var rows = await ReadAsync(s, entity is null ? "c.seq > @after" : "c.seq > @after AND c.entity = @e", cmd =>
        {
            Session.Bind(cmd, "@after", after);
            if (entity is { } e) Session.Bind(cmd, "@e", (int)e);
            Session.Bind(cmd, "@limit", limit + 1);
        }, limited: true, ct).ConfigureAwait(false);
        var more = rows.Count > limit;
        if (more) rows.RemoveAt(rows.Count - 1);
        var changes = await WithStatesAsync(s, rows, ct).ConfigureAwait(false);
        return new ChangePage(changes, changes.Count == 0 ? after : changes[^1].Seq, more);
    }

    public static async Task<IReadOnlyList<Change>> GetHistoryAsync(Session s, ChangeEntity entity, long id, CancellationToken ct)
    {
        var rows = await ReadAsync(s, "c.entity = @e AND c.entity_id = @id", cmd =>
        {
            Session.Bind(cmd, "@e", (int)entity);
            Session.Bind(cmd, "@id", id);
        }, limited: false, ct).ConfigureAwait(false);
        if (rows.Count == 0) await MustExistAsync(s, entity, id, ct).ConfigureAwait(false);
        return await WithStatesAsync(s, rows, ct).ConfigureAwait(false);
    }

    // No change of it: a node or type written before the store had a change log has an empty history; an unknown id is NotFound.
    private static async Task MustExistAsync(Session s, ChangeEntity entity, long id, CancellationToken ct)
    {
        if (entity is ChangeEntity.Artifact or ChangeEntity.Execution or ChangeEntity.Context)
        {
            var kind = entity == ChangeEntity.Artifact ? NodeKind.Artifact : entity == ChangeEntity.Execution ? NodeKind.Execution : NodeKind.Context;
            if (await EdgeOperations.FirstMissingAsync(s, NodeTable.For(kind).Table, [id], ct).ConfigureAwait(false) is not null)
                throw new NotFoundException(Messages.NodeIdNotFound(kind, id));
            return;
        }

        var typeKind = entity == ChangeEntity.ArtifactType ? NodeKind.Artifact : entity == ChangeEntity.ExecutionType ? NodeKind.Execution : NodeKind.Context;
        var types = await TypeOperations.LoadAsync(s, "WHERE t.kind = @k AND t.id = @id", c =>
        {
            Session.Bind(c, "@k", (int)typeKind);
            Session.Bind(c, "@id", id);
        }, ct).ConfigureAwait(false);
        if (types.Count == 0) throw new NotFoundException(Messages.TypeIdNotFound(id, typeKind));
    }

    private sealed record LogRow(Change Change, long? NextSeq);

    // next_seq: the entity's next change, whose kept state is the one this change left (both served by the log's indexes).
    private static Task<List<LogRow>> ReadAsync(Session s, string where, Action<DbCommand> bind, bool limited, CancellationToken ct)
    {
        var cmd = s.Command(
            $"SELECT c.seq, {LogColumns}, CASE " +
            "WHEN c.entity_id IS NOT NULL THEN (SELECT MIN(n.seq) FROM change_log n WHERE n.entity = c.entity AND n.entity_id = c.entity_id AND n.seq > c.seq) " +
            "WHEN c.entity = 11 THEN (SELECT MIN(n.seq) FROM change_log n WHERE n.entity = 11 AND n.entity_key = c.entity_key AND n.seq > c.seq) END " +
            $"FROM change_log c WHERE {where} ORDER BY c.seq" + (limited ? " LIMIT @limit" : string.Empty));
        bind(cmd);
        return s.QueryAsync(cmd, r => new LogRow(
            new Change(
                r.GetInt64(0), r.GetInt64(1), r.GetString(2), (ChangeEntity)r.GetInt32(3),
                r.IsDBNull(4) ? null : r.GetInt64(4), r.IsDBNull(5) ? null : r.GetString(5), (ChangeOperation)r.GetInt32(6), null),
            r.IsDBNull(7) ? null : r.GetInt64(7)), ct);
    }

    /// <summary>Fills in each change's state: kept states in one statement, live states in one or two per entity kind.</summary>
    private static async Task<List<Change>> WithStatesAsync(Session s, List<LogRow> rows, CancellationToken ct)
    {
        var kept = new Dictionary<long, string>();
        var nextSeqs = rows.Where(r => r.NextSeq is not null).Select(r => r.NextSeq!.Value).Distinct().ToList();
        if (nextSeqs.Count > 0)
        {
            var cmd = s.Command($"SELECT seq, state FROM change_state WHERE seq IN ({s.Dialect.ListSource("@seqs")})");
            Session.Bind(cmd, "@seqs", s.Dialect.IntList(nextSeqs));
            foreach (var (seq, state) in await s.QueryAsync(cmd, r => (r.GetInt64(0), r.GetString(1)), ct).ConfigureAwait(false)) kept[seq] = state;
        }

        // The latest change of an entity left the live row (or, for a delete, nothing).
        var live = rows.Where(r => r.NextSeq is null && r.Change.Operation != ChangeOperation.Delete).Select(r => r.Change).ToList();
        var states = new Dictionary<(ChangeEntity, string), string>();
        foreach (var group in live.GroupBy(c => c.Entity))
        {
            var ids = group.Where(c => c.EntityId is not null).Select(c => c.EntityId!.Value).Distinct().ToList();
            switch (group.Key)
            {
                case ChangeEntity.Artifact or ChangeEntity.Execution or ChangeEntity.Context:
                    var kind = (NodeKind)(int)group.Key;
                    foreach (var n in await NodeOperations.LoadByIdsAsync(s, NodeTable.For(kind), ids, ct).ConfigureAwait(false))
                        states[(group.Key, Id(n.Id!.Value))] = NodeState(n.ToNode(kind));
                    break;
                case ChangeEntity.ArtifactType or ChangeEntity.ExecutionType or ChangeEntity.ContextType:
                    var types = await TypeOperations.LoadAsync(s, $"WHERE t.id IN ({s.Dialect.ListSource("@ids")})",
                        c => Session.Bind(c, "@ids", s.Dialect.IntList(ids)), ct).ConfigureAwait(false);
                    foreach (var t in types) states[(group.Key, Id(t.Id))] = TypeState(t.ToPublic());
                    break;
                case ChangeEntity.Event:
                    var events = s.Command($"SELECT artifact_id, execution_id, type, time, path, id FROM event WHERE id IN ({s.Dialect.ListSource("@ids")})");
                    Session.Bind(events, "@ids", s.Dialect.IntList(ids));
                    foreach (var (id, e) in await s.QueryAsync(events, r => (r.GetInt64(5), EdgeOperations.ReadEvent(r)), ct).ConfigureAwait(false))
                        states[(group.Key, Id(id))] = EventState(id, e);
                    break;
                case ChangeEntity.Instance:
                    foreach (var key in group.Select(c => c.EntityKey!).Distinct(StringComparer.Ordinal))
                    {
                        var slash = key.IndexOf('/', StringComparison.Ordinal);
                        var found = await InstanceOperations.GetAsync(s, key[..slash], key[(slash + 1)..], ct).ConfigureAwait(false);
                        if (found.Count == 1) states[(group.Key, key)] = InstanceState(found[0]);
                    }

                    break;
            }
        }

        var changes = new List<Change>(rows.Count);
        foreach (var (change, next) in rows)
        {
            string? state = null;
            if (next is { } n) kept.TryGetValue(n, out state);
            else if (change.Operation != ChangeOperation.Delete)
            {
                // Edges without an id are immutable: their key is their state.
                state = change.EntityId is { } id ? states.GetValueOrDefault((change.Entity, Id(id)))
                    : change.Entity == ChangeEntity.Instance ? states.GetValueOrDefault((change.Entity, change.EntityKey!))
                    : change.EntityKey;
            }

            changes.Add(change with { State = state });
        }

        return changes;
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    // ------------------------------------------------------------------ states as JSON (the shapes of REST /api/v1)

    // Names and values stay readable (no \u escapes of non-ASCII letters); the JSON is data, never embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(w);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string NodeState(Node node) => Json(w =>
    {
        w.WriteStartObject();
        if (node.Id is { } id) w.WriteNumber("id", id);
        if (node.TypeId is { } typeId) w.WriteNumber("type_id", typeId);
        if (node.Type is { } type) w.WriteString("type", type);
        if (node.Name is { } name) w.WriteString("name", name);
        if (node.ExternalId is { } externalId) w.WriteString("external_id", externalId);
        if (node is Artifact a)
        {
            if (a.Uri is { } uri) w.WriteString("uri", uri);
            if (a.State is { } state) w.WriteString("state", MlmdNames.Of(state));
        }

        if (node is Execution { LastKnownState: { } known }) w.WriteString("last_known_state", MlmdNames.Of(known));
        WriteValues(w, "properties", node.Properties);
        WriteValues(w, "custom_properties", node.CustomProperties);
        WriteStrings(w, "tags", node.Tags);
        WriteStrings(w, "owners", node.Owners);
        if (node.CreateTimeSinceEpoch is { } created) w.WriteNumber("create_time_since_epoch", created);
        if (node.LastUpdateTimeSinceEpoch is { } updated) w.WriteNumber("last_update_time_since_epoch", updated);
        w.WriteEndObject();
    });

    private static void WriteValues(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, MetadataValue> values)
    {
        if (values.Count == 0) return;
        w.WriteStartObject(name);
        foreach (var (key, value) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            w.WriteStartObject(key);
            switch (value.Kind)
            {
                case ValueKind.Int: w.WriteNumber("int_value", value.IntValue); break;
                case ValueKind.Double: w.WriteNumber("double_value", value.DoubleValue); break;
                case ValueKind.String: w.WriteString("string_value", value.StringValue); break;
                case ValueKind.Bool: w.WriteBoolean("bool_value", value.BoolValue); break;
                case ValueKind.Struct:
                    w.WritePropertyName("struct_value");
                    WriteJsonOrString(w, value.StructJson);
                    break;
                case ValueKind.Proto:
                    w.WriteStartObject("proto_value");
                    w.WriteString("type_url", value.ProtoTypeUrl);
                    w.WriteBase64String("value", value.ProtoBytes.Span);
                    w.WriteEndObject();
                    break;
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IReadOnlyList<string>? values)
    {
        if (values is not { Count: > 0 }) return;
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    // Stored JSON text is embedded as JSON; text that does not parse (the store does not check it) is kept as a string.
    private static void WriteJsonOrString(Utf8JsonWriter w, string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            doc.RootElement.WriteTo(w);
        }
        catch (JsonException)
        {
            w.WriteStringValue(text);
        }
    }

    public static string TypeState(MetadataType type) => Json(w =>
    {
        w.WriteStartObject();
        if (type.Id is { } id) w.WriteNumber("id", id);
        if (type.Name is { } name) w.WriteString("name", name);
        if (type.Version is { } version) w.WriteString("version", version);
        if (type.Description is { } description) w.WriteString("description", description);
        if (type.ExternalId is { } externalId) w.WriteString("external_id", externalId);
        var baseType = type switch
        {
            ArtifactType { BaseType: { } b } when b != ArtifactBaseType.Unset => MlmdNames.Of(b),
            ExecutionType { BaseType: { } b } when b != ExecutionBaseType.Unset => MlmdNames.Of(b),
            _ => null,
        };
        if (baseType is not null) w.WriteString("base_type", baseType);
        if (type.Properties.Count > 0)
        {
            w.WriteStartObject("properties");
            foreach (var (key, value) in type.Properties.OrderBy(p => p.Key, StringComparer.Ordinal)) w.WriteString(key, MlmdNames.Of(value));
            w.WriteEndObject();
        }

        w.WriteEndObject();
    });

    private static string EventState(long id, Event e) => Json(w =>
    {
        w.WriteStartObject();
        w.WriteNumber("id", id);
        w.WriteNumber("artifact_id", e.ArtifactId!.Value);
        w.WriteNumber("execution_id", e.ExecutionId!.Value);
        if (e.Path.Count > 0)
        {
            w.WriteStartObject("path");
            w.WriteStartArray("steps");
            foreach (var step in e.Path)
            {
                w.WriteStartObject();
                if (step.Index is { } index) w.WriteNumber("index", index);
                else if (step.Key is { } key) w.WriteString("key", key);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteString("type", MlmdNames.Of(e.Type!.Value));
        if (e.MillisecondsSinceEpoch is { } time) w.WriteNumber("milliseconds_since_epoch", time);
        w.WriteEndObject();
    });

    private static string InstanceState(StoredInstanceRecord instance) => Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("schemaspace", instance.Schemaspace);
        w.WriteString("name", instance.Name);
        w.WritePropertyName("content");
        WriteJsonOrString(w, instance.Content);
        w.WriteNumber("create_time", instance.CreateTime);
        w.WriteNumber("update_time", instance.UpdateTime);
        w.WriteEndObject();
    });
}

/// <summary><see cref="IMetadataStore.GetChangesAsync"/> and <see cref="IMetadataStore.GetHistoryAsync"/>: each call one read transaction.</summary>
internal sealed partial class RelationalMetadataStore
{
    public Task<ChangePage> GetChangesAsync(long after = 0, int limit = ChangeLog.DefaultLimit, ChangeEntity? entity = null, CancellationToken cancellationToken = default)
    {
        ChangeLog.CheckPage(after, limit);
        if (entity is { } e && !Enum.IsDefined(e)) throw new InvalidArgumentException(Messages.ChangeEntityUnknown("entity", e.ToString()));
        return ReadAsync(s => ChangeOperations.GetChangesAsync(s, after, limit, entity, cancellationToken), cancellationToken);
    }

    public Task<IReadOnlyList<Change>> GetHistoryAsync(ChangeEntity entity, long id, CancellationToken cancellationToken = default)
    {
        ChangeLog.CheckHistoryEntity(entity);
        return ReadAsync(s => ChangeOperations.GetHistoryAsync(s, entity, id, cancellationToken), cancellationToken);
    }
}
