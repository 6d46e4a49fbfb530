using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Cairn.Benchmarks;

/// <summary>A node to write, kind-independent: the same spec becomes a store request and the reference's rows.</summary>
internal sealed record NodeSpec(
    long TypeId,
    string? Name,
    string? ExternalId,
    string? Uri,
    int? State,
    IReadOnlyList<(string Name, bool Custom, MetadataValue Value)> Values)
{
    private Dictionary<string, MetadataValue> Map(bool custom) =>
        Values.Where(v => v.Custom == custom).ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);

    public Artifact ToArtifact() => new()
    {
        TypeId = TypeId,
        Name = Name,
        ExternalId = ExternalId,
        Uri = Uri,
        State = State is { } s ? (ArtifactState)s : null,
        Properties = Map(false),
        CustomProperties = Map(true),
    };

    public Execution ToExecution() => new()
    {
        TypeId = TypeId,
        Name = Name,
        ExternalId = ExternalId,
        LastKnownState = State is { } s ? (ExecutionState)s : null,
        Properties = Map(false),
        CustomProperties = Map(true),
    };

    public Context ToContext() => new()
    {
        TypeId = TypeId,
        Name = Name,
        ExternalId = ExternalId,
        Properties = Map(false),
        CustomProperties = Map(true),
    };
}

/// <summary>Deterministic data of performance.md §5.2: typed properties (int/double/string mix, strings U[8,64] bytes).</summary>
internal sealed class DataGen(int seed)
{
    private const string Letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public Random Random { get; } = new(seed);

    public static string PropertyName(int i) => "p" + i.ToString(CultureInfo.InvariantCulture);

    public static PropertyType PropertyTypeOf(int i) => (i % 3) switch
    {
        0 => PropertyType.Int,
        1 => PropertyType.Double,
        _ => PropertyType.String,
    };

    public static Dictionary<string, PropertyType> Properties(int count) =>
        Enumerable.Range(0, count).ToDictionary(PropertyName, PropertyTypeOf, StringComparer.Ordinal);

    public static ArtifactType ArtifactType(string name, int properties = BenchConfig.PropertiesPerNode) =>
        new() { Name = name, Properties = Properties(properties) };

    public static ExecutionType ExecutionType(string name, int properties = BenchConfig.PropertiesPerNode) =>
        new() { Name = name, Properties = Properties(properties) };

    public static ContextType ContextType(string name, int properties = 5) =>
        new() { Name = name, Properties = Properties(properties) };

    public MetadataValue Value(PropertyType type) => type switch
    {
        PropertyType.Int => MetadataValue.Int(Random.NextInt64(0, 1_000_000_000)),
        PropertyType.Double => MetadataValue.Double(Math.Round(Random.NextDouble() * 1000, 6)),
        _ => MetadataValue.String(Text(Random.Next(8, 65))),
    };

    public string Text(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++) chars[i] = Letters[Random.Next(Letters.Length)];
        return new string(chars);
    }

    public List<(string, bool, MetadataValue)> Values(int properties, int customProperties)
    {
        var values = new List<(string, bool, MetadataValue)>(properties + customProperties);
        for (var i = 0; i < properties; i++) values.Add((PropertyName(i), false, Value(PropertyTypeOf(i))));
        for (var i = 0; i < customProperties; i++) values.Add(("c" + i.ToString(CultureInfo.InvariantCulture), true, Value(PropertyTypeOf(i))));
        return values;
    }

    /// <summary>Artifact number <paramref name="k"/> of a dataset, named and located as in performance.md §4.2.</summary>
    public NodeSpec Artifact(string prefix, long k, long typeId, int properties = BenchConfig.PropertiesPerNode, int customProperties = 0) => new(
        typeId,
        string.Create(CultureInfo.InvariantCulture, $"{prefix}artifact-{k}"),
        string.Create(CultureInfo.InvariantCulture, $"{prefix}ext-artifact-{k}"),
        string.Create(CultureInfo.InvariantCulture, $"gs://bucket/pipeline-{k % 1000}/run-{k / 1000}/{prefix}artifact-{k}"),
        (int)ArtifactState.Live,
        Values(properties, customProperties));

    public NodeSpec Execution(string prefix, long k, long typeId, int properties = BenchConfig.PropertiesPerNode) => new(
        typeId, string.Create(CultureInfo.InvariantCulture, $"{prefix}execution-{k}"), null, null, (int)ExecutionState.Complete, Values(properties, 0));

    public NodeSpec Context(string prefix, long k, long typeId, int properties = 0) => new(
        typeId, string.Create(CultureInfo.InvariantCulture, $"{prefix}context-{k}"), null, null, null, Values(properties, 0));
}

