using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using ActorMq.Hocon.Resolution;

namespace ActorMq.Hocon.Parsing;

/// <summary>
/// A single-pass recursive-descent parser for HOCON (and strict JSON) working directly on the text:
/// no token objects, no regular expressions; strings are allocated only for keys and values.
/// </summary>
internal sealed partial class HoconParser
{
    // Characters that end an unquoted string (HOCON.md "Unquoted strings"), besides whitespace and "//".
    private static readonly SearchValues<char> NotUnquoted = SearchValues.Create("$\"{}[]:=,+#`^?!@*&\\");

    private readonly string text;
    private readonly OriginSource source;
    private readonly Includer includer;
    private readonly string[] includePrefix;
    private readonly bool json;
    private readonly Dictionary<string, string> keyCache = new(StringComparer.Ordinal);
    private readonly StringBuilder scratch = new();
    private int pos;
    private int line = 1;
    private int lineStart;
    private int depth;

    public HoconParser(string text, OriginSource source, Includer includer, string[] includePrefix, bool json)
    {
        this.text = text;
        this.source = source;
        this.includer = includer;
        this.includePrefix = includePrefix;
        this.json = json;
        if (text.Length > 0 && text[0] == '\uFEFF') pos = 1;
    }

    /// <summary>Parses the whole text as a root object (braces optional in HOCON).</summary>
    public ConfigObject ParseDocument()
    {
        SkipSpacesAndNewlines();
        ConfigObject root;
        if (Peek() == '{')
        {
            root = ParseObject([]);
            SkipSpacesAndNewlines();
            if (pos < text.Length) throw Error("end of input after the root object");
        }
        else if (json && pos < text.Length)
        {
            throw Error("'{' (a JSON document must be an object here)");
        }
        else if (Peek() == '[')
        {
            throw Error("an object at the root (a list cannot be a configuration root)");
        }
        else
        {
            root = new ConfigObject(source, line);
            ParseFields(root, [], braced: false);
        }
        return root;
    }

    private char Peek() => pos < text.Length ? text[pos] : '\0';

    private char PeekAt(int offset) => pos + offset < text.Length ? text[pos + offset] : '\0';

    private bool AtEnd => pos >= text.Length;

    private static bool IsSpace(char c) =>
        c is ' ' or '\t' or '\r' or '\uFEFF' or '\u00A0' or '\u2007' or '\u202F' || (c > 127 && c != '\n' && char.IsWhiteSpace(c));

    private bool AtComment() => !AtEnd && (text[pos] == '#' || (text[pos] == '/' && PeekAt(1) == '/'));

    /// <summary>Skips spaces and comments, stopping at a newline.</summary>
    private void SkipSpaces()
    {
        while (pos < text.Length)
        {
            var c = text[pos];
            if (IsSpace(c)) { pos++; continue; }
            if (c == '#' || (c == '/' && PeekAt(1) == '/'))
            {
                if (json) throw Error("JSON value (comments are not JSON)");
                var end = text.IndexOf('\n', pos);
                pos = end < 0 ? text.Length : end;
                continue;
            }
            return;
        }
    }

    /// <summary>Skips spaces, comments and newlines; returns whether a newline was crossed.</summary>
    private bool SkipSpacesAndNewlines()
    {
        var crossed = false;
        while (true)
        {
            SkipSpaces();
            if (Peek() != '\n') return crossed;
            NewLine();
            crossed = true;
        }
    }

    private void NewLine()
    {
        pos++;
        line++;
        lineStart = pos;
    }

