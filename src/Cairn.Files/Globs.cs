using System.Text;
using System.Text.RegularExpressions;

namespace Cairn.Files;

/// <summary>Shell-style globs (<c>*</c>, <c>**</c>, <c>?</c>) as filter-query LIKE patterns and as exact matchers.</summary>
public static class Globs
{
    /// <summary>The glob as a LIKE pattern (<c>*</c> → <c>%</c>, <c>?</c> → <c>_</c>, LIKE's own wildcards escaped).</summary>
    public static string ToLike(string glob)
    {
        ArgumentNullException.ThrowIfNull(glob);
        var like = new StringBuilder();
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            switch (c)
            {
                case '*':
                    if (like.Length == 0 || like[^1] != '%') like.Append('%');
                    break;
                case '?':
                    like.Append('_');
                    break;
                case '%' or '_' or '\\':
                    like.Append('\\').Append(c);
                    break;
                default:
                    like.Append(c);
                    break;
            }
        }

        return like.ToString();
    }

    /// <summary>A filter-query string literal holding <paramref name="text"/>.</summary>
    public static string Literal(string text) => "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    /// <summary>
    /// True when <paramref name="path"/> matches: <c>*</c> and <c>?</c> stop at '/', <c>**</c> crosses it. A glob without
    /// '/' is matched against the file name alone.
    /// </summary>
    public static bool MatchesPath(string glob, string path)
    {
        ArgumentNullException.ThrowIfNull(glob);
        ArgumentNullException.ThrowIfNull(path);
        var subject = glob.Contains('/', StringComparison.Ordinal) ? path : path[(path.LastIndexOf('/') + 1)..];
        return Regex.IsMatch(subject, ToRegex(glob, pathAware: true), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    /// <summary>True when <paramref name="text"/> matches the glob (<c>*</c> is any text).</summary>
    public static bool Matches(string glob, string text) =>
        Regex.IsMatch(text, ToRegex(glob, pathAware: false), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static string ToRegex(string glob, bool pathAware)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*')
            {
                if (i + 1 < glob.Length && glob[i + 1] == '*')
                {
                    regex.Append(".*");
                    i++;
                }
                else
                {
                    regex.Append(pathAware ? "[^/]*" : ".*");
                }
            }
            else if (c == '?')
            {
                regex.Append(pathAware ? "[^/]" : ".");
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }

        return regex.Append('$').ToString();
    }
}
