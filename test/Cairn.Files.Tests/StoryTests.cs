using System.Text.Json.Nodes;
using Xunit;

namespace Cairn.Files.Tests;

/// <summary>The ElliptIO story (seed 002): Andy saves, Brenda finds and loads, Charlie builds on it inside a run; on every blob store.</summary>
public abstract class StoryTestsBase(BlobBackend backend)
{
    private static string CairnDll => Path.Combine(AppContext.BaseDirectory, "cairn.dll");

    [SkippableFact]
    public async Task Andy_saves_Brenda_finds_and_loads_Charlie_runs_and_find_based_on_reaches_his_report()
    {
        if (OperatingSystem.IsWindows()) return; // The run below uses sh and a fake pip script.
        using var w = await Workspace.CreateAsync(backend);

        // A pip of our own on PATH, so the captured pip_freeze is known.
        var bin = Directory.CreateDirectory(w.PathOf("bin")).FullName;
        var pip = Path.Combine(bin, "pip");
        File.WriteAllText(pip, "#!/bin/sh\nprintf 'pandas==2.2.0\\nnumpy==1.26.4\\n'\n");
        File.SetUnixFileMode(pip, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var oldPath = Environment.GetEnvironmentVariable("PATH");
        var oldUser = Environment.GetEnvironmentVariable("CAIRN_USER");
        Environment.SetEnvironmentVariable("PATH", bin + Path.PathSeparator + oldPath);
        try
        {
            // Andy saves train.txt and test.txt without choosing a destination.
            Environment.SetEnvironmentVariable("CAIRN_USER", "andy");
            w.Write("andy/train.txt", "x,y\n1,2\n");
            w.Write("andy/test.txt", "x,y\n3,4\n");
            var andyRun = await w.CairnAsync(["save", "train.txt", "test.txt", "--info", "type=dataset_list", "--info", "stratification=new-cool-method", "--json"], w.PathOf("andy"));
            Assert.True(andyRun.ExitCode == 0, andyRun.ToString());
            var andy = JsonNode.Parse(andyRun.Stdout)!;
            var andyId = (long)andy["id"]!;
            Assert.Equal(16, (long)andy["bytes_stored"]!);
            var uri = (string)andy["uri"]!;
            var today = DateTimeOffset.UtcNow;
            Assert.Contains($"/{today:yyyy}/{today:MM}/{today:dd}/andy/{andyId}/", uri, StringComparison.Ordinal);
            Assert.StartsWith(w.Blobs.RootUri, uri, StringComparison.Ordinal);
            await using (var metadata = await w.Blobs.OpenLakeAsync(uri[w.Blobs.RootUri.Length..] + "metadata.yaml"))
            {
                Assert.Contains("stratification: new-cool-method", await new StreamReader(metadata).ReadToEndAsync(), StringComparison.Ordinal);
            }

            Assert.All(andy["files"]!.AsArray(), f => Assert.StartsWith(w.Blobs.RootUri, (string)f!["location"]!, StringComparison.Ordinal));

            // Someone else saves something unrelated, which Brenda's searches must not return.
            Environment.SetEnvironmentVariable("CAIRN_USER", "dora");
            w.Write("dora/model.bin", "weights");
            var doraId = long.Parse((await w.CairnAsync(["save", "dora/model.bin", "--no-capture", "--info", "type=model"])).Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);

            // Brenda finds it: by Andy, within 10 days, holding *.txt files, info *dataset*.
            Environment.SetEnvironmentVariable("CAIRN_USER", "brenda");
            Assert.Equal([andyId], await FindAsync(w, "--user", "andy"));
            Assert.Equal([andyId, doraId], await FindAsync(w, "--since", "10d"));
            Assert.Empty(await FindAsync(w, "--until", today.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Equal([andyId], await FindAsync(w, "--file", "*.txt"));
            Assert.Equal([andyId], await FindAsync(w, "--info", "type=*dataset*"));
            Assert.Equal([andyId], await FindAsync(w, "--user", "andy", "--since", "10d", "--file", "*.txt", "--info", "type=*dataset*"));

            // She loads it by id, and sees which packages Andy used.
            var loaded = await w.CairnAsync(["load", andyId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--to", "brenda"]);
            Assert.True(loaded.ExitCode == 0, loaded.ToString());
            Assert.Equal("x,y\n1,2\n", await File.ReadAllTextAsync(w.PathOf("brenda/train.txt")));
            var freeze = await w.OkAsync("logs", andyId.ToString(System.Globalization.CultureInfo.InvariantCulture), "pip_freeze");
            Assert.Equal("pandas==2.2.0\nnumpy==1.26.4\n", freeze);
            await using (var store = await w.OpenStoreAsync())
            {
                var saver = (await store.GetEventsByArtifactIdsAsync([andyId])).Single(e => e.Type == EventType.Output).ExecutionId!.Value;
                var execution = (await store.GetExecutionsByIdAsync([saver])).Single();
                Assert.Equal("2.2.0", execution.CustomProperties["python.packages.pandas"].StringValue);
                Assert.Equal("andy", execution.CustomProperties["user"].StringValue);
            }

            // Brenda trains a model inside a run: it is based on Andy's data without her saying so.
            var script = $"dotnet {CairnDll} load {andyId} --to work && echo model > work/model.pkl && dotnet {CairnDll} save work/model.pkl --type Model --json";
            var run = await w.CairnAsync(["run", "--name", "train", "--", "sh", "-c", script]);
            Assert.True(run.ExitCode == 0, run.ToString());
            var model = JsonNode.Parse(run.Stdout[run.Stdout.IndexOf('{', StringComparison.Ordinal)..])!;
            var modelId = (long)model["id"]!;
            Assert.Equal([andyId], model["based_on"]!.AsArray().Select(n => (long)n!).ToArray());

            // Charlie evaluates Brenda's model in another run and writes a report.
            Environment.SetEnvironmentVariable("CAIRN_USER", "charlie");
            script = $"dotnet {CairnDll} load {modelId} --to eval && echo good > eval/report.md && dotnet {CairnDll} save eval/report.md --tag report";
            run = await w.CairnAsync(["run", "--name", "evaluate", "--", "sh", "-c", script]);
            Assert.True(run.ExitCode == 0, run.ToString());
            var reportId = long.Parse(run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains("COMPLETE (exit code 0)", run.Stderr, StringComparison.Ordinal);

            // What was made from Andy's data? Brenda's model and Charlie's report.
            Assert.Equal([modelId, reportId], await FindAsync(w, "--based-on", andyId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Equal([modelId], await FindAsync(w, "--based-on", andyId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--depth", "1"));
            Assert.Equal([reportId], await FindAsync(w, "--based-on", andyId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--tag", "rep*"));

            // A failing command is recorded as FAILED and its exit code passed on.
            var failed = await w.CairnAsync(["run", "--no-capture", "--", "sh", "-c", "exit 3"]);
            Assert.Equal(3, failed.ExitCode);
            await using (var store = await w.OpenStoreAsync())
            {
                var runs = (await store.GetExecutionsByTypeAsync(CairnFields.RunType)).Items.Where(e => e.CustomProperties[CairnFields.Kind].StringValue == "run").ToList();
                Assert.Equal([ExecutionState.Complete, ExecutionState.Complete, ExecutionState.Failed], runs.Select(r => r.LastKnownState!.Value).ToArray());
                Assert.Equal(3, runs[^1].CustomProperties[CairnFields.ExitCode].IntValue);
                Assert.Equal("train", runs[0].Name);
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", oldPath);
            Environment.SetEnvironmentVariable("CAIRN_USER", oldUser);
        }
    }

    private static async Task<long[]> FindAsync(Workspace w, params string[] args)
    {
        var output = await w.OkAsync(["find", .. args, "--json"]);
        return [.. JsonNode.Parse(output)!["artifacts"]!.AsArray().Select(a => (long)a!["id"]!)];
    }
}

/// <summary>The story on a local directory (the default blobs/ beside the store).</summary>
public sealed class LocalStoryTests() : StoryTestsBase(new LocalBackend());

/// <summary>The story on an S3-compatible server: the processes 'cairn run' starts reach it through CAIRN_BLOBS and AWS_*.</summary>
public sealed class S3StoryTests() : StoryTestsBase(new S3Backend());
