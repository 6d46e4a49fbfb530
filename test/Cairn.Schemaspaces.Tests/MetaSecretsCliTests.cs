using System.Text.Json.Nodes;
using Cairn.Cli;
using Xunit;

namespace Cairn.Schemaspaces.Tests;

/// <summary><c>cairn meta</c> with secret properties: redacted in listings and exports unless asked for, never in plain text on disk.</summary>
public sealed class MetaSecretsCliTests : IDisposable
{
    // The key file comes from the environment (as for a user); one per test process, used only by this class.
    private static readonly string KeyFile;
    private readonly TempDirectory _temp = new();

    // An explicit static constructor, so the variable is set before the first test runs (not at the field's first use).
    static MetaSecretsCliTests() => KeyFile = SetKeyFile();

    public void Dispose() => _temp.Dispose();

    private static string SetKeyFile()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("cairn-key-").FullName, "secret.key");
        Environment.SetEnvironmentVariable(SecretProtector.KeyFileVariable, file);
        return file;
    }

    private string Schemas
    {
        get
        {
            var file = _temp.Combine("schemas", "database.json");
            if (!File.Exists(file))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.WriteAllText(file, Fixtures.ConnectionSchema().ToJsonString());
            }

            return file;
        }
    }

    private async Task<string> OkAsync(params string[] args)
    {
        var (exit, stdout, stderr) = await RunAsync(args);
        Assert.True(exit == ExitCodes.Success, $"cairn {string.Join(' ', args)} exited {exit}:\n{stdout}\n{stderr}");
        return stdout;
    }

    private async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        string[] common = ["--schemas", Schemas, "--metadata-dir", _temp.Combine("user"), "--store", "sqlite://" + _temp.Combine("cairn.db")];
        var exit = await CairnCli.RunAsync([.. args, .. common], stdout, stderr, timeout.Token);
        Assert.DoesNotContain("hunter2", stderr.ToString(), StringComparison.Ordinal);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task The_secret_key_file_key_names_the_key_and_beats_the_environment_variable()
    {
        var keyFile = _temp.Combine("keys", "team.key");
        string[] config = ["--config", "secret_key_file=" + keyFile];
        await OkAsync(["meta", "create", "connections", "--display_name", "Vault", "--host", "db", "--username", "etl", "--password", "hunter2-team", .. config]);
        Assert.True(File.Exists(keyFile), "the configured key file is created on first use");

        var revealed = await OkAsync(["meta", "list", "connections", "--json", "--show-secrets", .. config]);
        Assert.Equal("hunter2-team", (string)JsonNode.Parse(revealed)![0]!["metadata"]!["password"]!);

        // Without the key, the environment's key (another one) cannot decrypt: the instance is listed as invalid, with a reason
        // naming the key file, and no plain text.
        var (exit, stdout, stderr) = await RunAsync("meta", "list", "connections", "--json", "--show-secrets");
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Empty(JsonNode.Parse(stdout)!.AsArray());
        Assert.Contains("1 invalid instance", stderr, StringComparison.Ordinal);
        var invalid = await OkAsync("meta", "list", "connections", "--include-invalid", "--show-secrets");
        Assert.Contains(KeyFile, invalid, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secrets_are_redacted_in_listings_and_exports_unless_requested_and_survive_a_redacted_round_trip()
    {
        var created = await OkAsync("meta", "create", "connections", "--display_name", "Warehouse", "--host", "db", "--username", "etl", "--password", "hunter2-plain");
        Assert.DoesNotContain("hunter2", created, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", await File.ReadAllTextAsync(_temp.Combine("user", "metadata", "connections", "warehouse.json")), StringComparison.Ordinal);
        Assert.True(File.Exists(KeyFile));

        var listed = await OkAsync("meta", "list", "connections", "--json");
        Assert.DoesNotContain("hunter2", listed, StringComparison.Ordinal);
        Assert.Equal(SecretProtector.Placeholder, (string)JsonNode.Parse(listed)![0]!["metadata"]!["password"]!);
        Assert.DoesNotContain("hunter2", await OkAsync("meta", "list", "connections"), StringComparison.Ordinal);
        var revealed = await OkAsync("meta", "list", "connections", "--json", "--show-secrets");
        Assert.Equal("hunter2-plain", (string)JsonNode.Parse(revealed)![0]!["metadata"]!["password"]!);

        await OkAsync("meta", "export", "connections", "--directory", _temp.Combine("redacted"));
        var exported = await File.ReadAllTextAsync(_temp.Combine("redacted", "connections", "warehouse.json"));
        Assert.DoesNotContain("hunter2", exported, StringComparison.Ordinal);
        Assert.Contains(SecretProtector.Placeholder, exported, StringComparison.Ordinal);
        await OkAsync("meta", "export", "connections", "--directory", _temp.Combine("plain"), "--include-secrets");
        Assert.Contains("hunter2-plain", await File.ReadAllTextAsync(_temp.Combine("plain", "connections", "warehouse.json")), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_temp.Combine("plain", "connections", "warehouse.json")));

        // Importing the redacted export over the instance keeps its secret; updating another property keeps it too.
        await OkAsync("meta", "import", "connections", "--directory", _temp.Combine("redacted", "connections"), "--overwrite");
        await OkAsync("meta", "update", "connections", "--name", "warehouse", "--host", "db2");
        var after = JsonNode.Parse(await OkAsync("meta", "list", "connections", "--json", "--show-secrets"))![0]!["metadata"]!;
        Assert.Equal("hunter2-plain", (string)after["password"]!);
        Assert.Equal("db2", (string)after["host"]!);
    }
}
