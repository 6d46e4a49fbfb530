using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using YamlDotNet.Serialization;

namespace Cairn.Files;

/// <summary>Settings of a <see cref="FileService"/>.</summary>
public sealed record FileServiceOptions
{
    /// <summary>The clock (saved-at times and the lake's date directories).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Who saves: <c>$CAIRN_USER</c>, else the operating-system user.</summary>
    public string UserName { get; init; } = DefaultUserName();

    /// <summary>The operating-system user, unless <c>CAIRN_USER</c> names another (for shared service accounts).</summary>
    public static string DefaultUserName() =>
        Environment.GetEnvironmentVariable("CAIRN_USER") is { Length: > 0 } user ? user : Environment.UserName;

    /// <summary>How many files of one save or load are transferred at once. Default 4.</summary>
    public int Parallelism { get; init; } = 4;

    /// <summary>Receives the progress of saves and loads (called from the transferring threads); null reports nothing.</summary>
    public IProgress<TransferProgress>? Progress { get; init; }
}

/// <summary>How far a save or load is.</summary>
/// <param name="Operation"><c>save</c> or <c>load</c>.</param>
/// <param name="BytesDone">Bytes processed so far.</param>
/// <param name="BytesTotal">Bytes to process in all (a save hashes every byte, then stores or skips it: twice the files' size).</param>
public sealed record TransferProgress(string Operation, long BytesDone, long BytesTotal);

/// <summary>
/// Saves files as artifacts and loads them back: bytes go to an <see cref="IBlobStore"/> (content-addressed,
/// deduplicated, immutable), the record goes to an <see cref="IMetadataStore"/> as custom properties (see
/// <see cref="CairnFields"/>), and lineage is recorded with ordinary executions and events.
/// </summary>
public sealed partial class FileService
{
    private const int BufferSize = 1 << 20;
    private readonly IMetadataStore _store;
    private readonly IBlobStore _blobs;
    private readonly FileServiceOptions _options;
    private long? _fileTypeId;
    private long? _runTypeId;

    /// <summary>A service over a metadata store and a blob store.</summary>
    public FileService(IMetadataStore store, IBlobStore blobs, FileServiceOptions? options = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _blobs = blobs ?? throw new ArgumentNullException(nameof(blobs));
        _options = options ?? new FileServiceOptions();
    }

    /// <summary>The metadata store.</summary>
    public IMetadataStore Store => _store;

    /// <summary>The blob store.</summary>
    public IBlobStore Blobs => _blobs;

    /// <summary>Saves files as one new artifact outside any run.</summary>
    public Task<SaveResult> SaveAsync(SaveRequest request, CancellationToken cancellationToken = default) =>
        SaveAsync(request, runExecutionId: null, cancellationToken);

    /// <summary>
    /// Saves files as one new artifact. Inside a run (<paramref name="runExecutionId"/>) the artifact is an output of the
    /// run, so it is based on everything the run loaded; otherwise (or with explicit <see cref="SaveRequest.BasedOn"/>, or
    /// without <see cref="SaveRequest.AutoLineage"/>) a <c>cairn.Run</c> execution of kind <c>save</c> records it, with the
    /// based-on artifacts as its inputs.
    /// </summary>
    /// <remarks>
    /// Order of work: bytes to the blob store (invisible until referenced), a PENDING artifact for its id, the lake entries
    /// (files/, logs/, metadata.yaml), then one transaction that makes the artifact LIVE with its execution and events.
    /// An interrupted save leaves at most a PENDING artifact, which find, load and lineage ignore.
    /// </remarks>
    public async Task<SaveResult> SaveAsync(SaveRequest request, long? runExecutionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Files.Count == 0) throw new InvalidArgumentException(FilesMessages.NothingToSave);
        foreach (var key in request.Info.Keys) ValidateInfoKey(key);
        for (var i = 0; i < request.Tags.Count; i++)
        {
            try
            {
                NodeLabels.Check(request.Tags[i], NodeLabels.TagsField, i, "the save");
            }
            catch (InvalidArgumentException e)
            {
                throw new InvalidArgumentException(FilesMessages.BadTag(request.Tags[i], e.Message), e);
            }
        }

