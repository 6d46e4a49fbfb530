using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Data.Common;
using System.Text;
using System.Text.Json;

namespace Cairn.Store.Relational;

/// <summary>Events, attributions, associations and parent contexts.</summary>
internal static class EdgeOperations
{
    // ------------------------------------------------------------------ events

    /// <summary>Validates and inserts events (MLMD <c>PutEvents</c>); existence of both ends is checked in two set queries.</summary>
    public static async Task PutEventsAsync(Session s, IReadOnlyList<Event> events, CancellationToken ct)
    {
        foreach (var e in events)
        {
            ArgumentNullException.ThrowIfNull(e);
            if (e.ArtifactId is null) throw new InvalidArgumentException(Messages.EventArtifactIdMissing);
            if (e.ExecutionId is null) throw new InvalidArgumentException(Messages.EventExecutionIdMissing);
            if (e.Type is null or EventType.Unknown) throw new InvalidArgumentException(Messages.EventTypeMissing);
        }

        var missingArtifact = await FirstMissingAsync(s, "artifact", events.Select(e => e.ArtifactId!.Value), ct).ConfigureAwait(false);
        if (missingArtifact is { } a) throw new InvalidArgumentException(Messages.EventArtifactNotFound(a));
        var missingExecution = await FirstMissingAsync(s, "execution", events.Select(e => e.ExecutionId!.Value), ct).ConfigureAwait(false);
        if (missingExecution is { } x) throw new InvalidArgumentException(Messages.EventExecutionNotFound(x));

        foreach (var e in events) await InsertEventAsync(s, e.ArtifactId!.Value, e.ExecutionId!.Value, e, ct).ConfigureAwait(false);
    }

