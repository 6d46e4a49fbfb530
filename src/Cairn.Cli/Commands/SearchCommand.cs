using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Cairn.Cli.Output;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Cairn.Cli.Commands;

/// <summary>
/// <c>cairn search TEXT</c>: full-text search over artifacts, executions and contexts (names, types, URIs, external ids, string
/// properties, tags, owners), ranked, with the matched words highlighted, narrowed by kind, type, owner, tag, time and a filter
/// query, with facet counts on request.
/// </summary>
internal static class SearchCommand
{
    public static Command Create(CliRuntime runtime, CommandCatalog catalog)
    {
        var command = catalog.Create(
            "search",
            "Search names, types, URIs, external ids, string properties, tags and owners: words (all must match), \"phrases\", prefix*, OR, -excluded; ranked, with the matches highlighted.",
            "cairn search mnist",
            "cairn search \"path/to*\" --kind artifact --facets --limit 2",
            "cairn search \"data -test\" --owner andy --since 10d",
            "cairn search data --kind artifact --filter \"uri LIKE 'path/to/data/%'\" --json");
        var text = new Argument<string?>("text")
        {
            Description = "What to search for; empty lists every node the options allow, newest first. Syntax: docs/catalog.md#search.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var kind = new Option<string[]>("--kind")
        {
            Description = "Search only this kind: artifact, execution or context (repeatable).",
            HelpName = "KIND",
            AllowMultipleArgumentsPerToken = false,
        };
        kind.AcceptOnlyFromAmong("artifact", "execution", "context");
        var type = new Option<string>("--type") { Description = "Only nodes of this type.", HelpName = "TYPE" };
        var owner = new Option<string>("--owner") { Description = "Only nodes with this owner.", HelpName = "OWNER" };
        var tag = new Option<string>("--tag") { Description = "Only nodes with this tag.", HelpName = "TAG" };
        var since = new Option<string>("--since") { Description = "Created at or after: a duration back from now (30m, 12h, 10d, 2w) or a date/time (2024-05-01).", HelpName = "WHEN" };
        var until = new Option<string>("--until") { Description = "Created before: a duration back from now or a date/time (a bare date includes its whole day).", HelpName = "WHEN" };
        var filter = new Option<string>("--filter") { Description = "Also match this MLMD filter query (needs one --kind), e.g. \"uri LIKE '/lake/%'\".", HelpName = "FILTER" };
        var facets = new Option<bool>("--facets") { Description = "Also count the matches by kind, type, owner, tag, context and creation month." };
        var byDay = new Option<bool>("--by-day") { Description = "With --facets: count creation dates by day instead of month." };
        var limit = new Option<int>("--limit") { Description = $"Hits per page, 1 to {SearchRequest.MaxLimit} (default 20).", HelpName = "N", DefaultValueFactory = _ => 20 };
        var page = new Option<string>("--page") { Description = "Continue with the page token a previous search printed.", HelpName = "TOKEN" };
        command.Arguments.Add(text);
        foreach (var option in new Option[] { kind, type, owner, tag, since, until, filter, facets, byDay, limit, page }) command.Options.Add(option);

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            static string? Value(string? s) => string.IsNullOrEmpty(s) ? null : s;
            var now = runtime.Settings.TimeProvider.GetUtcNow();
            var request = new SearchRequest
            {
                Text = parseResult.GetValue(text),
                Kinds = [.. (parseResult.GetValue(kind) ?? []).Distinct(StringComparer.Ordinal).Select(ParseKind)],
                Type = Value(parseResult.GetValue(type)),
                Owner = Value(parseResult.GetValue(owner)),
                Tag = Value(parseResult.GetValue(tag)),
                Since = parseResult.GetValue(since) is { Length: > 0 } s ? FileCommands.ParseWhen("--since", s, now, endOfDay: false) : null,
                Until = parseResult.GetValue(until) is { Length: > 0 } u ? FileCommands.ParseWhen("--until", u, now, endOfDay: true) : null,
                FilterQuery = Value(parseResult.GetValue(filter)),
                Facets = parseResult.GetValue(facets),
                DateBucket = parseResult.GetValue(byDay) ? SearchDateBucket.Day : SearchDateBucket.Month,
                Limit = parseResult.GetValue(limit),
                PageToken = Value(parseResult.GetValue(page)),
            };
            await using var store = await runtime.OpenStoreAsync(parseResult, cancellationToken);
            var result = await store.SearchAsync(request, cancellationToken);

            if (runtime.WantsJson(parseResult))
            {
                runtime.WriteJson(Json(result));
                return ExitCodes.Success;
            }

            if (result.Hits.Count == 0) runtime.WriteLine(CliMessages.SearchNothing);
            else runtime.Console.Write(HitTable(result));
            runtime.WriteLine(CliMessages.SearchTotal(result.Hits.Count, result.Total));
            if (result.Facets is { } f) runtime.Console.Write(FacetTable(f));
            if (result.NextPageToken is { } token) runtime.WriteLine(CliMessages.SearchNextPage(token));
            return ExitCodes.Success;
        });
        return command;
    }

    private static NodeKind ParseKind(string kind) => kind switch
    {
        "artifact" => NodeKind.Artifact,
        "execution" => NodeKind.Execution,
        _ => NodeKind.Context,
    };

    /// <summary>One row per hit; the matched words are bold and underlined in the MATCHES column when the terminal shows styles.</summary>
    private static Table HitTable(SearchResult result)
    {
        var table = Tables.Create("KIND", "ID", "TYPE", "NAME", "SCORE", "MATCHES");
        // Scores are relative to the page's best hit: raw BM25 and ts_rank values mean little to a reader.
        var best = result.Hits.Max(h => h.Score);
        foreach (var hit in result.Hits)
        {
            var matches = new List<IRenderable>();
            foreach (var h in hit.Highlights)
            {
                var markup = Markup.Escape(h.Field) + ": ";
                var at = 0;
                foreach (var m in h.Matches)
                {
                    markup += Markup.Escape(h.Text[at..m.Start]) + "[bold underline]" + Markup.Escape(h.Text.Substring(m.Start, m.Length)) + "[/]";
                    at = m.Start + m.Length;
                }

                matches.Add(new Markup(markup + Markup.Escape(h.Text[at..])));
            }

            table.AddRow(
                new Text(Messages.KindName(hit.Kind)),
                new Text(hit.Id.ToString(CultureInfo.InvariantCulture)),
                new Text(hit.Node.Type ?? string.Empty),
                new Text(hit.Node.Name ?? string.Empty),
                new Text((best > 0 ? hit.Score / best : 0).ToString("0.00", CultureInfo.InvariantCulture)),
                matches.Count == 0 ? new Text(string.Empty) : new Rows(matches));
        }

        return table;
    }

    private static Table FacetTable(SearchFacets facets)
    {
        var table = Tables.Create("FACET", "VALUE", "COUNT");
        foreach (var (name, values) in Facets(facets))
        {
            foreach (var f in values) Tables.AddRow(table, name, f.Value, f.Count.ToString(CultureInfo.InvariantCulture));
        }

        return table;
    }

    private static IEnumerable<(string Name, IReadOnlyList<FacetCount> Values)> Facets(SearchFacets f) =>
        [("kind", f.Kinds), ("type", f.Types), ("owner", f.Owners), ("tag", f.Tags), ("context", f.Contexts), ("created", f.Created)];

    /// <summary>The JSON shape of <c>--json</c> (the same as REST's <c>GET /api/v1/search</c>).</summary>
    internal static JsonObject Json(SearchResult result)
    {
        var hits = new JsonArray();
        foreach (var hit in result.Hits)
        {
            hits.Add(new JsonObject
            {
                ["kind"] = Messages.KindName(hit.Kind),
                ["id"] = hit.Id,
                ["score"] = hit.Score,
                ["node"] = JsonShapes.Node(hit.Node),
                ["highlights"] = new JsonArray([.. hit.Highlights.Select(h => (JsonNode)new JsonObject
                {
                    ["field"] = h.Field,
                    ["text"] = h.Text,
                    ["marked"] = h.Marked("**", "**"),
                    ["matches"] = new JsonArray([.. h.Matches.Select(m => (JsonNode)new JsonObject { ["start"] = m.Start, ["length"] = m.Length })]),
                })]),
            });
        }

        var json = new JsonObject { ["total"] = result.Total, ["hits"] = hits };
        if (result.NextPageToken is { } token) json["next_page_token"] = token;
        if (result.Facets is { } f)
        {
            var facets = new JsonObject();
            foreach (var (name, values) in Facets(f))
                facets[name] = new JsonArray([.. values.Select(v => (JsonNode)new JsonObject { ["value"] = v.Value, ["count"] = v.Count })]);
            json["facets"] = facets;
        }

        return json;
    }
}