        var basedOn = request.BasedOn.Distinct().ToList();
        if (basedOn.Count > 0)
        {
            var found = (await _store.GetArtifactsByIdAsync(basedOn, cancellationToken)).Select(a => a.Id!.Value).ToHashSet();
            foreach (var id in basedOn)
            {
                if (!found.Contains(id)) throw new NotFoundException(FilesMessages.BasedOnMissing(id));
            }
        }

        if (runExecutionId is { } run && (await _store.GetExecutionsByIdAsync([run], cancellationToken)).Count == 0)
        {
            throw new NotFoundException(FilesMessages.RunMissing(run));
        }

        var typeId = await ArtifactTypeIdAsync(request.TypeName, cancellationToken);
        var runTypeId = await RunTypeIdAsync(cancellationToken);
        var now = _options.TimeProvider.GetUtcNow();
        var user = _options.UserName;

        // 1. Bytes, streamed and deduplicated, several files at a time.
        var tracker = Track("save", 2 * request.Files.Sum(f => SizeOf(f.SourcePath)));
        var blobs = new (string Path, BlobPutResult Blob)[request.Files.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, blobs.Length), ParallelOptionsFor(cancellationToken), async (i, token) =>
        {
            var file = request.Files[i];
            blobs[i] = (file.RelativePath, await _blobs.PutFileAsync(file.SourcePath, tracker, token));
        });
        var stored = blobs.Where(b => !b.Blob.Deduplicated).Sum(b => b.Blob.Size);
        var deduplicated = blobs.Where(b => b.Blob.Deduplicated).Sum(b => b.Blob.Size);

        var environment = request.Environment ?? CapturedEnvironment.Empty;
        var logBlobs = new List<(string Name, BlobPutResult Blob)>();
        foreach (var (name, text) in environment.Logs)
        {
            await using var content = new MemoryStream(new UTF8Encoding(false).GetBytes(text));
            logBlobs.Add((name, await _blobs.PutStreamAsync(content, cancellationToken)));
        }

        // 2. A PENDING artifact, for its id.
        var properties = new Dictionary<string, MetadataValue>(StringComparer.Ordinal)
        {
            [CairnFields.User] = MetadataValue.String(user),
            [CairnFields.SavedAt] = MetadataValue.Int(now.ToUnixTimeMilliseconds()),
        };
        // Tags and the saving user (as owner) are the artifact's own labels, written with it from the start.
        var labels = SavedLabels(request.Tags, user);
        var pending = new Artifact { TypeId = typeId, State = ArtifactState.Pending, CustomProperties = properties, Tags = labels.Tags, Owners = labels.Owners };
        var artifactId = (await _store.PutArtifactsAsync([pending], cancellationToken: cancellationToken))[0];

        // 3. The lake: files/, logs/ and metadata.yaml under YYYY/MM/DD/<user>/<id>/.
        var directory = string.Create(CultureInfo.InvariantCulture, $"{now:yyyy}/{now:MM}/{now:dd}/{PathSafe(user)}/{artifactId}");
        var files = new List<StoredFile>();
        foreach (var (path, blob) in blobs)
        {
            var location = await _blobs.PublishAsync(blob.Sha256, directory + "/files/" + path, cancellationToken);
            files.Add(new StoredFile(path, blob.Size, blob.Sha256, location));
        }

        var logs = new List<StoredFile>();
        foreach (var (name, blob) in logBlobs)
        {
            var location = await _blobs.PublishAsync(blob.Sha256, directory + "/logs/" + name, cancellationToken);
            logs.Add(new StoredFile(name, blob.Size, blob.Sha256, location));
        }

        var uri = _blobs.LocationOf(directory) + "/";
        var useRun = runExecutionId is not null && request.AutoLineage && basedOn.Count == 0;
        if (useRun)
        {
            basedOn = [.. (await _store.GetEventsByExecutionIdsAsync([runExecutionId!.Value], cancellationToken))
                .Where(e => e.Type == EventType.Input).Select(e => e.ArtifactId!.Value).Distinct().Order()];
        }

        AddSavedFields(properties, files, logs, request.Info);

        var metadata = MetadataYaml(artifactId, request.TypeName ?? CairnFields.FileType, uri, user, now, request, files, logs, basedOn, useRun ? runExecutionId : null, environment);
        await _blobs.WriteTextAsync(directory + "/metadata.yaml", metadata, cancellationToken);

        // 4. One transaction: the artifact becomes LIVE with the execution that saved it and its events.
        var live = new Artifact { Id = artifactId, TypeId = typeId, Uri = uri, State = ArtifactState.Live, CustomProperties = properties, Tags = labels.Tags, Owners = labels.Owners };
        var executions = new List<Execution>();
        var edges = new List<EventEdge>();
        var nowMs = now.ToUnixTimeMilliseconds();
        if (useRun)
        {
            edges.Add(new EventEdge(null, 0, new Event { ExecutionId = runExecutionId, Type = EventType.Output, MillisecondsSinceEpoch = nowMs }));
        }
        else
        {
            var saveProperties = new Dictionary<string, MetadataValue>(environment.Fields, StringComparer.Ordinal)
            {
                [CairnFields.Kind] = MetadataValue.String("save"),
                [CairnFields.StartedAt] = MetadataValue.Int(nowMs),
                [CairnFields.EndedAt] = MetadataValue.Int(nowMs),
            };
            executions.Add(new Execution { TypeId = runTypeId, LastKnownState = ExecutionState.Complete, CustomProperties = saveProperties });
            edges.Add(new EventEdge(0, 0, new Event { Type = EventType.Output, MillisecondsSinceEpoch = nowMs }));
            foreach (var input in basedOn) edges.Add(new EventEdge(0, null, new Event { ArtifactId = input, Type = EventType.Input, MillisecondsSinceEpoch = nowMs }));
        }

        var result = await _store.PutLineageSubgraphAsync(executions, [live], [], edges, cancellationToken: cancellationToken);
        var executionId = useRun ? runExecutionId!.Value : result.ExecutionIds[0];
        return new SaveResult(artifactId, executionId, uri, files, stored, deduplicated, basedOn);
    }

    /// <summary>A saved artifact with its manifest; NotFound when absent, FailedPrecondition when it holds no saved files.</summary>
    public async Task<SavedArtifact> GetAsync(long artifactId, CancellationToken cancellationToken = default)
    {
        var artifact = (await _store.GetArtifactsByIdAsync([artifactId], cancellationToken)).FirstOrDefault()
            ?? throw new NotFoundException(FilesMessages.ArtifactMissing(artifactId));
        if (artifact.State == ArtifactState.Pending && artifact.CustomProperties.ContainsKey(CairnFields.User) && !artifact.CustomProperties.ContainsKey(CairnFields.Files))
        {
            throw new FailedPreconditionException(FilesMessages.SaveInterrupted(artifactId));
        }

        if (!artifact.CustomProperties.ContainsKey(CairnFields.Files)) throw new FailedPreconditionException(FilesMessages.NotAFilesArtifact(artifactId));
        var files = CairnFields.ReadManifest(artifact, CairnFields.Files, "files") ?? throw new DataLossException(FilesMessages.ManifestDamaged(artifactId));
        return new SavedArtifact(artifact, files);
    }

    /// <summary>The files of an artifact.</summary>
    public async Task<IReadOnlyList<StoredFile>> ListFilesAsync(long artifactId, CancellationToken cancellationToken = default) =>
        (await GetAsync(artifactId, cancellationToken)).Files;

    /// <summary>The logs captured when the artifact was saved.</summary>
    public async Task<IReadOnlyList<StoredFile>> ListLogsAsync(long artifactId, CancellationToken cancellationToken = default)
    {
        var saved = await GetAsync(artifactId, cancellationToken);
        return CairnFields.ReadManifest(saved.Artifact, CairnFields.Logs, "logs") ?? [];
    }

    /// <summary>The text of one captured log, verified against its SHA-256.</summary>
    public async Task<string> ReadLogAsync(long artifactId, string name, CancellationToken cancellationToken = default)
    {
        var logs = await ListLogsAsync(artifactId, cancellationToken);
        var log = logs.FirstOrDefault(l => string.Equals(l.Path, name, StringComparison.Ordinal))
            ?? throw new NotFoundException(FilesMessages.LogMissing(artifactId, name, logs.Count == 0 ? "none" : string.Join(", ", logs.Select(l => l.Path))));
        await using var buffer = new MemoryStream();
        await using (var source = await OpenObjectAsync(log.Sha256, cancellationToken))
        {
            await source.CopyToAsync(buffer, cancellationToken);
        }

        var actual = Convert.ToHexStringLower(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
        if (!string.Equals(actual, log.Sha256, StringComparison.Ordinal)) throw new DataLossException(FilesMessages.HashMismatch("logs/" + name, log.Sha256, actual, log.Location));
        return new UTF8Encoding(false).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>
    /// Writes the artifact's files under <paramref name="targetDirectory"/>, verifying each SHA-256 while streaming; a file
    /// whose bytes do not match is not written and the load fails (DataLoss). Inside a run the load is recorded as an input.
    /// </summary>
    public async Task<LoadResult> LoadAsync(long artifactId, string targetDirectory, long? runExecutionId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(targetDirectory);
        var saved = await GetAsync(artifactId, cancellationToken);
        if (saved.Artifact.State != ArtifactState.Live) throw new FailedPreconditionException(FilesMessages.SaveInterrupted(artifactId));
        if (runExecutionId is { } run && (await _store.GetExecutionsByIdAsync([run], cancellationToken)).Count == 0)
        {
            throw new NotFoundException(FilesMessages.RunMissing(run));
        }

        var root = Path.GetFullPath(targetDirectory);
        var tracker = Track("load", saved.Files.Sum(f => f.Size));
        await Parallel.ForEachAsync(saved.Files, ParallelOptionsFor(cancellationToken), async (file, token) =>
        {
            var target = Path.GetFullPath(Path.Combine(root, file.Path));
            if (!target.StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal)) throw new DataLossException(FilesMessages.OutsideRoot(file.Path));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (File.Exists(target))
            {
                await using var existing = new FileStream(target, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous);
                var (digest, _) = await LocalBlobStore.HashAsync(existing, token);
                if (string.Equals(digest, file.Sha256, StringComparison.Ordinal))
                {
                    tracker?.Report(file.Size);
                    return;
                }

                throw new AlreadyExistsException(FilesMessages.TargetDiffers(target));
            }

            var temp = Path.Combine(Path.GetDirectoryName(target)!, "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N")[..8] + ".partial");
            try
            {
                string actual;
                try
                {
                    actual = await _blobs.DownloadAsync(file.Sha256, temp, file.Size, tracker, token);
                }
                catch (FileNotFoundException e)
                {
                    throw new DataLossException(e.Message, e);
                }

                if (!string.Equals(actual, file.Sha256, StringComparison.Ordinal)) throw new DataLossException(FilesMessages.HashMismatch(file.Path, file.Sha256, actual, file.Location));
                File.Move(temp, target, overwrite: false);
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
        });

        if (runExecutionId is { } runId)
        {
            await _store.PutEventsAsync([new Event
            {
                ArtifactId = artifactId,
                ExecutionId = runId,
                Type = EventType.Input,
                MillisecondsSinceEpoch = _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds(),
            }], cancellationToken);
        }

        return new LoadResult(artifactId, root, saved.Files);
    }

    /// <summary>Re-hashes the stored bytes of every file (and log) of the artifact.</summary>
    public async Task<IReadOnlyList<VerifiedFile>> VerifyAsync(long artifactId, CancellationToken cancellationToken = default)
    {
        var saved = await GetAsync(artifactId, cancellationToken);
        var logs = CairnFields.ReadManifest(saved.Artifact, CairnFields.Logs, "logs") ?? [];
        var results = new List<VerifiedFile>();
        foreach (var file in saved.Files.Concat(logs.Select(l => l with { Path = "logs/" + l.Path })))
        {
            string? problem;
            try
            {
                await using var source = await _blobs.OpenObjectAsync(file.Sha256, cancellationToken);
                var (digest, size) = await LocalBlobStore.HashAsync(source, cancellationToken);
                problem = string.Equals(digest, file.Sha256, StringComparison.Ordinal) && size == file.Size
                    ? null
                    : FilesMessages.HashMismatch(file.Path, file.Sha256, digest, file.Location);
            }
            catch (FileNotFoundException e)
            {
                problem = e.Message;
            }

            results.Add(new VerifiedFile(file, problem));
        }

        return results;
    }

    /// <summary>Finds saved (LIVE) artifacts, newest first; built on filter queries, with globs refined exactly afterwards.</summary>
    public async Task<IReadOnlyList<SavedArtifact>> FindAsync(FindQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var conditions = new List<string> { "state = LIVE", $"{Custom(CairnFields.User)}.string_value IS NOT NULL" };
        if (query.User is { } user) conditions.Add($"{Custom(CairnFields.User)}.string_value LIKE {Globs.Literal(Globs.ToLike(user))}");
        if (query.Since is { } since) conditions.Add($"{Custom(CairnFields.SavedAt)}.int_value >= {since.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}");
        if (query.Until is { } until) conditions.Add($"{Custom(CairnFields.SavedAt)}.int_value < {until.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}");
        if (query.File is { } file) conditions.Add($"{Custom(CairnFields.Paths)}.string_value LIKE {Globs.Literal("%" + Globs.ToLike(file) + "|%")}");
        foreach (var (key, glob) in query.Info)
        {
            ValidateInfoKey(key);
            conditions.Add($"{Custom(CairnFields.InfoPrefix + key)}.string_value LIKE {Globs.Literal(Globs.ToLike(glob))}");
        }

        if (query.Type is { } type) conditions.Add("type = " + Globs.Literal(type));
        if (query.BasedOn is { } origin)
        {
            var downstream = await _store.GetBasedOnAsync(origin, LineageDirection.Downstream, query.Depth, cancellationToken);
            if (downstream.Count == 0) return [];
            conditions.Add("id IN (" + string.Join(", ", downstream.Select(d => d.Artifact.Id!.Value.ToString(CultureInfo.InvariantCulture))) + ")");
        }

        // A tag is a label (tags LIKE …, on the label index). Artifacts saved before tags were labels keep them in the custom
        // property cairn.tags ("|a|b|"): a second query finds those, until 'cairn reindex' (or a put of tags) moves them.
        List<string> filters = query.Tag is { } tag
            ?
            [
                string.Join(" AND ", [.. conditions, "tags LIKE " + Globs.Literal(Globs.ToLike(tag))]),
                string.Join(" AND ", [.. conditions, $"{Custom(CairnFields.LegacyTags)}.string_value LIKE {Globs.Literal("%|" + Globs.ToLike(tag) + "|%")}"]),
            ]
            : [string.Join(" AND ", conditions)];
        var found = new SortedDictionary<long, SavedArtifact>();
        foreach (var filter in filters)
        {
            string? token = null;
            do
            {
                var page = await _store.GetArtifactsAsync(new ListOptions { MaxResultSize = ListOptions.MaxPageSize, FilterQuery = filter, NextPageToken = token, OrderBy = OrderByField.Id }, cancellationToken);
                foreach (var artifact in page.Items)
                {
                    var files = CairnFields.ReadManifest(artifact, CairnFields.Files, "files");
                    if (files is null) continue;
                    var saved = new SavedArtifact(artifact, files);
                    if (query.File is { } fileGlob && !files.Any(f => Globs.MatchesPath(fileGlob, f.Path))) continue;
                    if (query.Tag is { } tagGlob && !saved.Tags.Any(t => Globs.Matches(tagGlob, t))) continue;
                    found[artifact.Id!.Value] = saved;
                }

                token = page.NextPageToken;
            }
            while (!string.IsNullOrEmpty(token));
        }

        return [.. found.Values];
    }

    /// <summary>The labels of a saved artifact: its tags, and the saving user as its owner.</summary>
    internal static (IReadOnlyList<string> Tags, IReadOnlyList<string> Owners) SavedLabels(IReadOnlyList<string> tags, string user) =>
        ([.. tags.Distinct(StringComparer.Ordinal)], string.IsNullOrEmpty(user) ? [] : [user]);

    /// <summary>Starts a run: a RUNNING <c>cairn.Run</c> execution with the captured environment. Dispose it (or complete it) to finish.</summary>
    public async Task<RunScope> StartRunAsync(string? name = null, CapturedEnvironment? environment = null, CancellationToken cancellationToken = default)
    {
        var typeId = await RunTypeIdAsync(cancellationToken);
        var started = _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var properties = new Dictionary<string, MetadataValue>((environment ?? CapturedEnvironment.Empty).Fields, StringComparer.Ordinal)
        {
            [CairnFields.Kind] = MetadataValue.String("run"),
            [CairnFields.StartedAt] = MetadataValue.Int(started),
        };
        var execution = new Execution { TypeId = typeId, Name = name, LastKnownState = ExecutionState.Running, CustomProperties = properties };
        var id = (await _store.PutExecutionsAsync([execution], cancellationToken: cancellationToken))[0];
        return new RunScope(this, execution with { Id = id }, environment);
    }

    internal async Task CompleteRunAsync(Execution execution, int exitCode, CancellationToken cancellationToken)
    {
        var properties = new Dictionary<string, MetadataValue>(execution.CustomProperties, StringComparer.Ordinal)
        {
            [CairnFields.EndedAt] = MetadataValue.Int(_options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds()),
            [CairnFields.ExitCode] = MetadataValue.Int(exitCode),
        };
        var done = execution with { LastKnownState = exitCode == 0 ? ExecutionState.Complete : ExecutionState.Failed, CustomProperties = properties };
        await _store.PutExecutionsAsync([done], new PutNodesOptions { UpdateMask = ["last_known_state", "custom_properties"] }, cancellationToken);
    }

    internal async Task<long> ArtifactTypeIdAsync(string? typeName, CancellationToken cancellationToken)
    {
        if (typeName is null && _fileTypeId is { } cached) return cached;
        var name = typeName ?? CairnFields.FileType;
        try
        {
            var existing = await _store.GetArtifactTypeAsync(name, cancellationToken: cancellationToken);
            if (typeName is null) _fileTypeId = existing.Id;
            return existing.Id!.Value;
        }
        catch (NotFoundException)
        {
            var type = new ArtifactType
            {
                Name = name,
                BaseType = typeName is null ? ArtifactBaseType.Dataset : null,
                Description = typeName is null ? "Files saved with cairn save: see the cairn.files manifest." : null,
            };
            var id = await _store.PutArtifactTypeAsync(type, new TypeUpsertOptions { CanAddFields = true, CanOmitFields = true }, cancellationToken);
            if (typeName is null) _fileTypeId = id;
            return id;
        }
    }

    private async Task<long> RunTypeIdAsync(CancellationToken cancellationToken)
    {
        if (_runTypeId is { } cached) return cached;
        try
        {
            _runTypeId = (await _store.GetExecutionTypeAsync(CairnFields.RunType, cancellationToken: cancellationToken)).Id;
        }
        catch (NotFoundException)
        {
            _runTypeId = await _store.PutExecutionTypeAsync(
                new ExecutionType { Name = CairnFields.RunType, Description = "A cairn run or save, with the environment it ran in." },
                new TypeUpsertOptions { CanAddFields = true, CanOmitFields = true },
                cancellationToken);
        }

        return _runTypeId!.Value;
    }

    private async Task<Stream> OpenObjectAsync(string sha256, CancellationToken cancellationToken)
    {
        try
        {
            return await _blobs.OpenObjectAsync(sha256, cancellationToken);
        }
        catch (FileNotFoundException e)
        {
            throw new DataLossException(e.Message, e);
        }
    }

    private ParallelOptions ParallelOptionsFor(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = Math.Max(1, _options.Parallelism), CancellationToken = cancellationToken };

    private ByteCounter? Track(string operation, long total) => _options.Progress is { } progress ? new ByteCounter(operation, total, progress) : null;

    private static long SizeOf(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>Adds up the byte counts of parallel transfers and reports the running total.</summary>
    private sealed class ByteCounter(string operation, long total, IProgress<TransferProgress> progress) : IProgress<long>
    {
        private long _done;

        public void Report(long value) => progress.Report(new TransferProgress(operation, Interlocked.Add(ref _done, value), total));
    }

    /// <summary>The fields of a saved artifact besides who, when and its labels: manifest, paths, size, blob store, logs and info.</summary>
    private void AddSavedFields(
        Dictionary<string, MetadataValue> properties, IReadOnlyList<StoredFile> files, IReadOnlyList<StoredFile> logs,
        IReadOnlyDictionary<string, string> info)
    {
        properties[CairnFields.Files] = MetadataValue.Struct(CairnFields.ManifestJson("files", files));
        properties[CairnFields.Paths] = MetadataValue.String(CairnFields.JoinList(files.Select(f => f.Path)));
        properties[CairnFields.Bytes] = MetadataValue.Int(files.Sum(f => f.Size));
        properties[CairnFields.Blobs] = MetadataValue.String(_blobs.RootUri);
        if (logs.Count > 0) properties[CairnFields.Logs] = MetadataValue.Struct(CairnFields.ManifestJson("logs", logs));
        foreach (var (key, value) in info) properties[CairnFields.InfoPrefix + key] = MetadataValue.String(value);
    }

    private static string Custom(string name) => "custom_properties.`" + name + "`";

    internal static void ValidateInfoKey(string key)
    {
        if (key.Length == 0 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')) throw new InvalidArgumentException(FilesMessages.BadInfoKey(key));
    }

    private static string PathSafe(string user)
    {
        var safe = new string([.. user.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_')]);
        return safe.Length == 0 || safe.All(c => c == '.') ? "unknown" : safe;
    }

    private static string MetadataYaml(
        long id, string type, string uri, string user, DateTimeOffset savedAt, SaveRequest request, IReadOnlyList<StoredFile> files,
        IReadOnlyList<StoredFile> logs, IReadOnlyList<long> basedOn, long? runId, CapturedEnvironment environment)
    {
        static List<Dictionary<string, object>> Entries(IEnumerable<StoredFile> list) =>
            [.. list.Select(f => new Dictionary<string, object> { ["path"] = f.Path, ["size"] = f.Size, ["sha256"] = f.Sha256 })];

        var document = new Dictionary<string, object?>
        {
            ["cairn_metadata_version"] = 1,
            ["artifact_id"] = id,
            ["type"] = type,
            ["uri"] = uri,
            ["user"] = user,
            ["saved_at"] = savedAt.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            ["info"] = new SortedDictionary<string, string>(request.Info.ToDictionary(), StringComparer.Ordinal),
            ["tags"] = request.Tags.ToList(),
            ["based_on"] = basedOn.ToList(),
            ["run_id"] = runId,
            ["files"] = Entries(files),
            ["logs"] = Entries(logs),
            ["environment"] = new SortedDictionary<string, string>(environment.Fields.ToDictionary(f => f.Key, f => f.Value.ToString()), StringComparer.Ordinal),
        };
        return new SerializerBuilder().Build().Serialize(document);
    }
}
