namespace ActorMq.Hocon.Parsing;

internal sealed partial class HoconParser
{
    /// <summary>True when the text at the cursor is <c>include</c> followed by a quoted name or a resource form.</summary>
    private bool IsIncludeDirective()
    {
        if (json || !text.AsSpan(pos).StartsWith("include", StringComparison.Ordinal)) return false;
        var i = pos + 7;
        if (i >= text.Length || !(IsSpace(text[i]) || text[i] == '\n')) return false;
        while (i < text.Length && (IsSpace(text[i]) || text[i] == '\n')) i++;
        // like lightbend, an unquoted "include" followed by whitespace always starts an include statement;
        // a key named include must be quoted or followed directly by its separator
        return i < text.Length;
    }

    private void ParseInclude(List<KeyValuePair<string, ConfigValue>> obj, ObjectPath? path)
    {
        var includeLine = line;
        pos += 7;
        SkipSpacesAndNewlines();
        var (kind, name, required) = ParseIncludeTarget(allowRequired: true);
        if (path is null) throw Error("a field (include is not supported inside a list)");
        var included = includer.Include(new IncludeRequest(kind, name, required, source, ConfigPath.Concat(includePrefix, path.ToArray())), $"{source.Description}:{includeLine}");
        if (included is null) return;
        obj.AddRange(included);
    }

    private (IncludeKind Kind, string Name, bool Required) ParseIncludeTarget(bool allowRequired)
    {
        if (Peek() == '"') return (IncludeKind.Heuristic, ParseQuoted(), false);
        string word;
        IncludeKind kind;
        if (text.AsSpan(pos).StartsWith("required(", StringComparison.Ordinal) && allowRequired)
        {
            pos += 9;
            SkipSpaces();
            var inner = ParseIncludeTarget(allowRequired: false);
            SkipSpaces();
            if (Peek() != ')') throw Error("')' to close required(");
            pos++;
            return (inner.Kind, inner.Name, true);
        }
        if (text.AsSpan(pos).StartsWith("file(", StringComparison.Ordinal)) { word = "file("; kind = IncludeKind.File; }
        else if (text.AsSpan(pos).StartsWith("url(", StringComparison.Ordinal)) { word = "url("; kind = IncludeKind.Url; }
        else if (text.AsSpan(pos).StartsWith("classpath(", StringComparison.Ordinal)) { word = "classpath("; kind = IncludeKind.Classpath; }
        else throw Error("a quoted file name, file(\"...\"), url(\"...\") or classpath(\"...\") after include");
        pos += word.Length;
        SkipSpaces();
        if (Peek() != '"') throw Error($"a quoted name inside {word}");
        var name = ParseQuoted();
        SkipSpaces();
        if (Peek() != ')') throw Error($"')' to close {word}");
        pos++;
        return (kind, name, false);
    }
}
