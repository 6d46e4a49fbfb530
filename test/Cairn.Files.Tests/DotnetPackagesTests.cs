using System.Globalization;
using Xunit;

namespace Cairn.Files.Tests;

/// <summary>Capture of the .NET project packages: read from the project files, never by a restore.</summary>
public sealed class DotnetPackagesTests
{
    private const string CentralProps = """
        <Project>
          <PropertyGroup>
            <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
            <SerilogVersion>4.2.0</SerilogVersion>
          </PropertyGroup>
          <ItemGroup>
            <PackageVersion Include="Newtonsoft.Json" Version="13.0.3" />
            <PackageVersion Include="Serilog" Version="$(SerilogVersion)" />
            <PackageVersion Include="Npgsql" Version="9.0.0" />
            <GlobalPackageReference Include="Nerdbank.GitVersioning" Version="3.7.115" />
          </ItemGroup>
        </Project>
        """;

    [Fact]
    public void Central_versions_overrides_properties_and_global_references_are_resolved_per_project()
    {
        using var w = new Workspace();
        w.Write("repo/Directory.Packages.props", CentralProps);
        w.Write("repo/Directory.Build.props", """<Project><ItemGroup><PackageReference Include="StyleCop.Analyzers" Version="1.1.118" /></ItemGroup></Project>""");
        w.Write("repo/src/App/App.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <PackageReference Include="Newtonsoft.Json" />
                <PackageReference Include="Serilog" />
                <PackageReference Include="Npgsql" VersionOverride="10.0.3" />
                <ProjectReference Include="../Lib/Lib.csproj" />
              </ItemGroup>
            </Project>
            """);
        w.Write("repo/src/Lib/Lib.fsproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup><PackageReference Include="npgsql" /></ItemGroup>
            </Project>
            """);

        var list = DotnetPackages.Read(w.PathOf("repo"))!;

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["Nerdbank.GitVersioning"] = "3.7.115",
                ["Newtonsoft.Json"] = "13.0.3",
                ["Npgsql"] = "9.0.0, 10.0.3",
                ["Serilog"] = "4.2.0",
                ["StyleCop.Analyzers"] = "1.1.118",
            },
            list.Packages.ToDictionary(p => p.Key, p => string.Join(", ", p.Value)));
        Assert.Equal(
            """
            src/App/App.csproj
              Nerdbank.GitVersioning 3.7.115 (global)
              Newtonsoft.Json 13.0.3
              Npgsql 10.0.3
              Serilog 4.2.0
              StyleCop.Analyzers 1.1.118
            src/Lib/Lib.fsproj
              Nerdbank.GitVersioning 3.7.115 (global)
              npgsql 9.0.0
              StyleCop.Analyzers 1.1.118

            """.ReplaceLineEndings("\n"),
            list.Listing);
    }

    [Fact]
    public void A_lock_file_gives_the_resolved_versions_transitive_ones_included()
    {
        using var w = new Workspace();
        w.Write("app/App.csproj", """<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="Serilog" Version="4.*" /></ItemGroup></Project>""");
        w.Write("app/packages.lock.json", """
            {
              "version": 1,
              "dependencies": {
                "net10.0": {
                  "Serilog": { "type": "Direct", "requested": "[4.*, )", "resolved": "4.2.0", "contentHash": "x" },
                  "System.Memory": { "type": "Transitive", "resolved": "4.5.5", "contentHash": "y" },
                  "Lib": { "type": "Project" }
                }
              }
            }
            """);

        var list = DotnetPackages.Read(w.PathOf("app"))!;

        Assert.Equal(["Serilog=4.2.0", "System.Memory=4.5.5"], list.Packages.Select(p => p.Key + "=" + string.Join(", ", p.Value)).Order(StringComparer.Ordinal));
        Assert.Contains("System.Memory 4.5.5 (transitive, locked)", list.Listing, StringComparison.Ordinal);
    }

    [Fact]
    public void A_working_directory_without_project_files_is_read_from_its_git_root_and_elsewhere_nothing_is_captured()
    {
        using var w = new Workspace();
        Directory.CreateDirectory(w.PathOf("repo/.git"));
        w.Write("repo/Directory.Packages.props", CentralProps);
        w.Write("repo/src/App/App.csproj", """<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="Newtonsoft.Json" /></ItemGroup></Project>""");
        w.Write("repo/bin/Old/Old.csproj", """<Project><ItemGroup><PackageReference Include="Ignored" Version="1.0.0" /></ItemGroup></Project>""");
        w.Write("repo/docs/readme.md", "docs");
        w.Write("elsewhere/notes.txt", "no projects here");

        var fromSubdirectory = DotnetPackages.Read(w.PathOf("repo/docs"))!;

        Assert.Equal(["Nerdbank.GitVersioning", "Newtonsoft.Json"], fromSubdirectory.Packages.Keys.Order(StringComparer.Ordinal));
        Assert.Null(DotnetPackages.Read(w.PathOf("elsewhere")));
    }

    [Fact]
    public void Central_versions_alone_are_read_and_unreadable_project_files_are_skipped()
    {
        using var w = new Workspace();
        w.Write("central/Directory.Packages.props", CentralProps);
        w.Write("broken/Good.csproj", """<Project><ItemGroup><PackageReference Include="Serilog" Version="4.2.0" /></ItemGroup></Project>""");
        w.Write("broken/sub/Bad.csproj", "<Project><ItemGroup>");

        Assert.Equal("4.2.0", DotnetPackages.Read(w.PathOf("central"))!.Packages["serilog"].Single());
        Assert.Equal(["Serilog"], DotnetPackages.Read(w.PathOf("broken"))!.Packages.Keys);
    }

    [Fact]
    public async Task The_capture_records_each_package_as_a_field_and_the_listing_as_a_log_within_the_timeout()
    {
        using var w = new Workspace();
        w.Write("proj/App.csproj", """<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="Newtonsoft.Json" Version="13.0.3" /></ItemGroup></Project>""");

        var captured = await EnvironmentCapture.CaptureAsync(new EnvironmentCaptureOptions { WorkingDirectory = w.PathOf("proj") });
        using var expired = new CancellationTokenSource();
        await expired.CancelAsync();

        Assert.Equal(MetadataValue.String("13.0.3"), captured.Fields["dotnet.packages.Newtonsoft.Json"]);
        Assert.Equal("App.csproj\n  Newtonsoft.Json 13.0.3\n", captured.Logs["dotnet_packages"]);
        Assert.Throws<OperationCanceledException>(() => DotnetPackages.Read(w.PathOf("proj"), expired.Token));
    }

    [Fact]
    public async Task Saved_package_versions_are_queryable_on_the_execution_and_readable_as_the_dotnet_packages_log()
    {
        using var w = new Workspace();
        w.Write("App.csproj", """<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="Newtonsoft.Json" Version="13.0.3" /></ItemGroup></Project>""");
        w.Write("model.bin", "weights");

        var id = (await w.OkAsync("save", "model.bin")).Trim();
        var log = await w.OkAsync("logs", id, "dotnet_packages");
        await using var store = await w.OpenStoreAsync();
        var runs = await store.GetExecutionsAsync(new ListOptions { FilterQuery = "custom_properties.`dotnet.packages.Newtonsoft.Json`.string_value = '13.0.3'" });

        Assert.Equal("App.csproj\n  Newtonsoft.Json 13.0.3\n", log);
        var run = Assert.Single(runs.Items);
        Assert.Equal(run.Id, (await store.GetEventsByArtifactIdsAsync([long.Parse(id, CultureInfo.InvariantCulture)])).Single().ExecutionId);
    }
}
