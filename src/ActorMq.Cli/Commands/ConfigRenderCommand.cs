using System.CommandLine;
using ActorMq.Cli.Configuration;
using ActorMq.Cli.Terminal;

namespace ActorMq.Cli.Commands;

/// <summary>
/// <c>actormq config render &lt;file&gt;</c>: the effective configuration (the file over reference.conf, resolved) as
/// HOCON with origins, or JSON; secrets masked (<see cref="ConfigSecrets"/>) unless <c>--show-secrets</c>.
/// </summary>
internal static class ConfigRenderCommand
{
    public static Command Create(CliConsole console)
    {
        var file = CliOptions.File("file", "the HOCON file, e.g. application.conf");
        var origins = CliOptions.Flag("--origins", "precede every setting with a '# file:line' comment saying where its value was defined");
        var json = CliOptions.Flag("--json", "JSON instead of HOCON (cannot carry --origins)");
        var showSecrets = CliOptions.Flag("--show-secrets",
            "print passwords, API keys, connection-string and URI passwords and values from environment variables in clear (masked as *** otherwise)");
        return CliCommand.Create("render", "Print the effective configuration: the file over reference.conf, substitutions and environment variables resolved, secrets masked.",
            console, async (parsed, _) =>
            {
                if (parsed.GetValue(json) && parsed.GetValue(origins))
                    throw new UsageException("options '--json' and '--origins' cannot be combined (JSON has no comments)");
                var text = CliConfig.Render(parsed.GetValue(file)!, parsed.GetValue(json), parsed.GetValue(origins), parsed.GetValue(showSecrets));
                await console.Out.WriteAsync(text).ConfigureAwait(false);
                return ExitCodes.Ok;
            }, file, origins, json, showSecrets);
    }
}
