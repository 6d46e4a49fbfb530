using System.Globalization;

namespace Cairn;

/// <summary>The declared type of a property on an artifact, execution or context type (MLMD <c>PropertyType</c>).</summary>
public enum PropertyType
{
    /// <summary>Not a valid declaration; rejected on put.</summary>
    Unknown = 0,
    /// <summary>64-bit integer.</summary>
    Int = 1,
    /// <summary>64-bit floating point.</summary>
    Double = 2,
    /// <summary>Text of any length.</summary>
    String = 3,
    /// <summary>A JSON object (MLMD <c>google.protobuf.Struct</c>).</summary>
    Struct = 4,
    /// <summary>A serialized protocol buffer message with its type URL (MLMD <c>google.protobuf.Any</c>).</summary>
    Proto = 5,
    /// <summary>Boolean.</summary>
    Boolean = 6,
}

/// <summary>Which member of a <see cref="MetadataValue"/> is set.</summary>
public enum ValueKind
{
    /// <summary>No value is set (an empty MLMD <c>Value</c>).</summary>
    None = 0,
    /// <summary><see cref="MetadataValue.IntValue"/> is set.</summary>
    Int = 1,
    /// <summary><see cref="MetadataValue.DoubleValue"/> is set.</summary>
    Double = 2,
    /// <summary><see cref="MetadataValue.StringValue"/> is set.</summary>
    String = 3,
    /// <summary><see cref="MetadataValue.StructJson"/> is set.</summary>
    Struct = 4,
    /// <summary><see cref="MetadataValue.ProtoTypeUrl"/> and <see cref="MetadataValue.ProtoBytes"/> are set.</summary>
    Proto = 5,
    /// <summary><see cref="MetadataValue.BoolValue"/> is set.</summary>
    Bool = 6,
}

/// <summary>A property value: exactly one of int, double, string, struct (JSON), proto or bool, or none.</summary>
public sealed class MetadataValue : IEquatable<MetadataValue>
{
    private readonly long _int;
    private readonly double _double;
    private readonly string? _text;
    private readonly byte[]? _bytes;

    private MetadataValue(ValueKind kind, long i = 0, double d = 0, string? text = null, byte[]? bytes = null)
    {
        Kind = kind;
        _int = i;
        _double = d;
        _text = text;
        _bytes = bytes;
    }

    /// <summary>The empty value (no member set).</summary>
    public static MetadataValue None { get; } = new(ValueKind.None);

    /// <summary>Which member is set.</summary>
    public ValueKind Kind { get; }

    /// <summary>The integer value; throws when <see cref="Kind"/> is not <see cref="ValueKind.Int"/>.</summary>
    public long IntValue => Kind == ValueKind.Int ? _int : throw WrongKind(ValueKind.Int);

    /// <summary>The double value; throws when <see cref="Kind"/> is not <see cref="ValueKind.Double"/>.</summary>
    public double DoubleValue => Kind == ValueKind.Double ? _double : throw WrongKind(ValueKind.Double);

    /// <summary>The string value; throws when <see cref="Kind"/> is not <see cref="ValueKind.String"/>.</summary>
    public string StringValue => Kind == ValueKind.String ? _text! : throw WrongKind(ValueKind.String);

    /// <summary>The bool value; throws when <see cref="Kind"/> is not <see cref="ValueKind.Bool"/>.</summary>
    public bool BoolValue => Kind == ValueKind.Bool ? _int != 0 : throw WrongKind(ValueKind.Bool);

    /// <summary>The struct value as a JSON object text; throws when <see cref="Kind"/> is not <see cref="ValueKind.Struct"/>.</summary>
    public string StructJson => Kind == ValueKind.Struct ? _text! : throw WrongKind(ValueKind.Struct);

    /// <summary>The type URL of a proto value; throws when <see cref="Kind"/> is not <see cref="ValueKind.Proto"/>.</summary>
    public string ProtoTypeUrl => Kind == ValueKind.Proto ? _text! : throw WrongKind(ValueKind.Proto);

    /// <summary>The serialized bytes of a proto value; throws when <see cref="Kind"/> is not <see cref="ValueKind.Proto"/>.</summary>
    public ReadOnlyMemory<byte> ProtoBytes => Kind == ValueKind.Proto ? _bytes! : throw WrongKind(ValueKind.Proto);

    /// <summary>An integer value.</summary>
    public static MetadataValue Int(long value) => new(ValueKind.Int, i: value);

    /// <summary>A double value.</summary>
    public static MetadataValue Double(double value) => new(ValueKind.Double, d: value);

    /// <summary>A string value.</summary>
    public static MetadataValue String(string value) => new(ValueKind.String, text: value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>A bool value.</summary>
    public static MetadataValue Bool(bool value) => new(ValueKind.Bool, i: value ? 1 : 0);

    /// <summary>A struct value from JSON object text (<c>{"a": 1}</c>).</summary>
    public static MetadataValue Struct(string json) => new(ValueKind.Struct, text: json ?? throw new ArgumentNullException(nameof(json)));

    /// <summary>A proto value: a type URL and the serialized message.</summary>
    public static MetadataValue Proto(string typeUrl, ReadOnlySpan<byte> bytes) =>
        new(ValueKind.Proto, text: typeUrl ?? throw new ArgumentNullException(nameof(typeUrl)), bytes: bytes.ToArray());

    /// <summary>The property type this value satisfies, or <see cref="PropertyType.Unknown"/> for <see cref="None"/>.</summary>
    public PropertyType MatchingPropertyType => Kind switch
    {
        ValueKind.Int => PropertyType.Int,
        ValueKind.Double => PropertyType.Double,
        ValueKind.String => PropertyType.String,
        ValueKind.Struct => PropertyType.Struct,
        ValueKind.Proto => PropertyType.Proto,
        ValueKind.Bool => PropertyType.Boolean,
        _ => PropertyType.Unknown,
    };

    private InvalidOperationException WrongKind(ValueKind wanted) =>
        new($"The value holds {Kind}, not {wanted}.");

    /// <inheritdoc/>
    public bool Equals(MetadataValue? other)
    {
        if (other is null || other.Kind != Kind) return false;
        return Kind switch
        {
            ValueKind.None => true,
            ValueKind.Int or ValueKind.Bool => _int == other._int,
            ValueKind.Double => _double.Equals(other._double),
            ValueKind.String or ValueKind.Struct => string.Equals(_text, other._text, StringComparison.Ordinal),
            ValueKind.Proto => string.Equals(_text, other._text, StringComparison.Ordinal) && _bytes.AsSpan().SequenceEqual(other._bytes),
            _ => false,
        };
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as MetadataValue);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, _int, _double, _text);

    /// <summary>A short human-readable rendering, for tables and messages.</summary>
    public override string ToString() => Kind switch
    {
        ValueKind.None => "(none)",
        ValueKind.Int => _int.ToString(CultureInfo.InvariantCulture),
        ValueKind.Double => _double.ToString("R", CultureInfo.InvariantCulture),
        ValueKind.String => _text!,
        ValueKind.Struct => _text!,
        ValueKind.Proto => $"proto<{_text}>({_bytes!.Length} bytes)",
        ValueKind.Bool => _int != 0 ? "true" : "false",
        _ => "?",
    };
}