    private void EnterNesting()
    {
        if (++depth > Limits.MaxParseDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw Error($"at most {Limits.MaxParseDepth} levels of nested objects and arrays");
    }

    private ConfigParseException Error(string expected) => new(source.Description, line, pos - lineStart + 1, expected, Describe());

    private string Describe()
    {
        if (AtEnd) return "end of input";
        var c = text[pos];
        if (c == '\n') return "end of line";
        return char.IsControl(c) ? $"character U+{(int)c:X4}" : $"'{c}'";
    }

    // ---------------------------------------------------------------- objects

    private ConfigObject ParseObject(string[]? path)
    {
        EnterNesting();
        var obj = new ConfigObject(source, line);
        pos++; // '{'
        ParseFields(obj, path, braced: true);
        depth--;
        return obj;
    }

    /// <summary>Parses fields up to '}' (braced) or the end of input; <paramref name="path"/> is the object's path, null inside lists.</summary>
    private void ParseFields(ConfigObject obj, string[]? path, bool braced)
    {
        var awaitingComma = false;
        while (true)
        {
            SkipSpacesAndNewlines();
            if (AtEnd)
            {
                if (braced) throw Error("'}' to close the object");
                return;
            }
            var c = text[pos];
            if (c == ',' && awaitingComma && !json)
            {
                // a comma may follow the value on a later line
                pos++;
                awaitingComma = false;
                continue;
            }
            awaitingComma = false;
            if (c == '}')
            {
                if (!braced) throw Error("a key (unbalanced '}')");
                pos++;
                return;
            }
            if (IsIncludeDirective())
            {
                if (json) throw Error("a quoted key (include is not JSON)");
                ParseInclude(obj, path);
            }
            else
            {
                ParseField(obj, path);
            }
            SkipSpaces();
            if (AtEnd) continue;
            c = text[pos];
            if (c == ',')
            {
                pos++;
                if (json)
                {
                    SkipSpacesAndNewlines();
                    if (Peek() == '}') throw Error("a key after ',' (trailing commas are not JSON)");
                }
                continue;
            }
            if (c == '\n')
            {
                if (json)
                {
                    SkipSpacesAndNewlines();
                    if (Peek() == ',') { pos++; continue; }
                    if (Peek() != '}') throw Error("',' between JSON fields");
                }
                awaitingComma = true;
                continue;
            }
            if (c == '}') continue;
            throw Error("',' or a newline after the field's value");
        }
    }

    private void ParseField(ConfigObject obj, string[]? path)
    {
        var keyLine = line;
        var key = ParseKey();
        SkipSpacesAndNewlines();
        var append = false;
        var c = Peek();
        if (c == ':' || c == '=')
        {
            if (json && c == '=') throw Error("':' (JSON uses ':' between key and value)");
            pos++;
        }
        else if (c == '+' && PeekAt(1) == '=')
        {
            if (json) throw Error("':'");
            if (path is null) throw Error("':' or '=' ('+=' is not supported inside a list)");
            append = true;
            pos += 2;
        }
        else if (c == '{')
        {
            if (json) throw Error("':'");
        }
        else
        {
            throw Error("':', '=' or '{' after the key");
        }
        SkipSpacesAndNewlines();
        var fieldPath = path is null ? null : ConfigPath.Concat(path, key);
        var value = ParseValue(append ? null : fieldPath); // an appended value becomes a list element
        if (append)
        {
            var self = new Substitution(ConfigPath.Concat(includePrefix, fieldPath!), optional: true, prefix: null, source, keyLine);
            var list = new ConfigList([value], source, value.Line);
            value = new Concatenation([self, list], source, keyLine);
        }
        for (var i = key.Length - 1; i > 0; i--)
        {
            var wrapper = new ConfigObject(source, keyLine, 1);
            wrapper.Set(key[i], value);
            value = wrapper;
        }
        Add(obj, key[0], value);
    }

    private static void Add(ConfigObject obj, string key, ConfigValue value)
    {
        obj.Set(key, obj.TryGetValue(key, out var existing) ? Merger.Merge(value, existing, inPlace: true) : value);
    }

    // ---------------------------------------------------------------- keys and path expressions

    private string[] ParseKey()
    {
        if (json)
        {
            if (Peek() != '"') throw Error("a quoted key (JSON keys are strings)");
            return [ParseQuoted()];
        }
        // Fast path: one unquoted word without dots, followed by a separator or space.
        var start = pos;
        var end = ScanUnquoted(start);
        if (end > start && (end >= text.Length || text[end] != '"') && text.AsSpan(start, end - start).IndexOf('.') < 0)
        {
            var after = end;
            while (after < text.Length && IsSpace(text[after])) after++;
            if (after >= text.Length || text[after] is ':' or '=' or '{' or '+' or '\n' or '#' || (text[after] == '/' && after + 1 < text.Length && text[after + 1] == '/'))
            {
                pos = end;
                return [Intern(text.AsSpan(start, end - start))];
            }
        }
        return ParsePathExpression(inSubstitution: false);
    }

    private string Intern(ReadOnlySpan<char> span)
    {
        var lookup = keyCache.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(span, out var known)) return known;
        var s = span.ToString();
        keyCache[s] = s;
        return s;
    }

