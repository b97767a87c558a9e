using ActorMq.Cli.Commands;
using ActorMq.Cli.Terminal;

namespace ActorMq.Cli;

/// <summary>The <c>actormq</c> command's entry point.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var interrupted = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // The first Ctrl-C stops the command cleanly (the broker link is closed, the store released); a second one kills.
            if (interrupted.IsCancellationRequested) return;
            e.Cancel = true;
            interrupted.Cancel();
        };
        try
        {
            return await ActorMqCommandLine.RunAsync(args, CliConsole.System(), interrupted.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A failure no command expected (a bug): the whole exception for the report, and the failure exit code.
            await Console.Error.WriteLineAsync($"actormq: unexpected error: {e}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }
}
