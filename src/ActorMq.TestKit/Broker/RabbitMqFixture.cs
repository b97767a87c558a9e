using System.Globalization;
using RabbitMQ.Client;
using Xunit;

namespace ActorMq.TestKit.Broker;

/// <summary>
/// An xunit class fixture (<c>IClassFixture&lt;RabbitMqFixture&gt;</c>) giving a test class its own
/// virtual host on the shared test broker (<see cref="RabbitMqNode.SharedAsync"/>), so test classes
/// running in parallel cannot see each other's exchanges and queues. The virtual host is created
/// through <c>rabbitmqctl</c> before the first test and deleted after the last.
/// </summary>
/// <remarks>
/// The fault helpers (<see cref="StopBrokerAsync"/>, <see cref="RestartBrokerAsync"/>,
/// <see cref="SetMemoryHighWatermarkAsync"/>) act on the whole node: tests that use them belong in an
/// xunit collection with <c>DisableParallelization = true</c> so they do not disturb other classes.
/// </remarks>
public class RabbitMqFixture : IAsyncLifetime
{
    private RabbitMqNode? _node;

    /// <summary>The broker node (available after <see cref="InitializeAsync"/>).</summary>
    public RabbitMqNode Node => _node ?? throw new InvalidOperationException("The fixture is not initialized yet.");

    /// <summary>This fixture's virtual host, e.g. <c>test-3f2a9c1b</c>.</summary>
    public string VirtualHost { get; } = "test-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The AMQP URI of <see cref="VirtualHost"/> (user <c>guest</c>).</summary>
    public Uri AmqpUri => new UriBuilder(Node.AmqpUri) { Path = "/" + Uri.EscapeDataString(VirtualHost) }.Uri;

    /// <summary>Starts (or attaches to) the broker and creates the virtual host.</summary>
    public virtual async Task InitializeAsync()
    {
        _node = await RabbitMqNode.SharedAsync().ConfigureAwait(false);
        await _node.CtlAsync(["add_vhost", VirtualHost]).ConfigureAwait(false);
        await _node.CtlAsync(["set_permissions", "-p", VirtualHost, "guest", ".*", ".*", ".*"]).ConfigureAwait(false);
    }

    /// <summary>Deletes the virtual host with everything in it.</summary>
    public virtual async Task DisposeAsync()
    {
        if (_node is null) return;
        try
        {
            await _node.CtlAsync(["delete_vhost", VirtualHost]).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // The broker may be stopped by a failed fault test; the vhost dies with the node.
        }
    }

    /// <summary>
    /// A connection factory for <see cref="VirtualHost"/> with RabbitMQ.Client's own recovery
    /// switched off (tests decide when to reconnect).
    /// </summary>
    public ConnectionFactory CreateConnectionFactory(string? clientProvidedName = null) => new()
    {
        Uri = AmqpUri,
        AutomaticRecoveryEnabled = false,
        TopologyRecoveryEnabled = false,
        ClientProvidedName = clientProvidedName ?? "actormq-test",
        RequestedConnectionTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>Runs <c>rabbitmqctl</c> with the given arguments against the test node.</summary>
    public Task<string> RabbitMqCtlAsync(params string[] arguments) => Node.CtlAsync(arguments);

    /// <summary>Stops the broker application: every connection drops and new ones are refused.</summary>
    public Task StopBrokerAsync() => Node.StopAppAsync();

    /// <summary>Starts the broker application again and waits until it accepts connections.</summary>
    public Task StartBrokerAsync() => Node.StartAppAsync();

    /// <summary>Stops the broker, keeps it down for <paramref name="downtime"/>, and starts it again.</summary>
    public async Task RestartBrokerAsync(TimeSpan? downtime = null)
    {
        await StopBrokerAsync().ConfigureAwait(false);
        if (downtime is { } d && d > TimeSpan.Zero) await Task.Delay(d).ConfigureAwait(false);
        await StartBrokerAsync().ConfigureAwait(false);
    }

    /// <summary>Closes every client connection to this fixture's virtual host (the broker stays up).</summary>
    public Task CloseAllConnectionsAsync(string reason = "closed by the test fixture") =>
        Node.CtlAsync(["close_all_connections", "-p", VirtualHost, reason]);

    /// <summary>
    /// Sets the memory high watermark as a fraction of RAM. A tiny value (e.g. <c>0.0000001</c>) raises the
    /// memory alarm and blocks publishers; <c>0.4</c> is the broker's default.
    /// </summary>
    public Task SetMemoryHighWatermarkAsync(double fraction) =>
        Node.CtlAsync(["set_vm_memory_high_watermark", fraction.ToString("0.##########", CultureInfo.InvariantCulture)]);

    /// <summary>Deletes a queue in this fixture's virtual host, under any consumers it has.</summary>
    public Task DeleteQueueAsync(string queue) =>
        Node.CtlAsync(["delete_queue", "-p", VirtualHost, queue]);

    /// <summary>
    /// The number of messages in a queue of this virtual host — ready plus unacknowledged (delivered, not yet acked) —, or
    /// null when it does not exist.
    /// </summary>
    public async Task<long?> CountMessagesAsync(string queue)
    {
        var output = await Node.CtlAsync(["list_queues", "-p", VirtualHost, "--no-table-headers", "name", "messages"]).ConfigureAwait(false);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split('\t');
            if (parts.Length == 2 && parts[0] == queue && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
                return n;
        }
        return null;
    }
}
