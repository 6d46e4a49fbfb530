using System.Text.Json.Nodes;
using Xunit;

namespace Cairn.Schemaspaces.Tests;

public sealed class FileInstanceStoreTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public FileInstanceStoreTests()
    {
        User = _temp.Combine("user");
        Factory = _temp.Combine("factory");
        Store = new FileInstanceStore([User, Factory]);
    }

    private string User { get; }

    private string Factory { get; }

    private FileInstanceStore Store { get; }

    public void Dispose() => _temp.Dispose();

    private void WriteFactory(string name, JsonObject content)
    {
        var directory = Path.Combine(Factory, "metadata", "code-snippets");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, name + ".json"), content.ToJsonString());
    }

    [Fact]
    public async Task An_instance_is_written_to_the_first_directory_as_name_dot_json_without_name_or_resource()
    {
        var content = Fixtures.Snippet();
        content["name"] = "ignored";

        var stored = await Store.StoreAsync("code-snippets", "hello", content, forUpdate: false);

        var file = Path.Combine(User, "metadata", "code-snippets", "hello.json");
        Assert.Equal(file, stored.Resource);
        Assert.True(stored.Writable);
        var written = (JsonObject)JsonNode.Parse(File.ReadAllText(file))!;
        Assert.False(written.ContainsKey("name"));
        Assert.Equal("Hello", (string)written["display_name"]!);
        Assert.Contains("\n  \"display_name\"", File.ReadAllText(file), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(file)!));
        }
    }

    [Fact]
    public async Task The_name_is_the_file_stem_whatever_the_content_says()
    {
        var content = Fixtures.Snippet();
        content["name"] = "other";
        WriteFactory("stem", content);

        var stored = Assert.Single(await Store.FetchAsync("code-snippets"));

        Assert.Equal("stem", stored.Name);
        Assert.False(stored.Content!.ContainsKey("name"));
    }

    [Fact]
    public async Task A_higher_level_overrides_a_lower_one_of_the_same_name()
    {
        WriteFactory("hello", Fixtures.Snippet("Factory hello"));
        WriteFactory("other", Fixtures.Snippet("Other"));
        await Store.StoreAsync("code-snippets", "hello", Fixtures.Snippet("User hello"), forUpdate: true);

        var all = await Store.FetchAsync("code-snippets");

        Assert.Equal(["hello", "other"], all.Select(i => i.Name));
        Assert.Equal("User hello", (string)all[0].Content!["display_name"]!);
        Assert.True(all[0].Writable);
        Assert.False(all[1].Writable);
        Assert.Equal("User hello", (string)Assert.Single(await Store.FetchAsync("code-snippets", "hello")).Content!["display_name"]!);
    }

    [Fact]
    public async Task Create_is_refused_when_the_name_exists_at_any_level()
    {
        WriteFactory("hello", Fixtures.Snippet());

        var e = await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.StoreAsync("code-snippets", "hello", Fixtures.Snippet(), forUpdate: false));

        Assert.Equal(SchemaspaceMessages.InstanceExists("hello", "code-snippets"), e.Message);
        Assert.False(File.Exists(Path.Combine(User, "metadata", "code-snippets", "hello.json")));
    }

    [Fact]
    public async Task Delete_is_refused_at_the_factory_level_and_allowed_in_the_writable_one()
    {
        WriteFactory("hello", Fixtures.Snippet("Factory hello"));
        var factory = Assert.Single(await Store.FetchAsync("code-snippets", "hello"));

        var e = await Assert.ThrowsAsync<FailedPreconditionException>(() => Store.DeleteAsync("code-snippets", factory));
        Assert.Equal(SchemaspaceMessages.InstanceReadOnly("hello", "code-snippets", factory.Resource), e.Message);

        // Deleting the shadowing copy uncovers the factory instance again.
        var copy = await Store.StoreAsync("code-snippets", "hello", Fixtures.Snippet("User hello"), forUpdate: true);
        await Store.DeleteAsync("code-snippets", copy);
        Assert.Equal("Factory hello", (string)Assert.Single(await Store.FetchAsync("code-snippets", "hello")).Content!["display_name"]!);
    }

    [Fact]
    public async Task An_update_replaces_the_file_and_leaves_no_backup()
    {
        await Store.StoreAsync("code-snippets", "hello", Fixtures.Snippet("One"), forUpdate: false);
        var updated = await Store.StoreAsync("code-snippets", "hello", Fixtures.Snippet("Two"), forUpdate: true);

        Assert.Equal("Two", (string)updated.Content!["display_name"]!);
        Assert.Equal(["hello.json"], Directory.GetFiles(Path.Combine(User, "metadata", "code-snippets")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Unreadable_files_are_returned_with_their_reason_and_other_files_are_ignored()
    {
        var directory = Path.Combine(User, "metadata", "code-snippets");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "broken.json"), "{ nope");
        File.WriteAllText(Path.Combine(directory, "array.json"), "[]");
        File.WriteAllText(Path.Combine(directory, "notes.txt"), "not an instance");

        var all = await Store.FetchAsync("code-snippets");

        Assert.Equal(["array", "broken"], all.Select(i => i.Name));
        Assert.All(all, i => Assert.Null(i.Content));
        Assert.Equal(SchemaspaceMessages.InstanceNotObject(Path.Combine(directory, "array.json")), all[0].LoadError);
        Assert.StartsWith(SchemaspaceMessages.InstanceNotJson(Path.Combine(directory, "broken.json"), ""), all[1].LoadError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../hello")]
    [InlineData("..")]
    [InlineData("")]
    public async Task A_name_that_is_a_path_names_no_instance(string name)
    {
        WriteFactory("hello", Fixtures.Snippet());

        Assert.Empty(await Store.FetchAsync("code-snippets", name));
    }

    [Fact]
    public async Task The_schemaspace_directory_is_lower_case_and_exists_only_once_written()
    {
        Assert.False(await Store.SchemaspaceExistsAsync("Code-Snippets"));
        Assert.Empty(await Store.FetchAsync("Code-Snippets"));

        await Store.StoreAsync("Code-Snippets", "hello", Fixtures.Snippet(), forUpdate: false);

        Assert.True(await Store.SchemaspaceExistsAsync("code-snippets"));
        Assert.True(File.Exists(Path.Combine(User, "metadata", "code-snippets", "hello.json")));
    }
}
