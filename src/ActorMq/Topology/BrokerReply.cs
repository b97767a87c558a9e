using System.Text.RegularExpressions;

namespace ActorMq.Topology;

/// <summary>
/// Reads the parts of a broker's close reply text, e.g.
/// <c>PRECONDITION_FAILED - inequivalent arg 'x-queue-type' for queue 'orders' in vhost '/': received 'quorum' but current is 'classic'</c>
/// or <c>NOT_FOUND - no queue 'orders' in vhost '/'</c>, and a refused publish's
/// (<c>PRECONDITION_FAILED - user_id property set to 'alice' but authenticated user was 'guest'</c>,
/// <c>PRECONDITION_FAILED - message size 2000 is larger than configured max size 1000</c>).
/// </summary>
internal static partial class BrokerReply
{
    /// <summary>The differing argument of an "inequivalent arg" reply.</summary>
    public sealed record Inequivalence(string Kind, string Name, string Argument, string? Received, string? Current);

    /// <summary>Parses an "inequivalent arg" reply, or returns <c>null</c>.</summary>
    public static Inequivalence? ParseInequivalence(string? replyText)
    {
        if (replyText is null) return null;
        var match = InequivalentArg().Match(replyText);
        if (!match.Success) return null;
        return new Inequivalence(
            match.Groups["kind"].Value, match.Groups["name"].Value, match.Groups["arg"].Value,
            ValueText(match.Groups["received"].Value), ValueText(match.Groups["current"].Value));
    }

    /// <summary>The first <c>queue 'x'</c> or <c>exchange 'x'</c> the reply names, or <c>null</c>.</summary>
    public static (string Kind, string Name)? NamedResource(string? replyText)
    {
        if (replyText is null) return null;
        var match = Resource().Match(replyText);
        return match.Success ? (match.Groups["kind"].Value, match.Groups["name"].Value) : null;
    }

    /// <summary>The <c>user_id</c> a refused publish carried (<c>user_id property set to 'x' but authenticated user was 'y'</c>), or <c>null</c>.</summary>
    public static string? RefusedUserId(string? replyText) =>
        replyText is not null && UserIdMismatch().Match(replyText) is { Success: true } match ? match.Groups["user"].Value : null;

    /// <summary>The broker's message size limit a refused publish exceeded (<c>larger than configured max size N</c>), or <c>null</c>.</summary>
    public static long? MaxMessageSize(string? replyText) =>
        replyText is not null && SizeLimit().Match(replyText) is { Success: true } match
        && long.TryParse(match.Groups["max"].Value, System.Globalization.CultureInfo.InvariantCulture, out var max) ? max : null;

    /// <summary>A <see cref="TopologyMismatchException"/> for a 406 reply about <paramref name="kind"/> <paramref name="name"/>.</summary>
    public static TopologyMismatchException Mismatch(string kind, string name, string replyText)
    {
        var parsed = ParseInequivalence(replyText);
        return parsed is null
            ? new TopologyMismatchException(kind, name, null, null, null, replyText)
            : new TopologyMismatchException(parsed.Kind, parsed.Name, parsed.Argument, parsed.Received, parsed.Current, replyText);
    }

    // "'quorum'" -> quorum; "the value '5000' of type 'long'" -> 5000 (long); "none" -> null
    private static string? ValueText(string text)
    {
        text = text.Trim();
        if (text == "none") return null;
        var typed = TypedValue().Match(text);
        if (typed.Success) return $"{typed.Groups["value"].Value} ({typed.Groups["type"].Value})";
        return text.Length >= 2 && text[0] == '\'' && text[^1] == '\'' ? text[1..^1] : text;
    }

    [GeneratedRegex(@"inequivalent arg '(?<arg>[^']+)' for (?<kind>queue|exchange) '(?<name>[^']*)' in vhost '[^']*': received (?<received>.+?) but current is (?<current>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex InequivalentArg();

    [GeneratedRegex(@"\b(?<kind>queue|exchange) '(?<name>[^']*)'", RegexOptions.CultureInvariant)]
    private static partial Regex Resource();

    [GeneratedRegex(@"^the value '(?<value>[^']*)' of type '(?<type>[^']*)'$", RegexOptions.CultureInvariant)]
    private static partial Regex TypedValue();

    [GeneratedRegex(@"user_id property set to '(?<user>[^']*)'", RegexOptions.CultureInvariant)]
    private static partial Regex UserIdMismatch();

    [GeneratedRegex(@"larger than configured max size (?<max>\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex SizeLimit();
}
