using System.Net.Sockets;
using ActorMq.Settings;
using RabbitMQ.Client;

namespace ActorMq.Connection;

/// <summary>Opens the publishing and consuming connections to one endpoint (a seam for tests of the reconnect logic).</summary>
internal interface IBrokerConnector
{
    Task<(IConnection Publish, IConnection Consume)> ConnectAsync(ConnectionSettings settings, BrokerEndpoint endpoint);

    /// <summary>True when <paramref name="endpoint"/> accepts a TCP connection within <paramref name="timeout"/>: cheap for a broker that is down.</summary>
    Task<bool> ProbeAsync(BrokerEndpoint endpoint, TimeSpan timeout);
}

/// <summary>The real connector: two RabbitMQ.Client connections, the client's own recovery off.</summary>
internal sealed class BrokerConnector : IBrokerConnector
{
    public static BrokerConnector Instance { get; } = new();

    public async Task<(IConnection Publish, IConnection Consume)> ConnectAsync(ConnectionSettings settings, BrokerEndpoint endpoint)
    {
        var publish = await ConnectionFactories.Create(settings, endpoint, "publish").CreateConnectionAsync().ConfigureAwait(false);
        try
        {
            var consume = await ConnectionFactories.Create(settings, endpoint, "consume").CreateConnectionAsync().ConfigureAwait(false);
            return (publish, consume);
        }
        catch
        {
            await publish.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task<bool> ProbeAsync(BrokerEndpoint endpoint, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endpoint.Host, endpoint.Port, cancel.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
