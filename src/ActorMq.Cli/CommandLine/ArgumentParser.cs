namespace ActorMq.Cli.CommandLine;

/// <summary>
/// Parses a command's arguments against its <see cref="CommandSyntax"/>: <c>--name value</c> or <c>--name=value</c>,
/// flags without a value, positionals in order, <c>--</c> ending the options, <c>-h</c>/<c>--help</c> anywhere.
/// Every mistake is a <see cref="UsageException"/> naming the option or argument.
/// </summary>
internal static class ArgumentParser
{
    /// <summary>Parses <paramref name="args"/> (the words after the command's name).</summary>
    /// <exception cref="UsageException">Unknown or repeated option, missing or unexpected value, missing or extra argument.</exception>
    public static ParsedArguments Parse(CommandSyntax syntax, IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var positionals = new List<string>();
        var help = false;
        var optionsEnded = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (optionsEnded || arg.Length < 2 || arg[0] != '-')
            {
                positionals.Add(arg);
                continue;
            }
            if (arg == "--")
            {
                optionsEnded = true;
                continue;
            }
            if (arg is "-h" or "--help")
            {
                help = true;
                continue;
            }
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals > 0 ? arg[..equals] : arg;
            var option = syntax.Find(name) ?? throw new UsageException(
                $"unknown option '{name}'" + (syntax.Options.Count == 0 ? " (this command takes none)" : $" (known: {string.Join(", ", syntax.Options.Select(o => o.Name))})"));
            if (values.ContainsKey(option.Name)) throw new UsageException($"option '{option.Name}' is given twice");
            if (option.IsFlag)
            {
                if (equals > 0) throw new UsageException($"option '{option.Name}' takes no value");
                values[option.Name] = null;
                continue;
            }
            string value;
            if (equals > 0) value = arg[(equals + 1)..];
            else if (i + 1 < args.Count && !(args[i + 1].StartsWith("--", StringComparison.Ordinal) && syntax.Find(args[i + 1].Split('=')[0]) is not null) && args[i + 1] != "--")
                value = args[++i];
            else throw new UsageException($"option '{option.Name}' needs a value ({option.ValueName})");
            values[option.Name] = value;
        }
        if (help) return new ParsedArguments(syntax, values, [], HelpRequested: true);
        if (positionals.Count > syntax.Arguments.Count)
            throw new UsageException($"unexpected argument '{positionals[syntax.Arguments.Count]}'");
        for (var i = positionals.Count; i < syntax.Arguments.Count; i++)
        {
            if (syntax.Arguments[i].Required) throw new UsageException($"missing argument <{syntax.Arguments[i].Name}>");
        }
        return new ParsedArguments(syntax, values, positionals, HelpRequested: false);
    }
}
