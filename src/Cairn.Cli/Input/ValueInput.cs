using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Cairn.Cli.Input;

/// <summary>A property value as given, before it is typed against the node's type.</summary>
internal abstract record RawValue(Func<string, Exception> Error);

/// <summary>A value given in MLMD's explicit form (<c>{int_value: 1}</c>): its type is already known.</summary>
internal sealed record ExplicitValue(MetadataValue Value, Func<string, Exception> Error) : RawValue(Error);

/// <summary>A scalar: the text of a <c>k=v</c> flag (<paramref name="Kind"/> null) or a JSON/YAML scalar.</summary>
internal sealed record ScalarValue(string Text, ScalarKind? Kind, Func<string, Exception> Error) : RawValue(Error);

/// <summary>A mapping given in shorthand form, meant as a struct value.</summary>
internal sealed record StructValue(string Json, Func<string, Exception> Error) : RawValue(Error);

/// <summary>Types raw values: declared properties by their declared type, custom ones by inference.</summary>
internal static partial class ValueInput
{
    private static readonly string[] ExplicitKeys = ["int_value", "double_value", "string_value", "bool_value", "struct_value", "proto_value"];

    /// <summary>Splits a <c>k=v</c> flag.</summary>
    public static (string Key, string Value) SplitFlag(string flag, string option)
    {
        var equals = flag.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0) throw new UsageException(CliMessages.FlagNotKeyValue(option, flag));
        return (flag[..equals].Trim(), flag[(equals + 1)..]);
    }

    /// <summary>A value from a file: explicit form, struct shorthand, or a scalar.</summary>
    public static RawValue FromInput(InNode node)
    {
        Func<string, Exception> error = node.Error;
        if (node is InMap map && map.Entries.Count == 1 && ExplicitKeys.Contains(map.Entries[0].Key.Text, StringComparer.Ordinal))
        {
            var (key, value) = map.Entries[0];
            return new ExplicitValue(Explicit(key.Text!, value), error);
        }

        return node switch
        {
            InMap structMap => new StructValue(In.ToJson(structMap)!.ToJsonString(), error),
            InScalar { Kind: not ScalarKind.Null } scalar => new ScalarValue(scalar.Text ?? string.Empty, scalar.Kind, error),
            _ => throw node.Error(CliMessages.InputBadValue(node.Describe)),
        };
    }

    /// <summary>Types a value for a property the type declares as <paramref name="declared"/>.</summary>
    public static MetadataValue Declared(RawValue raw, string name, PropertyType declared)
    {
        switch (raw)
        {
            case ExplicitValue e:
                return e.Value;
            case StructValue s when declared == PropertyType.Struct:
                return MetadataValue.Struct(s.Json);
            case ScalarValue v:
                {
                    var text = v.Kind is null ? Unquote(v.Text) : v.Text;
                    switch (declared)
                    {
                        case PropertyType.Int when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l):
                            return MetadataValue.Int(l);
                        case PropertyType.Double when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d):
                            return MetadataValue.Double(d);
                        case PropertyType.Boolean when bool.TryParse(text, out var b):
                            return MetadataValue.Bool(b);
                        case PropertyType.String:
                            return MetadataValue.String(text);
                        case PropertyType.Struct when IsJsonObject(text):
                            return MetadataValue.Struct(text);
                    }

                    break;
                }
        }

        throw raw.Error(CliMessages.ValueDoesNotMatch(name, declared, Show(raw)));
    }

    /// <summary>Types a custom property value: integers, decimals and true/false are inferred; <c>"quoted"</c> text stays a string.</summary>
    public static MetadataValue Inferred(RawValue raw)
    {
        switch (raw)
        {
            case ExplicitValue e:
                return e.Value;
            case StructValue s:
                return MetadataValue.Struct(s.Json);
            case ScalarValue { Kind: ScalarKind.String } v:
                return MetadataValue.String(v.Text);
            case ScalarValue v:
                {
                    if (v.Kind is null && IsQuoted(v.Text)) return MetadataValue.String(v.Text[1..^1]);
                    if (long.TryParse(v.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return MetadataValue.Int(l);
                    if (DecimalPattern().IsMatch(v.Text) && double.TryParse(v.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return MetadataValue.Double(d);
                    if (string.Equals(v.Text, "true", StringComparison.OrdinalIgnoreCase)) return MetadataValue.Bool(true);
                    if (string.Equals(v.Text, "false", StringComparison.OrdinalIgnoreCase)) return MetadataValue.Bool(false);
                    return MetadataValue.String(v.Text);
                }

            default:
                throw raw.Error(CliMessages.InputBadValue(Show(raw)));
        }
    }

    private static MetadataValue Explicit(string key, InNode value)
    {
        switch (key)
        {
            case "int_value":
                return MetadataValue.Int(In.Long(value, key) ?? throw value.Error(CliMessages.InputExpected("an integer", key, value.Describe)));
            case "double_value":
                if (value is InScalar { Kind: ScalarKind.Number or ScalarKind.String } n
                    && double.TryParse(n.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                {
                    return MetadataValue.Double(d);
                }

                throw value.Error(CliMessages.InputExpected("a number", key, value.Describe));
            case "string_value":
                if (value is InScalar { Kind: not ScalarKind.Null } s) return MetadataValue.String(s.Text ?? string.Empty);
                throw value.Error(CliMessages.InputExpected("a string", key, value.Describe));
            case "bool_value":
                return MetadataValue.Bool(In.Bool(value, key) ?? throw value.Error(CliMessages.InputExpected("true or false", key, value.Describe)));
            case "struct_value":
                if (value is InMap) return MetadataValue.Struct(In.ToJson(value)!.ToJsonString());
                throw value.Error(CliMessages.InputExpected("a mapping", key, value.Describe));
            default:
                {
                    var proto = In.Map(value, key);
                    proto.OnlyKeys(key, "type_url", "value");
                    var typeUrl = In.String(proto["type_url"], "type_url") ?? throw proto.Error(CliMessages.InputMissingField("type_url", key));
                    var base64 = In.String(proto["value"], "value") ?? string.Empty;
                    try
                    {
                        return MetadataValue.Proto(typeUrl, Convert.FromBase64String(base64));
                    }
                    catch (FormatException)
                    {
                        throw proto["value"]!.Error(CliMessages.InputExpected("base64 text", "value", proto["value"]!.Describe));
                    }
                }
        }
    }

    private static string Show(RawValue raw) => raw switch
    {
        ScalarValue v => "'" + v.Text + "'",
        StructValue s => s.Json,
        ExplicitValue e => e.Value.ToString(),
        _ => "?",
    };

    private static bool IsQuoted(string text) => text.Length >= 2 && text[0] == '"' && text[^1] == '"';

    private static string Unquote(string text) => IsQuoted(text) ? text[1..^1] : text;

    private static bool IsJsonObject(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DecimalPattern();
}
