using System.CommandLine;
using Cairn.Cli.Output;

namespace Cairn.Cli.Commands;

/// <summary><c>cairn artifacts|executions|contexts tag|owner ID --add … --remove …</c>: edit labels without rewriting the node.</summary>
internal static class LabelCommand
{
    public static Command Create(CliRuntime runtime, CommandCatalog catalog, NodeKind kind, string field)
    {
        var name = Messages.KindName(kind);
        var plural = Kinds.Plural(kind);
        var tags = field == NodeLabels.TagsField;
        var one = tags ? "tag" : "owner";
        // Each runs in docs/cli.md, in this form.
        string[] examples = (kind, tags) switch
        {
            (NodeKind.Artifact, true) => ["cairn artifacts tag 2 --add mnist --add gold", "cairn artifacts tag 2 --remove gold --json"],
            (NodeKind.Artifact, false) => ["cairn artifacts owner 2 --add andy"],
            (NodeKind.Execution, true) => ["cairn executions tag 1 --add nightly"],
            (NodeKind.Execution, false) => ["cairn executions owner 1 --add brenda"],
            (_, true) => ["cairn contexts tag 1 --add baseline"],
            _ => ["cairn contexts owner 1 --add andy --json"],
        };
        var command = catalog.Create(
            one,
            $"Add {field} to a {name} or remove them; nothing else of the {name} changes. Prints the {name}'s tags and owners afterwards.",
            examples);
        var id = new Argument<long>("id") { Description = $"The {name}'s id." };
        var add = new Option<string[]>("--add") { Description = $"Add this {one} (kept once if present). Repeatable.", HelpName = one.ToUpperInvariant() };
        var remove = new Option<string[]>("--remove") { Description = $"Remove this {one} (ignored if absent). Repeatable.", HelpName = one.ToUpperInvariant() };
        command.Arguments.Add(id);
        command.Options.Add(add);
        command.Options.Add(remove);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var added = parseResult.GetValue(add) ?? [];
            var removed = parseResult.GetValue(remove) ?? [];
            if (added.Length + removed.Length == 0) throw new UsageException(CliMessages.LabelNeedsChange(one));
            var edit = tags ? new LabelEdit { AddTags = added, RemoveTags = removed } : new LabelEdit { AddOwners = added, RemoveOwners = removed };

            await using var store = await runtime.OpenStoreAsync(parseResult, cancellationToken);
            var node = await store.EditLabelsAsync(kind, parseResult.GetValue(id), edit, cancellationToken);
            if (runtime.WantsJson(parseResult)) runtime.WriteJson(JsonShapes.Node(node));
            else runtime.WriteLine(CliMessages.Labelled(kind, node.Id ?? 0, node.Tags ?? [], node.Owners ?? []));
            return ExitCodes.Success;
        });
        return command;
    }
}
