using System.CommandLine;
using ActorMq.Cli.Configuration;
using ActorMq.Cli.Terminal;
using ActorMq.DeadStore;
using ActorMq.Settings;

namespace ActorMq.Cli.Commands;

/// <summary>
/// <c>actormq config check &lt;file&gt;</c>: parses the file over reference.conf and validates every ActorMq setting as a
/// service would at start; an error names the HOCON path, where it was set (file and line) and what was expected.
/// </summary>
internal static class ConfigCheckCommand
{
    public static Command Create(CliConsole console)
    {
        var file = CliOptions.File("file", "the HOCON file, e.g. application.conf");
        return CliCommand.Create("check", "Validate a configuration file as ActorMq does at start (exit 1 with the path, line and expected value on an error).",
            console, async (parsed, _) =>
            {
                var path = parsed.GetValue(file)!;
                var config = CliConfig.Load(path);
                var settings = ActorMqSettings.Create(config);
                var store = DeadStoreSettings.Create(config);

                var where = store.Provider == DeadStoreSettings.SqliteProvider ? $"sqlite file {Path.GetFullPath(store.Sqlite.Path)}" : "postgresql";
                await console.Out.WriteLineAsync($"{Path.GetFullPath(path)}: OK").ConfigureAwait(false);
                await console.Out.WriteLineAsync($"  broker     {string.Join(", ", settings.Connection.Endpoints)}").ConfigureAwait(false);
                await console.Out.WriteLineAsync($"  consumers  {(settings.Consumers.Count == 0 ? "none" : string.Join(", ", settings.Consumers.Select(c => $"{c.Name} (queue {c.Queue})")))}")
                    .ConfigureAwait(false);
                await console.Out.WriteLineAsync($"  dead store {where}").ConfigureAwait(false);
                return ExitCodes.Ok;
            }, file);
    }
}
