namespace Cairn.Catalog;

/// <summary>Options of <see cref="GardenImporter.ImportAsync"/>.</summary>
public sealed record GardenImportOptions
{
    /// <summary>When two datasets claim one name, import the last one (in the order of the roots, then of the paths) instead of none.</summary>
    public bool Overwrite { get; init; }

    /// <summary>Receives progress: the <c>scan</c> phase, then <c>write</c> with datasets done out of the total.</summary>
    public IProgress<GardenImportProgress>? Progress { get; init; }

    /// <summary>Datasets (with their corpora and tokenized subsets) written per transaction.</summary>
    public int BatchSize { get; init; } = 200;
}

/// <summary>How far an import is.</summary>
/// <param name="Phase"><c>scan</c> or <c>write</c>.</param>
/// <param name="Done">Datasets done in this phase.</param>
/// <param name="Total">Datasets in this phase (0 while scanning).</param>
public sealed record GardenImportProgress(string Phase, int Done, int Total);

/// <summary>What an import did with one record.</summary>
public enum GardenOutcome
{
    /// <summary>New in the store.</summary>
    Imported,

    /// <summary>Stored before, and changed.</summary>
    Updated,

    /// <summary>Stored before, and the same.</summary>
    Unchanged,
}

/// <summary>One dataset, corpus or tokenized subset an import recorded.</summary>
/// <param name="Name">Its catalog name.</param>
/// <param name="Type">Its artifact type (<see cref="GardenSchema"/>).</param>
/// <param name="MetadataFile">The metadata file it came from.</param>
/// <param name="Outcome">What the import did.</param>
public sealed record GardenRecord(string Name, string Type, string MetadataFile, GardenOutcome Outcome);

/// <summary>What an import did.</summary>
/// <param name="Records">Every record recorded, in garden order.</param>
/// <param name="Problems">Malformed files and name collisions; when not empty, the import is incomplete.</param>
/// <param name="Overwritten">Collisions that <see cref="GardenImportOptions.Overwrite"/> resolved.</param>
public sealed record GardenImportResult(IReadOnlyList<GardenRecord> Records, IReadOnlyList<GardenProblem> Problems, IReadOnlyList<GardenProblem> Overwritten)
{
    /// <summary>Records new in the store.</summary>
    public int Imported => Records.Count(r => r.Outcome == GardenOutcome.Imported);

    /// <summary>Records that changed.</summary>
    public int Updated => Records.Count(r => r.Outcome == GardenOutcome.Updated);

    /// <summary>Records already stored as they are.</summary>
    public int Unchanged => Records.Count(r => r.Outcome == GardenOutcome.Unchanged);
}

