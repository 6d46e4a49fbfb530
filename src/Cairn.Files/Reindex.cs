using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Cairn.Files;

/// <summary>What <see cref="FileService.ReindexAsync"/> did with one <c>metadata.yaml</c>.</summary>
public enum ReindexOutcome
{
    /// <summary>The store already held the artifact (same lake directory, or same id, user and time); nothing was written.</summary>
    Existing,

    /// <summary>The store held the artifact as the PENDING leftover of an interrupted save; it is now LIVE under its own id.</summary>
    Repaired,

    /// <summary>The artifact was recorded anew (its new id may differ from the one in <c>metadata.yaml</c>).</summary>
    Created,
}

/// <summary>One artifact found in the lake.</summary>
/// <param name="MetadataPath">The lake path of its <c>metadata.yaml</c>.</param>
/// <param name="OriginalId">The id in <c>metadata.yaml</c>.</param>
/// <param name="ArtifactId">Its id in this store.</param>
/// <param name="Outcome">What was done.</param>
public sealed record ReindexedArtifact(string MetadataPath, long OriginalId, long ArtifactId, ReindexOutcome Outcome);

/// <summary>Something reindexing found wrong; the rest of the lake is still indexed.</summary>
/// <param name="Path">The lake path concerned.</param>
/// <param name="Problem">What is wrong.</param>
public sealed record ReindexProblem(string Path, string Problem);

/// <summary>How far a reindex is.</summary>
/// <param name="Phase"><c>reading</c> (metadata files) or <c>indexing</c> (artifacts).</param>
/// <param name="Done">Items done in this phase.</param>
/// <param name="Total">Items in this phase.</param>
public sealed record ReindexProgress(string Phase, int Done, int Total);

/// <summary>The outcome of a reindex.</summary>
/// <param name="Artifacts">Every artifact found, oldest first.</param>
/// <param name="Problems">Unreadable metadata, missing objects, lineage that could not be restored.</param>
/// <param name="LeftoversRemoved">Temporary files and incomplete uploads of interrupted saves that were removed.</param>
/// <param name="Pending">PENDING artifacts of saves younger than the leftover age (perhaps still running), left as they are.</param>
/// <param name="Abandoned">
/// PENDING artifacts of saves interrupted before their metadata was written and older than the leftover age, now marked
/// ABANDONED (MLMD's state for an artifact given up before it was written; the store keeps every record).
/// </param>
public sealed record ReindexResult(IReadOnlyList<ReindexedArtifact> Artifacts, IReadOnlyList<ReindexProblem> Problems, int LeftoversRemoved, IReadOnlyList<long> Pending, IReadOnlyList<long> Abandoned)
{
    /// <summary>How many artifacts had the outcome.</summary>
    public int Count(ReindexOutcome outcome) => Artifacts.Count(a => a.Outcome == outcome);
}

/// <summary>Settings of <see cref="FileService.ReindexAsync"/>.</summary>
public sealed record ReindexOptions
{
    /// <summary>Leftovers of interrupted writes older than this are removed (younger ones may belong to a save in progress). Default 1 hour.</summary>
    public TimeSpan LeftoverAge { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Receives the progress; null reports nothing.</summary>
    public IProgress<ReindexProgress>? Progress { get; init; }
}

/// <summary>Rebuilding the record from the lake.</summary>
public sealed partial class FileService
{
    private const int ReadParallelism = 8;

