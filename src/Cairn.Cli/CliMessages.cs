using System.Globalization;

namespace Cairn.Cli;

/// <summary>
/// Every message the CLI itself shows, in one place (the store's own messages come from <see cref="Messages"/>).
/// Each says what happened and, where it can, what to do. Tests assert messages through these accessors.
/// </summary>
internal static class CliMessages
{
    // ---- errors at the edge
    public static string Cancelled => "Cancelled.";

    public static string Unexpected(string exceptionType) => F("cairn failed unexpectedly ({0}). This is a bug in cairn; please report it with the command you ran.", exceptionType);

    public static string UnknownToken(string token, string commandPath) => F("Unknown command or argument '{0}'. Run '{1} --help' for usage.", token, commandPath);

    public static string UsageError(string parserMessage, string commandPath) => F("{0} Run '{1} --help' for usage.", parserMessage.TrimEnd('.') + ".", commandPath);

    // ---- command-line usage
    public static string Exclusive(string first, string second) => F("{0} and {1} cannot be used together.", first, second);

    public static string FileExcludesFlags(string option) => F("--file cannot be combined with {0}: put every field in the file, or leave out --file.", option);

    public static string FlagNotKeyValue(string option, string flag) => F("{0} expects key=value, got '{1}'.", option, flag);

    public static string MaxBodyOutOfRange(int megabytes) => F("--max-body-mb must be between 1 and 2047; got {0}.", megabytes);

    public static string LimitNotPositive(int limit) => F("--limit must be at least 1, got {0}.", limit);

    public static string GetNeedsIdOrTypeAndName(string kind) => F("Give the {0}'s id, or --type and --name (not both).", kind);

    public static string PutNeedsTypeOrFile(string kind) => F("Give --type to create {0}, --id to update one, or --file to read several from a file.", Article(kind));

    public static string NothingToUpdate(string kind) => F("Nothing to update: give the fields of the {0} to change (--name, --state, --property, ...).", kind);

    public static string TypePutNeedsKindAndName => "Give --kind and --name to register a type, or --file to read types from a file.";

    public static string EventPutNeedsFields => "Give --artifact, --execution and --type, or --file to read events from a file.";

    public static string LinkNeedsSomething => "Nothing to link: give --artifact, --execution or --parent.";

    public static string ContextFilterOnContexts => "--context lists the artifacts or executions of a context; it does not apply to contexts.";

    public static string TypeNameAmbiguous(string name, IEnumerable<string> kinds) => F("Several kinds of type are named '{0}' ({1}); add --kind.", name, string.Join(", ", kinds));

    // ---- configuration (where = file:line:column, --config key=value, environment VARIABLE)
    public static string ConfigNoFiles => "No configuration file was found; every value below is a default, a variable or a --config override.";

    public static string ConfigFilesRead(IEnumerable<string> files) => F("Read, lowest first: {0}", string.Join(", ", files));

    public static string ConfigNotYaml(string where, string problem) => F("{0}: the configuration is not valid YAML: {1}", where, problem.TrimEnd('.') + ".");

    public static string ConfigTopLevelNotMapping(string where) => F("{0}: a configuration file must be a mapping of keys (store: ..., server: ...).", where);

    public static string ConfigKeyNotText(string where) => F("{0}: configuration keys must be plain names.", where);

    public static string ConfigDuplicateKey(string where, string key) => F("{0}: '{1}' is set twice in the same mapping.", where, key);

    public static string ConfigAliasNotSupported(string where) => F("{0}: YAML aliases are not supported in the configuration; write the value out.", where);

    public static string ConfigOverrideMalformed(string text) => F("--config '{0}' is neither a file nor key.path=value.", text);

    public static string ConfigFileMissing(string path) => F("The configuration file {0} (given with --config) does not exist.", path);

    public static string ConfigUnreadable(string path, string reason) => F("Cannot read the configuration file {0}: {1}", path, reason);

    public static string ConfigNotSection(string where, string key) => F("{0}: '{1}' is a section: give it keys below it (see 'cairn config show').", where, key);

    public static string ConfigUnknownKey(string where, string key, string hint) => F("{0}: unknown configuration key '{1}'. {2}", where, key, hint);

    public static string ConfigDidYouMean(IEnumerable<string> keys) => F("Did you mean {0}?", string.Join(" or ", keys.Select(k => "'" + k + "'")));

