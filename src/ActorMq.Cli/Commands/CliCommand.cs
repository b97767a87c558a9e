using System.CommandLine;
using ActorMq.Cli.Terminal;

namespace ActorMq.Cli.Commands;

/// <summary>
/// Builds one <c>actormq</c> command on System.CommandLine and runs its action with the expected failures turned into a
/// message on standard error and an exit code (<see cref="ExitCodes"/>): usage mistakes 2; configuration, store and
/// broker failures 1.
/// </summary>
internal static class CliCommand
{
    /// <summary>A command whose action is <paramref name="run"/>.</summary>
    public static Command Create(string name, string description, CliConsole console, Func<ParseResult, CancellationToken, Task<int>> run,
        params Symbol[] symbols)
    {
        ArgumentNullException.ThrowIfNull(console);
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Option option: command.Options.Add(option); break;
                case Argument argument: command.Arguments.Add(argument); break;
                default: throw new ArgumentException($"cannot add a {symbol.GetType().Name}", nameof(symbols));
            }
        }
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, console, run, cancellationToken));
        return command;
    }

    /// <summary>The words of the command after <c>actormq</c>, e.g. <c>dead-letters list</c>.</summary>
    public static string PathOf(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var names = new List<string>();
        for (var result = parseResult.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Add(result.Command.Name);
        names.Reverse();
        return string.Join(' ', names.Skip(1));
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CliConsole console, Func<ParseResult, CancellationToken, Task<int>> run,
        CancellationToken cancellationToken)
    {
        var path = PathOf(parseResult);
        try
        {
            return await run(parseResult, cancellationToken).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            await ErrorOutput.WriteAsync(console, $"actormq {path}: {e.Message}", $"Run 'actormq {path} --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is CommandFailedException or ActorMqException)
        {
            var message = e is ConfigurationException ? $"configuration error: {e.Message}" : e.Message;
            await ErrorOutput.WriteAsync(console, $"actormq {path}: {message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await ErrorOutput.WriteAsync(console, $"actormq {path}: interrupted").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }
}