/// <summary>Event paths encoded as the engine stores them: compact JSON, numbers are indexes, strings keys.</summary>
internal static class EventPaths
{
    public static IReadOnlyList<EventStep> Steps(string key, long index) => [EventStep.ForKey(key), EventStep.ForIndex(index)];

    public static string? Encode(IReadOnlyList<EventStep> path)
    {
        if (path.Count == 0) return null;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var step in path)
            {
                if (step.Index is { } i) w.WriteNumberValue(i);
                else if (step.Key is { } k) w.WriteStringValue(k);
                else w.WriteNullValue();
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}

/// <summary>
/// The reference writer: raw prepared INSERTs of exactly the rows the store writes (same columns, same value encoding:
/// property kind = <see cref="ValueKind"/>, bool and int in int_value), no validation reads.
/// </summary>
internal sealed class RawWriter : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _type;
    private readonly SqliteCommand _typeProperty;
    private readonly SqliteCommand _artifact;
    private readonly SqliteCommand _execution;
    private readonly SqliteCommand _context;
    private readonly SqliteCommand _artifactProperty;
    private readonly SqliteCommand _executionProperty;
    private readonly SqliteCommand _contextProperty;
    private readonly SqliteCommand _event;
    private readonly SqliteCommand _attribution;
    private readonly SqliteCommand _association;
    private readonly SqliteCommand[] _all;

    public RawWriter(SqliteConnection connection)
    {
        _connection = connection;
        _type = RawSqlite.Prepare(connection,
            "INSERT INTO type (kind, name, version, description, external_id, base_type_id, input_type, output_type) VALUES ($k, $n, '', NULL, NULL, NULL, NULL, NULL) RETURNING id",
            "$k", "$n");
        _typeProperty = RawSqlite.Prepare(connection, "INSERT INTO type_property (type_id, name, data_type) VALUES ($t, $n, $d)", "$t", "$n", "$d");
        _artifact = RawSqlite.Prepare(connection,
            "INSERT INTO artifact (type_id, name, external_id, uri, state, create_time, update_time) VALUES ($t, $n, $e, $u, $s, $ct, $ut) RETURNING id",
            "$t", "$n", "$e", "$u", "$s", "$ct", "$ut");
        _execution = RawSqlite.Prepare(connection,
            "INSERT INTO execution (type_id, name, external_id, state, create_time, update_time) VALUES ($t, $n, $e, $s, $ct, $ut) RETURNING id",
            "$t", "$n", "$e", "$s", "$ct", "$ut");
        _context = RawSqlite.Prepare(connection,
            "INSERT INTO context (type_id, name, external_id, create_time, update_time) VALUES ($t, $n, $e, $ct, $ut) RETURNING id",
            "$t", "$n", "$e", "$ct", "$ut");
        _artifactProperty = PrepareProperty("artifact_property");
        _executionProperty = PrepareProperty("execution_property");
        _contextProperty = PrepareProperty("context_property");
        _event = RawSqlite.Prepare(connection,
            "INSERT INTO event (artifact_id, execution_id, type, time, path) VALUES ($a, $x, $t, $time, $path)", "$a", "$x", "$t", "$time", "$path");
        _attribution = RawSqlite.Prepare(connection,
            "INSERT INTO attribution (context_id, artifact_id) VALUES ($c, $m) ON CONFLICT DO NOTHING", "$c", "$m");
        _association = RawSqlite.Prepare(connection,
            "INSERT INTO association (context_id, execution_id) VALUES ($c, $m) ON CONFLICT DO NOTHING", "$c", "$m");
        _all = [_type, _typeProperty, _artifact, _execution, _context, _artifactProperty, _executionProperty, _contextProperty, _event, _attribution, _association];
    }

    private SqliteCommand PrepareProperty(string table) => RawSqlite.Prepare(_connection,
        $"INSERT INTO {table} (node_id, is_custom, name, kind, int_value, double_value, string_value, bytes_value) VALUES ($id, $c, $name, $kind, $iv, $dv, $sv, NULL)",
        "$id", "$c", "$name", "$kind", "$iv", "$dv", "$sv");

