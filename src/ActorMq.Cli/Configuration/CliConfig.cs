using System.Text.Json;
using ActorMq.Cli.Terminal;
using ActorMq.Settings;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace ActorMq.Cli.Configuration;

/// <summary>
/// Every place the actormq command touches HOCON (Akka's <c>Akka.Configuration</c>, through ActorMq's
/// <see cref="HoconFiles"/>): loading files, layering the demo's settings, parsing a duration, rendering.
/// </summary>
internal static class CliConfig
{
    /// <summary>The file (or <c>./application.conf</c> when null and present) over reference.conf.</summary>
    /// <exception cref="ConfigurationException">The file is missing or not valid HOCON.</exception>
    public static Config Load(string? path)
    {
        if (path is not null) return HoconFiles.Load(path);
        return File.Exists("application.conf") ? HoconFiles.Load("application.conf") : ActorMqClient.DefaultConfig();
    }

    /// <summary>The configuration over reference.conf.</summary>
    public static Config Load(Config config) => config.WithFallback(ActorMqClient.DefaultConfig());

    /// <summary>One HOCON file, without reference.conf (what the admin server is started from).</summary>
    public static Config ParseFile(string path) => HoconFiles.ParseFile(path);

    /// <summary>A duration in HOCON's forms (<c>500ms</c>, <c>30s</c>, <c>2m</c>), or null when <paramref name="text"/> is none.</summary>
    public static TimeSpan? ParseDuration(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return HoconFiles.ParseDuration(text);
    }

    /// <summary>The demo's embedded configuration, with a file layered over it and the broker URI when given.</summary>
    public static Config Demo(Config embedded, string? file, string? amqpUri)
    {
        var config = embedded;
        if (file is not null) config = HoconFiles.ParseFile(file).WithFallback(config);
        if (amqpUri is not null) config = HoconFiles.Parse($"actormq.connection.uris = [{JsonSerializer.Serialize(amqpUri)}]", "--amqp").WithFallback(config);
        return config;
    }

    /// <summary>
    /// The effective configuration of <paramref name="file"/> as HOCON or indented JSON; secrets masked
    /// (<see cref="ConfigSecrets"/>) unless <paramref name="showSecrets"/>.
    /// </summary>
    public static string Render(string file, bool json, bool showSecrets)
    {
        var config = HoconFiles.Load(file);
        if (!showSecrets) config = Masked(config);
        return json
            ? JsonOutput.Render(w => (HoconFiles.ToJson(config) ?? new System.Text.Json.Nodes.JsonObject()).WriteTo(w))
            : config.ToString(includeFallback: true).Trim() + "\n";
    }

    /// <summary>The configuration with every secret value replaced, the rest unchanged.</summary>
    private static Config Masked(Config config) =>
        MaskedValue(config.Root, "") is { } overrides ? HoconFiles.Parse(overrides, "masked by actormq config render").WithFallback(config) : config;

    /// <summary>HOCON for <paramref name="value"/> at <paramref name="path"/> with its secrets masked, or null when it holds none.</summary>
    private static string? MaskedValue(HoconValue value, string path)
    {
        if (value.IsObject())
        {
            var entries = value.GetObject().Items
                .Select(item => (item.Key, Value: MaskedValue(item.Value, path.Length == 0 ? item.Key : $"{path}.{item.Key}")))
                .Where(entry => entry.Value is not null)
                .Select(entry => $"{JsonSerializer.Serialize(entry.Key)} = {entry.Value}")
                .ToList();
            return entries.Count == 0 ? null : "{\n" + string.Join("\n", entries) + "\n}";
        }
        if (HoconFiles.IsList(value))
        {
            var items = value.GetArray().Select(item => item.IsString() ? item.GetString() : null).ToList();
            if (!items.Any(text => text is not null && ConfigSecrets.MaskedValue(path, text, null) is not null)) return null;
            return "[" + string.Join(", ", items.Select(text => JsonSerializer.Serialize(text is null ? null : ConfigSecrets.MaskedValue(path, text, null) ?? text))) + "]";
        }
        var masked = value.IsString() ? ConfigSecrets.MaskedValue(path, value.GetString(), null) : null;
        return masked is null ? null : JsonSerializer.Serialize(masked);
    }
}
