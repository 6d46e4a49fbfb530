using System.Globalization;

namespace Cairn;

/// <summary>
/// Every message Cairn shows a user, in one place. Each says what happened and, where it can, how to fix it.
/// Tests assert messages through these accessors, never by copying the text.
/// </summary>
public static class Messages
{
    private static string F(string format, params object?[] args) => string.Format(CultureInfo.InvariantCulture, format, args);

    // ---- store URIs and opening
    public static string StoreUriEmpty => "The store URI is empty. Use sqlite:///path/cairn.db, sqlite:relative.db, memory:, postgres://user@host/db or grpc://host:port.";
    public static string StoreUriNoPath(string uri) => F("The store URI '{0}' names no file. Use sqlite:///absolute/path.db or sqlite:relative.db.", uri);
    public static string StoreUriUnknownScheme(string uri, string scheme) => F("The store URI '{0}' has the unknown scheme '{1}'. Use sqlite:, memory:, postgres:// or grpc://.", uri, scheme);
    public static string BackendNotInstalled(string scheme, string assembly) => F("No backend for '{0}:' stores is installed: add a reference to {1}.", scheme, assembly);
    public static string SqliteMemoryMapInvalid(string setting, string value) => F("{0} is '{1}'; it takes a whole number of bytes of the SQLite file to map into memory (0 turns mapping off; at most 2147418112 are used).", setting, value);
    public static string StoreMissing(string path) => F("There is no store at '{0}'. Run 'cairn init --store sqlite://{0}' to create one.", path);
    public static string StoreNewerSchema(string where, long stored, long supported) => F("The store at '{0}' has schema version {1}, written by a newer Cairn; this Cairn supports up to version {2}. Upgrade Cairn to open it.", where, stored, supported);
    public static string StoreOlderSchema(string where, long stored, long supported) => F("The store at '{0}' has schema version {1}, older than this Cairn's version {2}, and migrations on open are off. Run 'cairn migrate --store {0}' to upgrade it.", where, stored, supported);
    public static string StoreNotCairn(string where) => F("'{0}' is not a Cairn store (it is not a database, or its tables are not Cairn's). Check the path, or move the file away and run 'cairn init'.", where);
    public static string StoreCorrupt(string where) => F("The store at '{0}' is damaged (the database file is malformed). Restore it from a backup; 'sqlite3 {0} .recover' may save some data.", where);
    public static string StoreLocked(string where) => F("The store at '{0}' is locked by another process and stayed locked past the timeout. Retry when the other writer is done.", where);
    public static string StoreReadOnly(string where) => F("The store at '{0}' cannot be written (read-only file or directory). Check its permissions.", where);
    public static string StoreCannotOpen(string where, string reason) => F("Cannot open the store at '{0}': {1}", where, reason);
    public static string StoreDisposed => "The store has been disposed.";
    public static string StoreInfoUnsupported(string where) => F("The store '{0}' does not report its schema.", where);

    // ---- PostgreSQL
    public static string PostgresUriInvalid(string uri, string reason) => F("The store URI '{0}' is not a valid postgres:// URI: {1}. Use postgres://user:password@host:port/database?sslmode=require.", uri, reason);
    public static string PostgresUriBadOption(string uri, string key, string value) => F("The store URI '{0}' has an option Cairn does not understand: {1}={2}. Use libpq/Npgsql connection options such as sslmode=require.", uri, key, value);
    public static string PostgresConflict(string where) => F("The write to '{0}' kept conflicting with concurrent writers and was given up after several retries; retry the call.", where);
    public static string PostgresNoDatabase(string where, string detail) => F("The database of '{0}' does not exist ({1}). Create it with 'createdb', or name an existing one in the URI.", where, detail);
    public static string PostgresAuth(string where, string detail) => F("PostgreSQL refused the credentials for '{0}' ({1}). Check the user and password in the URI, PGPASSWORD or ~/.pgpass.", where, detail);
    public static string PostgresPermission(string where, string detail) => F("The PostgreSQL user of '{0}' lacks a permission Cairn needs ({1}). See docs/postgresql.md for the grants.", where, detail);