    /// <summary>
    /// A key or substitution path: quoted and unquoted pieces, '.' separating segments in unquoted pieces,
    /// whitespace between pieces kept inside the segment.
    /// </summary>
    private string[] ParsePathExpression(bool inSubstitution)
    {
        var segments = new List<string>(4);
        var current = scratch.Clear();
        var hasContent = false;
        var any = false;
        while (true)
        {
            var c = Peek();
            if (c == '"')
            {
                current.Append(PeekAt(1) == '"' && PeekAt(2) == '"' ? ParseTripleQuoted() : ParseQuoted());
                hasContent = true;
                any = true;
            }
            else
            {
                var end = ScanUnquoted(pos);
                if (end == pos) break;
                for (var i = pos; i < end; i++)
                {
                    var ch = text[i];
                    if (ch == '.')
                    {
                        if (!hasContent) { pos = i; throw Error("a path segment before '.' (empty segments must be quoted: \"\")"); }
                        segments.Add(current.ToString());
                        current.Clear();
                        hasContent = false;
                    }
                    else
                    {
                        current.Append(ch);
                        hasContent = true;
                    }
                }
                pos = end;
                any = true;
            }
            // whitespace between pieces belongs to the key when another piece follows
            var wsStart = pos;
            while (pos < text.Length && IsSpace(text[pos])) pos++;
            if ((Peek() == '"' || ScanUnquoted(pos) > pos) && !AtComment())
            {
                if (pos > wsStart)
                {
                    current.Append(text, wsStart, pos - wsStart);
                    hasContent = true;
                }
                continue;
            }
            break;
        }
        if (!any) throw Error(inSubstitution ? "a path inside '${ }'" : "a key");
        if (!hasContent) throw Error("a path segment after '.' (empty segments must be quoted: \"\")");
        segments.Add(current.ToString());
        return [.. segments];
    }

    /// <summary>Returns the end of the unquoted run starting at <paramref name="from"/>.</summary>
    private int ScanUnquoted(int from)
    {
        var i = from;
        while (i < text.Length)
        {
            var c = text[i];
            if (c < 128)
            {
                if (c <= ' ' || NotUnquoted.Contains(c)) break;
                if (c == '/' && i + 1 < text.Length && text[i + 1] == '/') break;
            }
            else if (IsSpace(c))
            {
                break;
            }
            i++;
        }
        return i;
    }

    // ---------------------------------------------------------------- values

    /// <summary>Parses a value (possibly a concatenation); <paramref name="path"/> is its field path, null inside lists.</summary>
    private ConfigValue ParseValue(string[]? path)
    {
        var startLine = line;
        var first = ParseValuePiece(path) ?? throw Error("a value");
        if (json)
        {
            SkipSpaces();
            return first;
        }
        List<ConfigValue>? pieces = null;
        var allText = first is ConfigPrimitive;
        while (true)
        {
            var wsStart = pos;
            while (pos < text.Length && IsSpace(text[pos])) pos++;
            var wsEnd = pos;
            if (AtComment()) break;
            var mark = pos;
            var next = ParseValuePiece(path);
            if (next is null)
            {
                pos = mark;
                break;
            }
            pieces ??= [first];
            if (wsEnd > wsStart) pieces.Add(new ConcatWhitespace(text.Substring(wsStart, wsEnd - wsStart)));
            pieces.Add(next);
            allText &= next is ConfigPrimitive;
        }
        SkipSpaces();
        if (pieces is null) return first;
        if (allText)
        {
            var sb = scratch.Clear();
            foreach (var piece in pieces)
                sb.Append(piece is ConcatWhitespace ws ? ws.Text : ((ConfigPrimitive)piece).Text);
            return new ConfigPrimitive(ConfigValueType.String, sb.ToString(), source, startLine);
        }
        return new Concatenation(pieces, source, startLine);
    }

    /// <summary>Parses one piece of a value, or returns null when the next character cannot start one.</summary>
    private ConfigValue? ParseValuePiece(string[]? path)
    {
        if (AtEnd) return null;
        var c = text[pos];
        var startLine = line;
        switch (c)
        {
            case '{':
                return ParseObject(path);
            case '[':
                return ParseList();
            case '"':
                if (PeekAt(1) == '"' && PeekAt(2) == '"')
                {
                    if (json) throw Error("a JSON string (triple quotes are not JSON)");
                    return new ConfigPrimitive(ConfigValueType.String, ParseTripleQuoted(), source, startLine);
                }
                return new ConfigPrimitive(ConfigValueType.String, ParseQuoted(), source, startLine);
            case '$':
                if (PeekAt(1) != '{') throw Error("'{' after '$' (substitutions are written ${path})");
                if (json) throw Error("a JSON value (substitutions are not JSON)");
                return ParseSubstitution();
        }
        var end = ScanUnquoted(pos);
        if (end == pos) return null;
        var span = text.AsSpan(pos, end - pos);
        ConfigPrimitive value;
        if (span is "true" || span is "false")
            value = new ConfigPrimitive(ConfigValueType.Boolean, span[0] == 't' ? "true" : "false", source, startLine);
        else if (span is "null")
            value = ConfigPrimitive.Null(source, startLine);
        else if (IsNumber(span))
            value = new ConfigPrimitive(ConfigValueType.Number, span.ToString(), source, startLine);
        else if (json)
            throw Error("a JSON value (unquoted strings are not JSON)");
        else
            value = new ConfigPrimitive(ConfigValueType.String, span.ToString(), source, startLine);
        pos = end;
        return value;
    }

