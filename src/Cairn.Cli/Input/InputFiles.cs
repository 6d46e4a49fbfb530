using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cairn.Cli.Input;

/// <summary>
/// Reads a JSON or YAML input file into an <see cref="InNode"/> tree. <c>.json</c> files are read as JSON, everything
/// else as YAML (a superset of JSON). Syntax errors name the file, line and column.
/// </summary>
internal static partial class InputFiles
{
    public static async Task<InNode> ReadAsync(string displayName, string fullPath, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(fullPath, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new NotFoundException(CliMessages.InputFileMissing(displayName));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidArgumentException(CliMessages.InputFileUnreadable(displayName, e.Message));
        }

        return fullPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            ? ParseJson(displayName, bytes)
            : ParseYaml(displayName, bytes);
    }

    public static InNode ParseJson(string file, ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("\uFEFF"u8)) bytes = bytes[3..];
        var lines = new LineMap(bytes);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        try
        {
            if (!reader.Read()) throw new InvalidArgumentException(CliMessages.InputFileEmpty(file));
            var root = ReadJsonValue(ref reader, file, lines);

            // Reading past the end makes the reader refuse a second top-level value.
            reader.Read();
            return root;
        }
        catch (JsonException e)
        {
            var line = (e.LineNumber ?? 0) + 1;
            var column = (e.BytePositionInLine ?? 0) + 1;
            throw new InvalidArgumentException(string.Create(CultureInfo.InvariantCulture, $"{file}:{line}:{column}: {CliMessages.InvalidJson(StripJsonPosition(e.Message))}"));
        }
    }

    public static InNode ParseYaml(string file, ReadOnlySpan<byte> bytes)
    {
        var text = Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF');
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var reason = e.InnerException is YamlException inner ? inner.Message : e.Message;
            throw new InvalidArgumentException(string.Create(CultureInfo.InvariantCulture, $"{file}:{e.Start.Line}:{e.Start.Column}: {CliMessages.InvalidYaml(StripYamlPosition(reason))}"));
        }

        if (stream.Documents.Count == 0) throw new InvalidArgumentException(CliMessages.InputFileEmpty(file));
        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode.Start;
            throw new InvalidArgumentException(string.Create(CultureInfo.InvariantCulture, $"{file}:{second.Line}:{second.Column}: {CliMessages.InputSeveralDocuments}"));
        }

        return FromYaml(file, stream.Documents[0].RootNode);
    }

    private static InNode ReadJsonValue(ref Utf8JsonReader reader, string file, LineMap lines)
    {
        var (line, column) = lines.Locate(reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                {
                    var entries = new List<KeyValuePair<InScalar, InNode>>();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                    {
                        var (keyLine, keyColumn) = lines.Locate(reader.TokenStartIndex);
                        var key = new InScalar(file, keyLine, keyColumn, reader.GetString(), ScalarKind.String);
                        if (entries.Any(e => string.Equals(e.Key.Text, key.Text, StringComparison.Ordinal)))
                        {
                            throw key.Error(CliMessages.InputDuplicateKey(key.Text ?? string.Empty));
                        }

                        reader.Read();
                        entries.Add(KeyValuePair.Create(key, ReadJsonValue(ref reader, file, lines)));
                    }

                    return new InMap(file, line, column, entries);
                }

            case JsonTokenType.StartArray:
                {
                    var items = new List<InNode>();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) items.Add(ReadJsonValue(ref reader, file, lines));
                    return new InSeq(file, line, column, items);
                }

            case JsonTokenType.String:
                return new InScalar(file, line, column, reader.GetString(), ScalarKind.String);
            case JsonTokenType.Number:
                return new InScalar(file, line, column, Encoding.UTF8.GetString(reader.ValueSpan), ScalarKind.Number);
            case JsonTokenType.True:
                return new InScalar(file, line, column, "true", ScalarKind.Bool);
            case JsonTokenType.False:
                return new InScalar(file, line, column, "false", ScalarKind.Bool);
            default:
                return new InScalar(file, line, column, null, ScalarKind.Null);
        }
    }

    private static InNode FromYaml(string file, YamlNode node)
    {
        var line = (int)node.Start.Line;
        var column = (int)node.Start.Column;
        switch (node)
        {
            case YamlMappingNode map:
                {
                    var entries = new List<KeyValuePair<InScalar, InNode>>();
                    foreach (var (keyNode, valueNode) in map.Children)
                    {
                        if (FromYaml(file, keyNode) is not InScalar key || key.Kind == ScalarKind.Null)
                        {
                            throw new InScalar(file, (int)keyNode.Start.Line, (int)keyNode.Start.Column, null, ScalarKind.Null).Error(CliMessages.InputKeyNotScalar);
                        }

                        if (entries.Any(e => string.Equals(e.Key.Text, key.Text, StringComparison.Ordinal)))
                        {
                            throw key.Error(CliMessages.InputDuplicateKey(key.Text ?? string.Empty));
                        }

                        entries.Add(KeyValuePair.Create(key with { Kind = ScalarKind.String }, FromYaml(file, valueNode)));
                    }

                    return new InMap(file, line, column, entries);
                }

            case YamlSequenceNode seq:
                return new InSeq(file, line, column, [.. seq.Children.Select(c => FromYaml(file, c))]);
            case YamlScalarNode scalar:
                return new InScalar(file, line, column, scalar.Value, Classify(scalar));
            default:
                return new InScalar(file, line, column, null, ScalarKind.Null);
        }
    }

    /// <summary>YAML 1.2 core schema: plain scalars may be null, booleans or numbers; quoted ones are strings.</summary>
    private static ScalarKind Classify(YamlScalarNode scalar)
    {
        if (!scalar.Tag.IsEmpty)
        {
            var tag = scalar.Tag.Value;
            if (tag.EndsWith(":str", StringComparison.Ordinal)) return ScalarKind.String;
            if (tag.EndsWith(":int", StringComparison.Ordinal) || tag.EndsWith(":float", StringComparison.Ordinal)) return ScalarKind.Number;
            if (tag.EndsWith(":bool", StringComparison.Ordinal)) return ScalarKind.Bool;
            if (tag.EndsWith(":null", StringComparison.Ordinal)) return ScalarKind.Null;
        }

        if (scalar.Style != ScalarStyle.Plain) return ScalarKind.String;
        var value = scalar.Value ?? string.Empty;
        if (value is "" or "~" or "null" or "Null" or "NULL") return ScalarKind.Null;
        if (value is "true" or "True" or "TRUE" or "false" or "False" or "FALSE") return ScalarKind.Bool;
        return NumberPattern().IsMatch(value) ? ScalarKind.Number : ScalarKind.String;
    }

    private static string StripJsonPosition(string message)
    {
        var at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (at < 0 ? message : message[..at]).Trim();
    }

    private static string StripYamlPosition(string message) => YamlPositionPrefix().Replace(message, string.Empty).Trim();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ", RegexOptions.CultureInvariant)]
    private static partial Regex YamlPositionPrefix();

    /// <summary>Turns a byte offset into a 1-based line and column (columns count bytes, as the JSON reader does).</summary>
    private sealed class LineMap
    {
        private readonly List<long> _lineStarts = [0];

        public LineMap(ReadOnlySpan<byte> bytes)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] == (byte)'\n') _lineStarts.Add(i + 1);
            }
        }

        public (int Line, int Column) Locate(long offset)
        {
            var index = _lineStarts.BinarySearch(offset);
            if (index < 0) index = ~index - 1;
            return (index + 1, (int)(offset - _lineStarts[index]) + 1);
        }
    }
}
