using ActorMq.Cli.CommandLine;
using Akka.Configuration;

namespace ActorMq.Cli.Commands;

/// <summary>
/// One <c>actormq</c> command: its <see cref="Syntax"/> and what it does. <see cref="RunAsync"/> parses the arguments,
/// answers <c>--help</c>, runs the command, and turns the expected failures into a message and an exit code
/// (<see cref="ExitCodes"/>): usage mistakes 2, configuration, store and broker failures 1.
/// </summary>
internal abstract class Command
{
    /// <summary>What the command accepts and its help.</summary>
    public abstract CommandSyntax Syntax { get; }

    /// <summary>Runs the command with <paramref name="args"/> (the words after its name).</summary>
    public async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        try
        {
            var parsed = ArgumentParser.Parse(Syntax, args);
            if (parsed.HelpRequested)
            {
                await console.Out.WriteAsync(Syntax.Help()).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            return await ExecuteAsync(parsed, console, cancellationToken).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            await console.Error.WriteLineAsync($"actormq {Syntax.Name}: {e.Message}").ConfigureAwait(false);
            await console.Error.WriteLineAsync($"usage: actormq {Syntax.Usage}").ConfigureAwait(false);
            await console.Error.WriteLineAsync($"Run 'actormq {Syntax.Name} --help' for the options.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is CommandFailedException or ActorMqException)
        {
            await console.Error.WriteLineAsync($"actormq {Syntax.Name}: {Describe(e)}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await console.Error.WriteLineAsync($"actormq {Syntax.Name}: interrupted").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }

    /// <summary>Does the work; throws <see cref="UsageException"/> for a wrong combination of arguments.</summary>
    protected abstract Task<int> ExecuteAsync(ParsedArguments arguments, CliConsole console, CancellationToken cancellationToken);

    private static string Describe(Exception e) => e switch
    {
        ConfigurationException c => $"configuration error: {c.Message}",
        _ => e.Message,
    };
}
