using ActorMq.Cli.CommandLine;

namespace ActorMq.Tests.Cli;

/// <summary>What one in-process run of the actormq command line printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error);

/// <summary>Runs the actormq command line in-process with writers instead of the console.</summary>
public static class CliRunner
{
    /// <summary>Runs <paramref name="args"/>; <paramref name="input"/> makes the console interactive with those answers.</summary>
    public static async Task<CliResult> RunWithInputAsync(string? input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var reader = input is null ? null : new StringReader(input);
        var exit = await CliApplication.RunAsync(args, CliConsole.Writers(output, error, reader), CancellationToken.None);
        return new CliResult(exit, output.ToString(), error.ToString());
    }

    /// <summary>Runs <paramref name="args"/> without a terminal.</summary>
    public static Task<CliResult> RunAsync(params string[] args) => RunWithInputAsync(null, args);
}
