using System.Data.Common;
using System.Globalization;
using System.Text;

namespace Cairn.Store.Relational;

/// <summary>Writes rows that come with their ids (an import from another store) in one transaction.</summary>
internal interface IRawImport
{
    /// <summary>
    /// Compares <paramref name="data"/> with what the store holds and writes the rows it lacks, keeping their ids. Refuses,
    /// writing nothing, when a stored row has the same key but different content or the store holds rows the data does not.
    /// </summary>
    Task<ImportOutcome> ImportAsync(ImportData data, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default);
}

/// <summary>Everything to import, in Cairn's terms; ids are the source's.</summary>
internal sealed class ImportData
{
    public List<ImportType> Types { get; } = [];

    public List<ImportNode> Artifacts { get; } = [];

    public List<ImportNode> Executions { get; } = [];

    public List<ImportNode> Contexts { get; } = [];

    public List<ImportEvent> Events { get; } = [];

    public List<(long ContextId, long ArtifactId)> Attributions { get; } = [];

    public List<(long ContextId, long ExecutionId)> Associations { get; } = [];

    public List<(long ChildId, long ParentId)> ParentContexts { get; } = [];
}

/// <summary>A type with its source id; <see cref="BaseTypeId"/> is a source id too (of a system type).</summary>
internal sealed record ImportType(
    long Id, NodeKind Kind, string Name, string Version, string? Description, string? ExternalId, long? BaseTypeId,
    byte[]? InputType, byte[]? OutputType, IReadOnlyDictionary<string, PropertyType> Properties);

/// <summary>An artifact, execution or context with its source id and type id.</summary>
internal sealed record ImportNode(
    long Id, long TypeId, string? Name, string? ExternalId, string? Uri, int? State, long CreateTime, long UpdateTime,
    IReadOnlyList<ImportProperty> Properties);

/// <summary>One property value of a node.</summary>
internal sealed record ImportProperty(bool IsCustom, string Name, MetadataValue Value);

/// <summary>An event with its source id.</summary>
internal sealed record ImportEvent(long Id, long ArtifactId, long ExecutionId, int Type, long Time, IReadOnlyList<EventStep> Path);

/// <summary>Where an import is: <paramref name="Table"/> is being compared (<paramref name="Writing"/> false) or written.</summary>
internal sealed record ImportProgress(string Table, bool Writing, int Done, int Total);

/// <summary>Per table: rows in the source, rows written, rows that were already there.</summary>
internal sealed record ImportTableCount(string Table, int Source, int Written, int AlreadyPresent);

/// <summary>What an import did.</summary>
internal sealed record ImportOutcome(IReadOnlyList<ImportTableCount> Tables);

/// <summary>What the engine says about an import; tests assert through the same accessors.</summary>
internal static class ImportMessages
{
    private static string F(string format, params object?[] args) => string.Format(CultureInfo.InvariantCulture, format, args);

    public static string Conflicts(int count, IEnumerable<string> first) => F(
        "The store is neither empty nor an earlier import of this MLMD database, so nothing was written. {0} difference(s){1}: {2}. " +
        "Import into a new store, or into the store an earlier import of this database made.",
        count, count > ListedDifferences ? F(", the first {0}", ListedDifferences) : string.Empty, string.Join("; ", first));

    public const int ListedDifferences = 5;

    public static string DuplicateKey(string table, string key) => F("the MLMD database has two {0} rows with {1}", table, key);

    public static string ExtraRow(string table, string key) => F("{0} {1} is in the store but not in the MLMD database", table, key);

    public static string RowDiffers(string table, string key, string column, string stored, string incoming) =>
        F("{0} {1}: {2} is {3} in the store but {4} in the MLMD database", table, key, column, stored, incoming);
}

/// <summary>The engine side of an import: translate ids of system types, compare with the store, then insert what is missing.</summary>
internal static class ImportOperations
{
    private const int Batch = 2000;

