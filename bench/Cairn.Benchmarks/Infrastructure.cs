using System.Globalization;
using Cairn.Store.Relational;
using Cairn.Store.Sqlite;
using Microsoft.Data.Sqlite;

namespace Cairn.Benchmarks;

/// <summary>A fresh temp directory per store or reference database, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory(string root, string label)
    {
        FullPath = Path.Combine(root, $"cairn-bench-{label}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(FullPath);
    }

    public string FullPath { get; }

    public string File(string name) => Path.Combine(FullPath, name);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(FullPath, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory must not fail the run.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>The hand-written reference's database access: the store's schema and PRAGMAs, raw prepared commands.</summary>
internal static class RawSqlite
{
    /// <summary>
    /// Opens a connection configured exactly as <c>SqliteBackend</c> configures its readers' (the file mapped into memory up to
    /// SQLite's limit); <see cref="Create"/> turns the mapping off, as the store's writer has it.
    /// </summary>
    public static SqliteConnection Open(string path)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        };
        var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -32768; PRAGMA mmap_size = "
            + Cairn.Store.Sqlite.SqliteBackend.MaxMemoryMapBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) + ";");
        return connection;
    }

    /// <summary>Creates a database with the store's migrations (the same DDL a store runs on first open) in WAL mode.</summary>
    public static SqliteConnection Create(string path)
    {
        var connection = Open(path);
        Execute(connection, "PRAGMA mmap_size = 0");
        Execute(connection, "PRAGMA journal_mode = WAL");
        using var tx = connection.BeginTransaction();
        for (var v = 0; v < SqliteSchema.Migrations.Count; v++)
        {
            Execute(connection, SqliteSchema.Migrations[v], tx);
            using var record = connection.CreateCommand();
            record.Transaction = tx;
            record.CommandText = "INSERT INTO cairn_schema (version, applied_at, cairn_version) VALUES ($v, $t, $c)";
            record.Parameters.AddWithValue("$v", v + 1);
            record.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            record.Parameters.AddWithValue("$c", typeof(SqliteSchema).Assembly.GetName().Version?.ToString() ?? "0");
            record.ExecuteNonQuery();
        }

        tx.Commit();
        return connection;
    }

    public static void Execute(SqliteConnection connection, string sql, SqliteTransaction? tx = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>A prepared command with named parameters <c>$name</c> created once; callers set values and execute.</summary>
    public static SqliteCommand Prepare(SqliteConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var p in parameters) command.Parameters.Add(new SqliteParameter(p, null));
        command.Prepare();
        return command;
    }

    /// <summary>Moves the WAL into the database file and truncates it, so file sizes compare like for like.</summary>
    public static void Checkpoint(string path)
    {
        using var connection = Open(path);
        Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
    }

    /// <summary>Bytes of the database file plus its WAL, if any.</summary>
    public static long BytesOnDisk(string path)
    {
        long Size(string p) => System.IO.File.Exists(p) ? new FileInfo(p).Length : 0;
        return Size(path) + Size(path + "-wal");
    }

    /// <summary>An <c>IN (…)</c> list of <paramref name="count"/> numbered parameters <c>$p0, $p1, …</c>.</summary>
    public static string InList(int count) => string.Join(", ", Enumerable.Range(0, count).Select(i => "$p" + i.ToString(CultureInfo.InvariantCulture)));

    public static string[] InParameters(int count) => Enumerable.Range(0, count).Select(i => "$p" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
}

/// <summary>A Cairn store on its own file, opened through the public entry point.</summary>
internal sealed class SutStore : IAsyncDisposable
{
    private SutStore(IMetadataStore store, string path)
    {
        Store = store;
        Path = path;
        Engine = (RelationalMetadataStore)store;
    }

    public IMetadataStore Store { get; }

    /// <summary>The engine behind <see cref="Store"/>, for its statement counter.</summary>
    public RelationalMetadataStore Engine { get; }

    public string Path { get; }

    public long LastCallStatements => Engine.LastCallStatements;

    public static async Task<SutStore> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var store = await CairnStore.OpenAsync("sqlite://" + path, cancellationToken).ConfigureAwait(false);
        return new SutStore(store, path);
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}

/// <summary>Resident memory of this process from <c>/proc/self/status</c> (Linux only; null elsewhere).</summary>
internal static class ProcessMemory
{
    public static double? PeakMb() => ReadKb("VmHWM:") / 1024.0;

    public static double? CurrentMb() => ReadKb("VmRSS:") / 1024.0;

    /// <summary>Peak resident memory of another process (W12's server), from <c>/proc/PID/status</c>.</summary>
    public static double? PeakMbOf(int pid) => ReadKb("VmHWM:", $"/proc/{pid}/status") / 1024.0;

    /// <summary>Resets the peak (VmHWM) to the current RSS so a workload's peak is its own (Linux ≥ 4.0).</summary>
    public static void ResetPeak()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        try
        {
            System.IO.File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            // Not Linux or not permitted: the peak then covers the whole process lifetime.
        }
    }

    private static long? ReadKb(string key, string file = "/proc/self/status")
    {
        try
        {
            foreach (var line in System.IO.File.ReadLines(file))
            {
                if (!line.StartsWith(key, StringComparison.Ordinal)) continue;
                var digits = new string(line.AsSpan(key.Length).ToArray().Where(char.IsAsciiDigit).ToArray());
                return long.Parse(digits, CultureInfo.InvariantCulture);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }
}