    /// <summary>
    /// Rebuilds or repairs the store from the <c>metadata.yaml</c> files of the blob store alone, idempotently: an artifact
    /// the store already holds is left as it is, the PENDING leftover of a save interrupted after its metadata was written
    /// is completed under its own id, and any other is recorded anew (with <c>cairn.original_id</c> when its id changes),
    /// with the execution that saved it and its based-on lineage. Leftovers of interrupted writes are removed.
    /// </summary>
    public async Task<ReindexResult> ReindexAsync(ReindexOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ReindexOptions();
        var problems = new List<ReindexProblem>();

        // 1. Every metadata.yaml, read several at a time (each is one request on S3).
        var paths = new List<string>();
        await foreach (var path in _blobs.ListMetadataAsync(cancellationToken)) paths.Add(path);
        var records = new LakeRecord?[paths.Count];
        var read = 0;
        options.Progress?.Report(new ReindexProgress("reading", 0, paths.Count));
        await Parallel.ForEachAsync(Enumerable.Range(0, paths.Count), new ParallelOptions { MaxDegreeOfParallelism = ReadParallelism, CancellationToken = cancellationToken }, async (i, token) =>
        {
            try
            {
                await using var stream = await _blobs.OpenLakeAsync(paths[i], token);
                using var reader = new StreamReader(stream);
                records[i] = LakeRecord.Parse(paths[i], await reader.ReadToEndAsync(token));
            }
            catch (Exception e) when (e is FormatException or YamlException or IOException)
            {
                lock (problems) problems.Add(new ReindexProblem(paths[i], FilesMessages.MetadataUnreadable(e.Message)));
            }

            options.Progress?.Report(new ReindexProgress("reading", Interlocked.Increment(ref read), paths.Count));
        });

        // 2. Oldest first, so what an artifact is based on is indexed before it.
        var ordered = records.OfType<LakeRecord>().OrderBy(r => r.ArtifactId).ThenBy(r => r.Path, StringComparer.Ordinal).ToList();
        var ids = new Dictionary<long, long>();
        var runs = new Dictionary<long, (long ExecutionId, HashSet<long> Inputs)>();
        var artifacts = new List<ReindexedArtifact>();
        foreach (var record in ordered)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var outcome = await IndexAsync(record, ids, runs, problems, cancellationToken);
            ids[record.ArtifactId] = outcome.ArtifactId;
            artifacts.Add(outcome);
            options.Progress?.Report(new ReindexProgress("indexing", artifacts.Count, ordered.Count));
        }

        // 3. What interrupted saves left behind: files and uploads, and the PENDING artifacts of saves that never wrote their
        // metadata. Those older than the leftover age are given up (ABANDONED, as MLMD names it); younger ones may be running.
        var removed = await _blobs.CleanLeftoversAsync(options.LeftoverAge, cancellationToken);
        var cutoff = (_options.TimeProvider.GetUtcNow() - options.LeftoverAge).ToUnixTimeMilliseconds();
        var pending = new List<long>();
        var stale = new List<Artifact>();
        string? token = null;
        do
        {
            var page = await _store.GetArtifactsAsync(
                new ListOptions { MaxResultSize = ListOptions.MaxPageSize, FilterQuery = $"state = PENDING AND {Custom(CairnFields.User)}.string_value IS NOT NULL", NextPageToken = token, OrderBy = OrderByField.Id },
                cancellationToken);
            foreach (var artifact in page.Items)
            {
                if (artifact.CreateTimeSinceEpoch <= cutoff) stale.Add(artifact);
                else pending.Add(artifact.Id!.Value);
            }

            token = page.NextPageToken;
        }
        while (!string.IsNullOrEmpty(token));

        foreach (var batch in stale.Chunk(ListOptions.MaxPageSize))
        {
            await _store.PutArtifactsAsync([.. batch.Select(a => a with { State = ArtifactState.Abandoned })], cancellationToken: cancellationToken);
        }

        return new ReindexResult(artifacts, [.. problems.OrderBy(p => p.Path, StringComparer.Ordinal)], removed, pending, [.. stale.Select(a => a.Id!.Value)]);
    }