    public static async Task<ImportOutcome> ImportAsync(Session s, ImportData data, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var systemIds = await SystemTypeIdsAsync(s, ct).ConfigureAwait(false);
        var typeIds = new Dictionary<long, long>();
        var userTypes = new List<ImportType>();
        foreach (var t in data.Types)
        {
            if (t.Version.Length == 0 && systemIds.TryGetValue((t.Kind, t.Name), out var id)) typeIds[t.Id] = id;
            else userTypes.Add(t);
        }

        long MapType(long id) => typeIds.TryGetValue(id, out var mapped) ? mapped : id;

        var tables = Tables(data, userTypes, MapType);
        var differences = new List<string>();
        var missing = new List<List<object?[]>>();
        var ignoredTypeKeys = systemIds.Values.Select(id => Key([id], 1)).ToHashSet(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            progress?.Report(new ImportProgress(table.Name, Writing: false, 0, table.Rows.Count));
            missing.Add(await CompareAsync(s, table, table.Name == "type" ? ignoredTypeKeys : null, differences, ct).ConfigureAwait(false));
            progress?.Report(new ImportProgress(table.Name, Writing: false, table.Rows.Count, table.Rows.Count));
        }

        if (differences.Count > 0) throw new FailedPreconditionException(ImportMessages.Conflicts(differences.Count, differences.Take(ImportMessages.ListedDifferences)));

        var counts = new List<ImportTableCount>();
        for (var i = 0; i < tables.Count; i++)
        {
            var table = tables[i];
            var rows = missing[i];
            for (var start = 0; start < rows.Count; start += Batch)
            {
                var chunk = rows.GetRange(start, Math.Min(Batch, rows.Count - start));
                await s.Backend.InsertRowsAsync(s, table.Name, table.Columns, chunk, ct).ConfigureAwait(false);
                progress?.Report(new ImportProgress(table.Name, Writing: true, start + chunk.Count, rows.Count));
            }

            if (rows.Count > 0 && table.HasIdSequence) await s.Backend.ContinueIdsAsync(s, table.Name, ct).ConfigureAwait(false);
            RecordCreated(s, table, rows);
            counts.Add(new ImportTableCount(table.Name, table.Rows.Count, rows.Count, table.Rows.Count - rows.Count));
        }

        return new ImportOutcome(counts);
    }

    private static async Task<Dictionary<(NodeKind, string), long>> SystemTypeIdsAsync(Session s, CancellationToken ct)
    {
        var names = SystemTypes.ArtifactTypeNames.Concat(SystemTypes.ExecutionTypeNames).ToList();
        var cmd = s.Command($"SELECT id, kind, name FROM type WHERE version = '' AND name IN ({s.Dialect.ListSource("@names")})");
        Session.Bind(cmd, "@names", s.Dialect.TextList(names));
        var rows = await s.QueryAsync(cmd, r => (Id: r.GetInt64(0), Kind: (NodeKind)r.GetInt32(1), Name: r.GetString(2)), ct).ConfigureAwait(false);
        return rows.ToDictionary(r => (r.Kind, r.Name), r => r.Id);
    }

