using System.Text;
using ActorMq.Hocon.Parsing;

namespace ActorMq.Hocon.Rendering;

/// <summary>
/// Renders resolved values as indented HOCON that parses back to the same value; with origins,
/// each field gets a <c># file:line</c> comment (for <c>actormq config render</c>).
/// </summary>
internal static class HoconRenderer
{
    public static string Render(ConfigValue value, bool withOrigins = false)
    {
        var sb = new StringBuilder();
        if (value is ConfigObject root)
        {
            AppendFields(sb, root, 0, withOrigins);
        }
        else
        {
            Append(sb, value, 0, withOrigins);
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static void AppendFields(StringBuilder sb, ConfigObject obj, int indent, bool withOrigins)
    {
        foreach (var (key, child) in obj)
        {
            if (withOrigins && child.Line > 0)
                sb.Append(' ', indent * 2).Append("# ").Append(child.Origin.ToString().Replace('\n', ' ')).Append('\n');
            sb.Append(' ', indent * 2);
            ConfigPath.AppendKey(sb, key);
            sb.Append(child is ConfigObject ? " " : " = ");
            Append(sb, child, indent, withOrigins);
            sb.Append('\n');
        }
    }

    private static void Append(StringBuilder sb, ConfigValue value, int indent, bool withOrigins)
    {
        if (sb.Length > Limits.MaxRenderedChars) throw JsonRenderer.TooLarge(value);
        switch (value)
        {
            case ConfigObject obj:
                if (obj.Count == 0)
                {
                    sb.Append("{}");
                    return;
                }
                sb.Append("{\n");
                AppendFields(sb, obj, indent + 1, withOrigins);
                sb.Append(' ', indent * 2).Append('}');
                break;
            case ConfigList list:
                if (list.Count == 0)
                {
                    sb.Append("[]");
                    return;
                }
                sb.Append("[\n");
                for (var i = 0; i < list.Count; i++)
                {
                    sb.Append(' ', (indent + 1) * 2);
                    Append(sb, list[i], indent + 1, withOrigins);
                    sb.Append(i + 1 < list.Count ? ",\n" : "\n");
                }
                sb.Append(' ', indent * 2).Append(']');
                break;
            case ConfigPrimitive p:
                JsonRenderer.AppendPrimitive(sb, p);
                break;
            default:
                throw new ConfigNotResolvedException($"{value.Origin}: cannot render an unresolved value; call Config.Resolve() first");
        }
    }
}
