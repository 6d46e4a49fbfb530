namespace Cairn;

/// <summary>What a change of the change log is about (docs/history.md). The numbers are stored; never renumber them.</summary>
public enum ChangeEntity
{
    /// <summary>An artifact; <see cref="Change.EntityId"/> is its id.</summary>
    Artifact = 1,
    /// <summary>An execution; <see cref="Change.EntityId"/> is its id.</summary>
    Execution = 2,
    /// <summary>A context; <see cref="Change.EntityId"/> is its id.</summary>
    Context = 3,
    /// <summary>An artifact type; <see cref="Change.EntityId"/> is its id.</summary>
    ArtifactType = 4,
    /// <summary>An execution type; <see cref="Change.EntityId"/> is its id.</summary>
    ExecutionType = 5,
    /// <summary>A context type; <see cref="Change.EntityId"/> is its id.</summary>
    ContextType = 6,
    /// <summary>An event; <see cref="Change.EntityId"/> is the event's row id.</summary>
    Event = 7,
    /// <summary>An artifact in a context; <see cref="Change.EntityKey"/> is <c>{"context_id":…,"artifact_id":…}</c>.</summary>
    Attribution = 8,
    /// <summary>An execution in a context; <see cref="Change.EntityKey"/> is <c>{"context_id":…,"execution_id":…}</c>.</summary>
    Association = 9,
    /// <summary>A parent/child relation of contexts; <see cref="Change.EntityKey"/> is <c>{"child_id":…,"parent_id":…}</c>.</summary>
    ParentContext = 10,
    /// <summary>A schemaspace instance; <see cref="Change.EntityKey"/> is <c>schemaspace/name</c>.</summary>
    Instance = 11,
}

/// <summary>What a change did.</summary>
public enum ChangeOperation
{
    /// <summary>The entity was created.</summary>
    Create = 1,
    /// <summary>The entity was changed.</summary>
    Update = 2,
    /// <summary>The entity was deleted; the change has no state (a tombstone).</summary>
    Delete = 3,
}

/// <summary>One entry of the store's change log: written in the transaction of the write it records.</summary>
/// <param name="Seq">The position in the log: increases with every change, in commit order; the cursor of <see cref="IMetadataStore.GetChangesAsync"/>.</param>
/// <param name="Time">When the write ran, in milliseconds since the epoch.</param>
/// <param name="Actor">Who wrote (<see cref="StoreOpenOptions.Actor"/> or <see cref="ChangeActor.Use"/>).</param>
/// <param name="Entity">What kind of entity changed.</param>
/// <param name="EntityId">The entity's id for nodes, types and events; null otherwise.</param>
/// <param name="EntityKey">The entity's key for edges without an id and for schemaspace instances; null otherwise.</param>
/// <param name="Operation">Create, update or delete.</param>
/// <param name="State">The entity as this change left it, as JSON (the shapes of REST <c>/api/v1</c>); null for a delete.</param>
public sealed record Change(
    long Seq, long Time, string Actor, ChangeEntity Entity, long? EntityId, string? EntityKey, ChangeOperation Operation, string? State);

/// <summary>A page of the change log.</summary>
/// <param name="Changes">The changes, in log order.</param>
/// <param name="Next">The cursor to pass as <c>after</c> for the next page: the last change's seq, or the request's <c>after</c> when the page is empty.</param>
/// <param name="HasMore">Whether more changes were already committed after this page.</param>
public sealed record ChangePage(IReadOnlyList<Change> Changes, long Next, bool HasMore);

/// <summary>Names and limits of the change log, shared by the CLI, REST and gRPC.</summary>
public static class ChangeLog
{
    /// <summary>The default page size.</summary>
    public const int DefaultLimit = 100;

    /// <summary>The largest page size.</summary>
    public const int MaxLimit = 1000;

    private static readonly (ChangeEntity Entity, string Name)[] Names =
    [
        (ChangeEntity.Artifact, "artifact"), (ChangeEntity.Execution, "execution"), (ChangeEntity.Context, "context"),
        (ChangeEntity.ArtifactType, "artifact_type"), (ChangeEntity.ExecutionType, "execution_type"), (ChangeEntity.ContextType, "context_type"),
        (ChangeEntity.Event, "event"), (ChangeEntity.Attribution, "attribution"), (ChangeEntity.Association, "association"),
        (ChangeEntity.ParentContext, "parent_context"), (ChangeEntity.Instance, "instance"),
    ];

