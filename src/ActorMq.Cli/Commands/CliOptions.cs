using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using ActorMq.Cli.Configuration;

namespace ActorMq.Cli.Commands;

/// <summary>Options and arguments whose values are checked while parsing, so a bad value is a usage error (exit 2) naming the option.</summary>
internal static class CliOptions
{
    /// <summary>A flag (no value).</summary>
    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    /// <summary>An option with a text value.</summary>
    public static Option<string?> Text(string name, string valueName, string description) =>
        new(name) { Description = description, HelpName = valueName };

    /// <summary>An integer option of at least <paramref name="minimum"/>.</summary>
    public static Option<int?> Int(string name, string valueName, string description, int minimum) => new(name)
    {
        Description = description,
        HelpName = valueName,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum) return value;
            result.AddError($"option '{name}': expected an integer >= {minimum}, got '{text}'");
            return null;
        },
    };

    /// <summary>A duration option (<c>500ms</c>, <c>30s</c>, <c>2m</c>), greater than zero.</summary>
    public static Option<TimeSpan?> Duration(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "DURATION",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            var duration = CliConfig.ParseDuration(text);
            if (duration is { } d && d > TimeSpan.Zero) return d;
            result.AddError(duration is null
                ? $"option '{name}': expected a duration such as 500ms, 30s or 2m, got '{text}'"
                : $"option '{name}': expected a duration > 0, got '{text}'");
            return null;
        },
    };

    /// <summary>The positional dead-letter id (an integer >= 1).</summary>
    public static Argument<long?> Id(string description, bool required) => new("id")
    {
        Description = description,
        Arity = required ? ArgumentArity.ExactlyOne : ArgumentArity.ZeroOrOne,
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0) return null;
            var text = result.Tokens[0].Value;
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id >= 1) return id;
            result.AddError($"<id>: expected a dead-letter id (an integer >= 1), got '{text}'");
            return null;
        },
    };

    /// <summary>A positional file argument.</summary>
    public static Argument<string> File(string name, string description) => new(name) { Description = description, Arity = ArgumentArity.ExactlyOne };
}
