using ActorMq.Tests.Shared;
using System.Collections.Concurrent;
using Akka.Actor;
using ActorMq.Connection;
using ActorMq.DeadStore;
using DeadLetter = ActorMq.DeadStore.DeadLetter;
using DeadLetterFilter = ActorMq.DeadStore.DeadLetterFilter;
using Akka.Configuration;
using ActorMq.Retry;
using ActorMq.Settings;
using Akka.TestKit;
using ActorMq.Topology;
using RabbitMQ.Client;
using Xunit;

namespace ActorMq.Tests.Connection;

/// <summary>The reconnect schedule and the max-outage failure, in virtual time: no broker, no sleeping.</summary>
public sealed class ConnectionSupervisorActorSpec : ActorMqTestKit
{
    private readonly TestScheduler _scheduler;

    // Akka's virtual-time scheduler: timers fire only when the test advances the clock.
    public ConnectionSupervisorActorSpec() : base(ConfigurationFactory.ParseString("akka.scheduler.implementation = \"Akka.TestKit.TestScheduler, Akka.TestKit\"")) =>
        _scheduler = (TestScheduler)Sys.Scheduler;

    private static ActorMqWiring Wiring(string config, IBrokerConnector connector)
    {
        var settings = ActorMqSettings.Create(ConfigurationFactory.ParseString(config).WithFallback(ActorMqClient.DefaultConfig()));
        return new ActorMqWiring(settings, TopologyPlan.Empty, [], new Dictionary<string, RetryPolicy>(), new UnusedStore(), 1,
            "akka.actor.default-dispatcher", connector, new global::ActorMq.Diagnostics.ActorMqInstruments());
    }

    [Fact]
    public async Task Reconnect_attempts_back_off_exponentially_up_to_max_backoff_across_the_endpoints()
    {
        var connector = new RefusingConnector(_scheduler);
        var supervisor = Sys.ActorOf(ConnectionSupervisorActor.Props(Wiring("""
            actormq.connection {
              uris = ["amqp://a:5672", "amqp://b:5672"]
              min-backoff = 100ms, max-backoff = 1s, random-factor = 0
            }
            """, connector)), "connection");

        // Immediately, then after 100, 200, 400, 800 ms, then capped at 1 s.
        var expected = new[] { 0, 100, 200, 400, 800, 1000, 1000 };
        var start = _scheduler.Now;
        var elapsed = TimeSpan.Zero;
        for (var i = 0; i < expected.Length; i++)
        {
            var wait = TimeSpan.FromMilliseconds(expected[i]);
            if (wait > TimeSpan.Zero)
            {
                _scheduler.Advance(wait - TimeSpan.FromMilliseconds(1));
                await ExpectNoAttemptAsync(connector, i);
                _scheduler.Advance(TimeSpan.FromMilliseconds(1));
            }
            elapsed += wait;
            await AwaitConditionAsync(() => connector.Attempts.Count == i + 1);
            Assert.Equal(start + elapsed, connector.Attempts.ElementAt(i).At);
            await SettledAsync(supervisor);
        }
        Assert.Equal(["a", "b", "a", "b", "a", "b", "a"], connector.Attempts.Select(a => a.Host));
    }

    [Fact]
    public async Task Max_outage_ends_in_a_failed_link_state_on_the_event_stream_and_no_more_attempts()
    {
        var connector = new RefusingConnector(_scheduler);
        Sys.EventStream.Subscribe(TestActor, typeof(LinkStateChanged));
        var supervisor = Sys.ActorOf(ConnectionSupervisorActor.Props(Wiring("""
            actormq.connection {
              uris = ["amqp://a:5672"]
              min-backoff = 1s, max-backoff = 1s, random-factor = 0
              max-outage = 5s
            }
            """, connector)), "connection");

        await AwaitConditionAsync(() => connector.Attempts.Count == 1);
        async Task<bool> Failed() => (await supervisor.Ask<LinkStateChanged>(GetLinkState.Instance, TimeSpan.FromSeconds(5))).State == LinkState.Failed;
        for (var second = 1; second <= 10 && !await Failed(); second++)
        {
            var before = connector.Attempts.Count;
            _scheduler.Advance(TimeSpan.FromSeconds(1));
            await AwaitConditionAsync(async () => connector.Attempts.Count > before || await Failed());
        }

        var failed = await FishForMessageAsync<LinkStateChanged>(s => s.State == LinkState.Failed);
        Assert.Contains("max-outage", failed.Reason);
        Assert.InRange(connector.Attempts.Count, 5, 7);
        var attempts = connector.Attempts.Count;
        _scheduler.Advance(TimeSpan.FromMinutes(1));
        await ExpectNoAttemptAsync(connector, attempts);
        supervisor.Tell(GetLinkState.Instance, TestActor);
        Assert.Equal(LinkState.Failed, (await FishForMessageAsync<LinkStateChanged>(s => s.State == LinkState.Failed)).State);
    }

