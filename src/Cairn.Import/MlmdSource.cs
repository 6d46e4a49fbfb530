using System.Data.Common;
using System.Globalization;
using Cairn.Store.Relational;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Data.Sqlite;
using Npgsql;
using M = Cairn.Grpc.Mlmd;

namespace Cairn.Import;

/// <summary>
/// An MLMD database (schema version 10) on SQLite or PostgreSQL, read into Cairn's terms. Both engines get the same
/// statements: MLMD's PostgreSQL tables have quoted mixed-case names, which SQLite accepts quoted too.
/// </summary>
internal sealed class MlmdSource
{
    private const string StructPrefix = "mlmd-struct::";

    private readonly string? _sqlitePath;
    private readonly string? _postgres;

    private MlmdSource(string? sqlitePath, string? postgres, string display)
    {
        _sqlitePath = sqlitePath;
        _postgres = postgres;
        Display = display;
    }

    /// <summary>The database for messages, password removed.</summary>
    public string Display { get; }

    /// <summary>A <c>postgres://</c> (or <c>postgresql://</c>) URI, a <c>sqlite:</c> URI, or a file path.</summary>
    public static MlmdSource Parse(string from)
    {
        var text = from.Trim();
        if (text.Length == 0) throw new InvalidArgumentException(MlmdMessages.SourceEmpty);
        if (text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return new MlmdSource(null, PostgresConnectionString(text), RedactPassword(text));
        }

        if (text.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            text = text["sqlite:".Length..];
            if (text.StartsWith("//", StringComparison.Ordinal)) text = text[2..];
        }

        return new MlmdSource(Path.GetFullPath(text), null, Path.GetFullPath(text));
    }

    /// <summary>Checks the schema version and reads every table.</summary>
    public async Task<(int Version, ImportData Data)> ReadAsync(IProgress<MlmdImportProgress>? progress, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var version = await SchemaVersionAsync(connection, ct).ConfigureAwait(false);
        if (version != MlmdImporter.SupportedSchemaVersion)
            throw new FailedPreconditionException(MlmdMessages.UnsupportedVersion(Display, version, MlmdImporter.SupportedSchemaVersion));

        var reader = new TableReader(connection, progress, ct);
        var data = new ImportData();
        await ReadTypesAsync(reader, data).ConfigureAwait(false);
        await ReadNodesAsync(reader, "Artifact", "artifact_id", data.Artifacts, hasUri: true, stateColumn: "state").ConfigureAwait(false);
        await ReadNodesAsync(reader, "Execution", "execution_id", data.Executions, hasUri: false, stateColumn: "last_known_state").ConfigureAwait(false);
        await ReadNodesAsync(reader, "Context", "context_id", data.Contexts, hasUri: false, stateColumn: null).ConfigureAwait(false);
        await ReadEventsAsync(reader, data, _postgres is null ? "rowid" : "ctid").ConfigureAwait(false);
        await reader.ReadAsync("Attribution", "SELECT context_id, artifact_id FROM \"Attribution\"", r => data.Attributions.Add((Long(r, 0), Long(r, 1)))).ConfigureAwait(false);
        await reader.ReadAsync("Association", "SELECT context_id, execution_id FROM \"Association\"", r => data.Associations.Add((Long(r, 0), Long(r, 1)))).ConfigureAwait(false);
        await reader.ReadAsync("ParentContext", "SELECT context_id, parent_context_id FROM \"ParentContext\"", r => data.ParentContexts.Add((Long(r, 0), Long(r, 1)))).ConfigureAwait(false);
        return (version, data);
    }

