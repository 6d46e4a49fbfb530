using Microsoft.Data.Sqlite;
using Xunit;

namespace Cairn.Cli.Tests;

/// <summary>Every failure is one line on stderr and a documented exit code; the store's own messages pass through.</summary>
public sealed class ErrorTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private static void AssertOneLineError(CliRun run, int exitCode, string message)
    {
        Assert.True(run.ExitCode == exitCode, run.ToString());
        Assert.Equal("error: " + message + "\n", run.Stderr);
        Assert.Equal(string.Empty, run.Stdout);
    }

    private static async Task ExecAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Serve_on_a_port_in_use_says_so_in_one_line_without_a_stack_trace()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var run = await _cli.RunAsync("serve", "--check", "--grpc-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--http-port", "0");
        Assert.True(run.ExitCode == ExitCodes.Unavailable, run.ToString());
        Assert.StartsWith("error: Cannot listen on 127.0.0.1: ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), run.Stderr, StringComparison.Ordinal);
        Assert.Single(run.Stderr.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain("Hosting failed", run.Stdout + run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", run.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CairnErrorCode.InvalidArgument, 3)]
    [InlineData(CairnErrorCode.NotFound, 4)]
    [InlineData(CairnErrorCode.AlreadyExists, 5)]
    [InlineData(CairnErrorCode.FailedPrecondition, 6)]
    [InlineData(CairnErrorCode.Aborted, 7)]
    [InlineData(CairnErrorCode.OutOfRange, 8)]
    [InlineData(CairnErrorCode.Unimplemented, 9)]
    [InlineData(CairnErrorCode.Internal, 10)]
    [InlineData(CairnErrorCode.Unavailable, 11)]
    [InlineData(CairnErrorCode.DataLoss, 12)]
    public void Each_store_error_code_has_its_own_documented_exit_code(CairnErrorCode code, int exitCode)
    {
        Assert.Equal(exitCode, ExitCodes.For(code));
        var table = File.ReadAllText(Path.Combine(ReferenceDoc.RepositoryRoot, "docs", "cli.md"));
        Assert.Contains($"| {exitCode} |", table, StringComparison.Ordinal);
        Assert.Contains($"({(int)code}) |", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_store_is_reported_with_the_store_message()
    {
        var run = await _cli.RunAsync("artifacts", "list");

        AssertOneLineError(run, ExitCodes.NotFound, Messages.StoreMissing(_cli.DefaultStorePath));
        Assert.False(File.Exists(_cli.DefaultStorePath));
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_is_reported_with_the_store_message()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_cli.DefaultStorePath)!);
        await File.WriteAllBytesAsync(_cli.DefaultStorePath, [.. Enumerable.Range(0, 8192).Select(i => (byte)(i * 7))]);

        var run = await _cli.RunAsync("types", "list");

        Assert.True(run.ExitCode is ExitCodes.DataLoss or ExitCodes.FailedPrecondition, run.ToString());
        Assert.Equal("error: " + Messages.StoreNotCairn(_cli.DefaultStorePath) + "\n", run.Stderr);
    }

    [Fact]
    public async Task A_database_of_another_program_is_refused_with_the_store_message()
    {
        var path = _cli.PathOf("other.db");
        await ExecAsync(path, "CREATE TABLE things (id INTEGER PRIMARY KEY)");

        var run = await _cli.RunAsync("types", "list", "--store", path);

        AssertOneLineError(run, ExitCodes.FailedPrecondition, Messages.StoreNotCairn(path));
    }

    [Fact]
    public async Task A_store_written_by_a_newer_cairn_is_refused_with_the_store_message()
    {
        await _cli.OkAsync("init");
        await using (var connection = new SqliteConnection($"Data Source={_cli.DefaultStorePath};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT MAX(version) FROM cairn_schema";
            var latest = (long)(await command.ExecuteScalarAsync())!;
            command.CommandText = $"INSERT INTO cairn_schema (version, applied_at, cairn_version) VALUES ({latest + 1}, 0, '99.0')";
            await command.ExecuteNonQueryAsync();

            var run = await _cli.RunAsync("artifacts", "list");

            AssertOneLineError(run, ExitCodes.FailedPrecondition, Messages.StoreNewerSchema(_cli.DefaultStorePath, latest + 1, latest));
        }
    }

    [Fact]
    public async Task A_store_locked_by_another_writer_is_reported_with_the_store_message()
    {
        await _cli.OkAsync("init");
        _cli.Settings = _cli.Settings with { LockTimeout = TimeSpan.FromMilliseconds(300) };
        await using var holder = new SqliteConnection($"Data Source={_cli.DefaultStorePath};Pooling=False");
        await holder.OpenAsync();
        await using var begin = holder.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE";
        await begin.ExecuteNonQueryAsync();

        var run = await _cli.RunAsync("types", "put", "--kind", "artifact", "--name", "DataSet");

        Assert.True(run.ExitCode is ExitCodes.Aborted or ExitCodes.Unavailable, run.ToString());
        Assert.Equal("error: " + Messages.StoreLocked(_cli.DefaultStorePath) + "\n", run.Stderr);
    }

    [Fact]
    public async Task An_unexpected_exception_becomes_one_generic_line_without_a_stack_trace()
    {
        CairnStore.RegisterProvider(new ThrowingProvider());

        var run = await _cli.RunAsync("types", "list", "--store", "grpc://localhost:1");

        AssertOneLineError(run, ExitCodes.Unexpected, CliMessages.Unexpected(nameof(InvalidOperationException)));
    }

    [Fact]
    public async Task Cancellation_ends_with_its_own_exit_code()
    {
        await _cli.OkAsync("init");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exitCode = await CairnCli.RunAsync(["types", "list"], stdout, stderr, _cli.Settings, cancelled.Token);

        Assert.Equal(ExitCodes.Cancelled, exitCode);
        Assert.Equal("error: " + CliMessages.Cancelled + "\n", stderr.ToString());
    }

    [Fact]
    public async Task File_and_field_flags_cannot_be_combined()
    {
        var run = await _cli.RunAsync("artifacts", "put", "--file", "x.yaml", "--type", "DataSet");
        AssertOneLineError(run, ExitCodes.Usage, CliMessages.FileExcludesFlags("--type"));
    }

    [Fact]
    public async Task A_missing_input_file_is_not_found()
    {
        await _cli.OkAsync("init");
        var run = await _cli.RunAsync("events", "put", "--file", "nowhere.yaml");
        AssertOneLineError(run, ExitCodes.NotFound, CliMessages.InputFileMissing("nowhere.yaml"));
    }

    [Fact]
    public async Task An_unknown_option_is_a_usage_error_on_one_line()
    {
        var run = await _cli.RunAsync("types", "list", "--colour");
        AssertOneLineError(run, ExitCodes.Usage, CliMessages.UnknownToken("--colour", "cairn types list"));
    }

    [Fact]
    public async Task A_bad_option_value_is_a_usage_error_on_one_line()
    {
        var run = await _cli.RunAsync("artifacts", "list", "--order-by", "name");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.EndsWith("Run 'cairn artifacts list --help' for usage.\n", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_put_without_type_id_or_file_says_what_is_missing()
    {
        var run = await _cli.RunAsync("executions", "put", "--name", "x");
        AssertOneLineError(run, ExitCodes.Usage, CliMessages.PutNeedsTypeOrFile("execution"));
    }

    [Fact]
    public async Task Get_needs_an_id_or_a_type_and_a_name_but_not_both()
    {
        AssertOneLineError(await _cli.RunAsync("contexts", "get"), ExitCodes.Usage, CliMessages.GetNeedsIdOrTypeAndName("context"));
        AssertOneLineError(await _cli.RunAsync("contexts", "get", "1", "--name", "x"), ExitCodes.Usage, CliMessages.GetNeedsIdOrTypeAndName("context"));
        AssertOneLineError(await _cli.RunAsync("contexts", "get", "--type", "T"), ExitCodes.Usage, CliMessages.GetNeedsIdOrTypeAndName("context"));
    }

    private sealed class ThrowingProvider : IStoreProvider
    {
        public IReadOnlyCollection<string> Schemes { get; } = ["grpc"];

        public Task<IMetadataStore> OpenAsync(StoreUri uri, StoreOpenOptions options, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("boom\n   at Somewhere.Deep()");
    }
}
