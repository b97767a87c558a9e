using System.Globalization;
using ActorMq.TestKit.Broker;
using Xunit;

namespace ActorMq.Hosting.Tests;

/// <summary>
/// The xunit v3 class fixture of this project: a virtual host of its own on the shared test broker (the one
/// <c>./build.sh test</c> starts, found through <c>ACTORMQ_TEST_AMQP_URI</c>; see <see cref="RabbitMqNode.SharedAsync"/>),
/// created before the first test and deleted after the last, and the broker fault helpers.
/// </summary>
public sealed class BrokerFixture : IAsyncLifetime
{
    private RabbitMqNode? _node;

    /// <summary>The broker node.</summary>
    public RabbitMqNode Node => _node ?? throw new InvalidOperationException("The fixture is not initialized yet.");

    /// <summary>This fixture's virtual host.</summary>
    public string VirtualHost { get; } = "hosting-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The AMQP URI of <see cref="VirtualHost"/> (user guest).</summary>
    public Uri AmqpUri => new UriBuilder(Node.AmqpUri) { Path = "/" + Uri.EscapeDataString(VirtualHost) }.Uri;

    public async ValueTask InitializeAsync()
    {
        _node = await RabbitMqNode.SharedAsync();
        await _node.CtlAsync(["add_vhost", VirtualHost]);
        await _node.CtlAsync(["set_permissions", "-p", VirtualHost, "guest", ".*", ".*", ".*"]);
    }

    public async ValueTask DisposeAsync()
    {
        if (_node is null) return;
        try
        {
            await _node.CtlAsync(["delete_vhost", VirtualHost]);
        }
        catch (InvalidOperationException)
        {
            // A failed fault test may have left the broker stopped; the vhost dies with the node.
        }
    }

    /// <summary>Stops the broker application: every connection drops and new ones are refused.</summary>
    public Task StopBrokerAsync() => Node.StopAppAsync();

    /// <summary>Starts the broker application again and waits until it accepts connections.</summary>
    public Task StartBrokerAsync() => Node.StartAppAsync();

    /// <summary>The number of ready messages in a queue of this virtual host, or null when it does not exist.</summary>
    public async Task<long?> CountMessagesAsync(string queue)
    {
        var output = await Node.CtlAsync(["list_queues", "-p", VirtualHost, "--no-table-headers", "name", "messages"]);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split('\t');
            if (parts.Length == 2 && parts[0] == queue && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
                return n;
        }
        return null;
    }
}

/// <summary>Tests that stop the shared broker node: xunit runs this collection alone, so no other class sees the outage.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrokerFaultsCollection
{
    public const string Name = "broker faults";
}
