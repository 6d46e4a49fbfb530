using System.Net;
using System.Text.Json.Nodes;
using Cairn.Schemaspaces;
using Xunit;

namespace Cairn.Server.Tests;

/// <summary>
/// The schemaspace routes over real HTTP against an in-process server loading schema files (<c>--schemas</c>): Elyra's
/// /elyra routes with its status codes and error bodies, and /api/v1/schemaspaces with problem details.
/// </summary>
public sealed class SchemaspaceRouteTests : RestTestBase
{
    private const string Snippet = """{"display_name": "Hello World", "schema_name": "code-snippet", "metadata": {"language": "Python", "code": ["print(1)"]}}""";
    private readonly string _schemas = WriteSchemas();

    // The server's key file comes from the environment; one per test process (no other test of it uses secrets).
    static SchemaspaceRouteTests() => UseTestKeyFile();

    protected override ServerOptions Configure(ServerOptions options) => options with { SchemaPaths = [_schemas] };

    internal static void UseTestKeyFile()
    {
        if (Environment.GetEnvironmentVariable(SecretProtector.KeyFileVariable) is { Length: > 0 }) return;
        Environment.SetEnvironmentVariable(SecretProtector.KeyFileVariable, Path.Combine(Directory.CreateTempSubdirectory("cairn-key-").FullName, "secret.key"));
    }

    internal static string WriteSchemas()
    {
        var directory = Directory.CreateTempSubdirectory("cairn-schemas-").FullName;
        File.WriteAllText(Path.Combine(directory, "code-snippet.json"), """
            {
              "$schema": "http://json-schema.org/draft-07/schema#",
              "name": "code-snippet", "title": "Code Snippet",
              "schemaspace": "code-snippets", "schemaspace_id": "aa60988f-8f7c-4d09-a243-c54ef9c2f7fb",
              "properties": {
                "schema_name": { "type": "string", "const": "code-snippet" },
                "display_name": { "type": "string", "minLength": 1 },
                "metadata": {
                  "type": "object",
                  "properties": {
                    "language": { "type": "string", "minLength": 1 }, "code": { "type": "array", "items": { "type": "string" } },
                    "token": { "type": "string", "secret": true }
                  },
                  "required": ["language", "code"]
                }
              },
              "required": ["schema_name", "display_name", "metadata"]
            }
            """);
        File.WriteAllText(Path.Combine(directory, "old-snippet.json"), """
            {
              "name": "old-snippet", "deprecated": true,
              "schemaspace": "code-snippets", "schemaspace_id": "aa60988f-8f7c-4d09-a243-c54ef9c2f7fb",
              "properties": { "schema_name": {"const": "old-snippet"}, "display_name": {"type": "string"}, "metadata": {"type": "object"} }
            }
            """);
        File.WriteAllText(Path.Combine(directory, "retired.schemaspace.json"), """
            {"id": "8182fc28-899a-4521-8342-1a0e218c3a4d", "name": "retired", "display_name": "Retired", "description": "Gone.", "deprecated": true}
            """);
        File.WriteAllText(Path.Combine(directory, "retired-thing.json"), """
            {
              "name": "thing", "schemaspace": "retired", "schemaspace_id": "8182fc28-899a-4521-8342-1a0e218c3a4d",
              "properties": { "schema_name": {"const": "thing"}, "display_name": {"type": "string"}, "metadata": {"type": "object"} }
            }
            """);
        return directory;
    }

