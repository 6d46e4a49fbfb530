namespace Cairn.Cli;

/// <summary>The command line is wrong in a way the parser cannot see (conflicting or missing options).</summary>
internal sealed class UsageException(string message) : Exception(message);
