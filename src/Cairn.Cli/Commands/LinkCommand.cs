using System.CommandLine;
using System.Text.Json.Nodes;

namespace Cairn.Cli.Commands;

/// <summary><c>cairn contexts link</c>: attributions, associations and parent contexts.</summary>
internal static class LinkCommand
{
    public static Command Create(CliRuntime runtime, CommandCatalog catalog)
    {
        var command = catalog.Create(
            "link",
            "Add artifacts (attributions), executions (associations) and parent contexts to a context. Links that already exist are kept.",
            "cairn contexts link 1 --artifact 2 --execution 1",
            "cairn contexts link 1 --parent 2");
        var context = new Argument<long>("context-id") { Description = "The context to link to." };
        var artifacts = new Option<long[]>("--artifact") { Description = "Attribute this artifact to the context. Repeatable.", HelpName = "ID" };
        var executions = new Option<long[]>("--execution") { Description = "Associate this execution with the context. Repeatable.", HelpName = "ID" };
        var parents = new Option<long[]>("--parent") { Description = "Make this context a parent of the context. Repeatable.", HelpName = "ID" };
        command.Arguments.Add(context);
        command.Options.Add(artifacts);
        command.Options.Add(executions);
        command.Options.Add(parents);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var contextId = parseResult.GetValue(context);
            var artifactIds = parseResult.GetValue(artifacts) ?? [];
            var executionIds = parseResult.GetValue(executions) ?? [];
            var parentIds = parseResult.GetValue(parents) ?? [];
            if (artifactIds.Length + executionIds.Length + parentIds.Length == 0) throw new UsageException(CliMessages.LinkNeedsSomething);

            await using var store = await runtime.OpenStoreAsync(parseResult, cancellationToken);

            // Parents first: they are the links the store may refuse (cycles, duplicates), and attributions are idempotent.
            if (parentIds.Length > 0)
            {
                await store.PutParentContextsAsync([.. parentIds.Select(p => new ParentContext(contextId, p))], cancellationToken);
            }

            if (artifactIds.Length + executionIds.Length > 0)
            {
                await store.PutAttributionsAndAssociationsAsync(
                    [.. artifactIds.Select(a => new Attribution(contextId, a))],
                    [.. executionIds.Select(e => new Association(contextId, e))],
                    cancellationToken);
            }

            if (runtime.WantsJson(parseResult))
            {
                runtime.WriteJson(new JsonObject
                {
                    ["context_id"] = contextId,
                    ["artifact_ids"] = Output.JsonShapes.Ids(artifactIds),
                    ["execution_ids"] = Output.JsonShapes.Ids(executionIds),
                    ["parent_ids"] = Output.JsonShapes.Ids(parentIds),
                });
            }
            else
            {
                runtime.WriteLine(CliMessages.Linked(contextId, artifactIds.Length, executionIds.Length, parentIds.Length));
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
