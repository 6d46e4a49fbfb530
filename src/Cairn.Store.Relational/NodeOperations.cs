using System.Data.Common;
using System.Globalization;

namespace Cairn.Store.Relational;

/// <summary>Reads and writes of artifacts, executions and contexts: one code path for the three kinds.</summary>
internal static class NodeOperations
{
    // ------------------------------------------------------------------ reads

    /// <summary>Loads nodes selected by <c>SELECT … FROM node n JOIN type t {tail}</c>, then their properties in one more statement.</summary>
    public static Task<List<NodeData>> LoadAsync(Session s, NodeTable table, string tail, Action<DbCommand> bind, CancellationToken ct)
    {
        var cmd = s.Command($"SELECT {table.SelectColumns} FROM {table.From} {tail}");
        bind(cmd);
        return LoadAsync(s, table, cmd, ct);
    }

    private static async Task<List<NodeData>> LoadAsync(Session s, NodeTable table, DbCommand cmd, CancellationToken ct)
    {
        var nodes = await s.QueryAsync(cmd, NodeTable.ReadRow, ct).ConfigureAwait(false);
        await LoadPropertiesAsync(s, table, nodes, ct).ConfigureAwait(false);
        return nodes;
    }

    // Label rows come back in the property rows' shape with is_custom = LabelRow + label (2: tag, 3: owner).
    private const int LabelRow = 1;

    /// <summary>
    /// Reads the properties, tags and owners of <paramref name="nodes"/> in one statement (the label rows ride along with the
    /// property rows in a UNION ALL), so a read of nodes stays at two statements whatever it returns.
    /// </summary>
    public static async Task LoadPropertiesAsync(Session s, NodeTable table, List<NodeData> nodes, CancellationToken ct)
    {
        if (nodes.Count == 0) return;
        // One node (a read by id, the most common call) needs no lookup by id, and its statement is built once per table.
        var one = nodes.Count == 1 ? nodes[0] : null;
        Dictionary<long, NodeData>? byId = null;
        DbCommand cmd;
        if (one is not null)
        {
            cmd = s.Command(table.PropertiesOfOneSql);
            Session.Bind(cmd, "@id", one.Id);
        }
        else
        {
            byId = new Dictionary<long, NodeData>(nodes.Count);
            foreach (var n in nodes) byId[n.Id!.Value] = n;
            cmd = s.Command(PropertiesAndLabelsSql(table, $"node_id IN ({s.Dialect.ListSource("@ids")})"));
            Session.Bind(cmd, "@ids", s.Dialect.IntList(byId.Keys));
        }

        Dictionary<NodeData, (List<string> Tags, List<string> Owners)>? labels = null;
        await using (var r = await s.ReaderAsync(cmd, ct).ConfigureAwait(false))
        {
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                var node = one ?? byId![r.GetInt64(0)];
                var which = r.GetInt32(1);
                if (which <= LabelRow)
                {
                    var map = which != 0 ? node.CustomProperties : node.Properties;
                    map[r.GetString(2)] = ValueColumns.Read(r);
                    continue;
                }

                labels ??= [];
                if (!labels.TryGetValue(node, out var lists)) labels[node] = lists = ([], []);
                (which == LabelRow + LabelKinds.Tag ? lists.Tags : lists.Owners).Add(r.GetString(2));
            }
        }

