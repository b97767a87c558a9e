using System.CommandLine;
using ActorMq.Admin;
using ActorMq.Cli.Configuration;
using ActorMq.Cli.Terminal;
using Akka.Configuration;

namespace ActorMq.Cli.Commands;

/// <summary>
/// <c>actormq admin --config &lt;file&gt; [--urls &lt;urls&gt;]</c>: serves the admin page on its own — ActorMq started from
/// the HOCON file without consumers (it publishes replays, consumes nothing), the page at <c>/</c> of
/// <c>--urls</c> (default <c>http://127.0.0.1:5080</c>) — until Ctrl-C. Exit codes: 0 stopped normally, 1 failed
/// (a bad configuration — listening beyond loopback without credentials included — or cannot listen), 2 bad usage.
/// </summary>
internal static class AdminCommand
{
    public static Command Create(CliConsole console)
    {
        var config = CliOptions.Text("--config", "FILE", "the application's HOCON file (actormq.connection, consumers, dead-store, admin)");
        config.Required = true;
        var urls = CliOptions.Text("--urls", "URLS",
            $"where to listen, ';'-separated (default {ActorMqAdminServer.DefaultUrls}); beyond loopback needs actormq.admin.api-key or actormq.admin.basic-auth");
        return CliCommand.Create("admin", "Serve the ActorMq admin page (overview, dead letters, replay) until Ctrl-C.", console, async (parsed, ct) =>
        {
            var path = parsed.GetValue(config)!;
            var listen = parsed.GetValue(urls) ?? ActorMqAdminServer.DefaultUrls;
            if (!File.Exists(path)) throw new UsageException($"configuration file '{path}' does not exist");
            ActorMqAdminServer server;
            try
            {
                server = await ActorMqAdminServer.StartAsync(CliConfig.ParseFile(path), listen, cancellationToken: ct).ConfigureAwait(false);
            }
            catch (ConfigurationException e)
            {
                // A bad configuration is a failure (exit 1), as for every other command; 2 is for the command line itself.
                throw new CommandFailedException($"configuration error: {e.Message}");
            }
            catch (IOException e)
            {
                throw new CommandFailedException($"cannot listen on {listen}: {e.Message}");
            }
            await using (server.ConfigureAwait(false))
            {
                await console.Out.WriteLineAsync($"ActorMq admin page on {string.Join(", ", server.Addresses)} (Ctrl-C to stop)").ConfigureAwait(false);
                await console.Out.FlushAsync(ct).ConfigureAwait(false);
                try
                {
                    await server.WaitForShutdownAsync(ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    // stopped by Ctrl-C
                }
            }
            return ExitCodes.Ok;
        }, config, urls);
    }
}
