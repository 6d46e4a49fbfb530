using Cairn.Cli;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C cancels the command cleanly; a second one ends the process.
    e.Cancel = !cancellation.IsCancellationRequested;
    cancellation.Cancel();
};

// The configuration files and the CAIRN_STORE / CAIRN_BLOBS variables (`cairn run` hands its store to the commands it runs
// through CAIRN_STORE).
var settings = new CliSettings
{
    IsTerminal = !Console.IsOutputRedirected,
    IsErrorTerminal = !Console.IsErrorRedirected,
    Config = Cairn.Cli.Configuration.ConfigLocations.FromEnvironment(),
};
return await CairnCli.RunAsync(args, Console.Out, Console.Error, settings, cancellation.Token);