    private async Task<ReindexedArtifact> IndexAsync(
        LakeRecord record, Dictionary<long, long> ids, Dictionary<long, (long ExecutionId, HashSet<long> Inputs)> runs, List<ReindexProblem> problems, CancellationToken cancellationToken)
    {
        var uri = _blobs.LocationOf(record.Directory) + "/";
        var savedAtMs = record.SavedAt.ToUnixTimeMilliseconds();

        // Already there: the same lake directory, or (a lake that moved) the same id saved by the same user at the same time.
        var byUri = (await _store.GetArtifactsByUriAsync([uri], cancellationToken)).FirstOrDefault(a => a.State == ArtifactState.Live);
        if (byUri is not null) return new ReindexedArtifact(record.Path, record.ArtifactId, byUri.Id!.Value, ReindexOutcome.Existing);
        var byId = (await _store.GetArtifactsByIdAsync([record.ArtifactId], cancellationToken)).FirstOrDefault();
        var sameSave = byId is not null
            && byId.CustomProperties.TryGetValue(CairnFields.User, out var user) && user.Kind == ValueKind.String && user.StringValue == record.User
            && byId.CustomProperties.TryGetValue(CairnFields.SavedAt, out var at) && at.Kind == ValueKind.Int && at.IntValue == savedAtMs;
        if (sameSave && byId!.State == ArtifactState.Live) return new ReindexedArtifact(record.Path, record.ArtifactId, byId.Id!.Value, ReindexOutcome.Existing);
        var repair = sameSave && byId!.State == ArtifactState.Pending && !byId.CustomProperties.ContainsKey(CairnFields.Files);

        foreach (var file in record.Files.Concat(record.Logs))
        {
            if (!await _blobs.ExistsAsync(file.Sha256, cancellationToken)) problems.Add(new ReindexProblem(record.Path, FilesMessages.ObjectMissing(file.Sha256, file.Path)));
        }

        var files = record.Files.Select(f => f with { Location = _blobs.FileLocation(f.Sha256, record.Directory + "/files/" + f.Path) }).ToList();
        var logs = record.Logs.Select(f => f with { Location = _blobs.FileLocation(f.Sha256, record.Directory + "/logs/" + f.Path) }).ToList();
        var properties = new Dictionary<string, MetadataValue>(StringComparer.Ordinal)
        {
            [CairnFields.User] = MetadataValue.String(record.User),
            [CairnFields.SavedAt] = MetadataValue.Int(savedAtMs),
        };
        AddSavedFields(properties, files, logs, record.Info);
        if (!repair) properties[CairnFields.OriginalId] = MetadataValue.Int(record.ArtifactId);

        var basedOn = new List<long>();
        foreach (var original in record.BasedOn)
        {
            if (ids.TryGetValue(original, out var mapped)) basedOn.Add(mapped);
            else problems.Add(new ReindexProblem(record.Path, FilesMessages.BasedOnNotInLake(original)));
        }

        var typeId = await ArtifactTypeIdAsync(record.Type == CairnFields.FileType ? null : record.Type, cancellationToken);
        var runTypeId = await RunTypeIdAsync(cancellationToken);
        var labels = SavedLabels(record.Tags, record.User);
        var artifact = new Artifact
        {
            Id = repair ? byId!.Id : null,
            TypeId = typeId,
            Uri = uri,
            State = ArtifactState.Live,
            CustomProperties = properties,
            Tags = labels.Tags,
            Owners = labels.Owners,
        };
        var executions = new List<Execution>();
        var edges = new List<EventEdge>();

        // A save inside a run is an output of the run: all saves of one run share one execution, whose inputs are
        // everything they were based on. Repairing in the original store, the run is the one recorded there.
        (long ExecutionId, HashSet<long> Inputs)? run = null;
        if (record.RunId is { } runId)
        {
            if (runs.TryGetValue(runId, out var known))
            {
                run = known;
            }
            else if (repair && (await _store.GetExecutionsByIdAsync([runId], cancellationToken)).FirstOrDefault() is { } original && original.TypeId == runTypeId)
            {
                run = runs[runId] = (runId, (await _store.GetEventsByExecutionIdsAsync([runId], cancellationToken)).Where(e => e.Type == EventType.Input).Select(e => e.ArtifactId!.Value).ToHashSet());
            }
        }

        if (run is { } existingRun)
        {
            edges.Add(new EventEdge(null, 0, new Event { ExecutionId = existingRun.ExecutionId, Type = EventType.Output, MillisecondsSinceEpoch = savedAtMs }));
            foreach (var input in basedOn.Where(existingRun.Inputs.Add))
            {
                edges.Add(new EventEdge(null, null, new Event { ExecutionId = existingRun.ExecutionId, ArtifactId = input, Type = EventType.Input, MillisecondsSinceEpoch = savedAtMs }));
            }
        }
        else
        {
            var fields = new Dictionary<string, MetadataValue>(StringComparer.Ordinal);
            foreach (var (key, value) in record.Environment) fields[key] = MetadataValue.String(value);
            fields[CairnFields.Kind] = MetadataValue.String(record.RunId is null ? "save" : "run");
            fields[CairnFields.StartedAt] = MetadataValue.Int(savedAtMs);
            fields[CairnFields.EndedAt] = MetadataValue.Int(savedAtMs);
            if (record.RunId is { } originalRun) fields[CairnFields.OriginalId] = MetadataValue.Int(originalRun);
            executions.Add(new Execution { TypeId = runTypeId, LastKnownState = ExecutionState.Complete, CustomProperties = fields });
            edges.Add(new EventEdge(0, 0, new Event { Type = EventType.Output, MillisecondsSinceEpoch = savedAtMs }));
            foreach (var input in basedOn.Distinct()) edges.Add(new EventEdge(0, null, new Event { ArtifactId = input, Type = EventType.Input, MillisecondsSinceEpoch = savedAtMs }));
        }

        var result = await _store.PutLineageSubgraphAsync(executions, [artifact], [], edges, cancellationToken: cancellationToken);
        if (record.RunId is { } newRun && run is null) runs[newRun] = (result.ExecutionIds[0], [.. basedOn]);
        return new ReindexedArtifact(record.Path, record.ArtifactId, result.ArtifactIds[0], repair ? ReindexOutcome.Repaired : ReindexOutcome.Created);
    }

