using System.Data.Common;
using System.Text;

namespace Cairn.Store.Relational;

/// <summary>A stored type, kind-independent.</summary>
internal sealed class TypeData
{
    public long Id { get; init; }

    public NodeKind Kind { get; init; }

    public required string Name { get; init; }

    public string Version { get; init; } = string.Empty;

    public string? Description { get; init; }

    public string? ExternalId { get; set; }

    public string? BaseTypeName { get; set; }

    public byte[]? InputType { get; init; }

    public byte[]? OutputType { get; init; }

    public Dictionary<string, PropertyType> Properties { get; } = new(StringComparer.Ordinal);

    public MetadataType ToPublic()
    {
        string? version = Version.Length == 0 ? null : Version;
        return Kind switch
        {
            NodeKind.Artifact => new ArtifactType
            {
                Id = Id,
                Name = Name,
                Version = version,
                Description = Description,
                ExternalId = ExternalId,
                Properties = Properties,
                BaseType = SystemTypes.ArtifactBaseTypeOf(BaseTypeName),
            },
            NodeKind.Execution => new ExecutionType
            {
                Id = Id,
                Name = Name,
                Version = version,
                Description = Description,
                ExternalId = ExternalId,
                Properties = Properties,
                BaseType = SystemTypes.ExecutionBaseTypeOf(BaseTypeName),
                InputType = InputType,
                OutputType = OutputType,
            },
            _ => new ContextType
            {
                Id = Id,
                Name = Name,
                Version = version,
                Description = Description,
                ExternalId = ExternalId,
                Properties = Properties,
            },
        };
    }
}

/// <summary>Type reads and the MLMD type upsert.</summary>
internal static class TypeOperations
{
    private const string SelectTypes =
        "SELECT t.id, t.kind, t.name, t.version, t.description, t.external_id, b.name, t.input_type, t.output_type " +
        "FROM type t LEFT JOIN type b ON b.id = t.base_type_id ";

    /// <summary>Loads types matching a WHERE clause (on alias <c>t</c>) with their properties, in id order.</summary>
    public static async Task<List<TypeData>> LoadAsync(Session s, string where, Action<DbCommand> bind, CancellationToken ct)
    {
        var cmd = s.Command(SelectTypes + where + " ORDER BY t.id");
        bind(cmd);
        var types = await s.QueryAsync(cmd, r => new TypeData
        {
            Id = r.GetInt64(0),
            Kind = (NodeKind)r.GetInt32(1),
            Name = r.GetString(2),
            Version = r.GetString(3),
            Description = r.IsDBNull(4) ? null : r.GetString(4),
            ExternalId = r.IsDBNull(5) ? null : r.GetString(5),
            BaseTypeName = r.IsDBNull(6) ? null : r.GetString(6),
            InputType = r.IsDBNull(7) ? null : (byte[])r.GetValue(7),
            OutputType = r.IsDBNull(8) ? null : (byte[])r.GetValue(8),
        }, ct).ConfigureAwait(false);
        if (types.Count == 0) return types;

        var byId = types.ToDictionary(t => t.Id);
        var props = s.Command($"SELECT type_id, name, data_type FROM type_property WHERE type_id IN ({s.Dialect.ListSource("@ids")})");
        Session.Bind(props, "@ids", s.Dialect.IntList(byId.Keys));
        await using var reader = await s.ReaderAsync(props, ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            byId[reader.GetInt64(0)].Properties[reader.GetString(1)] = (PropertyType)reader.GetInt32(2);
        }

        return types;
    }

