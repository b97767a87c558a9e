using System.CommandLine;
using System.Globalization;
using ActorMq.Cli.Commands;
using ActorMq.DeadStore;
using ActorMq.Diagnostics;

namespace ActorMq.Cli.DeadLetters;

/// <summary>What the command line said about which dead letters: an id, <c>--all</c>, and the filter options' texts.</summary>
internal sealed record SelectionInput(
    long? Id = null, bool All = false, string? Queue = null, string? ErrorType = null, string? MessageId = null, string? Text = null,
    string? From = null, string? To = null, string? State = null, string? Group = null, string? Search = null);

/// <summary>The filter options every dead-letter command shares (and <c>--all</c> and the id of those that take them).</summary>
internal sealed class SelectionOptions
{
    public Option<string?> Queue { get; } = CliOptions.Text("--queue", "QUEUE", "only dead letters from this queue");
    public Option<string?> ErrorType { get; } = CliOptions.Text("--error-type", "TYPE", "only this error type (full name, e.g. System.TimeoutException)");
    public Option<string?> MessageId { get; } = CliOptions.Text("--message-id", "ID", "only this AMQP message id");
    public Option<string?> Group { get; } = CliOptions.Text("--group", "KEY", "only this failure group (its key, from 'actormq dead-letters groups')");
    public Option<string?> Text { get; } = CliOptions.Text("--text", "TEXT", "only error messages containing TEXT (case-sensitive)");
    public Option<string?> Search { get; } = CliOptions.Text("--search", "WORDS",
        "only dead letters whose ids, error, headers or text body hold WORDS in this order (any case; the last may be a word's start)");
    public Option<string?> From { get; } = CliOptions.Text("--from", "TIME", "dead at or after TIME: ISO 8601 (2026-11-21T09:30:00Z, 2026-11-21) or an age (30m, 2h, 7d)");
    public Option<string?> To { get; } = CliOptions.Text("--to", "TIME", "dead before TIME (same forms as --from)");
    public Option<string?> State { get; } = StateOption();
    public Option<bool>? All { get; }
    public Argument<long?>? Id { get; }

    /// <summary>The filters, with <c>--all</c> and an optional id argument when <paramref name="idDescription"/> is given.</summary>
    public SelectionOptions(string? idDescription = null)
    {
        if (idDescription is null) return;
        All = CliOptions.Flag("--all", "every dead letter (instead of an id or filters)");
        Id = CliOptions.Id(idDescription, required: false);
    }

    /// <summary>The options (and argument) to add to a command.</summary>
    public IEnumerable<Symbol> Symbols()
    {
        if (Id is not null) yield return Id;
        if (All is not null) yield return All;
        yield return Queue;
        yield return ErrorType;
        yield return MessageId;
        yield return Group;
        yield return Text;
        yield return Search;
        yield return From;
        yield return To;
        yield return State;
    }

    /// <summary>What the parsed command line selects.</summary>
    /// <exception cref="UsageException">A bad value, or an id or <c>--all</c> combined with filters.</exception>
    public DeadLetterSelection Read(ParseResult parseResult, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        return DeadLetterSelection.From(new SelectionInput(
            Id is null ? null : parseResult.GetValue(Id),
            All is not null && parseResult.GetValue(All),
            parseResult.GetValue(Queue), parseResult.GetValue(ErrorType), parseResult.GetValue(MessageId), parseResult.GetValue(Text),
            parseResult.GetValue(From), parseResult.GetValue(To), parseResult.GetValue(State), parseResult.GetValue(Group),
            parseResult.GetValue(Search)), now);
    }

    private static Option<string?> StateOption()
    {
        var option = CliOptions.Text("--state", "STATE", "only these states: dead, replaying, replayed, resolved, failed-again, discarded (comma-separated)");
        option.CompletionSources.Add(context =>
        {
            // Complete the last of a comma-separated list: "dead,rep" offers "dead,replaying" and "dead,replayed".
            var word = context.WordToComplete;
            var comma = word.LastIndexOf(',');
            var prefix = comma < 0 ? "" : word[..(comma + 1)];
            return Enum.GetValues<DeadLetterState>().Select(s => prefix + DeadLetterSelection.Name(s));
        });
        return option;
    }
}

