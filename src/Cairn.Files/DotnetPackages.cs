using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace Cairn.Files;

/// <summary>The NuGet packages of the .NET projects in a directory tree: per package id, the versions in use, and a readable listing.</summary>
/// <param name="Packages">Package id (as first written) → its versions, in ascending order; case-insensitive on the id, as NuGet is.</param>
/// <param name="Listing">Per project (path relative to the root), its packages and versions: the <c>dotnet_packages</c> log.</param>
internal sealed record DotnetPackageList(IReadOnlyDictionary<string, IReadOnlyList<string>> Packages, string Listing);

/// <summary>
/// Reads the package references of .NET projects from their files, without running a restore (<c>dotnet list package</c>
/// restores and takes seconds): <c>packages.lock.json</c> (the resolved versions, transitive ones included) where a
/// project has one, else the project's <c>PackageReference</c> items with their <c>Version</c> or <c>VersionOverride</c>,
/// else the central version from the nearest <c>Directory.Packages.props</c> (<c>PackageVersion</c>,
/// <c>GlobalPackageReference</c>); also <c>PackageReference</c> items of the nearest <c>Directory.Build.props</c> and
/// old-style <c>packages.config</c>. <c>$(Property)</c> versions are resolved from the properties of those files.
/// </summary>
internal static partial class DotnetPackages
{
    private const int MaxProjects = 2_000;
    private const int MaxDepth = 8;

    private static readonly string[] ProjectPatterns = ["*.csproj", "*.fsproj", "*.vbproj"];
    private static readonly HashSet<string> SkippedDirectories = new(StringComparer.OrdinalIgnoreCase) { "bin", "obj", "node_modules", "packages", "artifacts" };