/// <summary>
/// Records tatm data gardens in a Cairn store: raw datasets, their corpora and their tokenized subsets as artifacts with
/// tatm's tags, the parent relation as executions, a context per garden context directory. Importing the same garden again
/// writes nothing; changed metadata updates its record; a malformed file or a name claimed twice is reported and the rest
/// is imported.
/// </summary>
public static class GardenImporter
{
    /// <summary>Crawls <paramref name="roots"/> and records what they hold.</summary>
    /// <exception cref="NotFoundException">A root does not exist.</exception>
    public static async Task<GardenImportResult> ImportAsync(IMetadataStore store, IReadOnlyList<string> roots, GardenImportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        options ??= new GardenImportOptions();
        options.Progress?.Report(new GardenImportProgress("scan", 0, 0));
        var scan = GardenCrawler.Scan(roots, cancellationToken);
        var problems = new List<GardenProblem>(scan.Problems);
        var overwritten = new List<GardenProblem>();
        var rootList = scan.Datasets.Select(d => d.Root).Distinct(StringComparer.Ordinal).ToList();

        // ---- names claimed twice within this import: datasets first, then the tokenized subsets of the datasets kept.
        var datasets = Claim(scan.Datasets, d => d.Name, d => d.MetadataFile, d => d.Tokenized.Count + (d.Metadata.Corpuses?.Count ?? 0), options.Overwrite, problems, overwritten);
        var datasetNames = datasets.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        var subsets = datasets.SelectMany(d => d.Tokenized.Select(t => (Dataset: d, Subset: t))).ToList();
        var keptSubsets = Claim(subsets, s => s.Subset.Name, s => s.Subset.MetadataFile, _ => 0, options.Overwrite, problems, overwritten)
            .Where(s =>
            {
                if (!datasetNames.Contains(s.Subset.Name)) return true;
                var owner = datasets.First(d => d.Name == s.Subset.Name);
                problems.Add(Collision(s.Subset.Name, [owner.MetadataFile, s.Subset.MetadataFile], overwrite: false));
                return false;
            })
            .Select(s => s.Subset)
            .ToHashSet();

        // ---- what is stored
        var ids = await GardenSchema.DeclareTypesAsync(store, cancellationToken).ConfigureAwait(false);
        var contextTypeId = ids.ContextTypeIds[0];
        var stored = new Dictionary<string, Dictionary<string, Artifact>>(StringComparer.Ordinal);
        foreach (var type in new[] { GardenSchema.DatasetType, GardenSchema.CorpusType, GardenSchema.TokenizedType })
        {
            stored[type] = (await AllArtifactsAsync(store, type, cancellationToken).ConfigureAwait(false))
                .Where(a => a.Name is not null).ToDictionary(a => a.Name!, StringComparer.Ordinal);
        }

        var storedRuns = new HashSet<(string, string)>();
        foreach (var type in new[] { GardenSchema.TokenizeType, GardenSchema.SelectCorpusType })
        {
            foreach (var e in await AllExecutionsAsync(store, type, cancellationToken).ConfigureAwait(false))
            {
                if (e.Name is not null) storedRuns.Add((type, e.Name));
            }
        }

        var typeIds = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            [GardenSchema.DatasetType] = ids.ArtifactTypeIds[0],
            [GardenSchema.CorpusType] = ids.ArtifactTypeIds[1],
            [GardenSchema.TokenizedType] = ids.ArtifactTypeIds[2],
            [GardenSchema.TokenizeType] = ids.ExecutionTypeIds[0],
            [GardenSchema.SelectCorpusType] = ids.ExecutionTypeIds[1],
        };

        // ---- plan: per context, batches of datasets with their corpora and subsets
        var records = new List<GardenRecord>();
        var plans = new List<DatasetPlan>();
        foreach (var dataset in datasets)
        {
            var plan = new DatasetPlan(dataset.Context);
            var own = Decide(stored, GardenSchema.DatasetType, dataset.Name, dataset.MetadataFile, DatasetArtifact(dataset, typeIds), rootList, options.Overwrite, problems, overwritten);
            if (own is null)
            {
                continue;
            }

            plan.Add(own, records, dataset.Name, GardenSchema.DatasetType, dataset.MetadataFile);
            var parent = own.Write ? (Index: plan.Artifacts.Count - 1, Id: own.Artifact.Id) : (Index: -1, Id: own.Artifact.Id);
            foreach (var corpus in (dataset.Metadata.Corpuses ?? []).Distinct(StringComparer.Ordinal))
            {
                var name = GardenSchema.CorpusName(dataset.Name, corpus);
                var decision = Decide(stored, GardenSchema.CorpusType, name, dataset.MetadataFile, CorpusArtifact(dataset, corpus, typeIds), rootList, overwrite: true, problems, overwritten);
                plan.Add(decision!, records, name, GardenSchema.CorpusType, dataset.MetadataFile);
                if (decision!.IsNew && !storedRuns.Contains((GardenSchema.SelectCorpusType, name)))
                {
                    plan.Link(typeIds[GardenSchema.SelectCorpusType], name, parent, plan.Artifacts.Count - 1);
                }
            }

            foreach (var subset in dataset.Tokenized.Where(keptSubsets.Contains))
            {
                var decision = Decide(stored, GardenSchema.TokenizedType, subset.Name, subset.MetadataFile, TokenizedArtifact(dataset, subset, typeIds), rootList, options.Overwrite, problems, overwritten);
                if (decision is null) continue;
                plan.Add(decision, records, subset.Name, GardenSchema.TokenizedType, subset.MetadataFile);
                if (decision.IsNew && !storedRuns.Contains((GardenSchema.TokenizeType, subset.Name)))
                {
                    plan.Link(typeIds[GardenSchema.TokenizeType], subset.Name, parent, plan.Artifacts.Count - 1);
                }
            }

            plans.Add(plan);
        }

