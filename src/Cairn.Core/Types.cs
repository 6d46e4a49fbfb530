namespace Cairn;

/// <summary>The three kinds of type and node in the MLMD model.</summary>
public enum NodeKind
{
    /// <summary>Artifacts: data, models, files.</summary>
    Artifact = 1,
    /// <summary>Executions: runs of a step.</summary>
    Execution = 2,
    /// <summary>Contexts: groups such as pipeline runs or experiments.</summary>
    Context = 3,
}

/// <summary>MLMD system base types of artifact types (<c>ArtifactType.SystemDefinedBaseType</c>).</summary>
public enum ArtifactBaseType
{
    /// <summary>No base type (clearing is not supported).</summary>
    Unset = 0,
    /// <summary><c>mlmd.Dataset</c>.</summary>
    Dataset = 1,
    /// <summary><c>mlmd.Model</c>.</summary>
    Model = 2,
    /// <summary><c>mlmd.Metrics</c>.</summary>
    Metrics = 3,
    /// <summary><c>mlmd.Statistics</c>.</summary>
    Statistics = 4,
}

/// <summary>MLMD system base types of execution types (<c>ExecutionType.SystemDefinedBaseType</c>).</summary>
public enum ExecutionBaseType
{
    /// <summary>No base type (clearing is not supported).</summary>
    Unset = 0,
    /// <summary><c>mlmd.Train</c>.</summary>
    Train = 1,
    /// <summary><c>mlmd.Transform</c>.</summary>
    Transform = 2,
    /// <summary><c>mlmd.Process</c>.</summary>
    Process = 3,
    /// <summary><c>mlmd.Evaluate</c>.</summary>
    Evaluate = 4,
    /// <summary><c>mlmd.Deploy</c>.</summary>
    Deploy = 5,
}

/// <summary>MLMD system base types of context types (only <see cref="Unset"/> exists).</summary>
public enum ContextBaseType
{
    /// <summary>No base type.</summary>
    Unset = 0,
}

/// <summary>Common shape of artifact, execution and context types.</summary>
public abstract record MetadataType
{
    private protected MetadataType()
    {
    }

    /// <summary>Store-assigned id; ignored on insert.</summary>
    public long? Id { get; init; }

    /// <summary>Type name; together with <see cref="Version"/> and the kind it identifies the type.</summary>
    public string? Name { get; init; }

    /// <summary>Optional version; an empty string means unset.</summary>
    public string? Version { get; init; }

    /// <summary>Free-text description (written on insert only).</summary>
    public string? Description { get; init; }

    /// <summary>Optional id from another system, unique across all types.</summary>
    public string? ExternalId { get; init; }

    /// <summary>Declared properties and their types.</summary>
    public IReadOnlyDictionary<string, PropertyType> Properties { get; init; } = EmptyMaps.PropertyTypes;

    /// <summary>Which kind of type this is.</summary>
    public abstract NodeKind Kind { get; }

    /// <summary>The <c>mlmd.*</c> base type name, when set (for example <c>mlmd.Dataset</c>).</summary>
    internal abstract string? BaseTypeName { get; }

    /// <summary>True when the request explicitly sets the base type to Unset (which MLMD refuses).</summary>
    internal abstract bool BaseTypeIsExplicitlyUnset { get; }
}

/// <summary>An artifact type (MLMD <c>ArtifactType</c>).</summary>
public sealed record ArtifactType : MetadataType
{
    /// <summary>System base type; <c>null</c> when absent.</summary>
    public ArtifactBaseType? BaseType { get; init; }

    /// <inheritdoc/>
    public override NodeKind Kind => NodeKind.Artifact;

    internal override string? BaseTypeName => BaseType is { } b ? SystemTypes.NameOf(b) : null;

    internal override bool BaseTypeIsExplicitlyUnset => BaseType == ArtifactBaseType.Unset;
}