    /// <summary>One <c>metadata.yaml</c>, read back.</summary>
    private sealed record LakeRecord(
        string Path, string Directory, long ArtifactId, string Type, string User, DateTimeOffset SavedAt, IReadOnlyDictionary<string, string> Info,
        IReadOnlyList<string> Tags, IReadOnlyList<long> BasedOn, long? RunId, IReadOnlyList<StoredFile> Files, IReadOnlyList<StoredFile> Logs,
        IReadOnlyDictionary<string, string> Environment)
    {
        public static LakeRecord Parse(string path, string yaml)
        {
            var root = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object?>>(yaml)
                ?? throw new FormatException("the file is empty");
            string Text(string key) => root.TryGetValue(key, out var v) && v is string s && s.Length > 0 ? s : throw new FormatException($"'{key}' is missing");
            long Number(object? value, string what) => value is string s && long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
                ? n
                : throw new FormatException($"{what} is not a number");
            IEnumerable<object?> List(string key) => root.TryGetValue(key, out var v) && v is List<object?> list ? list : [];
            IReadOnlyDictionary<string, string> Map(string key) => root.TryGetValue(key, out var v) && v is Dictionary<object, object?> map
                ? map.ToDictionary(p => (string)p.Key, p => p.Value as string ?? string.Empty, StringComparer.Ordinal)
                : new Dictionary<string, string>(StringComparer.Ordinal);
            IReadOnlyList<StoredFile> Files(string key) => [.. List(key).Select(item => item is Dictionary<object, object?> entry
                ? new StoredFile(
                    entry.TryGetValue("path", out var p) && p is string ps ? ps : throw new FormatException($"an entry of '{key}' has no path"),
                    Number(entry.GetValueOrDefault("size"), $"the size of '{ps}'"),
                    entry.TryGetValue("sha256", out var h) && h is string hs && hs.Length == 64 && hs.All(char.IsAsciiHexDigitLower) ? hs : throw new FormatException($"the sha256 of '{ps}' is not a digest"),
                    string.Empty)
                : throw new FormatException($"an entry of '{key}' is not a map"))];

            if (Number(root.GetValueOrDefault("cairn_metadata_version"), "cairn_metadata_version") != 1) throw new FormatException("cairn_metadata_version is not 1");
            var savedAt = DateTimeOffset.TryParse(Text("saved_at"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when)
                ? when
                : throw new FormatException("saved_at is not a time");
            var runText = root.GetValueOrDefault("run_id") as string;
            var directory = path.EndsWith("/metadata.yaml", StringComparison.Ordinal) ? path[..^"/metadata.yaml".Length] : throw new FormatException("not a metadata.yaml");
            return new LakeRecord(
                path,
                directory,
                Number(root.GetValueOrDefault("artifact_id"), "artifact_id"),
                Text("type"),
                Text("user"),
                savedAt,
                Map("info"),
                [.. List("tags").OfType<string>()],
                [.. List("based_on").Select(b => Number(b, "an id of based_on"))],
                string.IsNullOrEmpty(runText) ? null : Number(runText, "run_id"),
                Files("files"),
                Files("logs"),
                Map("environment"));
        }
    }
}