    /// <summary>Inserts one event without checking that its ends exist (foreign keys still guard the store).</summary>
    public static async Task InsertEventAsync(Session s, long artifactId, long executionId, Event e, CancellationToken ct)
    {
        var type = e.Type ?? EventType.Unknown;
        if (type == EventType.Unknown) throw new InvalidArgumentException(Messages.EventTypeMissing);
        var cmd = s.Command("INSERT INTO event (artifact_id, execution_id, type, time, path) VALUES (@a, @x, @t, @time, @path) RETURNING id");
        Session.Bind(cmd, "@a", artifactId);
        Session.Bind(cmd, "@x", executionId);
        Session.Bind(cmd, "@t", (int)type);
        Session.Bind(cmd, "@time", e.MillisecondsSinceEpoch ?? s.Now);
        Session.Bind(cmd, "@path", EncodePath(e.Path));
        try
        {
            var id = Convert.ToInt64(await s.ScalarAsync(cmd, ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            ChangeOperations.Created(s, ChangeEntity.Event, id);
        }
        catch (Exception ex) when (s.Backend.IsUniqueViolation(ex))
        {
            throw new AlreadyExistsException(Messages.EventAlreadyExists(artifactId, executionId, type), ex);
        }
    }

    public static async Task<List<Event>> GetEventsAsync(Session s, string column, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        var cmd = s.Command($"SELECT artifact_id, execution_id, type, time, path FROM event WHERE {column} IN ({s.Dialect.ListSource("@ids")}) ORDER BY id");
        Session.Bind(cmd, "@ids", s.Dialect.IntList(ids));
        return await s.QueryAsync(cmd, ReadEvent, ct).ConfigureAwait(false);
    }

    /// <summary>Maps a row of <c>artifact_id, execution_id, type, time, path</c>.</summary>
    public static Event ReadEvent(DbDataReader r) => new()
    {
        ArtifactId = r.GetInt64(0),
        ExecutionId = r.GetInt64(1),
        Type = (EventType)r.GetInt32(2),
        MillisecondsSinceEpoch = r.GetInt64(3),
        Path = r.IsDBNull(4) ? [] : DecodePath(r.GetString(4)),
    };

    /// <summary>Paths are stored as compact JSON: <c>[0, "key", null]</c> (numbers are indexes, strings keys, null an empty step).</summary>
    internal static string? EncodePath(IReadOnlyList<EventStep> path)
    {
        if (path.Count == 0) return null;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var step in path)
            {
                if (step.Index is { } i) w.WriteNumberValue(i);
                else if (step.Key is { } k) w.WriteStringValue(k);
                else w.WriteNullValue();
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    // Paths repeat (a pipeline's steps name the same few inputs and outputs), so decoded paths are shared: a read-only
    // list per distinct stored text, up to a bound, after which paths are decoded each time.
    private const int PathCacheLimit = 4096;
    private static readonly ConcurrentDictionary<string, IReadOnlyList<EventStep>> PathCache = new(StringComparer.Ordinal);

    internal static IReadOnlyList<EventStep> DecodePath(string json)
    {
        if (PathCache.TryGetValue(json, out var cached)) return cached;
        var path = ParsePath(json);
        if (PathCache.Count < PathCacheLimit) PathCache.TryAdd(json, path);
        return path;
    }

    private static ReadOnlyCollection<EventStep> ParsePath(string json)
    {
        var steps = new List<EventStep>(2);
        var r = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        if (!r.Read() || r.TokenType != JsonTokenType.StartArray) throw new JsonException("An event path is not a JSON array.");
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            steps.Add(r.TokenType switch
            {
                JsonTokenType.Number => EventStep.ForIndex(r.GetInt64()),
                JsonTokenType.String => EventStep.ForKey(r.GetString()!),
                JsonTokenType.Null => EventStep.Empty,
                _ => throw new JsonException($"An event path step is a {r.TokenType}."),
            });
        }

        return steps.AsReadOnly();
    }

    // ------------------------------------------------------------------ attributions and associations

    public static async Task PutAttributionsAndAssociationsAsync(
        Session s, IReadOnlyList<Attribution> attributions, IReadOnlyList<Association> associations, CancellationToken ct)
    {
        foreach (var a in attributions)
        {
            ArgumentNullException.ThrowIfNull(a);
            if (a.ContextId is null) throw new InvalidArgumentException(Messages.ContextIdMissing);
            if (a.ArtifactId is null) throw new InvalidArgumentException(Messages.AttributionArtifactIdMissing);
        }

        foreach (var a in associations)
        {
            ArgumentNullException.ThrowIfNull(a);
            if (a.ContextId is null) throw new InvalidArgumentException(Messages.ContextIdMissing);
            if (a.ExecutionId is null) throw new InvalidArgumentException(Messages.AssociationExecutionIdMissing);
        }

        var contextIds = attributions.Select(a => a.ContextId!.Value).Concat(associations.Select(a => a.ContextId!.Value));
        if (await FirstMissingAsync(s, "context", contextIds, ct).ConfigureAwait(false) is { } c)
            throw new InvalidArgumentException(Messages.ContextIdNotFound(c));
        if (await FirstMissingAsync(s, "artifact", attributions.Select(a => a.ArtifactId!.Value), ct).ConfigureAwait(false) is { } art)
            throw new InvalidArgumentException(Messages.ArtifactIdNotFound(art));
        if (await FirstMissingAsync(s, "execution", associations.Select(a => a.ExecutionId!.Value), ct).ConfigureAwait(false) is { } x)
            throw new InvalidArgumentException(Messages.ExecutionIdNotFound(x));

        await InsertPairsAsync(s, "attribution", "artifact_id", attributions.Select(a => (a.ContextId!.Value, a.ArtifactId!.Value)), ct).ConfigureAwait(false);
        await InsertPairsAsync(s, "association", "execution_id", associations.Select(a => (a.ContextId!.Value, a.ExecutionId!.Value)), ct).ConfigureAwait(false);
    }

    /// <summary>Inserts (context, member) pairs that do not exist yet, 500 per statement.</summary>
    public static async Task InsertPairsAsync(Session s, string table, string memberColumn, IEnumerable<(long Context, long Member)> pairs, CancellationToken ct)
    {
        const int Chunk = 500;
        var contexts = new List<long>(Chunk);
        var members = new List<long>(Chunk);
        foreach (var (context, member) in pairs.Distinct())
        {
            contexts.Add(context);
            members.Add(member);
            if (contexts.Count == Chunk) await FlushAsync().ConfigureAwait(false);
        }

        if (contexts.Count > 0) await FlushAsync().ConfigureAwait(false);

        async Task FlushAsync()
        {
            var cmd = s.Command(
                $"INSERT INTO {table} (context_id, {memberColumn}) SELECT a, b FROM {s.Dialect.PairSource("@pairs")} {s.Dialect.InsertSelectIgnoreDuplicates} " +
                $"RETURNING context_id, {memberColumn}");
            s.Dialect.BindPairs(cmd, "@pairs", contexts, members);
            // Only the pairs that were new come back: a pair that already existed is no change.
            var entity = table == "attribution" ? ChangeEntity.Attribution : ChangeEntity.Association;
            foreach (var (context, member) in await s.QueryAsync(cmd, r => (r.GetInt64(0), r.GetInt64(1)), ct).ConfigureAwait(false))
                ChangeOperations.PairCreated(s, entity, "context_id", context, memberColumn, member);
            contexts.Clear();
            members.Clear();
        }
    }

    // ------------------------------------------------------------------ parent contexts

    public static async Task PutParentContextsAsync(Session s, IReadOnlyList<ParentContext> relations, CancellationToken ct)
    {
        foreach (var r in relations)
        {
            ArgumentNullException.ThrowIfNull(r);
            if (r.ChildId is null) throw new InvalidArgumentException(Messages.ParentContextChildMissing);
            if (r.ParentId is null) throw new InvalidArgumentException(Messages.ParentContextParentMissing);
        }

        foreach (var r in relations)
        {
            long child = r.ChildId!.Value, parent = r.ParentId!.Value;
            if (child == parent || await FirstMissingAsync(s, "context", [child, parent], ct).ConfigureAwait(false) is not null)
                throw new InvalidArgumentException(Messages.ParentContextNotFound(child, parent));
            if (await IsAncestorAsync(s, ancestor: child, of: parent, ct).ConfigureAwait(false))
                throw new InvalidArgumentException(Messages.ParentContextCycle(child, parent));

            var cmd = s.Command("INSERT INTO parent_context (child_id, parent_id) VALUES (@c, @p)");
            Session.Bind(cmd, "@c", child);
            Session.Bind(cmd, "@p", parent);
            try
            {
                await s.ExecuteAsync(cmd, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (s.Backend.IsUniqueViolation(e))
            {
                throw new AlreadyExistsException(Messages.ParentContextAlreadyExists(child, parent), e);
            }

            ChangeOperations.PairCreated(s, ChangeEntity.ParentContext, "child_id", child, "parent_id", parent);
        }
    }

    /// <summary>Walks the parents of <paramref name="of"/> a level at a time (one query per level) looking for <paramref name="ancestor"/>.</summary>
    private static async Task<bool> IsAncestorAsync(Session s, long ancestor, long of, CancellationToken ct)
    {
        var seen = new HashSet<long> { of };
        var frontier = new List<long> { of };
        while (frontier.Count > 0)
        {
            var cmd = s.Command($"SELECT DISTINCT parent_id FROM parent_context WHERE child_id IN ({s.Dialect.ListSource("@ids")})");
            Session.Bind(cmd, "@ids", s.Dialect.IntList(frontier));
            var parents = await s.QueryAsync(cmd, r => r.GetInt64(0), ct).ConfigureAwait(false);
            frontier = [];
            foreach (var p in parents)
            {
                if (p == ancestor) return true;
                if (seen.Add(p)) frontier.Add(p);
            }
        }

        return false;
    }

    /// <summary>(child, parent) pairs where <paramref name="column"/> is one of <paramref name="ids"/>.</summary>
    public static async Task<List<(long Child, long Parent)>> ContextLinksAsync(Session s, string column, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        var cmd = s.Command($"SELECT child_id, parent_id FROM parent_context WHERE {column} IN ({s.Dialect.ListSource("@ids")}) ORDER BY child_id, parent_id");
        Session.Bind(cmd, "@ids", s.Dialect.IntList(ids));
        return await s.QueryAsync(cmd, r => (r.GetInt64(0), r.GetInt64(1)), ct).ConfigureAwait(false);
    }

    /// <summary>The first id of <paramref name="ids"/> that has no row in <paramref name="table"/>, or null; one statement.</summary>
    public static async Task<long?> FirstMissingAsync(Session s, string table, IEnumerable<long> ids, CancellationToken ct)
    {
        var wanted = ids.Distinct().ToList();
        if (wanted.Count == 0) return null;
        DbCommand cmd;
        if (wanted.Count == 1)
        {
            cmd = s.Command($"SELECT id FROM {table} WHERE id = @id");
            Session.Bind(cmd, "@id", wanted[0]);
        }
        else
        {
            cmd = s.Command($"SELECT id FROM {table} WHERE id IN ({s.Dialect.ListSource("@ids")})");
            Session.Bind(cmd, "@ids", s.Dialect.IntList(wanted));
        }

        var found = (await s.QueryAsync(cmd, r => r.GetInt64(0), ct).ConfigureAwait(false)).ToHashSet();
        foreach (var id in wanted)
        {
            if (!found.Contains(id)) return id;
        }

        return null;
    }
}