    /// <summary>The rows of every table, in the order they can be written (referenced rows first).</summary>
    private static List<TableRows> Tables(ImportData data, List<ImportType> userTypes, Func<long, long> mapType)
    {
        var types = new TableRows("type", 1, hasIdSequence: true,
            ("id", typeof(long)), ("kind", typeof(int)), ("name", typeof(string)), ("version", typeof(string)), ("description", typeof(string)),
            ("external_id", typeof(string)), ("base_type_id", typeof(long)), ("input_type", typeof(byte[])), ("output_type", typeof(byte[])));
        var typeProperties = new TableRows("type_property", 2, hasIdSequence: false, ("type_id", typeof(long)), ("name", typeof(string)), ("data_type", typeof(int)));
        foreach (var t in userTypes.OrderBy(t => t.Id))
        {
            types.Rows.Add([t.Id, (int)t.Kind, t.Name, t.Version, t.Description, t.ExternalId, t.BaseTypeId is { } b ? mapType(b) : null, t.InputType, t.OutputType]);
            foreach (var (name, type) in t.Properties.OrderBy(p => p.Key, StringComparer.Ordinal)) typeProperties.Rows.Add([t.Id, name, (int)type]);
        }

        var tables = new List<TableRows> { types, typeProperties };
        var propertyTables = new List<TableRows>();
        foreach (var (table, nodes) in new[] { (NodeTable.Artifact, data.Artifacts), (NodeTable.Execution, data.Executions), (NodeTable.Context, data.Contexts) })
        {
            var columns = new List<(string, Type)> { ("id", typeof(long)), ("type_id", typeof(long)), ("name", typeof(string)), ("external_id", typeof(string)) };
            if (table.HasUri) columns.Add(("uri", typeof(string)));
            if (table.HasState) columns.Add(("state", typeof(int)));
            columns.Add(("create_time", typeof(long)));
            columns.Add(("update_time", typeof(long)));
            var rows = new TableRows(table.Table, 1, hasIdSequence: true, [.. columns]);
            var properties = new TableRows(table.PropertyTable, 3, hasIdSequence: false,
                ("node_id", typeof(long)), ("is_custom", typeof(int)), ("name", typeof(string)), ("kind", typeof(int)),
                ("int_value", typeof(long)), ("double_value", typeof(double)), ("string_value", typeof(string)), ("bytes_value", typeof(byte[])));
            foreach (var n in nodes.OrderBy(n => n.Id))
            {
                var row = new List<object?> { n.Id, mapType(n.TypeId), n.Name, n.ExternalId };
                if (table.HasUri) row.Add(n.Uri ?? string.Empty);
                if (table.HasState) row.Add(n.State);
                row.Add(n.CreateTime);
                row.Add(n.UpdateTime);
                rows.Rows.Add([.. row]);
                foreach (var p in n.Properties) properties.Rows.Add(ValueColumns.Row(n.Id, p.IsCustom, p.Name, p.Value));
            }

            tables.Add(rows);
            propertyTables.Add(properties);
        }

        tables.AddRange(propertyTables);

        var events = new TableRows("event", 1, hasIdSequence: true,
            ("id", typeof(long)), ("artifact_id", typeof(long)), ("execution_id", typeof(long)), ("type", typeof(int)), ("time", typeof(long)), ("path", typeof(string)));
        foreach (var e in data.Events.OrderBy(e => e.Id)) events.Rows.Add([e.Id, e.ArtifactId, e.ExecutionId, e.Type, e.Time, EdgeOperations.EncodePath(e.Path)]);
        tables.Add(events);

        tables.Add(Pairs("attribution", "context_id", "artifact_id", data.Attributions));
        tables.Add(Pairs("association", "context_id", "execution_id", data.Associations));
        tables.Add(Pairs("parent_context", "child_id", "parent_id", data.ParentContexts));
        return tables;
    }

    /// <summary>
    /// An import logs one create per entity it writes (types, nodes, events and edges; property rows are part of their node), so
    /// a reader of the change feed sees an imported store like one written call by call.
    /// </summary>
    private static void RecordCreated(Session s, TableRows table, List<object?[]> rows)
    {
        if (table.Name == "type")
        {
            foreach (var row in rows) ChangeOperations.Created(s, ChangeOperations.TypeEntity((NodeKind)(int)row[1]!), (long)row[0]!);
        }
        else if (EntitiesWithIds.TryGetValue(table.Name, out var entity))
        {
            foreach (var row in rows) ChangeOperations.Created(s, entity, (long)row[0]!);
        }
        else if (Edges.TryGetValue(table.Name, out var edge))
        {
            foreach (var row in rows) ChangeOperations.PairCreated(s, edge, table.Columns[0].Name, (long)row[0]!, table.Columns[1].Name, (long)row[1]!);
        }
    }

    private static readonly Dictionary<string, ChangeEntity> EntitiesWithIds = new(StringComparer.Ordinal)
    {
        ["artifact"] = ChangeEntity.Artifact,
        ["execution"] = ChangeEntity.Execution,
        ["context"] = ChangeEntity.Context,
        ["event"] = ChangeEntity.Event,
    };

    private static readonly Dictionary<string, ChangeEntity> Edges = new(StringComparer.Ordinal)
    {
        ["attribution"] = ChangeEntity.Attribution,
        ["association"] = ChangeEntity.Association,
        ["parent_context"] = ChangeEntity.ParentContext,
    };

    private static TableRows Pairs(string name, string first, string second, List<(long, long)> pairs)
    {
        var table = new TableRows(name, 2, hasIdSequence: false, (first, typeof(long)), (second, typeof(long)));
        foreach (var (a, b) in pairs.Distinct().OrderBy(p => p.Item1).ThenBy(p => p.Item2)) table.Rows.Add([a, b]);
        return table;
    }

