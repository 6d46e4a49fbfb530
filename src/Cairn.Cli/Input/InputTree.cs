using System.Globalization;
using System.Text.Json.Nodes;

namespace Cairn.Cli.Input;

/// <summary>Which JSON-like kind a scalar is; YAML plain scalars are classified the way YAML's core schema does.</summary>
internal enum ScalarKind
{
    String,
    Number,
    Bool,
    Null,
}

/// <summary>
/// A parsed JSON or YAML document that remembers where each value came from, so an error in the input can name
/// the file, line and column.
/// </summary>
internal abstract record InNode(string File, int Line, int Column)
{
    public abstract string Describe { get; }

    public InvalidArgumentException Error(string message) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}:{Column}: {message}"));
}

internal sealed record InMap(string File, int Line, int Column, IReadOnlyList<KeyValuePair<InScalar, InNode>> Entries)
    : InNode(File, Line, Column)
{
    public override string Describe => "a mapping";

    public InNode? this[string key] => Entries.FirstOrDefault(e => string.Equals(e.Key.Text, key, StringComparison.Ordinal)).Value;

    /// <summary>Refuses keys outside <paramref name="allowed"/>, so a misspelt field is an error instead of being ignored.</summary>
    public void OnlyKeys(string what, params string[] allowed)
    {
        foreach (var (key, _) in Entries)
        {
            if (!allowed.Contains(key.Text, StringComparer.Ordinal))
            {
                throw key.Error(CliMessages.InputUnknownField(key.Text ?? string.Empty, what, allowed));
            }
        }
    }
}

internal sealed record InSeq(string File, int Line, int Column, IReadOnlyList<InNode> Items) : InNode(File, Line, Column)
{
    public override string Describe => "a list";
}

internal sealed record InScalar(string File, int Line, int Column, string? Text, ScalarKind Kind) : InNode(File, Line, Column)
{
    public override string Describe => Kind switch
    {
        ScalarKind.Null => "null",
        ScalarKind.String => "the string '" + Text + "'",
        _ => Text ?? string.Empty,
    };
}

/// <summary>Typed access to input values with located errors.</summary>
internal static class In
{
    public static InMap Map(InNode node, string what) =>
        node as InMap ?? throw node.Error(CliMessages.InputExpected("a mapping", what, node.Describe));

    public static string? String(InNode? node, string field)
    {
        switch (node)
        {
            case null:
            case InScalar { Kind: ScalarKind.Null }:
                return null;
            case InScalar scalar:
                return scalar.Text;
            default:
                throw node.Error(CliMessages.InputExpected("a string", field, node.Describe));
        }
    }

    public static long? Long(InNode? node, string field)
    {
        switch (node)
        {
            case null:
            case InScalar { Kind: ScalarKind.Null }:
                return null;
            case InScalar { Kind: ScalarKind.Number or ScalarKind.String } scalar
                when long.TryParse(scalar.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value):
                return value;
            default:
                throw node.Error(CliMessages.InputExpected("an integer", field, node.Describe));
        }
    }

    public static bool? Bool(InNode? node, string field)
    {
        switch (node)
        {
            case null:
            case InScalar { Kind: ScalarKind.Null }:
                return null;
            case InScalar { Kind: ScalarKind.Bool or ScalarKind.String } scalar when bool.TryParse(scalar.Text, out var value):
                return value;
            default:
                throw node.Error(CliMessages.InputExpected("true or false", field, node.Describe));
        }
    }

    /// <summary>The items of a list, or the single node when it is not a list (so one entry need not be wrapped).</summary>
    public static IReadOnlyList<InNode> Items(InNode node) => node is InSeq seq ? seq.Items : [node];

    /// <summary>Converts a subtree back to JSON (for struct values).</summary>
    public static JsonNode? ToJson(InNode node) => node switch
    {
        InMap map => new JsonObject(map.Entries.Select(e => KeyValuePair.Create(e.Key.Text ?? string.Empty, ToJson(e.Value)))),
        InSeq seq => new JsonArray([.. seq.Items.Select(ToJson)]),
        InScalar { Kind: ScalarKind.Null } => null,
        InScalar { Kind: ScalarKind.Bool } b => JsonValue.Create(bool.Parse(b.Text!)),
        InScalar { Kind: ScalarKind.Number } n when long.TryParse(n.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
        InScalar { Kind: ScalarKind.Number } n => JsonValue.Create(double.Parse(n.Text!, NumberStyles.Float, CultureInfo.InvariantCulture)),
        InScalar s => JsonValue.Create(s.Text),
        _ => null,
    };
}
