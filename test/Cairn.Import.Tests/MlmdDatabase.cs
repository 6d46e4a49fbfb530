using System.Data.Common;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Data.Sqlite;

namespace Cairn.Import.Tests;

/// <summary>
/// Builds databases shaped like MLMD's at a given schema version (version 10 by default), from the schema as documented
/// (mlmd.md §9): the fifteen tables with MLMD's names and column types, and rows written with explicit ids the way MLMD
/// writes them (structs as "mlmd-struct::" + base64, proto values as serialized Any, event paths as EventPath rows).
/// </summary>
internal static class MlmdDatabase
{
    public const string SqliteSchema = """
        CREATE TABLE IF NOT EXISTS Type (
            id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(255) NOT NULL, version VARCHAR(255), type_kind TINYINT(1) NOT NULL,
            description TEXT, input_type TEXT, output_type TEXT, external_id VARCHAR(255) UNIQUE);
        CREATE TABLE IF NOT EXISTS ParentType (type_id INT NOT NULL, parent_type_id INT NOT NULL, PRIMARY KEY (type_id, parent_type_id));
        CREATE TABLE IF NOT EXISTS TypeProperty (type_id INT NOT NULL, name VARCHAR(255) NOT NULL, data_type INT NULL, PRIMARY KEY (type_id, name));
        CREATE TABLE IF NOT EXISTS Artifact (
            id INTEGER PRIMARY KEY AUTOINCREMENT, type_id INT NOT NULL, uri TEXT, state INT, name VARCHAR(255), external_id VARCHAR(255) UNIQUE,
            create_time_since_epoch INT NOT NULL DEFAULT 0, last_update_time_since_epoch INT NOT NULL DEFAULT 0, UNIQUE (type_id, name));
        CREATE TABLE IF NOT EXISTS ArtifactProperty (
            artifact_id INT NOT NULL, name VARCHAR(255) NOT NULL, is_custom_property TINYINT(1) NOT NULL, int_value INT, double_value DOUBLE,
            string_value TEXT, byte_value BLOB, proto_value BLOB, bool_value BOOLEAN, PRIMARY KEY (artifact_id, name, is_custom_property));
        CREATE TABLE IF NOT EXISTS Execution (
            id INTEGER PRIMARY KEY AUTOINCREMENT, type_id INT NOT NULL, last_known_state INT, name VARCHAR(255), external_id VARCHAR(255) UNIQUE,
            create_time_since_epoch INT NOT NULL DEFAULT 0, last_update_time_since_epoch INT NOT NULL DEFAULT 0, UNIQUE (type_id, name));
        CREATE TABLE IF NOT EXISTS ExecutionProperty (
            execution_id INT NOT NULL, name VARCHAR(255) NOT NULL, is_custom_property TINYINT(1) NOT NULL, int_value INT, double_value DOUBLE,
            string_value TEXT, byte_value BLOB, proto_value BLOB, bool_value BOOLEAN, PRIMARY KEY (execution_id, name, is_custom_property));
        CREATE TABLE IF NOT EXISTS Context (
            id INTEGER PRIMARY KEY AUTOINCREMENT, type_id INT NOT NULL, name VARCHAR(255) NOT NULL, external_id VARCHAR(255) UNIQUE,
            create_time_since_epoch INT NOT NULL DEFAULT 0, last_update_time_since_epoch INT NOT NULL DEFAULT 0, UNIQUE (type_id, name));
        CREATE TABLE IF NOT EXISTS ContextProperty (
            context_id INT NOT NULL, name VARCHAR(255) NOT NULL, is_custom_property TINYINT(1) NOT NULL, int_value INT, double_value DOUBLE,
            string_value TEXT, byte_value BLOB, proto_value BLOB, bool_value BOOLEAN, PRIMARY KEY (context_id, name, is_custom_property));
        CREATE TABLE IF NOT EXISTS ParentContext (context_id INT NOT NULL, parent_context_id INT NOT NULL, PRIMARY KEY (context_id, parent_context_id));
        CREATE TABLE IF NOT EXISTS Event (
            id INTEGER PRIMARY KEY AUTOINCREMENT, artifact_id INT NOT NULL, execution_id INT NOT NULL, type INT NOT NULL,
            milliseconds_since_epoch INT, UNIQUE (artifact_id, execution_id, type));
        CREATE TABLE IF NOT EXISTS EventPath (event_id INT NOT NULL, is_index_step TINYINT(1) NOT NULL, step_index INT, step_key TEXT);
        CREATE TABLE IF NOT EXISTS Association (id INTEGER PRIMARY KEY AUTOINCREMENT, context_id INT NOT NULL, execution_id INT NOT NULL, UNIQUE (context_id, execution_id));
        CREATE TABLE IF NOT EXISTS Attribution (id INTEGER PRIMARY KEY AUTOINCREMENT, context_id INT NOT NULL, artifact_id INT NOT NULL, UNIQUE (context_id, artifact_id));
        CREATE TABLE IF NOT EXISTS MLMDEnv (schema_version INTEGER PRIMARY KEY);
        CREATE INDEX IF NOT EXISTS idx_eventpath_event_id ON EventPath (event_id);
        """;

