using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cairn.Server.Rest;

// The JSON of /api/v1: MLMD's messages with their proto field names (snake case), enums by their MLMD names, 64-bit
// integers as JSON numbers (strings are accepted on input, as proto3 JSON writes them). The same shapes as `cairn … --json`.

/// <summary>A property value (MLMD <c>Value</c>): exactly one member is set.</summary>
internal sealed class RestValue
{
    public long? IntValue { get; set; }

    public double? DoubleValue { get; set; }

    public string? StringValue { get; set; }

    public bool? BoolValue { get; set; }

    /// <summary>A JSON object (MLMD <c>google.protobuf.Struct</c>).</summary>
    public JsonElement? StructValue { get; set; }

    public RestProtoValue? ProtoValue { get; set; }
}

/// <summary>A serialized protocol buffer message (MLMD <c>google.protobuf.Any</c>); <c>value</c> is base64.</summary>
internal sealed class RestProtoValue
{
    public string? TypeUrl { get; set; }

    public byte[]? Value { get; set; }
}

/// <summary>An artifact, execution or context type (MLMD <c>ArtifactType</c>, <c>ExecutionType</c>, <c>ContextType</c>).</summary>
internal sealed class RestType
{
    public long? Id { get; set; }

    public string? Name { get; set; }

    public string? Version { get; set; }

    public string? Description { get; set; }

    public string? ExternalId { get; set; }

    /// <summary>The system base type by MLMD name: DATASET, MODEL, METRICS, STATISTICS (artifacts); TRAIN, TRANSFORM, PROCESS, EVALUATE, DEPLOY (executions).</summary>
    public string? BaseType { get; set; }

    /// <summary>Declared properties: name → INT, DOUBLE, STRING, STRUCT, PROTO or BOOLEAN.</summary>
    public Dictionary<string, string>? Properties { get; set; }
}

/// <summary>Fields every node has.</summary>
internal abstract class RestNode
{
    [JsonPropertyOrder(-10)]
    public long? Id { get; set; }

    [JsonPropertyOrder(-9)]
    public long? TypeId { get; set; }

    /// <summary>The type's name; on input it names the type when <c>type_id</c> is absent.</summary>
    [JsonPropertyOrder(-8)]
    public string? Type { get; set; }

    /// <summary>Input only: the version of the type named by <c>type</c>.</summary>
    [JsonPropertyOrder(-7)]
    public string? TypeVersion { get; set; }

    [JsonPropertyOrder(-6)]
    public string? Name { get; set; }

    [JsonPropertyOrder(-5)]
    public string? ExternalId { get; set; }

    public Dictionary<string, RestValue>? Properties { get; set; }

    public Dictionary<string, RestValue>? CustomProperties { get; set; }

    /// <summary>Tags (Cairn, not MLMD), sorted. On input: absent keeps the stored tags, a list replaces them.</summary>
    public List<string>? Tags { get; set; }

    /// <summary>Owners (Cairn, not MLMD), sorted. On input: absent keeps the stored owners, a list replaces them.</summary>
    public List<string>? Owners { get; set; }

    /// <summary>Output only (ignored on input): milliseconds since the Unix epoch.</summary>
    public long? CreateTimeSinceEpoch { get; set; }

    /// <summary>Milliseconds since the Unix epoch; on input read only by abort_if_latest_updated_time_changed.</summary>
    public long? LastUpdateTimeSinceEpoch { get; set; }
}

/// <summary>An artifact (MLMD <c>Artifact</c>).</summary>
internal sealed class RestArtifact : RestNode
{
    [JsonPropertyOrder(-4)]
    public string? Uri { get; set; }

    /// <summary>UNKNOWN, PENDING, LIVE, MARKED_FOR_DELETION, DELETED, ABANDONED or REFERENCE.</summary>
    [JsonPropertyOrder(-3)]
    public string? State { get; set; }
}

/// <summary>An execution (MLMD <c>Execution</c>).</summary>
internal sealed class RestExecution : RestNode
{
    /// <summary>UNKNOWN, NEW, RUNNING, COMPLETE, FAILED, CACHED or CANCELED.</summary>
    [JsonPropertyOrder(-3)]
    public string? LastKnownState { get; set; }
}

/// <summary>A context (MLMD <c>Context</c>).</summary>
internal sealed class RestContext : RestNode
{
}

