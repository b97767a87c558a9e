using ActorMq.Settings;
using ActorMq.Cli.CommandLine;
using ActorMq.Cli.Output;
using Akka.Configuration;

namespace ActorMq.Cli.Commands;

/// <summary><c>actormq config render &lt;file&gt;</c>: the effective configuration (the file over reference.conf, resolved) as HOCON or JSON.</summary>
internal sealed class ConfigRenderCommand : Command
{
    /// <inheritdoc />
    public override CommandSyntax Syntax { get; } = new(
        "config render",
        "Print the effective configuration: the file over reference.conf, substitutions and environment variables resolved.",
        "config render [--json] <file>",
        [
            OptionSpec.Flag("--json", "JSON instead of HOCON"),
        ],
        [new ArgumentSpec("file", "the HOCON file, e.g. application.conf", Required: true)]);

    /// <inheritdoc />
    protected override async Task<int> ExecuteAsync(ParsedArguments arguments, CliConsole console, CancellationToken cancellationToken)
    {
        var config = HoconFiles.Load(arguments.Argument("file")!);
        var text = arguments.Has("--json")
            ? JsonOutput.Render(w => (HoconFiles.ToJson(config) ?? new System.Text.Json.Nodes.JsonObject()).WriteTo(w)) + "\n"
            : config.ToString(includeFallback: true).Trim() + "\n";
        await console.Out.WriteAsync(text).ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