    public static async Task<TypeData?> FindByNameAsync(Session s, NodeKind kind, string name, string? version, CancellationToken ct)
    {
        var found = await LoadAsync(s, "WHERE t.kind = @k AND t.name = @n AND t.version = @v", c =>
        {
            Session.Bind(c, "@k", (int)kind);
            Session.Bind(c, "@n", name);
            Session.Bind(c, "@v", version ?? string.Empty);
        }, ct).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public static async Task<TypeData?> FindByIdAsync(Session s, NodeKind kind, long id, CancellationToken ct)
    {
        var found = await LoadAsync(s, "WHERE t.id = @id AND t.kind = @k", c =>
        {
            Session.Bind(c, "@id", id);
            Session.Bind(c, "@k", (int)kind);
        }, ct).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>The MLMD upsert: insert when (kind, name, version) is new, else check compatibility and add new properties.</summary>
    public static async Task<long> UpsertAsync(Session s, MetadataType type, TypeUpsertOptions options, CancellationToken ct)
    {
        if (!options.AllFieldsMatch) throw new UnimplementedException(Messages.AllFieldsMatchUnsupported);
        if (string.IsNullOrEmpty(type.Name)) throw new InvalidArgumentException(Messages.TypeNameMissing);
        foreach (var (name, propertyType) in type.Properties)
        {
            if (string.IsNullOrEmpty(name)) throw new InvalidArgumentException(Messages.TypePropertyNameEmpty);
            if (propertyType == PropertyType.Unknown || !Enum.IsDefined(propertyType))
                throw new InvalidArgumentException(Messages.TypePropertyUnknownType(name));
        }

        var kind = type.Kind;
        var version = type.Version ?? string.Empty;
        var externalId = string.IsNullOrEmpty(type.ExternalId) ? null : type.ExternalId;
        var stored = await FindByNameAsync(s, kind, type.Name, version, ct).ConfigureAwait(false);
        if (stored is null) return await InsertAsync(s, type, version, externalId, ct).ConfigureAwait(false);

        var problems = new StringBuilder();
        foreach (var (name, storedType) in stored.Properties)
        {
            if (type.Properties.TryGetValue(name, out var requested))
            {
                if (requested != storedType)
                    problems.Append($"property '{name}' is stored as {storedType.ToString().ToUpperInvariant()} but given as {requested.ToString().ToUpperInvariant()}; ");
            }
            else if (!options.CanOmitFields)
            {
                problems.Append($"stored property '{name}' is missing from the request (set can_omit_fields to allow); ");
            }
        }

        var added = type.Properties.Where(p => !stored.Properties.ContainsKey(p.Key)).ToList();
        if (added.Count > 0 && !options.CanAddFields)
            problems.Append($"new properties {string.Join(", ", added.Select(p => "'" + p.Key + "'"))} (set can_add_fields to allow); ");
        if (problems.Length > 0)
            throw new AlreadyExistsException(Messages.TypeAlreadyExistsDifferent(type.Name, problems.ToString().TrimEnd(' ', ';')));

        var changed = await SetBaseTypeAsync(s, type, stored.Id, stored.BaseTypeName, ct).ConfigureAwait(false);

        foreach (var (name, propertyType) in added)
        {
            var add = s.Command("INSERT INTO type_property (type_id, name, data_type) VALUES (@t, @n, @d)");
            Session.Bind(add, "@t", stored.Id);
            Session.Bind(add, "@n", name);
            Session.Bind(add, "@d", (int)propertyType);
            await s.ExecuteAsync(add, ct).ConfigureAwait(false);
        }

        if (externalId is not null && !string.Equals(externalId, stored.ExternalId, StringComparison.Ordinal))
        {
            var update = s.Command("UPDATE type SET external_id = @e WHERE id = @id");
            Session.Bind(update, "@e", externalId);
            Session.Bind(update, "@id", stored.Id);
            await ExecuteTypeWriteAsync(s, update, externalId, ct).ConfigureAwait(false);
            changed = true;
        }

        if (changed || added.Count > 0) ChangeOperations.TypeUpdated(s, stored);
        return stored.Id;
    }

    private static async Task<long> InsertAsync(Session s, MetadataType type, string version, string? externalId, CancellationToken ct)
    {
        if (type.BaseTypeIsExplicitlyUnset) throw new UnimplementedException(Messages.TypeBaseTypeDeletion);
        long? baseTypeId = null;
        if (type.BaseTypeName is { } baseName)
            baseTypeId = (await FindByNameAsync(s, type.Kind, baseName, null, ct).ConfigureAwait(false))?.Id;

        var insert = s.Command(
            "INSERT INTO type (kind, name, version, description, external_id, base_type_id, input_type, output_type) " +
            "VALUES (@k, @n, @v, @d, @e, @b, @i, @o) RETURNING id");
        Session.Bind(insert, "@k", (int)type.Kind);
        Session.Bind(insert, "@n", type.Name);
        Session.Bind(insert, "@v", version);
        Session.Bind(insert, "@d", type.Description);
        Session.Bind(insert, "@e", externalId);
        Session.Bind(insert, "@b", baseTypeId);
        var execution = type as ExecutionType;
        Session.Bind(insert, "@i", execution?.InputType?.ToArray());
        Session.Bind(insert, "@o", execution?.OutputType?.ToArray());
        var id = Convert.ToInt64(await ScalarTypeWriteAsync(s, insert, externalId, ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);

        foreach (var (name, propertyType) in type.Properties)
        {
            var add = s.Command("INSERT INTO type_property (type_id, name, data_type) VALUES (@t, @n, @d)");
            Session.Bind(add, "@t", id);
            Session.Bind(add, "@n", name);
            Session.Bind(add, "@d", (int)propertyType);
            await s.ExecuteAsync(add, ct).ConfigureAwait(false);
        }

        ChangeOperations.Created(s, ChangeOperations.TypeEntity(type.Kind), id);
        return id;
    }

    /// <summary>Sets the base type of a stored type that has none; true when it did.</summary>
    private static async Task<bool> SetBaseTypeAsync(Session s, MetadataType type, long typeId, string? storedBase, CancellationToken ct)
    {
        if (type.BaseTypeIsExplicitlyUnset) throw new UnimplementedException(Messages.TypeBaseTypeDeletion);
        var requested = type.BaseTypeName;
        if (requested is null || string.Equals(requested, storedBase, StringComparison.Ordinal)) return false;
        if (storedBase is not null) throw new UnimplementedException(Messages.TypeBaseTypeUpdate);
        var baseType = await FindByNameAsync(s, type.Kind, requested, null, ct).ConfigureAwait(false);
        var update = s.Command("UPDATE type SET base_type_id = @b WHERE id = @id");
        Session.Bind(update, "@b", baseType?.Id);
        Session.Bind(update, "@id", typeId);
        await s.ExecuteAsync(update, ct).ConfigureAwait(false);
        return true;
    }

    private static async Task ExecuteTypeWriteAsync(Session s, DbCommand command, string? externalId, CancellationToken ct)
    {
        try
        {
            await s.ExecuteAsync(command, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (s.Backend.IsUniqueViolation(e))
        {
            throw new AlreadyExistsException(Messages.TypeExternalIdConflict(externalId ?? string.Empty), e);
        }
    }

    private static async Task<object?> ScalarTypeWriteAsync(Session s, DbCommand command, string? externalId, CancellationToken ct)
    {
        try
        {
            return await s.ScalarAsync(command, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (s.Backend.IsUniqueViolation(e))
        {
            throw new AlreadyExistsException(Messages.TypeExternalIdConflict(externalId ?? string.Empty), e);
        }
    }
}
