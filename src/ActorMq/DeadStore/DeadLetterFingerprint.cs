using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ActorMq.DeadStore;

/// <summary>
/// The failure group of a dead letter: its queue, its error type, its error message with the variable parts masked
/// (GUIDs and hex as <c>&lt;guid&gt;</c> and <c>&lt;hex&gt;</c>, numbers of up to five digits as <c>&lt;n&gt;</c>, any other word
/// with a digit in it as <c>&lt;id&gt;</c>), and the top frames of the user's code in its error detail
/// (frames of <c>System.</c>, <c>Microsoft.</c>, <c>Akka.</c>, <c>RabbitMQ.</c> and <c>ActorMq.</c> are skipped; file names
/// and line numbers are dropped, digits in compiler-generated names masked). The same cause gives the same key whatever
/// order, message id or attempt failed; the store writes the key and the masked message with the row.
/// </summary>
internal static partial class DeadLetterFingerprint
{
    /// <summary>How many frames of the user's code count.</summary>
    public const int TopFrames = 3;

    /// <summary>The longest masked message kept (the rest is cut; what is cut does not count).</summary>
    public const int MaxPatternLength = 300;

    private static readonly string[] FrameworkPrefixes = ["System.", "Microsoft.", "Akka.", "RabbitMQ.", "ActorMq."];

    /// <summary>The group key (16 hex digits) and the masked message of a dead letter.</summary>
    public static (string Key, string Pattern) Of(DeadLetter letter)
    {
        ArgumentNullException.ThrowIfNull(letter);
        return Of(letter.Queue, letter.ErrorType, letter.ErrorMessage, letter.ErrorDetail);
    }

    /// <summary>The group key (16 hex digits) and the masked message of a failure.</summary>
    public static (string Key, string Pattern) Of(string queue, string errorType, string errorMessage, string? errorDetail)
    {
        var pattern = Mask(errorMessage);
        var text = new StringBuilder(queue.Length + errorType.Length + pattern.Length + 256)
            .Append(queue).Append('\0').Append(errorType).Append('\0').Append(pattern);
        foreach (var frame in UserFrames(errorDetail)) text.Append('\0').Append(frame);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        return (Convert.ToHexStringLower(hash.AsSpan(0, 8)), pattern);
    }

    /// <summary>The key as the store keeps it: its 64 bits as a signed integer (compact in the index, compared as a number).</summary>
    /// <exception cref="ArgumentException">Not 16 hex digits.</exception>
    public static long ToStored(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Length == 16 && ulong.TryParse(key, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            ? unchecked((long)value)
            : throw new ArgumentException($"'{key}' is not a failure group key (16 hex digits, e.g. 3f2a9c0d11e4b7a5)", nameof(key));
    }

    /// <summary>The key of a stored integer: 16 lower-case hex digits.</summary>
    public static string FromStored(long stored) => unchecked((ulong)stored).ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>Whether <paramref name="key"/> is a group key (16 hex digits).</summary>
    public static bool IsKey(string? key) =>
        key is { Length: 16 } && ulong.TryParse(key, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _);

    /// <summary>The message with GUIDs, hex numbers, numbers and ids masked (<c>&lt;guid&gt;</c>, <c>&lt;hex&gt;</c>, <c>&lt;n&gt;</c>, <c>&lt;id&gt;</c>).</summary>
    public static string Mask(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        // One pass over whole words, so an id is masked alike whatever its characters happen to be.
        var masked = Guid().Replace(message, "<guid>");
        masked = WordWithDigit().Replace(masked, m =>
        {
            var word = m.Value.TrimEnd('.', ',', ':', '/', '-');
            var trailing = m.Value[word.Length..];
            return (IsNumber(word) ? "<n>" : Hex().IsMatch(word) ? "<hex>" : "<id>") + trailing;
        });
        masked = Space().Replace(masked, " ").Trim();
        return masked.Length <= MaxPatternLength ? masked : masked[..MaxPatternLength];
    }

    /// <summary>
    /// A number: an optional sign, at most <see cref="MaxNumberDigits"/> digits before an optional decimal part. Longer runs
    /// of digits are ids (an all-digit order id and a hex one with letters then mask alike).
    /// </summary>
    private static bool IsNumber(string word)
    {
        var digits = word.StartsWith('-') ? word[1..] : word;
        var point = digits.IndexOfAny(['.', ',']);
        var whole = point < 0 ? digits : digits[..point];
        var fraction = point < 0 ? "" : digits[(point + 1)..];
        return whole.Length is > 0 and <= MaxNumberDigits && !whole.AsSpan().ContainsAnyExceptInRange('0', '9')
            && !fraction.AsSpan().ContainsAnyExceptInRange('0', '9');
    }

    private const int MaxNumberDigits = 5;

    /// <summary>The top frames of the user's code in a .NET stack trace, without file, line and generated numbers.</summary>
    public static IReadOnlyList<string> UserFrames(string? errorDetail)
    {
        if (string.IsNullOrEmpty(errorDetail)) return [];
        var frames = new List<string>(TopFrames);
        foreach (var line in errorDetail.AsSpan().EnumerateLines())
        {
            var trimmed = line.TrimStart();
            if (!trimmed.StartsWith("at ", StringComparison.Ordinal)) continue;
            var frame = trimmed[3..];
            var inFile = frame.IndexOf(" in ", StringComparison.Ordinal);
            if (inFile >= 0) frame = frame[..inFile];
            var name = frame.ToString().Trim();
            if (FrameworkPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal))) continue;
            frames.Add(Digits().Replace(name, "<n>"));
            if (frames.Count == TopFrames) break;
        }
        return frames;
    }

    [GeneratedRegex(@"\b[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}\b", RegexOptions.CultureInvariant)]
    private static partial Regex Guid();

    [GeneratedRegex(@"^(?:0[xX][0-9a-fA-F]+|(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,})$", RegexOptions.CultureInvariant)]
    private static partial Regex Hex();

    [GeneratedRegex(@"[\w.:/-]*[0-9][\w.,:/-]*", RegexOptions.CultureInvariant)]
    private static partial Regex WordWithDigit();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Space();

    [GeneratedRegex(@"[0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex Digits();
}