    public static string ConfigValidKeys(IEnumerable<string> keys) => F("Valid keys here: {0}.", string.Join(", ", keys));

    public static string ConfigNotInteger(string where, string key, string given, int min, int max) => F("{0}: '{1}' must be a whole number from {3} to {4}; got '{2}'.", where, key, given, min, max);

    public static string ConfigNotBoolean(string where, string key, string given) => F("{0}: '{1}' must be true or false; got '{2}'.", where, key, given);

    public static string ConfigNotAChoice(string where, string key, string given, IEnumerable<string> choices) => F("{0}: '{1}' must be one of {3}; got '{2}'.", where, key, given, string.Join(", ", choices));

    public static string ConfigNotScalar(string where, string key) => F("{0}: '{1}' takes a single value, not a list or a mapping.", where, key);

    // ---- values and names
    public static string ValueDoesNotMatch(string property, PropertyType declared, string given) => declared switch
    {
        PropertyType.Int => F("property '{0}' is declared INT: {1} is not an integer.", property, given),
        PropertyType.Double => F("property '{0}' is declared DOUBLE: {1} is not a number.", property, given),
        PropertyType.Boolean => F("property '{0}' is declared BOOLEAN: {1} is not true or false.", property, given),
        PropertyType.Struct => F("property '{0}' is declared STRUCT: {1} is not a JSON object.", property, given),
        PropertyType.Proto => F("property '{0}' is declared PROTO: give it in a file as {{proto_value: {{type_url: ..., value: BASE64}}}}.", property),
        _ => F("property '{0}' is declared {1}: {2} does not fit.", property, declared.ToString().ToUpperInvariant(), given),
    };

    public static string PropertyNotDeclared(string property, string typeName) => F("type '{0}' declares no property '{1}'; use --custom-property (custom_properties in a file) for undeclared ones.", typeName, property);

    public static string StateUnknown(string state, string valid) => F("unknown state '{0}'; use one of {1}.", state, valid);

    public static string PropertyTypeUnknown(string text, string valid) => F("unknown property type '{0}'; use one of {1}.", text, valid);

    public static string BaseTypeUnknown(string text, NodeKind kind, string valid) => kind == NodeKind.Context
        ? F("context types have no base type (got '{0}').", text)
        : F("unknown base type '{0}' for an {1} type; use one of {2}.", text, Messages.KindName(kind), valid);

    public static string EventTypeUnknown(string text, string valid) => F("unknown event type '{0}'; use one of {1}.", text, valid);

    public static string NodeTypeMissing(NodeKind kind) => F("the {0} has no type: give 'type' (the type's name) or 'type_id'.", Messages.KindName(kind));

    public static string NodeTypeNotFound(NodeKind kind, string name, string? version) => string.IsNullOrEmpty(version)
        ? F("There is no {0} type named '{1}'. Register it first with 'cairn types put --kind {0} --name {1} ...'.", Messages.KindName(kind), name)
        : F("There is no {0} type named '{1}' with version '{2}'.", Messages.KindName(kind), name, version);

    public static string TypeNotFoundAnyKind(string name, string? version) => string.IsNullOrEmpty(version)
        ? F("There is no artifact, execution or context type named '{0}'.", name)
        : F("There is no artifact, execution or context type named '{0}' with version '{1}'.", name, version);

    public static string NodeNameNotFound(NodeKind kind, string typeName, string name) => F("There is no {0} named '{1}' of type '{2}'.", Messages.KindName(kind), name, typeName);

    public static string UpdateTypeMismatch(NodeKind kind, long id, string stored, string given) => F("{0} {1} has type '{2}', not '{3}'; the type of a stored {0} cannot change.", Messages.KindName(kind), id, stored, given);

    // ---- input files
    public static string InputFileMissing(string file) => F("The file '{0}' does not exist.", file);

    public static string InputFileUnreadable(string file, string reason) => F("Cannot read the file '{0}': {1}", file, reason);

    public static string InputFileEmpty(string file) => F("{0}: the file is empty.", file);

    public static string InputSeveralDocuments => "the file holds several YAML documents; put everything in one.";

    public static string InvalidJson(string reason) => "invalid JSON: " + reason;

    public static string InvalidYaml(string reason) => "invalid YAML: " + reason;

    public static string InputDuplicateKey(string key) => F("the key '{0}' appears twice.", key);

    public static string InputKeyNotScalar => "a key must be a plain name.";

