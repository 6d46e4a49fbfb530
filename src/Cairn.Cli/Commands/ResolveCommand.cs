using System.CommandLine;
using System.Text.Json.Nodes;
using Cairn.Catalog;
using Cairn.Cli.Configuration;

namespace Cairn.Cli.Commands;

/// <summary><c>cairn resolve NAME[:CORPUS]</c>: a semantic dataset name to its path and metadata.</summary>
internal static class ResolveCommand
{
    public static Command Create(CliRuntime runtime, CommandCatalog catalog)
    {
        var command = catalog.Create(
            "resolve",
            "Print the path and tatm metadata of a dataset by its semantic name: a raw dataset, a tokenized subset (<dataset>-tokenized_<tokenizer>_<subset>) or a corpus (NAME:CORPUS). " +
            "Names are looked up in the store, then in the tatm JSON metadata store of the configuration's metadata_backend block, if any. Unknown names suggest close ones.",
            "cairn resolve dolma",
            "cairn resolve dolma:c4 --json",
            "cairn resolve dolma-tokenized_t5-base_c4");
        var name = new Argument<string>("NAME[:CORPUS]") { Description = "The dataset's name, optionally followed by :CORPUS." };
        command.Arguments.Add(name);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var configuration = runtime.Configuration(parseResult);
            TatmJsonStore? tatmJson = null;
            if (configuration.Text(ConfigKeys.MetadataBackendType) == "json")
            {
                // tatm's default file is metadata.json in the working directory.
                var path = configuration.Text(ConfigKeys.MetadataBackendStorePath) is { Length: > 0 } configured ? configured : "metadata.json";
                tatmJson = new TatmJsonStore(runtime.ResolvePath(path));
            }

            await using var store = await runtime.OpenStoreAsync(parseResult, cancellationToken);
            var resolved = await new SemanticNames(store, tatmJson).ResolveAsync(parseResult.GetValue(name)!, cancellationToken);
            if (runtime.WantsJson(parseResult)) runtime.WriteJson(Json(resolved));
            else Print(runtime, resolved);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Print(CliRuntime runtime, ResolvedName r)
    {
        var display = r.Corpus is null ? r.Name : r.Name + ":" + r.Corpus;
        var from = r.Source == NameSource.Store ? CliCatalogMessages.FromStore(r.Artifact?.Id) : CliCatalogMessages.FromTatmJson(r.SourceLocation);
        runtime.WriteLine("Path:     " + r.Path);
        runtime.WriteLine("Name:     " + display + " (" + CliCatalogMessages.Kind(r) + ", " + from + ")");
        if (r.CorpusLocation is { } corpus) runtime.WriteLine("Load:     " + CliCatalogMessages.Load(r.Metadata.DatasetPath, corpus));
        if (r.Artifact?.Tags is { Count: > 0 } tags) runtime.WriteLine("Tags:     " + string.Join(", ", tags));
        runtime.WriteLine("Metadata:");
        runtime.WriteJson(r.Metadata.ToJsonObject());
    }

    private static JsonObject Json(ResolvedName r)
    {
        var o = new JsonObject
        {
            ["name"] = r.Name,
            ["corpus"] = r.Corpus,
            ["path"] = r.Path,
            ["kind"] = r.Corpus is not null ? "corpus" : r.IsTokenized ? "tokenized" : "dataset",
            ["source"] = r.Source == NameSource.Store ? "store" : "tatm-json",
            ["source_location"] = r.SourceLocation,
        };
        if (r.Artifact is { } a)
        {
            o["artifact_id"] = a.Id;
            o["type"] = a.Type;
            o["tags"] = new JsonArray([.. (a.Tags ?? []).Select(t => (JsonNode)JsonValue.Create(t))]);
        }

        if (r.CorpusLocation is { } c) o["load"] = new JsonObject { ["argument"] = c.LoadArgument, ["value"] = c.LoadValue };
        o["metadata"] = r.Metadata.ToJsonObject();
        return o;
    }
}
