using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Cairn.Schemaspaces;

/// <summary>A schema file (or declaration) that was not loaded, and why.</summary>
/// <param name="Source">Where it came from (a file path).</param>
/// <param name="Message">What is wrong, naming the meta-schema violation where there is one.</param>
public sealed record SchemaProblem(string Source, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => Source + " " + Message;
}

/// <summary>
/// Every loaded schemaspace with its schemas (Elyra's SchemaManager). Each schema is checked against the meta-schema;
/// a schema that fails is reported in <see cref="Problems"/> with its source and the violation, and the others still load.
/// </summary>
public sealed partial class SchemaCatalog
{
    private static readonly Lazy<SchemaValidator> MetaSchema = new(() => SchemaValidator.Build((JsonObject)JsonNode.Parse(MetaSchemaJson)!));

    private SchemaCatalog(IReadOnlyList<Schemaspace> schemaspaces, IReadOnlyList<SchemaProblem> problems)
    {
        Schemaspaces = schemaspaces;
        Problems = problems;
    }

    /// <summary>The loaded schemaspaces, ordered by name.</summary>
    public IReadOnlyList<Schemaspace> Schemaspaces { get; }

    /// <summary>The schema files and declarations that were not loaded, each with its reason.</summary>
    public IReadOnlyList<SchemaProblem> Problems { get; }

    /// <summary>The meta-schema every schema must conform to (draft-07, equivalent to Elyra's).</summary>
    public static string MetaSchemaJson
    {
        get
        {
            using var stream = typeof(SchemaCatalog).Assembly.GetManifestResourceStream("Cairn.Schemaspaces.meta-schema.json")!;
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
    }

    /// <summary>Loads the schemas of every provider, in order (the first definition of a schema wins).</summary>
    public static async Task<SchemaCatalog> LoadAsync(IEnumerable<ISchemasProvider> providers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(providers);
        var metaSchema = MetaSchema.Value;
        var problems = new List<SchemaProblem>();
        var spaces = new Dictionary<string, SpaceBuilder>(StringComparer.OrdinalIgnoreCase);
        var provided = new List<ProvidedSchemas>();
        var owners = new Dictionary<SchemaDocument, ISchemasProvider>(ReferenceEqualityComparer.Instance);
        foreach (var provider in providers)
        {
            var schemas = await provider.GetSchemasAsync(cancellationToken);
            provided.Add(schemas);
            foreach (var document in schemas.Schemas) owners[document] = provider;
        }

        foreach (var document in provided.SelectMany(p => p.Schemaspaces))
        {
            if (Declaration(document, out var problem) is { } declared) Register(spaces, declared, document.Source, problems);
            else problems.Add(new SchemaProblem(document.Source, problem!));
        }

        foreach (var document in provided.SelectMany(p => p.Schemas))
        {
            if (document.Json is not { } json)
            {
                problems.Add(new SchemaProblem(document.Source, document.Problem ?? SchemaspaceMessages.SchemaFileNotObject));
                continue;
            }

            if (metaSchema.Validate(json) is { } violation)
            {
                problems.Add(new SchemaProblem(document.Source, SchemaspaceMessages.SchemaFailsMetaSchema(violation)));
                continue;
            }

            if (json["schemaspace"] is not JsonValue spaceName || !spaceName.TryGetValue<string>(out var name) || json["schemaspace_id"] is null)
            {
                problems.Add(new SchemaProblem(document.Source, SchemaspaceMessages.SchemaNoSchemaspace));
                continue;
            }

            var id = Guid.Parse((string)json["schemaspace_id"]!);
            var implicitSpace = new SpaceBuilder(id, name, name, "", false, document.Source);
            if (!Register(spaces, implicitSpace, document.Source, problems)) continue;
            var space = spaces[name];
            var schemaName = (string)json["name"]!;
            if (space.Schemas.TryGetValue(schemaName, out var existing))
            {
                problems.Add(new SchemaProblem(document.Source, SchemaspaceMessages.SchemaDuplicate(schemaName, space.Name, existing.Source ?? "(in memory)")));
                continue;
            }

            SchemaValidator validator;
            try
            {
                validator = SchemaValidator.Build(json);
            }
#pragma warning disable CA1031 // Any failure to compile one schema is reported with its file; the others still load.
            catch (Exception e)
#pragma warning restore CA1031
            {
                problems.Add(new SchemaProblem(document.Source, SchemaspaceMessages.SchemaInvalidJsonSchema(e.Message)));
                continue;
            }

            space.Schemas[schemaName] = new MetadataSchema(json, validator, space.Name, space.Id, File.Exists(document.Source) ? document.Source : null, owners.GetValueOrDefault(document));
        }

        var schemaspaces = spaces.Values
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .Select(s => new Schemaspace(s.Id, s.Name, s.DisplayName, s.Description, s.Deprecated, [.. s.Schemas.Values.OrderBy(x => x.Name, StringComparer.Ordinal)]))
            .ToList();
        return new SchemaCatalog(schemaspaces, problems);
    }

    /// <summary>The schemaspace named <paramref name="nameOrId"/> (its name, ignoring case, or its id).</summary>
    /// <exception cref="NotFoundException">No loaded schemaspace has that name or id.</exception>
    public Schemaspace GetSchemaspace(string nameOrId)
    {
        ArgumentNullException.ThrowIfNull(nameOrId);
        return FindSchemaspace(nameOrId) ?? throw new NotFoundException(SchemaspaceMessages.SchemaspaceNotFound(nameOrId, Schemaspaces.Select(s => s.Name)));
    }

    /// <summary>The schemaspace named <paramref name="nameOrId"/>, or null.</summary>
    public Schemaspace? FindSchemaspace(string nameOrId) => Schemaspaces.FirstOrDefault(s => s.IsNamed(nameOrId));

    /// <summary>Validates a schema against the meta-schema: null when it conforms, else the first violation.</summary>
    public static Task<string?> CheckAgainstMetaSchemaAsync(JsonObject schema, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schema);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(MetaSchema.Value.Validate(schema));
    }

