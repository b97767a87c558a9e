namespace ActorMq.Cli.Commands;

/// <summary>The exit codes of every <c>actormq</c> command.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>The command ran and failed (bad configuration, store or broker unreachable, a replay that failed, interrupted).</summary>
    public const int Failure = 1;

    /// <summary>The command line itself is wrong (unknown command or option, missing argument, bad value).</summary>
    public const int Usage = 2;
}

/// <summary>The command line is wrong; the message names the bad command, option or value. Exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>The command ran and failed for a reason the message explains (no stack trace is shown). Exit code 1.</summary>
internal sealed class CommandFailedException(string message) : Exception(message);
