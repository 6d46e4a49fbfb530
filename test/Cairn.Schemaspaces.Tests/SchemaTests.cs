using System.Text.Json.Nodes;
using Xunit;

namespace Cairn.Schemaspaces.Tests;

public sealed class SchemaTests
{
    [Fact]
    public async Task The_fixture_schemas_load_into_their_schemaspaces()
    {
        var catalog = await Fixtures.CatalogAsync();

        Assert.Empty(catalog.Problems);
        Assert.Equal(["code-snippets", "runtime-images", "runtimes"], catalog.Schemaspaces.Select(s => s.Name));
        var runtimes = catalog.GetSchemaspace("runtimes");
        Assert.Equal(Guid.Parse(Fixtures.RuntimesId), runtimes.Id);
        Assert.Equal("Runtimes", runtimes.DisplayName);
        Assert.Equal(["airflow", "kfp"], runtimes.Schemas.Select(s => s.Name));
        Assert.Equal("code-snippets", catalog.GetSchemaspace("Code-Snippets").Name);
        Assert.Equal("code-snippets", catalog.GetSchemaspace(Fixtures.CodeSnippetsId).Name);
    }

    [Fact]
    public async Task An_unknown_schemaspace_is_not_found_and_the_message_lists_the_loaded_ones()
    {
        var catalog = await Fixtures.CatalogAsync();

        var e = Assert.Throws<NotFoundException>(() => catalog.GetSchemaspace("nope"));

        Assert.Equal(SchemaspaceMessages.SchemaspaceNotFound("nope", ["code-snippets", "runtime-images", "runtimes"]), e.Message);
    }