    // PostgreSQL: quoted mixed-case table names, SERIAL ids, BIGINT times, 32-bit int_value, SMALLINT kind, real booleans.
    public const string PostgresSchema = """
        CREATE TABLE "Type" (
            id SERIAL PRIMARY KEY, name VARCHAR(255) NOT NULL, version VARCHAR(255), type_kind SMALLINT NOT NULL,
            description TEXT, input_type TEXT, output_type TEXT, external_id VARCHAR(255) UNIQUE);
        CREATE TABLE "ParentType" (type_id INT NOT NULL, parent_type_id INT NOT NULL, PRIMARY KEY (type_id, parent_type_id));
        CREATE TABLE "TypeProperty" (type_id INT NOT NULL, name VARCHAR(255) NOT NULL, data_type INT NULL, PRIMARY KEY (type_id, name));
        CREATE TABLE "Artifact" (
            id SERIAL PRIMARY KEY, type_id INT NOT NULL, uri TEXT, state INT, name VARCHAR(255), external_id VARCHAR(255) UNIQUE,
            create_time_since_epoch BIGINT NOT NULL DEFAULT 0, last_update_time_since_epoch BIGINT NOT NULL DEFAULT 0, UNIQUE (type_id, name));
        CREATE TABLE "ArtifactProperty" (
            artifact_id INT NOT NULL, name VARCHAR(255) NOT NULL, is_custom_property BOOLEAN NOT NULL, int_value INT, double_value DOUBLE PRECISION,
            string_value TEXT, byte_value BYTEA, proto_value BYTEA, bool_value BOOLEAN, PRIMARY KEY (artifact_id, name, is_custom_property));
        CREATE TABLE "Execution" (
            id SERIAL PRIMARY KEY, type_id INT NOT NULL, last_known_state INT, name VARCHAR(255), external_id VARCHAR(255) UNIQUE,
            create_time_since_epoch BIGINT NOT NULL DEFAULT 0, last_update_time_since_epoch BIGINT NOT NULL DEFAULT 0, UNIQUE (type_id, name));
        CREATE TABLE "ExecutionProperty" (
            execution_id INT NOT NULL, name VARCHAR(255) NOT NULL, is_custom_property BOOLEAN NOT NULL, int_value INT, double_value DOUBLE PRECISION,
            string_value TEXT, byte_value BYTEA, proto_value BYTEA, bool_value BOOLEAN, PRIMARY KEY (execution_id, name, is_custom_property));
        CREATE TABLE "Context" (
            id SERIAL PRIMARY KEY, type_id INT NOT NULL, name VARCHAR(255) NOT NULL, external_id VARCHAR(255) UNIQUE,
            create_time_since_epoch BIGINT NOT NULL DEFAULT 0, last_update_time_since_epoch BIGINT NOT NULL DEFAULT 0, UNIQUE (type_id, name));
        CREATE TABLE "ContextProperty" (
            context_id INT NOT NULL, name VARCHAR(255) NOT NULL, is_custom_property BOOLEAN NOT NULL, int_value INT, double_value DOUBLE PRECISION,
            string_value TEXT, byte_value BYTEA, proto_value BYTEA, bool_value BOOLEAN, PRIMARY KEY (context_id, name, is_custom_property));
        CREATE TABLE "ParentContext" (context_id INT NOT NULL, parent_context_id INT NOT NULL, PRIMARY KEY (context_id, parent_context_id));
        CREATE TABLE "Event" (
            id SERIAL PRIMARY KEY, artifact_id INT NOT NULL, execution_id INT NOT NULL, type INT NOT NULL,
            milliseconds_since_epoch BIGINT, UNIQUE (artifact_id, execution_id, type));
        CREATE TABLE "EventPath" (event_id INT NOT NULL, is_index_step BOOLEAN NOT NULL, step_index INT, step_key TEXT);
        CREATE TABLE "Association" (id SERIAL PRIMARY KEY, context_id INT NOT NULL, execution_id INT NOT NULL, UNIQUE (context_id, execution_id));
        CREATE TABLE "Attribution" (id SERIAL PRIMARY KEY, context_id INT NOT NULL, artifact_id INT NOT NULL, UNIQUE (context_id, artifact_id));
        CREATE TABLE "MLMDEnv" (schema_version INTEGER PRIMARY KEY);
        """;