    public static string InputUnknownField(string field, string what, IEnumerable<string> allowed) => F("unknown field '{0}' in {1}; expected one of {2}.", field, Article(what), string.Join(", ", allowed));

    public static string InputExpected(string expected, string field, string got) => F("'{0}' must be {1}, got {2}.", field, expected, got);

    public static string InputMissingField(string field, string what) => F("{0} needs '{1}'.", Article(what), field);

    public static string InputBadValue(string got) => F("a property value must be a scalar, a mapping such as {{int_value: 1}}, or a struct mapping; got {0}.", got);

    public static string InputNoEntries(string what) => F("the file holds no {0}.", what);

    public static string TypesFileShape => "a types file is a mapping with artifact_types, execution_types and/or context_types (as 'cairn types list --json' prints); for a plain list of types add --kind.";

    public static string TypesFileKindMismatch(string key, NodeKind kind) => F("'{0}' does not match --kind {1}.", key, Messages.KindName(kind));

    // ---- results
    public static string InitCreated(string where) => F("Created a new Cairn store at {0}.", where);

    public static string MigrateDone(string where, long version) => F("Migrated the Cairn store at {0} to schema version {1}.", where, version);

    public static string MigrateUpToDate(string where, long version) => F("The Cairn store at {0} is already at schema version {1}; nothing to do.", where, version);

    public static string InitExisting(string where) => F("The Cairn store at {0} is ready (it already existed).", where);

    public static string NoneFound(string what) => F("No {0}.", what);

    public static string TypeRegistered(NodeKind kind, string name, string? version, long id) => string.IsNullOrEmpty(version)
        ? F("{0} type {1}: id {2}.", Capitalized(kind), name, id)
        : F("{0} type {1} (version {2}): id {3}.", Capitalized(kind), name, version, id);

    public static string Recorded(NodeKind kind, IReadOnlyList<long> ids, int updates)
    {
        var list = string.Join(", ", ids.Select(id => id.ToString(CultureInfo.InvariantCulture)));
        var what = ids.Count == 1 ? Messages.KindName(kind) : Kinds.Plural(kind);
        return updates == 0 ? F("Recorded {0} {1}.", what, list) : F("Recorded {0} {1} ({2} updated).", what, list, updates);
    }

    public static string Updated(NodeKind kind, long id) => F("Updated {0} {1}.", Messages.KindName(kind), id);
    public static string LabelNeedsChange(string label) => F("Nothing to change: give --add {0} or --remove {0} (repeatable).", label.ToUpperInvariant());
    public static string Labelled(NodeKind kind, long id, IReadOnlyList<string> tags, IReadOnlyList<string> owners) =>
        F("{0} {1}: tags {2}; owners {3}.", Messages.KindName(kind), id, tags.Count == 0 ? "(none)" : string.Join(", ", tags), owners.Count == 0 ? "(none)" : string.Join(", ", owners));

    public static string EventsRecorded(int count) => count == 1 ? "Recorded 1 event." : F("Recorded {0} events.", count);

    public static string Linked(long contextId, int artifacts, int executions, int parents)
    {
        var parts = new List<string>();
        if (artifacts > 0) parts.Add(Kinds.Count(NodeKind.Artifact, artifacts));
        if (executions > 0) parts.Add(Kinds.Count(NodeKind.Execution, executions));
        if (parents > 0) parts.Add(parents == 1 ? "1 parent context" : F("{0} parent contexts", parents));
        return F("Linked context {0} to {1}.", contextId, string.Join(", ", parts));
    }

    // ---- listing and lineage
    public static string ListingProgress(string plural, int count) => F("Reading {0}: {1} so far…", plural, count);

    public static string LineageNeedsNode => "Give the node to start from (an id such as 2 or execution:1, or Type/name such as SavedModel/mnist-v1), or --continue TOKEN.";

    public static string LineageNodeUnreadable(string text) => F("'{0}' is not a node: give an id (2, artifact:2, execution:1) or a type and a name (SavedModel/mnist-v1).", text);

    public static string LineageKindConflict(string text) => F("'{0}' names an artifact, but --execution asks for an execution; leave out one of them.", text);

    public static string BasedOnNeedsArtifact => "--based-on starts from an artifact: the artifacts it is based on (--up) or that are based on it (--down).";

    public static string FormatNotForView(string format, string option) => F("--format {0} cannot be used with {1}; use tree or json.", format, option);