        // ---- write: one transaction per batch of datasets of one context
        var toWrite = plans.Where(p => p.Artifacts.Count > 0).ToList();
        var done = 0;
        options.Progress?.Report(new GardenImportProgress("write", 0, toWrite.Count));
        foreach (var group in toWrite.GroupBy(p => p.Context, StringComparer.Ordinal))
        {
            foreach (var batch in group.Chunk(Math.Max(1, options.BatchSize)))
            {
                cancellationToken.ThrowIfCancellationRequested();
                await WriteBatchAsync(store, contextTypeId, group.Key, batch, cancellationToken).ConfigureAwait(false);
                done += batch.Length;
                options.Progress?.Report(new GardenImportProgress("write", done, toWrite.Count));
            }
        }

        return new GardenImportResult(records, problems, overwritten);
    }

    private static async Task WriteBatchAsync(IMetadataStore store, long contextTypeId, string context, DatasetPlan[] batch, CancellationToken ct)
    {
        var artifacts = new List<Artifact>();
        var executions = new List<Execution>();
        var edges = new List<EventEdge>();
        foreach (var plan in batch)
        {
            var artifactBase = artifacts.Count;
            var executionBase = executions.Count;
            artifacts.AddRange(plan.Artifacts);
            executions.AddRange(plan.Executions);
            foreach (var (execution, parent, child) in plan.Links)
            {
                // The parent is in this batch when it is written too; otherwise it is referred to by its stored id.
                edges.Add(parent.Index >= 0
                    ? new EventEdge(executionBase + execution, artifactBase + parent.Index, new Event { Type = EventType.Input })
                    : new EventEdge(executionBase + execution, null, new Event { ArtifactId = parent.Id, Type = EventType.Input }));
                edges.Add(new EventEdge(executionBase + execution, artifactBase + child, new Event { Type = EventType.Output }));
            }
        }

        await store.PutLineageSubgraphAsync(
            executions, artifacts, [new Context { TypeId = contextTypeId, Name = context }], edges,
            new PutLineageSubgraphOptions { ReuseContextIfAlreadyExist = true }, ct).ConfigureAwait(false);
    }

    private static List<T> Claim<T>(
        IReadOnlyList<T> claimants, Func<T, string> name, Func<T, string> file, Func<T, int> children, bool overwrite,
        List<GardenProblem> problems, List<GardenProblem> overwritten)
    {
        var kept = new List<T>();
        foreach (var group in claimants.GroupBy(name, StringComparer.Ordinal))
        {
            var all = group.ToList();
            if (all.Count == 1)
            {
                kept.Add(all[0]);
                continue;
            }

            var paths = all.Select(file).ToList();
            if (overwrite)
            {
                overwritten.Add(Collision(group.Key, paths, overwrite: true));
                kept.Add(all[^1]);
            }
            else
            {
                var skipped = all.Sum(children);
                var problem = Collision(group.Key, paths, overwrite: false);
                problems.Add(skipped == 0 ? problem : problem with { Message = problem.Message + CatalogMessages.ChildrenSkipped(skipped) });
            }
        }

        // Keep the garden order.
        var keep = kept.ToHashSet();
        return [.. claimants.Where(keep.Contains)];
    }

    private static GardenProblem Collision(string name, IReadOnlyList<string> paths, bool overwrite) =>
        new(GardenProblemKind.Collision, CatalogMessages.NameClaimedTwice(name, paths, overwrite), paths, Name: name);

    private sealed record Decision(Artifact Artifact, GardenOutcome Outcome)
    {
        public bool Write => Outcome != GardenOutcome.Unchanged;

        public bool IsNew => Outcome == GardenOutcome.Imported;
    }

    /// <summary>New, changed or unchanged; null (with a problem) when another file's record holds the name.</summary>
    private static Decision? Decide(
        Dictionary<string, Dictionary<string, Artifact>> stored, string type, string name, string file, Artifact desired,
        IReadOnlyList<string> roots, bool overwrite, List<GardenProblem> problems, List<GardenProblem> overwritten)
    {
        // A name is one namespace across raw and tokenized datasets, as in tatm's metadata store.
        var otherType = type == GardenSchema.DatasetType ? GardenSchema.TokenizedType : type == GardenSchema.TokenizedType ? GardenSchema.DatasetType : null;
        if (otherType is not null && stored[otherType].TryGetValue(name, out var other))
        {
            problems.Add(new GardenProblem(GardenProblemKind.Collision, CatalogMessages.NameClaimedInStore(name, FileOf(other) ?? otherType, file, overwrite: false), [FileOf(other) ?? string.Empty, file], Name: name));
            return null;
        }

        if (!stored[type].TryGetValue(name, out var existing)) return new Decision(desired, GardenOutcome.Imported);
        var storedFile = FileOf(existing);
        var sameSource = storedFile is not null && string.Equals(Path.GetDirectoryName(storedFile), Path.GetDirectoryName(file), StringComparison.Ordinal);
        // A record whose file lies in a garden being imported, and which no longer claims the name there, has moved.
        var moved = !sameSource && storedFile is not null && roots.Any(r => IsUnder(storedFile, r));
        if (!sameSource && !moved)
        {
            var problem = new GardenProblem(GardenProblemKind.Collision, CatalogMessages.NameClaimedInStore(name, storedFile ?? "(no metadata file)", file, overwrite), [storedFile ?? string.Empty, file], Name: name);
            if (!overwrite)
            {
                problems.Add(problem);
                return null;
            }

            if (type != GardenSchema.CorpusType) overwritten.Add(problem);
        }

        var merged = desired with
        {
            Id = existing.Id,
            CustomProperties = existing.CustomProperties,
            Tags = [.. (existing.Tags ?? []).Where(t => !GardenSchema.IsClassificationTag(t)).Concat(desired.Tags ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
        };
        return new Decision(merged, Same(existing, merged) ? GardenOutcome.Unchanged : GardenOutcome.Updated);
    }

    private static bool Same(Artifact stored, Artifact desired) =>
        string.Equals(stored.Uri ?? string.Empty, desired.Uri ?? string.Empty, StringComparison.Ordinal)
        && stored.State == desired.State
        && stored.Properties.Count == desired.Properties.Count
        && desired.Properties.All(p => stored.Properties.TryGetValue(p.Key, out var v) && v.Equals(p.Value))
        && (stored.Tags ?? []).Order(StringComparer.Ordinal).SequenceEqual((desired.Tags ?? []).Order(StringComparer.Ordinal), StringComparer.Ordinal);

    private static bool IsUnder(string path, string root) =>
        path.StartsWith(root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static string? FileOf(Artifact artifact) =>
        artifact.Properties.TryGetValue(GardenSchema.MetadataFileProperty, out var v) && v.Kind == ValueKind.String ? v.StringValue : null;

    private static Artifact DatasetArtifact(GardenDataset d, Dictionary<string, long> types) => new()
    {
        TypeId = types[GardenSchema.DatasetType],
        Name = d.Name,
        Uri = d.Metadata.DatasetPath,
        State = ArtifactState.Live,
        Properties = GardenSchema.MetadataValues(d.Metadata, d.Context, d.MetadataFile),
        Tags = GardenSchema.DatasetTags(d.Context, d.Metadata),
    };

    private static Artifact CorpusArtifact(GardenDataset d, string corpus, Dictionary<string, long> types)
    {
        var location = TatmCorpus.Locate(d.Metadata, corpus);
        var values = new Dictionary<string, MetadataValue>(StringComparer.Ordinal)
        {
            ["dataset"] = MetadataValue.String(d.Name),
            ["corpus"] = MetadataValue.String(corpus),
            ["load_argument"] = MetadataValue.String(location.LoadArgument),
            ["load_value"] = MetadataValue.String(location.LoadValue),
            ["garden_context"] = MetadataValue.String(d.Context),
            [GardenSchema.MetadataFileProperty] = MetadataValue.String(d.MetadataFile),
        };
        GardenSchema.Set(values, "corpus_separation_strategy", d.Metadata.CorpusSeparationStrategy);
        return new Artifact
        {
            TypeId = types[GardenSchema.CorpusType],
            Name = GardenSchema.CorpusName(d.Name, corpus),
            Uri = location.Path,
            State = ArtifactState.Live,
            Properties = values,
            Tags = GardenSchema.CorpusTags,
        };
    }

    private static Artifact TokenizedArtifact(GardenDataset d, GardenTokenized t, Dictionary<string, long> types)
    {
        var values = GardenSchema.MetadataValues(t.Metadata, d.Context, t.MetadataFile);
        values["dataset"] = MetadataValue.String(d.Name);
        values["subset"] = MetadataValue.String(t.Subset);
        return new Artifact
        {
            TypeId = types[GardenSchema.TokenizedType],
            Name = t.Name,
            Uri = t.Metadata.DatasetPath,
            State = ArtifactState.Live,
            Properties = values,
            Tags = GardenSchema.TokenizedTags(t.Tokenizer),
        };
    }

    internal static async Task<List<Artifact>> AllArtifactsAsync(IMetadataStore store, string type, CancellationToken ct)
    {
        var all = new List<Artifact>();
        string? token = null;
        do
        {
            var page = await store.GetArtifactsByTypeAsync(type, null, new ListOptions { MaxResultSize = ListOptions.MaxPageSize, NextPageToken = token }, ct).ConfigureAwait(false);
            all.AddRange(page.Items);
            token = page.NextPageToken;
        }
        while (!string.IsNullOrEmpty(token));
        return all;
    }

    private static async Task<List<Execution>> AllExecutionsAsync(IMetadataStore store, string type, CancellationToken ct)
    {
        var all = new List<Execution>();
        string? token = null;
        do
        {
            var page = await store.GetExecutionsByTypeAsync(type, null, new ListOptions { MaxResultSize = ListOptions.MaxPageSize, NextPageToken = token }, ct).ConfigureAwait(false);
            all.AddRange(page.Items);
            token = page.NextPageToken;
        }
        while (!string.IsNullOrEmpty(token));
        return all;
    }

    /// <summary>What one dataset needs written: its artifacts (new or changed), the new executions linking children to it.</summary>
    private sealed class DatasetPlan(string context)
    {
        public string Context { get; } = context;

        public List<Artifact> Artifacts { get; } = [];

        public List<Execution> Executions { get; } = [];

        public List<(int Execution, (int Index, long? Id) Parent, int Child)> Links { get; } = [];

        public void Add(Decision decision, List<GardenRecord> records, string name, string type, string file)
        {
            records.Add(new GardenRecord(name, type, file, decision.Outcome));
            if (decision.Write) Artifacts.Add(decision.Artifact);
        }

        public void Link(long executionTypeId, string name, (int Index, long? Id) parent, int child)
        {
            Executions.Add(new Execution { TypeId = executionTypeId, Name = name, LastKnownState = ExecutionState.Complete });
            Links.Add((Executions.Count - 1, parent, child));
        }
    }
}
