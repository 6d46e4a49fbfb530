using Cairn.Store.Relational;

namespace Cairn.Import;

/// <summary>Where an import is: a <paramref name="Phase"/> (reading, comparing, writing) of one table, with rows done out of a total.</summary>
/// <param name="Phase">Reading the MLMD database, comparing with the store, or writing to the store.</param>
/// <param name="Table">The table: an MLMD table name while reading, a Cairn table name after.</param>
/// <param name="Done">Rows done so far.</param>
/// <param name="Total">Rows in all (while reading, the rows read so far).</param>
public sealed record MlmdImportProgress(MlmdImportPhase Phase, string Table, int Done, int Total);

/// <summary>The phases of an import.</summary>
public enum MlmdImportPhase
{
    /// <summary>Reading the MLMD database.</summary>
    Reading,
    /// <summary>Comparing its rows with what the store holds.</summary>
    Comparing,
    /// <summary>Writing the rows the store lacks.</summary>
    Writing,
}

/// <summary>Rows of one of Cairn's tables: in the MLMD database, written by this import, and already in the store.</summary>
/// <param name="Table">Cairn's table name.</param>
/// <param name="Source">Rows the MLMD database holds for it.</param>
/// <param name="Written">Rows this import wrote.</param>
/// <param name="AlreadyPresent">Rows that an earlier import had written.</param>
public sealed record MlmdTableCount(string Table, int Source, int Written, int AlreadyPresent);

/// <summary>What an import did.</summary>
/// <param name="Source">The MLMD database, password removed.</param>
/// <param name="SchemaVersion">Its MLMD schema version.</param>
/// <param name="Tables">Counts per table, in the order they were written.</param>
public sealed record MlmdImportResult(string Source, int SchemaVersion, IReadOnlyList<MlmdTableCount> Tables)
{
    /// <summary>Rows written in all; 0 when the store already held everything.</summary>
    public int Written => Tables.Sum(t => t.Written);
}

/// <summary>Imports an MLMD database into a Cairn store, keeping its ids, in one transaction.</summary>
public static class MlmdImporter
{
    /// <summary>The only MLMD schema version Cairn reads (MLMD 1.11.0 to 1.16.0).</summary>
    public const int SupportedSchemaVersion = 10;

    /// <summary>
    /// Reads the MLMD database <paramref name="from"/> (a SQLite file path or a <c>postgres://</c> URI) and writes it into
    /// <paramref name="store"/>, which must be empty or hold an earlier import of the same database. Running it again writes
    /// nothing; a store that contradicts the database is refused before anything is written.
    /// </summary>
    public static async Task<MlmdImportResult> ImportAsync(
        string from, IMetadataStore store, IProgress<MlmdImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(store);
        if (store is not IRawImport target) throw new FailedPreconditionException(MlmdMessages.StoreCannotImport(store.DisplayUri));

        var source = MlmdSource.Parse(from);
        var (version, data) = await source.ReadAsync(progress, cancellationToken).ConfigureAwait(false);
        var relay = progress is null ? null : new Relay(progress);
        var outcome = await target.ImportAsync(data, relay, cancellationToken).ConfigureAwait(false);
        return new MlmdImportResult(source.Display, version,
            outcome.Tables.Select(t => new MlmdTableCount(t.Table, t.Source, t.Written, t.AlreadyPresent)).ToList());
    }

    /// <summary>Passes the engine's progress on in this assembly's terms, synchronously (the engine reports from its transaction).</summary>
    private sealed class Relay(IProgress<MlmdImportProgress> inner) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) =>
            inner.Report(new MlmdImportProgress(value.Writing ? MlmdImportPhase.Writing : MlmdImportPhase.Comparing, value.Table, value.Done, value.Total));
    }
}
