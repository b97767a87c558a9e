using ActorMq.Connection;
using RabbitMQ.Client;

namespace ActorMq.Benchmarks.Throughput;

/// <summary>
/// The broker for one benchmark run: a connection for the raw peer and for setup/cleanup, fresh uniquely named queues,
/// and deletion of every queue and exchange the run created when it is disposed.
/// </summary>
public sealed class BenchmarkBroker : IAsyncDisposable
{
    private readonly string _runId = Guid.NewGuid().ToString("N")[..8];
    private readonly List<string> _queues = [];
    private readonly List<string> _exchanges = [];

    private BenchmarkBroker(BrokerEndpoint endpoint, ThroughputOptions options, IConnection connection)
    {
        Endpoint = endpoint;
        Options = options;
        Connection = connection;
        Body = new byte[options.BodySize];
        new Random(256).NextBytes(Body);
    }

    /// <summary>The broker's endpoint (host, port, credentials, vhost).</summary>
    public BrokerEndpoint Endpoint { get; }

    /// <summary>The workload.</summary>
    public ThroughputOptions Options { get; }

    /// <summary>A plain RabbitMQ.Client connection.</summary>
    public IConnection Connection { get; }

    /// <summary>The message body every side sends (<see cref="ThroughputOptions.BodySize"/> bytes).</summary>
    public byte[] Body { get; }

    /// <summary>Connects to <paramref name="amqpUri"/>.</summary>
    public static async Task<BenchmarkBroker> ConnectAsync(string amqpUri, ThroughputOptions options)
    {
        var endpoint = BrokerEndpoint.TryParse(amqpUri, out var problem)
            ?? throw new ArgumentException($"ACTORMQ_TEST_AMQP_URI '{UriMasker.MaskUri(amqpUri)}' {problem}");
        var connection = await CreateFactory(endpoint, "actormq-bench-raw").CreateConnectionAsync().ConfigureAwait(false);
        return new BenchmarkBroker(endpoint, options, connection);
    }

    /// <summary>A connection factory for this broker (client recovery off, as in ActorMq).</summary>
    public static ConnectionFactory CreateFactory(BrokerEndpoint endpoint, string name) => new()
    {
        HostName = endpoint.Host,
        Port = endpoint.Port,
        UserName = endpoint.UserName ?? "guest",
        Password = endpoint.Password ?? "guest",
        VirtualHost = endpoint.VirtualHost ?? "/",
        ClientProvidedName = name,
        AutomaticRecoveryEnabled = false,
        TopologyRecoveryEnabled = false,
    };

    /// <summary>A fresh queue name for this run, deleted on dispose (the queue itself is declared by whoever uses it).</summary>
    public string NewQueueName(string purpose)
    {
        var name = $"bench.throughput.{_runId}.{purpose}";
        _queues.Add(name);
        return name;
    }

    /// <summary>Registers an exchange some peer creates, to be deleted on dispose.</summary>
    public void DeleteOnDispose(string exchange) => _exchanges.Add(exchange);

    /// <summary>Declares <paramref name="queue"/> as a durable classic queue.</summary>
    public async Task DeclareQueueAsync(string queue)
    {
        await using var channel = await Connection.CreateChannelAsync().ConfigureAwait(false);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false).ConfigureAwait(false);
    }

    /// <summary>Messages ready in <paramref name="queue"/>.</summary>
    public async Task<uint> CountAsync(string queue)
    {
        await using var channel = await Connection.CreateChannelAsync().ConfigureAwait(false);
        return await channel.MessageCountAsync(queue).ConfigureAwait(false);
    }

    /// <summary>Fails unless <paramref name="queue"/> holds exactly <paramref name="count"/> messages (what <paramref name="side"/> published).</summary>
    public async Task EnsureCountAsync(string queue, int count, string side)
    {
        var ready = await CountAsync(queue).ConfigureAwait(false);
        if (ready != count) throw new InvalidOperationException($"queue '{queue}' holds {ready} messages after {side} published {count}");
    }

    /// <summary>Deletes <paramref name="queue"/> now (it is measured; an empty broker keeps the next measurement comparable).</summary>
    public async Task DeleteQueueAsync(string queue)
    {
        await using var channel = await Connection.CreateChannelAsync().ConfigureAwait(false);
        await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false).ConfigureAwait(false);
    }

    /// <summary>Deletes every queue and exchange of this run, then closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await using (var channel = await Connection.CreateChannelAsync().ConfigureAwait(false))
        {
            foreach (var queue in _queues) await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false).ConfigureAwait(false);
            foreach (var exchange in _exchanges) await channel.ExchangeDeleteAsync(exchange, ifUnused: false).ConfigureAwait(false);
        }
        await Connection.CloseAsync().ConfigureAwait(false);
        Connection.Dispose();
    }
}