    /// <summary>A struct property as a test expects to read it back: the JSON Cairn keeps for it.</summary>
    public static readonly Struct Config = new()
    {
        Fields =
        {
            ["layers"] = Google.Protobuf.WellKnownTypes.Value.ForNumber(3),
            ["optimizer"] = Google.Protobuf.WellKnownTypes.Value.ForString("adam"),
            ["tags"] = Google.Protobuf.WellKnownTypes.Value.ForList(Google.Protobuf.WellKnownTypes.Value.ForString("a"), Google.Protobuf.WellKnownTypes.Value.ForBool(true)),
        },
    };

    public static string ConfigJson => JsonFormatter.Default.Format(Config);

    public const string ProtoTypeUrl = "type.googleapis.com/google.protobuf.StringValue";

    public static byte[] ProtoBytes => new StringValue { Value = "hello" }.ToByteArray();

    /// <summary>A new MLMD SQLite database file with the sample rows.</summary>
    public static async Task<string> CreateSqliteAsync(string directory, int schemaVersion = 10)
    {
        var path = Path.Combine(directory, "mlmd-" + Guid.NewGuid().ToString("N")[..8] + ".db");
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync();
        await ExecuteAsync(connection, SqliteSchema);
        await PopulateAsync(connection, schemaVersion);
        return path;
    }