    /// <summary>Every entity name, comma separated, for messages.</summary>
    public static string EntityNames { get; } = string.Join(", ", Names.Select(n => n.Name));

    /// <summary>The entity's name in the log's surfaces (<c>artifact_type</c>).</summary>
    public static string NameOf(ChangeEntity entity) =>
        Array.Find(Names, n => n.Entity == entity).Name ?? throw new ArgumentOutOfRangeException(nameof(entity), entity, null);

    /// <summary>The operation's name in the log's surfaces (<c>create</c>, <c>update</c>, <c>delete</c>).</summary>
    public static string NameOf(ChangeOperation operation) => operation switch
    {
        ChangeOperation.Create => "create",
        ChangeOperation.Update => "update",
        ChangeOperation.Delete => "delete",
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
    };

    /// <summary>The entity of a node of <paramref name="kind"/>.</summary>
    public static ChangeEntity NodeEntity(NodeKind kind) => kind switch
    {
        NodeKind.Artifact => ChangeEntity.Artifact,
        NodeKind.Execution => ChangeEntity.Execution,
        NodeKind.Context => ChangeEntity.Context,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Parses an entity name (<c>artifact_type</c>; case and <c>-</c> for <c>_</c> do not matter).</summary>
    public static bool TryParseEntity(string? text, out ChangeEntity entity)
    {
        var key = text?.Trim().Replace('-', '_');
        foreach (var (e, name) in Names)
        {
            if (string.Equals(name, key, StringComparison.OrdinalIgnoreCase))
            {
                entity = e;
                return true;
            }
        }

        entity = default;
        return false;
    }

    /// <summary>Parses an entity name, or fails with InvalidArgument naming <paramref name="field"/> and the valid names.</summary>
    public static ChangeEntity ParseEntity(string? text, string field) =>
        TryParseEntity(text, out var entity) ? entity : throw new InvalidArgumentException(Messages.ChangeEntityUnknown(field, text));

    /// <summary>Checks a page request: <paramref name="after"/> ≥ 0 and 1 ≤ <paramref name="limit"/> ≤ <see cref="MaxLimit"/>.</summary>
    public static void CheckPage(long after, int limit)
    {
        if (after < 0) throw new InvalidArgumentException(Messages.ChangeAfterNegative(after));
        if (limit is < 1 or > MaxLimit) throw new InvalidArgumentException(Messages.ChangeLimitOutOfRange(limit, MaxLimit));
    }

    /// <summary>Checks that <paramref name="entity"/> is one with a history by id (nodes and types).</summary>
    public static void CheckHistoryEntity(ChangeEntity entity)
    {
        if (entity is not (ChangeEntity.Artifact or ChangeEntity.Execution or ChangeEntity.Context
            or ChangeEntity.ArtifactType or ChangeEntity.ExecutionType or ChangeEntity.ContextType))
            throw new InvalidArgumentException(Messages.ChangeHistoryEntity(NameOf(entity)));
    }
}

/// <summary>
/// Who the change log records as the author of writes: <see cref="StoreOpenOptions.Actor"/> by default, or the actor of the
/// innermost <see cref="Use"/> scope of the current async flow (a server sets it per request).
/// </summary>
public static class ChangeActor
{
    private static readonly AsyncLocal<string?> Ambient = new();

    /// <summary>The default actor of a store: <c>CAIRN_USER</c> when set, else the operating system's user name.</summary>
    public static string Default
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("CAIRN_USER");
            return string.IsNullOrWhiteSpace(configured) ? Environment.UserName : configured.Trim();
        }
    }

    /// <summary>The actor set by the innermost <see cref="Use"/> scope of this async flow, or null.</summary>
    public static string? Current => Ambient.Value;

    /// <summary>Records <paramref name="actor"/> as the author of the writes of this async flow until the scope is disposed.</summary>
    public static IDisposable Use(string actor)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var previous = Ambient.Value;
        Ambient.Value = actor;
        return new Scope(previous);
    }

    private sealed class Scope(string? previous) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            Ambient.Value = previous;
        }
    }
}