    // ---- types
    public static string TypeNameMissing => "No type name is specified.";
    public static string TypePropertyUnknownType(string property) => F("Property '{0}' of the type has type UNKNOWN; declare INT, DOUBLE, STRING, STRUCT, PROTO or BOOLEAN.", property);
    public static string TypePropertyNameEmpty => "A property of the type has an empty name.";
    public static string AllFieldsMatchUnsupported => "Must match all fields. all_fields_match=false is not supported.";
    public static string TypeAlreadyExistsDifferent(string name, string detail) => F("Type already exists with different properties: type '{0}': {1}", name, detail);
    public static string TypeBaseTypeDeletion => "base_type deletion is not supported yet.";
    public static string TypeBaseTypeUpdate => "base_type update is not supported yet.";
    public static string TypeExternalIdConflict(string externalId) => F("Conflict of external_id: '{0}' is already used by another type.", externalId);
    public static string TypeNotFound(string name, string? version) => F("No type found for query, name: `{0}`, version: `{1}`", name, string.IsNullOrEmpty(version) ? "nullopt" : version);
    public static string TypeIdNotFound(long id, NodeKind kind) => F("No type found for query, type_id: {0} (no {1} type has this id).", id, KindName(kind));

    // ---- nodes
    public static string NodeTypeIdMissing(NodeKind kind, int index) => F("Type id is missing: {0} #{1} has no type_id.", KindName(kind), index);
    public static string NodeUnknownProperty(string property, string typeName) => F("Found unknown property: {0} (type '{1}' declares no such property; use custom_properties for undeclared ones).", property, typeName);
    public static string NodeUnmatchedPropertyType(string property, PropertyType declared, ValueKind given) => F("Found unmatched property type: {0} (declared {1}, given {2}).", property, declared.ToString().ToUpperInvariant(), given == ValueKind.None ? "no value" : given.ToString().ToUpperInvariant());
    public static string ContextNameEmpty => "Context name should not be empty.";
    public static string NodeAlreadyExists(NodeKind kind, string detail) => F("Given node already exists: {0} {1}", KindName(kind), detail);
    public static string NodeIdNotFound(NodeKind kind, long id) => F("Cannot find the given id {0}: no {1} has this id.", id, KindName(kind));
    public static string NodeTypeIdChanged(NodeKind kind, long id, long stored, long given) => F("The type_id of {0} {1} cannot change (stored {2}, given {3}).", KindName(kind), id, stored, given);
    public static string NodeUpdateTimeChanged(long id, long stored, long given) => F("The artifact {0} was updated since it was read: its last_update_time_since_epoch is {1}, the request has {2}. Read it again and retry.", id, stored, given);
    public static string ExternalIdEmpty => "An external id in the request is empty.";
    public static string ExternalIdsNotFound(NodeKind? kind) => F("No {0} found with the given external ids.", kind is { } k ? KindName(k) + "s" : "types");