/// <summary>
/// The dead letters a command works on, from its command line: one id, <c>--all</c>, or filter options
/// (<c>--queue</c>, <c>--error-type</c>, <c>--message-id</c>, <c>--group</c>, <c>--text</c>, <c>--search</c>, <c>--from</c>, <c>--to</c>,
/// <c>--state</c>).
/// </summary>
/// <param name="Filter">The store filter.</param>
/// <param name="Description">What is selected, for messages and prompts, e.g. <c>queue = orders, state = dead</c>.</param>
/// <param name="IsExplicit">True when an id, <c>--all</c> or at least one filter option was given.</param>
internal sealed record DeadLetterSelection(DeadLetterFilter Filter, string Description, bool IsExplicit)
{
    /// <summary>Reads the selection from the command line's values.</summary>
    /// <exception cref="UsageException">A bad value, or an id or <c>--all</c> combined with filters.</exception>
    public static DeadLetterSelection From(SelectionInput input, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(input);
        var id = input.Id;
        var all = input.All;
        var parts = new List<string>();
        var filter = DeadLetterFilter.All;

        if (input.Queue is { } queue) { filter = filter with { Queue = queue }; parts.Add($"queue = {queue}"); }
        if (input.ErrorType is { } type) { filter = filter with { ErrorType = type }; parts.Add($"error type = {type}"); }
        if (input.MessageId is { } messageId) { filter = filter with { MessageId = messageId }; parts.Add($"message id = {messageId}"); }
        if (input.Group is { } group)
        {
            if (!DeadLetterFingerprint.IsKey(group))
                throw new UsageException($"option '--group': expected a failure group key (16 hex digits, from 'actormq dead-letters groups'), got '{group}'");
            filter = filter with { Group = group.ToLowerInvariant() };
            parts.Add($"group = {group.ToLowerInvariant()}");
        }
        if (input.Text is { } text) { filter = filter with { ErrorMessageContains = text }; parts.Add($"error message contains \"{text}\""); }
        if (input.Search is { } search)
        {
            if (DeadLetterSearch.Refusal(search) is { } refusal) throw new UsageException($"option '--search': {refusal}");
            filter = filter with { Search = search };
            parts.Add($"search \"{search}\"");
        }
        if (input.From is { } from)
        {
            filter = filter with { DeadFrom = ParseTime("--from", from, now) };
            parts.Add($"dead at or after {filter.DeadFrom:u}");
        }
        if (input.To is { } to)
        {
            filter = filter with { DeadBefore = ParseTime("--to", to, now) };
            parts.Add($"dead before {filter.DeadBefore:u}");
        }
        if (filter.DeadFrom is { } f && filter.DeadBefore is { } b && f >= b)
            throw new UsageException($"options '--from' and '--to': --from ({f:u}) must be before --to ({b:u})");
        if (input.State is { } states)
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
    public static string Name(DeadLetterState state) => state == DeadLetterState.FailedAgain ? "failed-again" : state.ToString().ToLowerInvariant();

    /// <summary>A state as the list shows it: a replayed row says whether its copy is still pending, and where it failed again.</summary>
    public static string Shown(DeadLetterRecord row) => row.State switch
    {
        DeadLetterState.Replayed => "replayed (pending)",
        DeadLetterState.FailedAgain when row.FailedAgainId is { } again => $"failed again → #{again.ToString(CultureInfo.InvariantCulture)}",
        _ => Name(row.State),
    };

    private static readonly string StateNames = string.Join(", ", Enum.GetValues<DeadLetterState>().Select(Name));

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
                ?? throw new UsageException($"option '--state': expected one of {StateNames}, got '{UntrustedText.OneLine(word, 100)}'");
            if (!states.Contains(state)) states.Add(state);
        }
        return states.Count > 0 ? states : throw new UsageException("option '--state': expected at least one state");
    }
}
