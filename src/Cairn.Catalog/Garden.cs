namespace Cairn.Catalog;

/// <summary>A raw dataset found in a garden, with its tokenized subsets.</summary>
/// <param name="Root">The garden root it was found under (absolute).</param>
/// <param name="Context">The context directory: the first directory under the root.</param>
/// <param name="MetadataFile">The absolute path of its metadata file.</param>
/// <param name="Metadata">The checked metadata.</param>
/// <param name="Tokenized">Its tokenized subsets (<c>tokenized/&lt;tokenizer&gt;/&lt;subset&gt;/metadata.*</c> with <c>tokenized_info</c>).</param>
public sealed record GardenDataset(string Root, string Context, string MetadataFile, TatmMetadata Metadata, IReadOnlyList<GardenTokenized> Tokenized)
{
    /// <summary>The dataset's name in the catalog (tatm's <c>name</c> field).</summary>
    public string Name => Metadata.Name;

    /// <summary>The directory of the metadata file: what identifies the dataset across imports.</summary>
    public string Directory => Path.GetDirectoryName(MetadataFile)!;
}

/// <summary>A tokenized subset found under a dataset's <c>tokenized/</c> directory.</summary>
/// <param name="Name">Its catalog name: <c>&lt;dataset&gt;-tokenized_&lt;tokenizer&gt;_&lt;subset directory&gt;</c>.</param>
/// <param name="Subset">The name of the directory holding its metadata file.</param>
/// <param name="MetadataFile">The absolute path of its metadata file.</param>
/// <param name="Metadata">The checked metadata (its <c>tokenized_info</c> is set).</param>
public sealed record GardenTokenized(string Name, string Subset, string MetadataFile, TatmMetadata Metadata)
{
    /// <summary>The tokenizer, as <c>tokenized_info.tokenizer</c> names it.</summary>
    public string Tokenizer => Metadata.TokenizedInfo!.Tokenizer;

    /// <summary>The directory of the metadata file.</summary>
    public string Directory => Path.GetDirectoryName(MetadataFile)!;
}

/// <summary>What kind of problem an import met.</summary>
public enum GardenProblemKind
{
    /// <summary>A metadata file that is not valid tatm metadata, or is in the wrong place.</summary>
    Malformed,

    /// <summary>Two datasets claiming one name.</summary>
    Collision,
}

/// <summary>A problem met while crawling or importing a garden.</summary>
/// <param name="Kind">Malformed file or name collision.</param>
/// <param name="Message">One line naming the file(s) and, for a malformed file, the field.</param>
/// <param name="Paths">The metadata files concerned.</param>
/// <param name="Field">The offending field of a malformed file, when there is one.</param>
/// <param name="Name">The name claimed twice, for a collision.</param>
public sealed record GardenProblem(GardenProblemKind Kind, string Message, IReadOnlyList<string> Paths, string? Field = null, string? Name = null);

/// <summary>The datasets a crawl found, and the problems it met.</summary>
public sealed record GardenScan(IReadOnlyList<GardenDataset> Datasets, IReadOnlyList<GardenProblem> Problems);

/// <summary>
/// Walks tatm data gardens as tatm's <c>scripts/metadata</c> do: <c>&lt;root&gt;/&lt;context&gt;/&lt;dataset&gt;/metadata.{json,yaml,yml}</c>
/// is a raw dataset (any directory outside <c>raw/</c> and <c>tokenized/</c> directories counts), and
/// <c>&lt;dataset&gt;/tokenized/**/metadata.*</c> with <c>tokenized_info</c> set is one of its tokenized subsets.
/// </summary>
public static class GardenCrawler
{
    /// <summary>Crawls the roots in order; directories are visited in ordinal name order so results are repeatable.</summary>
    /// <exception cref="NotFoundException">A root does not exist.</exception>
    public static GardenScan Scan(IReadOnlyList<string> roots, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(roots);
        if (roots.Count == 0) throw new InvalidArgumentException(CatalogMessages.GardenNoRoots);
        var full = roots.Select(r => TatmMetadataReader.RealPath(r)).ToList();
        foreach (var root in full)
        {
            if (!System.IO.Directory.Exists(root)) throw new NotFoundException(CatalogMessages.GardenRootMissing(root));
        }

        var datasets = new List<GardenDataset>();
        var problems = new List<GardenProblem>();
        foreach (var root in full) Walk(root, root, datasets, problems, cancellationToken);
        return new GardenScan(datasets, problems);
    }