    // ---- events and context edges
    public static string EventArtifactIdMissing => "No artifact id is specified.";
    public static string EventExecutionIdMissing => "No execution id is specified.";
    public static string EventTypeMissing => "No event type is specified.";
    public static string EventArtifactNotFound(long id) => F("No artifact with the given id {0}.", id);
    public static string EventExecutionNotFound(long id) => F("No execution with the given id {0}.", id);
    public static string EventAlreadyExists(long artifactId, long executionId, EventType type) => F("Given node already exists: an event {0} between artifact {1} and execution {2} is already recorded.", type, artifactId, executionId);
    public static string ContextIdMissing => "No context id is specified.";
    public static string AttributionArtifactIdMissing => "No artifact id is specified.";
    public static string AssociationExecutionIdMissing => "No execution id is specified.";
    public static string ContextIdNotFound(long id) => F("Context id not found: {0}.", id);
    public static string ArtifactIdNotFound(long id) => F("Artifact id not found: {0}.", id);
    public static string ExecutionIdNotFound(long id) => F("Execution id not found: {0}.", id);
    public static string ParentContextChildMissing => "No child id is specified.";
    public static string ParentContextParentMissing => "No parent id is specified.";
    public static string ParentContextNotFound(long child, long parent) => F("The parent context {0} or the child context {1} cannot be found.", parent, child);
    public static string ParentContextCycle(long child, long parent) => F("There is a cycle detected of the given relationship: making {0} a parent of {1} would close a cycle.", parent, child);
    public static string ParentContextAlreadyExists(long child, long parent) => F("Given node already exists: context {0} already has parent {1}.", child, parent);
    public static string ContextIdsEmpty => "Given context_ids is empty.";
    public static string NoContextsForArtifact(long id) => F("No contexts found for artifact_id: {0}", id);
    public static string NoContextsForExecution(long id) => F("No contexts found for execution_id: {0}", id);

    // ---- PutExecution / PutLineageSubgraph
    public static string PutExecutionNoExecution => "No execution is found: the request has no execution.";
    public static string PutExecutionEventExecutionMismatch(long eventExecution, long execution) => F("Request's event.execution_id {0} does not match the execution's id {1}.", eventExecution, execution);
    public static string PutExecutionEventArtifactMismatch(int pair, long eventArtifact, long artifact) => F("Pair #{0}: event.artifact_id {1} does not match the artifact's id {2}.", pair, eventArtifact, artifact);
    public static string PutExecutionEventNoArtifact(int pair) => F("Pair #{0} has an event without artifact_id and no artifact.", pair);
    public static string ContextNotFoundForReuse(long id) => F("Context with ID {0} was not found in MLMD.", id);
    public static string ContextConcurrentlyCreated(string name) => F("Context '{0}' was created concurrently; retry the call.", name);
    public static string EdgeNoEvent(int edge) => F("Event edge #{0} has no event.", edge);
    public static string EdgeNoExecution(int edge) => F("Event edge #{0} has neither an execution_index nor an event.execution_id.", edge);
    public static string EdgeNoArtifact(int edge) => F("Event edge #{0} has neither an artifact_index nor an event.artifact_id.", edge);
    public static string EdgeExecutionIndexOutOfRange(int edge, int index, int count) => F("Event edge #{0}: execution_index {1} is outside [0, {2}).", edge, index, count);
    public static string EdgeArtifactIndexOutOfRange(int edge, int index, int count) => F("Event edge #{0}: artifact_index {1} is outside [0, {2}).", edge, index, count);
    public static string EdgeExecutionIdMismatch(int edge) => F("Event edge #{0}: event.execution_id does not match the id of the execution at execution_index.", edge);
    public static string EdgeArtifactIdMismatch(int edge) => F("Event edge #{0}: event.artifact_id does not match the id of the artifact at artifact_index.", edge);

    // ---- lineage
    public static string LineageUnsupported(string where) => F("The store '{0}' does not answer lineage queries.", where);
    public static string LineageNoStartingNodes => "Missing arguments for listing starting nodes: set starting artifacts or starting executions.";
    public static string LineageEmptyStartingFilter => "Cannot list starting nodes if `filter_query` is unspecified.";
    public static string LineageNegativeHops(long hops) => F("max_num_hops must be 0 or more; got {0}.", hops);
    public static string LineageNoQualifiedNodes => "Cannot find qualified nodes to start the traversal: the starting filter matched nothing.";
    public static string LineageStartEmpty => "A lineage request needs at least one starting node.";
    public static string LineageStartNotFound(string nodes) => F("These starting nodes do not exist: {0}.", nodes);
    public static string LineageStartKind(NodeKind kind) => F("Lineage starts from artifacts or executions, not from a {0}.", KindName(kind));
    public static string LineageDepthOutOfRange(int depth, int max) => F("The lineage depth must be between 0 and {1}; got {0}.", depth, max);
    public static string LineageBudgetInvalid(int nodes) => F("The lineage node budget must be at least 1; got {0}.", nodes);
    public static string LineageTokenInvalid => "The lineage continuation token is not one this store issued.";