    private static bool Register(Dictionary<string, SpaceBuilder> spaces, SpaceBuilder candidate, string source, List<SchemaProblem> problems)
    {
        if (spaces.TryGetValue(candidate.Name, out var known))
        {
            if (known.Id == candidate.Id) return true;
            problems.Add(new SchemaProblem(source, SchemaspaceMessages.SchemaSchemaspaceIdMismatch(candidate.Name, candidate.Id.ToString(), known.Id.ToString(), known.Source)));
            return false;
        }

        if (spaces.Values.FirstOrDefault(s => s.Id == candidate.Id) is { } sameId)
        {
            problems.Add(new SchemaProblem(source, SchemaspaceMessages.SchemaSchemaspaceNameMismatch(candidate.Id.ToString(), candidate.Name, sameId.Name)));
            return false;
        }

        spaces[candidate.Name] = candidate;
        return true;
    }

    private static SpaceBuilder? Declaration(SchemaDocument document, out string? problem)
    {
        problem = null;
        if (document.Json is not { } json)
        {
            problem = document.Problem ?? SchemaspaceMessages.SchemaFileNotObject;
            return null;
        }

        var name = json["name"] is JsonValue n && n.TryGetValue<string>(out var s) ? s : null;
        var idText = json["id"] is JsonValue i && i.TryGetValue<string>(out var t) ? t : null;
        if (name is null || !SchemaspaceNamePattern().IsMatch(name))
        {
            problem = SchemaspaceMessages.SchemaspaceDeclarationInvalid("'name' must be letters, digits, '-' and '_', starting with a letter and ending with a letter or digit.");
            return null;
        }

        if (idText is null || !Guid.TryParse(idText, out var id))
        {
            problem = SchemaspaceMessages.SchemaspaceDeclarationInvalid("'id' must be a UUID.");
            return null;
        }

        var displayName = json["display_name"] is JsonValue d && d.TryGetValue<string>(out var dn) ? dn : name;
        var description = json["description"] is JsonValue de && de.TryGetValue<string>(out var ds) ? ds : "";
        var deprecated = json["deprecated"] is JsonValue dp && dp.TryGetValue<bool>(out var b) && b;
        return new SpaceBuilder(id, name, displayName, description, deprecated, document.Source);
    }

    [GeneratedRegex("^[A-Za-z][0-9A-Za-z_-]*[0-9A-Za-z]$")]
    private static partial Regex SchemaspaceNamePattern();

    private sealed class SpaceBuilder(Guid id, string name, string displayName, string description, bool deprecated, string source)
    {
        public Guid Id { get; } = id;

        public string Name { get; } = name;

        public string DisplayName { get; } = displayName;

        public string Description { get; } = description;

        public bool Deprecated { get; } = deprecated;

        public string Source { get; } = source;

        public Dictionary<string, MetadataSchema> Schemas { get; } = new(StringComparer.Ordinal);
    }
}