    internal static bool IsNumber(ReadOnlySpan<char> s)
    {
        var i = 0;
        if (i < s.Length && s[i] == '-') i++;
        var digits = i;
        while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        if (i == digits) return false;
        if (i < s.Length && s[i] == '.')
        {
            i++;
            var fraction = i;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
            if (i == fraction) return false;
        }
        if (i < s.Length && (s[i] == 'e' || s[i] == 'E'))
        {
            i++;
            if (i < s.Length && (s[i] == '+' || s[i] == '-')) i++;
            var exponent = i;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
            if (i == exponent) return false;
        }
        return i == s.Length;
    }

    private ConfigList ParseList()
    {
        EnterNesting();
        var startLine = line;
        pos++; // '['
        var items = new List<ConfigValue>();
        while (true)
        {
            SkipSpacesAndNewlines();
            if (AtEnd) throw Error("']' to close the list");
            if (text[pos] == ']')
            {
                pos++;
                break;
            }
            if (text[pos] == ',') throw Error("a list element");
            items.Add(ParseValue(null));
            var crossed = SkipSpacesAndNewlines();
            if (AtEnd) throw Error("']' to close the list");
            var c = text[pos];
            if (c == ',')
            {
                pos++;
                if (json)
                {
                    SkipSpacesAndNewlines();
                    if (Peek() == ']') throw Error("a list element after ',' (trailing commas are not JSON)");
                }
                continue;
            }
            if (c == ']') continue;
            if (!crossed || json) throw Error("',' or ']' in the list");
        }
        depth--;
        return new ConfigList(items, source, startLine);
    }

    private Substitution ParseSubstitution()
    {
        var startLine = line;
        pos += 2; // "${"
        var optional = false;
        if (Peek() == '?')
        {
            optional = true;
            pos++;
        }
        while (pos < text.Length && IsSpace(text[pos])) pos++;
        var path = ParsePathExpression(inSubstitution: true);
        while (pos < text.Length && IsSpace(text[pos])) pos++;
        if (Peek() != '}') throw Error("'}' to close the substitution");
        pos++;
        return new Substitution(path, optional, includePrefix.Length == 0 ? null : includePrefix, source, startLine);
    }

    // ---------------------------------------------------------------- strings

    private string ParseQuoted()
    {
        pos++; // opening quote
        var start = pos;
        // fast path: no escapes
        while (pos < text.Length)
        {
            var c = text[pos];
            if (c == '"')
            {
                var s = text.Substring(start, pos - start);
                pos++;
                return s;
            }
            if (c == '\\' || c == '\n' || (json && c < ' ')) break;
            pos++;
        }
        var sb = new StringBuilder();
        sb.Append(text, start, pos - start);
        while (true)
        {
            if (AtEnd) throw Error("'\"' to close the string");
            var c = text[pos];
            if (c == '"')
            {
                pos++;
                return sb.ToString();
            }
            if (c == '\n') throw Error("'\"' before the end of the line (use \"\"\" for multi-line strings)");
            if (json && c < ' ') throw Error("an escaped control character in the string");
            if (c != '\\')
            {
                sb.Append(c);
                pos++;
                continue;
            }
            pos++;
            if (AtEnd) throw Error("an escape character after '\\'");
            var e = text[pos];
            switch (e)
            {
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case '/': sb.Append('/'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u':
                    if (pos + 4 >= text.Length || !ushort.TryParse(text.AsSpan(pos + 1, 4), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var code))
                        throw Error("four hex digits after \\u");
                    sb.Append((char)code);
                    pos += 4;
                    break;
                default:
                    throw Error("a valid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
            }
            pos++;
        }
    }

    private string ParseTripleQuoted()
    {
        pos += 3;
        var start = pos;
        while (true)
        {
            if (AtEnd) throw Error("'\"\"\"' to close the multi-line string");
            var c = text[pos];
            if (c == '\n')
            {
                NewLine();
                continue;
            }
            if (c == '"' && PeekAt(1) == '"' && PeekAt(2) == '"')
            {
                // quotes just before the closing """ belong to the string
                var run = pos;
                while (run < text.Length && text[run] == '"') run++;
                var s = text.Substring(start, run - 3 - start);
                pos = run;
                return s;
            }
            pos++;
        }
    }
}