    /// <summary>
    /// The packages of the projects under <paramref name="workingDirectory"/> when it holds a project, a
    /// <c>Directory.Packages.props</c> or a <c>packages.lock.json</c>; else under its git root; null when there are none.
    /// </summary>
    public static DotnetPackageList? Read(string workingDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workingDirectory);
        if (!Directory.Exists(workingDirectory)) return null;
        var root = HoldsDotnetFiles(workingDirectory) ? workingDirectory : GitRoot(workingDirectory);
        return root is null ? null : ReadTree(Path.GetFullPath(root), cancellationToken);
    }

    private static DotnetPackageList? ReadTree(string root, CancellationToken cancellationToken)
    {
        var reader = new TreeReader(cancellationToken);
        var projects = Enumerate(root, ProjectPatterns).Concat(Enumerate(root, ["packages.config"])).Take(MaxProjects).Order(StringComparer.Ordinal).ToList();
        var listing = new StringBuilder();
        var packages = new SortedDictionary<string, SortedSet<string>>(StringComparer.OrdinalIgnoreCase);
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        void Add(string source, IReadOnlyList<(string Id, string Version, string? Note)> found)
        {
            if (found.Count == 0) return;
            listing.Append(Path.GetRelativePath(root, source).Replace(Path.DirectorySeparatorChar, '/')).Append('\n');
            foreach (var (id, version, note) in found.OrderBy(p => p.Id, StringComparer.OrdinalIgnoreCase))
            {
                listing.Append("  ").Append(id).Append(' ').Append(version.Length == 0 ? "(no version)" : version);
                if (note is not null) listing.Append(" (").Append(note).Append(')');
                listing.Append('\n');
                if (version.Length == 0) continue;
                names.TryAdd(id, id);
                if (!packages.TryGetValue(id, out var versions)) packages[id] = versions = new SortedSet<string>(VersionComparer.Instance);
                versions.Add(version);
            }
        }

        foreach (var project in projects)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Add(project, Path.GetFileName(project).Equals("packages.config", StringComparison.OrdinalIgnoreCase) ? reader.PackagesConfig(project) : reader.Project(project));
        }

        // No projects: what the root's central versions or lock file say.
        if (projects.Count == 0)
        {
            var lockFile = Path.Combine(root, "packages.lock.json");
            if (File.Exists(lockFile)) Add(lockFile, reader.LockFile(lockFile));
            var central = Path.Combine(root, "Directory.Packages.props");
            if (File.Exists(central)) Add(central, reader.CentralVersions(central));
        }

        if (packages.Count == 0 && listing.Length == 0) return null;
        var result = packages.ToDictionary(p => names[p.Key], p => (IReadOnlyList<string>)[.. p.Value], StringComparer.OrdinalIgnoreCase);
        return new DotnetPackageList(result, listing.ToString());
    }

    private static bool HoldsDotnetFiles(string directory)
    {
        try
        {
            return ProjectPatterns.Any(p => Directory.EnumerateFiles(directory, p).Any())
                || File.Exists(Path.Combine(directory, "Directory.Packages.props"))
                || File.Exists(Path.Combine(directory, "packages.lock.json"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The nearest directory at or above <paramref name="directory"/> holding <c>.git</c> (a directory, or a file in a worktree).</summary>
    private static string? GitRoot(string directory)
    {
        for (var d = new DirectoryInfo(Path.GetFullPath(directory)); d is not null; d = d.Parent)
        {
            var git = Path.Combine(d.FullName, ".git");
            if (Directory.Exists(git) || File.Exists(git)) return d.FullName;
        }

        return null;
    }

    private static IEnumerable<string> Enumerate(string root, string[] patterns)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint | FileAttributes.Hidden | FileAttributes.System };
        var pending = new Stack<(string Directory, int Depth)>();
        pending.Push((root, 0));
        while (pending.Count > 0)
        {
            var (directory, depth) = pending.Pop();
            foreach (var pattern in patterns)
            {
                foreach (var file in Directory.EnumerateFiles(directory, pattern, options)) yield return file;
            }

            if (depth >= MaxDepth) continue;
            foreach (var sub in Directory.EnumerateDirectories(directory, "*", options))
            {
                var name = Path.GetFileName(sub);
                if (name.StartsWith('.') || SkippedDirectories.Contains(name)) continue;
                pending.Push((sub, depth + 1));
            }
        }
    }

    /// <summary>Reads the files of one tree, each at most once.</summary>
    private sealed class TreeReader(CancellationToken cancellationToken)
    {
        private readonly Dictionary<string, XDocument?> _documents = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string?> _nearest = new(StringComparer.Ordinal);

        public List<(string Id, string Version, string? Note)> Project(string project)
        {
            var directory = Path.GetDirectoryName(project)!;
            var lockFile = Path.Combine(directory, "packages.lock.json");
            var namedLockFile = Path.Combine(directory, "packages." + Path.GetFileNameWithoutExtension(project) + ".lock.json");
            if (File.Exists(namedLockFile)) return LockFile(namedLockFile);
            if (File.Exists(lockFile)) return LockFile(lockFile);

            var document = Load(project);
            if (document is null) return [];
            var buildProps = Nearest(directory, "Directory.Build.props");
            var centralProps = Nearest(directory, "Directory.Packages.props");
            var build = buildProps is null ? null : Load(buildProps);
            var central = centralProps is null ? null : Load(centralProps);

            // Later files win, as in MSBuild: Directory.Build.props, then the project, then Directory.Packages.props.
            var properties = Properties(build, document, central);

            var centralVersions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var found = new Dictionary<string, (string Id, string Version, string? Note)>(StringComparer.OrdinalIgnoreCase);
            if (central is not null)
            {
                foreach (var item in Items(central, "PackageVersion")) centralVersions[item.Id] = item.Version ?? string.Empty;
                foreach (var item in Items(central, "GlobalPackageReference")) found[item.Id] = (item.Id, Expand(item.Version ?? string.Empty, properties), "global");
            }

            foreach (var item in (build is null ? [] : Items(build, "PackageReference")).Concat(Items(document, "PackageReference")))
            {
                var version = item.Version ?? centralVersions.GetValueOrDefault(item.Id) ?? string.Empty;
                found[item.Id] = (item.Id, Expand(version, properties), null);
            }

            return [.. found.Values];
        }

        public List<(string Id, string Version, string? Note)> CentralVersions(string path)
        {
            if (Load(path) is not { } document) return [];
            var properties = Properties(document);
            return [.. Items(document, "PackageVersion").Select(i => (i.Id, Expand(i.Version ?? string.Empty, properties), (string?)null))];
        }

        public List<(string Id, string Version, string? Note)> PackagesConfig(string path) =>
            Load(path) is { } d
                ? [.. d.Root!.Elements().Where(e => e.Name.LocalName == "package")
                    .Select(e => ((string?)e.Attribute("id"), (string?)e.Attribute("version")))
                    .Where(p => !string.IsNullOrWhiteSpace(p.Item1))
                    .Select(p => (p.Item1!.Trim(), p.Item2?.Trim() ?? string.Empty, (string?)null))]
                : [];

        /// <summary>The resolved packages of every target framework; transitive ones marked.</summary>
        public List<(string Id, string Version, string? Note)> LockFile(string path)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var found = new Dictionary<string, (string Id, string Version, string? Note)>(StringComparer.OrdinalIgnoreCase);
            try
            {
                using var json = JsonDocument.Parse(File.ReadAllBytes(path));
                if (!json.RootElement.TryGetProperty("dependencies", out var frameworks) || frameworks.ValueKind != JsonValueKind.Object) return [];
                foreach (var framework in frameworks.EnumerateObject())
                {
                    if (framework.Value.ValueKind != JsonValueKind.Object) continue;
                    foreach (var package in framework.Value.EnumerateObject())
                    {
                        var type = package.Value.TryGetProperty("type", out var t) ? t.GetString() : null;
                        if (string.Equals(type, "Project", StringComparison.OrdinalIgnoreCase)) continue;
                        if (!package.Value.TryGetProperty("resolved", out var resolved) || resolved.GetString() is not { Length: > 0 } version) continue;
                        var transitive = type is not null && type.Contains("Transitive", StringComparison.OrdinalIgnoreCase);
                        if (!found.TryGetValue(package.Name, out var known) || known.Note is not null) found[package.Name] = (package.Name, version, transitive ? "transitive, locked" : "locked");
                    }
                }
            }
            catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                return [];
            }

            return [.. found.Values];
        }

        private static Dictionary<string, string> Properties(params XDocument?[] documents)
        {
            var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var d in documents)
            {
                if (d is null) continue;
                foreach (var p in d.Root!.Elements().Where(e => e.Name.LocalName == "PropertyGroup").Elements()) properties[p.Name.LocalName] = p.Value.Trim();
            }

            return properties;
        }

        private static IEnumerable<(string Id, string? Version)> Items(XDocument document, string itemName)
        {
            foreach (var item in document.Root!.Elements().Where(e => e.Name.LocalName == "ItemGroup").Elements().Where(e => e.Name.LocalName == itemName))
            {
                var id = ((string?)item.Attribute("Include") ?? (string?)item.Attribute("Update"))?.Trim();
                if (string.IsNullOrEmpty(id) || id.Contains("$(", StringComparison.Ordinal) || id.Contains(';', StringComparison.Ordinal)) continue;
                var version = (string?)item.Attribute("VersionOverride") ?? (string?)item.Attribute("Version")
                    ?? item.Elements().FirstOrDefault(e => e.Name.LocalName == "VersionOverride")?.Value
                    ?? item.Elements().FirstOrDefault(e => e.Name.LocalName == "Version")?.Value;
                yield return (id, version?.Trim());
            }
        }

        private static string Expand(string value, Dictionary<string, string> properties) =>
            PropertyPattern().Replace(value, m => properties.TryGetValue(m.Groups[1].Value, out var v) && !v.Contains("$(", StringComparison.Ordinal) ? v : m.Value);

        /// <summary>The nearest file of this name at or above <paramref name="directory"/>, as MSBuild finds it (also above the tree's root).</summary>
        private string? Nearest(string directory, string fileName)
        {
            var key = directory + "\n" + fileName;
            if (_nearest.TryGetValue(key, out var known)) return known;
            string? found = null;
            var candidate = Path.Combine(directory, fileName);
            if (File.Exists(candidate)) found = candidate;
            else if (Path.GetDirectoryName(directory) is { } parent) found = Nearest(parent, fileName);
            return _nearest[key] = found;
        }

        private XDocument? Load(string path)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_documents.TryGetValue(path, out var known)) return known;
            XDocument? document;
            try
            {
                using var stream = File.OpenRead(path);
                using var xml = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
                document = XDocument.Load(xml);
                if (document.Root is null) document = null;
            }
            catch (Exception e) when (e is XmlException or IOException or UnauthorizedAccessException)
            {
                document = null;
            }

            return _documents[path] = document;
        }
    }

    /// <summary>Orders versions numerically where they are numbers (<c>9.0.0</c> before <c>10.0.0</c>), else ordinally.</summary>
    private sealed class VersionComparer : IComparer<string>
    {
        public static VersionComparer Instance { get; } = new();

        public int Compare(string? x, string? y)
        {
            if (Version.TryParse(NumericPart(x), out var a) && Version.TryParse(NumericPart(y), out var b) && a.CompareTo(b) is var c && c != 0) return c;
            return string.CompareOrdinal(x, y);
        }

        private static string NumericPart(string? version)
        {
            if (version is null) return string.Empty;
            var end = version.IndexOfAny(['-', '+']);
            var numeric = end < 0 ? version : version[..end];
            return numeric.Contains('.', StringComparison.Ordinal) ? numeric : numeric + ".0";
        }
    }

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_.\-]*)\)", RegexOptions.CultureInvariant)]
    private static partial Regex PropertyPattern();

}
