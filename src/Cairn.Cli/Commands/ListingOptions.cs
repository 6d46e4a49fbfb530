using System.CommandLine;

namespace Cairn.Cli.Commands;

/// <summary>The paging and ordering options every node list command takes.</summary>
internal sealed class ListingOptions
{
    public Option<int?> Limit { get; } = new("--limit")
    {
        Description = "Show at most N rows (default: all; rows are fetched 100 at a time).",
        HelpName = "N",
    };

    public Option<string> OrderBy { get; } = new("--order-by")
    {
        Description = "Order by id, create_time or update_time.",
        DefaultValueFactory = _ => "id",
    };

    public Option<bool> Descending { get; } = new("--desc") { Description = "Order descending." };

    public Option<string> Filter { get; } = new("--filter")
    {
        Description = "Only rows matching this filter query (MLMD's filter_query language, see docs/filter-queries.md), e.g. \"state = LIVE AND uri LIKE 's3://%'\".",
        HelpName = "QUERY",
    };

    public Option<bool> All { get; } = new("--all")
    {
        Description = "Read every row, 100 per call (what a list does without --limit), with a progress line on stderr when it is a terminal and the listing is long.",
    };

    public ListingOptions()
    {
        OrderBy.AcceptOnlyFromAmong("id", "create_time", "update_time");
    }

    public void AddTo(Command command)
    {
        command.Options.Add(Limit);
        command.Options.Add(OrderBy);
        command.Options.Add(Descending);
        command.Options.Add(Filter);
        command.Options.Add(All);
    }

    public int? LimitOf(ParseResult parseResult)
    {
        var limit = parseResult.GetValue(Limit);
        if (limit is not null && parseResult.GetValue(All)) throw new UsageException(CliMessages.Exclusive("--all", "--limit"));
        if (limit is <= 0) throw new UsageException(CliMessages.LimitNotPositive(limit.Value));
        return limit;
    }

    public OrderByField OrderByOf(ParseResult parseResult) => parseResult.GetValue(OrderBy) switch
    {
        "create_time" => OrderByField.CreateTime,
        "update_time" => OrderByField.LastUpdateTime,
        _ => OrderByField.Id,
    };

    public bool AscendingOf(ParseResult parseResult) => !parseResult.GetValue(Descending);
}
