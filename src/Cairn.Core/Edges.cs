namespace Cairn;

/// <summary>How an artifact relates to an execution (MLMD <c>Event.Type</c>).</summary>
public enum EventType
{
    /// <summary>Not a valid event type; rejected on put.</summary>
    Unknown = 0,
    /// <summary>Output declared before the run.</summary>
    DeclaredOutput = 1,
    /// <summary>Input declared before the run.</summary>
    DeclaredInput = 2,
    /// <summary>Input read by the run.</summary>
    Input = 3,
    /// <summary>Output written by the run.</summary>
    Output = 4,
    /// <summary>Internal input.</summary>
    InternalInput = 5,
    /// <summary>Internal output.</summary>
    InternalOutput = 6,
    /// <summary>Output not yet written.</summary>
    PendingOutput = 7,
}

/// <summary>One step of an event path: an index into a list or a key into a map.</summary>
public sealed record EventStep
{
    private EventStep(long? index, string? key)
    {
        Index = index;
        Key = key;
    }

    /// <summary>The list index, when this step is an index.</summary>
    public long? Index { get; }

    /// <summary>The map key, when this step is a key.</summary>
    public string? Key { get; }

    /// <summary>A step that is a list index.</summary>
    public static EventStep ForIndex(long index) => new(index, null);

    /// <summary>A step that is a map key.</summary>
    public static EventStep ForKey(string key) => new(null, key ?? throw new ArgumentNullException(nameof(key)));

    /// <summary>A step with neither member set (kept as MLMD keeps it).</summary>
    public static EventStep Empty { get; } = new(null, null);
}

/// <summary>An edge between an artifact and an execution (MLMD <c>Event</c>). Events are immutable once written.</summary>
public sealed record Event
{
    /// <summary>The artifact.</summary>
    public long? ArtifactId { get; init; }

    /// <summary>The execution.</summary>
    public long? ExecutionId { get; init; }

    /// <summary>Where in the execution's inputs or outputs the artifact sits.</summary>
    public IReadOnlyList<EventStep> Path { get; init; } = [];

    /// <summary>The relation; required.</summary>
    public EventType? Type { get; init; }

    /// <summary>Event time in milliseconds since the epoch; the store sets now when absent.</summary>
    public long? MillisecondsSinceEpoch { get; init; }
}

/// <summary>Artifact membership in a context (MLMD <c>Attribution</c>).</summary>
public sealed record Attribution(long? ContextId, long? ArtifactId);

/// <summary>Execution membership in a context (MLMD <c>Association</c>).</summary>
public sealed record Association(long? ContextId, long? ExecutionId);

/// <summary>A parent/child relation between contexts (MLMD <c>ParentContext</c>).</summary>
public sealed record ParentContext(long? ChildId, long? ParentId);
