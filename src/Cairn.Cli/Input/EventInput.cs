using System.Globalization;

namespace Cairn.Cli.Input;

/// <summary>Builds events from flags or from a file shaped like <c>events list --json</c>.</summary>
internal static class EventInput
{
    public static EventType ParseType(string text, Func<string, Exception> fail) =>
        MlmdNames.TryParse<EventType>(text, out var type) && type != EventType.Unknown
            ? type
            : throw fail(CliMessages.EventTypeUnknown(text, MlmdNames.List(EventType.Unknown)));

    /// <summary>A path step from a flag: digits are a list index, anything else a map key.</summary>
    public static EventStep ParseStep(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? EventStep.ForIndex(index) : EventStep.ForKey(text);

    public static IReadOnlyList<Event> ParseFile(InNode root)
    {
        var list = root is InMap map && map["events"] is { } wrapped && map.Entries.Count == 1 ? wrapped : root;
        var events = new List<Event>();
        foreach (var item in In.Items(list)) events.Add(ParseOne(In.Map(item, "event")));
        if (events.Count == 0) throw list.Error(CliMessages.InputNoEntries("events"));
        return events;
    }

    private static Event ParseOne(InMap map)
    {
        map.OnlyKeys("event", "artifact_id", "execution_id", "type", "path", "milliseconds_since_epoch");
        var typeNode = map["type"] ?? throw map.Error(CliMessages.InputMissingField("type", "event"));
        return new Event
        {
            ArtifactId = In.Long(map["artifact_id"], "artifact_id") ?? throw map.Error(CliMessages.InputMissingField("artifact_id", "event")),
            ExecutionId = In.Long(map["execution_id"], "execution_id") ?? throw map.Error(CliMessages.InputMissingField("execution_id", "event")),
            Type = ParseType(In.String(typeNode, "type") ?? string.Empty, typeNode.Error),
            Path = map["path"] is { } path ? ParsePath(path) : [],
            MillisecondsSinceEpoch = In.Long(map["milliseconds_since_epoch"], "milliseconds_since_epoch"),
        };
    }

    /// <summary>MLMD's <c>{steps: [{index: 0}, {key: "k"}]}</c>, or the shorthand list <c>[0, "k"]</c>.</summary>
    private static List<EventStep> ParsePath(InNode node)
    {
        if (node is InMap map)
        {
            map.OnlyKeys("path", "steps");
            node = map["steps"] ?? throw map.Error(CliMessages.InputMissingField("steps", "path"));
        }

        if (node is not InSeq steps) throw node.Error(CliMessages.InputExpected("a list", "path", node.Describe));
        var path = new List<EventStep>();
        foreach (var step in steps.Items)
        {
            switch (step)
            {
                case InScalar { Kind: ScalarKind.Number } number:
                    path.Add(EventStep.ForIndex(In.Long(number, "index")!.Value));
                    break;
                case InScalar { Kind: ScalarKind.String } key:
                    path.Add(EventStep.ForKey(key.Text ?? string.Empty));
                    break;
                case InMap stepMap:
                    stepMap.OnlyKeys("step", "index", "key");
                    if (In.Long(stepMap["index"], "index") is { } index) path.Add(EventStep.ForIndex(index));
                    else if (In.String(stepMap["key"], "key") is { } k) path.Add(EventStep.ForKey(k));
                    else throw stepMap.Error(CliMessages.InputMissingField("index' or 'key", "step"));
                    break;
                default:
                    throw step.Error(CliMessages.InputExpected("an index or a key", "path", step.Describe));
            }
        }

        return path;
    }
}
