using ActorMq.Cli.Commands;
using ActorMq.Cli.Terminal;
using ActorMq.TestSupport;

namespace ActorMq.Tests.Cli;

/// <summary>Runs the actormq command: the real binary, or in-process where a test plays the operator at a terminal.</summary>
public static class CliRunner
{
    /// <summary>
    /// Runs <paramref name="args"/> in-process as if on a terminal where <paramref name="input"/> is typed (a redirected
    /// process cannot be interactive).
    /// </summary>
    public static async Task<CliResult> RunWithInputAsync(string input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var reader = new StringReader(input);
        var exit = await ActorMqCommandLine.RunAsync(args, CliConsole.Writers(output, error, reader), CancellationToken.None);
        return new CliResult(exit, output.ToString(), error.ToString());
    }

    /// <summary>Runs the actormq binary with <paramref name="args"/> (not on a terminal).</summary>
    public static Task<CliResult> RunAsync(params string[] args) => ActorMqBinary.RunAsync(args);
}
