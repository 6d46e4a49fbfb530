using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace Cairn.Server.Tests;

/// <summary>
/// A real <see cref="HttpClient"/> against an in-process server (<see cref="TestServer"/>: fresh SQLite store, free ports,
/// unexpected error logs fail the test), with helpers that assert status codes and parse JSON.
/// </summary>
public abstract class RestTestBase : IAsyncLifetime, IDisposable
{
    private TestServer? _server;
    private HttpClient? _http;

    protected TestServer Server => _server!;

    protected HttpClient Http => _http!;

    /// <summary>Adjusts the server's options (e.g. a small body limit).</summary>
    protected virtual ServerOptions Configure(ServerOptions options) => options;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(Configure);
        _http = new HttpClient { BaseAddress = new Uri(_server.Handle.ClientHttpAddress), Timeout = TestServer.Timeout };
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
    }

    public void Dispose()
    {
        _http?.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    protected async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = Json(body);
        return await Http.SendAsync(request).WaitAsync(TestServer.Timeout);
    }

    /// <summary>Sends and asserts the status; returns the parsed body (null when empty).</summary>
    protected async Task<JsonNode?> CallAsync(HttpMethod method, string path, string? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await SendAsync(method, path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    protected Task<JsonNode?> GetAsync(string path, HttpStatusCode expected = HttpStatusCode.OK) => CallAsync(HttpMethod.Get, path, null, expected);

    protected Task<JsonNode?> PostAsync(string path, string body, HttpStatusCode expected = HttpStatusCode.OK) => CallAsync(HttpMethod.Post, path, body, expected);

    protected Task<JsonNode?> PutAsync(string path, string body, HttpStatusCode expected = HttpStatusCode.OK) => CallAsync(HttpMethod.Put, path, body, expected);

    protected Task<JsonNode?> PatchAsync(string path, string body, HttpStatusCode expected = HttpStatusCode.OK) => CallAsync(HttpMethod.Patch, path, body, expected);

    /// <summary>Sends, asserts an RFC 9457 problem with this status, and returns it.</summary>
    protected async Task<JsonObject> ProblemAsync(HttpMethod method, string path, string? body, HttpStatusCode expected)
    {
        using var response = await SendAsync(method, path, body);
        return await AssertProblemAsync(response, expected, $"{method} {path}");
    }

    protected static async Task<JsonObject> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{what}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = Assert.IsType<JsonObject>(JsonNode.Parse(text));
        Assert.Equal((int)expected, (int)problem["status"]!);
        Assert.False(string.IsNullOrEmpty((string?)problem["title"]), text);
        Assert.False(string.IsNullOrEmpty((string?)problem["detail"]), text);
        return problem;
    }

    protected static MediaTypeHeaderValue JsonType => new("application/json");

    // ------------------------------------------------------------------ fixtures

    /// <summary>Puts an artifact type with an int property <c>day</c> and a string property <c>split</c>; returns its id.</summary>
    protected async Task<long> PutArtifactTypeAsync(string name = "DataSet") =>
        (long)(await PutAsync("/api/v1/artifact_types", $$$"""{"name": "{{{name}}}", "properties": {"day": "INT", "split": "STRING"}}"""))!["id"]!;

    protected async Task<long> PutExecutionTypeAsync(string name = "Trainer") =>
        (long)(await PutAsync("/api/v1/execution_types", $$$"""{"name": "{{{name}}}", "properties": {"lr": "DOUBLE"}}"""))!["id"]!;

    protected async Task<long> PutContextTypeAsync(string name = "Pipeline") =>
        (long)(await PutAsync("/api/v1/context_types", $$$"""{"name": "{{{name}}}"}"""))!["id"]!;

    protected async Task<long> CreateAsync(string plural, string body) =>
        (long)(await PostAsync("/api/v1/" + plural, body, HttpStatusCode.Created))!["id"]!;
}
