using System.CommandLine;
using System.Text.Json.Nodes;
using Cairn.Cli.Input;
using Cairn.Cli.Output;

namespace Cairn.Cli.Commands;

/// <summary><c>cairn artifacts|executions|contexts list|get|put</c> (and <c>contexts link</c>).</summary>
internal static class NodeCommands
{
    public static Command Create(CliRuntime runtime, CommandCatalog catalog, NodeKind kind)
    {
        var plural = Kinds.Plural(kind);
        var group = kind switch
        {
            NodeKind.Artifact => catalog.Create(plural, "List, show and record artifacts: datasets, models, files.", "cairn artifacts list", "cairn artifacts get 1", "cairn artifacts put --type DataSet --uri path/to/data --property day=1 --property split=train"),
            NodeKind.Execution => catalog.Create(plural, "List, show and record executions: runs of a step.", "cairn executions list", "cairn executions put --type Trainer --state RUNNING --property state=RUNNING"),
            _ => catalog.Create(plural, "List, show and record contexts (experiments, pipeline runs) and link artifacts, executions and parent contexts to them.", "cairn contexts list", "cairn contexts link 1 --artifact 2 --execution 1"),
        };
        group.Subcommands.Add(List(runtime, catalog, kind));
        group.Subcommands.Add(Get(runtime, catalog, kind));
        group.Subcommands.Add(Put(runtime, catalog, kind));
        group.Subcommands.Add(LabelCommand.Create(runtime, catalog, kind, NodeLabels.TagsField));
        group.Subcommands.Add(LabelCommand.Create(runtime, catalog, kind, NodeLabels.OwnersField));
        if (kind == NodeKind.Context) group.Subcommands.Add(LinkCommand.Create(runtime, catalog));
        return group;
    }

