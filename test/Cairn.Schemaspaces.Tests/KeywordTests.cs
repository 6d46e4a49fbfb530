using System.Text.Json.Nodes;
using Xunit;

namespace Cairn.Schemaspaces.Tests;

/// <summary>
/// The draft-06/07 keywords the first validator (NJsonSchema) skipped without a word: each is enforced now, and the
/// message names the field.
/// </summary>
public sealed class KeywordTests
{
    private const string Id = "8182fc28-899a-4521-8342-1a0e218c3a4d";

    [Theory]
    [InlineData("""{"const": "a"}""", "\"a\"", null)]
    [InlineData("""{"const": "a"}""", "\"b\"", "metadata.x must be \"a\"")]
    [InlineData("""{"const": 1}""", "2", "metadata.x must be 1")]
    [InlineData("""{"type": "array", "contains": {"const": 3}}""", "[1, 3]", null)]
    [InlineData("""{"type": "array", "contains": {"const": 3}}""", "[1, 2]", "metadata.x: no item matches the schema's 'contains'")]
    [InlineData("""{"type": "object", "propertyNames": {"pattern": "^[a-z]+$"}}""", """{"ok": 1}""", null)]
    [InlineData("""{"type": "object", "propertyNames": {"pattern": "^[a-z]+$"}}""", """{"Bad": 1}""", "metadata.x: the property name 'Bad' does not match the schema's 'propertyNames' (The string value is not a match for the indicated regular expression)")]
    [InlineData("""{"type": "object", "if": {"properties": {"kind": {"const": "s3"}}, "required": ["kind"]}, "then": {"required": ["bucket"]}, "else": {"required": ["path"]}}""", """{"kind": "s3", "bucket": "b"}""", null)]
    [InlineData("""{"type": "object", "if": {"properties": {"kind": {"const": "s3"}}, "required": ["kind"]}, "then": {"required": ["bucket"]}, "else": {"required": ["path"]}}""", """{"kind": "s3"}""", "'metadata.x.bucket' is a required property")]
    [InlineData("""{"type": "object", "if": {"properties": {"kind": {"const": "s3"}}, "required": ["kind"]}, "then": {"required": ["bucket"]}, "else": {"required": ["path"]}}""", """{"kind": "local"}""", "'metadata.x.path' is a required property")]
    [InlineData("""{"type": "object", "dependencies": {"user": ["password"]}}""", """{"user": "u", "password": "p"}""", null)]
    [InlineData("""{"type": "object", "dependencies": {"user": ["password"]}}""", """{"user": "u"}""", "metadata.x: Some required property dependencies are missing: [\"password\"]")]
    [InlineData("""{"type": "object", "dependencies": {"user": {"required": ["realm"]}}}""", """{"user": "u"}""", "'metadata.x.realm' is a required property")]
    [InlineData("""{"enum": ["Argo", "Tekton"]}""", "\"Kube\"", "metadata.x: \"Kube\" is not one of [\"Argo\",\"Tekton\"]")]
    [InlineData("""{"$ref": "#/definitions/port"}""", "70000", "metadata.x: 70000 should be at most 65535")]
    [InlineData("""{"type": "object", "additionalProperties": false, "properties": {"a": {}}}""", """{"a": 1, "b": 2}""", "'metadata.x.b' is not allowed (the schema allows no additional properties)")]
    [InlineData("""{"type": "array", "items": {"type": "integer"}}""", "[1, \"two\"]", "metadata.x[1]: \"two\" is not of type 'integer'")]
    public async Task Each_draft_07_keyword_is_enforced_and_the_message_names_the_field(string property, string value, string? error)
    {
        var schema = await SchemaWithAsync((JsonObject)JsonNode.Parse(property)!);
        var instance = new JsonObject
        {
            ["display_name"] = "T",
            ["schema_name"] = "test",
            ["metadata"] = new JsonObject { ["x"] = JsonNode.Parse(value) },
        };

        Assert.Equal(error, schema.Validate(instance));
    }

    [Fact]
    public async Task Const_on_schema_name_rejects_another_schema_name()
    {
        var schema = await SchemaWithAsync(new JsonObject { ["type"] = "string" });
        var instance = new JsonObject { ["display_name"] = "T", ["schema_name"] = "other", ["metadata"] = new JsonObject() };

        Assert.Equal("schema_name must be \"test\"", schema.Validate(instance));
    }

    [Fact]
    public async Task A_schema_with_a_malformed_keyword_is_reported_and_not_loaded()
    {
        var json = Schema(new JsonObject { ["type"] = 5 });

        var catalog = await SchemaCatalog.LoadAsync([new InMemorySchemasProvider([json], source: "bad.json")]);

        Assert.StartsWith(SchemaspaceMessages.SchemaInvalidJsonSchema(""), Assert.Single(catalog.Problems).Message, StringComparison.Ordinal);
    }

    private static async Task<MetadataSchema> SchemaWithAsync(JsonObject property)
    {
        var catalog = await SchemaCatalog.LoadAsync([new InMemorySchemasProvider([Schema(property)], source: "test.json")]);
        Assert.Empty(catalog.Problems);
        return catalog.GetSchemaspace("tests").GetSchema("test");
    }

    private static JsonObject Schema(JsonObject property) => new()
    {
        ["$schema"] = "http://json-schema.org/draft-07/schema#",
        ["name"] = "test",
        ["schemaspace"] = "tests",
        ["schemaspace_id"] = Id,
        ["definitions"] = new JsonObject { ["port"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = 65535 } },
        ["properties"] = new JsonObject
        {
            ["schema_name"] = new JsonObject { ["type"] = "string", ["const"] = "test" },
            ["display_name"] = new JsonObject { ["type"] = "string" },
            ["metadata"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["x"] = property } },
        },
        ["required"] = new JsonArray("schema_name", "display_name", "metadata"),
    };
}
