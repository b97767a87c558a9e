using ActorMq.Settings;
using System.Globalization;
using Akka.Configuration;

namespace ActorMq.Cli.CommandLine;

/// <summary>A parsed command line, with typed readers whose errors name the option.</summary>
/// <param name="Syntax">The syntax it was parsed against.</param>
/// <param name="Values">The options given, by name (flags map to null).</param>
/// <param name="Positionals">The positional arguments, in order.</param>
/// <param name="HelpRequested">True when <c>-h</c> or <c>--help</c> was given.</param>
internal sealed record ParsedArguments(CommandSyntax Syntax, IReadOnlyDictionary<string, string?> Values, IReadOnlyList<string> Positionals, bool HelpRequested)
{
    /// <summary>True when the option (flag or valued) was given.</summary>
    public bool Has(string option) => Values.ContainsKey(Known(option));

    /// <summary>The option's value, or null when it was not given.</summary>
    public string? Value(string option) => Values.TryGetValue(Known(option), out var value) ? value : null;

    /// <summary>The positional argument named <paramref name="name"/>, or null when it was not given.</summary>
    public string? Argument(string name)
    {
        var index = Syntax.Arguments.ToList().FindIndex(a => a.Name == name);
        if (index < 0) throw new ArgumentException($"the command has no argument <{name}>", nameof(name));
        return index < Positionals.Count ? Positionals[index] : null;
    }

    /// <summary>The option's value as an integer of at least <paramref name="minimum"/>, or null when it was not given.</summary>
    public int? Int(string option, int minimum)
    {
        var text = Value(option);
        if (text is null) return null;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum
            ? value
            : throw new UsageException($"option '{option}': expected an integer >= {minimum}, got '{text}'");
    }

    /// <summary>The option's value as a HOCON duration (<c>30s</c>, <c>2m</c>, <c>500ms</c>), or null when it was not given.</summary>
    public TimeSpan? Duration(string option)
    {
        var text = Value(option);
        if (text is null) return null;
        var duration = Settings.HoconFiles.ParseDuration(text)
            ?? throw new UsageException($"option '{option}': expected a duration such as 500ms, 30s or 2m, got '{text}'");
        return duration > TimeSpan.Zero ? duration : throw new UsageException($"option '{option}': expected a duration > 0, got '{text}'");
    }

    /// <summary>The positional argument <paramref name="name"/> as a dead-letter id (an integer >= 1), or null when it was not given.</summary>
    public long? Id(string name)
    {
        var text = Argument(name);
        if (text is null) return null;
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id >= 1
            ? id
            : throw new UsageException($"<{name}>: expected a dead-letter id (an integer >= 1), got '{text}'");
    }

    private string Known(string option) =>
        Syntax.Find(option)?.Name ?? throw new ArgumentException($"the command has no option {option}", nameof(option));
}
