using Xunit;

namespace Cairn.Core.Tests;

public sealed class StoreUriTests
{
    [Fact]
    public void Sqlite_uri_with_three_slashes_names_an_absolute_file()
    {
        var uri = StoreUri.Parse("sqlite:///var/data/cairn.db");
        Assert.Equal("sqlite", uri.Scheme);
        Assert.Equal("/var/data/cairn.db", uri.Location);
    }

    [Fact]
    public void Sqlite_uri_without_slashes_is_relative_to_the_working_directory()
    {
        var uri = StoreUri.Parse("sqlite:relative.db");
        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), "relative.db"), uri.Location);
    }

    [Fact]
    public void A_bare_path_is_a_sqlite_file()
    {
        var uri = StoreUri.Parse("./some/store.db");
        Assert.Equal("sqlite", uri.Scheme);
        Assert.Equal(Path.GetFullPath("./some/store.db"), uri.Location);
    }

    [Fact]
    public void Memory_uri_is_recognised()
    {
        Assert.Equal("memory", StoreUri.Parse("memory:").Scheme);
    }

    [Theory]
    [InlineData("postgres://cairn:secret@db.example/cairn", "postgres://cairn:***@db.example/cairn")]
    [InlineData("postgresql://cairn@db.example/cairn", "postgresql://cairn@db.example/cairn")]
    public void Postgres_uri_hides_its_password_when_displayed(string text, string display)
    {
        var uri = StoreUri.Parse(text);
        Assert.Equal("postgres", uri.Scheme);
        Assert.Equal(display, uri.Display);
        Assert.DoesNotContain("secret", uri.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_scheme_is_rejected_with_the_scheme_named()
    {
        var e = Assert.Throws<InvalidArgumentException>(() => StoreUri.Parse("mysql://host/db"));
        Assert.Equal(Messages.StoreUriUnknownScheme("mysql://host/db", "mysql"), e.Message);
    }

    [Fact]
    public void Empty_uri_is_rejected()
    {
        var e = Assert.Throws<InvalidArgumentException>(() => StoreUri.Parse("  "));
        Assert.Equal(Messages.StoreUriEmpty, e.Message);
    }

    [Fact]
    public void Sqlite_uri_without_a_path_is_rejected()
    {
        Assert.Throws<InvalidArgumentException>(() => StoreUri.Parse("sqlite:"));
    }

    [Fact]
    public void Default_store_lives_in_cairn_home()
    {
        var previous = Environment.GetEnvironmentVariable("CAIRN_HOME");
        var home = Path.Combine(Path.GetTempPath(), "cairn-home-" + Guid.NewGuid().ToString("N"));
        try
        {
            Environment.SetEnvironmentVariable("CAIRN_HOME", home);
            Assert.Equal(Path.Combine(home, "cairn.db"), StoreUri.Default.Location);
        }
        finally
        {
            Environment.SetEnvironmentVariable("CAIRN_HOME", previous);
        }
    }

    [Fact]
    public async Task Opening_a_scheme_whose_backend_is_not_installed_says_which_assembly_to_add()
    {
        var e = await Assert.ThrowsAsync<UnimplementedException>(() => CairnStore.OpenAsync("postgres://localhost/cairn"));
        Assert.Equal(Messages.BackendNotInstalled("postgres", "Cairn.Store.PostgreSql"), e.Message);
    }
}