        if (labels is null) return;
        foreach (var (node, (tags, owners)) in labels)
        {
            // The database's order of text may not be ordinal (collations): sort here, as the model promises.
            tags.Sort(StringComparer.Ordinal);
            owners.Sort(StringComparer.Ordinal);
            node.Tags = [.. tags];
            node.Owners = [.. owners];
        }
    }

    /// <summary>The properties, tags and owners of the nodes selected by <paramref name="where"/> on <c>node_id</c>.</summary>
    public static string PropertiesAndLabelsSql(NodeTable table, string where) =>
        $"SELECT {ValueColumns.Select} FROM {table.PropertyTable} WHERE {where} " +
        $"UNION ALL SELECT node_id, {LabelRow} + label, value, 0, NULL, NULL, NULL, NULL FROM {table.LabelTable} WHERE {where}";

    public static Task<List<NodeData>> LoadByIdsAsync(Session s, NodeTable table, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return Task.FromResult(new List<NodeData>());
        if (ids.Count == 1)
        {
            var cmd = s.Command(table.SelectOneSql);
            Session.Bind(cmd, "@id", ids.First());
            return LoadAsync(s, table, cmd, ct);
        }

        return LoadAsync(s, table, $"WHERE n.id IN ({s.Dialect.ListSource("@ids")}) ORDER BY n.id",
            c => Session.Bind(c, "@ids", s.Dialect.IntList(ids)), ct);
    }

    /// <summary>A page of nodes: <paramref name="join"/> and <paramref name="where"/> narrow the rows of alias <c>n</c>.</summary>
    /// <remarks><paramref name="idColumn"/> is the column the id order and keyset use: <c>n.id</c>, or the member column of a
    /// membership join, which lets a page of a large context come straight from the membership's primary key without a sort.</remarks>
    public static async Task<(List<NodeData> Nodes, string? Token)> ListAsync(
        Session s, NodeTable table, string join, string where, Action<DbCommand> bind, ListOptions? options, CancellationToken ct,
        string idColumn = "n.id")
    {
        var conditions = new List<string>();
        if (where.Length > 0) conditions.Add(where);
        if (options is null)
        {
            var all = await LoadAsync(s, table, join + WhereClause(conditions) + " ORDER BY " + idColumn, bind, ct).ConfigureAwait(false);
            return (all, null);
        }

        if (options.MaxResultSize <= 0) throw new InvalidArgumentException(Messages.MaxResultSizeInvalid(options.MaxResultSize));
        if (options.OrderBy is not (OrderByField.Id or OrderByField.CreateTime or OrderByField.LastUpdateTime))
            throw new InvalidArgumentException(Messages.OrderByUnspecified);
        if (FilterCompiler.Compile(options.FilterQuery, table, s.Dialect) is { } filter)
        {
            var outer = bind;
            join += filter.Join;
            conditions.Add(filter.Where);
            bind = c =>
            {
                outer(c);
                filter.Bind(c);
            };
        }

        var size = Math.Min(options.MaxResultSize, ListOptions.MaxPageSize);
        var asc = options.IsAscending;
        var column = options.OrderBy switch
        {
            OrderByField.CreateTime => "n.create_time",
            OrderByField.LastUpdateTime => "n.update_time",
            _ => idColumn,
        };
        var cmp = asc ? ">" : "<";
        PageToken? token = null;
        if (!string.IsNullOrEmpty(options.NextPageToken))
        {
            token = PageToken.Decode(options.NextPageToken);
            if (token.Field != options.OrderBy || token.Ascending != asc) throw new InvalidArgumentException(Messages.PageTokenMismatch);
            conditions.Add(options.OrderBy == OrderByField.Id
                ? $"{idColumn} {cmp} @kid"
                : $"({column} {cmp} @kf OR ({column} = @kf AND {idColumn} {cmp} @kid))");
        }

        var dir = asc ? "ASC" : "DESC";
        var order = options.OrderBy == OrderByField.Id ? $" ORDER BY {idColumn} {dir}" : $" ORDER BY {column} {dir}, {idColumn} {dir}";
        // The page size is written into the SQL, not bound: SQLite reads a bound LIMIT while planning, so binding another
        // value expires the prepared statement and every call would parse and plan it again (W10c). At most
        // MaxPageSize + 1 texts per query shape.
        var limit = " LIMIT " + (size + 1).ToString(CultureInfo.InvariantCulture);
        var nodes = await LoadAsync(s, table, join + WhereClause(conditions) + order + limit, c =>
        {
            bind(c);
            if (token is not null)
            {
                Session.Bind(c, "@kid", token.IdOffset);
                if (options.OrderBy != OrderByField.Id) Session.Bind(c, "@kf", token.FieldOffset);
            }
        }, ct).ConfigureAwait(false);

        string? next = null;
        if (nodes.Count > size)
        {
            nodes.RemoveAt(nodes.Count - 1);
            var last = nodes[^1];
            var fieldOffset = options.OrderBy switch
            {
                OrderByField.CreateTime => last.CreateTime,
                OrderByField.LastUpdateTime => last.UpdateTime,
                _ => last.Id!.Value,
            };
            next = new PageToken(options.OrderBy, asc, fieldOffset, last.Id!.Value).Encode();
        }

        return (nodes, next);
    }

    private static string WhereClause(List<string> conditions) =>
        conditions.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", conditions);

    // ------------------------------------------------------------------ writes

    /// <summary>Inserts or updates each node (MLMD <c>Put{Artifacts,Executions,Contexts}</c>) and returns the ids in request order.</summary>
    public static async Task<List<long>> PutAsync(
        Session s, NodeTable table, IReadOnlyList<Node> nodes, PutNodesOptions options, TypeCache types, CancellationToken ct)
    {
        if (nodes.Count > 1 && nodes.All(n => n?.Id is null))
            return await InsertManyAsync(s, table, nodes.Select(NodeData.From).ToList(), types, ct).ConfigureAwait(false);

        // A put of one new node is the whole call: its writes may carry the commit (one round trip on PostgreSQL).
        if (nodes.Count == 1 && nodes[0] is { Id: null } single)
            return [await InsertAsync(s, table, NodeData.From(single), 0, types, ct, lastOfCall: true).ConfigureAwait(false)];

        var ids = new List<long>(nodes.Count);
        for (var i = 0; i < nodes.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(nodes[i]);
            var request = NodeData.From(nodes[i]);
            ids.Add(await UpsertAsync(s, table, request, i, options, forceUpdateTime: false, types, ct).ConfigureAwait(false));
        }

        return ids;
    }

    private static readonly BulkColumn[] PropertyColumns =
    [
        new("node_id", typeof(long)), new("is_custom", typeof(int)), new("name", typeof(string)), new("kind", typeof(int)),
        new("int_value", typeof(long)), new("double_value", typeof(double)), new("string_value", typeof(string)), new("bytes_value", typeof(byte[])),
    ];

    private static readonly BulkColumn[] LabelColumns = [new("node_id", typeof(long)), new("label", typeof(int)), new("value", typeof(string))];

    /// <summary>Adds the label rows of <paramref name="node"/> (tags, then owners) for node <paramref name="id"/> to <paramref name="rows"/>.</summary>
    private static void AddLabelRows(List<object?[]> rows, long id, NodeData node)
    {
        foreach (var tag in node.Tags ?? []) rows.Add([id, LabelKinds.Tag, tag]);
        foreach (var owner in node.Owners ?? []) rows.Add([id, LabelKinds.Owner, owner]);
    }

    /// <summary>
    /// A batch of new nodes: validated first, checked for name and external-id conflicts in at most two statements, then written
    /// with reserved ids through the backend's bulk insert (set-based on PostgreSQL, prepared rows on SQLite).
    /// </summary>
    private static async Task<List<long>> InsertManyAsync(Session s, NodeTable table, List<NodeData> nodes, TypeCache types, CancellationToken ct)
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            await ValidateNewAsync(s, table, nodes[i], i, types, ct).ConfigureAwait(false);
            if (table.HasUri) nodes[i].Uri ??= string.Empty;
        }

        await CheckConflictsAsync(s, table, nodes, ct).ConfigureAwait(false);
        var ids = await s.Backend.AllocateIdsAsync(s, table.Table, nodes.Count, ct).ConfigureAwait(false);

        var columns = new List<BulkColumn> { new("id", typeof(long)), new("type_id", typeof(long)), new("name", typeof(string)), new("external_id", typeof(string)) };
        if (table.HasUri) columns.Add(new("uri", typeof(string)));
        if (table.HasState) columns.Add(new("state", typeof(int)));
        columns.Add(new("create_time", typeof(long)));
        columns.Add(new("update_time", typeof(long)));
        var rows = new List<object?[]>(nodes.Count);
        var properties = new List<object?[]>();
        var labels = new List<object?[]>();
        for (var i = 0; i < nodes.Count; i++)
        {
            var n = nodes[i];
            var row = new List<object?> { ids[i], n.TypeId, n.Name, n.ExternalId };
            if (table.HasUri) row.Add(n.Uri);
            if (table.HasState) row.Add(n.State);
            row.Add(s.Now);
            row.Add(s.Now);
            rows.Add([.. row]);
            foreach (var (name, value) in n.Properties) properties.Add(ValueColumns.Row(ids[i], custom: false, name, value));
            foreach (var (name, value) in n.CustomProperties) properties.Add(ValueColumns.Row(ids[i], custom: true, name, value));
            AddLabelRows(labels, ids[i], n);
        }

        try
        {
            await s.Backend.InsertRowsAsync(s, table.Table, columns, rows, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (s.Backend.IsUniqueViolation(e))
        {
            // Only a concurrent writer can get here: the conflicts of this batch were checked above.
            throw new AlreadyExistsException(Messages.NodeAlreadyExists(table.Kind, "a name or external_id of the batch was taken concurrently."), e);
        }

        if (properties.Count > 0) await s.Backend.InsertRowsAsync(s, table.PropertyTable, PropertyColumns, properties, ct).ConfigureAwait(false);
        if (labels.Count > 0) await s.Backend.InsertRowsAsync(s, table.LabelTable, LabelColumns, labels, ct).ConfigureAwait(false);
        var entity = ChangeOperations.NodeEntity(table.Kind);
        foreach (var id in ids) ChangeOperations.Created(s, entity, id);
        return [.. ids];
    }

    /// <summary>Refuses a batch whose names (per type) or external ids repeat within it or are already stored.</summary>
    private static async Task CheckConflictsAsync(Session s, NodeTable table, List<NodeData> nodes, CancellationToken ct)
    {
        var names = new Dictionary<(long, string), int>();
        var externalIds = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < nodes.Count; i++)
        {
            var n = nodes[i];
            if (n.Name is not null && !names.TryAdd((n.TypeId!.Value, n.Name), i))
                throw new AlreadyExistsException(Messages.NodeAlreadyExists(table.Kind, $"#{i}: the name '{n.Name}' is also used by #{names[(n.TypeId!.Value, n.Name)]} of the same type."));
            if (n.ExternalId is not null && !externalIds.TryAdd(n.ExternalId, i))
                throw new AlreadyExistsException(Messages.NodeAlreadyExists(table.Kind, $"#{i}: external_id '{n.ExternalId}' is also used by #{externalIds[n.ExternalId]}."));
        }

        if (names.Count > 0)
        {
            var cmd = s.Command($"SELECT type_id, name FROM {table.Table} WHERE name IN ({s.Dialect.ListSource("@names")})");
            Session.Bind(cmd, "@names", s.Dialect.TextList(names.Keys.Select(k => k.Item2).Distinct(StringComparer.Ordinal).ToList()));
            foreach (var (typeId, name) in await s.QueryAsync(cmd, r => (r.GetInt64(0), r.GetString(1)), ct).ConfigureAwait(false))
            {
                if (names.TryGetValue((typeId, name), out var i))
                    throw new AlreadyExistsException(Messages.NodeAlreadyExists(table.Kind, $"#{i}: the name '{name}' is already used by another {Messages.KindName(table.Kind)} of type {typeId}."));
            }
        }

        if (externalIds.Count > 0)
        {
            var cmd = s.Command($"SELECT external_id FROM {table.Table} WHERE external_id IN ({s.Dialect.ListSource("@externals")})");
            Session.Bind(cmd, "@externals", s.Dialect.TextList(externalIds.Keys.ToList()));
            var taken = await s.QueryAsync(cmd, r => r.GetString(0), ct).ConfigureAwait(false);
            if (taken.Count > 0)
                throw new AlreadyExistsException(Messages.NodeAlreadyExists(table.Kind, $"#{externalIds[taken[0]]}: external_id '{taken[0]}' is already used by another {Messages.KindName(table.Kind)}."));
        }
    }

    /// <summary>Inserts a node without an id, or updates the stored one with full-replacement or masked semantics.</summary>
    public static async Task<long> UpsertAsync(
        Session s, NodeTable table, NodeData request, int index, PutNodesOptions options, bool forceUpdateTime, TypeCache types, CancellationToken ct)
    {
        if (request.Id is null) return await InsertAsync(s, table, request, index, types, ct).ConfigureAwait(false);

        request.CheckLabels(table.Kind, index);
        var id = request.Id.Value;
        var found = await LoadByIdsAsync(s, table, [id], ct).ConfigureAwait(false);
        if (found.Count == 0) throw new InvalidArgumentException(Messages.NodeIdNotFound(table.Kind, id));
        var stored = found[0];
        if (request.TypeId is { } requestedType && requestedType != stored.TypeId)
            throw new InvalidArgumentException(Messages.NodeTypeIdChanged(table.Kind, id, stored.TypeId!.Value, requestedType));

        if (options.AbortIfLatestUpdatedTimeChanged && table.Kind == NodeKind.Artifact && request.RequestUpdateTime != stored.UpdateTime)
            throw new FailedPreconditionException(Messages.NodeUpdateTimeChanged(id, stored.UpdateTime, request.RequestUpdateTime ?? 0));

        var next = options.UpdateMask.Count == 0 ? Replace(table, stored, request) : Merge(table, stored, request, options.UpdateMask);
        if (table.Kind == NodeKind.Context && string.IsNullOrEmpty(next.Name)) throw new InvalidArgumentException(Messages.ContextNameEmpty);
        await types.ValidateAsync(s, table.Kind, stored.TypeId!.Value, next, ct).ConfigureAwait(false);

        if (!next.DiffersFrom(stored) && !forceUpdateTime) return id;

        next.UpdateTime = Math.Max(s.Now, stored.UpdateTime + 1);
        var update = s.Command(UpdateSql(table));
        BindColumns(update, table, next);
        Session.Bind(update, "@ut", next.UpdateTime);
        Session.Bind(update, "@id", id);
        await ExecuteNodeWriteAsync(s, table, update, next, index, ct).ConfigureAwait(false);
        await ReplacePropertiesAsync(s, table, id, stored, next, ct).ConfigureAwait(false);
        await ReplaceLabelsAsync(s, table, id, LabelKinds.Tag, stored.Tags, next.Tags, ct).ConfigureAwait(false);
        await ReplaceLabelsAsync(s, table, id, LabelKinds.Owner, stored.Owners, next.Owners, ct).ConfigureAwait(false);
        ChangeOperations.NodeUpdated(s, table.Kind, stored);
        return id;
    }

    /// <summary>Checks a node to be inserted against its type (type id present, type of this kind, properties declared and of the declared kind).</summary>
    public static async Task ValidateNewAsync(Session s, NodeTable table, NodeData node, int index, TypeCache types, CancellationToken ct)
    {
        node.CheckLabels(table.Kind, index);
        if (node.Id is not null) return;
        if (node.TypeId is not { } typeId) throw new InvalidArgumentException(Messages.NodeTypeIdMissing(table.Kind, index));
        if (await types.GetAsync(s, table.Kind, typeId, ct).ConfigureAwait(false) is null)
            throw new NotFoundException(Messages.TypeIdNotFound(typeId, table.Kind));
        if (table.Kind == NodeKind.Context && string.IsNullOrEmpty(node.Name)) throw new InvalidArgumentException(Messages.ContextNameEmpty);
        await types.ValidateAsync(s, table.Kind, typeId, node, ct).ConfigureAwait(false);
    }

    /// <summary>Inserts a new node and its property rows; <paramref name="lastOfCall"/> when nothing else of the call follows (they may carry the commit).</summary>
    private static async Task<long> InsertAsync(
        Session s, NodeTable table, NodeData node, int index, TypeCache types, CancellationToken ct, bool lastOfCall = false)
    {
        await ValidateNewAsync(s, table, node, index, types, ct).ConfigureAwait(false);
        var typeId = node.TypeId!.Value;
        if (table.HasUri) node.Uri ??= string.Empty;

        void Bind(DbCommand insert)
        {
            BindColumns(insert, table, node);
            Session.Bind(insert, "@t", typeId);
            Session.Bind(insert, "@ct", s.Now);
            Session.Bind(insert, "@ut", s.Now);
        }

        // The property rows take the new id from the node's row; 0 stands for it until it is known.
        var rows = new List<object?[]>(node.Properties.Count + node.CustomProperties.Count);
        foreach (var (name, value) in node.Properties) rows.Add(ValueColumns.Row(0L, custom: false, name, value));
        foreach (var (name, value) in node.CustomProperties) rows.Add(ValueColumns.Row(0L, custom: true, name, value));
        var labels = new List<object?[]>();
        AddLabelRows(labels, 0L, node);
        if (lastOfCall)
        {
            try
            {
                // The change log's row rides in the same statement (docs/history.md).
                BulkRows[] children =
                [
                    new(table.PropertyTable, PropertyColumns, rows), new(table.LabelTable, LabelColumns, labels),
                    new("change_log", ChangeOperations.CreatedNodeColumns, s.LogsChanges ? [ChangeOperations.CreatedNodeRow(s, table.Kind)] : []),
                ];
                if (await s.Backend.InsertAndCommitAsync(s, InsertSql(table), Bind, children, ct).ConfigureAwait(false) is { } written)
                    return written;
            }
            catch (Exception e) when (s.Backend.IsUniqueViolation(e))
            {
                // Property and label rows cannot collide (one per name, labels distinct), so the node's name or external id was taken.
                throw NodeAlreadyExists(table, node, index, e);
            }
        }

        var cmd = s.Command(InsertSql(table));
        Bind(cmd);
        var id = Convert.ToInt64(await ExecuteNodeWriteAsync(s, table, cmd, node, index, ct, scalar: true).ConfigureAwait(false), CultureInfo.InvariantCulture);
        foreach (var row in rows) row[0] = id;
        // One bulk call for every property row: a single statement on PostgreSQL, prepared rows on SQLite.
        if (rows.Count > 0) await s.Backend.InsertRowsAsync(s, table.PropertyTable, PropertyColumns, rows, ct).ConfigureAwait(false);
        if (labels.Count > 0)
        {
            foreach (var row in labels) row[0] = id;
            await s.Backend.InsertRowsAsync(s, table.LabelTable, LabelColumns, labels, ct).ConfigureAwait(false);
        }

        ChangeOperations.Created(s, ChangeOperations.NodeEntity(table.Kind), id);
        return id;
    }

    public static void ValidateProperties(NodeData node, TypeData type)
    {
        foreach (var (name, value) in node.Properties)
        {
            if (!type.Properties.TryGetValue(name, out var declared)) throw new InvalidArgumentException(Messages.NodeUnknownProperty(name, type.Name));
            if (value.MatchingPropertyType != declared) throw new InvalidArgumentException(Messages.NodeUnmatchedPropertyType(name, declared, value.Kind));
        }
    }

    /// <summary>Unmasked update: the request replaces every mutable field; artifact and execution names cannot change.</summary>
    private static NodeData Replace(NodeTable table, NodeData stored, NodeData request)
    {
        var next = stored.Clone();
        next.ExternalId = request.ExternalId;
        if (table.Kind == NodeKind.Context) next.Name = request.Name;
        if (table.HasUri) next.Uri = request.Uri ?? string.Empty;
        if (table.HasState) next.State = request.State;
        next.Properties = request.Properties;
        next.CustomProperties = request.CustomProperties;
        next.Tags = request.Tags ?? stored.Tags;
        next.Owners = request.Owners ?? stored.Owners;
        return next;
    }

    /// <summary>
    /// Masked update: only the listed paths are taken from the request; unknown paths are ignored. Tags and owners are not MLMD
    /// fields: as in a full update, a list given replaces them and null keeps them, whatever the mask.
    /// </summary>
    private static NodeData Merge(NodeTable table, NodeData stored, NodeData request, IReadOnlyList<string> mask)
    {
        var next = stored.Clone();
        next.Tags = request.Tags ?? stored.Tags;
        next.Owners = request.Owners ?? stored.Owners;
        var wholeProperties = mask.Contains("properties", StringComparer.Ordinal);
        var wholeCustom = mask.Contains("custom_properties", StringComparer.Ordinal);
        foreach (var path in mask)
        {
            switch (path)
            {
                case "external_id": next.ExternalId = request.ExternalId; break;
                case "name" when table.Kind == NodeKind.Context: next.Name = request.Name; break;
                case "uri" when table.HasUri: next.Uri = request.Uri ?? string.Empty; break;
                case "state" when table.Kind == NodeKind.Artifact: next.State = request.State; break;
                case "last_known_state" when table.Kind == NodeKind.Execution: next.State = request.State; break;
                case "properties": next.Properties = new(request.Properties, StringComparer.Ordinal); break;
                case "custom_properties": next.CustomProperties = new(request.CustomProperties, StringComparer.Ordinal); break;
                default:
                    if (!wholeProperties && path.StartsWith("properties.", StringComparison.Ordinal))
                        MergeKey(next.Properties, request.Properties, path["properties.".Length..]);
                    else if (!wholeCustom && path.StartsWith("custom_properties.", StringComparison.Ordinal))
                        MergeKey(next.CustomProperties, request.CustomProperties, path["custom_properties.".Length..]);
                    break;
            }
        }

        return next;
    }

    private static void MergeKey(Dictionary<string, MetadataValue> target, Dictionary<string, MetadataValue> source, string key)
    {
        if (key.Length == 0) return;
        if (source.TryGetValue(key, out var value)) target[key] = value;
        else target.Remove(key);
    }

    private static string InsertSql(NodeTable table) => table.Kind switch
    {
        NodeKind.Artifact => "INSERT INTO artifact (type_id, name, external_id, uri, state, create_time, update_time) VALUES (@t, @n, @e, @u, @s, @ct, @ut) RETURNING id",
        NodeKind.Execution => "INSERT INTO execution (type_id, name, external_id, state, create_time, update_time) VALUES (@t, @n, @e, @s, @ct, @ut) RETURNING id",
        _ => "INSERT INTO context (type_id, name, external_id, create_time, update_time) VALUES (@t, @n, @e, @ct, @ut) RETURNING id",
    };

    private static string UpdateSql(NodeTable table) => table.Kind switch
    {
        NodeKind.Artifact => "UPDATE artifact SET name = @n, external_id = @e, uri = @u, state = @s, update_time = @ut WHERE id = @id",
        NodeKind.Execution => "UPDATE execution SET name = @n, external_id = @e, state = @s, update_time = @ut WHERE id = @id",
        _ => "UPDATE context SET name = @n, external_id = @e, update_time = @ut WHERE id = @id",
    };

    private static void BindColumns(DbCommand cmd, NodeTable table, NodeData node)
    {
        Session.Bind(cmd, "@n", node.Name);
        Session.Bind(cmd, "@e", node.ExternalId);
        if (table.HasUri) Session.Bind(cmd, "@u", node.Uri ?? string.Empty);
        if (table.HasState) Session.Bind(cmd, "@s", node.State);
    }

    private static async Task<object?> ExecuteNodeWriteAsync(
        Session s, NodeTable table, DbCommand cmd, NodeData node, int index, CancellationToken ct, bool scalar = false)
    {
        try
        {
            return scalar ? await s.ScalarAsync(cmd, ct).ConfigureAwait(false) : await s.ExecuteAsync(cmd, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (s.Backend.IsUniqueViolation(e))
        {
            throw NodeAlreadyExists(table, node, index, e);
        }
    }

    private static AlreadyExistsException NodeAlreadyExists(NodeTable table, NodeData node, int index, Exception e)
    {
        var what = node.ExternalId is not null && (node.Name is null || e.Message.Contains("external_id", StringComparison.Ordinal))
            ? $"#{index}: external_id '{node.ExternalId}' is already used by another {Messages.KindName(table.Kind)}."
            : $"#{index}: the name '{node.Name}' is already used by another {Messages.KindName(table.Kind)} of type {node.TypeId}.";
        return new AlreadyExistsException(Messages.NodeAlreadyExists(table.Kind, what), e);
    }

    private static async Task InsertPropertiesAsync(
        Session s, NodeTable table, long id, Dictionary<string, MetadataValue> values, bool custom, CancellationToken ct)
    {
        foreach (var (name, value) in values)
        {
            var cmd = s.Command($"INSERT INTO {table.PropertyTable} (node_id, is_custom, name, kind, int_value, double_value, string_value, bytes_value) VALUES (@id, @c, @name, @kind, @iv, @dv, @sv, @bv)");
            Session.Bind(cmd, "@id", id);
            Session.Bind(cmd, "@c", custom ? 1 : 0);
            Session.Bind(cmd, "@name", name);
            ValueColumns.Bind(cmd, value);
            await s.ExecuteAsync(cmd, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes the labels of one kind that went away and inserts the new ones (both lists sorted and distinct).</summary>
    private static async Task ReplaceLabelsAsync(Session s, NodeTable table, long id, int label, string[]? before, string[]? after, CancellationToken ct)
    {
        before ??= [];
        after ??= [];
        if (before.AsSpan().SequenceEqual(after)) return;
        var removed = before.Except(after, StringComparer.Ordinal).ToList();
        if (removed.Count > 0)
        {
            var delete = s.Command($"DELETE FROM {table.LabelTable} WHERE node_id = @id AND label = @l AND value IN ({s.Dialect.ListSource("@values")})");
            Session.Bind(delete, "@id", id);
            Session.Bind(delete, "@l", label);
            Session.Bind(delete, "@values", s.Dialect.TextList(removed));
            await s.ExecuteAsync(delete, ct).ConfigureAwait(false);
        }

        var added = after.Except(before, StringComparer.Ordinal).Select(v => new object?[] { id, label, v }).ToList();
        if (added.Count > 0) await s.Backend.InsertRowsAsync(s, table.LabelTable, LabelColumns, added, ct).ConfigureAwait(false);
    }

    /// <summary>Writes only the property rows that changed.</summary>
    private static async Task ReplacePropertiesAsync(Session s, NodeTable table, long id, NodeData stored, NodeData next, CancellationToken ct)
    {
        await SyncAsync(stored.Properties, next.Properties, custom: false).ConfigureAwait(false);
        await SyncAsync(stored.CustomProperties, next.CustomProperties, custom: true).ConfigureAwait(false);

        async Task SyncAsync(Dictionary<string, MetadataValue> before, Dictionary<string, MetadataValue> after, bool custom)
        {
            foreach (var name in before.Keys)
            {
                if (after.TryGetValue(name, out var v) && v.Equals(before[name])) continue;
                var delete = s.Command($"DELETE FROM {table.PropertyTable} WHERE node_id = @id AND is_custom = @c AND name = @name");
                Session.Bind(delete, "@id", id);
                Session.Bind(delete, "@c", custom ? 1 : 0);
                Session.Bind(delete, "@name", name);
                await s.ExecuteAsync(delete, ct).ConfigureAwait(false);
            }

            var added = new Dictionary<string, MetadataValue>(StringComparer.Ordinal);
            foreach (var (name, value) in after)
            {
                if (!before.TryGetValue(name, out var old) || !old.Equals(value)) added[name] = value;
            }

            await InsertPropertiesAsync(s, table, id, added, custom, ct).ConfigureAwait(false);
        }
    }
}

/// <summary>
/// Type definitions read by this store, kept across calls: a type's declared properties can only grow, so a cached type that
/// lacks a property is read again before a node is refused for it.
/// </summary>
internal sealed class TypeCache
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(NodeKind, long), TypeData> _types = new();

    public async Task<TypeData?> GetAsync(Session s, NodeKind kind, long id, CancellationToken ct)
    {
        if (_types.TryGetValue((kind, id), out var type)) return type;
        type = await TypeOperations.FindByIdAsync(s, kind, id, ct).ConfigureAwait(false);
        if (type is not null) _types[(kind, id)] = type;
        return type;
    }

    /// <summary>Checks the node's properties against its type, reading the type again when the cached copy may be stale.</summary>
    public async Task ValidateAsync(Session s, NodeKind kind, long typeId, NodeData node, CancellationToken ct)
    {
        var type = await GetAsync(s, kind, typeId, ct).ConfigureAwait(false)
            ?? throw new NotFoundException(Messages.TypeIdNotFound(typeId, kind));
        if (node.Properties.Keys.All(type.Properties.ContainsKey))
        {
            NodeOperations.ValidateProperties(node, type);
            return;
        }

        _types.TryRemove((kind, typeId), out _);
        type = await GetAsync(s, kind, typeId, ct).ConfigureAwait(false) ?? throw new NotFoundException(Messages.TypeIdNotFound(typeId, kind));
        NodeOperations.ValidateProperties(node, type);
    }
}

/// <summary>A keyset page token: the order it was issued for and the last row's sort key.</summary>
internal sealed record PageToken(OrderByField Field, bool Ascending, long FieldOffset, long IdOffset)
{
    private const string Prefix = "c1";

    public string Encode()
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{Prefix}:{(int)Field}:{(Ascending ? 1 : 0)}:{FieldOffset}:{IdOffset}");
        return Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static PageToken Decode(string token)
    {
        try
        {
            var b64 = token.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=');
            var parts = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(b64)).Split(':');
            if (parts.Length != 5 || parts[0] != Prefix) throw new FormatException();
            var field = (OrderByField)int.Parse(parts[1], CultureInfo.InvariantCulture);
            if (field is not (OrderByField.Id or OrderByField.CreateTime or OrderByField.LastUpdateTime)) throw new FormatException();
            return new PageToken(field, parts[2] == "1",
                long.Parse(parts[3], CultureInfo.InvariantCulture), long.Parse(parts[4], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw new InvalidArgumentException(Messages.PageTokenInvalid, e);
        }
    }
}
