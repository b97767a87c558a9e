using System.Globalization;
using System.Text.Json.Nodes;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace ActorMq.Settings;

/// <summary>
/// HOCON text and files read with Akka's parser (<see cref="ConfigurationFactory"/>), every failure turned into a
/// <see cref="ConfigurationException"/> naming the file or origin; and the effective configuration rendered as JSON.
/// </summary>
internal static class HoconFiles
{
    /// <summary>Parses <paramref name="hocon"/>; <paramref name="origin"/> names it in errors (e.g. <c>WithConfig #1</c>).</summary>
    public static Config Parse(string hocon, string origin)
    {
        ArgumentNullException.ThrowIfNull(hocon);
        // Akka's parser recurses without end on some unbalanced input (a '[' closed by '}'), which no catch survives, and
        // turns an optional substitution into a value that refers to itself (rendering it never ends).
        if (Unbalanced(hocon) is { } problem) throw new ConfigurationException(origin, $"{origin} is not valid HOCON: {problem}");
        try
        {
            return ConfigurationFactory.ParseString(hocon);
        }
        catch (Exception e) when (e is not ConfigurationException and not OutOfMemoryException)
        {
            throw new ConfigurationException(origin, $"{origin} is not valid HOCON: {e.Message}", e);
        }
    }

    /// <summary>
    /// The first bracket that does not match (<c>{</c>/<c>}</c>, <c>[</c>/<c>]</c>), or the first optional substitution
    /// (<c>${?X}</c>), with its line and column; or null.
    /// Quoted strings (also triple-quoted) and comments (<c>#</c>, <c>//</c>) are skipped.
    /// </summary>
    internal static string? Unbalanced(string hocon)
    {
        var open = new Stack<(char Bracket, int Line, int Column)>();
        int line = 1, column = 0;
        for (var i = 0; i < hocon.Length; i++)
        {
            var c = hocon[i];
            column++;
            if (c == '\n') { line++; column = 0; continue; }
            if (c == '#' || c == '/' && i + 1 < hocon.Length && hocon[i + 1] == '/')
            {
                while (i + 1 < hocon.Length && hocon[i + 1] != '\n') i++;
                continue;
            }
            if (c == '"')
            {
                var triple = string.CompareOrdinal(hocon, i, "\"\"\"", 0, 3) == 0;
                var end = triple ? hocon.IndexOf("\"\"\"", i + 3, StringComparison.Ordinal) : ClosingQuote(hocon, i + 1);
                if (end < 0) return $"line {line}, column {column}: a string that is never closed";
                var skipped = hocon.AsSpan(i, end - i);
                line += skipped.Count('\n');
                i = end + (triple ? 2 : 0);
                continue;
            }
            if (c == '$' && string.CompareOrdinal(hocon, i, "${?", 0, 3) == 0)
                return $"line {line}, column {column}: optional substitutions (${{?...}}) are not supported by Akka's HOCON, which reads no environment variables; set the value from code instead";
            if (c is '{' or '[') open.Push((c, line, column));
            else if (c is '}' or ']')
            {
                var expected = c == '}' ? '{' : '[';
                if (open.Count == 0) return $"line {line}, column {column}: '{c}' closes nothing";
                var (bracket, openLine, openColumn) = open.Pop();
                if (bracket != expected) return $"line {line}, column {column}: '{c}' closes the '{bracket}' opened at line {openLine}, column {openColumn}";
            }
        }
        return open.Count == 0 ? null : $"line {open.Peek().Line}, column {open.Peek().Column}: '{open.Peek().Bracket}' is never closed";
    }

    private static int ClosingQuote(string text, int from)
    {
        for (var i = from; i < text.Length; i++)
        {
            if (text[i] == '\\') i++;
            else if (text[i] == '"') return i;
            else if (text[i] == '\n') return -1;
        }
        return -1;
    }

    /// <summary>Parses the file at <paramref name="path"/>.</summary>
    public static Config ParseFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ConfigurationException(path, $"{path}: configuration file not found", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException(path, $"{path}: configuration file cannot be read: {e.Message}", e);
        }
        return Parse(text, $"file '{path}'");
    }

    /// <summary>The file at <paramref name="path"/> over ActorMq's reference.conf.</summary>
    public static Config Load(string path) => ParseFile(path).WithFallback(ActorMqClient.DefaultConfig());

    /// <summary>A duration in HOCON's notation (<c>250ms</c>, <c>5s</c>, <c>2m</c>); null when it is not one.</summary>
    public static TimeSpan? ParseDuration(string text)
    {
        try
        {
            return new HoconValue([new HoconLiteral { Value = text }]).GetTimeSpan(allowInfinite: false);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether <paramref name="value"/> is a list. Akka's <c>IsArray</c> says no for an empty one, which its parser keeps
    /// as a value without elements.
    /// </summary>
    public static bool IsList(HoconValue value) =>
        value.Values.Any(element => element.IsArray())
        && value.Values.All(element => element.IsArray() || element is HoconLiteral { Value: var text } && string.IsNullOrWhiteSpace(text))
        || value.Values.Count == 0;

    /// <summary>
    /// <paramref name="config"/> (with its fallbacks merged) as JSON: objects, arrays, and scalars as JSON numbers,
    /// booleans, null or strings.
    /// </summary>
    public static JsonNode? ToJson(Config config) => ToJson(config.Root);

    private static JsonNode? ToJson(HoconValue value)
    {
        if (value.IsObject())
        {
            var obj = new JsonObject();
            foreach (var (key, child) in value.GetObject().Items.OrderBy(i => i.Key, StringComparer.Ordinal)) obj[key] = ToJson(child);
            return obj;
        }
        if (IsList(value)) return new JsonArray([.. value.GetArray().Select(ToJson)]);
        var text = value.GetString();
        if (text is null) return null;
        if (text is "true" or "false") return JsonValue.Create(text == "true");
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)) return JsonValue.Create(integer);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) && text.Any(char.IsDigit))
            return JsonValue.Create(number);
        return JsonValue.Create(text);
    }
}
