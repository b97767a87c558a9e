namespace ActorMq.Cli.CommandLine;

/// <summary>The exit codes of every <c>actormq</c> command.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>The command ran and failed (bad configuration, store or broker unreachable, a replay that failed).</summary>
    public const int Failure = 1;

    /// <summary>The command line itself is wrong (unknown command or option, missing argument, bad value).</summary>
    public const int Usage = 2;
}