    public static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// The sample: MLMD's nine system types (ids 1–9) and user types with gaps in their ids (10, 11, 12, 14); a dataset and
    /// a model, a training run that reads one and writes the other, an experiment with a child context. Every value kind
    /// appears, as a declared property and as a custom one.
    /// </summary>
    public static async Task PopulateAsync(DbConnection c, int schemaVersion = 10)
    {
        await InsertAsync(c, "MLMDEnv", ("schema_version", schemaVersion));
        string[] artifactSystem = ["mlmd.Dataset", "mlmd.Model", "mlmd.Metrics", "mlmd.Statistics"];
        string[] executionSystem = ["mlmd.Train", "mlmd.Transform", "mlmd.Process", "mlmd.Evaluate", "mlmd.Deploy"];
        var id = 1;
        foreach (var name in artifactSystem) await InsertAsync(c, "Type", ("id", id++), ("name", name), ("type_kind", 1));
        foreach (var name in executionSystem) await InsertAsync(c, "Type", ("id", id++), ("name", name), ("type_kind", 0));

        await InsertAsync(c, "Type", ("id", 10), ("name", "DataSet"), ("type_kind", 1), ("description", "Rows for training"), ("external_id", "type-dataset"));
        await InsertAsync(c, "ParentType", ("type_id", 10), ("parent_type_id", 1));
        await InsertAsync(c, "TypeProperty", ("type_id", 10), ("name", "day"), ("data_type", 1));
        await InsertAsync(c, "TypeProperty", ("type_id", 10), ("name", "split"), ("data_type", 3));

        await InsertAsync(c, "Type", ("id", 11), ("name", "Trainer"), ("version", "v2"), ("type_kind", 0), ("input_type", "{\"any\":{}}"), ("output_type", "{\"none\":{}}"));
        await InsertAsync(c, "ParentType", ("type_id", 11), ("parent_type_id", 5));
        await InsertAsync(c, "TypeProperty", ("type_id", 11), ("name", "learning_rate"), ("data_type", 2));
        await InsertAsync(c, "TypeProperty", ("type_id", 11), ("name", "config"), ("data_type", 4));
        await InsertAsync(c, "TypeProperty", ("type_id", 11), ("name", "spec"), ("data_type", 5));
        await InsertAsync(c, "TypeProperty", ("type_id", 11), ("name", "warm_start"), ("data_type", 6));

        await InsertAsync(c, "Type", ("id", 12), ("name", "Experiment"), ("type_kind", 2), ("description", "A group of runs"));
        await InsertAsync(c, "TypeProperty", ("type_id", 12), ("name", "owner"), ("data_type", 3));
        await InsertAsync(c, "Type", ("id", 14), ("name", "SavedModel"), ("type_kind", 1));

        await InsertAsync(c, "Artifact", ("id", 3), ("type_id", 10), ("uri", "s3://bucket/rows"), ("state", 2), ("name", "rows-2024-05-01"),
            ("external_id", "artifact-rows"), ("create_time_since_epoch", 1714564800000L), ("last_update_time_since_epoch", 1714564801000L));
        await PropertyAsync(c, "Artifact", 3, "day", custom: false, ("int_value", 20240501));
        await PropertyAsync(c, "Artifact", 3, "split", custom: false, ("string_value", "train"));
        await PropertyAsync(c, "Artifact", 3, "weight", custom: true, ("double_value", 0.25));
        await PropertyAsync(c, "Artifact", 3, "verified", custom: true, ("bool_value", true));
        await PropertyAsync(c, "Artifact", 3, "schema", custom: true, ("string_value", "mlmd-struct::" + Convert.ToBase64String(Config.ToByteArray())));
        await PropertyAsync(c, "Artifact", 3, "day", custom: true, ("string_value", "a custom property may share a declared one's name"));

        await InsertAsync(c, "Artifact", ("id", 7), ("type_id", 14), ("state", 1), ("create_time_since_epoch", 1714564900000L), ("last_update_time_since_epoch", 1714564900000L));
        await PropertyAsync(c, "Artifact", 7, "note", custom: true, ("proto_value", Any.Pack(new StringValue { Value = "hello" }).ToByteArray()));

        await InsertAsync(c, "Execution", ("id", 5), ("type_id", 11), ("last_known_state", 3), ("name", "train-1"), ("external_id", "run-1"),
            ("create_time_since_epoch", 1714564850000L), ("last_update_time_since_epoch", 1714564950000L));
        await PropertyAsync(c, "Execution", 5, "learning_rate", custom: false, ("double_value", 0.001));
        await PropertyAsync(c, "Execution", 5, "config", custom: false, ("string_value", "mlmd-struct::" + Convert.ToBase64String(Config.ToByteArray())));
        await PropertyAsync(c, "Execution", 5, "spec", custom: false, ("proto_value", Any.Pack(new StringValue { Value = "hello" }).ToByteArray()));
        await PropertyAsync(c, "Execution", 5, "warm_start", custom: false, ("bool_value", false));
        await PropertyAsync(c, "Execution", 5, "attempt", custom: true, ("int_value", 2));

        await InsertAsync(c, "Context", ("id", 2), ("type_id", 12), ("name", "exp1"), ("create_time_since_epoch", 1714564700000L), ("last_update_time_since_epoch", 1714564700000L));
        await PropertyAsync(c, "Context", 2, "owner", custom: false, ("string_value", "ana"));
        await InsertAsync(c, "Context", ("id", 4), ("type_id", 12), ("name", "exp1-part"), ("external_id", "ctx-4"), ("create_time_since_epoch", 1714564710000L), ("last_update_time_since_epoch", 1714564710000L));

        await InsertAsync(c, "Event", ("id", 20), ("artifact_id", 3), ("execution_id", 5), ("type", 3), ("milliseconds_since_epoch", 1714564860000L));
        await InsertAsync(c, "EventPath", ("event_id", 20), ("is_index_step", false), ("step_key", "examples"));
        await InsertAsync(c, "EventPath", ("event_id", 20), ("is_index_step", true), ("step_index", 0));
        await InsertAsync(c, "Event", ("id", 21), ("artifact_id", 7), ("execution_id", 5), ("type", 4), ("milliseconds_since_epoch", 1714564940000L));
        await InsertAsync(c, "EventPath", ("event_id", 21), ("is_index_step", false), ("step_key", "model"));

        await InsertAsync(c, "Attribution", ("id", 1), ("context_id", 2), ("artifact_id", 3));
        await InsertAsync(c, "Attribution", ("id", 2), ("context_id", 2), ("artifact_id", 7));
        await InsertAsync(c, "Association", ("id", 1), ("context_id", 2), ("execution_id", 5));
        await InsertAsync(c, "ParentContext", ("context_id", 4), ("parent_context_id", 2));
    }

    private static Task PropertyAsync(DbConnection c, string table, long node, string name, bool custom, (string Column, object Value) value) =>
        InsertAsync(c, table + "Property", (table.ToLowerInvariant() + "_id", node), ("name", name), ("is_custom_property", custom), value);

    public static async Task InsertAsync(DbConnection c, string table, params (string Column, object Value)[] values)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", values.Select(v => v.Column))}) VALUES ({string.Join(", ", values.Select((_, i) => "@p" + i))})";
        for (var i = 0; i < values.Length; i++)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = "@p" + i;
            p.Value = values[i].Value;
            cmd.Parameters.Add(p);
        }

        await cmd.ExecuteNonQueryAsync();
    }
}
