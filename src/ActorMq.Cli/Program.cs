using ActorMq.Cli.CommandLine;

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
    return await CliApplication.RunAsync(args, CliConsole.System(), interrupted.Token);
}
catch (Exception e)
{
    // A failure no command expected (a bug): the whole exception for the report, and the failure exit code.
    await Console.Error.WriteLineAsync($"actormq: unexpected error: {e}");
    return ExitCodes.Failure;
}
