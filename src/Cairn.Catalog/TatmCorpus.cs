namespace Cairn.Catalog;

/// <summary>Where a corpus of a dataset is and how tatm loads it.</summary>
/// <param name="Path">The corpus directory for <c>data_dirs</c>; the dataset path for <c>configs</c> (or no strategy).</param>
/// <param name="LoadArgument">The <c>datasets.load_dataset</c> argument tatm passes the corpus as: <c>data_dir</c> or <c>name</c>.</param>
/// <param name="LoadValue">Its value: the corpus directory relative to the dataset path, or the configuration name.</param>
public sealed record TatmCorpus(string Path, string LoadArgument, string LoadValue)
{
    /// <summary>
    /// tatm's rule (<c>TatmTextData.initialize</c>): with <c>data_dirs</c> the corpus is the directory
    /// <c>&lt;corpus_data_dir_parent&gt;/&lt;corpus&gt;</c> (or <c>&lt;corpus&gt;</c>) of the dataset; with <c>configs</c> or no strategy it is
    /// the dataset's configuration of that name.
    /// </summary>
    public static TatmCorpus Locate(TatmMetadata metadata, string corpus)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(corpus);
        if (metadata.CorpusSeparationStrategy != "data_dirs") return new TatmCorpus(metadata.DatasetPath, "name", corpus);
        var dataDir = metadata.CorpusDataDirParent is { } parent ? Join(parent, corpus) : corpus;
        return new TatmCorpus(Join(metadata.DatasetPath, dataDir), "data_dir", dataDir);
    }

    // pathlib's "/" on POSIX: an absolute right side wins, otherwise one separator between the two.
    private static string Join(string left, string right) =>
        right.StartsWith('/') ? right : left.Length == 0 ? right : left.TrimEnd('/') + "/" + right;
}