    /// <summary>
    /// Reads the stored rows of one table and returns the source rows it lacks; stored rows that differ from the source, or
    /// that the source does not have (other than <paramref name="ignored"/>), are added to <paramref name="differences"/>.
    /// </summary>
    private static async Task<List<object?[]>> CompareAsync(Session s, TableRows table, HashSet<string>? ignored, List<string> differences, CancellationToken ct)
    {
        var source = new Dictionary<string, object?[]>(table.Rows.Count, StringComparer.Ordinal);
        foreach (var row in table.Rows)
        {
            var key = Key(row, table.KeyCount);
            if (!source.TryAdd(key, row)) differences.Add(ImportMessages.DuplicateKey(table.Name, Describe(table, row)));
        }

        var present = new HashSet<string>(StringComparer.Ordinal);
        var cmd = s.Command($"SELECT {string.Join(", ", table.Columns.Select(c => c.Name))} FROM {table.Name}");
        await using (var reader = await s.ReaderAsync(cmd, ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var stored = ReadRow(reader, table.Columns.Count);
                var key = Key(stored, table.KeyCount);
                if (ignored?.Contains(key) == true) continue;
                if (!source.TryGetValue(key, out var incoming))
                {
                    differences.Add(ImportMessages.ExtraRow(table.Name, Describe(table, stored)));
                    continue;
                }

                present.Add(key);
                for (var i = table.KeyCount; i < table.Columns.Count; i++)
                {
                    if (SameCell(Normalize(incoming[i]), stored[i])) continue;
                    differences.Add(ImportMessages.RowDiffers(table.Name, Describe(table, stored), table.Columns[i].Name, Show(stored[i]), Show(Normalize(incoming[i]))));
                    break;
                }
            }
        }

        return table.Rows.Where(r => !present.Contains(Key(r, table.KeyCount))).ToList();
    }

    private static object?[] ReadRow(DbDataReader reader, int count)
    {
        var row = new object?[count];
        for (var i = 0; i < count; i++) row[i] = Normalize(reader.IsDBNull(i) ? null : reader.GetValue(i));
        return row;
    }

    /// <summary>One representation per value whatever the provider returned: integers and booleans as long, reals as double.</summary>
    private static object? Normalize(object? value) => value switch
    {
        null or DBNull => null,
        bool b => b ? 1L : 0L,
        int or long or short or byte or sbyte or uint or ushort => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        float f => (double)f,
        ReadOnlyMemory<byte> m => m.ToArray(),
        _ => value,
    };

    private static bool SameCell(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (byte[] x, byte[] y) => x.AsSpan().SequenceEqual(y),
        (double x, double y) => x.Equals(y),
        (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
        (long x, long y) => x == y,
        _ => false,
    };

    private static string Key(object?[] row, int count)
    {
        var key = new StringBuilder();
        for (var i = 0; i < count; i++) key.Append(Show(Normalize(row[i]))).Append('\u001f');
        return key.ToString();
    }

    private static string Describe(TableRows table, object?[] row) =>
        string.Join(", ", Enumerable.Range(0, table.KeyCount).Select(i => table.Columns[i].Name + " " + Show(Normalize(row[i]))));

    private static string Show(object? value) => value switch
    {
        null => "NULL",
        byte[] bytes => "0x" + Convert.ToHexString(bytes),
        string text => text.Length > 60 ? "'" + text[..57] + "…'" : "'" + text + "'",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>The rows of one table; the first <see cref="KeyCount"/> columns identify a row.</summary>
    private sealed class TableRows
    {
        public TableRows(string name, int keyCount, bool hasIdSequence, params (string Name, Type Type)[] columns)
        {
            Name = name;
            KeyCount = keyCount;
            HasIdSequence = hasIdSequence;
            Columns = columns.Select(c => new BulkColumn(c.Name, c.Type)).ToArray();
        }

        public string Name { get; }

        public int KeyCount { get; }

        public bool HasIdSequence { get; }

        public IReadOnlyList<BulkColumn> Columns { get; }

        public List<object?[]> Rows { get; } = [];
    }
}