    /// <summary>Begins a write transaction (BEGIN IMMEDIATE, as the store does) and attaches every command to it.</summary>
    public SqliteTransaction Begin()
    {
        var tx = _connection.BeginTransaction(deferred: false);
        foreach (var c in _all) c.Transaction = tx;
        return tx;
    }

    public long InsertType(MetadataType type)
    {
        _type.Parameters[0].Value = (int)type.Kind;
        _type.Parameters[1].Value = type.Name;
        var id = (long)_type.ExecuteScalar()!;
        foreach (var (name, propertyType) in type.Properties)
        {
            _typeProperty.Parameters[0].Value = id;
            _typeProperty.Parameters[1].Value = name;
            _typeProperty.Parameters[2].Value = (int)propertyType;
            _typeProperty.ExecuteNonQuery();
        }

        return id;
    }

    public long InsertArtifact(NodeSpec node, long now)
    {
        var p = _artifact.Parameters;
        p[0].Value = node.TypeId;
        p[1].Value = (object?)node.Name ?? DBNull.Value;
        p[2].Value = (object?)node.ExternalId ?? DBNull.Value;
        p[3].Value = node.Uri ?? string.Empty;
        p[4].Value = (object?)node.State ?? DBNull.Value;
        p[5].Value = now;
        p[6].Value = now;
        var id = (long)_artifact.ExecuteScalar()!;
        InsertProperties(_artifactProperty, id, node);
        return id;
    }

    public long InsertExecution(NodeSpec node, long now)
    {
        var p = _execution.Parameters;
        p[0].Value = node.TypeId;
        p[1].Value = (object?)node.Name ?? DBNull.Value;
        p[2].Value = (object?)node.ExternalId ?? DBNull.Value;
        p[3].Value = (object?)node.State ?? DBNull.Value;
        p[4].Value = now;
        p[5].Value = now;
        var id = (long)_execution.ExecuteScalar()!;
        InsertProperties(_executionProperty, id, node);
        return id;
    }

    public long InsertContext(NodeSpec node, long now)
    {
        var p = _context.Parameters;
        p[0].Value = node.TypeId;
        p[1].Value = (object?)node.Name ?? DBNull.Value;
        p[2].Value = (object?)node.ExternalId ?? DBNull.Value;
        p[3].Value = now;
        p[4].Value = now;
        var id = (long)_context.ExecuteScalar()!;
        InsertProperties(_contextProperty, id, node);
        return id;
    }

    public void InsertEvent(long artifactId, long executionId, EventType type, long time, string? path)
    {
        var p = _event.Parameters;
        p[0].Value = artifactId;
        p[1].Value = executionId;
        p[2].Value = (int)type;
        p[3].Value = time;
        p[4].Value = (object?)path ?? DBNull.Value;
        _event.ExecuteNonQuery();
    }

    public void InsertAttribution(long contextId, long artifactId) => InsertPair(_attribution, contextId, artifactId);

    public void InsertAssociation(long contextId, long executionId) => InsertPair(_association, contextId, executionId);

    private static void InsertPair(SqliteCommand command, long context, long member)
    {
        command.Parameters[0].Value = context;
        command.Parameters[1].Value = member;
        command.ExecuteNonQuery();
    }

    private static void InsertProperties(SqliteCommand command, long id, NodeSpec node)
    {
        var p = command.Parameters;
        foreach (var (name, custom, value) in node.Values)
        {
            object iv = DBNull.Value, dv = DBNull.Value, sv = DBNull.Value;
            switch (value.Kind)
            {
                case ValueKind.Int: iv = value.IntValue; break;
                case ValueKind.Bool: iv = value.BoolValue ? 1L : 0L; break;
                case ValueKind.Double: dv = value.DoubleValue; break;
                case ValueKind.String: sv = value.StringValue; break;
                case ValueKind.Struct: sv = value.StructJson; break;
                default: throw new NotSupportedException($"The reference writer does not write {value.Kind} values.");
            }

            p[0].Value = id;
            p[1].Value = custom ? 1 : 0;
            p[2].Value = name;
            p[3].Value = (int)value.Kind;
            p[4].Value = iv;
            p[5].Value = dv;
            p[6].Value = sv;
            command.ExecuteNonQuery();
        }
    }

    public void Dispose()
    {
        foreach (var c in _all) c.Dispose();
    }
}
