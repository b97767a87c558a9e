using System.CommandLine;
using ActorMq.Cli.Terminal;

namespace ActorMq.Cli.Commands;

/// <summary>
/// A command line System.CommandLine could not parse, reported on standard error in dotnet's way: System.CommandLine's
/// own messages (<c>Unrecognized command or argument '--colour'.</c>), "Did you mean" suggestions for a mistyped
/// command or option, and where to find the usage. Exit code 2; nothing is written to standard output.
/// </summary>
internal static class ParseErrors
{
    private const int MaxDistance = 3;

    public static async Task WriteAsync(CliConsole console, ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var path = CliCommand.PathOf(parseResult);
        var prefix = path.Length == 0 ? "actormq" : $"actormq {path}";
        var lines = parseResult.Errors.Select(e => $"{prefix}: {e.Message}").Distinct().ToList();
        var hints = new List<string>();
        foreach (var token in parseResult.UnmatchedTokens.Distinct())
        {
            var suggestions = Suggestions(parseResult.CommandResult.Command, token).ToList();
            if (suggestions.Count > 0) hints.Add($"Did you mean {string.Join(" or ", suggestions.Select(s => $"'{s}'"))} (for '{token}')?");
        }
        hints.Add($"Run '{prefix} --help' for usage.");
        await ErrorOutput.WriteAsync(console, string.Join(Environment.NewLine, lines), [.. hints]).ConfigureAwait(false);
    }

    /// <summary>The visible subcommands and options of <paramref name="command"/> closest to <paramref name="token"/> (edit distance at most 3).</summary>
    public static IEnumerable<string> Suggestions(Command command, string token)
    {
        ArgumentNullException.ThrowIfNull(command);
        var names = command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name)
            .Concat(command.Options.Where(o => !o.Hidden).Select(o => o.Name))
            .Where(n => !n.StartsWith('-') == !token.StartsWith('-'))
            .Select(n => (Name: n, Distance: Distance(token, n)))
            .Where(c => c.Distance <= MaxDistance)
            .ToList();
        if (names.Count == 0) return [];
        var best = names.Min(c => c.Distance);
        return names.Where(c => c.Distance == best).Select(c => c.Name);
    }

    /// <summary>Levenshtein distance.</summary>
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
