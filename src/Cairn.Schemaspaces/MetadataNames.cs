using System.Text;
using System.Text.RegularExpressions;

namespace Cairn.Schemaspaces;

/// <summary>Instance names: Elyra's derivation from display names and its validity rule, without its two bugs.</summary>
public static partial class MetadataNames
{
    /// <summary>
    /// Derives a name from a display name as Elyra does: lower-case, each run of whitespace becomes '_', characters
    /// outside <c>[a-z0-9-_]</c> are dropped, <c>a_</c> is prefixed when the first character is not a letter and
    /// <c>_0</c> appended when the last is not a letter or digit (<c>"Kubeflow Pipeline - Fyre"</c> →
    /// <c>kubeflow_pipeline_-_fyre</c>).
    /// </summary>
    /// <exception cref="InvalidArgumentException">The display name has no letter or digit to build a name from (Elyra fails with an IndexError or derives a name of padding only).</exception>
    public static string FromDisplayName(string displayName)
    {
        ArgumentNullException.ThrowIfNull(displayName);
        var lowered = Whitespace().Replace(displayName.ToLowerInvariant(), "_");
        var kept = new StringBuilder(lowered.Length + 4);
        foreach (var c in lowered)
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_') kept.Append(c);
        }

        if (!kept.ToString().Any(char.IsAsciiLetterOrDigit)) throw new InvalidArgumentException(SchemaspaceMessages.NameNotDerivable(displayName));
        if (!char.IsAsciiLetterLower(kept[0])) kept.Insert(0, "a_");
        if (!char.IsAsciiLetterOrDigit(kept[^1])) kept.Append("_0");
        return kept.ToString();
    }

    /// <summary>
    /// Whether <paramref name="name"/> is a valid instance name: lower-case letters, digits, '-' and '_', starting with
    /// a letter and ending with a letter or digit (Elyra's rule without the stray ',' in its character class).
    /// </summary>
    public static bool IsValid(string? name) => name is not null && NamePattern().IsMatch(name);

    /// <summary>Throws <see cref="InvalidArgumentException"/> with Elyra's message when <paramref name="name"/> is not valid.</summary>
    public static void Validate(string? name)
    {
        if (!IsValid(name)) throw new InvalidArgumentException(SchemaspaceMessages.NameInvalid);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex("^[a-z]([a-z0-9_-]*[a-z0-9])?$")]
    private static partial Regex NamePattern();
}
