using Spectre.Console;

namespace Cairn.Cli.Commands;

/// <summary>
/// Reads a node listing page by page (100 rows per call), with a filter query, and shows a progress line on stderr while a
/// long listing is read when stderr is a terminal (never in JSON mode, never on stdout).
/// </summary>
internal static class NodeListing
{
    public static async Task<List<Node>> CollectAsync(
        CliRuntime runtime,
        Func<ListOptions, Task<Page<Node>>> list,
        NodeListingRequest request,
        CancellationToken cancellationToken)
    {
        var rows = new List<Node>();
        string? token = null;

        async Task<bool> NextPageAsync()
        {
            var size = request.Limit is { } l ? Math.Min(ListOptions.MaxPageSize, l - rows.Count) : ListOptions.MaxPageSize;
            var page = await list(new ListOptions
            {
                MaxResultSize = size,
                OrderBy = request.OrderBy,
                IsAscending = request.Ascending,
                FilterQuery = request.FilterQuery,
                NextPageToken = token,
            });
            rows.AddRange(page.Items);
            token = page.NextPageToken;
            return !string.IsNullOrEmpty(token) && page.Items.Count > 0 && (request.Limit is not { } max || rows.Count < max);
        }

        // The first page decides whether the listing is long: only then is a progress line worth drawing.
        var more = await NextPageAsync();
        if (more && request.ShowProgress && runtime.Settings.IsErrorTerminal)
        {
            await ErrorConsole(runtime).Status().StartAsync(Markup.Escape(CliMessages.ListingProgress(request.What, rows.Count)), async status =>
            {
                while (more)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    more = await NextPageAsync();
                    status.Status(Markup.Escape(CliMessages.ListingProgress(request.What, rows.Count)));
                }
            });
        }
        else
        {
            while (more)
            {
                cancellationToken.ThrowIfCancellationRequested();
                more = await NextPageAsync();
            }
        }

        return request.Limit is { } cap && rows.Count > cap ? rows[..cap] : rows;
    }

    /// <summary>A console on stderr that may redraw in place (it is only created when stderr is a terminal).</summary>
    private static IAnsiConsole ErrorConsole(CliRuntime runtime) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.Yes,
        ColorSystem = ColorSystemSupport.Detect,
        Interactive = InteractionSupport.Yes,
        Out = new AnsiConsoleOutput(runtime.Error),
    });
}

/// <summary>What to list: at most <see cref="Limit"/> rows (null: all) in an order, matching a filter query.</summary>
internal sealed record NodeListingRequest(string What, int? Limit, OrderByField OrderBy, bool Ascending, string? FilterQuery, bool ShowProgress);