    private async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        DbConnection connection;
        if (_sqlitePath is not null)
        {
            // Read-only: an import never changes the MLMD database, and a missing file is an error rather than a new database.
            if (!File.Exists(_sqlitePath)) throw new NotFoundException(MlmdMessages.SourceMissing(_sqlitePath));
            connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _sqlitePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        }
        else
        {
            connection = new NpgsqlConnection(_postgres);
        }

        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            return connection;
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or ArgumentException or TimeoutException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new StoreUnavailableException(MlmdMessages.SourceCannotOpen(Display, e.Message), e);
        }
    }

    private async Task<int> SchemaVersionAsync(DbConnection connection, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT schema_version FROM \"MLMDEnv\"";
        object? value;
        try
        {
            value = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
        }
        catch (DbException e)
        {
            throw new FailedPreconditionException(MlmdMessages.NotMlmd(Display, e.Message), e);
        }

        if (value is null or DBNull) throw new FailedPreconditionException(MlmdMessages.NoSchemaVersion(Display));
        return Convert.ToInt32(value, CultureInfo.InvariantCulture);
    }

    private static async Task ReadTypesAsync(TableReader reader, ImportData data)
    {
        var rows = new List<(long Id, NodeKind Kind, string Name, string Version, string? Description, string? Input, string? Output, string? ExternalId)>();
        await reader.ReadAsync("Type", "SELECT id, name, version, type_kind, description, input_type, output_type, external_id FROM \"Type\"", r =>
        {
            var id = Long(r, 0);
            var kind = Long(r, 3) switch
            {
                0 => NodeKind.Execution,
                1 => NodeKind.Artifact,
                2 => NodeKind.Context,
                var k => throw new FailedPreconditionException(MlmdMessages.UnknownTypeKind(id, k)),
            };
            rows.Add((id, kind, Text(r, 1) ?? string.Empty, Text(r, 2) ?? string.Empty, Text(r, 4), Text(r, 5), Text(r, 6), NonEmpty(Text(r, 7))));
        }).ConfigureAwait(false);

        var parents = new Dictionary<long, long>();
        await reader.ReadAsync("ParentType", "SELECT type_id, parent_type_id FROM \"ParentType\" ORDER BY type_id, parent_type_id", r =>
        {
            var type = Long(r, 0);
            // MLMD's API gives a type one base type at most; more rows than that cannot be represented.
            if (!parents.TryAdd(type, Long(r, 1))) throw new FailedPreconditionException(MlmdMessages.SeveralBaseTypes(type));
        }).ConfigureAwait(false);

        var properties = new Dictionary<long, Dictionary<string, PropertyType>>();
        await reader.ReadAsync("TypeProperty", "SELECT type_id, name, data_type FROM \"TypeProperty\"", r =>
        {
            var type = Long(r, 0);
            if (!properties.TryGetValue(type, out var map)) properties[type] = map = new Dictionary<string, PropertyType>(StringComparer.Ordinal);
            map[Text(r, 1) ?? string.Empty] = (PropertyType)Long(r, 2);
        }).ConfigureAwait(false);

        foreach (var t in rows)
        {
            data.Types.Add(new ImportType(
                t.Id, t.Kind, t.Name, t.Version, t.Description, t.ExternalId, parents.TryGetValue(t.Id, out var b) ? b : null,
                StructType(t.Input, t.Id, "input_type"), StructType(t.Output, t.Id, "output_type"),
                properties.TryGetValue(t.Id, out var p) ? p : new Dictionary<string, PropertyType>(StringComparer.Ordinal)));
        }
    }

    private static async Task ReadNodesAsync(TableReader reader, string table, string idColumn, List<ImportNode> nodes, bool hasUri, string? stateColumn)
    {
        var properties = new Dictionary<long, List<ImportProperty>>();
        await reader.ReadAsync(table + "Property",
            $"SELECT {idColumn}, name, is_custom_property, int_value, double_value, string_value, proto_value, bool_value FROM \"{table}Property\" ORDER BY {idColumn}, is_custom_property, name",
            r =>
            {
                var node = Long(r, 0);
                var name = Text(r, 1) ?? string.Empty;
                if (!properties.TryGetValue(node, out var list)) properties[node] = list = [];
                list.Add(new ImportProperty(Long(r, 2) != 0, name, Value(r, table, node, name)));
            }).ConfigureAwait(false);

        var columns = "id, type_id, name, external_id, create_time_since_epoch, last_update_time_since_epoch"
            + (hasUri ? ", uri" : ", NULL") + (stateColumn is null ? ", NULL" : ", " + stateColumn);
        await reader.ReadAsync(table, $"SELECT {columns} FROM \"{table}\"", r =>
        {
            var id = Long(r, 0);
            nodes.Add(new ImportNode(
                id, Long(r, 1), Text(r, 2), NonEmpty(Text(r, 3)), Text(r, 6), r.IsDBNull(7) ? null : (int)Long(r, 7),
                r.IsDBNull(4) ? 0 : Long(r, 4), r.IsDBNull(5) ? 0 : Long(r, 5),
                properties.TryGetValue(id, out var list) ? list : []));
        }).ConfigureAwait(false);
    }

    private static async Task ReadEventsAsync(TableReader reader, ImportData data, string insertionOrder)
    {
        var paths = new Dictionary<long, List<EventStep>>();
        await reader.ReadAsync("EventPath", $"SELECT event_id, is_index_step, step_index, step_key FROM \"EventPath\" ORDER BY event_id, {insertionOrder}", r =>
        {
            var id = Long(r, 0);
            if (!paths.TryGetValue(id, out var steps)) paths[id] = steps = [];
            var isIndex = !r.IsDBNull(1) && Long(r, 1) != 0;
            steps.Add(isIndex && !r.IsDBNull(2) ? EventStep.ForIndex(Long(r, 2))
                : !isIndex && Text(r, 3) is { } key ? EventStep.ForKey(key)
                : EventStep.Empty);
        }).ConfigureAwait(false);

        await reader.ReadAsync("Event", "SELECT id, artifact_id, execution_id, type, milliseconds_since_epoch FROM \"Event\"", r =>
        {
            var id = Long(r, 0);
            data.Events.Add(new ImportEvent(id, Long(r, 1), Long(r, 2), (int)Long(r, 3), r.IsDBNull(4) ? 0 : Long(r, 4),
                paths.TryGetValue(id, out var steps) ? steps : []));
        }).ConfigureAwait(false);
    }

    /// <summary>A property row's value: MLMD fills one column per value, and keeps a struct as a prefixed base64 string.</summary>
    private static MetadataValue Value(DbDataReader r, string table, long node, string name)
    {
        if (!r.IsDBNull(6))
        {
            Any any;
            try
            {
                any = Any.Parser.ParseFrom((byte[])r.GetValue(6));
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new FailedPreconditionException(MlmdMessages.BadValue(table, node, name, "proto_value is not a serialized google.protobuf.Any: " + e.Message), e);
            }

            return MetadataValue.Proto(any.TypeUrl, any.Value.Span);
        }

        if (!r.IsDBNull(7)) return MetadataValue.Bool(Long(r, 7) != 0);
        if (Text(r, 5) is { } text)
        {
            if (!text.StartsWith(StructPrefix, StringComparison.Ordinal)) return MetadataValue.String(text);
            try
            {
                var value = Struct.Parser.ParseFrom(Convert.FromBase64String(text[StructPrefix.Length..]));
                return MetadataValue.Struct(JsonFormatter.Default.Format(value));
            }
            catch (Exception e) when (e is FormatException or InvalidProtocolBufferException)
            {
                throw new FailedPreconditionException(MlmdMessages.BadValue(table, node, name, "the struct is not base64 of a serialized google.protobuf.Struct: " + e.Message), e);
            }
        }

        if (!r.IsDBNull(4)) return MetadataValue.Double(r.GetDouble(4));
        if (!r.IsDBNull(3)) return MetadataValue.Int(Long(r, 3));
        return MetadataValue.None;
    }

    /// <summary>MLMD keeps an execution type's input/output struct type as JSON; Cairn keeps the serialized message.</summary>
    private static byte[]? StructType(string? json, long typeId, string column)
    {
        if (string.IsNullOrEmpty(json)) return null;
        try
        {
            return JsonParser.Default.Parse<M.ArtifactStructType>(json).ToByteArray();
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new FailedPreconditionException(MlmdMessages.BadStructType(typeId, column, e.Message), e);
        }
    }

    private static long Long(DbDataReader r, int i) => r.GetValue(i) switch
    {
        bool b => b ? 1 : 0,
        var v => Convert.ToInt64(v, CultureInfo.InvariantCulture),
    };

    private static string? Text(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetValue(i) switch
    {
        string s => s,
        byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
        var v => Convert.ToString(v, CultureInfo.InvariantCulture),
    };

    private static string? NonEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    internal static string PostgresConnectionString(string uri)
    {
        Uri parsed;
        try
        {
            parsed = new Uri(uri.Replace("postgresql://", "postgres://", StringComparison.OrdinalIgnoreCase));
        }
        catch (UriFormatException e)
        {
            throw new InvalidArgumentException(MlmdMessages.SourceUriInvalid(RedactPassword(uri), e.Message), e);
        }

        var b = new NpgsqlConnectionStringBuilder { Host = parsed.Host.Length > 0 ? parsed.Host : "localhost", Port = parsed.Port > 0 ? parsed.Port : 5432 };
        if (parsed.UserInfo.Length > 0)
        {
            var parts = parsed.UserInfo.Split(':', 2);
            b.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2) b.Password = Uri.UnescapeDataString(parts[1]);
        }

        var database = Uri.UnescapeDataString(parsed.AbsolutePath.Trim('/'));
        if (database.Length > 0) b.Database = database;
        foreach (var pair in parsed.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            try
            {
                b[Uri.UnescapeDataString(kv[0])] = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : string.Empty;
            }
            catch (ArgumentException e)
            {
                throw new InvalidArgumentException(MlmdMessages.SourceUriInvalid(RedactPassword(uri), e.Message), e);
            }
        }

        return b.ConnectionString;
    }

    private static string RedactPassword(string uri)
    {
        var scheme = uri.IndexOf("://", StringComparison.Ordinal);
        var at = uri.IndexOf('@', StringComparison.Ordinal);
        if (scheme < 0 || at < 0) return uri;
        var colon = uri.IndexOf(':', scheme + 3);
        return colon > 0 && colon < at ? uri[..(colon + 1)] + "***" + uri[at..] : uri;
    }

    /// <summary>Runs the reads of one import on one connection, reporting rows per table.</summary>
    private sealed class TableReader(DbConnection connection, IProgress<MlmdImportProgress>? progress, CancellationToken ct)
    {
        public async Task ReadAsync(string table, string sql, Action<DbDataReader> row)
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            var count = 0;
            progress?.Report(new MlmdImportProgress(MlmdImportPhase.Reading, table, 0, 0));
            try
            {
                await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    row(reader);
                    count++;
                }
            }
            catch (DbException e)
            {
                throw new FailedPreconditionException(MlmdMessages.TableUnreadable(table, e.Message), e);
            }

            progress?.Report(new MlmdImportProgress(MlmdImportPhase.Reading, table, count, count));
        }
    }
}