/// <summary>An event (MLMD <c>Event</c>).</summary>
internal sealed class RestEvent
{
    public long? ArtifactId { get; set; }

    public long? ExecutionId { get; set; }

    public RestEventPath? Path { get; set; }

    /// <summary>DECLARED_OUTPUT, DECLARED_INPUT, INPUT, OUTPUT, INTERNAL_INPUT, INTERNAL_OUTPUT or PENDING_OUTPUT.</summary>
    public string? Type { get; set; }

    public long? MillisecondsSinceEpoch { get; set; }
}

/// <summary>An event path (MLMD <c>Event.Path</c>).</summary>
internal sealed class RestEventPath
{
    public List<RestEventStep>? Steps { get; set; }
}

/// <summary>One step of an event path: an index or a key.</summary>
internal sealed class RestEventStep
{
    public long? Index { get; set; }

    public string? Key { get; set; }
}

/// <summary>An artifact in a context (MLMD <c>Attribution</c>).</summary>
internal sealed class RestAttribution
{
    public long? ContextId { get; set; }

    public long? ArtifactId { get; set; }
}

/// <summary>An execution in a context (MLMD <c>Association</c>).</summary>
internal sealed class RestAssociation
{
    public long? ContextId { get; set; }

    public long? ExecutionId { get; set; }
}

/// <summary>A parent/child relation between contexts (MLMD <c>ParentContext</c>).</summary>
internal sealed class RestParentContext
{
    public long? ChildId { get; set; }

    public long? ParentId { get; set; }
}

/// <summary>One page of a list: the items, and the token of the next page (absent on the last page).</summary>
internal sealed class RestList<T>
{
    public required IReadOnlyList<T> Items { get; init; }

    public string? NextPageToken { get; init; }
}

/// <summary>MLMD <c>PutExecutionRequest</c>.</summary>
internal sealed class RestPutExecutionRequest
{
    public RestExecution? Execution { get; set; }

    public List<RestArtifactAndEvent>? ArtifactEventPairs { get; set; }

    public List<RestContext>? Contexts { get; set; }

    public RestPutExecutionOptions? Options { get; set; }
}

/// <summary>MLMD <c>PutExecutionRequest.ArtifactAndEvent</c>.</summary>
internal sealed class RestArtifactAndEvent
{
    public RestArtifact? Artifact { get; set; }

    public RestEvent? Event { get; set; }
}

/// <summary>MLMD <c>PutExecutionRequest.Options</c>.</summary>
internal sealed class RestPutExecutionOptions
{
    public bool? ReuseContextIfAlreadyExist { get; set; }

    public bool? ReuseArtifactIfAlreadyExistByExternalId { get; set; }

    public bool? ForceUpdateTime { get; set; }

    public bool? ForceReuseContext { get; set; }
}

/// <summary>MLMD <c>PutExecutionResponse</c>.</summary>
internal sealed class RestPutExecutionResponse
{
    public long ExecutionId { get; set; }

    public required IReadOnlyList<long> ArtifactIds { get; init; }

    public required IReadOnlyList<long> ContextIds { get; init; }
}

/// <summary>MLMD <c>GetLineageSubgraphRequest</c>; <c>read_mask</c> lists the <c>lineage_subgraph</c> fields to fill (empty: all).</summary>
internal sealed class RestLineageSubgraphRequest
{
    public RestLineageSubgraphQueryOptions? LineageSubgraphQueryOptions { get; set; }

    public List<string>? ReadMask { get; set; }
}

/// <summary>MLMD <c>LineageSubgraphQueryOptions</c>.</summary>
internal sealed class RestLineageSubgraphQueryOptions
{
    public RestStartingNodes? StartingArtifacts { get; set; }

    public RestStartingNodes? StartingExecutions { get; set; }

    public long? MaxNumHops { get; set; }

    /// <summary>UPSTREAM, DOWNSTREAM or BIDIRECTIONAL (the default).</summary>
    public string? Direction { get; set; }

    public RestEndingNodes? EndingArtifacts { get; set; }

    public RestEndingNodes? EndingExecutions { get; set; }
}

/// <summary>MLMD <c>LineageSubgraphQueryOptions.StartingNodes</c>.</summary>
internal sealed class RestStartingNodes
{
    public string? FilterQuery { get; set; }
}

/// <summary>MLMD <c>LineageSubgraphQueryOptions.EndingNodes</c>.</summary>
internal sealed class RestEndingNodes
{
    public string? FilterQuery { get; set; }

