using ActorMq.Cli.CommandLine;
using ActorMq.DeadStore;
using Akka.Configuration;
using ActorMq.Settings;

namespace ActorMq.Cli.Commands;

/// <summary>
/// <c>actormq config check &lt;file&gt;</c>: parses the file over reference.conf and validates every ActorMq setting as a
/// service would at start; an error names the HOCON path, where it was set (file and line) and what was expected.
/// </summary>
internal sealed class ConfigCheckCommand : Command
{
    /// <inheritdoc />
    public override CommandSyntax Syntax { get; } = new(
        "config check",
        "Validate a configuration file as ActorMq does at start (exit 1 with the path, line and expected value on an error).",
        "config check <file>",
        [],
        [new ArgumentSpec("file", "the HOCON file, e.g. application.conf", Required: true)]);

    /// <inheritdoc />
    protected override async Task<int> ExecuteAsync(ParsedArguments arguments, CliConsole console, CancellationToken cancellationToken)
    {
        var file = arguments.Argument("file")!;
        var config = HoconFiles.Load(file);
        var settings = ActorMqSettings.Create(config);
        var store = DeadStoreSettings.Create(config);

        var where = store.Provider == DeadStoreSettings.SqliteProvider ? $"sqlite file {Path.GetFullPath(store.Sqlite.Path)}" : "postgresql";
        await console.Out.WriteLineAsync($"{Path.GetFullPath(file)}: OK").ConfigureAwait(false);
        await console.Out.WriteLineAsync($"  broker     {string.Join(", ", settings.Connection.Endpoints)}").ConfigureAwait(false);
        await console.Out.WriteLineAsync($"  consumers  {(settings.Consumers.Count == 0 ? "none" : string.Join(", ", settings.Consumers.Select(c => $"{c.Name} (queue {c.Queue})")))}")
            .ConfigureAwait(false);
        await console.Out.WriteLineAsync($"  dead store {where}").ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