    [Fact]
    public async Task Refused_credentials_stop_the_reconnects_and_report_the_failure()
    {
        var connector = new RefusingConnector(_scheduler, accessRefused: true);
        Sys.EventStream.Subscribe(TestActor, typeof(LinkStateChanged));
        Sys.ActorOf(ConnectionSupervisorActor.Props(Wiring("actormq.connection.uris = [\"amqp://bad:secret@a:5672\"]", connector)), "connection");

        var failed = await FishForMessageAsync<LinkStateChanged>(s => s.State == LinkState.Failed);
        Assert.Contains("refused", failed.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secret", failed.Reason);
        _scheduler.Advance(TimeSpan.FromMinutes(5));
        await ExpectNoAttemptAsync(connector, 1);
    }

    [Fact]
    public async Task A_long_backoff_is_cut_short_when_a_probe_finds_the_broker_accepting_again()
    {
        var connector = new RefusingConnector(_scheduler);
        var supervisor = Sys.ActorOf(ConnectionSupervisorActor.Props(Wiring("""
            actormq.connection {
              uris = ["amqp://a:5672", "amqp://b:5672"]
              min-backoff = 1m, max-backoff = 1m, random-factor = 0
              probe-interval = 1s
            }
            """, connector)), "connection");
        await AwaitConditionAsync(() => connector.Attempts.Count == 1);
        await SettledAsync(supervisor);
        var start = _scheduler.Now;

        // Both brokers still down: each second's probe finds nothing and the one-minute wait goes on.
        for (var second = 1; second <= 3; second++)
        {
            _scheduler.Advance(TimeSpan.FromSeconds(1));
            await AwaitConditionAsync(() => connector.Probes.Count == 2 * second);
            await SettledAsync(supervisor);
        }
        await ExpectNoAttemptAsync(connector, 1);

        connector.Accepting = "b";
        _scheduler.Advance(TimeSpan.FromSeconds(1));
        await AwaitConditionAsync(() => connector.Attempts.Count == 2);
        Assert.Equal(("b", start + TimeSpan.FromSeconds(4)), connector.Attempts.ElementAt(1));
    }

    [Fact]
    public async Task Without_probing_the_whole_backoff_is_waited_out()
    {
        var connector = new RefusingConnector(_scheduler) { Accepting = "a" };
        var supervisor = Sys.ActorOf(ConnectionSupervisorActor.Props(Wiring("""
            actormq.connection {
              uris = ["amqp://a:5672"]
              min-backoff = 10s, max-backoff = 10s, random-factor = 0
              probe-interval = off
            }
            """, connector)), "connection");
        await AwaitConditionAsync(() => connector.Attempts.Count == 1);
        await SettledAsync(supervisor);

        _scheduler.Advance(TimeSpan.FromSeconds(9));
        await ExpectNoAttemptAsync(connector, 1);
        Assert.Empty(connector.Probes);
        _scheduler.Advance(TimeSpan.FromSeconds(1));
        await AwaitConditionAsync(() => connector.Attempts.Count == 2);
    }

    /// <summary>
    /// Waits until the supervisor has handled what the fake connector's answers sent it (a refusal, a probe's answer: the
    /// connector answers at once, so they are in the mailbox by the time the first question is answered, and handled by
    /// the second's): virtual time must move only after the timers they set are set, or they count from the moved clock.
    /// </summary>
    private async Task SettledAsync(IActorRef supervisor)
    {
        for (var i = 0; i < 2; i++) await supervisor.Ask<LinkStateChanged>(GetLinkState.Instance, TimeSpan.FromSeconds(5));
    }

    private async Task ExpectNoAttemptAsync(RefusingConnector connector, int count)
    {
        // Let anything already due run through the mailboxes before checking nothing more happened.
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(50));
        Assert.Equal(count, connector.Attempts.Count);
    }

    private sealed class RefusingConnector(TestScheduler scheduler, bool accessRefused = false) : IBrokerConnector
    {
        public ConcurrentQueue<(string Host, DateTimeOffset At)> Attempts { get; } = new();

        public ConcurrentQueue<string> Probes { get; } = new();

        /// <summary>The host whose TCP port accepts (its AMQP handshake is still refused), or <c>null</c>.</summary>
        public volatile string? Accepting;

        public Task<bool> ProbeAsync(BrokerEndpoint endpoint, TimeSpan timeout)
        {
            Probes.Enqueue(endpoint.Host);
            return Task.FromResult(endpoint.Host == Accepting);
        }

        public Task<(IConnection Publish, IConnection Consume)> ConnectAsync(ConnectionSettings settings, BrokerEndpoint endpoint)
        {
            Attempts.Enqueue((endpoint.Host, scheduler.Now));
            Exception error = accessRefused
                ? new RabbitMQ.Client.Exceptions.AuthenticationFailureException("ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN")
                : new RabbitMQ.Client.Exceptions.BrokerUnreachableException(new IOException("connection refused"));
            return Task.FromException<(IConnection, IConnection)>(error);
        }
    }

    private sealed class UnusedStore : IDeadLetterStore
    {
        public string Name => "unused";
        public Task InitializeAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<string> GetIdAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<int> MarkResolvedAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<long> AddAsync(DeadLetter letter, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<long>> AddBatchAsync(IReadOnlyList<DeadLetter> letters, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<DeadLetterRecord?> GetAsync(long id, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<DeadLetterPage> ListAsync(DeadLetterQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<DeadLetterCount>> CountAsync(DeadLetterFilter filter, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<DeadLetterGroup>> GroupsAsync(DeadLetterFilter filter, int limit = 1000, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
        public Task<IReadOnlyList<DeadLetterRecord>> ClaimForReplayAsync(DeadLetterFilter filter, int limit, string claimant, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<int> MarkReplayedAsync(IReadOnlyList<long> ids, string claimant, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<int> ReleaseClaimAsync(IReadOnlyList<long> ids, string claimant, string? error = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<int> DiscardAsync(DeadLetterFilter filter, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<int> PurgeAsync(DeadLetterFilter filter, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
