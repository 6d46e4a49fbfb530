namespace Cairn.Files;

/// <summary>One file of an artifact: its path inside the artifact, size, SHA-256 and a URL it can be opened at.</summary>
/// <param name="Path">Relative path inside the artifact, with '/' separators.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Sha256">Lower-case hex SHA-256.</param>
/// <param name="Location">A URL a user can open directly (<c>file:///…</c>).</param>
public sealed record StoredFile(string Path, long Size, string Sha256, string Location);

/// <summary>A file or directory to save, and the relative path it gets inside the artifact.</summary>
/// <param name="SourcePath">The local file.</param>
/// <param name="RelativePath">The path inside the artifact ('/' separators).</param>
public sealed record FileToSave(string SourcePath, string RelativePath);

/// <summary>What to save and how to describe it.</summary>
public sealed record SaveRequest
{
    /// <summary>The files; build them from paths with <see cref="FileSelection.Expand"/>.</summary>
    public IReadOnlyList<FileToSave> Files { get; init; } = [];

    /// <summary>Free-form information, stored as <c>info.&lt;KEY&gt;</c> string properties.</summary>
    public IReadOnlyDictionary<string, string> Info { get; init; } = new Dictionary<string, string>();

    /// <summary>Tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The artifact type; null means <c>cairn.File</c>.</summary>
    public string? TypeName { get; init; }

    /// <summary>Artifacts this one is explicitly based on (replaces the automatic lineage of a run).</summary>
    public IReadOnlyList<long> BasedOn { get; init; } = [];

    /// <summary>Inside a run, record the save as an output of the run (based on everything it loaded). Default true.</summary>
    public bool AutoLineage { get; init; } = true;

    /// <summary>The environment to record on the execution that saves; null records none.</summary>
    public CapturedEnvironment? Environment { get; init; }
}

/// <summary>The outcome of a save.</summary>
/// <param name="ArtifactId">The new artifact.</param>
/// <param name="ExecutionId">The execution that saved it (the run's when saved inside a run).</param>
/// <param name="Uri">The artifact's directory in the lake.</param>
/// <param name="Files">The manifest.</param>
/// <param name="BytesStored">Bytes written to the blob store.</param>
/// <param name="BytesDeduplicated">Bytes that were already stored and were not written again.</param>
/// <param name="BasedOn">Artifacts recorded as inputs of the saving execution.</param>
public sealed record SaveResult(long ArtifactId, long ExecutionId, string Uri, IReadOnlyList<StoredFile> Files, long BytesStored, long BytesDeduplicated, IReadOnlyList<long> BasedOn);

/// <summary>The outcome of a load.</summary>
/// <param name="ArtifactId">The artifact.</param>
/// <param name="Directory">Where the files were written.</param>
/// <param name="Files">The files, each verified against its SHA-256.</param>
public sealed record LoadResult(long ArtifactId, string Directory, IReadOnlyList<StoredFile> Files);

/// <summary>The check of one stored file.</summary>
/// <param name="File">The file as recorded.</param>
/// <param name="Problem">Null when the stored bytes hash to the recorded digest; otherwise what is wrong.</param>
public sealed record VerifiedFile(StoredFile File, string? Problem);

/// <summary>Which saved artifacts to find. Every criterion given must hold.</summary>
public sealed record FindQuery
{
    /// <summary>Saved by this user (a glob).</summary>
    public string? User { get; init; }

    /// <summary>Saved at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Saved before this time.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Holds a file matching this glob (on the file name when it has no '/', else on the relative path).</summary>
    public string? File { get; init; }

    /// <summary>Has a tag matching this glob.</summary>
    public string? Tag { get; init; }

    /// <summary>Info values matching globs, by key.</summary>
    public IReadOnlyDictionary<string, string> Info { get; init; } = new Dictionary<string, string>();

    /// <summary>Of this artifact type.</summary>
    public string? Type { get; init; }

    /// <summary>Made (directly or not) from this artifact.</summary>
    public long? BasedOn { get; init; }

    /// <summary>How many generations to follow from <see cref="BasedOn"/>.</summary>
    public int Depth { get; init; } = 10;
}

/// <summary>A saved artifact and its files.</summary>
/// <param name="Artifact">The artifact as stored.</param>
/// <param name="Files">Its manifest.</param>
public sealed record SavedArtifact(Artifact Artifact, IReadOnlyList<StoredFile> Files)
{
    /// <summary>Who saved it.</summary>
    public string? User => Artifact.CustomProperties.TryGetValue(CairnFields.User, out var v) && v.Kind == ValueKind.String ? v.StringValue : null;

    /// <summary>When it was saved.</summary>
    public DateTimeOffset? SavedAt => Artifact.CustomProperties.TryGetValue(CairnFields.SavedAt, out var v) && v.Kind == ValueKind.Int
        ? DateTimeOffset.FromUnixTimeMilliseconds(v.IntValue)
        : null;

    /// <summary>Its tags: the artifact's labels, and those of an artifact saved before tags were labels (custom property <c>cairn.tags</c>).</summary>
    public IReadOnlyList<string> Tags => Artifact.CustomProperties.TryGetValue(CairnFields.LegacyTags, out var v) && v.Kind == ValueKind.String
        ? [.. (Artifact.Tags ?? []).Union(CairnFields.SplitList(v.StringValue), StringComparer.Ordinal).Order(StringComparer.Ordinal)]
        : Artifact.Tags ?? [];

    /// <summary>Its info values.</summary>
    public IReadOnlyDictionary<string, string> Info => Artifact.CustomProperties
        .Where(p => p.Key.StartsWith(CairnFields.InfoPrefix, StringComparison.Ordinal) && p.Value.Kind == ValueKind.String)
        .ToDictionary(p => p.Key[CairnFields.InfoPrefix.Length..], p => p.Value.StringValue, StringComparer.Ordinal);
}