    private static void Walk(string root, string directory, List<GardenDataset> datasets, List<GardenProblem> problems, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        foreach (var file in MetadataFilesIn(directory))
        {
            var relative = Path.GetRelativePath(root, directory);
            if (relative == ".")
            {
                problems.Add(new GardenProblem(GardenProblemKind.Malformed, CatalogMessages.NoContext(file), [file]));
                continue;
            }

            var context = relative.Split(Path.DirectorySeparatorChar)[0];
            TatmMetadata metadata;
            try
            {
                metadata = TatmMetadataReader.ReadFile(file);
            }
            catch (TatmMetadataException e)
            {
                var subsets = TokenizedFiles(directory).Count;
                var message = CatalogMessages.Malformed(file, e.Field, e.Message) + (subsets > 0 ? CatalogMessages.SubsetsSkipped(subsets) : string.Empty);
                problems.Add(new GardenProblem(GardenProblemKind.Malformed, message, [file], e.Field));
                continue;
            }

            datasets.Add(new GardenDataset(root, context, file, metadata, Tokenized(metadata, directory, problems)));
        }

        foreach (var child in Subdirectories(directory))
        {
            // tatm skips raw/ (exclude_dirs) and any file with a tokenized/ component; tokenized data is read per dataset.
            var name = Path.GetFileName(child);
            if (name is "raw" or "tokenized") continue;
            Walk(root, child, datasets, problems, ct);
        }
    }

    private static List<GardenTokenized> Tokenized(TatmMetadata parent, string datasetDirectory, List<GardenProblem> problems)
    {
        var found = new List<GardenTokenized>();
        foreach (var file in TokenizedFiles(datasetDirectory))
        {
            TatmMetadata metadata;
            try
            {
                metadata = TatmMetadataReader.ReadFile(file);
            }
            catch (TatmMetadataException e)
            {
                problems.Add(new GardenProblem(GardenProblemKind.Malformed, CatalogMessages.Malformed(file, e.Field, e.Message), [file], e.Field));
                continue;
            }

            // tatm keeps only files whose tokenized_info is set.
            if (metadata.TokenizedInfo is not { } info) continue;
            var subset = Path.GetFileName(Path.GetDirectoryName(file))!;
            found.Add(new GardenTokenized(GardenSchema.TokenizedName(parent.Name, info.Tokenizer, subset), subset, file, metadata));
        }

        return found;
    }

    /// <summary>Every metadata file under <c>&lt;dataset&gt;/tokenized</c>, at any depth (tatm's <c>rglob</c>).</summary>
    private static List<string> TokenizedFiles(string datasetDirectory)
    {
        var ordered = new List<string>();
        var tokenized = Path.Combine(datasetDirectory, "tokenized");
        if (!System.IO.Directory.Exists(tokenized)) return ordered;
        Collect(tokenized, ordered);
        return ordered;

        static void Collect(string directory, List<string> into)
        {
            into.AddRange(MetadataFilesIn(directory));
            foreach (var child in Subdirectories(directory)) Collect(child, into);
        }
    }

    private static IEnumerable<string> MetadataFilesIn(string directory) =>
        TatmMetadataReader.FileNames.Select(n => Path.Combine(directory, n)).Where(File.Exists);

    private static IEnumerable<string> Subdirectories(string directory)
    {
        string[] children;
        try
        {
            children = System.IO.Directory.GetDirectories(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        Array.Sort(children, StringComparer.Ordinal);
        // Links to directories are not followed (tatm's Path.walk does not follow them either), so a loop cannot trap the walk.
        return children.Where(c => new DirectoryInfo(c).LinkTarget is null);
    }
}