    /// <summary>Sends and asserts an Elyra error: the status, and the body {reason, message, timestamp}.</summary>
    private async Task<JsonObject> ElyraErrorAsync(HttpMethod method, string path, string? body, HttpStatusCode expected)
    {
        using var response = await SendAsync(method, path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = (JsonObject)JsonNode.Parse(text)!;
        Assert.Equal(Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase((int)expected), (string?)error["reason"]);
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", (string?)error["timestamp"]);
        return error;
    }

    [Fact]
    public async Task Elyra_metadata_routes_create_list_get_replace_and_delete_with_Elyras_status_codes()
    {
        using (var created = await SendAsync(HttpMethod.Post, "/elyra/metadata/code-snippets", Snippet))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Equal("/elyra/metadata/code-snippets/hello_world", created.Headers.Location?.OriginalString);
            var body = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
            Assert.Equal("""{"name":"hello_world","display_name":"Hello World","metadata":{"language":"Python","code":["print(1)"]},"schema_name":"code-snippet"}""", body.ToJsonString());
        }

        var list = await GetAsync("/elyra/metadata/Code-Snippets");
        Assert.Equal("hello_world", (string?)list!["Code-Snippets"]![0]!["name"]);
        Assert.Equal("Python", (string?)(await GetAsync("/elyra/metadata/code-snippets/hello_world"))!["metadata"]!["language"]);

        var replaced = await PutAsync("/elyra/metadata/code-snippets/hello_world", """{"display_name": "Hello R", "schema_name": "code-snippet", "metadata": {"language": "R", "code": []}}""");
        Assert.Equal("Hello R", (string?)replaced!["display_name"]);

        using (var deleted = await SendAsync(HttpMethod.Delete, "/elyra/metadata/code-snippets/hello_world"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
            Assert.Equal(string.Empty, await deleted.Content.ReadAsStringAsync());
        }

        Assert.Empty(((JsonArray)(await GetAsync("/elyra/metadata/code-snippets"))!["code-snippets"]!)!);
    }

    [Fact]
    public async Task Elyra_metadata_errors_have_Elyras_statuses_and_bodies()
    {
        await PostAsync("/elyra/metadata/code-snippets", Snippet, HttpStatusCode.Created);

        var exists = await ElyraErrorAsync(HttpMethod.Post, "/elyra/metadata/code-snippets", Snippet, HttpStatusCode.Conflict);
        Assert.Equal(SchemaspaceMessages.InstanceExists("hello_world", "code-snippets"), (string?)exists["message"]);

        var invalid = await ElyraErrorAsync(HttpMethod.Post, "/elyra/metadata/code-snippets", """{"display_name": "No code", "schema_name": "code-snippet", "metadata": {"language": "Python"}}""", HttpStatusCode.BadRequest);
        Assert.Equal(SchemaspaceMessages.InstanceValidationFailed("no_code", "code-snippet", "'metadata.code' is a required property"), (string?)invalid["message"]);

        var noSchema = await ElyraErrorAsync(HttpMethod.Post, "/elyra/metadata/code-snippets", """{"display_name": "X", "metadata": {}}""", HttpStatusCode.BadRequest);
        Assert.Equal(SchemaspaceMessages.InstanceMissingField("x", "code-snippets", "schema_name"), (string?)noSchema["message"]);
        await ElyraErrorAsync(HttpMethod.Post, "/elyra/metadata/code-snippets", """{"display_name": "X", "schema_name": "nope", "metadata": {}}""", HttpStatusCode.NotFound);
        await ElyraErrorAsync(HttpMethod.Post, "/elyra/metadata/code-snippets", """{"name": "Bad Name", "display_name": "X", "schema_name": "code-snippet", "metadata": {}}""", HttpStatusCode.BadRequest);
        await ElyraErrorAsync(HttpMethod.Post, "/elyra/metadata/code-snippets", "[1]", HttpStatusCode.BadRequest);

        var unknownSpace = await ElyraErrorAsync(HttpMethod.Get, "/elyra/metadata/nope", null, HttpStatusCode.BadRequest);
        Assert.StartsWith("No schemaspace named 'nope'", (string?)unknownSpace["message"], StringComparison.Ordinal);
        await ElyraErrorAsync(HttpMethod.Get, "/elyra/metadata/nope/x", null, HttpStatusCode.BadRequest);

        var missing = await ElyraErrorAsync(HttpMethod.Get, "/elyra/metadata/code-snippets/missing", null, HttpStatusCode.NotFound);
        Assert.Equal(SchemaspaceMessages.InstanceNotFound("missing", "code-snippets"), (string?)missing["message"]);
        await ElyraErrorAsync(HttpMethod.Put, "/elyra/metadata/code-snippets/missing", Snippet, HttpStatusCode.NotFound);
        await ElyraErrorAsync(HttpMethod.Delete, "/elyra/metadata/code-snippets/missing", null, HttpStatusCode.NotFound);

        var rename = await ElyraErrorAsync(HttpMethod.Put, "/elyra/metadata/code-snippets/hello_world", """{"name": "other", "display_name": "X", "schema_name": "code-snippet", "metadata": {"language": "R", "code": []}}""", HttpStatusCode.BadRequest);
        Assert.Equal(SchemaspaceMessages.InstanceRenameRefused("hello_world", "other"), (string?)rename["message"]);

        // Writing into a deprecated schemaspace is refused as Elyra refuses a forbidden write (FailedPrecondition → 403).
        var forbidden = await ElyraErrorAsync(HttpMethod.Post, "/elyra/metadata/retired", """{"display_name": "T", "schema_name": "thing", "metadata": {}}""", HttpStatusCode.Forbidden);
        Assert.Equal(SchemaspaceMessages.SchemaspaceDeprecated("retired", "create"), (string?)forbidden["message"]);
    }

    [Fact]
    public async Task Elyra_schema_and_schemaspace_routes_list_and_fetch_and_answer_404_for_anything_unknown()
    {
        var schemas = (JsonArray)(await GetAsync("/elyra/schema/code-snippets"))!["code-snippets"]!;
        Assert.Equal(["code-snippet"], schemas.Select(s => (string?)s!["name"]));
        Assert.Equal("old-snippet", (string?)(await GetAsync("/elyra/schema/code-snippets/old-snippet"))!["name"]);
        await ElyraErrorAsync(HttpMethod.Get, "/elyra/schema/code-snippets/nope", null, HttpStatusCode.NotFound);
        await ElyraErrorAsync(HttpMethod.Get, "/elyra/schema/nope", null, HttpStatusCode.NotFound);

        Assert.Equal("""{"schemaspaces":["code-snippets"]}""", (await GetAsync("/elyra/schemaspace"))!.ToJsonString());
        var space = await GetAsync("/elyra/schemaspace/CODE-SNIPPETS");
        Assert.Equal("""{"name":"code-snippets","id":"aa60988f-8f7c-4d09-a243-c54ef9c2f7fb","display_name":"code-snippets","description":""}""", space!.ToJsonString());
        await ElyraErrorAsync(HttpMethod.Get, "/elyra/schemaspace/nope", null, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Api_v1_schemaspace_routes_read_the_catalog_and_manage_instances_with_problem_details()
    {
        var spaces = (JsonArray)(await GetAsync("/api/v1/schemaspaces"))!["schemaspaces"]!;
        Assert.Equal(["code-snippets", "retired"], spaces.Select(s => (string?)s!["name"]));
        Assert.True((bool)(await GetAsync("/api/v1/schemaspaces/retired"))!["deprecated"]!);
        Assert.Equal(2, ((JsonArray)(await GetAsync("/api/v1/schemaspaces/code-snippets/schemas"))!["schemas"]!).Count);
        Assert.Equal("code-snippet", (string?)(await GetAsync("/api/v1/schemaspaces/code-snippets/schemas/code-snippet"))!["name"]);
        await ProblemAsync(HttpMethod.Get, "/api/v1/schemaspaces/nope", null, HttpStatusCode.NotFound);
        await ProblemAsync(HttpMethod.Get, "/api/v1/schemaspaces/code-snippets/schemas/nope", null, HttpStatusCode.NotFound);

        using (var created = await SendAsync(HttpMethod.Post, "/api/v1/schemaspaces/code-snippets/instances", Snippet))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Equal("/api/v1/schemaspaces/code-snippets/instances/hello_world", created.Headers.Location?.OriginalString);
        }

        var conflict = await ProblemAsync(HttpMethod.Post, "/api/v1/schemaspaces/code-snippets/instances", Snippet, HttpStatusCode.Conflict);
        Assert.Equal(SchemaspaceMessages.InstanceExists("hello_world", "code-snippets"), (string?)conflict["detail"]);
        await ProblemAsync(HttpMethod.Post, "/api/v1/schemaspaces/code-snippets/instances", """{"display_name": "X", "schema_name": "code-snippet", "metadata": {}}""", HttpStatusCode.BadRequest);
        await ProblemAsync(HttpMethod.Post, "/api/v1/schemaspaces/retired/instances", """{"display_name": "T", "schema_name": "thing", "metadata": {}}""", HttpStatusCode.PreconditionFailed);

        var one = await GetAsync("/api/v1/schemaspaces/code-snippets/instances/hello_world");
        Assert.EndsWith("#code-snippets/hello_world", (string?)one!["resource"], StringComparison.Ordinal);
        var listing = await GetAsync("/api/v1/schemaspaces/code-snippets/instances?include_invalid=true");
        Assert.Single((JsonArray)listing!["instances"]!);
        Assert.Empty((JsonArray)listing["invalid"]!);
        Assert.Equal(0, (int)(await GetAsync("/api/v1/schemaspaces/code-snippets/instances?schema_name=old-snippet"))!["invalid_count"]!);

        var replaced = await PutAsync("/api/v1/schemaspaces/code-snippets/instances/hello_world", """{"display_name": "Hi", "schema_name": "code-snippet", "metadata": {"language": "R", "code": []}}""");
        Assert.Equal("Hi", (string?)replaced!["display_name"]);
        await ProblemAsync(HttpMethod.Put, "/api/v1/schemaspaces/code-snippets/instances/missing", Snippet, HttpStatusCode.NotFound);

        await CallAsync(HttpMethod.Delete, "/api/v1/schemaspaces/code-snippets/instances/hello_world", expected: HttpStatusCode.NoContent);
        await ProblemAsync(HttpMethod.Get, "/api/v1/schemaspaces/code-snippets/instances/hello_world", null, HttpStatusCode.NotFound);
        await ProblemAsync(HttpMethod.Delete, "/api/v1/schemaspaces/code-snippets/instances/hello_world", null, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Instance_writes_are_in_the_stores_change_log_with_their_states_and_no_secret_in_plain_text()
    {
        var created = await PostAsync("/elyra/metadata/code-snippets", """{"display_name": "Audit", "schema_name": "code-snippet", "metadata": {"language": "sh", "code": ["one"], "token": "tok-plain-77"}}""", HttpStatusCode.Created);
        created!["metadata"]!["code"] = new JsonArray("two");
        await PutAsync("/elyra/metadata/code-snippets/audit", created.ToJsonString());
        using (var deleted = await SendAsync(HttpMethod.Delete, "/elyra/metadata/code-snippets/audit")) Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        var feed = (await GetAsync("/api/v1/changes?entity=instance&limit=100"))!;
        var changes = feed["changes"]!.AsArray().Where(c => (string?)c!["entity_key"] == "code-snippets/audit").ToList();
        Assert.Equal(["create", "update", "delete"], changes.Select(c => (string?)c!["operation"]));
        Assert.True((long)changes[0]!["seq"]! < (long)changes[1]!["seq"]! && (long)changes[1]!["seq"]! < (long)changes[2]!["seq"]!);
        // The state each change left: the create's is the first version (kept by the update), the update's the second (kept by the delete).
        Assert.Equal("one", (string?)changes[0]!["state"]!["content"]!["metadata"]!["code"]![0]);
        Assert.Equal("two", (string?)changes[1]!["state"]!["content"]!["metadata"]!["code"]![0]);
        Assert.NotNull(changes[1]!["state"]!["content"]!["metadata"]!["token"]!["$cairn_secret"]);
        Assert.Null(changes[2]!["state"]);
        // States are kept as stored: the secret is its encrypted envelope there, never the plain value.
        Assert.DoesNotContain("tok-plain", feed.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secrets_are_redacted_in_responses_unless_requested_kept_by_a_placeholder_update_and_never_logged()
    {
        const string WithToken = """{"display_name": "Deploy", "schema_name": "code-snippet", "metadata": {"language": "sh", "code": ["deploy"], "token": "tok-plain-4242"}}""";

        var created = await PostAsync("/elyra/metadata/code-snippets", WithToken, HttpStatusCode.Created);
        Assert.Equal(SecretProtector.Placeholder, (string?)created!["metadata"]!["token"]);
        Assert.Equal(SecretProtector.Placeholder, (string?)(await GetAsync("/elyra/metadata/code-snippets/deploy"))!["metadata"]!["token"]);
        Assert.DoesNotContain("tok-plain", (await GetAsync("/elyra/metadata/code-snippets"))!.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("tok-plain", (await GetAsync("/api/v1/schemaspaces/code-snippets/instances"))!.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("tok-plain", (await GetAsync("/api/v1/schemaspaces/code-snippets/instances/deploy"))!.ToJsonString(), StringComparison.Ordinal);

        // A front end sends back what it was shown: the stored secret stays.
        created["metadata"]!["language"] = "bash";
        var replaced = await PutAsync("/elyra/metadata/code-snippets/deploy", created.ToJsonString());
        Assert.Equal(SecretProtector.Placeholder, (string?)replaced!["metadata"]!["token"]);
        var revealed = await GetAsync("/elyra/metadata/code-snippets/deploy?include_secrets=true");
        Assert.Equal("tok-plain-4242", (string?)revealed!["metadata"]!["token"]);
        Assert.Equal("bash", (string?)revealed["metadata"]!["language"]);
        var listed = await GetAsync("/api/v1/schemaspaces/code-snippets/instances?include_secrets=true");
        Assert.Equal("tok-plain-4242", (string?)listed!["instances"]![0]!["metadata"]!["token"]);

        var row = Assert.Single(await ((IInstanceStorage)Server.Handle.Store).GetInstancesAsync("code-snippets", "deploy"));
        Assert.DoesNotContain("tok-plain", row.Content, StringComparison.Ordinal);

        Assert.DoesNotContain(Server.Log.Entries, e => e.Message.Contains("tok-plain", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Query_values_that_are_not_booleans_and_unknown_query_parameters_are_400s_naming_them()
    {
        var notBoolean = await ProblemAsync(HttpMethod.Get, "/api/v1/schemaspaces/code-snippets/instances?include_secrets=maybe", null, HttpStatusCode.BadRequest);
        Assert.Equal(Rest.RestMessages.NotABoolean("include_secrets", "maybe"), (string?)notBoolean["detail"]);
        var invalid = await ProblemAsync(HttpMethod.Get, "/api/v1/schemaspaces/code-snippets/instances?include_invalid=yes", null, HttpStatusCode.BadRequest);
        Assert.Equal(Rest.RestMessages.NotABoolean("include_invalid", "yes"), (string?)invalid["detail"]);
        var misspelt = await ProblemAsync(HttpMethod.Get, "/api/v1/schemaspaces/code-snippets/instances?include_secret=true", null, HttpStatusCode.BadRequest);
        Assert.Equal(
            "Unknown query parameter 'include_secret'. Did you mean 'include_secrets'? This request takes: include_invalid, include_secrets, schema_name.",
            (string?)misspelt["detail"]);

        // A bad value on a write is refused before it: nothing is created.
        await ProblemAsync(HttpMethod.Post, "/api/v1/schemaspaces/code-snippets/instances?include_secrets=maybe",
            """{"display_name": "Never", "schema_name": "code-snippet", "metadata": {"language": "sh", "code": []}}""", HttpStatusCode.BadRequest);
        await ProblemAsync(HttpMethod.Get, "/api/v1/schemaspaces/code-snippets/instances/never", null, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_grpc_client_store_has_no_instances_and_says_to_use_the_rest_routes()
    {
        await using var client = await Server.OpenClientAsync();

        var e = await Assert.ThrowsAsync<UnimplementedException>(() => ((IInstanceStorage)client).GetInstancesAsync("code-snippets"));

        Assert.Equal(InstanceStorageMessages.RemoteUnsupported(client.DisplayUri), e.Message);
    }
}

/// <summary>A server reachable from other machines (no authentication yet) never hands out secret values.</summary>
public sealed class SchemaspaceRemoteSecretsTests : RestTestBase
{
    private readonly string _schemas = SchemaspaceRouteTests.WriteSchemas();

    static SchemaspaceRemoteSecretsTests() => SchemaspaceRouteTests.UseTestKeyFile();

    protected override ServerOptions Configure(ServerOptions options) => options with { SchemaPaths = [_schemas], Bind = "0.0.0.0", AllowRemote = true };

    [Fact]
    public async Task Include_secrets_is_refused_by_a_server_not_bound_to_loopback()
    {
        await PostAsync("/elyra/metadata/code-snippets", """{"display_name": "Deploy", "schema_name": "code-snippet", "metadata": {"language": "sh", "code": [], "token": "tok-plain-4242"}}""", HttpStatusCode.Created);

        using var response = await SendAsync(HttpMethod.Get, "/elyra/metadata/code-snippets/deploy?include_secrets=true");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("tok-plain", text, StringComparison.Ordinal);
        var problem = await ProblemAsync(HttpMethod.Get, "/api/v1/schemaspaces/code-snippets/instances?include_secrets=true", null, HttpStatusCode.PreconditionFailed);
        Assert.Equal(Cairn.Server.Schemaspaces.SchemaspaceRouteMessages.SecretsNeedLoopback, (string?)problem["detail"]);
        Assert.Equal(SecretProtector.Placeholder, (string?)(await GetAsync("/elyra/metadata/code-snippets/deploy"))!["metadata"]!["token"]);

        // Asked on a write, it is refused before the write: nothing is created or changed.
        const string Other = """{"display_name": "Other", "schema_name": "code-snippet", "metadata": {"language": "sh", "code": [], "token": "tok-2"}}""";
        var refused = await ProblemAsync(HttpMethod.Post, "/api/v1/schemaspaces/code-snippets/instances?include_secrets=true", Other, HttpStatusCode.PreconditionFailed);
        Assert.Equal(Cairn.Server.Schemaspaces.SchemaspaceRouteMessages.SecretsNeedLoopback, (string?)refused["detail"]);
        await ProblemAsync(HttpMethod.Get, "/api/v1/schemaspaces/code-snippets/instances/other", null, HttpStatusCode.NotFound);
        await ProblemAsync(HttpMethod.Put, "/api/v1/schemaspaces/code-snippets/instances/deploy?include_secrets=true",
            """{"name": "deploy", "display_name": "Changed", "schema_name": "code-snippet", "metadata": {"language": "sh", "code": []}}""", HttpStatusCode.PreconditionFailed);
        Assert.Equal("Deploy", (string?)(await GetAsync("/api/v1/schemaspaces/code-snippets/instances/deploy"))!["display_name"]);
    }
}

/// <summary>A server given a key file (<see cref="ServerOptions.SecretKeyFile"/>, the <c>secret_key_file</c> key) encrypts secrets with it.</summary>
public sealed class SchemaspaceKeyFileTests : RestTestBase
{
    private readonly string _schemas = SchemaspaceRouteTests.WriteSchemas();
    private readonly string _keyFile = Path.Combine(Directory.CreateTempSubdirectory("cairn-server-key-").FullName, "team.key");

    static SchemaspaceKeyFileTests() => SchemaspaceRouteTests.UseTestKeyFile();

    protected override ServerOptions Configure(ServerOptions options) => options with { SchemaPaths = [_schemas], SecretKeyFile = _keyFile };

    [Fact]
    public async Task Secrets_are_encrypted_with_the_configured_key_file_not_the_environments()
    {
        Assert.False(File.Exists(_keyFile));
        await PostAsync("/elyra/metadata/code-snippets", """{"display_name": "Deploy", "schema_name": "code-snippet", "metadata": {"language": "sh", "code": [], "token": "tok-plain-7"}}""", HttpStatusCode.Created);

        Assert.True(File.Exists(_keyFile), "the configured key file is created on first use");
        Assert.Equal(32, (await File.ReadAllBytesAsync(_keyFile)).Length);
        Assert.Equal("tok-plain-7", (string?)(await GetAsync("/elyra/metadata/code-snippets/deploy?include_secrets=true"))!["metadata"]!["token"]);
        var environmentKey = Environment.GetEnvironmentVariable(SecretProtector.KeyFileVariable)!;
        Assert.NotEqual(Path.GetFullPath(environmentKey), Path.GetFullPath(_keyFile));
    }
}

/// <summary>A server given a .NET assembly of schema providers (<c>--schemas x.dll</c>) runs its hooks on REST writes.</summary>
public sealed class SchemaspaceAssemblyRouteTests : RestTestBase
{
    static SchemaspaceAssemblyRouteTests() => SchemaspaceRouteTests.UseTestKeyFile();

    protected override ServerOptions Configure(ServerOptions options) =>
        options with { SchemaPaths = [Path.Combine(AppContext.BaseDirectory, "Cairn.Schemaspaces.SampleProvider.dll")] };

    [Fact]
    public async Task Rest_writes_run_the_assemblys_hooks_and_a_refusing_post_save_hook_leaves_nothing()
    {
        var created = await PostAsync("/elyra/metadata/sample-runtimes", """{"display_name": "Dev", "schema_name": "sample-runtime", "metadata": {"endpoint": "http://dev:8080/"}}""", HttpStatusCode.Created);
        Assert.Equal("http://dev:8080", (string?)created!["metadata"]!["endpoint"]);
        Assert.Equal("http://dev:8080", (string?)(await GetAsync("/elyra/metadata/sample-runtimes/dev"))!["metadata"]!["endpoint"]);

        using var refused = await SendAsync(HttpMethod.Post, "/elyra/metadata/sample-runtimes", """{"display_name": "No", "schema_name": "sample-runtime", "metadata": {"endpoint": "http://no:1", "refuse_after_save": true}}""");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("refuses this runtime", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var gone = await SendAsync(HttpMethod.Get, "/elyra/metadata/sample-runtimes/no");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }
}
