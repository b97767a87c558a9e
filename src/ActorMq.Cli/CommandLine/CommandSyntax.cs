using System.Text;

namespace ActorMq.Cli.CommandLine;

/// <summary>One option of a command: a flag (<see cref="ValueName"/> null) or an option taking a value.</summary>
/// <param name="Name">The option with its dashes, e.g. <c>--queue</c>.</param>
/// <param name="ValueName">What the value is, e.g. <c>QUEUE</c>; null for a flag.</param>
/// <param name="Description">One line of help.</param>
internal sealed record OptionSpec(string Name, string? ValueName, string Description)
{
    /// <summary>True when the option takes no value.</summary>
    public bool IsFlag => ValueName is null;

    /// <summary>A flag.</summary>
    public static OptionSpec Flag(string name, string description) => new(name, null, description);

    /// <summary>An option with a value.</summary>
    public static OptionSpec Value(string name, string valueName, string description) => new(name, valueName, description);
}

/// <summary>A positional argument.</summary>
/// <param name="Name">Its name in the usage, e.g. <c>id</c>.</param>
/// <param name="Description">One line of help.</param>
/// <param name="Required">Whether the command line must give it.</param>
internal sealed record ArgumentSpec(string Name, string Description, bool Required);

/// <summary>A command's name, usage line, options and arguments: what the parser accepts and what <c>--help</c> prints.</summary>
/// <param name="Name">The command words after <c>actormq</c>, e.g. <c>dead-letters list</c>.</param>
/// <param name="Summary">One line saying what the command does.</param>
/// <param name="Usage">The usage line after <c>actormq</c>, e.g. <c>dead-letters show &lt;id&gt; [--json]</c>.</param>
/// <param name="Options">The options it accepts (besides <c>--help</c>).</param>
/// <param name="Arguments">Its positional arguments, in order.</param>
internal sealed record CommandSyntax(string Name, string Summary, string Usage, IReadOnlyList<OptionSpec> Options, IReadOnlyList<ArgumentSpec> Arguments)
{
    /// <summary>The option named <paramref name="name"/>, or null.</summary>
    public OptionSpec? Find(string name) => Options.FirstOrDefault(o => o.Name == name);

    /// <summary>The text <c>--help</c> prints.</summary>
    public string Help()
    {
        var text = new StringBuilder();
        text.Append("usage: actormq ").AppendLine(Usage).AppendLine().AppendLine(Summary);
        var rows = Arguments.Select(a => ($"<{a.Name}>", a.Description))
            .Concat(Options.Select(o => (o.IsFlag ? o.Name : $"{o.Name} {o.ValueName}", o.Description)))
            .Append(("-h, --help", "show this help"))
            .ToList();
        var width = rows.Max(r => r.Item1.Length);
        text.AppendLine();
        foreach (var (left, description) in rows) text.Append("  ").Append(left.PadRight(width)).Append("  ").AppendLine(description);
        return text.ToString();
    }
}
