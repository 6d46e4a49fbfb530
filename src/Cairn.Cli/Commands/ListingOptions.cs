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

    public ListingOptions()
    {
        OrderBy.AcceptOnlyFromAmong("id", "create_time", "update_time");
    }

    public void AddTo(Command command)
    {
        command.Options.Add(Limit);
        command.Options.Add(OrderBy);
        command.Options.Add(Descending);
    }

    public int? LimitOf(ParseResult parseResult)
    {
        var limit = parseResult.GetValue(Limit);
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
