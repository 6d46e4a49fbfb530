namespace Cairn.Files;

/// <summary>Turns the paths a user names into the files of an artifact.</summary>
public static class FileSelection
{
    /// <summary>
    /// Files stay under their name; directories are walked recursively and keep their paths relative to the directory's
    /// parent (<c>data/</c> holding <c>a/b.txt</c> gives <c>data/a/b.txt</c>). Fails before anything is stored when a path
    /// is missing or unreadable, or when two files would get the same relative path.
    /// </summary>
    public static IReadOnlyList<FileToSave> Expand(IEnumerable<string> paths, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var result = new List<FileToSave>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var given in paths)
        {
            var full = Path.GetFullPath(given, workingDirectory);
            if (Directory.Exists(full))
            {
                var trimmed = Path.TrimEndingDirectorySeparator(full);
                var baseDirectory = Path.GetDirectoryName(trimmed) ?? trimmed;
                var files = Directory.EnumerateFiles(trimmed, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false })
                    .Order(StringComparer.Ordinal);
                foreach (var file in files) Add(file, Path.GetRelativePath(baseDirectory, file));
            }
            else if (File.Exists(full))
            {
                Add(full, Path.GetFileName(full));
            }
            else
            {
                throw new NotFoundException(FilesMessages.FileMissing(given));
            }
        }

        if (result.Count == 0) throw new InvalidArgumentException(FilesMessages.NothingToSave);
        return result;

        void Add(string file, string relative)
        {
            relative = relative.Replace(Path.DirectorySeparatorChar, '/');
            if (!seen.Add(relative)) throw new InvalidArgumentException(FilesMessages.DuplicatePath(relative));
            try
            {
                using var probe = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InvalidArgumentException(FilesMessages.FileUnreadable(file, e.Message.TrimEnd('.')), e);
            }

            result.Add(new FileToSave(file, relative));
        }
    }
}
