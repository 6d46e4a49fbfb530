using System.CommandLine;
using System.Text.Json.Nodes;

namespace Cairn.Cli.Commands;

/// <summary><c>cairn migrate</c>: bring an existing store to this Cairn's schema version.</summary>
internal static class MigrateCommand
{
    public static Command Create(CliRuntime runtime, CommandCatalog catalog)
    {
        var command = catalog.Create(
            "migrate",
            "Upgrade an existing store to this Cairn's schema version (a shared PostgreSQL store is upgraded only this way). Never creates a store.",
            "cairn migrate --store sqlite:project.db",
            "cairn migrate --store sqlite:project.db --json");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var uri = runtime.StoreUriFor(parseResult);
            var options = new StoreOpenOptions { CreateIfMissing = false, ApplyMigrations = false, TimeProvider = runtime.Settings.TimeProvider };
            if (runtime.Settings.LockTimeout is { } lockTimeout) options = options with { LockTimeout = lockTimeout };

            bool migrated;
            IMetadataStore store;
            try
            {
                store = await CairnStore.OpenAsync(uri, options, cancellationToken);
                migrated = false;
            }
            catch (FailedPreconditionException)
            {
                // Older schema (or not a store at all: then the second open says so).
                store = await CairnStore.OpenAsync(uri, options with { ApplyMigrations = true }, cancellationToken);
                migrated = true;
            }

            StoreInfo info;
            await using (store)
            {
                info = await store.GetStoreInfoAsync(cancellationToken);
            }

            var where = CliRuntime.Where(uri);
            if (runtime.WantsJson(parseResult))
            {
                runtime.WriteJson(new JsonObject { ["store"] = where, ["migrated"] = migrated, ["schema_version"] = info.SchemaVersion });
            }
            else
            {
                runtime.WriteLine(migrated
                    ? CliMessages.MigrateDone(where, info.SchemaVersion)
                    : CliMessages.MigrateUpToDate(where, info.SchemaVersion));
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
