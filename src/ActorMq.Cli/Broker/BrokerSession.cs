using Akka.Actor;
using Akka.Hosting.Logging;
using ActorMq.Cli.Commands;
using ActorMq.Cli.Terminal;
using Akka.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace ActorMq.Cli.Broker;

/// <summary>
/// An actor system with ActorMq started in it, connected to the broker: what <c>dead-letters replay</c> and the demo
/// run in. Disposing it stops ActorMq (drain, flush, close) and terminates the system.
/// </summary>
internal sealed class BrokerSession : IAsyncDisposable
{
    private readonly ILoggerFactory _loggerFactory;

    private BrokerSession(ActorSystem system, ActorMqClient client, ILoggerFactory loggerFactory)
    {
        System = system;
        Client = client;
        _loggerFactory = loggerFactory;
    }

    /// <summary>The actor system.</summary>
    public ActorSystem System { get; }

    /// <summary>ActorMq, connected.</summary>
    public ActorMqClient Client { get; }

    /// <summary>
    /// Creates the system from <paramref name="config"/> (over reference.conf), starts ActorMq configured by
    /// <paramref name="configure"/>, and waits until it is connected and consuming; logs of <paramref name="minimumLevel"/>
    /// and above go to standard error (Microsoft.Extensions.Logging's console logger, one line each, coloured only when
    /// <paramref name="console"/> allows it).
    /// </summary>
    /// <exception cref="CommandFailedException">The broker was not reachable within <paramref name="connectTimeout"/>.</exception>
    public static async Task<BrokerSession> StartAsync(Config config, Action<ActorMqBuilder> configure, TimeSpan connectTimeout,
        CliConsole console, LogLevel minimumLevel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        var loggerFactory = LoggerFactory.Create(b => b
            .SetMinimumLevel(minimumLevel)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.ColorBehavior = console.Colour(console.IsErrorTerminal) ? LoggerColorBehavior.Enabled : LoggerColorBehavior.Disabled;
            }));
        // Akka's log events (ActorMq's included) go to that logger factory through Akka.Hosting's bridge.
        var logging = ConfigurationFactory.ParseString("akka.loggers = [\"Akka.Hosting.Logging.LoggerFactoryLogger, Akka.Hosting\"]\nakka.stdout-loglevel = off");
        var system = ActorSystem.Create("actormq-cli", BootstrapSetup.Create().WithConfig(logging.WithFallback(config)).And(new LoggerFactorySetup(loggerFactory)));
        ActorMqClient? client = null;
        try
        {
            client = await ActorMqClient.StartAsync(system, configure: configure, cancellationToken: cancellationToken).ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(connectTimeout);
            try
            {
                await client.WaitUntilReadyAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                var link = await client.GetLinkStateAsync(CancellationToken.None).ConfigureAwait(false);
                throw new CommandFailedException(
                    $"the broker at {string.Join(", ", client.Settings.Connection.Endpoints)} was not reachable within " +
                    $"{connectTimeout.TotalSeconds:0.#}s (link {link.State}{(link.Reason is null ? "" : $": {link.Reason}")})");
            }
            return new BrokerSession(system, client, loggerFactory);
        }
        catch
        {
            if (client is not null) await client.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await system.Terminate().ConfigureAwait(false);
            loggerFactory.Dispose();
            throw;
        }
    }

    /// <summary>Stops ActorMq and terminates the system.</summary>
    public async ValueTask DisposeAsync()
    {
        await Client.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await System.Terminate().ConfigureAwait(false);
        _loggerFactory.Dispose();
    }
}
