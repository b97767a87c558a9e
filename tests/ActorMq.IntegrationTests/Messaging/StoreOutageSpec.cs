using System.Collections.Concurrent;
using ActorMq.DeadStore;
using ActorMq.IntegrationTests.DeadStore;
using ActorMq.TestKit.Broker;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.IntegrationTests.Messaging;

/// <summary>
/// The dead store's database really stopped while a failure must be dead-lettered, on a quorum queue whose delivery limit
/// is small: ActorMq holds the delivery and tries again instead of requeueing it, so the broker never drops it.
/// The PostgreSQL cluster is this class's own (it is stopped).
/// </summary>
public sealed class StoreOutageSpec(RabbitMqFixture broker, ITestOutputHelper output)
    : BrokerSpec(broker, output), IClassFixture<RabbitMqFixture>, IAsyncLifetime
{
    private PostgresCluster _database = null!;

    public async Task InitializeAsync() => _database = await PostgresCluster.StartAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task While_the_store_is_down_a_quorum_delivery_is_held_not_requeued_and_is_dead_stored_once_it_is_back()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(MessageDeadLettered));
        var runs = new ConcurrentQueue<string>();
        var client = await StartAsync(b => b.AddHandler<OrderPlaced>("ledger", (o, _, _) =>
            {
                runs.Enqueue(o.OrderId);
                throw new PermanentFailureException("the ledger refuses this entry");
            }),
            $$"""
            actormq.dead-store { provider = postgresql, postgresql.connection-string = "{{_database.ConnectionString}}" }
            actormq.consumers.ledger { queue-type = quorum, delivery-limit = 2, retry.max-attempts = 1 }
            actormq.retry.requeue-backoff { min-backoff = 100ms, max-backoff = 300ms }
            """);
        await _database.StopAsync();

        await client.SendAsync("ledger", new OrderPlaced("l-1", 10m), new PublishOptions { MessageId = "l-1" });

        // Many more tries to settle than the queue's delivery limit of 2: each requeue would have counted, and the
        // broker would have dropped the message after the second.
        await AwaitConditionAsync(() => Logs.Since(0).Count(e => e.Message.Contains("settles its failure again")) >= 6,
            Dilated(TimeSpan.FromSeconds(60)));
        await _database.StartAgainAsync();

        var dead = await ExpectMsgAsync<MessageDeadLettered>(Dilated(TimeSpan.FromSeconds(60)));
        Assert.Equal("l-1", dead.MessageId);
        Assert.Equal(["l-1"], runs); // handled once: never redelivered
        Assert.NotNull(await client.DeadLetterStore.GetAsync(dead.Id));
        await AwaitAssertAsync(async () => Assert.Equal(0, await Broker.CountMessagesAsync("ledger")), Dilated(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_dead_store_write_that_hangs_times_out_is_tried_again_and_the_delivery_is_acked_once_it_commits()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(MessageDeadLettered));
        var client = await StartAsync(b => b.AddHandler<OrderPlaced>("audit", (_, _, _) => throw new PermanentFailureException("unauditable")),
            $$"""
            actormq.dead-store { provider = postgresql, postgresql.connection-string = "{{_database.ConnectionString}}" }
            actormq.retry { settle-timeout = 2s, requeue-backoff { min-backoff = 100ms, max-backoff = 300ms } }
            """);

        // The store creates its table with the first dead letter.
        await client.SendAsync("audit", new OrderPlaced("a-0", 1), new PublishOptions { MessageId = "a-0" });
        Assert.Equal("a-0", (await ExpectMsgAsync<MessageDeadLettered>(Dilated(TimeSpan.FromSeconds(30)))).MessageId);

        // A real hang: another session holds the table locked, so the store's insert waits (it neither fails nor returns).
        await using var locker = new Npgsql.NpgsqlConnection(_database.ConnectionString);
        await locker.OpenAsync();
        await using (var transaction = await locker.BeginTransactionAsync())
        {
            await using (var lockTable = new Npgsql.NpgsqlCommand("LOCK TABLE actormq.dead_letters IN ACCESS EXCLUSIVE MODE", locker, transaction))
                await lockTable.ExecuteNonQueryAsync();

            await client.SendAsync("audit", new OrderPlaced("a-1", 1), new PublishOptions { MessageId = "a-1" });
            await AwaitConditionAsync(() => Logs.Since(0).Any(e => e.Exception?.Message.Contains("actormq.retry.settle-timeout") == true),
                Dilated(TimeSpan.FromSeconds(30)));
            Assert.Equal(1, await Broker.CountMessagesAsync("audit")); // held unacked meanwhile
            await transaction.CommitAsync();
        }

        var dead = await ExpectMsgAsync<MessageDeadLettered>(Dilated(TimeSpan.FromSeconds(60)));
        Assert.Equal("a-1", dead.MessageId);
        await AwaitAssertAsync(async () => Assert.Equal(0, await Broker.CountMessagesAsync("audit")), Dilated(TimeSpan.FromSeconds(30)));
    }
}
