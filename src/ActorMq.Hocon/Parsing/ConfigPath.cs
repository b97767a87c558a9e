using System.Buffers;
using System.Text;

namespace ActorMq.Hocon.Parsing;

/// <summary>Path expressions: <c>a.b."c.d"</c> to segments and back.</summary>
internal static class ConfigPath
{
    private static readonly SearchValues<char> PlainKey = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_");

    /// <summary>Parses a path expression given to a getter; throws <see cref="ConfigBadPathException"/>.</summary>
    public static string[] Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var segments = new List<string>(4);
        var current = new StringBuilder();
        var hasContent = false;
        var i = 0;
        var text = expression.AsSpan().Trim();
        if (text.Length == 0) throw new ConfigBadPathException(expression, "the path is empty");
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"')
            {
                i++;
                while (true)
                {
                    if (i >= text.Length) throw new ConfigBadPathException(expression, "unterminated quoted segment");
                    var q = text[i];
                    if (q == '"') { i++; break; }
                    if (q == '\\' && i + 1 < text.Length) { current.Append(text[i + 1]); i += 2; continue; }
                    current.Append(q);
                    i++;
                }
                hasContent = true;
            }
            else if (c == '.')
            {
                if (!hasContent) throw new ConfigBadPathException(expression, "a path segment is empty (leading, trailing or doubled '.')");
                segments.Add(current.ToString());
                current.Clear();
                hasContent = false;
                i++;
            }
            else
            {
                current.Append(c);
                hasContent = true;
                i++;
            }
        }
        if (!hasContent) throw new ConfigBadPathException(expression, "a path segment is empty (leading, trailing or doubled '.')");
        segments.Add(current.ToString());
        return [.. segments];
    }

    /// <summary>Renders segments as a path expression, quoting segments that need it.</summary>
    public static string Render(IReadOnlyList<string> segments)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < segments.Count; i++)
        {
            if (i > 0) sb.Append('.');
            AppendKey(sb, segments[i]);
        }
        return sb.ToString();
    }

    /// <summary>Appends one key, quoted unless it is a plain word of ASCII letters, digits, '-' and '_'.</summary>
    public static void AppendKey(StringBuilder sb, string key)
    {
        if (key.Length > 0 && !key.AsSpan().ContainsAnyExcept(PlainKey)
            && key != "include" && key != "true" && key != "false" && key != "null")
        {
            sb.Append(key);
            return;
        }
        Rendering.JsonRenderer.AppendQuoted(sb, key);
    }

    public static string[] Concat(string[] prefix, string[] path)
    {
        if (prefix.Length == 0) return path;
        var all = new string[prefix.Length + path.Length];
        prefix.CopyTo(all, 0);
        path.CopyTo(all, prefix.Length);
        return all;
    }
}
