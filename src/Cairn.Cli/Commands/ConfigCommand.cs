using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Cairn.Cli.Output;

namespace Cairn.Cli.Commands;

/// <summary><c>cairn config show</c>: the merged configuration, and where each value came from.</summary>
internal static class ConfigCommand
{
    public static Command Create(CliRuntime runtime, CommandCatalog catalog)
    {
        var config = catalog.Create(
            "config",
            "Cairn's layered configuration: /etc/cairn/config.yaml, $CAIRN_HOME/config.yaml, $CAIRN_CONFIG, the CAIRN_STORE, CAIRN_BLOBS and CAIRN_SECRET_KEY_FILE variables, then --config FILE and --config key=value, later ones winning.",
            "cairn config show");
        var show = catalog.Create(
            "show",
            "Print every configuration key with its merged value and where it came from (a file:line:column, a variable, --config or the default).",
            "cairn config show",
            "cairn config show --config team.yaml --config server.grpc_port=9090 --json");
        show.SetAction((parseResult, _) =>
        {
            var configuration = runtime.Configuration(parseResult);
            if (runtime.WantsJson(parseResult))
            {
                var json = new JsonObject();
                foreach (var value in configuration.Values)
                {
                    json[value.Key.Path] = new JsonObject { ["value"] = Json(value.Value), ["source"] = value.Source };
                }

                runtime.WriteJson(new JsonObject
                {
                    ["files"] = new JsonArray([.. configuration.FilesRead.Select(f => (JsonNode)JsonValue.Create(f))]),
                    ["keys"] = json,
                });
            }
            else
            {
                runtime.WriteLine(configuration.FilesRead.Count == 0
                    ? CliMessages.ConfigNoFiles
                    : CliMessages.ConfigFilesRead(configuration.FilesRead));
                var table = Tables.Create("KEY", "VALUE", "SOURCE");
                foreach (var value in configuration.Values) Tables.AddRow(table, value.Key.Path, Text(value.Value), value.Source);
                runtime.Console.Write(table);
            }

            return Task.FromResult(ExitCodes.Success);
        });
        config.Subcommands.Add(show);
        return config;
    }

    private static string Text(object? value) => value switch
    {
        null => "(not set)",
        bool b => b ? "true" : "false",
        IEnumerable<string> list when value is not string => list.Any() ? string.Join(", ", list) : "(none)",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static JsonNode? Json(object? value) => value switch
    {
        null => null,
        bool b => JsonValue.Create(b),
        long n => JsonValue.Create(n),
        int n => JsonValue.Create(n),
        IEnumerable<string> list when value is not string => new JsonArray([.. list.Select(s => (JsonNode)JsonValue.Create(s))]),
        _ => JsonValue.Create(value.ToString()),
    };
}
