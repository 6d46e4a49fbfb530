using Cairn.Cli;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C cancels the command cleanly; a second one ends the process.
    e.Cancel = !cancellation.IsCancellationRequested;
    cancellation.Cancel();
};

var settings = new CliSettings { IsTerminal = !Console.IsOutputRedirected, IsErrorTerminal = !Console.IsErrorRedirected };
return await CairnCli.RunAsync(args, Console.Out, Console.Error, settings, cancellation.Token);
