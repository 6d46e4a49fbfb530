using Xunit;

namespace Cairn.Files.Tests;

/// <summary>Saved artifacts carry real tags and their saver as owner; find --tag reads the labels and still reads the tags of older saves.</summary>
public sealed class TagTests
{
    [Fact]
    public async Task A_save_tags_the_artifact_and_owns_it_by_the_saving_user()
    {
        using var w = await Workspace.CreateAsync(new LocalBackend());
        await using var store = await w.OpenStoreAsync();
        var files = new FileService(store, w.Blobs, new FileServiceOptions { UserName = "andy" });

        var saved = await files.SaveAsync(new SaveRequest { Files = [new FileToSave(w.Write("in/a.txt", "alpha"), "a.txt")], Tags = ["dataset", "nlp", "dataset"] }, null);

        var artifact = Assert.Single(await store.GetArtifactsByIdAsync([saved.ArtifactId]));
        Assert.Equal(["dataset", "nlp"], artifact.Tags);
        Assert.Equal(["andy"], artifact.Owners);
        Assert.False(artifact.CustomProperties.ContainsKey(CairnFields.LegacyTags));
        Assert.Equal([saved.ArtifactId], (await files.FindAsync(new FindQuery { Tag = "data*" })).Select(a => a.Artifact.Id!.Value));
        Assert.Empty(await files.FindAsync(new FindQuery { Tag = "vision" }));
        Assert.Single((await store.GetArtifactsAsync(new ListOptions { FilterQuery = "owners = 'andy' AND tags = 'nlp'" })).Items);
    }

    [Fact]
    public async Task Find_still_reads_the_tags_of_artifacts_saved_before_tags_were_labels()
    {
        using var w = await Workspace.CreateAsync(new LocalBackend());
        await using var store = await w.OpenStoreAsync();
        var files = new FileService(store, w.Blobs, new FileServiceOptions { UserName = "andy" });
        var old = await files.SaveAsync(new SaveRequest { Files = [new FileToSave(w.Write("in/a.txt", "alpha"), "a.txt")] }, null);
        var fresh = await files.SaveAsync(new SaveRequest { Files = [new FileToSave(w.Write("in/b.txt", "beta"), "b.txt")], Tags = ["dataset-v2"] }, null);

        // What an older Cairn wrote: the tags in the custom property cairn.tags, no labels.
        var artifact = Assert.Single(await store.GetArtifactsByIdAsync([old.ArtifactId]));
        var custom = new Dictionary<string, MetadataValue>(artifact.CustomProperties) { [CairnFields.LegacyTags] = MetadataValue.String("|dataset|legacy|") };
        await store.PutArtifactsAsync([artifact with { CustomProperties = custom, Tags = [] }]);

        var found = await files.FindAsync(new FindQuery { Tag = "dataset*" });
        Assert.Equal([old.ArtifactId, fresh.ArtifactId], found.Select(a => a.Artifact.Id!.Value));
        Assert.Equal(["dataset", "legacy"], found[0].Tags);
        Assert.Equal([old.ArtifactId], (await files.FindAsync(new FindQuery { Tag = "legacy" })).Select(a => a.Artifact.Id!.Value));
    }

    [Fact]
    public async Task A_bad_tag_is_refused_before_anything_is_written()
    {
        using var w = await Workspace.CreateAsync(new LocalBackend());
        await using var store = await w.OpenStoreAsync();
        var files = new FileService(store, w.Blobs);

        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() =>
            files.SaveAsync(new SaveRequest { Files = [new FileToSave(w.Write("in/a.txt", "alpha"), "a.txt")], Tags = ["ok", "line\nbreak"] }, null));

        Assert.StartsWith("Tag 'line", e.Message, StringComparison.Ordinal);
        Assert.Empty((await store.GetArtifactsAsync()).Items);
    }
}
