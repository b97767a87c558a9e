using ActorMq.Topology;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using Xunit;

namespace ActorMq.Tests.Topology;

public sealed class TopologyApplierSpec
{
    private static readonly Dictionary<string, object?> NoArgs = new();

    /// <summary>A broker stand-in: remembers what exists and refuses conflicting queues the way RabbitMQ does (406 closes the channel).</summary>
    private sealed class FakeBroker
    {
        public Dictionary<string, string> ExistingQueueTypes { get; } = new();
        public HashSet<string> Exchanges { get; } = [];
        public List<string> Log { get; } = [];
        public int ChannelsOpened { get; private set; }
        public int ChannelsDisposed { get; private set; }
        public bool DropConnectionOnBind { get; set; }

        public Task<ITopologyChannel> OpenAsync(CancellationToken _)
        {
            ChannelsOpened++;
            return Task.FromResult<ITopologyChannel>(new Channel(this));
        }

        private sealed class Channel(FakeBroker broker) : ITopologyChannel
        {
            private bool _closed;

            public Task DeclareExchangeAsync(ExchangeDeclaration exchange, CancellationToken cancellationToken)
            {
                EnsureOpen();
                broker.Exchanges.Add(exchange.Name);
                broker.Log.Add($"exchange {exchange.Name}");
                return Task.CompletedTask;
            }

            public Task DeclareQueueAsync(QueueDeclaration queue, CancellationToken cancellationToken)
            {
                EnsureOpen();
                var type = (string)queue.Arguments[TopologyArguments.QueueType]!;
                if (broker.ExistingQueueTypes.TryGetValue(queue.Name, out var current) && current != type)
                {
                    _closed = true;
                    throw new OperationInterruptedException(new ShutdownEventArgs(ShutdownInitiator.Peer, 406,
                        $"PRECONDITION_FAILED - inequivalent arg 'x-queue-type' for queue '{queue.Name}' in vhost '/': received '{type}' but current is '{current}'"));
                }
                broker.ExistingQueueTypes[queue.Name] = type;
                broker.Log.Add($"queue {queue.Name}");
                return Task.CompletedTask;
            }

            public Task BindAsync(BindingDeclaration binding, CancellationToken cancellationToken)
            {
                EnsureOpen();
                if (broker.DropConnectionOnBind)
                    throw new AlreadyClosedException(new ShutdownEventArgs(ShutdownInitiator.Peer, 320, "CONNECTION_FORCED - broker forced connection closure"));
                if (!broker.Exchanges.Contains(binding.Exchange))
                {
                    _closed = true;
                    throw new OperationInterruptedException(new ShutdownEventArgs(ShutdownInitiator.Peer, 404, $"NOT_FOUND - no exchange '{binding.Exchange}' in vhost '/'"));
                }
                broker.Log.Add($"bind {binding.Exchange}->{binding.Queue}:{binding.RoutingKey}");
                return Task.CompletedTask;
            }

            public ValueTask DisposeAsync()
            {
                broker.ChannelsDisposed++;
                return ValueTask.CompletedTask;
            }

            private void EnsureOpen()
            {
                if (_closed) throw new InvalidOperationException("declaration on a channel the broker closed");
            }
        }
    }

    private static TopologyPlan Plan() => new TopologyPlanBuilder()
        .AddExchange(new ExchangeDeclaration("shop", "topic", true, false, NoArgs))
        .AddQueue(TopologyShapes.WorkQueue("orders", QueueType.Quorum, 10))
        .AddQueue(TopologyShapes.WorkQueue("payments", QueueType.Classic, null))
        .AddQueue(TopologyShapes.WorkQueue("refunds", QueueType.Classic, null))
        .AddBinding(new BindingDeclaration("shop", "orders", "order.*", NoArgs))
        .AddBinding(new BindingDeclaration("shop", "payments", "payment.*", NoArgs))
        .Build();

    [Fact]
    public async Task Applier_must_declare_exchanges_then_queues_then_bindings_on_one_channel()
    {
        var broker = new FakeBroker();
        var result = await new TopologyApplier(broker.OpenAsync).ApplyAsync(Plan(), CancellationToken.None);
        Assert.True(result.Succeeded);
        Assert.Equal(["exchange shop", "queue orders", "queue payments", "queue refunds", "bind shop->orders:order.*", "bind shop->payments:payment.*"], broker.Log);
        Assert.Equal(1, broker.ChannelsOpened);
        Assert.Equal(1, broker.ChannelsDisposed);
    }

    [Fact]
    public async Task Applier_must_report_a_mismatched_queue_and_declare_the_others_on_a_fresh_channel()
    {
        var broker = new FakeBroker();
        broker.ExistingQueueTypes["orders"] = "classic";
        var result = await new TopologyApplier(broker.OpenAsync).ApplyAsync(Plan(), CancellationToken.None);

        var failure = Assert.Single(result.Failures);
        var mismatch = Assert.IsType<TopologyMismatchException>(failure.Error);
        Assert.Equal("orders", mismatch.Name);
        Assert.Equal("x-queue-type", mismatch.Argument);
        Assert.Equal("quorum", mismatch.Received);
        Assert.Equal("classic", mismatch.Current);
        Assert.Contains("queue payments", broker.Log);
        Assert.Contains("queue refunds", broker.Log);
        Assert.Contains("bind shop->payments:payment.*", broker.Log);
        Assert.Equal("orders", Assert.Single(result.Skipped).Queue);
        Assert.Equal(["orders"], result.FailedQueues);
        Assert.Equal(2, broker.ChannelsOpened);
        Assert.Equal(broker.ChannelsOpened, broker.ChannelsDisposed);
    }

    [Fact]
    public async Task Applier_must_report_a_binding_to_a_missing_exchange_and_carry_on()
    {
        var broker = new FakeBroker();
        var plan = new TopologyPlanBuilder()
            .AddQueue(TopologyShapes.WorkQueue("a", QueueType.Classic, null))
            .AddQueue(TopologyShapes.WorkQueue("b", QueueType.Classic, null))
            .AddExchange(new ExchangeDeclaration("known", "direct", true, false, NoArgs))
            .AddBinding(new BindingDeclaration("missing", "a", "k", NoArgs))
            .AddBinding(new BindingDeclaration("known", "b", "k", NoArgs))
            .Build();
        var result = await new TopologyApplier(broker.OpenAsync).ApplyAsync(plan, CancellationToken.None);
        var failure = Assert.Single(result.Failures);
        Assert.Contains("404", failure.Error.Message);
        Assert.Contains("'a'", failure.Error.Message);
        Assert.Contains("bind known->b:k", broker.Log);
        Assert.Equal(["a"], result.FailedQueues);
    }

    [Fact]
    public async Task Applier_must_let_a_connection_failure_propagate_and_release_its_channel()
    {
        var broker = new FakeBroker { DropConnectionOnBind = true };
        await Assert.ThrowsAsync<AlreadyClosedException>(() => new TopologyApplier(broker.OpenAsync).ApplyAsync(Plan(), CancellationToken.None));
        Assert.Equal(broker.ChannelsOpened, broker.ChannelsDisposed);
    }
}
