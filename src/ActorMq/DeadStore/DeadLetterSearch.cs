using System.Collections;
using System.Globalization;
using System.Text;

namespace ActorMq.DeadStore;

/// <summary>
/// The words a dead letter is found by (<see cref="DeadLetterFilter.Search"/>), and the words of a search. A word is a run of
/// letters and digits, lower-cased: <c>Order 42-a timed out</c> is <c>order 42 a timed out</c>. The store indexes the words
/// of a row's message id, correlation id and type, its error type and error message, its header names and values, and its
/// body when that is UTF-8 text (the first <see cref="MaxBodyBytes"/> bytes), up to <see cref="MaxWords"/> words
/// (<see cref="MaxChars"/> characters) in all;
/// a search finds the rows holding its words one after another (the last may be the start of a word).
/// </summary>
internal static class DeadLetterSearch
{
    /// <summary>The most words of one row that are indexed (PostgreSQL's text search keeps positions up to 16,383).</summary>
    public const int MaxWords = 16_000;

    /// <summary>How much of a body is read for its words.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>A longer word is cut to this many characters, in the index and in a search alike.</summary>
    public const int MaxWordLength = 100;

    /// <summary>The most characters of one row's words that are indexed (PostgreSQL keeps a row's words in under 1 MB).</summary>
    public const int MaxChars = 200_000;

    /// <summary>The most words one search may hold.</summary>
    public const int MaxSearchWords = 32;

    /// <summary>The indexed words of a dead letter, separated by single spaces.</summary>
    public static string IndexText(DeadLetter letter)
    {
        ArgumentNullException.ThrowIfNull(letter);
        var words = new Words();
        words.Add(letter.MessageId);
        words.Add(letter.Properties?.CorrelationId);
        words.Add(letter.Properties?.Type);
        words.Add(letter.ErrorType);
        words.Add(letter.ErrorMessage);
        foreach (var (name, value) in letter.Headers ?? DeadLetterJson.NoHeaders)
        {
            words.Add(name);
            AddValue(words, value, depth: 0);
        }
        words.Add(BodyText(letter.Body.Span));
        return words.ToString();
    }

    /// <summary>The words of a search, in order.</summary>
    /// <exception cref="ArgumentException">The text holds no letter or digit, or more than <see cref="MaxSearchWords"/> words (see <see cref="Refusal(string)"/>).</exception>
    public static IReadOnlyList<string> SearchWords(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = Split(text);
        return Refusal(text, words) is { } refusal ? throw new ArgumentException($"search: {refusal}") : words;
    }

    /// <summary>Why the store refuses to search for <paramref name="text"/> (<c>'--' holds no letter or digit to search for</c>), or <see langword="null"/>.</summary>
    public static string? Refusal(string text) => Refusal(text, Split(text));

    private static string? Refusal(string text, List<string> words) =>
        words.Count == 0 ? $"'{Shown(text)}' holds no letter or digit to search for"
        : words.Count > MaxSearchWords ? $"'{Shown(text)}' holds {words.Count} words; at most {MaxSearchWords} are searched for"
        : null;

    private static List<string> Split(string text)
    {
        var words = new Words();
        words.Add(text);
        return words.List;
    }

    /// <summary>SQLite FTS5's query for the words: one phrase, the last word a prefix (<c>"order 42 tim"*</c>).</summary>
    public static string Fts5Query(IReadOnlyList<string> words) => $"\"{string.Join(' ', words)}\"*";

    /// <summary>PostgreSQL's <c>tsquery</c> for the words: each followed by the next, the last a prefix (<c>'order' &lt;-&gt; '42' &lt;-&gt; 'tim':*</c>).</summary>
    public static string TsQuery(IReadOnlyList<string> words) => string.Join(" <-> ", words.Select(w => $"'{w}'")) + ":*";

    private static string Shown(string text) => text.Length <= 80 ? text : text[..80] + "...";

    private static void AddValue(Words words, object? value, int depth)
    {
        if (depth > 8) return;
        switch (value)
        {
            case null: break;
            case string s: words.Add(s); break;
            case byte[] bytes: words.Add(BodyText(bytes)); break;
            case IDictionary<string, object?> table:
                foreach (var (name, inner) in table)
                {
                    words.Add(name);
                    AddValue(words, inner, depth + 1);
                }
                break;
            case IList list:
                foreach (var item in list) AddValue(words, item, depth + 1);
                break;
            case IFormattable formattable: words.Add(formattable.ToString(null, CultureInfo.InvariantCulture)); break;
            default: words.Add(value.ToString()); break;
        }
    }

    /// <summary>The text of a body (or a bytes header) that is UTF-8, else nothing: an image or a protobuf has no words.</summary>
    private static string? BodyText(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty) return null;
        var length = Math.Min(body.Length, MaxBodyBytes);
        // Cut back to a character boundary: a sequence cut in two at the limit is not an error in the body.
        if (length < body.Length)
            while (length > 0 && (body[length] & 0xC0) == 0x80) length--;
        var text = body[..length];
        return System.Text.Unicode.Utf8.IsValid(text) ? Encoding.UTF8.GetString(text) : null;
    }

    /// <summary>Collects lower-cased words, separated by single spaces, up to <see cref="MaxWords"/> words and <see cref="MaxChars"/> characters.</summary>
    private sealed class Words
    {
        private readonly StringBuilder _text = new();
        private int _wordStart = -1;
        private int _count;

        /// <summary>The words one by one (for a search's few words).</summary>
        public List<string> List => [.. ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries)];

        public void Add(string? text)
        {
            if (string.IsNullOrEmpty(text)) return;
            Span<char> pair = stackalloc char[2];
            for (var i = 0; i < text.Length; i++)
            {
                if (_count >= MaxWords || _text.Length >= MaxChars) break;
                var c = text[i];
                if (!char.IsSurrogate(c))
                {
                    if (char.IsLetterOrDigit(c)) Append(char.ToLowerInvariant(c));
                    else End();
                }
                else if (Rune.TryGetRuneAt(text, i, out var rune))
                {
                    i++;
                    if (Rune.IsLetterOrDigit(rune))
                    {
                        // Both halves of a pair, or neither: a lone surrogate is no text a database keeps.
                        var length = Rune.ToLowerInvariant(rune).EncodeToUtf16(pair);
                        if (_wordStart < 0 || _text.Length - _wordStart + length <= MaxWordLength)
                            for (var k = 0; k < length; k++) Append(pair[k]);
                    }
                    else End();
                }
                else End();
            }
            End();
        }

        public override string ToString() => _text.ToString();

        private void Append(char c)
        {
            if (_wordStart < 0)
            {
                if (_text.Length > 0) _text.Append(' ');
                _wordStart = _text.Length;
            }
            if (_text.Length - _wordStart < MaxWordLength) _text.Append(c);
        }

        private void End()
        {
            if (_wordStart < 0) return;
            _wordStart = -1;
            _count++;
        }
    }
}
