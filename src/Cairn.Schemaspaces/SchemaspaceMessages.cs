using System.Globalization;

namespace Cairn.Schemaspaces;

/// <summary>
/// Every message the schemaspaces show a user, in one place (Elyra's texts where Elyra has one). Tests assert messages
/// through these accessors.
/// </summary>
public static class SchemaspaceMessages
{
    private static string F(string format, params object?[] args) => string.Format(CultureInfo.InvariantCulture, format, args);

    // ---- schemaspaces and schemas
    public static string SchemaspaceNotFound(string schemaspace, IEnumerable<string> known)
    {
        var names = string.Join(", ", known);
        return F("No schemaspace named '{0}' is loaded. {1}", schemaspace, names.Length == 0
            ? "No schema files are loaded: name a directory of schema files with --schemas DIR."
            : "Loaded schemaspaces: " + names + ".");
    }

    public static string SchemaNotFound(string schema, string schemaspace) => F("No such schema named '{0}' was found in the {1} schemaspace.", schema, schemaspace);
    public static string SchemaspaceDeprecated(string schemaspace, string operation) => F("The {0} schemaspace is deprecated: it can be listed, exported and cleaned up, but not used to {1} instances.", schemaspace, operation);

    // ---- schema files
    public static string SchemaFileUnreadable(string reason) => F("cannot be read: {0}", reason);
    public static string SchemaFileNotJson(string reason) => F("is not valid JSON: {0}", reason);
    public static string SchemaFileNotObject => "is not a JSON object.";
    public static string SchemaFailsMetaSchema(string violation) => F("does not conform to the meta-schema: {0}", violation);
    public static string SchemaNoSchemaspace => "names no schemaspace: a schema file must have both 'schemaspace' (the name) and 'schemaspace_id' (its UUID).";
    public static string SchemaSchemaspaceIdMismatch(string schemaspace, string given, string known, string knownSource) => F("names the schemaspace '{0}' with id {1}, but {3} gives it the id {2}.", schemaspace, given, known, knownSource);
    public static string SchemaSchemaspaceNameMismatch(string id, string given, string known) => F("names the schemaspace id {0} '{1}', but that id belongs to the schemaspace '{2}'.", id, given, known);
    public static string SchemaDuplicate(string schema, string schemaspace, string firstSource) => F("defines the schema '{0}' of the {1} schemaspace again (first defined by {2}); this one is ignored.", schema, schemaspace, firstSource);
    public static string SchemaInvalidJsonSchema(string reason) => F("is not a valid JSON Schema: {0}", reason);
    public static string SchemaspaceDeclarationInvalid(string reason) => F("is not a valid schemaspace declaration: {0}", reason);
    public static string SchemasPathMissing(string path) => F("The schemas path '{0}' does not exist. Name a directory of schema files (or one schema file, or a .dll of schema providers) with --schemas.", path);

    public static string SchemaAssemblyUnloadable(string reason) => F("cannot be loaded as a .NET assembly of schema providers: {0}", reason);

    public const string SchemaAssemblyEmpty = "has no schema provider: no public class with a parameterless constructor implements Cairn.Schemaspaces.ISchemasProvider.";

    // ---- names
    public static string NameInvalid => "Name of metadata must be lowercase alphanumeric, beginning with alpha and can include embedded hyphens ('-') and underscores ('_').";
    public static string NameNotDerivable(string displayName) => F("No name can be derived from the display name '{0}': it has no letters or digits a name can use. Give a name explicitly.", displayName);
    public static string NameOrDisplayNameMissing(string schemaspace) => F("An instance of the {0} schemaspace needs a 'name' or a 'display_name' to derive the name from.", schemaspace);

