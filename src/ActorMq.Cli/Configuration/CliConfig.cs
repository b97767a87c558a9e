using System.Text.Json;
using ActorMq.Cli.Terminal;
using ActorMq.Hocon;

namespace ActorMq.Cli.Configuration;

/// <summary>
/// Every place the actormq command touches the HOCON library (ActorMq.Hocon): loading files, layering the demo's
/// settings, parsing a duration, rendering. Kept together so that moving to another HOCON library changes this file.
/// </summary>
internal static class CliConfig
{
    /// <summary>The file (or <c>./application.conf</c> when null) over reference.conf, resolved.</summary>
    public static Config Load(string? path) => ConfigFactory.Load(path);

    /// <summary>The configuration over reference.conf, resolved.</summary>
    public static Config Load(Config config) => ConfigFactory.Load(config);

    /// <summary>One HOCON file, unresolved (what the admin server is started from).</summary>
    public static Config ParseFile(string path) => ConfigFactory.ParseFile(path);

    /// <summary>A duration in HOCON's forms (<c>500ms</c>, <c>30s</c>, <c>2m</c>), or null when <paramref name="text"/> is none.</summary>
    public static TimeSpan? ParseDuration(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            return ConfigFactory.ParseString($"d = {JsonSerializer.Serialize(text)}").GetTimeSpan("d");
        }
        catch (ConfigException)
        {
            return null;
        }
    }

    /// <summary>The demo's embedded configuration, with a file layered over it and the broker URI when given.</summary>
    public static Config Demo(Config embedded, string? file, string? amqpUri)
    {
        var config = embedded;
        if (file is not null) config = ConfigFactory.ParseFile(file).WithFallback(config);
        if (amqpUri is not null) config = ConfigFactory.ParseString($"actormq.connection.uris = [{JsonSerializer.Serialize(amqpUri)}]").WithFallback(config);
        return config;
    }

    /// <summary>
    /// The effective configuration of <paramref name="file"/> as HOCON (with <c># file:line</c> comments when
    /// <paramref name="origins"/>) or indented JSON; secrets masked (<see cref="ConfigSecrets"/>) unless <paramref name="showSecrets"/>.
    /// </summary>
    public static string Render(string file, bool json, bool origins, bool showSecrets)
    {
        var config = ConfigFactory.Load(file);
        if (!showSecrets) config = Masked(config);
        if (!json) return config.ToHocon(origins);
        using var document = JsonDocument.Parse(config.ToJson());
        return JsonOutput.Render(document.RootElement.WriteTo);
    }

    /// <summary>The configuration with every secret value replaced (the rest, origins included, unchanged).</summary>
    private static Config Masked(Config config)
    {
        var overrides = new List<string>();
        foreach (var (path, value) in config.Entries())
        {
            var quotedPath = string.Join('.', SplitPath(path).Select(k => JsonSerializer.Serialize(k)));
            switch (value)
            {
                case ConfigPrimitive primitive when primitive.ValueType == ConfigValueType.String:
                    if (ConfigSecrets.MaskedValue(path, primitive.Text, primitive.Origin.Description) is { } masked)
                        overrides.Add($"{quotedPath} = {JsonSerializer.Serialize(masked)}");
                    break;
                case ConfigPrimitive primitive when ConfigSecrets.IsSecretPath(path) || ConfigSecrets.IsFromEnvironment(primitive.Origin.Description):
                    overrides.Add($"{quotedPath} = {JsonSerializer.Serialize(ConfigSecrets.Mask)}");
                    break;
                case ConfigList list when list.Any(v => v is ConfigPrimitive { ValueType: ConfigValueType.String } p
                                                        && ConfigSecrets.MaskedValue(path, p.Text, p.Origin.Description) is not null):
                    var items = list.Select(v => v is ConfigPrimitive { ValueType: ConfigValueType.String } p
                        ? JsonSerializer.Serialize(ConfigSecrets.MaskedValue(path, p.Text, p.Origin.Description) ?? p.Text)
                        : v.ToJson());
                    overrides.Add($"{quotedPath} = [{string.Join(", ", items)}]");
                    break;
            }
        }
        if (overrides.Count == 0) return config;
        var origin = new ConfigParseOptions { OriginDescription = "masked by actormq config render (--show-secrets shows it)" };
        return ConfigFactory.ParseString(string.Join('\n', overrides), origin).WithFallback(config).Resolve();
    }

    /// <summary>The keys of a path as <see cref="Config.Entries"/> gives it (<c>a."b.c".d</c> → a, b.c, d).</summary>
    private static IEnumerable<string> SplitPath(string path)
    {
        var key = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in path)
        {
            if (c == '"') { quoted = !quoted; continue; }
            if (c == '.' && !quoted) { yield return key.ToString(); key.Clear(); continue; }
            key.Append(c);
        }
        yield return key.ToString();
    }
}