    [Fact]
    public async Task Bad_schema_files_are_reported_with_their_path_and_violation_and_the_others_still_load()
    {
        var catalog = await SchemaCatalog.LoadAsync([new SchemaDirectoryProvider(Fixtures.BadSchemasDirectory)]);

        Assert.Equal(["code-snippet"], catalog.GetSchemaspace("code-snippets").Schemas.Select(s => s.Name));
        var problems = catalog.Problems.ToDictionary(p => Path.GetFileName(p.Source), p => p.Message);
        Assert.Equal(3, problems.Count);
        Assert.StartsWith(SchemaspaceMessages.SchemaFileNotJson(""), problems["broken.json"], StringComparison.Ordinal);
        Assert.Equal(SchemaspaceMessages.SchemaFailsMetaSchema(SchemaspaceMessages.ValidationPattern("name", "^[a-z][a-z0-9-_]*[a-z0-9]$")), problems["bad-name.json"]);
        Assert.Equal(SchemaspaceMessages.SchemaFailsMetaSchema(SchemaspaceMessages.ValidationRequired("properties.metadata")), problems["no-metadata.json"]);
        Assert.All(catalog.Problems, p => Assert.StartsWith(Fixtures.BadSchemasDirectory, p.Source, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("schemaspace_id", "not-a-uuid", "schemaspace_id does not match the pattern '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'")]
    [InlineData("description", "0123456789012345678901234567890123456789012345678901234567890123456789012345678901", "description: \"0123456789012345678901234567890123456789012345678901234567890123456789012345678901\" is too long")]
    [InlineData("deprecated", "yes", "deprecated: \"yes\" is not of type 'boolean'")]
    public async Task The_meta_schema_rejects_a_bad_field_naming_it(string field, string value, string violation)
    {
        var schema = Fixtures.Schema("code-snippet.json");
        schema[field] = value;

        Assert.Equal(violation, await SchemaCatalog.CheckAgainstMetaSchemaAsync(schema));
    }

    [Theory]
    [InlineData("schemaspace_id")]
    [InlineData("name")]
    [InlineData("properties")]
    public async Task The_meta_schema_requires_the_schemaspace_id_the_name_and_the_properties(string field)
    {
        var schema = Fixtures.Schema("code-snippet.json");
        schema.Remove(field);

        Assert.Equal(SchemaspaceMessages.ValidationRequired(field), await SchemaCatalog.CheckAgainstMetaSchemaAsync(schema));
    }

    [Fact]
    public async Task The_meta_schema_accepts_a_schema_without_title_schema_or_uihints()
    {
        var schema = Fixtures.Schema("code-snippet.json");
        schema.Remove("$schema");
        schema.Remove("$id");
        schema.Remove("title");

        Assert.Null(await SchemaCatalog.CheckAgainstMetaSchemaAsync(schema));
    }

    [Fact]
    public async Task A_schema_without_its_schemaspace_name_is_reported()
    {
        var schema = Fixtures.Schema("code-snippet.json");
        schema.Remove("schemaspace");

        var catalog = await SchemaCatalog.LoadAsync([new InMemorySchemasProvider([schema])]);

        Assert.Empty(catalog.Schemaspaces);
        Assert.Equal(SchemaspaceMessages.SchemaNoSchemaspace, Assert.Single(catalog.Problems).Message);
    }

    [Fact]
    public async Task A_schema_naming_a_known_schemaspace_with_another_id_is_reported_and_skipped()
    {
        var other = Fixtures.Schema("code-snippet.json");
        other["name"] = "other-snippet";
        other["schemaspace_id"] = Fixtures.RuntimesId;

        var catalog = await SchemaCatalog.LoadAsync([new SchemaDirectoryProvider(Fixtures.SchemasDirectory), new InMemorySchemasProvider([other], source: "other.json")]);

        var problem = Assert.Single(catalog.Problems);
        Assert.Equal("other.json", problem.Source);
        Assert.Equal(["code-snippet"], catalog.GetSchemaspace("code-snippets").Schemas.Select(s => s.Name));
    }

    [Fact]
    public async Task A_schema_defined_twice_keeps_the_first_and_reports_the_second()
    {
        var again = Fixtures.Schema("code-snippet.json");
        var catalog = await SchemaCatalog.LoadAsync([new SchemaDirectoryProvider(Fixtures.SchemasDirectory), new InMemorySchemasProvider([again], source: "again.json")]);

        var problem = Assert.Single(catalog.Problems);
        Assert.Equal(SchemaspaceMessages.SchemaDuplicate("code-snippet", "code-snippets", Path.Combine(Fixtures.SchemasDirectory, "code-snippet.json")), problem.Message);
    }

    [Fact]
    public async Task The_metadata_properties_of_a_schema_are_described_for_the_command_line()
    {
        var kfp = (await Fixtures.CatalogAsync()).GetSchemaspace("runtimes").GetSchema("kfp");

        var endpoint = kfp.Properties.Single(p => p.Name == "api_endpoint");
        Assert.Equal("string", endpoint.Type);
        Assert.True(endpoint.Required);
        Assert.Equal("integer", kfp.Properties.Single(p => p.Name == "max_parallelism").Type);
        Assert.False(kfp.Properties.Single(p => p.Name == "tags").Required);
    }

    [Fact]
    public async Task Defaults_fill_missing_metadata_keys_and_keep_explicit_nulls()
    {
        var kfp = (await Fixtures.CatalogAsync()).GetSchemaspace("runtimes").GetSchema("kfp");
        var instance = new JsonObject
        {
            ["display_name"] = "KFP",
            ["schema_name"] = "kfp",
            ["metadata"] = new JsonObject { ["engine"] = null, ["max_parallelism"] = 2 },
        };

        kfp.ApplyDefaults(instance);

        var metadata = (JsonObject)instance["metadata"]!;
        Assert.True(metadata.ContainsKey("engine"));
        Assert.Null(metadata["engine"]);
        Assert.Equal(2, (int)metadata["max_parallelism"]!);
        Assert.True((bool)metadata["verify_tls"]!);
        Assert.False(metadata.ContainsKey("tags"));
    }

    [Theory]
    [InlineData("""{"language": "Python"}""", "'metadata.code' is a required property")]
    [InlineData("""{"language": "", "code": []}""", "metadata.language: \"\" is too short")]
    [InlineData("""{"language": "Python", "code": "x"}""", "metadata.code: \"x\" is not of type 'array'")]
    [InlineData("""{"language": "Python", "code": [], "tags": ["a", "a"]}""", "metadata.tags: [\"a\",\"a\"] has non-unique elements")]
    public async Task Validation_reports_the_first_error_naming_the_field(string metadata, string error)
    {
        var snippet = (await Fixtures.CatalogAsync()).GetSchemaspace("code-snippets").GetSchema("code-snippet");
        var instance = Fixtures.Snippet();
        instance["metadata"] = JsonNode.Parse(metadata);

        Assert.Equal(error, snippet.Validate(instance));
    }

    [Fact]
    public async Task Validation_checks_formats_and_constants()
    {
        var kfp = (await Fixtures.CatalogAsync()).GetSchemaspace("runtimes").GetSchema("kfp");
        var instance = new JsonObject
        {
            ["display_name"] = "KFP",
            ["schema_name"] = "airflow",
            ["metadata"] = new JsonObject { ["api_endpoint"] = "http://kfp:8888", ["cos_endpoint"] = "http://minio:9000", ["cos_bucket"] = "bucket" },
        };
        Assert.Equal("schema_name must be \"kfp\"", kfp.Validate(instance));
        instance["schema_name"] = "kfp";
        Assert.Null(kfp.Validate(instance));
        instance["metadata"]!["api_endpoint"] = "not a uri";
        Assert.Equal("metadata.api_endpoint: \"not a uri\" is not a 'uri'", kfp.Validate(instance));
    }

    [Fact]
    public async Task The_meta_schema_accepts_a_boolean_secret_marker_and_refuses_any_other()
    {
        var schema = Fixtures.ConnectionSchema();
        Assert.Null(await SchemaCatalog.CheckAgainstMetaSchemaAsync(schema));
        var catalog = await Fixtures.ConnectionsCatalogAsync();
        Assert.Equal(["password", "options"], catalog.GetSchemaspace("connections").GetSchema("database").SecretProperties);

        schema["properties"]!["metadata"]!["properties"]!["password"]!["secret"] = "yes";
        Assert.NotNull(await SchemaCatalog.CheckAgainstMetaSchemaAsync(schema));
    }

    [Fact]
    public async Task The_meta_schema_checks_declared_migrations()
    {
        var schema = Fixtures.ConnectionSchema(withMigrations: true);
        Assert.Null(await SchemaCatalog.CheckAgainstMetaSchemaAsync(schema));
        Assert.Equal(2, (await Fixtures.ConnectionsCatalogAsync(schema)).GetSchemaspace("connections").GetSchema("database").Version);
        Assert.Equal(0, (await Fixtures.ConnectionsCatalogAsync()).GetSchemaspace("connections").GetSchema("database").Version);

        schema["migrations"]![0]!["steps"]![0]!["op"] = "explode";
        Assert.NotNull(await SchemaCatalog.CheckAgainstMetaSchemaAsync(schema));
        schema["migrations"] = JsonNode.Parse("""[{"version": 2, "steps": [{"op": "rename", "from": "user"}]}]""");
        Assert.NotNull(await SchemaCatalog.CheckAgainstMetaSchemaAsync(schema));
    }
}