    // ---- instances
    public static string InstanceNotFound(string name, string schemaspace) => F("No such instance named '{0}' was found in the {1} schemaspace.", name, schemaspace);
    public static string InstanceExists(string name, string schemaspace) => F("An instance named '{0}' already exists in the {1} schemaspace.", name, schemaspace);
    public static string InstanceMissingField(string name, string schemaspace, string field) => F("Instance '{0}' in the {1} schemaspace is missing a '{2}' field!", name, schemaspace, field);
    public static string InstanceValidationFailed(string name, string schema, string error) => F("Validation failed for instance '{0}' using the {1} schema with error: {2}", name, schema, error);
    public static string InstanceRenameRefused(string name, string given) => F("The attempt to rename instance '{0}' to '{1}' is not supported.", name, given);
    public static string InstanceNotJson(string resource, string reason) => F("JSON failed to load for instance at '{0}': {1}", resource, reason);
    public static string InstanceNotObject(string resource) => F("The instance at '{0}' is not a JSON object.", resource);
    public static string InstanceFieldNotString(string name, string field) => F("The '{1}' field of instance '{0}' must be a string.", name, field);
    public static string InstanceMetadataNotObject(string name) => F("The 'metadata' field of instance '{0}' must be a JSON object.", name);
    public static string InstanceReadOnly(string name, string schemaspace, string resource) => F("Instance '{0}' of the {1} schemaspace is a factory or system instance ('{2}') and cannot be removed; only instances in the writable directory can. Updating it writes a copy there that overrides it.", name, schemaspace, resource);
    public static string InstanceNotPersisted(string resource, string reason) => F("The instance written to '{0}' could not be read back ({1}); the previous version was restored.", resource, reason);
    public static string CompensationFailed(string hookError, string undoError) => F("A hook failed ({0}) and undoing the write failed too ({1}); check the instance by hand.", hookError, undoError);
    public static string UnknownSchemaName => "{unknown}";

    // ---- secrets
    public static string SecretKeyMissing(string name, string schemaspace, string keyFile) => F("Instance '{0}' of the {1} schemaspace holds encrypted secrets, but the key file '{2}' does not exist. Restore the key it was written with there, or name it with CAIRN_SECRET_KEY_FILE.", name, schemaspace, keyFile);
    public static string SecretWrongKey(string name, string schemaspace, string keyFile) => F("The secrets of instance '{0}' of the {1} schemaspace cannot be decrypted with the key in '{2}': they were written with another key (or changed since). Use the key they were written with (CAIRN_SECRET_KEY_FILE), or set the secrets again.", name, schemaspace, keyFile);
    public static string SecretDamaged(string name, string schemaspace) => F("An encrypted secret of instance '{0}' of the {1} schemaspace is damaged (not a v1 envelope of base64 text); set the secret again.", name, schemaspace);
    public static string SecretKeyInvalid(string keyFile, int length) => F("The secret key file '{0}' holds {1} bytes; a key is exactly 32 random bytes.", keyFile, length);
    public static string SecretKeyUnreadable(string keyFile, string reason) => F("The secret key file '{0}' cannot be read: {1}", keyFile, reason);
    public static string SecretPlaceholderWithoutValue(string name, string property) => F("Instance '{0}' has no stored value for the secret property '{1}' to keep: '{2}' only stands for an existing secret. Give the value itself.", name, property, SecretProtector.Placeholder);

    // ---- validation errors (the first line of the validator's report)
    public static string ValidationRequired(string path) => F("'{0}' is a required property", path);
    public static string ValidationNotAllowed(string path) => F("'{0}' is not allowed (the schema allows no additional properties)", path);
    public static string ValidationPattern(string path, string? pattern) => F("{0} does not match the pattern '{1}'", path, pattern);
    public static string ValidationConst(string path, string constant) => F("{0} must be {1}", path, constant);
    public static string ValidationGeneric(string path, string what) => F("{0}: {1}", path, what);
    public static string ValidationEnum(string path, string value, string values) => F("{0}: {1} is not one of {2}", path, value, values);
    public static string ValidationType(string path, string value, string type) => F("{0}: {1} is not of type {2}", path, value, type);
    public static string ValidationFormat(string path, string value, string format) => F("{0}: {1} is not a '{2}'", path, value, format);
    public static string ValidationTooShort(string path, string value) => F("{0}: {1} is too short", path, value);
    public static string ValidationTooLong(string path, string value) => F("{0}: {1} is too long", path, value);
    public static string ValidationNotUnique(string path, string value) => F("{0}: {1} has non-unique elements", path, value);
    public static string ValidationContains(string path) => F("{0}: no item matches the schema's 'contains'", path);
    public static string ValidationPropertyName(string path, string name, string reason) => F("{0}: the property name '{1}' does not match the schema's 'propertyNames' ({2})", path, name, reason);
}