    // ---- search
    public static string ChangesUnsupported(string where) => F("The store '{0}' has no change log to read.", where);
    public static string ChangeEntityUnknown(string field, string? text) => F("{0}: unknown entity '{1}'; use one of {2}.", field, text, ChangeLog.EntityNames);
    public static string ChangeAfterNegative(long after) => F("after: the cursor must be 0 or a seq of the change log, not {0}.", after);
    public static string ChangeLimitOutOfRange(int limit, int max) => F("limit: must be between 1 and {1}, not {0}.", limit, max);
    public static string ChangeHistoryEntity(string entity) => F("entity: '{0}' has no history by id; history is kept for artifacts, executions, contexts and their types (read edges and instances with the change feed).", entity);
    public static string SearchUnsupported(string where) => F("The store '{0}' does not answer searches.", where);
    public static string SearchTooLong(int length, int max) => F("The search text is {0} characters long; the limit is {1}.", length, max);
    public static string SearchTooManyTerms(int max) => F("The search text has more than {0} terms; search for fewer words, or narrow the search with --type, --tag, --owner or a filter.", max);
    public static string SearchOrNeedsTerms(int column) => F("Invalid search text at column {0}: OR needs a term on both sides, e.g. cats OR dogs.", column);
    public static string SearchDashNeedsTerm(int column) => F("Invalid search text at column {0}: '-' excludes the term right after it, e.g. -draft; there is none.", column);
    public static string SearchNegatedInOr(int column) => F("Invalid search text at column {0}: an excluded term (-word) cannot be part of an OR.", column);
    public static string SearchUnterminatedPhrase(int column) => F("Invalid search text at column {0}: the phrase starting here has no closing \".", column);
    public static string SearchStarNotAtEnd(int column) => F("Invalid search text at column {0}: '*' may only end a word or phrase (prefix*), not stand inside it.", column);
    public static string SearchPrefixTooShort(int column, int min) => F("Invalid search text at column {0}: a prefix needs at least {1} letters or digits before '*'.", column, min);
    public static string SearchNoWords => "The search text has no letters or digits to search for; leave it empty to match everything.";
    public static string SearchOnlyExclusions => "The search text only excludes terms (-word); add at least one term to search for.";
    public static string SearchLimitInvalid(int limit, int max) => F("The search limit must be between 1 and {1}; got {0}.", limit, max);
    public static string SearchFacetSizeInvalid(int size) => F("The facet size must be between 1 and 100; got {0}.", size);
    public static string SearchFilterNeedsOneKind(int kinds) => F("A filter query applies to one kind of node, but the search covers {0}; name the kind (artifact, execution or context) to filter.", kinds);
    public static string SearchKindInvalid(int kind) => F("The search kind {0} is not artifact (1), execution (2) or context (3).", kind);
    public static string SearchPageTokenInvalid => "The search page token is not one this store issued.";
    public static string SearchPageTokenMismatch => "The search page token belongs to another search: keep the text and conditions the same while paging.";
    public static string SearchRangeInvalid => "The search's since is after its until: nothing can match.";

    // ---- listing
    public static string MaxResultSizeInvalid(int value) => F("max_result_size field value is required to be greater than 0 and less than or equal to 100; got {0}.", value);
    public static string OrderByUnspecified => "Unsupported field: order_by_field.field is FIELD_UNSPECIFIED; use CREATE_TIME, LAST_UPDATE_TIME or ID.";
    public static string PageTokenInvalid => "Failed to decode next page token string: it is not a token this store issued.";
    public static string PageTokenMismatch => "ListOperationOptions mismatch between calls: the order field and direction must stay the same while paging.";

