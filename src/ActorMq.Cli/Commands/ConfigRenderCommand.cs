using System.CommandLine;
using ActorMq.Cli.Configuration;
using ActorMq.Cli.Terminal;

namespace ActorMq.Cli.Commands;

/// <summary>
/// <c>actormq config render &lt;file&gt;</c>: the effective configuration (the file over reference.conf, resolved) as
/// HOCON or JSON; secrets masked (<see cref="ConfigSecrets"/>) unless <c>--show-secrets</c>.
/// </summary>
internal static class ConfigRenderCommand
{
    public static Command Create(CliConsole console)
    {
        var file = CliOptions.File("file", "the HOCON file, e.g. application.conf");
        var json = CliOptions.Flag("--json", "JSON instead of HOCON");
        var showSecrets = CliOptions.Flag("--show-secrets",
            "print passwords, API keys, connection-string and URI passwords in clear (masked as *** otherwise)");
        return CliCommand.Create("render", "Print the effective configuration: the file over reference.conf, substitutions resolved, secrets masked.",
            console, async (parsed, _) =>
            {
                var text = CliConfig.Render(parsed.GetValue(file)!, parsed.GetValue(json), parsed.GetValue(showSecrets));
                await console.Out.WriteAsync(text).ConfigureAwait(false);
                return ExitCodes.Ok;
            }, file, json, showSecrets);
    }
}
