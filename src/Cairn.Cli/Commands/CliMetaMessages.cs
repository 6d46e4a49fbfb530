using System.Globalization;

namespace Cairn.Cli.Commands;

/// <summary>The messages of <c>cairn meta</c> that are the CLI's own; the rest are in <see cref="Cairn.Schemaspaces.SchemaspaceMessages"/>.</summary>
internal static class CliMetaMessages
{
    public static string SchemaWarning(string source, string message) => F("warning: schema file {0} {1}", source, message);

    public static string NoInstances(string schemaspace) => F("No metadata instances found for {0}", schemaspace);

    public static string Available(string schemaspace, bool includesInvalid) => F("Available metadata instances for {0}{1}:", schemaspace, includesInvalid ? " (includes invalid)" : string.Empty);

    public static string InvalidHidden(int count, string schemaspace) => F("note: {0} invalid instance(s) of {1} not shown; list them with --include-invalid.", count, schemaspace);

    public static string Invalid(string reason) => F("**INVALID** ({0})", reason);

    public static string Written(string name, string schema, string resource) => F("Metadata instance '{0}' for schema '{1}' has been written to: {2}", name, schema, resource);

    public static string Removed(string name, string schemaspace) => F("Metadata instance '{0}' removed from schemaspace '{1}'.", name, schemaspace);

    public static string NoneMigrated(string schemaspace) => F("No instances of schemaspace {0} were migrated.", schemaspace);

    public static string Migrated(string schemaspace, IReadOnlyList<string> names) => F("The following {0} instances were migrated: {1}", schemaspace, string.Join(", ", names));

    public static string Exported(int count, int invalid, string schemaspace, string directory) => F("Exported {0} instance(s) of the {1} schemaspace{2} to {3}", count, schemaspace, invalid > 0 ? F(" ({0} of them invalid)", invalid) : string.Empty, directory);

    public static string Imported(int count, string schemaspace, int failed) => F("Imported {0} instance(s) into the {1} schemaspace{2}", count, schemaspace, failed > 0 ? F("; {0} file(s) could not be imported:", failed) : ".");

    public static string SchemaNameNeeded(string schemaspace, IEnumerable<string> schemas) => F("The {0} schemaspace has several schemas: choose one with --schema_name ({1}).", schemaspace, string.Join(", ", schemas));

    public static string SchemaNameNotAllowed(string given, string schemaspace, IEnumerable<string> schemas) => F("--schema_name '{0}' is not a schema of the {1} schemaspace; choose one of: {2}.", given, schemaspace, string.Join(", ", schemas));

    public static string DisplayNameNeeded => "--display_name is required to create an instance (or give it in --json or --file).";

    public static string NameNeeded => "--name is required to update an instance (or give the name in --json or --file).";

    public static string FileAndJson => "Give at most one of --file and --json.";

    public static string UnknownProperty(string flag, string schema, IEnumerable<string> properties) => F("Unknown option '{0}': the schema '{1}' has no such metadata property. Its properties: {2}.", flag, schema, string.Join(", ", properties.Select(p => "--" + p)));

    public static string UnexpectedToken(string token) => F("Unexpected argument '{0}': metadata properties are given as --NAME=VALUE or --NAME VALUE.", token);

    public static string PropertyValueMissing(string flag) => F("{0} needs a value: {0}=VALUE.", flag);

    public static string PropertyNotCoercible(string flag, string value, string type, string schema) => F("{0}: '{1}' is not a valid {2} (the type the schema '{3}' declares for this property).", flag, value, type, schema);

    public static string PropertyObjectNotFound(string flag, string value) => F("{0}: '{1}' is neither a JSON object nor a JSON file.", flag, value);

    public static string PayloadNotObject(string source) => F("{0} does not hold a JSON object.", source);

    public static string PayloadNotJson(string source, string reason) => F("{0} is not valid JSON: {1}", source, reason);

    public static string FileMissing(string path) => F("The file '{0}' does not exist.", path);

    public static string DirectoryMissing(string path) => F("The directory '{0}' does not exist.", path);

    public static string ImportMissingFields => "the file must contain 'schema_name', 'display_name' and 'metadata'.";

    private static string F(string format, params object?[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
}
