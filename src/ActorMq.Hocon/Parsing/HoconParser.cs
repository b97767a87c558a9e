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
    // Buffers shared by every parser of one parse (the document and its includes); see ParseScratch.
    private readonly Dictionary<string, string> strings;
    private readonly StringBuilder scratch;
    private readonly string[] singleKey;
    private readonly List<string> pathScratch;
    private readonly Stack<List<KeyValuePair<string, ConfigValue>>> fieldLists;
    private readonly Stack<List<ConfigValue>> listScratch;
    private readonly StringBuilder quoteBuilder;
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
        depth = includePrefix.Length; // an included text nests below its include point
        var shared = includer.Scratch;
        strings = shared.Strings;
        scratch = shared.Text;
        singleKey = shared.SingleKey;
        pathScratch = shared.Path;
        fieldLists = shared.FieldLists;
        listScratch = shared.Lists;
        quoteBuilder = shared.Quote;
        if (text.Length > 0 && text[0] == '\uFEFF') pos = 1;
    }

    /// <summary>Parses the whole text as a root object (braces optional in HOCON).</summary>
    public ConfigObject ParseDocument()
    {
        SkipSpacesAndNewlines();
        ConfigObject root;
        if (Peek() == '{')
        {
            root = ParseObject(ObjectPath.Root);
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
            root = ParseFields(ObjectPath.Root, braced: false, line);
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

    private ConfigObject ParseObject(ObjectPath? path)
    {
        EnterNesting();
        var startLine = line;
        pos++; // '{'
        var obj = ParseFields(path, braced: true, startLine);
        depth--;
        return obj;
    }

    /// <summary>
    /// Parses fields up to '}' (braced) or the end of input; <paramref name="path"/> is the object's path, null inside lists.
    /// Fields are collected first so that the object is built once with its final size.
    /// </summary>
    private ConfigObject ParseFields(ObjectPath? path, bool braced, int startLine)
    {
        var fields = fieldLists.Count > 0 ? fieldLists.Pop() : [];
        ParseFields(fields, path, braced);
        var obj = new ConfigObject(source, startLine, fields.Count);
        foreach (var (key, value) in fields) Add(obj, key, value);
        fields.Clear();
        fieldLists.Push(fields);
        return obj;
    }

    private void ParseFields(List<KeyValuePair<string, ConfigValue>> obj, ObjectPath? path, bool braced)
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

    private void ParseField(List<KeyValuePair<string, ConfigValue>> obj, ObjectPath? path)
    {
        var keyLine = line;
        var key = ParseKey();
        var first = key[0]; // key may be the reused single-key array: read it before parsing the value
        var rest = key.Length > 1 ? key : null;
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
        // a dotted key nests its value that many levels deeper; an appended value becomes a list element
        var extraDepth = rest is null ? 0 : rest.Length - 1;
        depth += extraDepth;
        if (depth > Limits.MaxParseDepth) throw Error($"at most {Limits.MaxParseDepth} levels of nested objects (including path keys)");
        var value = append ? ParseValue(null, first, rest) : ParseValue(path, first, rest);
        depth -= extraDepth;
        if (append)
        {
            var fieldPath = new ObjectPath(path, first, rest).ToArray();
            var self = new Substitution(ConfigPath.Concat(includePrefix, fieldPath), optional: true, prefix: null, source, keyLine);
            var list = new ConfigList([value], source, value.Line);
            value = new Concatenation([self, list], source, keyLine);
        }
        if (rest is not null)
        {
            for (var i = rest.Length - 1; i > 0; i--)
            {
                var wrapper = new ConfigObject(source, keyLine, 1);
                wrapper.Set(rest[i], value);
                value = wrapper;
            }
        }
        obj.Add(new(first, value));
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
                singleKey[0] = Intern(text.AsSpan(start, end - start));
                return singleKey;
            }
        }
        return ParsePathExpression(inSubstitution: false);
    }

    /// <summary>Short unquoted words (numbers, on/off, 30s, info) repeat a lot: share one string per parse.</summary>
    private string ShortText(ReadOnlySpan<char> span) => span.Length <= 16 ? Intern(span) : span.ToString();

    private string InternBuilder(StringBuilder sb)
    {
        if (sb.Length > 64) return sb.ToString();
        Span<char> buffer = stackalloc char[sb.Length];
        sb.CopyTo(0, buffer, sb.Length);
        return Intern(buffer);
    }

    private string Intern(ReadOnlySpan<char> span)
    {
        var lookup = strings.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(span, out var known)) return known;
        var s = span.ToString();
        strings[s] = s;
        return s;
    }

    /// <summary>
    /// A key or substitution path: quoted and unquoted pieces, '.' separating segments in unquoted pieces,
    /// whitespace between pieces kept inside the segment.
    /// </summary>
    private string[] ParsePathExpression(bool inSubstitution)
    {
        var segments = pathScratch;
        segments.Clear();
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
                        segments.Add(InternBuilder(current));
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
        segments.Add(InternBuilder(current));
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

    /// <summary>
    /// Parses a value (possibly a concatenation) of the field <paramref name="key"/> (+ <paramref name="keyRest"/>) in the
    /// object at <paramref name="parent"/>; a null parent means inside a list.
    /// </summary>
    private ConfigValue ParseValue(ObjectPath? parent, string? key, string[]? keyRest)
    {
        var startLine = line;
        if (!json && TryParseSimpleValue() is { } simple) return simple;
        var first = ParseValuePiece(parent, key, keyRest) ?? throw Error("a value");
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
            var next = ParseValuePiece(parent, key, keyRest);
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
    private ConfigValue? ParseValuePiece(ObjectPath? parent, string? key, string[]? keyRest)
    {
        if (AtEnd) return null;
        var c = text[pos];
        var startLine = line;
        switch (c)
        {
            case '{':
                return ParseObject(parent is null || key is null ? null : new ObjectPath(parent, key, keyRest));
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
        var value = Classify(text.AsSpan(pos, end - pos), startLine);
        pos = end;
        return value;
    }

    /// <summary>An unquoted word: true, false, null, a number, or (HOCON only) a string.</summary>
    private ConfigPrimitive Classify(ReadOnlySpan<char> span, int startLine)
    {
        if (span is "true" || span is "false")
            return new ConfigPrimitive(ConfigValueType.Boolean, span[0] == 't' ? "true" : "false", source, startLine);
        if (span is "null") return ConfigPrimitive.Null(source, startLine);
        if (IsNumber(span)) return new ConfigPrimitive(ConfigValueType.Number, ShortText(span), source, startLine);
        if (json) throw Error("a JSON value (unquoted strings are not JSON)");
        return new ConfigPrimitive(ConfigValueType.String, ShortText(span), source, startLine);
    }

    /// <summary>
    /// Fast path for the common value made only of unquoted words and spaces up to the end of the field
    /// (<c>30s</c>, <c>info</c>, <c>unquoted words</c>): one string, no concatenation pieces. Returns null
    /// without moving when the value has any other piece.
    /// </summary>
    private ConfigPrimitive? TryParseSimpleValue()
    {
        var i = pos;
        var lastEnd = pos;
        var spaced = false;
        while (true)
        {
            var end = ScanUnquoted(i);
            if (end == i) return null;
            lastEnd = end;
            i = end;
            while (i < text.Length && IsSpace(text[i])) i++;
            if (i >= text.Length) break;
            var c = text[i];
            if (c is ',' or '}' or ']' or '\n' or '#' || (c == '/' && i + 1 < text.Length && text[i + 1] == '/')) break;
            if (ScanUnquoted(i) == i) return null;
            spaced = true;
        }
        var span = text.AsSpan(pos, lastEnd - pos);
        var value = spaced ? new ConfigPrimitive(ConfigValueType.String, span.ToString(), source, line) : Classify(span, line);
        pos = lastEnd;
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
        var items = listScratch.Count > 0 ? listScratch.Pop() : [];
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
            items.Add(ParseValue(null, null, null));
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
        var list = new ConfigList([.. items], source, startLine);
        items.Clear();
        listScratch.Push(items);
        return list;
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
        var sb = quoteBuilder.Clear();
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

/// <summary>
/// The path of an object being parsed (for <c>+=</c> and include prefixes), one node per object rather than per field.
/// </summary>
internal sealed class ObjectPath(ObjectPath? parent, string key, string[]? keyRest)
{
    public static ObjectPath Root { get; } = new(null, "", null);

    public ObjectPath? Parent { get; } = parent;

    public string Key { get; } = key;

    /// <summary>All segments of a dotted key (including <see cref="Key"/>), or null for a one-segment key.</summary>
    public string[]? KeyRest { get; } = keyRest;

    public string[] ToArray()
    {
        var segments = new List<string>();
        for (var node = this; node.Parent is not null; node = node.Parent)
        {
            if (node.KeyRest is not null) segments.InsertRange(0, node.KeyRest);
            else segments.Insert(0, node.Key);
        }
        return [.. segments];
    }
}
