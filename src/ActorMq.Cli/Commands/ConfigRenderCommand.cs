using System.Text.Json;
using ActorMq.Cli.CommandLine;
using ActorMq.Cli.Output;
using ActorMq.Hocon;

namespace ActorMq.Cli.Commands;

/// <summary><c>actormq config render &lt;file&gt;</c>: the effective configuration (the file over reference.conf, resolved) as HOCON with origins, or JSON.</summary>
internal sealed class ConfigRenderCommand : Command
{
    /// <inheritdoc />
    public override CommandSyntax Syntax { get; } = new(
        "config render",
        "Print the effective configuration: the file over reference.conf, substitutions and environment variables resolved.",
        "config render [--json] [--origins] <file>",
        [
            OptionSpec.Flag("--origins", "precede every setting with a '# file:line' comment saying where its value was defined"),
            OptionSpec.Flag("--json", "JSON instead of HOCON (cannot carry --origins)"),
        ],
        [new ArgumentSpec("file", "the HOCON file, e.g. application.conf", Required: true)]);

    /// <inheritdoc />
    protected override async Task<int> ExecuteAsync(ParsedArguments arguments, CliConsole console, CancellationToken cancellationToken)
    {
        if (arguments.Has("--json") && arguments.Has("--origins"))
            throw new UsageException("options '--json' and '--origins' cannot be combined (JSON has no comments)");
        var config = ConfigFactory.Load(arguments.Argument("file")!);
        var text = arguments.Has("--json") ? Indent(config.ToJson()) : config.ToHocon(arguments.Has("--origins"));
        await console.Out.WriteAsync(text).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static string Indent(string json)
    {
        using var document = JsonDocument.Parse(json);
        return JsonOutput.Render(document.RootElement.WriteTo);
    }
}
