using System.Text;

namespace ActorMq.Hocon.Parsing;

/// <summary>
/// Java-style .properties: <c>key = value</c>, <c>key: value</c> or <c>key value</c> lines, '#'/'!' comments,
/// backslash continuations and escapes. Keys are split on '.' into paths; every value is a string; when a key
/// is both a value and a parent (<c>a=1</c>, <c>a.b=2</c>) the object wins (HOCON.md "Java properties mapping").
/// </summary>
internal static class PropertiesParser
{
    public static ConfigObject Parse(string text, OriginSource source)
    {
        var root = new ConfigObject(source, 1);
        var lines = text.Split('\n');
        var lineNumber = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            lineNumber = i + 1;
            var logical = new StringBuilder(lines[i].TrimEnd('\r').TrimStart());
            if (logical.Length == 0 || logical[0] is '#' or '!') continue;
            while (EndsWithContinuation(logical) && i + 1 < lines.Length)
            {
                logical.Length--;
                i++;
                logical.Append(lines[i].TrimEnd('\r').TrimStart());
            }
            if (EndsWithContinuation(logical)) logical.Length--;
            var (key, value) = Split(logical.ToString());
            if (key.Length == 0) continue;
            Insert(root, key.Split('.'), new ConfigPrimitive(ConfigValueType.String, value, source, lineNumber), source, lineNumber);
        }
        return root;
    }

    private static bool EndsWithContinuation(StringBuilder s)
    {
        var count = 0;
        for (var j = s.Length - 1; j >= 0 && s[j] == '\\'; j--) count++;
        return count % 2 == 1;
    }

    private static (string Key, string Value) Split(string line)
    {
        var key = new StringBuilder();
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (c == '\\' && i + 1 < line.Length)
            {
                i = Unescape(line, i, key);
                continue;
            }
            if (c is '=' or ':' || char.IsWhiteSpace(c)) break;
            key.Append(c);
            i++;
        }
        while (i < line.Length && char.IsWhiteSpace(line[i])) i++;
        if (i < line.Length && line[i] is '=' or ':') i++;
        while (i < line.Length && char.IsWhiteSpace(line[i])) i++;
        var value = new StringBuilder();
        while (i < line.Length)
        {
            if (line[i] == '\\' && i + 1 < line.Length)
            {
                i = Unescape(line, i, value);
                continue;
            }
            value.Append(line[i]);
            i++;
        }
        return (key.ToString(), value.ToString());
    }

    private static int Unescape(string line, int i, StringBuilder into)
    {
        var e = line[i + 1];
        switch (e)
        {
            case 't': into.Append('\t'); break;
            case 'n': into.Append('\n'); break;
            case 'r': into.Append('\r'); break;
            case 'f': into.Append('\f'); break;
            case 'u' when i + 6 <= line.Length && ushort.TryParse(line.AsSpan(i + 2, 4), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var code):
                into.Append((char)code);
                return i + 6;
            default: into.Append(e); break;
        }
        return i + 2;
    }

    private static void Insert(ConfigObject root, string[] path, ConfigPrimitive value, OriginSource source, int line)
    {
        var current = root;
        for (var i = 0; i < path.Length - 1; i++)
        {
            if (current.TryGetValue(path[i], out var child) && child is ConfigObject childObject)
            {
                current = childObject;
                continue;
            }
            var created = new ConfigObject(source, line);
            current.Set(path[i], created); // an object replaces a plain value
            current = created;
        }
        if (current.TryGetValue(path[^1], out var existing) && existing is ConfigObject) return; // object wins
        current.Set(path[^1], value);
    }
}
