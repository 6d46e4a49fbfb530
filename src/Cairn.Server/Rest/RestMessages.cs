using System.Globalization;

namespace Cairn.Server.Rest;

/// <summary>Messages of the REST interface, in one place; tests assert them through these accessors.</summary>
public static class RestMessages
{
    private static string F(string format, params object?[] args) => string.Format(CultureInfo.InvariantCulture, format, args);

    public static string BodyMissing(string what) => F("The request has no body; send {0} as JSON (Content-Type: application/json).", what);
    public static string BodyNotJson(string what, string reason, long line, long position, string? field) =>
        F("The request body is not valid JSON for {0}: {1} (line {2}, position {3}{4}).", what, reason, line, position, field is null or "$" ? string.Empty : ", field '" + field + "'");
    public static string BodyUnknownField(string name) => F("unknown field '{0}'", name);

    public static string UnknownQueryParameter(string name, string? suggestion, IReadOnlyCollection<string> known) =>
        F("Unknown query parameter '{0}'.", name)
        + (suggestion is null ? string.Empty : F(" Did you mean '{0}'?", suggestion))
        + (known.Count == 0 ? " This request takes no query parameters." : F(" This request takes: {0}.", string.Join(", ", known)));
    public static string BodyWrongType => "the value has the wrong JSON type";
    public static string BodyTooLarge(long limit) => F("The request body is larger than the limit of {0} bytes. Send smaller batches, or raise the server's limit (cairn serve --max-body-mb).", limit);
    public static string ContentTypeNotJson(string? given) => F("The request body must be JSON (Content-Type: application/json); got '{0}'.", given);
    public static string UnknownEnumValue(string field, string given, string valid) => F("{0}: '{1}' is not a valid value; use one of {2}.", field, given, valid);
    public static string ValueNull(string field) => F("{0} is null; give a value such as {{\"int_value\": 1}}.", field);
    public static string ValueSeveralMembers(string field) => F("{0} sets more than one of int_value, double_value, string_value, bool_value, struct_value and proto_value; set exactly one.", field);
    public static string StructNotObject(string field) => F("{0} must be a JSON object.", field);
    public static string FieldRequired(string field) => F("{0} is required.", field);
    public static string StepBoth(string field) => F("{0} sets both index and key; set one.", field);
    public static string StartingBoth => "lineage_subgraph_query_options sets both starting_artifacts and starting_executions; set one.";
    public static string NotAnId(string name, string given) => F("{0} must be a positive 64-bit integer; got '{1}'.", name, given);
    public static string NotABoolean(string name, string given) => F("{0} must be true or false; got '{1}'.", name, given);
    public static string NotAnInteger(string name, string given, long min, long max) => F("{0} must be an integer from {1} to {2}; got '{3}'.", name, min, max, given);
    public static string NotATime(string name, string given) => F("{0} must be a date (2024-05-01), an RFC 3339 date-time (2024-05-01T12:00:00Z) or milliseconds since the epoch; got '{1}'.", name, given);
    public static string OrderByUnknown(string given) => F("order_by must be id, create_time or last_update_time; got '{0}'.", given);
    public static string QueryConflict(string first, string second) => F("The query parameters {0} and {1} cannot be combined; use one.", first, second);
    public static string QueryMissing(string name) => F("The query parameter {0} is required.", name);
    public static string IdMismatch(long route, long body) => F("The body's id {0} differs from the id in the path ({1}); leave it out or make them equal.", body, route);
    public static string CreateWithId(string plural) => F("A new node cannot carry an id; update an existing one with PUT or PATCH /api/v1/{0}/{{id}}.", plural);
    public static string NodeNotFound(NodeKind kind, long id) => F("No {0} has the id {1}.", Messages.KindName(kind), id);
    public static string TypeNotFoundById(NodeKind kind, long id) => F("No {0} type has the id {1}.", Messages.KindName(kind), id);
    public static string NodeByNameNotFound(NodeKind kind, string type, string name, string? version) =>
        F("No {0} of type '{1}'{2} is named '{3}'.", Messages.KindName(kind), type, string.IsNullOrEmpty(version) ? string.Empty : " (version '" + version + "')", name);
    public static string PatchNothing => "The PATCH body changes nothing: give the fields to change, or list them in update_mask.";
    public static string EventsQuery => "Give artifact_id or execution_id (one or more) to list events.";
    public static string EmptyBatch(string what) => F("The request body is an empty list, so there is nothing to write: send {0}, with at least one item in a list.", what);
    public static string RouteNotFound(string method, string path) => F("There is no resource at {0} {1}. The API is described at /openapi/v1.json.", method, path);
    public static string MethodNotAllowed(string method, string path) => F("{0} is not allowed on {1}. The API is described at /openapi/v1.json.", method, path);
    public static string MaxBodyOutOfRange(long bytes) => F("The REST request body limit must be at least 1 byte; got {0}.", bytes);
    public static string InternalError => "The server failed unexpectedly; the details are in its log.";
    public static string BadRequest => "The request is malformed.";
}
