using System.CommandLine;
using System.Text.Json.Nodes;
using Cairn.Cli.Input;
using Cairn.Cli.Output;

namespace Cairn.Cli.Commands;

/// <summary><c>cairn types list|get|put</c>.</summary>
internal static class TypeCommands
{
    private static readonly NodeKind[] AllKinds = [NodeKind.Artifact, NodeKind.Execution, NodeKind.Context];

    public static Command Create(CliRuntime runtime, CommandCatalog catalog)
    {
        var group = catalog.Create(
            "types",
            "List, show and register artifact, execution and context types.",
            "cairn types list",
            "cairn types put --kind artifact --name DataSet --property day=INT --property split=STRING");
        group.Subcommands.Add(List(runtime, catalog));
        group.Subcommands.Add(Get(runtime, catalog));
        group.Subcommands.Add(Put(runtime, catalog));
        return group;
    }

    private static Option<string> KindOption(string description)
    {
        var option = new Option<string>("--kind") { Description = description, HelpName = "artifact|execution|context" };
        option.AcceptOnlyFromAmong("artifact", "execution", "context");
        return option;
    }

    private static Command List(CliRuntime runtime, CommandCatalog catalog)
    {
        var command = catalog.Create(
            "list",
            "List the types of the store (without MLMD's built-in mlmd.* system types).",
            "cairn types list",
            "cairn types list --kind artifact --json");
        var kind = KindOption("Only types of this kind (default: all kinds).");
        command.Options.Add(kind);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            NodeKind[] kinds = parseResult.GetValue(kind) is { } k ? [TypeInput.ParseKind(k)] : AllKinds;
            await using var store = await runtime.OpenStoreAsync(parseResult, cancellationToken);
            var byKind = new List<(NodeKind Kind, IReadOnlyList<MetadataType> Types)>();
            foreach (var each in kinds) byKind.Add((each, await Kinds.GetTypesAsync(store, each, cancellationToken)));

            if (runtime.WantsJson(parseResult))
            {
                var json = new JsonObject();
                foreach (var (each, types) in byKind) json[TypeInput.ListKey(each)] = new JsonArray([.. types.Select(t => (JsonNode)JsonShapes.Type(t))]);
                runtime.WriteJson(json);
            }
            else if (byKind.All(k => k.Types.Count == 0))
            {
                runtime.WriteLine(CliMessages.NoneFound("types"));
            }
            else
            {
                runtime.Console.Write(Tables.Types(byKind.SelectMany(k => k.Types)));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Get(CliRuntime runtime, CommandCatalog catalog)
    {
        var command = catalog.Create(
            "get",
            "Show one type by name. Without --kind every kind is searched.",
            "cairn types get DataSet",
            "cairn types get Trainer --kind execution --json");
        var name = new Argument<string>("name") { Description = "The type's name." };
        var version = new Option<string>("--version") { Description = "The type's version (default: unversioned).", HelpName = "VERSION" };
        var kind = KindOption("The kind of type (default: whichever kind has a type of this name).");
        command.Arguments.Add(name);
        command.Options.Add(kind);
        command.Options.Add(version);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var typeName = parseResult.GetValue(name)!;
            var typeVersion = parseResult.GetValue(version);
            await using var store = await runtime.OpenStoreAsync(parseResult, cancellationToken);
            MetadataType type;
            if (parseResult.GetValue(kind) is { } k)
            {
                type = await Kinds.GetTypeAsync(store, TypeInput.ParseKind(k), typeName, typeVersion, cancellationToken);
            }
            else
            {
                var found = new List<MetadataType>();
                foreach (var each in AllKinds)
                {
                    try
                    {
                        found.Add(await Kinds.GetTypeAsync(store, each, typeName, typeVersion, cancellationToken));
                    }
                    catch (NotFoundException)
                    {
                        // Not of this kind; the others are tried.
                    }
                }

                type = found.Count switch
                {
                    0 => throw new NotFoundException(CliMessages.TypeNotFoundAnyKind(typeName, typeVersion)),
                    1 => found[0],
                    _ => throw new UsageException(CliMessages.TypeNameAmbiguous(typeName, found.Select(t => Messages.KindName(t.Kind)))),
                };
            }

            if (runtime.WantsJson(parseResult)) runtime.WriteJson(JsonShapes.Type(type));
            else runtime.Console.Write(Tables.Fields(Tables.TypeFields(type)));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Put(CliRuntime runtime, CommandCatalog catalog)
    {
        var command = catalog.Create(
            "put",
            "Register a type, or check and extend a stored one with the same name and version. Several types of every kind can come from a JSON or YAML file, in one transaction.",
            "cairn types put --kind artifact --name DataSet --property day=INT --property split=STRING",
            "cairn types put --kind execution --name Trainer --base-type TRAIN --property state=STRING",
            "cairn types put --kind artifact --name DataSet --property owner=STRING --can-add-fields --can-omit-fields",
            "cairn types put --file types.yaml");
        var kind = KindOption("The kind of type (required without --file; with --file, the kind of a plain list of types).");
        var name = new Option<string>("--name") { Description = "The type's name.", HelpName = "NAME" };
        var version = new Option<string>("--version") { Description = "The type's version (default: unversioned).", HelpName = "VERSION" };
        var description = new Option<string>("--description") { Description = "A description (stored when the type is created).", HelpName = "TEXT" };
        var externalId = new Option<string>("--external-id") { Description = "An id from another system (unique across types).", HelpName = "ID" };
        var baseType = new Option<string>("--base-type")
        {
            Description = "MLMD system base type: " + MlmdNames.List(ArtifactBaseType.Unset) + " (artifact types); " + MlmdNames.List(ExecutionBaseType.Unset) + " (execution types).",
            HelpName = "BASE",
        };
        var property = new Option<string[]>("--property")
        {
            Description = "A declared property, as name=TYPE with TYPE one of " + MlmdNames.List(PropertyType.Unknown) + ". Repeatable.",
            HelpName = "NAME=TYPE",
        };
        var canAddFields = new Option<bool>("--can-add-fields") { Description = "Allow adding properties to a stored type." };
        var canOmitFields = new Option<bool>("--can-omit-fields") { Description = "Allow leaving out properties the stored type has (they are kept)." };
        var file = new Option<string>("--file") { Description = "Read types from a JSON or YAML file shaped like 'types list --json' prints.", HelpName = "PATH" };
        Option[] fieldOptions = [name, version, description, externalId, baseType, property];
        command.Options.Add(kind);
        foreach (var option in fieldOptions) command.Options.Add(option);
        command.Options.Add(canAddFields);
        command.Options.Add(canOmitFields);
        command.Options.Add(file);

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var kindValue = parseResult.GetValue(kind) is { } k ? TypeInput.ParseKind(k) : (NodeKind?)null;
            var filePath = parseResult.GetValue(file);
            List<ArtifactType> artifactTypes;
            List<ExecutionType> executionTypes;
            List<ContextType> contextTypes;
            if (filePath is not null)
            {
                var given = fieldOptions.FirstOrDefault(o => parseResult.GetResult(o) is { Implicit: false });
                if (given is not null) throw new UsageException(CliMessages.FileExcludesFlags(given.Name));
                var tree = await InputFiles.ReadAsync(filePath, runtime.ResolvePath(filePath), cancellationToken);
                (artifactTypes, executionTypes, contextTypes) = TypeInput.ParseFile(tree, kindValue);
            }
            else
            {
                if (kindValue is null || parseResult.GetValue(name) is null) throw new UsageException(CliMessages.TypePutNeedsKindAndName);
                var properties = new Dictionary<string, PropertyType>(StringComparer.Ordinal);
                foreach (var flag in parseResult.GetValue(property) ?? [])
                {
                    var (propertyName, typeText) = ValueInput.SplitFlag(flag, "--property");
                    properties[propertyName] = TypeInput.ParsePropertyType(typeText, message => new InvalidArgumentException($"--property {flag}: {message}"));
                }

                var type = TypeInput.Create(
                    kindValue.Value,
                    parseResult.GetValue(name),
                    parseResult.GetValue(version),
                    parseResult.GetValue(description),
                    parseResult.GetValue(externalId),
                    parseResult.GetValue(baseType),
                    properties,
                    message => new InvalidArgumentException("--base-type: " + message));
                artifactTypes = type is ArtifactType a ? [a] : [];
                executionTypes = type is ExecutionType e ? [e] : [];
                contextTypes = type is ContextType c ? [c] : [];
            }

            var options = new TypeUpsertOptions { CanAddFields = parseResult.GetValue(canAddFields), CanOmitFields = parseResult.GetValue(canOmitFields) };
            await using var store = await runtime.OpenStoreAsync(parseResult, cancellationToken);
            var result = await store.PutTypesAsync(artifactTypes, executionTypes, contextTypes, options, cancellationToken);

            if (runtime.WantsJson(parseResult))
            {
                runtime.WriteJson(new JsonObject
                {
                    ["artifact_type_ids"] = JsonShapes.Ids(result.ArtifactTypeIds),
                    ["execution_type_ids"] = JsonShapes.Ids(result.ExecutionTypeIds),
                    ["context_type_ids"] = JsonShapes.Ids(result.ContextTypeIds),
                });
            }
            else
            {
                var registered = artifactTypes.Zip(result.ArtifactTypeIds, (t, id) => ((MetadataType)t, id))
                    .Concat(executionTypes.Zip(result.ExecutionTypeIds, (t, id) => ((MetadataType)t, id)))
                    .Concat(contextTypes.Zip(result.ContextTypeIds, (t, id) => ((MetadataType)t, id)));
                foreach (var (type, id) in registered) runtime.WriteLine(CliMessages.TypeRegistered(type.Kind, type.Name ?? string.Empty, type.Version, id));
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
