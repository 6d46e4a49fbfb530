using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Cli.Configuration;
using Cairn.Schemaspaces;

namespace Cairn.Cli.Commands;

/// <summary>
/// <c>cairn meta list|create|update|remove|migrate|export|import SCHEMASPACE</c>: Elyra's <c>elyra-metadata</c> over
/// schemaspaces whose schemas come from <c>--schemas</c> (or the <c>schemas</c> configuration key) and whose instances live
/// in the Cairn store, or in Elyra's file layout with <c>--metadata-dir</c>.
/// </summary>
internal static class MetaCommand
{
    private static readonly JsonSerializerOptions ExportJson = new() { WriteIndented = true, IndentSize = 4, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(CliRuntime runtime, CommandCatalog catalog)
    {
        var group = catalog.Create(
            "meta",
            "Metadata instances of schemaspaces (runtimes, runtime images, code snippets, …): JSON validated against the schemaspace's schemas, kept in the Cairn store (or, with --metadata-dir, in Elyra's file layout). See docs/schemaspaces.md.",
            "cairn meta list code-snippets --schemas code-snippet.schema.json");
        group.Subcommands.Add(List(runtime, catalog));
        group.Subcommands.Add(CreateCommand(runtime, catalog));
        group.Subcommands.Add(Update(runtime, catalog));
        group.Subcommands.Add(Remove(runtime, catalog));
        group.Subcommands.Add(Migrate(runtime, catalog));
        group.Subcommands.Add(Export(runtime, catalog));
        group.Subcommands.Add(Import(runtime, catalog));
        return group;
    }

    private static Command List(CliRuntime runtime, CommandCatalog catalog)
    {
        var command = catalog.Create(
            "list",
            "List the instances of a schemaspace as a table (Schema, Instance, Resource) or, with --json, as JSON.",
            "cairn meta list code-snippets --schemas code-snippet.schema.json");
        var common = new Common(command);
        var includeInvalid = IncludeInvalidOption(command);
        var showSecrets = new Option<bool>("--show-secrets") { Description = "Show the values of secret properties in --json (otherwise they are shown as ********)." };
        command.Options.Add(showSecrets);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var opened = await common.OpenAsync(runtime, parseResult, cancellationToken);
            var manager = opened.Manager;
            var listing = await manager.ListAsync(cancellationToken: cancellationToken);
            var withInvalid = parseResult.GetValue(includeInvalid);
            var reveal = parseResult.GetValue(showSecrets);
            if (runtime.WantsJson(parseResult))
            {
                var items = listing.Instances.Select(i => (JsonNode)(reveal ? i : manager.Redact(i)).ToJson(includeResource: true));
                if (withInvalid) items = items.Concat(listing.Invalid.Select(i => (JsonNode)InvalidJson(i)));
                runtime.WriteJson(new JsonArray([.. items]));
            }
            else if (listing.Instances.Count == 0 && (!withInvalid || listing.Invalid.Count == 0))
            {
                runtime.WriteLine(CliMetaMessages.NoInstances(manager.Schemaspace.Name));
            }
            else
            {
                var rows = listing.Instances.Select(i => (IReadOnlyList<string>)[i.SchemaName, i.Name, i.Resource ?? string.Empty]);
                if (withInvalid)
                {
                    rows = rows.Concat(listing.Invalid.Select(i => (IReadOnlyList<string>)[i.SchemaName, i.Name, (i.Resource ?? string.Empty) + "  " + CliMetaMessages.Invalid(i.Reason)]));
                }

                runtime.WriteLine(CliMetaMessages.Available(manager.Schemaspace.Name, withInvalid));
                runtime.WriteLine(string.Empty);
                WriteColumns(runtime, ["Schema", "Instance", "Resource"], rows.OrderBy(r => r[0], StringComparer.Ordinal).ThenBy(r => r[1], StringComparer.Ordinal));
            }

            if (!withInvalid && listing.Invalid.Count > 0) runtime.Error.Write(CliMetaMessages.InvalidHidden(listing.Invalid.Count, manager.Schemaspace.Name) + "\n");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateCommand(CliRuntime runtime, CommandCatalog catalog)
    {
        var command = catalog.Create(
            "create",
            "Create an instance. Give its metadata with one --PROPERTY=VALUE per top-level property of the schema (typed as the schema says), or with --json/--file; flags override the JSON. The name is derived from --display_name when not given.",
            "cairn meta create code-snippets --schemas code-snippet.schema.json --display_name 'Hello World' --language Python --code 'print(1),print(2)'");
        var common = new Common(command);
        var edit = new EditOptions(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var opened = await common.OpenAsync(runtime, parseResult, cancellationToken);
            var manager = opened.Manager;
            var (payload, source) = edit.Payload(runtime, parseResult);
            var schema = edit.Schema(manager.Schemaspace, parseResult, payload?.SchemaName);
            var metadata = (JsonObject?)payload?.Metadata?.DeepClone() ?? [];
            foreach (var (key, value) in Properties(parseResult, schema)) metadata[key] = value;

            var name = parseResult.GetValue(edit.Name) ?? payload?.Name ?? (source is { } file ? Path.GetFileNameWithoutExtension(file) : null);
            var displayName = parseResult.GetValue(edit.DisplayName) ?? payload?.DisplayName ?? throw new UsageException(CliMetaMessages.DisplayNameNeeded);
            var created = await manager.CreateAsync(new MetadataInput { Name = name, DisplayName = displayName, SchemaName = schema.Name, Metadata = metadata }, cancellationToken);
            runtime.WriteLine(CliMetaMessages.Written(created.Name, created.SchemaName, created.Resource ?? string.Empty));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Update(CliRuntime runtime, CommandCatalog catalog)
    {
        var command = catalog.Create(
            "update",
            "Update an instance: the flags (or --json/--file) are merged into its metadata one top-level property at a time; --display_name replaces the display name. Updating a factory instance writes a copy that overrides it.",
            "cairn meta update code-snippets --schemas code-snippet.schema.json --name hello_world --language R");
        var common = new Common(command);
        var edit = new EditOptions(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var opened = await common.OpenAsync(runtime, parseResult, cancellationToken);
            var manager = opened.Manager;
            var (payload, _) = edit.Payload(runtime, parseResult);
            var name = parseResult.GetValue(edit.Name) ?? payload?.Name ?? throw new UsageException(CliMetaMessages.NameNeeded);
            var existing = await manager.GetAsync(name, cancellationToken);
            var schema = edit.Schema(manager.Schemaspace, parseResult, payload?.SchemaName ?? existing.SchemaName);
            var metadata = (JsonObject)existing.Metadata.DeepClone();
            foreach (var (key, value) in payload?.Metadata ?? []) metadata[key] = value?.DeepClone();
            foreach (var (key, value) in Properties(parseResult, schema)) metadata[key] = value;

            var displayName = parseResult.GetValue(edit.DisplayName) ?? payload?.DisplayName ?? existing.DisplayName;
            var updated = await manager.UpdateAsync(name, new MetadataInput { Name = name, DisplayName = displayName, SchemaName = schema.Name, Metadata = metadata }, cancellationToken);
            runtime.WriteLine(CliMetaMessages.Written(updated.Name, updated.SchemaName, updated.Resource ?? string.Empty));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Remove(CliRuntime runtime, CommandCatalog catalog)
    {
        var command = catalog.Create(
            "remove",
            "Remove an instance (with --metadata-dir, only from the writable directory: factory and system instances cannot be removed).",
            "cairn meta remove code-snippets --schemas code-snippet.schema.json --name hello_world");
        var common = new Common(command);
        var name = new Option<string>("--name") { Description = "The instance to remove.", HelpName = "NAME", Required = true };
        command.Options.Add(name);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var opened = await common.OpenAsync(runtime, parseResult, cancellationToken);
            var manager = opened.Manager;
            var instance = parseResult.GetValue(name)!;
            await manager.RemoveAsync(instance, cancellationToken);
            runtime.WriteLine(CliMetaMessages.Removed(instance, manager.Schemaspace.Name));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Migrate(CliRuntime runtime, CommandCatalog catalog)
    {
        var command = catalog.Create(
            "migrate",
            "Migrate the stored instances of a schemaspace: each schema's provider migrates its instances (by default, the schema's declared migrations are applied to the instances stored with an older schema_version). Prints the names migrated.",
            "cairn meta migrate code-snippets --schemas code-snippet.schema.json");
        var common = new Common(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var opened = await common.OpenAsync(runtime, parseResult, cancellationToken);
            var manager = opened.Manager;
            var migrated = await manager.MigrateAsync(cancellationToken);
            runtime.WriteLine(migrated.Count == 0
                ? CliMetaMessages.NoneMigrated(manager.Schemaspace.Name)
                : CliMetaMessages.Migrated(manager.Schemaspace.Name, migrated));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Export(CliRuntime runtime, CommandCatalog catalog)
    {
        var command = catalog.Create(
            "export",
            "Write the schemaspace's instances to DIRECTORY/SCHEMASPACE/NAME.json (with name and resource, as Elyra exports them).",
            "cairn meta export code-snippets --schemas code-snippet.schema.json --directory backup");
        var common = new Common(command);
        var directory = new Option<string>("--directory") { Description = "Where to export to; the instances go to DIRECTORY/SCHEMASPACE/.", HelpName = "DIR", Required = true };
        var schemaName = new Option<string>("--schema_name") { Description = "Export only the instances of this schema.", HelpName = "SCHEMA" };
        var clean = new Option<bool>("--clean") { Description = "Empty DIRECTORY/SCHEMASPACE of *.json files first." };
        var includeSecrets = new Option<bool>("--include-secrets") { Description = "Write the values of secret properties in plain text (otherwise they are written as ********, which an import keeps the stored value for)." };
        command.Options.Add(directory);
        command.Options.Add(schemaName);
        var includeInvalid = IncludeInvalidOption(command);
        command.Options.Add(clean);
        command.Options.Add(includeSecrets);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var opened = await common.OpenAsync(runtime, parseResult, cancellationToken);
            var manager = opened.Manager;
            var target = Path.Combine(runtime.ResolvePath(parseResult.GetValue(directory)!), manager.Schemaspace.Name);
            if (parseResult.GetValue(clean) && Directory.Exists(target))
            {
                foreach (var file in Directory.GetFiles(target, "*.json")) File.Delete(file);
            }

            Directory.CreateDirectory(target);
            var listing = await manager.ListAsync(parseResult.GetValue(schemaName), cancellationToken);
            var reveal = parseResult.GetValue(includeSecrets);
            foreach (var instance in listing.Instances)
            {
                var shown = reveal ? instance : manager.Redact(instance);
                var file = Path.Combine(target, instance.Name + ".json");
                if (reveal) PrivateFile(file);
                await File.WriteAllTextAsync(file, shown.ToJson(includeResource: true).ToJsonString(ExportJson) + "\n", cancellationToken);
            }

            var invalid = 0;
            if (parseResult.GetValue(includeInvalid))
            {
                foreach (var instance in listing.Invalid)
                {
                    await File.WriteAllTextAsync(Path.Combine(target, instance.Name + ".json"), InvalidJson(instance).ToJsonString(ExportJson) + "\n", cancellationToken);
                    invalid++;
                }
            }

            runtime.WriteLine(CliMetaMessages.Exported(listing.Instances.Count + invalid, invalid, manager.Schemaspace.Name, target));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Import(CliRuntime runtime, CommandCatalog catalog)
    {
        var command = catalog.Create(
            "import",
            "Import every DIRECTORY/*.json file as an instance named after the file; each must hold schema_name, display_name and metadata. Files that fail are listed with their reason (exit code 3); the others are imported.",
            "cairn meta import code-snippets --schemas code-snippet.schema.json --directory backup/code-snippets --overwrite");
        var common = new Common(command);
        var directory = new Option<string>("--directory") { Description = "The directory of instance files (*.json).", HelpName = "DIR", Required = true };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace instances that already exist (otherwise they are reported as failures)." };
        command.Options.Add(directory);
        command.Options.Add(overwrite);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var opened = await common.OpenAsync(runtime, parseResult, cancellationToken);
            var (manager, store) = (opened.Manager, opened.Store);
            var source = runtime.ResolvePath(parseResult.GetValue(directory)!);
            if (!Directory.Exists(source)) throw new NotFoundException(CliMetaMessages.DirectoryMissing(source));

            var imported = 0;
            var failures = new List<IReadOnlyList<string>>();
            foreach (var file in Directory.GetFiles(source, "*.json").Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileNameWithoutExtension(file);
                try
                {
                    var json = ParseObject(await File.ReadAllTextAsync(file, cancellationToken), Path.GetFileName(file));
                    if (json["schema_name"] is null || json["display_name"] is null || json["metadata"] is null) throw new InvalidArgumentException(CliMetaMessages.ImportMissingFields);
                    var input = MetadataInput.FromJson(json) with { Name = name };
                    var exists = (await store.FetchAsync(manager.Schemaspace.Name, name, cancellationToken)).Count > 0;
                    if (exists && parseResult.GetValue(overwrite)) await manager.UpdateAsync(name, input, cancellationToken);
                    else await manager.CreateAsync(input, cancellationToken);
                    imported++;
                }
                catch (CairnException e)
                {
                    failures.Add([Path.GetFileName(file), e.Message]);
                }
            }

            runtime.WriteLine(CliMetaMessages.Imported(imported, manager.Schemaspace.Name, failures.Count));
            if (failures.Count == 0) return ExitCodes.Success;
            runtime.WriteLine(string.Empty);
            WriteColumns(runtime, ["File", "Reason"], failures);
            return ExitCodes.InvalidArgument;
        });
        return command;
    }

    /// <summary>Makes <paramref name="file"/> readable by its owner only before secrets are written to it.</summary>
    private static void PrivateFile(string file)
    {
        if (OperatingSystem.IsWindows()) return;
        using (new FileStream(file, new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
        {
        }

        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private static Option<bool> IncludeInvalidOption(Command command)
    {
        var option = new Option<bool>("--include-invalid") { Description = "Also list (or export) the instances that fail to load or validate, with their reason." };
        command.Options.Add(option);
        return option;
    }

    private static JsonObject InvalidJson(InvalidInstance instance)
    {
        var json = (JsonObject?)instance.Content?.DeepClone() ?? [];
        json["name"] = instance.Name;
        json["resource"] = instance.Resource;
        json["reason"] = instance.Reason;
        return json;
    }

    /// <summary>The <c>--PROPERTY VALUE</c> pairs the parser left unmatched, typed by <paramref name="schema"/>.</summary>
    private static List<KeyValuePair<string, JsonNode?>> Properties(ParseResult parseResult, MetadataSchema schema)
    {
        var result = new List<KeyValuePair<string, JsonNode?>>();
        var tokens = parseResult.UnmatchedTokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (!token.StartsWith("--", StringComparison.Ordinal) || token.Length == 2) throw new UsageException(CliMetaMessages.UnexpectedToken(token));
            var equals = token.IndexOf('=', StringComparison.Ordinal);
            var flag = equals < 0 ? token : token[..equals];
            string value;
            if (equals >= 0) value = token[(equals + 1)..];
            else if (i + 1 < tokens.Count && !tokens[i + 1].StartsWith("--", StringComparison.Ordinal)) value = tokens[++i];
            else throw new UsageException(CliMetaMessages.PropertyValueMissing(flag));

            var property = schema.Properties.FirstOrDefault(p => string.Equals("--" + p.Name, flag, StringComparison.Ordinal))
                ?? throw new UsageException(CliMetaMessages.UnknownProperty(flag, schema.Name, schema.Properties.Select(p => p.Name)));
            result.Add(new(property.Name, Coerce(flag, value, property, schema.Name)));
        }

        return result;
    }

    /// <summary>Types a flag's value as the schema declares the property (Elyra's coercion, with JSON where Elyra uses Python literals).</summary>
    internal static JsonNode? Coerce(string flag, string value, MetadataProperty property, string schema)
    {
        var type = property.Type;
        JsonNode? Fail() => throw new InvalidArgumentException(CliMetaMessages.PropertyNotCoercible(flag, value, type ?? "value", schema));
        switch (type)
        {
            case "string":
                return JsonValue.Create(value);
            case "integer":
                return long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) ? JsonValue.Create(integer) : Fail();
            case "number":
                return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) ? JsonValue.Create(number) : Fail();
            case "boolean":
                return value.ToUpperInvariant() switch
                {
                    "TRUE" or "1" => JsonValue.Create(true),
                    "FALSE" or "0" => JsonValue.Create(false),
                    _ => Fail(),
                };
            case "null":
                return value is "null" or "None" ? null : Fail();
            case "array":
                if (value.TrimStart().StartsWith('[')) return TryJson(value) as JsonArray ?? Fail();
                return new JsonArray([.. value.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).Select(s => (JsonNode)JsonValue.Create(s))]);
            case "object":
                if (value.TrimStart().StartsWith('{')) return TryJson(value) as JsonObject ?? Fail();
                if (File.Exists(value)) return TryJson(File.ReadAllText(value)) as JsonObject ?? Fail();
                throw new InvalidArgumentException(CliMetaMessages.PropertyObjectNotFound(flag, value));
            default:
                // Untyped (or several types): a JSON literal when it is one, else the text.
                return TryJson(value) ?? JsonValue.Create(value);
        }
    }

    /// <summary>Parses JSON, also accepting Python-style single quotes (<c>['a','b']</c>), as Elyra's literal_eval does.</summary>
    private static JsonNode? TryJson(string text)
    {
        foreach (var candidate in new[] { text, text.Replace('\'', '"') })
        {
            try
            {
                return JsonNode.Parse(candidate);
            }
            catch (JsonException)
            {
                // Try the next reading.
            }
        }

        return null;
    }

    private static JsonObject ParseObject(string text, string source)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new InvalidArgumentException(CliMetaMessages.PayloadNotJson(source, e.Message));
        }

        return node as JsonObject ?? throw new InvalidArgumentException(CliMetaMessages.PayloadNotObject(source));
    }

    /// <summary>Columns separated by two spaces, padded to the widest cell (paths and reasons stay whole).</summary>
    private static void WriteColumns(CliRuntime runtime, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = new List<IReadOnlyList<string>> { headers, headers.Select(h => new string('-', h.Length)).ToList() };
        all.AddRange(rows);
        var widths = Enumerable.Range(0, headers.Count).Select(i => all.Max(r => r[i].Length)).ToArray();
        foreach (var row in all)
        {
            var line = new StringBuilder();
            for (var i = 0; i < row.Count; i++)
            {
                if (i > 0) line.Append("  ");
                line.Append(i == row.Count - 1 ? row[i] : row[i].PadRight(widths[i]));
            }

            runtime.WriteLine(line.ToString().TrimEnd());
        }
    }

    /// <summary>What every meta command takes: the schemaspace, the schema files and the metadata directories.</summary>
    private sealed class Common
    {
        private readonly Argument<string> _schemaspace = new("schemaspace") { Description = "The schemaspace (its name, ignoring case, or its id)." };

        private readonly Option<string[]> _schemas = new("--schemas")
        {
            Description = "A directory of schema files (or one schema file, or a .dll of schema providers with code). Repeatable. Default: the schemas configuration key, else schemas/ beside the store ($CAIRN_HOME/schemas for the default store) when it exists.",
            HelpName = "DIR",
        };

        private readonly Option<string[]> _metadataDirs = new("--metadata-dir")
        {
            Description = "Keep the instances in Elyra's file layout instead of the Cairn store: a directory holding metadata/SCHEMASPACE/NAME.json. Repeatable, highest priority first; writes go to the first, the others hold factory instances.",
            HelpName = "DIR",
        };

        public Common(Command command)
        {
            command.Arguments.Add(_schemaspace);
            command.Options.Add(_schemas);
            command.Options.Add(_metadataDirs);
        }

        public async Task<OpenedSchemaspace> OpenAsync(CliRuntime runtime, ParseResult parseResult, CancellationToken cancellationToken)
        {
            var uri = runtime.StoreUriFor(parseResult);
            var home = uri.Scheme == "sqlite" && Path.GetDirectoryName(uri.Location) is { Length: > 0 } directory ? directory : StoreUri.HomeDirectory;

            // --schemas beats the configuration's schemas key, which beats schemas/ beside the store.
            var schemaPaths = (parseResult.GetValue(_schemas) ?? []).Select(runtime.ResolvePath).ToList();
            if (schemaPaths.Count == 0) schemaPaths.AddRange(runtime.Configuration(parseResult).PathList(ConfigKeys.Schemas));
            if (schemaPaths.Count == 0 && Directory.Exists(Path.Combine(home, "schemas"))) schemaPaths.Add(Path.Combine(home, "schemas"));
            var catalog = await SchemaCatalog.LoadAsync(schemaPaths.Select(SchemasProviders.FromPath), cancellationToken);
            foreach (var problem in catalog.Problems) runtime.Error.Write(CliMetaMessages.SchemaWarning(problem.Source, problem.Message).ReplaceLineEndings(" ") + "\n");
            var schemaspace = parseResult.GetValue(_schemaspace)!;

            // The key of secret properties: the secret_key_file key (or CAIRN_SECRET_KEY_FILE), else $CAIRN_HOME/secret.key.
            var keyFile = runtime.Configuration(parseResult).Text(ConfigKeys.SecretKeyFile);
            var managerOptions = new MetadataManagerOptions { Secrets = keyFile is { Length: > 0 } ? new SecretProtector(keyFile) : SecretProtector.FromEnvironment() };

            // --metadata-dir selects Elyra's file layout; otherwise the instances live in the Cairn store.
            var metadataDirs = (parseResult.GetValue(_metadataDirs) ?? []).Select(runtime.ResolvePath).ToList();
            if (metadataDirs.Count > 0)
            {
                var files = new FileInstanceStore(metadataDirs, runtime.Settings.TimeProvider);
                return new OpenedSchemaspace(new MetadataManager(catalog, schemaspace, files, managerOptions), files, null);
            }

            catalog.GetSchemaspace(schemaspace);
            var store = await runtime.OpenStoreAsync(uri, create: false, cancellationToken);
            try
            {
                var instances = StoreInstanceStore.For(store, CliRuntime.Where(uri));
                return new OpenedSchemaspace(new MetadataManager(catalog, schemaspace, instances, managerOptions), instances, store);
            }
            catch
            {
                await store.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>A schemaspace's manager and instance store, with the Cairn store they use (closed on dispose).</summary>
    private sealed record OpenedSchemaspace(MetadataManager Manager, IInstanceStore Store, IMetadataStore? Owned) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Owned?.DisposeAsync() ?? ValueTask.CompletedTask;
    }

    /// <summary>The options of create and update (Elyra's), besides one --PROPERTY per metadata property.</summary>
    private sealed class EditOptions
    {
        public EditOptions(Command command)
        {
            // The --PROPERTY flags depend on the schema, known only once the schemaspace is read: the parser leaves them unmatched.
            command.TreatUnmatchedTokensAsErrors = false;
            command.Options.Add(SchemaName);
            command.Options.Add(Name);
            command.Options.Add(DisplayName);
            command.Options.Add(File);
            command.Options.Add(Json);
        }

        public Option<string> SchemaName { get; } = new("--schema_name") { Description = "The instance's schema (default: the schemaspace's only schema).", HelpName = "SCHEMA" };

        public Option<string> Name { get; } = new("--name") { Description = "The instance's name (create: default derived from --display_name).", HelpName = "NAME" };

        public Option<string> DisplayName { get; } = new("--display_name") { Description = "The instance's display name.", HelpName = "TEXT" };

        public Option<string> File { get; } = new("--file") { Description = "A JSON file with the whole instance or just its metadata.", HelpName = "PATH" };

        public Option<string> Json { get; } = new("--json") { Description = "JSON text with the whole instance or just its metadata.", HelpName = "JSON" };

        /// <summary>The instance given by --json or --file, and the file it came from.</summary>
        public (MetadataInput? Input, string? File) Payload(CliRuntime runtime, ParseResult parseResult)
        {
            var json = parseResult.GetValue(Json);
            var file = parseResult.GetValue(File);
            if (json is not null && file is not null) throw new UsageException(CliMetaMessages.FileAndJson);
            JsonObject payload;
            if (json is not null)
            {
                payload = ParseObject(json, "--json");
            }
            else if (file is not null)
            {
                file = runtime.ResolvePath(file);
                if (!System.IO.File.Exists(file)) throw new NotFoundException(CliMetaMessages.FileMissing(file));
                payload = ParseObject(System.IO.File.ReadAllText(file), file);
            }
            else
            {
                return (null, null);
            }

            var whole = payload["metadata"] is JsonObject && (payload.ContainsKey("schema_name") || payload.ContainsKey("display_name"));
            return (whole ? MetadataInput.FromJson(payload) : new MetadataInput { Metadata = payload }, file);
        }

        /// <summary>The schema: --schema_name, else the one given, else the schemaspace's only active schema.</summary>
        public MetadataSchema Schema(Schemaspace schemaspace, ParseResult parseResult, string? given)
        {
            var active = schemaspace.ActiveSchemas.Select(s => s.Name).ToList();
            var name = parseResult.GetValue(SchemaName) ?? given;
            if (name is null)
            {
                return active.Count == 1 ? schemaspace.GetSchema(active[0]) : throw new UsageException(CliMetaMessages.SchemaNameNeeded(schemaspace.Name, active));
            }

            return schemaspace.FindSchema(name) ?? throw new UsageException(CliMetaMessages.SchemaNameNotAllowed(name, schemaspace.Name, active));
        }
    }
}
