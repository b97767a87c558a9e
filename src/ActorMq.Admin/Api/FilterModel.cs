using System.Globalization;
using System.Text;
using ActorMq.DeadStore;
using ActorMq.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace ActorMq.Admin.Api;

/// <summary>
/// The dead-letter filter as the page and scripts send it: in the query string of <c>GET api/dead-letters</c>, or in the
/// JSON body of a replay, discard or purge. Empty fields select everything.
/// </summary>
/// <param name="Queue">Exact queue.</param>
/// <param name="ErrorType">Exact error type.</param>
/// <param name="Text">Text the error message contains (case-sensitive).</param>
/// <param name="From">Dead-lettered at or after.</param>
/// <param name="To">Dead-lettered before.</param>
/// <param name="State">dead, replaying, replayed, resolved, failed-again (or failedAgain) or discarded.</param>
/// <param name="Ids">Only these rows (the page's "selected"); at most <see cref="MaxIds"/>.</param>
/// <param name="Limit">Replay at most this many (1 = "replay one first").</param>
/// <param name="MessageId">Exact AMQP message id.</param>
/// <param name="Group">Only this failure group (its key, from <c>GET api/dead-letters/groups</c>).</param>
/// <param name="Search">Words the row's ids, error, headers or text body hold in this order (<see cref="DeadLetterFilter.Search"/>).</param>
internal sealed record FilterModel(string? Queue, string? ErrorType, string? Text, DateTimeOffset? From, DateTimeOffset? To, string? State,
    IReadOnlyList<long>? Ids, int? Limit, string? MessageId = null, string? Group = null, string? Search = null)
{
    /// <summary>The most ids one request may list; a longer list is refused with 400 (split it, or select by a filter).</summary>
    public const int MaxIds = 10_000;

    /// <summary>The longest value of a criterion the audit log shows (the rest is cut with a marker).</summary>
    private const int AuditValueLength = 200;

    /// <summary>Reads the filter from the query string.</summary>
    /// <exception cref="BadRequestException">A date or state does not parse.</exception>
    public static FilterModel FromQuery(IQueryCollection query)
    {
        string? Field(string name) => query.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.ToString().Trim() : null;
        var ids = Field("ids")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(i => long.TryParse(i, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : throw new BadRequestException($"ids: '{i}' is not a dead-letter id"))
            .ToList();
        return new FilterModel(Field("queue"), Field("errorType"), Field("text"), Date(Field("from"), "from"), Date(Field("to"), "to"), Field("state"), ids, null,
            Field("messageId"), Field("group"), Field("search"));
    }

    /// <summary>The store filter.</summary>
    /// <exception cref="BadRequestException">The state is not one of the four.</exception>
    public DeadLetterFilter ToFilter() => Ids is { Count: > MaxIds }
        ? throw new BadRequestException($"ids: at most {MaxIds} ids in one request, got {Ids.Count}; split the list, or select the rows by a filter")
        : Blank(Group) is { } group && !DeadLetterFingerprint.IsKey(group)
        ? throw new BadRequestException($"group: '{UntrustedText.OneLine(group, AuditValueLength)}' is not a failure group key (16 hex digits, from GET api/dead-letters/groups)")
        : Blank(Search) is { } search && DeadLetterSearch.Refusal(search) is { } refusal
        ? throw new BadRequestException($"search: {UntrustedText.OneLine(refusal, AuditValueLength)}")
        : new()
    {
        Queue = Blank(Queue),
        ErrorType = Blank(ErrorType),
        ErrorMessageContains = Blank(Text),
        Search = Blank(Search),
        MessageId = Blank(MessageId),
        Group = Blank(Group),
        DeadFrom = From,
        DeadBefore = To,
        States = Blank(State) is { } state
            ? [Enum.TryParse<DeadLetterState>(state.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var parsed)
                && Enum.IsDefined(parsed) && !char.IsAsciiDigit(state[0])
                ? parsed
                : throw new BadRequestException($"state: '{UntrustedText.OneLine(state, AuditValueLength)}' is not one of dead, replaying, replayed, resolved, failed-again, discarded")]
            : null,
        Ids = Ids,
    };

    /// <summary>
    /// The filter as the audit log records it: every criterion set, no message content. Each value went through
    /// <see cref="UntrustedText.OneLine"/>: a CR, LF or ESC in a filter field cannot start a forged audit line.
    /// </summary>
    public string Describe()
    {
        var text = new StringBuilder();
        void Add(string name, string? value, bool quote = true)
        {
            if (string.IsNullOrEmpty(value)) return;
            if (text.Length > 0) text.Append(' ');
            var shown = UntrustedText.OneLine(value, AuditValueLength);
            if (quote) shown = shown.Replace("'", @"\'", StringComparison.Ordinal);
            text.Append(name).Append('=').Append(quote ? $"'{shown}'" : shown);
        }
        Add("queue", Queue);
        Add("errorType", ErrorType);
        Add("messageId", MessageId);
        Add("group", Group);
        Add("text", Text);
        Add("search", Search);
        Add("from", From?.ToString("O", CultureInfo.InvariantCulture), quote: false);
        Add("to", To?.ToString("O", CultureInfo.InvariantCulture), quote: false);
        Add("state", State);
        if (Ids is not null)
            Add("ids", Ids.Count <= 20 ? $"[{string.Join(",", Ids)}]" : $"[{string.Join(",", Ids.Take(20))},... {Ids.Count} ids]", quote: false);
        return text.Length == 0 ? "(all)" : text.ToString();
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static DateTimeOffset? Date(string? text, string name) => text is null
        ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : throw new BadRequestException($"{name}: '{text}' is not a date and time (ISO 8601, e.g. 2026-11-21T09:30:00Z)");
}

/// <summary>A request the admin API refuses with 400 and this message.</summary>
internal sealed class BadRequestException(string message) : Exception(message);
