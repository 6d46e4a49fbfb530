using System.Text.Json.Nodes;

namespace Cairn.Schemaspaces.Tests;

/// <summary>The schema fixtures (written by us in Elyra's shapes) and a fresh temporary directory per test.</summary>
public static class Fixtures
{
    public const string RuntimesId = "130b8e00-de7c-4b32-b553-b4a52824a3b5";
    public const string RuntimeImagesId = "119c9740-d73f-48c6-a97a-599d3acaf41d";
    public const string CodeSnippetsId = "aa60988f-8f7c-4d09-a243-c54ef9c2f7fb";

    public static string SchemasDirectory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "schemas");

    public static string BadSchemasDirectory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "bad");

    public static Task<SchemaCatalog> CatalogAsync() => SchemaCatalog.LoadAsync([new SchemaDirectoryProvider(SchemasDirectory)]);

    public static JsonObject Schema(string file) => (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(SchemasDirectory, file)))!;

    public const string ConnectionsId = "5b2a7c36-3f0e-4b8e-9a57-2c1d6e0f4a11";

    /// <summary>A schema of the <c>connections</c> schemaspace with two secret properties.</summary>
    public static JsonObject ConnectionSchema(bool withMigrations = false)
    {
        var schema = ConnectionSchemaV1();
        if (withMigrations)
        {
            // Version 2 renamed 'user' to 'username' and added 'port' (5432 for the instances that had none).
            schema["migrations"] = JsonNode.Parse("""
                [
                  { "version": 2, "steps": [
                    { "op": "rename", "from": "user", "to": "username" },
                    { "op": "set_default", "property": "port", "value": 5432 },
                    { "op": "remove", "property": "legacy_flag" }
                  ] }
                ]
                """);
        }

        return schema;
    }

    private static JsonObject ConnectionSchemaV1() => (JsonObject)JsonNode.Parse($$"""
        {
          "$schema": "http://json-schema.org/draft-07/schema#",
          "name": "database", "title": "Database",
          "schemaspace": "connections", "schemaspace_id": "{{ConnectionsId}}",
          "properties": {
            "schema_name": { "type": "string", "const": "database" },
            "display_name": { "type": "string", "minLength": 1 },
            "metadata": {
              "type": "object",
              "properties": {
                "host": { "type": "string" },
                "username": { "type": "string" },
                "port": { "type": "integer" },
                "password": { "type": "string", "minLength": 3, "secret": true },
                "options": { "type": "object", "secret": true }
              },
              "required": ["host", "username"],
              "additionalProperties": false
            }
          },
          "required": ["schema_name", "display_name", "metadata"]
        }
        """)!;

    public static Task<SchemaCatalog> ConnectionsCatalogAsync(params JsonObject[] schemas) =>
        SchemaCatalog.LoadAsync([new InMemorySchemasProvider(schemas.Length == 0 ? [ConnectionSchema()] : schemas)]);

    public static JsonObject Connection(string password = "hunter2-plain") => new()
    {
        ["display_name"] = "Warehouse",
        ["schema_name"] = "database",
        ["metadata"] = new JsonObject { ["host"] = "db.example.org", ["username"] = "etl", ["password"] = password },
    };

    public static JsonObject Snippet(string displayName = "Hello", string language = "Python") => new()
    {
        ["display_name"] = displayName,
        ["schema_name"] = "code-snippet",
        ["metadata"] = new JsonObject { ["language"] = language, ["code"] = new JsonArray("print('hello')") },
    };
}

/// <summary>A fresh temporary directory, deleted afterwards.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Path = Directory.CreateTempSubdirectory("cairn-ss-").FullName;

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
