namespace Cairn.Schemaspaces;

/// <summary>A container of schemas whose instances are stored together (Elyra's Schemaspace).</summary>
public sealed class Schemaspace
{
    internal Schemaspace(Guid id, string name, string displayName, string description, bool deprecated, IReadOnlyList<MetadataSchema> schemas)
    {
        Id = id;
        Name = name;
        DisplayName = displayName;
        Description = description;
        Deprecated = deprecated;
        Schemas = schemas;
    }

    /// <summary>The schemaspace's UUID, named by every schema file of the schemaspace.</summary>
    public Guid Id { get; }

    /// <summary>The symbolic name (<c>runtimes</c>, <c>code-snippets</c>); lookups ignore case.</summary>
    public string Name { get; }

    /// <summary>A descriptive name for people.</summary>
    public string DisplayName { get; }

    /// <summary>What the schemaspace holds.</summary>
    public string Description { get; }

    /// <summary>A deprecated schemaspace can be listed, exported and cleaned up, but not used to create, update or import instances.</summary>
    public bool Deprecated { get; }

    /// <summary>Every schema of the schemaspace, deprecated ones included, ordered by name.</summary>
    public IReadOnlyList<MetadataSchema> Schemas { get; }

    /// <summary>The schemas offered for new instances: the deprecated ones left out.</summary>
    public IEnumerable<MetadataSchema> ActiveSchemas => Schemas.Where(s => !s.Deprecated);

    /// <summary>The schema named <paramref name="name"/> (deprecated ones too, as Elyra fetches them by name).</summary>
    public MetadataSchema GetSchema(string name) =>
        FindSchema(name) ?? throw new NotFoundException(SchemaspaceMessages.SchemaNotFound(name, Name));

    /// <summary>The schema named <paramref name="name"/>, or null.</summary>
    public MetadataSchema? FindSchema(string name) => Schemas.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));

    /// <summary>Whether <paramref name="nameOrId"/> names this schemaspace (by name ignoring case, or by id).</summary>
    public bool IsNamed(string nameOrId) =>
        string.Equals(Name, nameOrId, StringComparison.OrdinalIgnoreCase)
        || (Guid.TryParse(nameOrId, out var id) && id == Id);
}
