using System.Data.Common;
using Xunit;

namespace Cairn.Store.Sqlite.Tests;

/// <summary>Readers map the file into memory, writers read through the page cache only; the size is a setting.</summary>
public sealed class SqliteMemoryMapTests() : SqliteFileTests("cairn-mmap-")
{
    private static async Task<long> MmapSizeAsync(DbConnection connection)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA mmap_size";
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<(long Reader, long? Writer)> SizesAsync(StoreOpenOptions options)
    {
        await using var backend = SqliteBackend.ForFile(NewPath(), options, SqliteSchema.Migrations);
        await using var reader = await backend.OpenConnectionAsync(CancellationToken.None);
        var opening = backend.OpenWriterConnectionAsync(CancellationToken.None);
        if (opening is null) return (await MmapSizeAsync(reader), null);
        await using var writer = await opening;
        return (await MmapSizeAsync(reader), await MmapSizeAsync(writer));
    }

    [Fact]
    public async Task Readers_map_up_to_SQLite_s_limit_by_default_and_the_writer_maps_nothing()
    {
        var (reader, writer) = await SizesAsync(new StoreOpenOptions());
        Assert.Equal(SqliteBackend.MaxMemoryMapBytes, reader);
        Assert.Equal(0, writer);
    }

    [Fact]
    public async Task The_size_is_a_setting_and_zero_turns_mapping_off()
    {
        Assert.Equal(64L << 20, (await SizesAsync(new StoreOpenOptions { SqliteMemoryMapBytes = 64L << 20 })).Reader);
        Assert.Equal(0, (await SizesAsync(new StoreOpenOptions { SqliteMemoryMapBytes = 0 })).Reader);
        Assert.Equal(SqliteBackend.MaxMemoryMapBytes, (await SizesAsync(new StoreOpenOptions { SqliteMemoryMapBytes = long.MaxValue })).Reader);
    }

    [Fact]
    public async Task A_negative_size_is_refused_naming_the_setting()
    {
        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() =>
            CairnStore.OpenAsync(StoreUri.Parse("sqlite://" + Path.Combine(Dir, "bad.db")), new StoreOpenOptions { SqliteMemoryMapBytes = -1 }));
        Assert.Equal(Messages.SqliteMemoryMapInvalid("SqliteMemoryMapBytes", "-1"), e.Message);
        Assert.False(File.Exists(Path.Combine(Dir, "bad.db")));
    }

    [Fact]
    public async Task An_in_memory_store_has_no_writer_connection_of_its_own()
    {
        await using var backend = SqliteBackend.InMemory(new StoreOpenOptions(), SqliteSchema.Migrations);
        Assert.Null(backend.OpenWriterConnectionAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Reads_through_mapped_connections_see_every_committed_write()
    {
        var path = Path.Combine(Dir, "rw.db");
        await using var store = await CairnStore.OpenAsync(StoreUri.Parse("sqlite://" + path), new StoreOpenOptions { SqliteMemoryMapBytes = 1 << 20 });
        var type = await store.PutArtifactTypeAsync(new ArtifactType { Name = "mm.Data" });
        // Enough rows to grow the file past the 1 MiB that readers map, so reads cross the mapped and unmapped parts.
        var all = new List<long>();
        for (var batch = 0; batch < 20; batch++)
        {
            var ids = await store.PutArtifactsAsync(Enumerable.Range(0, 100)
                .Select(i => new Artifact { TypeId = type, Uri = $"file:///d/{batch}/{i}/" + new string('x', 200) }).ToList());
            all.AddRange(ids);
            var read = await store.GetArtifactsByIdAsync(ids);
            Assert.Equal(ids, read.Select(a => a.Id!.Value).ToList());
        }

        Assert.True(new FileInfo(path).Length + new FileInfo(path + "-wal").Length > 1 << 20);
        var everything = await store.GetArtifactsByIdAsync(all);
        Assert.Equal(all, everything.Select(a => a.Id!.Value).ToList());
        Assert.All(everything, a => Assert.StartsWith("file:///d/", a.Uri, StringComparison.Ordinal));
    }
}
