using ActorMq.Cli.CommandLine;

using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl-C stops the command cleanly (the broker link is closed, the store released); a second one kills.
    if (interrupted.IsCancellationRequested) return;
    e.Cancel = true;
    interrupted.Cancel();
};
return await CliApplication.RunAsync(args, CliConsole.System(), interrupted.Token);
