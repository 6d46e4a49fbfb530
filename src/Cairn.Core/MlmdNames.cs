using System.Text;

namespace Cairn;

/// <summary>
/// MLMD spells enum members in upper snake case (<c>DECLARED_INPUT</c>, <c>MARKED_FOR_DELETION</c>); Cairn's enums are
/// Pascal case. These helpers convert both ways so the CLI and the REST API speak MLMD's names.
/// </summary>
public static class MlmdNames
{
    /// <summary>MLMD's upper snake case name of a Cairn enum member (<c>DeclaredInput</c> → <c>DECLARED_INPUT</c>).</summary>
    public static string Of<T>(T value)
        where T : struct, Enum
    {
        var pascal = value.ToString();
        var builder = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (i > 0 && char.IsUpper(c)) builder.Append('_');
            builder.Append(char.ToUpperInvariant(c));
        }

        return builder.ToString();
    }

    /// <summary>Parses an MLMD name; case and <c>-</c> versus <c>_</c> do not matter.</summary>
    public static bool TryParse<T>(string? text, out T value)
        where T : struct, Enum
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var wanted = text.Trim().Replace('-', '_');
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(Of(candidate), wanted, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        return false;
    }

    /// <summary>All names of <typeparamref name="T"/> except those in <paramref name="except"/>, comma separated.</summary>
    public static string List<T>(params T[] except)
        where T : struct, Enum =>
        string.Join(", ", Enum.GetValues<T>().Where(v => !except.Contains(v)).Select(Of));
}