    private static Command List(CliRuntime runtime, CommandCatalog catalog, NodeKind kind)
    {
        var plural = Kinds.Plural(kind);
        string[] examples = kind switch
        {
            NodeKind.Artifact => ["cairn artifacts list", "cairn artifacts list --type DataSet --json", "cairn artifacts list --context 1", "cairn artifacts list --limit 10 --order-by create_time --desc", "cairn artifacts list --filter \"state = LIVE AND properties.day.int_value = 1\"", "cairn artifacts list --type DataSet --filter \"uri LIKE 'path/to/data/%'\" --all"],
            NodeKind.Execution => ["cairn executions list", "cairn executions list --type Trainer --json", "cairn executions list --filter \"events_e.artifact_id = 2\""],
            _ => ["cairn contexts list", "cairn contexts list --type Experiment --json", "cairn contexts list --filter \"child_contexts_c.name = 'exp1'\""],
        };
        var command = catalog.Create("list", $"List {plural}, all of them or those of one type" + (kind == NodeKind.Context ? "." : " or one context."), examples);
        var type = new Option<string>("--type") { Description = $"Only {plural} of this type.", HelpName = "NAME" };
        var typeVersion = new Option<string>("--type-version") { Description = "The version of --type (default: unversioned).", HelpName = "VERSION" };
        var context = new Option<long?>("--context") { Description = $"Only {plural} in this context.", HelpName = "ID" };
        var listing = new ListingOptions();
        command.Options.Add(type);
        command.Options.Add(typeVersion);
        if (kind != NodeKind.Context) command.Options.Add(context);
        listing.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var typeName = parseResult.GetValue(type);
            var contextId = parseResult.GetValue(context);
            if (typeName is not null && contextId is not null) throw new UsageException(CliMessages.Exclusive("--type", "--context"));
            var limit = listing.LimitOf(parseResult);
            await using var store = await runtime.OpenStoreAsync(parseResult, cancellationToken);
            var version = parseResult.GetValue(typeVersion);
            var json = runtime.WantsJson(parseResult);
            var nodes = await NodeListing.CollectAsync(
                runtime,
                options => contextId is { } id ? Kinds.ListByContextAsync(store, kind, id, options, cancellationToken)
                    : typeName is not null ? Kinds.ListByTypeAsync(store, kind, typeName, version, options, cancellationToken)
                    : Kinds.ListAsync(store, kind, options, cancellationToken),
                new NodeListingRequest(plural, limit, listing.OrderByOf(parseResult), listing.AscendingOf(parseResult), parseResult.GetValue(listing.Filter), ShowProgress: !json),
                cancellationToken);

            if (json)
            {
                runtime.WriteJson(new JsonObject { [plural] = JsonShapes.Nodes(nodes) });
            }
            else if (nodes.Count == 0)
            {
                runtime.WriteLine(CliMessages.NoneFound(plural));
            }
            else
            {
                runtime.Console.Write(Tables.Nodes(kind, nodes));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Get(CliRuntime runtime, CommandCatalog catalog, NodeKind kind)
    {
        var name = Messages.KindName(kind);
        string[] examples = kind switch
        {
            NodeKind.Artifact => ["cairn artifacts get 1", "cairn artifacts get 1 --json", "cairn artifacts get --type SavedModel --name mnist-v1"],
            NodeKind.Execution => ["cairn executions get 1", "cairn executions get 1 --json"],
            _ => ["cairn contexts get --type Experiment --name exp1", "cairn contexts get 1 --json"],
        };
        var command = catalog.Create("get", $"Show one {name}, by id or by type and name.", examples);
        var id = new Argument<long?>("id") { Description = $"The {name}'s id.", Arity = ArgumentArity.ZeroOrOne };
        var type = new Option<string>("--type") { Description = "The type's name (with --name).", HelpName = "NAME" };
        var typeVersion = new Option<string>("--type-version") { Description = "The version of --type (default: unversioned).", HelpName = "VERSION" };
        var nodeName = new Option<string>("--name") { Description = $"The {name}'s name (with --type).", HelpName = "NAME" };
        command.Arguments.Add(id);
        command.Options.Add(type);
        command.Options.Add(typeVersion);
        command.Options.Add(nodeName);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var idValue = parseResult.GetValue(id);
            var typeName = parseResult.GetValue(type);
            var nameValue = parseResult.GetValue(nodeName);
            var byName = typeName is not null || nameValue is not null;
            if (idValue is null ? typeName is null || nameValue is null : byName)
            {
                throw new UsageException(CliMessages.GetNeedsIdOrTypeAndName(name));
            }

            await using var store = await runtime.OpenStoreAsync(parseResult, cancellationToken);
            Node node;
            if (idValue is { } nodeId)
            {
                node = (await Kinds.GetByIdsAsync(store, kind, [nodeId], cancellationToken)).FirstOrDefault()
                    ?? throw new NotFoundException(Messages.NodeIdNotFound(kind, nodeId));
            }
            else
            {
                node = await Kinds.GetByTypeAndNameAsync(store, kind, typeName!, nameValue!, parseResult.GetValue(typeVersion), cancellationToken)
                    ?? throw new NotFoundException(CliMessages.NodeNameNotFound(kind, typeName!, nameValue!));
            }

            if (runtime.WantsJson(parseResult)) runtime.WriteJson(JsonShapes.Node(node));
            else runtime.Console.Write(Tables.Fields(Tables.NodeFields(node)));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Put(CliRuntime runtime, CommandCatalog catalog, NodeKind kind)
    {
        var name = Messages.KindName(kind);
        var plural = Kinds.Plural(kind);
        string[] examples = kind switch
        {
            NodeKind.Artifact =>
            [
                "cairn artifacts put --type DataSet --uri path/to/data --property day=1 --property split=train",
                "cairn artifacts put --type SavedModel --name mnist-v1 --uri path/to/model --state LIVE --property version=1 --custom-property accuracy=0.97",
                "cairn artifacts put --id 1 --state LIVE --custom-property owner=andy",
                "cairn artifacts put --file artifacts.yaml",
            ],
            NodeKind.Execution =>
            [
                "cairn executions put --type Trainer --state RUNNING --property state=RUNNING",
                "cairn executions put --id 1 --state COMPLETE --property state=COMPLETED",
            ],
            _ =>
            [
                "cairn contexts put --type Experiment --name exp1 --property note=\"My first experiment.\"",
                "cairn contexts put --file contexts.json",
            ],
        };
        var command = catalog.Create(
            "put",
            $"Record {plural}: one from flags, or several from a JSON or YAML file. With --id, update only the fields given.",
            examples);
        var id = new Option<long?>("--id") { Description = $"Update this {name}: only the fields given change.", HelpName = "ID" };
        var type = new Option<string>("--type") { Description = $"The {name}'s type (required to create).", HelpName = "NAME" };
        var typeVersion = new Option<string>("--type-version") { Description = "The version of --type (default: unversioned).", HelpName = "VERSION" };
        var nodeName = new Option<string>("--name") { Description = kind == NodeKind.Context ? "The context's name (required, unique per type)." : $"The {name}'s name (unique per type).", HelpName = "NAME" };
        var externalId = new Option<string>("--external-id") { Description = "An id from another system (unique per kind).", HelpName = "ID" };
        var uri = new Option<string>("--uri") { Description = "Where the artifact's bytes live.", HelpName = "URI" };
        var state = new Option<string>("--state")
        {
            Description = kind == NodeKind.Artifact
                ? "The artifact's state: " + MlmdNames.List<ArtifactState>() + "."
                : "The execution's last known state: " + MlmdNames.List<ExecutionState>() + ".",
            HelpName = "STATE",
        };
        var property = new Option<string[]>("--property")
        {
            Description = "A property the type declares, as k=v; v is read as the declared type (INT, DOUBLE, STRING, BOOLEAN, STRUCT as JSON). Repeatable.",
            HelpName = "K=V",
        };
        var customProperty = new Option<string[]>("--custom-property")
        {
            Description = "A custom property, as k=v: integers, decimals and true/false are typed as such, \"quoted\" or other text is a string. Repeatable.",
            HelpName = "K=V",
        };
        var tag = new Option<string[]>("--tag") { Description = $"A tag of the {name}. Repeatable; with --id, the tags given replace the stored ones (see '{plural} tag' to add or remove one).", HelpName = "TAG" };
        var owner = new Option<string[]>("--owner") { Description = $"An owner of the {name} (a user or team). Repeatable; with --id, the owners given replace the stored ones.", HelpName = "OWNER" };
        var file = new Option<string>("--file") { Description = $"Read {plural} from a JSON or YAML file (a list, one {name}, or {{\"{plural}\": [...]}} as list --json prints); all are recorded in one transaction.", HelpName = "PATH" };
        Option[] fieldOptions = kind switch
        {
            NodeKind.Artifact => [id, type, typeVersion, nodeName, externalId, uri, state, property, customProperty, tag, owner],
            NodeKind.Execution => [id, type, typeVersion, nodeName, externalId, state, property, customProperty, tag, owner],
            _ => [id, type, typeVersion, nodeName, externalId, property, customProperty, tag, owner],
        };
        foreach (var option in fieldOptions) command.Options.Add(option);
        command.Options.Add(file);

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var filePath = parseResult.GetValue(file);
            var given = fieldOptions.Where(o => parseResult.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
            IReadOnlyList<NodeDraft> drafts;
            var updateMask = new List<string>();
            if (filePath is not null)
            {
                if (given.Count > 0) throw new UsageException(CliMessages.FileExcludesFlags(given[0]));
                var tree = await InputFiles.ReadAsync(filePath, runtime.ResolvePath(filePath), cancellationToken);
                drafts = NodeFile.Parse(tree, kind);
            }
            else
            {
                var idValue = parseResult.GetValue(id);
                if (idValue is null && parseResult.GetValue(type) is null) throw new UsageException(CliMessages.PutNeedsTypeOrFile(name));
                var draft = new NodeDraft
                {
                    Kind = kind,
                    Locate = message => message,
                    Id = idValue,
                    TypeName = parseResult.GetValue(type),
                    TypeVersion = parseResult.GetValue(typeVersion),
                    Name = parseResult.GetValue(nodeName),
                    ExternalId = parseResult.GetValue(externalId),
                    Uri = parseResult.GetValue(uri),
                    State = parseResult.GetValue(state),
                    Tags = parseResult.GetValue(tag) is { Length: > 0 } tags ? tags : null,
                    Owners = parseResult.GetValue(owner) is { Length: > 0 } owners ? owners : null,
                };
                AddFlags(parseResult.GetValue(property), "--property", draft.Properties);
                AddFlags(parseResult.GetValue(customProperty), "--custom-property", draft.CustomProperties);
                if (idValue is not null)
                {
                    updateMask.AddRange(MaskOf(draft));
                    if (updateMask.Count == 0) throw new UsageException(CliMessages.NothingToUpdate(name));
                }

                drafts = [draft];
            }

            await using var store = await runtime.OpenStoreAsync(parseResult, cancellationToken);
            if (updateMask.Count > 0) await BindToStoredAsync(store, drafts[0], cancellationToken);
            var nodes = await new NodeBuilder(store).BuildAsync(drafts, cancellationToken);
            var options = updateMask.Count > 0 ? new PutNodesOptions { UpdateMask = updateMask } : null;
            var ids = await Kinds.PutAsync(store, kind, nodes, options, cancellationToken);

            if (runtime.WantsJson(parseResult)) runtime.WriteJson(new JsonObject { [name + "_ids"] = JsonShapes.Ids(ids) });
            else if (updateMask.Count > 0) runtime.WriteLine(CliMessages.Updated(kind, ids[0]));
            else runtime.WriteLine(CliMessages.Recorded(kind, ids, nodes.Count(n => n.Id is not null)));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>An update from flags changes only what was given: the type comes from the stored node.</summary>
    private static async Task BindToStoredAsync(IMetadataStore store, NodeDraft draft, CancellationToken cancellationToken)
    {
        var id = draft.Id!.Value;
        var stored = (await Kinds.GetByIdsAsync(store, draft.Kind, [id], cancellationToken)).FirstOrDefault()
            ?? throw new NotFoundException(Messages.NodeIdNotFound(draft.Kind, id));
        if (draft.TypeName is not null && !string.Equals(draft.TypeName, stored.Type, StringComparison.Ordinal))
        {
            throw new InvalidArgumentException(CliMessages.UpdateTypeMismatch(draft.Kind, id, stored.Type ?? string.Empty, draft.TypeName));
        }

        draft.TypeId = stored.TypeId;
    }

    private static IEnumerable<string> MaskOf(NodeDraft draft)
    {
        if (draft.Name is not null) yield return "name";
        if (draft.ExternalId is not null) yield return "external_id";
        if (draft.Uri is not null) yield return "uri";
        if (draft.State is not null) yield return draft.Kind == NodeKind.Execution ? "last_known_state" : "state";
        foreach (var (key, _) in draft.Properties) yield return "properties." + key;
        foreach (var (key, _) in draft.CustomProperties) yield return "custom_properties." + key;
        if (draft.Tags is not null) yield return NodeLabels.TagsField;
        if (draft.Owners is not null) yield return NodeLabels.OwnersField;
    }

    private static void AddFlags(string[]? flags, string option, List<(string, RawValue)> into)
    {
        foreach (var flag in flags ?? [])
        {
            var (key, value) = ValueInput.SplitFlag(flag, option);
            into.Add((key, new ScalarValue(value, null, message => new InvalidArgumentException($"{option} {flag}: {message}"))));
        }
    }
}