    public bool? IncludeEndingNodes { get; set; }
}

/// <summary>MLMD <c>GetLineageSubgraphResponse</c>.</summary>
internal sealed class RestLineageSubgraphResponse
{
    public required RestLineageGraph LineageSubgraph { get; init; }
}

/// <summary>MLMD <c>LineageGraph</c>.</summary>
internal sealed class RestLineageGraph
{
    public required IReadOnlyList<RestType> ArtifactTypes { get; init; }

    public required IReadOnlyList<RestType> ExecutionTypes { get; init; }

    public required IReadOnlyList<RestType> ContextTypes { get; init; }

    public required IReadOnlyList<RestArtifact> Artifacts { get; init; }

    public required IReadOnlyList<RestExecution> Executions { get; init; }

    public required IReadOnlyList<RestContext> Contexts { get; init; }

    public required IReadOnlyList<RestEvent> Events { get; init; }

    public required IReadOnlyList<RestAttribution> Attributions { get; init; }

    public required IReadOnlyList<RestAssociation> Associations { get; init; }
}

/// <summary>Cairn's lineage answer: nodes with their depth, the events between them, and a continuation when truncated.</summary>
internal sealed class RestLineage
{
    public required IReadOnlyList<RestLineageNode> Nodes { get; init; }

    public required IReadOnlyList<RestEvent> Events { get; init; }

    public bool Truncated { get; init; }

    public string? ContinuationToken { get; init; }
}

/// <summary>A node reached by a lineage walk: <c>kind</c> says whether <c>artifact</c> or <c>execution</c> is set.</summary>
internal sealed class RestLineageNode
{
    public required string Kind { get; init; }

    public int Depth { get; init; }

    public RestArtifact? Artifact { get; init; }

    public RestExecution? Execution { get; init; }
}

/// <summary>An artifact the start is based on (upstream) or that is based on it (downstream), executions collapsed.</summary>
internal sealed class RestBasedOn
{
    public required RestArtifact Artifact { get; init; }

    /// <summary>Artifact generations from the start (1 = made directly from, or directly into).</summary>
    public int Depth { get; init; }

    /// <summary>The executions linking it to the previous generation.</summary>
    public required IReadOnlyList<long> Via { get; init; }
}

/// <summary>Source-generated serialization of every /api/v1 shape; unknown fields are refused, as MLMD's parsers refuse them.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
    ReadCommentHandling = JsonCommentHandling.Disallow,
    AllowTrailingCommas = false,
    MaxDepth = 64)]
[JsonSerializable(typeof(RestType))]
[JsonSerializable(typeof(RestArtifact))]
[JsonSerializable(typeof(RestExecution))]
[JsonSerializable(typeof(RestContext))]
[JsonSerializable(typeof(List<RestArtifact>))]
[JsonSerializable(typeof(List<RestExecution>))]
[JsonSerializable(typeof(List<RestContext>))]
[JsonSerializable(typeof(RestEvent))]
[JsonSerializable(typeof(List<RestEvent>))]
[JsonSerializable(typeof(RestAttribution))]
[JsonSerializable(typeof(List<RestAttribution>))]
[JsonSerializable(typeof(RestAssociation))]
[JsonSerializable(typeof(List<RestAssociation>))]
[JsonSerializable(typeof(RestParentContext))]
[JsonSerializable(typeof(List<RestParentContext>))]
[JsonSerializable(typeof(RestList<RestType>))]
[JsonSerializable(typeof(RestList<RestArtifact>))]
[JsonSerializable(typeof(RestList<RestExecution>))]
[JsonSerializable(typeof(RestList<RestContext>))]
[JsonSerializable(typeof(RestList<RestEvent>))]
[JsonSerializable(typeof(RestList<RestBasedOn>))]
[JsonSerializable(typeof(RestPutExecutionRequest))]
[JsonSerializable(typeof(RestPutExecutionResponse))]
[JsonSerializable(typeof(RestLineageSubgraphRequest))]
[JsonSerializable(typeof(RestLineageSubgraphResponse))]
[JsonSerializable(typeof(RestLineage))]
[JsonSerializable(typeof(RestSearchResult))]
[JsonSerializable(typeof(RestChangePage))]
[JsonSerializable(typeof(RestHistory))]
internal sealed partial class RestJsonContext : JsonSerializerContext
{
}
