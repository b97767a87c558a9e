using ActorMq.Settings;
using ActorMq.Admin;
using Akka.Configuration;

namespace ActorMq.Cli.Commands;

/// <summary>
/// <c>actormq admin --config &lt;file&gt; [--urls &lt;urls&gt;]</c>: serves the admin page on its own — ActorMq started from
/// the HOCON file without consumers (it publishes replays, consumes nothing), the page at <c>/</c> of
/// <c>--urls</c> (default <c>http://127.0.0.1:5080</c>) — until Ctrl-C.
/// </summary>
internal static class AdminCommand
{
    /// <summary>The usage text.</summary>
    public const string Usage = """
        Usage: actormq admin --config <file> [--urls <urls>]

        Serves the ActorMq admin page (overview, dead letters, replay) until Ctrl-C.

          --config <file>   the application's HOCON file (actormq.connection, consumers, dead-store, admin)
          --urls <urls>     where to listen, ';'-separated (default http://127.0.0.1:5080). Anything beyond
                            loopback needs actormq.admin.api-key or actormq.admin.basic-auth in the config.
        """;

    /// <summary>Runs the command; returns the process exit code (0 stopped normally, 1 failed, 2 bad usage or configuration).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        string? configPath = null;
        var urls = ActorMqAdminServer.DefaultUrls;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "-h" or "--help":
                    await output.WriteLineAsync(Usage).ConfigureAwait(false);
                    return 0;
                case "--config" or "--urls" when i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal):
                    return await FailAsync(output, $"{args[i]} needs a value").ConfigureAwait(false);
                case "--config":
                    configPath = args[++i];
                    break;
                case "--urls":
                    urls = args[++i];
                    break;
                default:
                    return await FailAsync(output, $"unknown argument '{args[i]}'").ConfigureAwait(false);
            }
        }
        if (configPath is null) return await FailAsync(output, "--config <file> is required").ConfigureAwait(false);
        if (!File.Exists(configPath)) return await FailAsync(output, $"configuration file '{configPath}' does not exist").ConfigureAwait(false);

        ActorMqAdminServer server;
        try
        {
            server = await ActorMqAdminServer.StartAsync(HoconFiles.ParseFile(configPath), urls, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (ConfigurationException e)
        {
            await output.WriteLineAsync($"actormq admin: configuration error: {e.Message}").ConfigureAwait(false);
            return 2;
        }
        catch (IOException e)
        {
            await output.WriteLineAsync($"actormq admin: cannot listen on {urls}: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        await using (server.ConfigureAwait(false))
        {
            await output.WriteLineAsync($"ActorMq admin page on {string.Join(", ", server.Addresses)} (Ctrl-C to stop)").ConfigureAwait(false);
            try
            {
                await server.WaitForShutdownAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // stopped by the caller
            }
        }
        return 0;
    }

    private static async Task<int> FailAsync(TextWriter output, string message)
    {
        await output.WriteLineAsync($"actormq admin: {message}").ConfigureAwait(false);
        await output.WriteLineAsync(Usage).ConfigureAwait(false);
        return 2;
    }
}