/// <summary>An execution type (MLMD <c>ExecutionType</c>).</summary>
public sealed record ExecutionType : MetadataType
{
    /// <summary>System base type; <c>null</c> when absent.</summary>
    public ExecutionBaseType? BaseType { get; init; }

    /// <summary>Serialized <c>ml_metadata.ArtifactStructType</c> describing inputs (experimental in MLMD; stored opaquely).</summary>
    public ReadOnlyMemory<byte>? InputType { get; init; }

    /// <summary>Serialized <c>ml_metadata.ArtifactStructType</c> describing outputs (experimental in MLMD; stored opaquely).</summary>
    public ReadOnlyMemory<byte>? OutputType { get; init; }

    /// <inheritdoc/>
    public override NodeKind Kind => NodeKind.Execution;

    internal override string? BaseTypeName => BaseType is { } b ? SystemTypes.NameOf(b) : null;

    internal override bool BaseTypeIsExplicitlyUnset => BaseType == ExecutionBaseType.Unset;
}

/// <summary>A context type (MLMD <c>ContextType</c>).</summary>
public sealed record ContextType : MetadataType
{
    /// <summary>System base type; MLMD defines none besides Unset.</summary>
    public ContextBaseType? BaseType { get; init; }

    /// <inheritdoc/>
    public override NodeKind Kind => NodeKind.Context;

    internal override string? BaseTypeName => null;

    internal override bool BaseTypeIsExplicitlyUnset => BaseType == ContextBaseType.Unset;
}

/// <summary>The nine MLMD system types (<c>mlmd.Dataset</c> … <c>mlmd.Deploy</c>) that exist in every store.</summary>
public static class SystemTypes
{
    /// <summary>System artifact type names in id order (ids 1–4 in a fresh store).</summary>
    public static IReadOnlyList<string> ArtifactTypeNames { get; } = ["mlmd.Dataset", "mlmd.Model", "mlmd.Metrics", "mlmd.Statistics"];

    /// <summary>System execution type names in id order (ids 5–9 in a fresh store).</summary>
    public static IReadOnlyList<string> ExecutionTypeNames { get; } = ["mlmd.Train", "mlmd.Transform", "mlmd.Process", "mlmd.Evaluate", "mlmd.Deploy"];

    /// <summary>True when <paramref name="name"/> is one of the nine system type names.</summary>
    public static bool IsSystemTypeName(string? name) =>
        name is not null && name.StartsWith("mlmd.", StringComparison.Ordinal)
        && (ArtifactTypeNames.Contains(name) || ExecutionTypeNames.Contains(name));

    /// <summary>The system type name of an artifact base type.</summary>
    public static string? NameOf(ArtifactBaseType baseType) =>
        baseType == ArtifactBaseType.Unset ? null : ArtifactTypeNames[(int)baseType - 1];

    /// <summary>The system type name of an execution base type.</summary>
    public static string? NameOf(ExecutionBaseType baseType) =>
        baseType == ExecutionBaseType.Unset ? null : ExecutionTypeNames[(int)baseType - 1];

    /// <summary>The artifact base type for a system type name, if it is one.</summary>
    public static ArtifactBaseType? ArtifactBaseTypeOf(string? name)
    {
        var i = name is null ? -1 : IndexOf(ArtifactTypeNames, name);
        return i < 0 ? null : (ArtifactBaseType)(i + 1);
    }

    /// <summary>The execution base type for a system type name, if it is one.</summary>
    public static ExecutionBaseType? ExecutionBaseTypeOf(string? name)
    {
        var i = name is null ? -1 : IndexOf(ExecutionTypeNames, name);
        return i < 0 ? null : (ExecutionBaseType)(i + 1);
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal)) return i;
        }

        return -1;
    }
}

internal static class EmptyMaps
{
    public static readonly IReadOnlyDictionary<string, PropertyType> PropertyTypes = new Dictionary<string, PropertyType>(StringComparer.Ordinal);
    public static readonly IReadOnlyDictionary<string, MetadataValue> Values = new Dictionary<string, MetadataValue>(StringComparer.Ordinal);
}
