using ActorMq.Settings;
using System.Text.Json;
using ActorMq.Cli.CommandLine;
using ActorMq.Cli.Demo;
using Akka.Configuration;

namespace ActorMq.Cli.Commands;

/// <summary><c>actormq demo</c>: the order-processing demo against a broker (see <see cref="DemoRun"/>).</summary>
internal sealed class DemoCommand : Command
{
    /// <inheritdoc />
    public override CommandSyntax Syntax { get; } = new(
        "demo",
        "Run the order-processing demo: retries walking the tiers, dead letters, the fix and the replay (about a minute).",
        "demo [--amqp URI] [--config FILE]",
        [
            OptionSpec.Value("--amqp", "URI", "the broker, e.g. amqp://guest:guest@localhost:5672/ (default: actormq.connection.uris of demo.conf)"),
            OptionSpec.Value("--config", "FILE", "HOCON layered over the built-in demo.conf (e.g. other tier delays or more orders)"),
        ],
        []);

    /// <inheritdoc />
    protected override async Task<int> ExecuteAsync(ParsedArguments arguments, CliConsole console, CancellationToken cancellationToken)
    {
        var config = DemoSettings.Embedded();
        if (arguments.Value("--config") is { } file) config = HoconFiles.ParseFile(file).WithFallback(config);
        if (arguments.Value("--amqp") is { } uri)
        {
            if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("amqp" or "amqps"))
                throw new UsageException($"option '--amqp': expected an amqp:// or amqps:// URI, got '{uri}'");
            config = ConfigurationFactory.ParseString($"actormq.connection.uris = [{JsonSerializer.Serialize(uri)}]").WithFallback(config);
        }
        var settings = DemoSettings.Create(config.WithFallback(ActorMqClient.DefaultConfig()));
        return await new DemoRun(config, settings, console).RunAsync(cancellationToken).ConfigureAwait(false);
    }
}