    public static string ChangesNothing(long after) => F("No changes after {0}.", after);
    public static string ChangesNextPage(long next) => F("More: add --after {0}", next);
    public static string HistoryNothing(string kind, long id) => F("No recorded changes of {0} {1} (nodes written before the store had a change log have none).", kind, id);
    public static string SearchNothing => "No matches.";
    public static string SearchTotal(int shown, long total) => F("{0} of {1} matches shown.", shown, total);
    public static string SearchNextPage(string token) => F("More: add --page {0}", token);
    public static string LineageTruncated(int budget, string command) => F("Truncated: the node budget of {0} was reached. Continue with: {1}", budget, command);

    public static string LineageNoPath(string from, string to, int depth) => F("No lineage path from {0} to {1} within {2} edges.", from, to, depth);

    public static string LineagePathHeading(int number, int count, int edges) => F("Path {0} of {1} ({2} edges):", number, count, edges);

    public static string BasedOnNone(string artifact, bool upstream) => upstream
        ? F("{0} is based on no other artifact.", artifact)
        : F("No artifact is based on {0}.", artifact);

    public static string SubgraphNeedsStart => "Give --from-artifacts or --from-executions: a filter query selecting the starting nodes.";

    public static string SubgraphFieldUnknown(string field, string valid) => F("unknown field '{0}' in --fields; use {1}.", field, valid);

    public static string IncludeEndingNeedsEnd => "--include-ending needs --end-artifacts or --end-executions.";

    // ---- demo
    public static string DemoHeader => "Recorded MLMD's getting-started workflow: a DataSet trains a SavedModel in a Trainer run, grouped under an Experiment.";

    public static string DemoReusedStore(string contextName) => F("The store already held this demo; this run is the experiment {0}.", contextName);

    public static string DemoStore(string where) => F("Store: {0}", where);

    public static string DemoTypeConflict(NodeKind kind, string name) => F("The store already has {0} type '{1}' with other properties, so the demo cannot record into it. Run 'cairn demo' without --store to use a fresh store.", Article(Messages.KindName(kind)), name);

    // ---- import
    public static string ImportDone(string source, int version, string store, int written) =>
        F("Imported the MLMD database {0} (schema version {1}) into {2}: {3} row(s) written, ids kept.", source, version, store, written);

    public static string ImportNothingNew(string source, int version, string store) =>
        F("The store {2} already holds everything in the MLMD database {0} (schema version {1}); nothing was written.", source, version, store);

    public static string ImportProgress(string phase, string table, int done, int total) =>
        total > 0 ? F("{0} {1} ({2}/{3})", phase, table, done, total) : F("{0} {1} ({2})", phase, table, done);

    private static string Capitalized(NodeKind kind)
    {
        var name = Messages.KindName(kind);
        return char.ToUpperInvariant(name[0]) + name[1..];
    }

    private static string Article(string what) => what.Length > 0 && "aeiou".Contains(what[0], StringComparison.Ordinal) ? "an " + what : "a " + what;

    // ---- files (cairn save, load, files, logs, verify, find, run)
    public static string Saved(long id, int files, long stored, long deduplicated, string uri) => F("Saved artifact {0}: {1} file(s), {2} bytes stored, {3} bytes deduplicated, at {4}", id, files, stored, deduplicated, uri);

    public static string NoLogs(long id) => F("Artifact {0} has no logs (it was saved with --no-capture, or nothing was captured).", id);

    public static string VerifyFailed(long id, int bad, int total) => F("{0} of {1} stored file(s) of artifact {2} do not match their SHA-256.", bad, total, id);

    public static string NothingFound => "No saved artifact matches.";

    public static string DepthNotPositive(int depth) => F("--depth must be at least 1, got {0}.", depth);

    public static string BadWhen(string option, string text) => F("{0} '{1}' is neither a duration (30m, 12h, 10d, 2w) nor a date (2024-05-01, 2024-05-01T12:00Z).", option, text);

    public static string CommandNotStarted(string command, string reason, long run) => F("cannot start '{0}' ({1}); run {2} is recorded as FAILED with exit code 127.", command, reason.TrimEnd('.'), run);

    public static string RunEnded(long run, int exitCode) => F("Run {0} {1} (exit code {2}).", run, exitCode == 0 ? "COMPLETE" : "FAILED", exitCode);

    private static string F(string format, params object?[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
}
