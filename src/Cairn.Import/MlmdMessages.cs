using System.Globalization;

namespace Cairn.Import;

/// <summary>What an MLMD import says when it cannot go on; tests assert through the same accessors.</summary>
internal static class MlmdMessages
{
    private static string F(string format, params object?[] args) => string.Format(CultureInfo.InvariantCulture, format, args);

    public static string SourceEmpty => "No MLMD database given: pass a SQLite file path or a postgres:// URI with --from.";

    public static string SourceMissing(string path) => F("There is no MLMD database at '{0}'. Check the path given with --from.", path);

    public static string SourceCannotOpen(string where, string reason) => F("Cannot open the MLMD database at '{0}': {1}", where, reason);

    public static string SourceUriInvalid(string uri, string reason) =>
        F("'{0}' is not a valid postgres:// URI: {1}. Use postgres://user:password@host:port/database.", uri, reason);

    public static string NotMlmd(string where, string reason) =>
        F("'{0}' is not an MLMD database (its MLMDEnv table cannot be read: {1}).", where, reason);

    public static string NoSchemaVersion(string where) => F("The MLMD database at '{0}' records no schema version (its MLMDEnv table is empty).", where);

    public static string UnsupportedVersion(string where, int found, int supported) => F(
        "The MLMD database at '{0}' is at schema version {1}; Cairn imports schema version {2} only (MLMD 1.11.0 to 1.16.0). " +
        "{3}",
        where, found, supported,
        found < supported
            ? "Upgrade it first by connecting once with MLMD 1.11 or later with migration enabled (enable_upgrade_migration=True, or the server's --enable_database_upgrade)."
            : F("Downgrade it to schema version {0} with MLMD (downgrade_to_schema_version={0}), or use a Cairn that reads version {1}.", supported, found));

    public static string UnknownTypeKind(long typeId, long kind) => F("Type {0} of the MLMD database has type_kind {1}, which is none of 0 (execution), 1 (artifact) or 2 (context).", typeId, kind);

    public static string SeveralBaseTypes(long typeId) => F("Type {0} of the MLMD database has more than one row in ParentType; Cairn, like MLMD's API, gives a type one base type.", typeId);

    public static string BadValue(string table, long node, string name, string reason) => F("{0}Property of {1} {2}, property '{3}': {4}", table, table.ToLowerInvariant(), node, name, reason);

    public static string BadStructType(long typeId, string column, string reason) => F("Type {0} of the MLMD database has an {1} that is not an ArtifactStructType in JSON: {2}", typeId, column, reason);

    public static string TableUnreadable(string table, string reason) => F("Cannot read the MLMD table {0}: {1}. Is the database at schema version 10 with all its tables?", table, reason);

    public static string StoreCannotImport(string store) =>
        F("The store '{0}' cannot take an import: import into a SQLite or PostgreSQL store directly (for a server's store, use the URI the server opens).", store);
}
