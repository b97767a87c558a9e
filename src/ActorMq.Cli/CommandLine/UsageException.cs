namespace ActorMq.Cli.CommandLine;

/// <summary>The command line is wrong; the message names the bad command, option or value. Exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>The command ran and failed for a reason the message explains (no stack trace is shown). Exit code 1.</summary>
internal sealed class CommandFailedException(string message) : Exception(message);
