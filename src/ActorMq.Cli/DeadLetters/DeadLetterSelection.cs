using System.Globalization;
using ActorMq.Cli.CommandLine;
using ActorMq.DeadStore;

namespace ActorMq.Cli.DeadLetters;

/// <summary>
/// The dead letters a command works on, from its command line: one id, <c>--all</c>, or filter options
/// (<c>--queue</c>, <c>--error-type</c>, <c>--message-id</c>, <c>--text</c>, <c>--from</c>, <c>--to</c>, <c>--state</c>).
/// </summary>
/// <param name="Filter">The store filter.</param>
/// <param name="Description">What is selected, for messages and prompts, e.g. <c>queue = orders, state = dead</c>.</param>
/// <param name="IsExplicit">True when an id, <c>--all</c> or at least one filter option was given.</param>
internal sealed record DeadLetterSelection(DeadLetterFilter Filter, string Description, bool IsExplicit)
{
    /// <summary>The filter options every dead-letter command shares.</summary>
    public static IReadOnlyList<OptionSpec> FilterOptions { get; } =
    [
        OptionSpec.Value("--queue", "QUEUE", "only dead letters from this queue"),
        OptionSpec.Value("--error-type", "TYPE", "only this error type (full name, e.g. System.TimeoutException)"),
        OptionSpec.Value("--message-id", "ID", "only this AMQP message id"),
        OptionSpec.Value("--text", "TEXT", "only error messages containing TEXT (case-sensitive)"),
        OptionSpec.Value("--from", "TIME", "dead at or after TIME: ISO 8601 (2026-11-21T09:30:00Z, 2026-11-21) or an age (30m, 2h, 7d)"),
        OptionSpec.Value("--to", "TIME", "dead before TIME (same forms as --from)"),
        OptionSpec.Value("--state", "STATE", "only these states: dead, replaying, replayed, discarded (comma-separated)"),
    ];

    /// <summary>The option selecting every dead letter.</summary>
    public static OptionSpec AllOption { get; } = OptionSpec.Flag("--all", "every dead letter (instead of an id or filters)");

    /// <summary>
    /// Reads the filter options (and, when the syntax has them, the <c>id</c> argument and <c>--all</c>).
    /// </summary>
    /// <exception cref="UsageException">A bad value, or an id or <c>--all</c> combined with filters.</exception>
    public static DeadLetterSelection From(ParsedArguments arguments, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var hasId = arguments.Syntax.Arguments.Any(a => a.Name == "id");
        var id = hasId ? arguments.Id("id") : null;
        var all = arguments.Syntax.Find(AllOption.Name) is not null && arguments.Has(AllOption.Name);
        var parts = new List<string>();
        var filter = DeadLetterFilter.All;

        if (arguments.Value("--queue") is { } queue) { filter = filter with { Queue = queue }; parts.Add($"queue = {queue}"); }
        if (arguments.Value("--error-type") is { } type) { filter = filter with { ErrorType = type }; parts.Add($"error type = {type}"); }
        if (arguments.Value("--message-id") is { } messageId) { filter = filter with { MessageId = messageId }; parts.Add($"message id = {messageId}"); }
        if (arguments.Value("--text") is { } text) { filter = filter with { ErrorMessageContains = text }; parts.Add($"error message contains \"{text}\""); }
        if (arguments.Value("--from") is { } from)
        {
            filter = filter with { DeadFrom = ParseTime("--from", from, now) };
            parts.Add($"dead at or after {filter.DeadFrom:u}");
        }
        if (arguments.Value("--to") is { } to)
        {
            filter = filter with { DeadBefore = ParseTime("--to", to, now) };
            parts.Add($"dead before {filter.DeadBefore:u}");
        }
        if (filter.DeadFrom is { } f && filter.DeadBefore is { } b && f >= b)
            throw new UsageException($"options '--from' and '--to': --from ({f:u}) must be before --to ({b:u})");
        if (arguments.Value("--state") is { } states)
        {
            filter = filter with { States = ParseStates(states) };
            parts.Add($"state = {string.Join(" or ", filter.States!.Select(Name))}");
        }

        if (id is { } one)
        {
            if (all || parts.Count > 0) throw new UsageException("give an id, --all, or filter options, not several of them");
            return new DeadLetterSelection(DeadLetterFilter.ById(one), $"id {one}", IsExplicit: true);
        }
        if (all)
        {
            if (parts.Count > 0) throw new UsageException("--all selects every dead letter: drop it to use filter options");
            return new DeadLetterSelection(DeadLetterFilter.All, "all dead letters", IsExplicit: true);
        }
        return parts.Count == 0
            ? new DeadLetterSelection(DeadLetterFilter.All, "all dead letters", IsExplicit: false)
            : new DeadLetterSelection(filter, string.Join(", ", parts), IsExplicit: true);
    }

    /// <summary>The state's name as the store and the CLI write it: <c>dead</c>, <c>replaying</c>, <c>replayed</c>, <c>discarded</c>.</summary>
    public static string Name(DeadLetterState state) => state.ToString().ToLowerInvariant();

    /// <summary>
    /// An instant: ISO 8601 (without an offset it is UTC), or an age <c>&lt;number&gt;&lt;s|m|h|d&gt;</c> counted back from <paramref name="now"/>.
    /// </summary>
    public static DateTimeOffset ParseTime(string option, string text, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length >= 2 && char.IsAsciiDigit(text[0]) && "smhd".Contains(text[^1], StringComparison.Ordinal)
            && double.TryParse(text[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            var age = text[^1] switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromDays(amount),
            };
            return now - age;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
            return time;
        throw new UsageException($"option '{option}': expected an ISO 8601 time (2026-11-21T09:30:00Z, 2026-11-21) or an age (30m, 2h, 7d), got '{text}'");
    }

    private static List<DeadLetterState> ParseStates(string text)
    {
        var states = new List<DeadLetterState>();
        foreach (var word in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var state = Enum.GetValues<DeadLetterState>().Where(s => Name(s) == word).Select(s => (DeadLetterState?)s).FirstOrDefault()
                ?? throw new UsageException($"option '--state': expected dead, replaying, replayed or discarded, got '{word}'");
            if (!states.Contains(state)) states.Add(state);
        }
        return states.Count > 0 ? states : throw new UsageException("option '--state': expected at least one state");
    }
}
