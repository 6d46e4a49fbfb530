using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.Schemaspaces;

/// <summary>A JSON document a schemas provider supplies: a schema, or the declaration of a schemaspace.</summary>
/// <param name="Source">Where it came from, for messages (a file path).</param>
/// <param name="Json">The document, or null when it could not be read.</param>
/// <param name="Problem">Why it could not be read, when <paramref name="Json"/> is null.</param>
public sealed record SchemaDocument(string Source, JsonObject? Json, string? Problem = null);

/// <summary>What a schemas provider supplies: schemaspace declarations and schemas.</summary>
public sealed record ProvidedSchemas(IReadOnlyList<SchemaDocument> Schemaspaces, IReadOnlyList<SchemaDocument> Schemas);

/// <summary>A source of schemas (Elyra's SchemasProvider): a directory of schema files, or code.</summary>
public interface ISchemasProvider
{
    /// <summary>Reads the provider's schemaspace declarations and schemas; each is checked by the <see cref="SchemaCatalog"/>.</summary>
    Task<ProvidedSchemas> GetSchemasAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Migrates the stored instances of <paramref name="schema"/> (Elyra's <c>SchemasProvider.migrate</c>, called by
    /// <see cref="MetadataManager.MigrateAsync"/>) and returns the names of those migrated. By default, the schema's
    /// declared <c>migrations</c> are applied to the instances stored with an older <c>schema_version</c>; a provider
    /// with code can do more (move instances from another schemaspace, for instance).
    /// </summary>
    Task<IReadOnlyList<string>> MigrateAsync(MetadataManager manager, MetadataSchema schema, CancellationToken cancellationToken = default) =>
        manager.MigrateDeclaredAsync(schema, cancellationToken);
}

/// <summary>
/// Schemas from a directory of <c>*.json</c> files (or from one file): each file is one schema that names its
/// schemaspace (<c>schemaspace</c> and <c>schemaspace_id</c>), as Elyra's schema files do. A file named
/// <c>*.schemaspace.json</c> declares a schemaspace instead (<c>id</c>, <c>name</c>, <c>display_name</c>,
/// <c>description</c>, <c>deprecated</c>).
/// </summary>
public sealed class SchemaDirectoryProvider : ISchemasProvider
{
    /// <summary>The suffix of schemaspace declaration files.</summary>
    public const string SchemaspaceSuffix = ".schemaspace.json";

    /// <summary>Reads schemas from <paramref name="path"/>, a directory of schema files or one schema file.</summary>
    public SchemaDirectoryProvider(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The directory or file read.</summary>
    public string Path { get; }

    /// <inheritdoc/>
    public async Task<ProvidedSchemas> GetSchemasAsync(CancellationToken cancellationToken = default)
    {
        string[] files;
        if (File.Exists(Path)) files = [Path];
        else if (Directory.Exists(Path)) files = Directory.GetFiles(Path, "*.json").Order(StringComparer.Ordinal).ToArray();
        else throw new NotFoundException(SchemaspaceMessages.SchemasPathMissing(Path));

        var schemaspaces = new List<SchemaDocument>();
        var schemas = new List<SchemaDocument>();
        foreach (var file in files)
        {
            var document = await ReadAsync(file, cancellationToken);
            (file.EndsWith(SchemaspaceSuffix, StringComparison.OrdinalIgnoreCase) ? schemaspaces : schemas).Add(document);
        }

        return new ProvidedSchemas(schemaspaces, schemas);
    }

    private static async Task<SchemaDocument> ReadAsync(string file, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(file, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new SchemaDocument(file, null, SchemaspaceMessages.SchemaFileUnreadable(e.Message));
        }

        try
        {
            return JsonNode.Parse(text) is JsonObject json
                ? new SchemaDocument(file, json)
                : new SchemaDocument(file, null, SchemaspaceMessages.SchemaFileNotObject);
        }
        catch (JsonException e)
        {
            return new SchemaDocument(file, null, SchemaspaceMessages.SchemaFileNotJson(e.Message));
        }
    }
}

/// <summary>Schemas given in code (tests, and assemblies that ship schemas).</summary>
public sealed class InMemorySchemasProvider(IEnumerable<JsonObject> schemas, IEnumerable<JsonObject>? schemaspaces = null, string source = "(in memory)") : ISchemasProvider
{
    /// <inheritdoc/>
    public Task<ProvidedSchemas> GetSchemasAsync(CancellationToken cancellationToken = default) => Task.FromResult(new ProvidedSchemas(
        [.. (schemaspaces ?? []).Select(j => new SchemaDocument(source, (JsonObject)j.DeepClone()))],
        [.. schemas.Select(j => new SchemaDocument(source, (JsonObject)j.DeepClone()))]));
}
