using System.Text.Json.Nodes;
using Cairn.Cli;
using Xunit;

namespace Cairn.Schemaspaces.Tests;

/// <summary>Schemas with code: a .NET assembly given to --schemas supplies schemas, their hooks and a coded migration.</summary>
public sealed class SchemaAssemblyTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private static string SampleAssembly => Path.Combine(AppContext.BaseDirectory, "Cairn.Schemaspaces.SampleProvider.dll");

    private string User => _temp.Combine("user");

    public void Dispose() => _temp.Dispose();

    private static MetadataInput Runtime(string endpoint, bool refuse = false) => new()
    {
        DisplayName = "Dev runtime",
        SchemaName = "sample-runtime",
        Metadata = refuse ? new JsonObject { ["endpoint"] = endpoint, ["refuse_after_save"] = true } : new JsonObject { ["endpoint"] = endpoint },
    };

    private async Task<MetadataManager> ManagerAsync()
    {
        var catalog = await SchemaCatalog.LoadAsync([SchemasProviders.FromPath(SampleAssembly), SchemasProviders.FromPath(Fixtures.SchemasDirectory)]);
        Assert.Empty(catalog.Problems);
        return new MetadataManager(catalog, "sample-runtimes", new FileInstanceStore([User]));
    }

    [Fact]
    public async Task An_assembly_supplies_its_schemaspace_and_schemas_beside_a_directory()
    {
        var catalog = await SchemaCatalog.LoadAsync([SchemasProviders.FromPath(SampleAssembly), SchemasProviders.FromPath(Fixtures.SchemasDirectory)]);

        Assert.Empty(catalog.Problems);
        var space = catalog.GetSchemaspace("sample-runtimes");
        Assert.Equal("Sample runtimes", space.DisplayName);
        Assert.Equal(Guid.Parse("5b0c6f0e-8a4e-4b8f-9a51-3f1f2f6a7c11"), space.Id);
        var schema = Assert.Single(space.Schemas);
        Assert.Equal("sample-runtime", schema.Name);
        Assert.IsType<SchemaAssemblyProvider>(schema.Provider);
        Assert.NotNull(catalog.GetSchemaspace("code-snippets"));
    }

    [Fact]
    public async Task The_assemblys_hooks_run_on_save_and_a_failing_post_save_hook_undoes_the_create()
    {
        var manager = await ManagerAsync();

        var created = await manager.CreateAsync(Runtime("http://dev:8080///"));
        Assert.Equal("http://dev:8080", (string)created.Metadata["endpoint"]!);
        Assert.Equal("http://dev:8080", (string)(await manager.GetAsync("dev_runtime")).Metadata["endpoint"]!);

        var refused = await Assert.ThrowsAsync<FailedPreconditionException>(() => manager.CreateAsync(Runtime("http://other:1", refuse: true) with { DisplayName = "Refused" }, default));
        Assert.Contains("refuses", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<NotFoundException>(() => manager.GetAsync("refused"));
    }

    [Fact]
    public async Task Migrate_runs_the_providers_code()
    {
        var manager = await ManagerAsync();
        await manager.CreateAsync(Runtime("http://dev:8080"));

        Assert.Equal(["dev_runtime"], await manager.MigrateAsync());
        Assert.Equal("sample-provider", (string)(await manager.GetAsync("dev_runtime")).Metadata["migrated_by"]!);
        Assert.Empty(await manager.MigrateAsync());
    }

    [Fact]
    public async Task A_file_that_is_not_an_assembly_or_has_no_provider_is_reported_with_its_path_and_the_rest_loads()
    {
        var fake = _temp.Combine("not-an-assembly.dll");
        await File.WriteAllTextAsync(fake, "this is text");
        var none = Path.Combine(AppContext.BaseDirectory, "Cairn.Core.dll");

        var catalog = await SchemaCatalog.LoadAsync([SchemasProviders.FromPath(fake), SchemasProviders.FromPath(none), SchemasProviders.FromPath(SampleAssembly)]);

        Assert.Equal(2, catalog.Problems.Count);
        Assert.Equal(fake, catalog.Problems[0].Source);
        Assert.StartsWith("cannot be loaded as a .NET assembly of schema providers: ", catalog.Problems[0].Message, StringComparison.Ordinal);
        Assert.Equal(none, catalog.Problems[1].Source);
        Assert.Equal(SchemaspaceMessages.SchemaAssemblyEmpty, catalog.Problems[1].Message);
        Assert.Equal("sample-runtime", Assert.Single(catalog.GetSchemaspace("sample-runtimes").Schemas).Name);
    }

    [Fact]
    public async Task The_cli_loads_an_assembly_from_schemas_runs_its_hooks_in_the_store_and_migrates_with_its_code()
    {
        var store = "sqlite://" + _temp.Combine("cairn.db");
        async Task<string> OkAsync(params string[] args)
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            string[] common = args[0] == "init" ? ["--store", store] : ["--schemas", SampleAssembly, "--store", store];
            var exit = await CairnCli.RunAsync([.. args, .. common], stdout, stderr);
            Assert.True(exit == ExitCodes.Success, $"cairn {string.Join(' ', args)} exited {exit}:\n{stdout}\n{stderr}");
            Assert.Equal(string.Empty, stderr.ToString());
            return stdout.ToString();
        }

        await OkAsync("init");
        await OkAsync("meta", "create", "sample-runtimes", "--schema_name", "sample-runtime", "--display_name", "Dev", "--endpoint", "http://dev:8080/");
        var listed = JsonNode.Parse(await OkAsync("meta", "list", "sample-runtimes", "--json"))!.AsArray();
        Assert.Equal("http://dev:8080", (string)Assert.Single(listed)!["metadata"]!["endpoint"]!);

        Assert.Equal("The following sample-runtimes instances were migrated: dev\n", await OkAsync("meta", "migrate", "sample-runtimes"));
        listed = JsonNode.Parse(await OkAsync("meta", "list", "sample-runtimes", "--json"))!.AsArray();
        Assert.Equal("sample-provider", (string)listed[0]!["metadata"]!["migrated_by"]!);
    }
}
