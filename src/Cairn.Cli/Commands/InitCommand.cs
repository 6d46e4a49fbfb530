using System.CommandLine;
using System.Text.Json.Nodes;

namespace Cairn.Cli.Commands;

/// <summary><c>cairn init</c>: create the store and say where it is.</summary>
internal static class InitCommand
{
    public static Command Create(CliRuntime runtime, CommandCatalog catalog)
    {
        var command = catalog.Create(
            "init",
            "Create the store (with its schema) if it does not exist yet, and print where it is.",
            "cairn init",
            "cairn init --store sqlite:project.db --json");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var uri = runtime.StoreUriFor(parseResult);
            var existed = uri.Scheme == "sqlite" && File.Exists(uri.Location);
            var store = await runtime.OpenStoreAsync(uri, create: true, cancellationToken);
            await store.DisposeAsync();

            var where = CliRuntime.Where(uri);
            if (runtime.WantsJson(parseResult)) runtime.WriteJson(new JsonObject { ["store"] = where, ["created"] = !existed });
            else runtime.WriteLine(existed ? CliMessages.InitExisting(where) : CliMessages.InitCreated(where));
            return ExitCodes.Success;
        });
        return command;
    }
}