    /// <summary>Lower-case name of a node kind, for messages.</summary>
    public static string KindName(NodeKind kind) => kind switch
    {
        NodeKind.Artifact => "artifact",
        NodeKind.Execution => "execution",
        _ => "context",
    };

    // ---- filter queries
    public static string FilterQueryInvalid(int line, int column, bool multiline, string detail) => multiline
        ? F("Invalid `filter_query` at line {0}, column {1}: {2}", line, column, detail)
        : F("Invalid `filter_query` at column {0}: {1}", column, detail);
    public static string FilterExpectations(IReadOnlyCollection<string> expected) => expected.Count switch
    {
        0 => "an operator or the end of the query",
        1 => expected.First(),
        _ => string.Join(", ", expected.Take(expected.Count - 1)) + " or " + expected.Last(),
    };
    public static string FilterEndedAfter(string expected, string after) => F("expected {0} after '{1}' but the query ended", expected, after);
    public static string FilterEnded(string expected) => F("expected {0} but the query ended", expected);
    public static string FilterUnexpectedToken(string found, string? after, string expected) => after is null
        ? F("unexpected '{0}'; expected {1}", found, expected)
        : F("unexpected '{0}' after '{1}'; expected {2}", found, after, expected);
    public static string FilterUnexpectedCharacter(char c) => F("unexpected character '{0}'. Operators are = != <> < <= > >= + - * / and the keywords AND, OR, NOT, IN, IS, NULL, LIKE.", c);
    public static string FilterUnterminatedString(char quote) => F("the string starting here has no closing {0}. Write a {0} inside a string as \\{0}, or quote the string with the other quote mark.", quote);
    public static string FilterUnterminatedIdentifier => "the backquoted name starting here has no closing `.";
    public static string FilterEmptyIdentifier => "a backquoted name cannot be empty.";
    public static string FilterUnterminatedComment => "the comment starting here has no closing */.";
    public static string FilterBadEscape(string escape) => F("the escape {0} is not valid; use \\\\, \\', \\\", \\n, \\t, \\xHH, \\uHHHH or \\UHHHHHHHH.", escape);
    public static string FilterBadNumber(string text) => F("'{0}' is not a valid number.", text);
    public static string FilterIntegerOutOfRange(string text) => F("the integer {0} is out of range for INT64.", text);
    public static string FilterTooDeep(int max) => F("the query nests more than {0} levels deep; simplify it, for example with IN (…) instead of a chain of ORs.", max);
    public static string FilterTooLong(int length, int max) => F("Invalid `filter_query`: the query is {0} characters long; the limit is {1}.", length, max);
    public static string FilterUnrecognizedName(string name, string? suggestion, string valid) => suggestion is null
        ? F("Unrecognized name '{0}'. Valid names: {1}", name, valid)
        : F("Unrecognized name '{0}'; did you mean '{1}'? Valid names: {2}", name, suggestion, valid);
    public static string FilterBareProperties(string prefix) => F("'{0}' needs a property name and a value kind, e.g. {0}.my_property.int_value; backquote names with other characters: {0}.`my:property`.string_value.", prefix);
    public static string FilterPropertyNeedsKind(string prefix, string name) => F("'{0}.{1}' needs a value kind: {0}.{1}.int_value, .double_value, .string_value or .bool_value.", prefix, name);
    public static string FilterUnknownValueKind(string prefix, string name, string kind, string? suggestion) => F("'{2}' is not a value kind of {0}.{1}{3}; use int_value, double_value, string_value or bool_value.", prefix, name, kind, suggestion is null ? string.Empty : F(" (did you mean '{0}'?)", suggestion));
    public static string FilterTooManyParts(string name) => F("'{0}' has too many parts; a field is name, properties.<name>.<kind>_value or <neighbour>_<alias>.<field>.", name);
    public static string FilterAttributeHasNoFields(string attribute, string field) => F("'{0}' has no field '{1}'.", attribute, field);
    public static string FilterNeighbourNeedsField(string alias, string fields) => F("'{0}' needs a field, e.g. {0}.name; valid fields: {1}.", alias, fields);
    public static string FilterUnknownField(string field, string alias, string? suggestion, string fields) => suggestion is null
        ? F("Field name {0} does not exist in {1}. Valid fields: {2}.", field, alias, fields)
        : F("Field name {0} does not exist in {1}; did you mean '{2}'? Valid fields: {3}.", field, alias, suggestion, fields);
    public static string FilterNeighbourNotForKind(string name, string kind, string valid) => F("'{0}' cannot be used when listing {1}s; their neighbours are {2}.", name, kind, valid);
    public static string FilterNoMatchingSignature(string op, string left, string right) => F("No matching signature for operator {0} for argument types: {1}, {2}. Compare values of the same type: numbers with numbers, strings with quoted strings.", op, left, right);
    public static string FilterUnaryMismatch(string op, string type) => F("No matching signature for unary {0} for argument type {1}; it applies to numbers.", op, type);
    public static string FilterOperandNotBoolean(string op, string type) => F("{0} needs conditions on both sides, but this side is a {1}; compare it with something, e.g. name = 'x'.", op, type);
    public static string FilterNotBoolean(string type) => F("the query is not a valid boolean expression (it is a {0}); compare it with something, e.g. name = 'my_name' or id > 10.", type);
    public static string FilterUnsupportedEnumValue(string value, string field, string accepted) => F("Unsupported enum value specified in the query: {0}. {1} accepts {2}.", value, field, accepted);
    public static string FilterEnumNeedsName(string field, string given, string accepted) => F("{0} is compared with a bare enum name, not {1}: write {0} = NAME (no quotes) with NAME one of {2}.", field, given, accepted);
    public static string FilterEnumOperator(string field, string op) => F("{0} supports =, !=, IN (…), NOT IN (…) and IS [NOT] NULL, not {1}.", field, op);
    public static string FilterEnumOnRight(string field, string example) => F("write the enum field first: {0} = {1}.", field, example);
    public static string FilterLabelsOperator(string field, string op) => F("{0} supports =, !=, IN (…), NOT IN (…), LIKE, NOT LIKE and IS [NOT] NULL, not {1}: e.g. {0} = 'gold' or {0} LIKE 'team-%'.", field, op);
    public static string FilterLabelsOnRight(string field) => F("write {0} first: {0} = 'value', not 'value' = {0}.", field);
    public static string FilterLabelsNeedString(string field, string op, string given) => F("{0} {1} needs a string, e.g. {0} {1} 'gold', not a {2}.", field, op, given);

    // ---- owners and tags
    public static string LabelEmpty(string field, int position, string where) => F("Invalid {0} of {2}: {0}[{1}] is empty; a tag or owner is 1-256 characters.", field, position, where);
    public static string LabelTooLong(string field, int position, string where, int length) => F("Invalid {0} of {2}: {0}[{1}] is {3} characters long; the limit is 256.", field, position, where, length);
    public static string LabelControlCharacter(string field, int position, string where, string value, int code) => F("Invalid {0} of {2}: {0}[{1}] '{3}' contains the control character U+{4:X4}; use printable characters only.", field, position, where, value, code);
    public static string LabelNull(string field, int position, string where) => F("Invalid {0} of {2}: {0}[{1}] is null.", field, position, where);
    public static string LabelTooMany(string field, string where, int count, int max) => F("Invalid {0} of {1}: {2} values given; the limit is {3} per node.", field, where, count, max);
    public static string FilterLikePatternNotLiteral => "the pattern after LIKE must be a quoted string, e.g. name LIKE 'run_%'.";
}
