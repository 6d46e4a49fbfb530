using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Cairn.Catalog;

/// <summary>
/// Writes JSON byte for byte as Python's <c>json.dumps</c> does with its defaults (<c>ensure_ascii=True</c>, separators
/// <c>", "</c> and <c>": "</c>) or with <c>indent=4</c> (separators <c>","</c> and <c>": "</c>), so files Cairn writes for tatm
/// are the files tatm's own scripts would write.
/// </summary>
internal static class PythonJson
{
    /// <summary>The one-line form of <c>json.dumps(value)</c>.</summary>
    public static string Dumps(JsonNode? value)
    {
        var builder = new StringBuilder();
        Write(builder, value, indent: null, level: 0);
        return builder.ToString();
    }

    /// <summary>The form of <c>json.dump(value, f, indent=4)</c> (no trailing newline, as Python writes none).</summary>
    public static string DumpsIndented(JsonNode? value)
    {
        var builder = new StringBuilder();
        Write(builder, value, indent: 4, level: 0);
        return builder.ToString();
    }

    private static void Write(StringBuilder b, JsonNode? value, int? indent, int level)
    {
        switch (value)
        {
            case null:
                b.Append("null");
                break;
            case JsonObject obj:
                if (obj.Count == 0)
                {
                    b.Append("{}");
                    break;
                }

                b.Append('{');
                var firstMember = true;
                foreach (var (key, member) in obj)
                {
                    if (!firstMember) b.Append(indent is null ? ", " : ",");
                    firstMember = false;
                    NewLine(b, indent, level + 1);
                    WriteString(b, key);
                    b.Append(": ");
                    Write(b, member, indent, level + 1);
                }

                NewLine(b, indent, level);
                b.Append('}');
                break;
            case JsonArray array:
                if (array.Count == 0)
                {
                    b.Append("[]");
                    break;
                }

                b.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0) b.Append(indent is null ? ", " : ",");
                    NewLine(b, indent, level + 1);
                    Write(b, array[i], indent, level + 1);
                }

                NewLine(b, indent, level);
                b.Append(']');
                break;
            case JsonValue scalar:
                WriteScalar(b, scalar);
                break;
            default:
                throw new ArgumentException("Unsupported JSON node " + value.GetType().Name, nameof(value));
        }
    }

    private static void NewLine(StringBuilder b, int? indent, int level)
    {
        if (indent is not { } spaces) return;
        b.Append('\n');
        b.Append(' ', spaces * level);
    }

    private static void WriteScalar(StringBuilder b, JsonValue scalar)
    {
        if (scalar.TryGetValue<string>(out var text))
        {
            WriteString(b, text);
            return;
        }

        if (scalar.TryGetValue<bool>(out var flag))
        {
            b.Append(flag ? "true" : "false");
            return;
        }

        if (scalar.TryGetValue<long>(out var whole))
        {
            b.Append(whole.ToString(CultureInfo.InvariantCulture));
            return;
        }

        if (scalar.TryGetValue<int>(out var small))
        {
            b.Append(small.ToString(CultureInfo.InvariantCulture));
            return;
        }

        if (scalar.TryGetValue<double>(out var real))
        {
            b.Append(PythonFloat(real));
            return;
        }

        // A value parsed from JSON text keeps its element: integers stay integers, other numbers are Python floats.
        var raw = scalar.ToJsonString();
        if (long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out whole))
        {
            b.Append(whole.ToString(CultureInfo.InvariantCulture));
        }
        else if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out real))
        {
            b.Append(PythonFloat(real));
        }
        else
        {
            b.Append(raw);
        }
    }

    /// <summary>Python's <c>repr(float)</c>: the shortest round-trip digits, always with a dot or an exponent.</summary>
    private static string PythonFloat(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsPositiveInfinity(value)) return "Infinity";
        if (double.IsNegativeInfinity(value)) return "-Infinity";
        var r = value.ToString("R", CultureInfo.InvariantCulture);
        if (r.Contains('E', StringComparison.Ordinal))
        {
            // .NET writes 1E+20, Python 1e+20; Python also pads the exponent to two digits.
            var parts = r.Split('E');
            var exponent = int.Parse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            var mantissa = parts[0];
            return mantissa + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
        }

        return r.Contains('.', StringComparison.Ordinal) ? r : r + ".0";
    }

    /// <summary>A string as <c>ensure_ascii=True</c> writes it: everything outside printable ASCII as <c>\uXXXX</c>.</summary>
    private static void WriteString(StringBuilder b, string text)
    {
        b.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': b.Append("\\\""); break;
                case '\\': b.Append("\\\\"); break;
                case '\n': b.Append("\\n"); break;
                case '\r': b.Append("\\r"); break;
                case '\t': b.Append("\\t"); break;
                case '\b': b.Append("\\b"); break;
                case '\f': b.Append("\\f"); break;
                default:
                    if (c < ' ' || c > '~') b.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else b.Append(c);
                    break;
            }
        }

        b.Append('"');
    }
}
