using System.Text.Json.Nodes;
using Cairn.Cli.Configuration;
using Xunit;

namespace Cairn.Cli.Tests;

/// <summary>
/// The layered configuration: every layer in its place, relative paths anchored at their file, errors that say where,
/// and the commands that read it (the store URI, cairn serve).
/// </summary>
public sealed class ConfigurationTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private string Write(string relative, string yaml)
    {
        var path = _cli.PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, yaml);
        return path;
    }

    private void UseLayers(string? system = null, string? user = null, string? environmentFile = null, params (string Variable, string Key, string Value)[] variables) =>
        _cli.Settings = _cli.Settings with
        {
            Config = new ConfigLocations { SystemFile = system, UserFile = user, EnvironmentFile = environmentFile, EnvironmentValues = variables },
        };

    private async Task<JsonObject> ShowAsync(params string[] args)
    {
        var output = await _cli.OkAsync(["config", "show", "--json", .. args]);
        return JsonNode.Parse(output)!.AsObject();
    }

    private static (JsonNode? Value, string Source) Key(JsonObject shown, string key) =>
        (shown["keys"]![key]!["value"], shown["keys"]![key]!["source"]!.GetValue<string>());

    [Fact]
    public async Task Each_layer_overrides_the_ones_below_it_and_show_says_where_each_value_came_from()
    {
        var system = Write("etc/config.yaml", "server:\n  grpc_port: 1001\n  http_port: 2001\n  bind: 127.0.0.2\n  max_message_mb: 10\n  max_body_mb: 10\n");
        var user = Write("home/config.yaml", "server:\n  http_port: 2002\n  bind: 127.0.0.3\n  max_message_mb: 20\n");
        var environment = Write("env/config.yaml", "server:\n  bind: 127.0.0.4\n  max_body_mb: 30\nstore: sqlite:///from/env-file.db\n");
        var given = Write("given.yaml", "server:\n  max_message_mb: 40\n");
        UseLayers(system, user, environment, ("CAIRN_STORE", ConfigKeys.Store, "memory:"));

        var shown = await ShowAsync("--config", "server.bind=127.0.0.9", "--config", "given.yaml");

        Assert.Equal([system, user, environment, given], shown["files"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal((1001L, system + ":2:14"), (Key(shown, ConfigKeys.ServerGrpcPort).Value!.GetValue<long>(), Key(shown, ConfigKeys.ServerGrpcPort).Source));
        Assert.Equal((2002L, user + ":2:14"), (Key(shown, ConfigKeys.ServerHttpPort).Value!.GetValue<long>(), Key(shown, ConfigKeys.ServerHttpPort).Source));
        Assert.Equal((30L, environment + ":3:16"), (Key(shown, ConfigKeys.ServerMaxBodyMb).Value!.GetValue<long>(), Key(shown, ConfigKeys.ServerMaxBodyMb).Source));
        // A --config file beats the implicit files; a key=value override beats every file, even one given after it.
        Assert.Equal((40L, given + ":2:19"), (Key(shown, ConfigKeys.ServerMaxMessageMb).Value!.GetValue<long>(), Key(shown, ConfigKeys.ServerMaxMessageMb).Source));
        Assert.Equal(("127.0.0.9", "--config server.bind=127.0.0.9"), (Key(shown, ConfigKeys.ServerBind).Value!.GetValue<string>(), Key(shown, ConfigKeys.ServerBind).Source));
        // The variable beats the files that come before it.
        Assert.Equal(("memory:", "environment CAIRN_STORE"), (Key(shown, ConfigKeys.Store).Value!.GetValue<string>(), Key(shown, ConfigKeys.Store).Source));
        Assert.Equal(("default", false), (Key(shown, ConfigKeys.ServerAllowRemote).Source, Key(shown, ConfigKeys.ServerAllowRemote).Value!.GetValue<bool>()));
    }

    [Fact]
    public async Task Missing_implicit_files_are_skipped_but_a_missing_config_file_is_an_error()
    {
        UseLayers(_cli.PathOf("etc/none.yaml"), _cli.PathOf("home/none.yaml"), _cli.PathOf("env/none.yaml"));
        var shown = await ShowAsync();
        Assert.Empty(shown["files"]!.AsArray());
        Assert.Equal("default", Key(shown, ConfigKeys.ServerGrpcPort).Source);

        var run = await _cli.RunAsync("config", "show", "--config", "absent.yaml");
        Assert.Equal(ExitCodes.NotFound, run.ExitCode);
        Assert.Equal("error: " + CliMessages.ConfigFileMissing(_cli.PathOf("absent.yaml")) + "\n", run.Stderr);
    }

    [Fact]
    public async Task Mappings_merge_key_by_key_and_lists_are_replaced_whole()
    {
        var user = Write("home/config.yaml", "schemas: [one, two]\nserver:\n  grpc_port: 7000\n");
        UseLayers(user: user);
        var shown = await ShowAsync("--config", "schemas=[three]", "--config", "server.http_port=7001");
        Assert.Equal([_cli.PathOf("three")], Key(shown, ConfigKeys.Schemas).Value!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(7000L, Key(shown, ConfigKeys.ServerGrpcPort).Value!.GetValue<long>());
        Assert.Equal(7001L, Key(shown, ConfigKeys.ServerHttpPort).Value!.GetValue<long>());
    }

    [Fact]
    public async Task Relative_paths_in_a_file_are_anchored_at_that_file_and_the_store_key_picks_the_store()
    {
        var user = Write("home/config.yaml", "store: sqlite:stores/team.db\nschemas: schemas\nmetadata_backend:\n  type: json\n  args:\n    metadata_store_path: tatm.json\n");
        UseLayers(user: user);
        var shown = await ShowAsync();
        Assert.Equal("sqlite://" + _cli.PathOf("home/stores/team.db"), Key(shown, ConfigKeys.Store).Value!.GetValue<string>());
        Assert.Equal([_cli.PathOf("home/schemas")], Key(shown, ConfigKeys.Schemas).Value!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(_cli.PathOf("home/tatm.json"), Key(shown, ConfigKeys.MetadataBackendStorePath).Value!.GetValue<string>());

        Directory.CreateDirectory(_cli.PathOf("home/stores"));
        await _cli.OkAsync("init");
        Assert.True(File.Exists(_cli.PathOf("home/stores/team.db")));
        Assert.False(File.Exists(_cli.DefaultStorePath));

        // --store still wins over the configuration.
        await _cli.OkAsync("init", "--store", "other.db");
        Assert.True(File.Exists(_cli.PathOf("other.db")));
    }

    [Theory]
    [InlineData("sever:\n  grpc_port: 1\n", "{0}:1:1: unknown configuration key 'sever'. Did you mean 'server'?")]
    [InlineData("server:\n  grpc_prot: 1\n", "{0}:2:3: unknown configuration key 'server.grpc_prot'. Did you mean 'server.grpc_port'?")]
    [InlineData("server:\n  zzzzzzzz: 1\n", "{0}:2:3: unknown configuration key 'server.zzzzzzzz'. Valid keys here: server.bind, server.grpc_port, server.http_port, server.allow_remote, server.max_message_mb, server.max_body_mb, server.access_log.")]
    [InlineData("server:\n  grpc_port: eighty\n", "{0}:2:14: 'server.grpc_port' must be a whole number from 0 to 65535; got 'eighty'.")]
    [InlineData("server:\n  allow_remote: maybe\n", "{0}:2:17: 'server.allow_remote' must be true or false; got 'maybe'.")]
    [InlineData("server: 8080\n", "{0}:1:1: 'server' is a section: give it keys below it (see 'cairn config show').")]
    [InlineData("store: [a, b]\n", "{0}:1:8: 'store' takes a single value, not a list or a mapping.")]
    [InlineData("metadata_backend:\n  type: open_metadata\n", "{0}:2:9: 'metadata_backend.type' must be one of json, null; got 'open_metadata'.")]
    [InlineData("- a\n- b\n", "{0}:1:1: a configuration file must be a mapping of keys (store: ..., server: ...).")]
    public async Task A_bad_file_is_refused_with_its_path_line_and_column_and_nothing_runs(string yaml, string expected)
    {
        var user = Write("home/config.yaml", yaml);
        UseLayers(user: user);
        var run = await _cli.RunAsync("init");
        Assert.Equal(ExitCodes.InvalidArgument, run.ExitCode);
        Assert.Equal("error: " + string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, user) + "\n", run.Stderr);
        Assert.False(File.Exists(_cli.DefaultStorePath));
    }

    [Theory]
    [InlineData("server:\n  grpc_port: [1\n", "3:1", "did not find expected ',' or ']'")]
    [InlineData("store: a\nstore: b\n", "2:1", "Duplicate key")]
    [InlineData("store: 'unclosed\n", "1:8", "found unexpected end of stream")]
    public async Task Malformed_yaml_names_the_file_line_and_column(string yaml, string position, string problem)
    {
        var user = Write("home/config.yaml", yaml);
        UseLayers(user: user);
        var run = await _cli.RunAsync("config", "show");
        Assert.Equal(ExitCodes.InvalidArgument, run.ExitCode);
        Assert.StartsWith("error: " + user + ":" + position + ": the configuration is not valid YAML: ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(problem, run.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, run.Stderr.Count(c => c == '\n'));
        Assert.Equal(string.Empty, run.Stdout);
    }

    [Theory]
    [InlineData("server..x=1", "--config 'server..x=1' is neither a file nor key.path=value.")]
    [InlineData("=1", "--config '=1' is neither a file nor key.path=value.")]
    [InlineData("server.grpc_port=-1", "--config server.grpc_port=-1: 'server.grpc_port' must be a whole number from 0 to 65535; got '-1'.")]
    [InlineData("server.nope=1", "--config server.nope=1: unknown configuration key 'server.nope'. Valid keys here: server.bind, server.grpc_port, server.http_port, server.allow_remote, server.max_message_mb, server.max_body_mb, server.access_log.")]
    public async Task Bad_overrides_are_refused_with_the_argument_in_the_message(string argument, string expected)
    {
        var run = await _cli.RunAsync("config", "show", "--config", argument);
        Assert.Equal(ExitCodes.InvalidArgument, run.ExitCode);
        Assert.Equal("error: " + expected + "\n", run.Stderr);
    }

    [Fact]
    public async Task A_config_argument_without_an_equals_sign_is_a_file()
    {
        var run = await _cli.RunAsync("config", "show", "--config", "server.grpc_port");
        Assert.Equal(ExitCodes.NotFound, run.ExitCode);
        Assert.Equal("error: " + CliMessages.ConfigFileMissing(_cli.PathOf("server.grpc_port")) + "\n", run.Stderr);
    }

    [Fact]
    public async Task Serve_takes_its_settings_from_the_configuration_and_its_flags_win()
    {
        var user = Write("home/config.yaml", "server:\n  bind: 0.0.0.0\n  grpc_port: 0\n  http_port: 0\n");
        UseLayers(user: user);

        // The configured non-loopback address is refused without allow_remote, exactly as the flag would be.
        var refused = await _cli.RunAsync("serve", "--check");
        Assert.Equal(ExitCodes.InvalidArgument, refused.ExitCode);
        Assert.Contains("'0.0.0.0'", refused.Stderr, StringComparison.Ordinal);

        // An explicit flag beats the configuration; the configured ports (0: free ones) are used.
        var output = await _cli.OkAsync("serve", "--check", "--bind", "127.0.0.1");
        Assert.Contains("listening on http://127.0.0.1:", output, StringComparison.Ordinal);
        Assert.DoesNotContain(":8080", output, StringComparison.Ordinal);
        Assert.DoesNotContain(":8470", output, StringComparison.Ordinal);
    }
}
