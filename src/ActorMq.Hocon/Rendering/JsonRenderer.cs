using System.Globalization;
using System.Text;
using ActorMq.Hocon.Resolution;

namespace ActorMq.Hocon.Rendering;

/// <summary>Renders resolved values as compact JSON.</summary>
internal static class JsonRenderer
{
    public static string Render(ConfigValue value)
    {
        var sb = new StringBuilder();
        Append(sb, value);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, ConfigValue value)
    {
        if (sb.Length > Parsing.Limits.MaxRenderedChars) throw TooLarge(value);
        switch (value)
        {
            case ConfigObject obj:
                sb.Append('{');
                var first = true;
                foreach (var (key, child) in obj)
                {
                    if (!first) sb.Append(',');
                    first = false;
                    AppendQuoted(sb, key);
                    sb.Append(':');
                    Append(sb, child);
                }
                sb.Append('}');
                break;
            case ConfigList list:
                sb.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    Append(sb, list[i]);
                }
                sb.Append(']');
                break;
            case ConfigPrimitive p:
                AppendPrimitive(sb, p);
                break;
            default:
                throw new ConfigNotResolvedException($"{value.Origin}: cannot render an unresolved value; call Config.Resolve() first");
        }
    }

    internal static ConfigException TooLarge(ConfigValue value) =>
        new($"{value.Origin}: the rendered configuration exceeds {Parsing.Limits.MaxRenderedChars} characters");

    internal static void AppendPrimitive(StringBuilder sb, ConfigPrimitive p)
    {
        switch (p.ValueType)
        {
            case ConfigValueType.String:
                AppendQuoted(sb, p.Text);
                break;
            case ConfigValueType.Number:
                sb.Append(NormalizeNumber(p.Text));
                break;
            default:
                sb.Append(p.Text);
                break;
        }
    }

    /// <summary>Numbers as JSON accepts them: integers without leading zeros, others via double.</summary>
    internal static string NormalizeNumber(string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
            ? l.ToString(CultureInfo.InvariantCulture)
            : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture) is var d && double.IsFinite(d)
                ? d.ToString("R", CultureInfo.InvariantCulture)
                : text;

    internal static void AppendQuoted(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < ' ' || c == '\u2028' || c == '\u2029')
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}
