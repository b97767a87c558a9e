using System.Diagnostics;
using System.Reflection;
using Akka.Actor;
using ActorMq.Connection;
using ActorMq.Consuming;
using ActorMq.DeadStore;
using Akka.Configuration;
using ActorMq.Publishing;
using ActorMq.Retry;
using ActorMq.Serialization;
using ActorMq.Settings;
using ActorMq.Topology;
using Akka;
using Akka.Pattern;

namespace ActorMq;

/// <summary>
/// ActorMq running inside an <see cref="ActorSystem"/>: start it with <see cref="StartAsync"/>, publish with
/// <see cref="PublishAsync{TMessage}"/> (completes on the broker's confirm) or by telling <see cref="Publish"/> to
/// <see cref="Publisher"/>, and stop it with <see cref="StopAsync"/> (or by terminating the actor system: ActorMq hooks
/// into its coordinated shutdown — stop consuming and drain handlers, flush publishers, close connections).
/// </summary>
public sealed class ActorMqClient : IPublisher, IAsyncDisposable
{
    private readonly IActorRef _root;
    private readonly IReadOnlyList<IActorRef> _publishers;
    private readonly IReadOnlyList<IActorRef> _consumers;
    private readonly MessageSerializers _serializers;
    private readonly IDeadLetterStore _store;
    private readonly Diagnostics.ActorMqInstruments _instruments;
    private readonly TimeSpan _askTimeout = TimeSpan.FromSeconds(10);
    private readonly SemaphoreSlim _stopGate = new(1, 1);
    private readonly DelayRouter _delayRouter;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task<TopologyExtended>> _delayPaths = new(StringComparer.Ordinal);
    private int _nextPublisher;
    private bool _consumersDrained;
    private bool _publishersFlushed;
    private bool _linkClosed;

    private ActorMqClient(ActorSystem system, ActorMqSettings settings, IActorRef root, ChannelOwners owners,
        MessageSerializers serializers, IDeadLetterStore store, Diagnostics.ActorMqInstruments instruments)
    {
        _instruments = instruments;
        System = system;
        Settings = settings;
        _root = root;
        _publishers = owners.Publishers;
        _consumers = owners.Consumers;
        _serializers = serializers;
        _store = store;
        _delayRouter = new DelayRouter(settings.Retry, settings.Names);
    }

    /// <summary>The actor system ActorMq runs in.</summary>
    public ActorSystem System { get; }

    /// <summary>The validated settings.</summary>
    public ActorMqSettings Settings { get; }

    /// <summary>Where actors send <see cref="Publish"/> (replies: <see cref="Published"/> / <see cref="PublishFailed"/>) and <see cref="GetLinkState"/>.</summary>
    public IActorRef Publisher => _root;

    /// <summary>The root actor: failed deliveries (<see cref="SettleFailure"/>), publishes and channel owners registering later go here.</summary>
    internal IActorRef Root => _root;

    /// <summary>The body serializers.</summary>
    internal MessageSerializers Serializers => _serializers;

    /// <summary>The client's metrics.</summary>
    internal Diagnostics.ActorMqInstruments Instruments => _instruments;

    /// <summary>The consumers added with <see cref="ActorMqBuilder.AddExternalConsumer"/>, by name: consumed by stream sources.</summary>
    internal IReadOnlyDictionary<string, ExternalConsumer> ExternalConsumers { get; private init; } = new Dictionary<string, ExternalConsumer>();

    /// <summary>The dead-letter store ActorMq writes to (for listing and replay).</summary>
    public IDeadLetterStore DeadLetterStore => _store;

    /// <summary>
    /// Validates the configuration (HOCON under <c>actormq</c>, over the embedded reference.conf) and starts ActorMq's
    /// actors under <c>/user/actormq</c>. Returns at once; use <see cref="WaitUntilReadyAsync"/> to wait for the broker.
    /// </summary>
    /// <param name="system">The actor system to run in.</param>
    /// <param name="config">ActorMq's configuration; null = the actor system's.</param>
    /// <param name="configure">Handlers, serializers, store, topology and code overrides.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="ConfigurationException">A setting is missing or invalid, or a consumer has no handler.</exception>
    public static async Task<ActorMqClient> StartAsync(ActorSystem system, Config? config = null, Action<ActorMqBuilder>? configure = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(system);
        var builder = new ActorMqBuilder();
        configure?.Invoke(builder);

        var (effective, configured) = Configure(system, config, builder);
        // Without consumers (a publishing tool): their queues and tiers are still declared, nothing consumes them.
        var settings = builder.ConsumersDisabled ? configured with { Consumers = [] } : configured;
        // Consumers taken by a stream source get no ConsumerActor; their topology and retry policy are ActorMq's as for any other.
        var external = configured.Consumers.Where(c => builder.ExternalConsumers.Contains(c.Name)).ToList();
        if (external.Count > 0) settings = settings with { Consumers = [.. settings.Consumers.Where(c => !builder.ExternalConsumers.Contains(c.Name))] };
        foreach (var consumer in settings.Consumers)
        {
            if (!builder.Handlers.ContainsKey(consumer.Name))
                throw new ConfigurationException($"{ConsumerSettings.ConsumersPath}.{consumer.Name}",
                    $"consumer '{consumer.Name}' is configured at {ConsumerSettings.ConsumersPath}.{consumer.Name} but no handler is registered for it " +
                    $"(call AddHandler<TMessage>(\"{consumer.Name}\", ...) or remove the entry)");
        }

        var serializers = new MessageSerializers([.. builder.Serializers]);
        var instruments = new Diagnostics.ActorMqInstruments(builder.MeterFactory);
        var names = settings.Names;
        var policies = settings.Consumers.Concat(external).ToDictionary(c => c.Name, c => new RetryPolicy(c.Queue, c.Retry, names), StringComparer.Ordinal);
        var plan = TopologyPlanner.Plan(configured, configured.Consumers, builder.Topology.Count == 0 ? null : b =>
        {
            foreach (var declare in builder.Topology) declare(b);
        });
        var consumers = settings.Consumers.Select(c =>
        {
            var own = new TopologyPlanBuilder();
            TopologyPlanner.AddConsumer(own, names, c);
            return new ConsumerWiring(c, builder.Handlers[c.Name], serializers, settings.Retry, policies[c.Name], own.Build(), ActorRefs.Nobody, ActorRefs.Nobody, instruments,
                names.ParkedQueue(c.Queue), settings.Connection.ChannelRestart);
        }).ToList();

        var storeSettings = DeadStoreSettings.Create(effective);
        var store = builder.DeadLetterStore ?? new DeadLetterStoreFactory(builder.StoreProviders.Concat(DiscoverProviders(builder.StoreProviders)))
            .Create(storeSettings);

        var wiring = new ActorMqWiring(settings, plan, consumers, policies, store,
            effective.GetInt(DeadStoreSettings.Section + ".max-batch"), effective.GetString(DeadStoreSettings.Section + ".dispatcher"),
            BrokerConnector.Instance, instruments);
        var root = system.ActorOf(ActorMqActor.Props(wiring), "actormq");
        var owners = await root.Ask<ChannelOwners>(GetChannelOwners.Instance, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        var client = new ActorMqClient(system, settings, root, owners, serializers, store, instruments)
        {
            ExternalConsumers = external.ToDictionary(c => c.Name, c =>
            {
                var own = new TopologyPlanBuilder();
                TopologyPlanner.AddConsumer(own, names, c);
                return new ExternalConsumer(c, own.Build(), policies[c.Name]);
            }, StringComparer.Ordinal),
        };

        // Akka's coordinated shutdown (system.Terminate(), CoordinatedShutdown.Run, Akka.Hosting's host stop) runs ActorMq's
        // stop in order: stop consuming, let in-flight handlers finish, flush the publishers, close the connections.
        var shutdown = CoordinatedShutdown.Get(system);
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceUnbind, "actormq-stop-consuming", () => client.StopConsumingAsync());
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceRequestsDone, "actormq-drain-handlers", () => client.DrainHandlersAsync());
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceStop, "actormq-flush-publishers", () => client.StepAsync(client.FlushPublishersAsync));
        shutdown.AddTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate, "actormq-close-connections", () => client.StepAsync(client.CloseLinkAsync));
        return client;
    }

    /// <summary>
    /// The effective configuration ActorMq runs with in <paramref name="system"/> — <paramref name="config"/> and the
    /// builder's overrides over the system's HOCON, over the embedded reference.conf (injected as the system's top-level
    /// fallback), plus a consumer with the defaults for every handler configured nowhere — and its validated settings.
    /// </summary>
    internal static (Config Effective, ActorMqSettings Settings) Configure(ActorSystem system, Config? config, ActorMqBuilder builder)
    {
        // ActorMq's defaults become the system's top-level fallback: system.Settings.Config.GetConfig("actormq") shows them.
        system.Settings.InjectTopLevelFallback(DefaultConfig());
        var effective = config is null ? system.Settings.Config : config.WithFallback(system.Settings.Config);
        foreach (var overrides in builder.Overrides) effective = overrides.WithFallback(effective);
        // A handler for a name configured nowhere gets a consumer with the defaults (queue = its name).
        var subscriptions = SettingsReader.Keys(effective, ConsumerSettings.SubscriptionsPath);
        foreach (var consumer in builder.Handlers.Keys.Concat(builder.ExternalConsumers).Where(name => !subscriptions.Contains(name)))
            effective = effective.WithFallback(ConfigurationFactory.ParseString($"actormq.consumers {{ \"{consumer.Replace("\"", "\\\"", StringComparison.Ordinal)}\" {{}} }}"));
        return (effective, ActorMqSettings.Create(effective));
    }

    /// <summary>
    /// ActorMq's defaults: the embedded <c>reference.conf</c> (every key under <c>actormq</c>, documented).
    /// <see cref="StartAsync"/> injects it as the actor system's top-level fallback; pass it to
    /// <c>ActorSystem.Create(name, yourConfig.WithFallback(ActorMqClient.DefaultConfig()))</c> to see the defaults before that.
    /// </summary>
    public static Config DefaultConfig() => ReferenceConfig.Value;

    private static readonly Lazy<Config> ReferenceConfig = new(() =>
    {
        using var stream = typeof(ActorMqClient).Assembly.GetManifestResourceStream("ActorMq.reference.conf")
            ?? throw new InvalidOperationException("ActorMq.reference.conf is not embedded in the ActorMq assembly");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    });

    private async Task<Done> StepAsync(Func<CancellationToken, Task> step)
    {
        await step(CancellationToken.None).ConfigureAwait(false);
        return Done.Instance;
    }

    /// <summary>
    /// Serializes <paramref name="message"/> (raw bodies pass through), publishes it persistent with a message id,
    /// timestamp, content type and trace context, and completes when the broker confirmed it.
    /// </summary>
    /// <exception cref="PublishReturnedException">No queue is bound for the routing key (mandatory publish).</exception>
    /// <exception cref="BackPressureException">The link is down or blocked and the publisher's buffer is full.</exception>
    /// <exception cref="PublishNackedException">The broker refused the message after every retry.</exception>
    /// <exception cref="PublishConfirmTimeoutException">No confirm arrived in time after every retry.</exception>
    /// <exception cref="MessageTooLargeException">The body exceeds <c>actormq.publisher.max-message-size</c>.</exception>
    public Task<Published> PublishAsync<TMessage>(string exchange, string routingKey, TMessage message, PublishOptions? options = null,
        CancellationToken cancellationToken = default) where TMessage : notnull
    {
        ArgumentNullException.ThrowIfNull(exchange);
        ArgumentNullException.ThrowIfNull(routingKey);
        var (body, contentType) = _serializers.Serialize(message, typeof(TMessage), options?.ContentType);
        var activity = StartPublishActivity(exchange, routingKey);
        var properties = CreateProperties(contentType, options);
        if (activity is not null)
        {
            activity.SetTag("messaging.message.id", properties.MessageId);
            Activity.Current = activity.Parent; // the span ends on the confirm; the caller's context stays as it was
        }
        var completion = new TaskCompletionSource<Published>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (activity is not null) _ = EndPublishActivityAsync(activity, completion.Task);
        var request = new PublishRequest(exchange, routingKey, body, properties, options?.Mandatory ?? true, null, completion);
        if (options?.Delay is { } delay && delay > TimeSpan.Zero) return PublishDelayedAsync(request, delay, cancellationToken);
        var confirmed = Send(request);
        return cancellationToken.CanBeCanceled ? confirmed.WaitAsync(cancellationToken) : confirmed;
    }

    private static Activity? StartPublishActivity(string exchange, string routingKey)
    {
        var activity = Diagnostics.ActorMqDiagnostics.Source.StartActivity($"{(exchange.Length == 0 ? routingKey : exchange)} publish", ActivityKind.Producer);
        if (activity is null) return null;
        activity.SetTag("messaging.system", "rabbitmq");
        activity.SetTag("messaging.operation.type", "send");
        activity.SetTag("messaging.destination.name", exchange.Length == 0 ? routingKey : exchange);
        activity.SetTag("messaging.rabbitmq.destination.routing_key", routingKey);
        return activity;
    }

    private static async Task EndPublishActivityAsync(Activity activity, Task<Published> confirmed)
    {
        try
        {
            await confirmed.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            activity.SetStatus(ActivityStatusCode.Error, e.Message);
            activity.AddException(e);
        }
        finally
        {
            activity.Dispose();
        }
    }

    private async Task<Published> PublishDelayedAsync(PublishRequest request, TimeSpan delay, CancellationToken cancellationToken)
    {
        DelayRoute route;
        lock (_delayRouter) route = _delayRouter.Route(request.Exchange, delay);
        var declared = _delayPaths.GetOrAdd(route.Queue.Name, _ =>
        {
            var plan = new TopologyPlanBuilder().AddExchange(route.Exchange).AddQueue(route.Queue).AddBinding(route.Binding).Build();
            return _root.Ask<TopologyExtended>(new ExtendTopology(plan), Settings.Connection.ContinuationTimeout + _askTimeout);
        });
        try
        {
            var extended = await declared.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (extended.Error is { } error) throw error;
        }
        catch
        {
            _delayPaths.TryRemove(route.Queue.Name, out _);
            throw;
        }
        // To the delay path's fanout exchange with the message's own routing key: after the TTL the broker dead-letters it to
        // the real exchange keeping that key.
        return await Send(request with { Exchange = route.Exchange.Name }).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Publishes straight to <paramref name="queue"/> through the default exchange; see <see cref="PublishAsync{TMessage}"/>.</summary>
    public Task<Published> SendAsync<TMessage>(string queue, TMessage message, PublishOptions? options = null, CancellationToken cancellationToken = default)
        where TMessage : notnull => PublishAsync("", queue, message, options, cancellationToken);

    /// <summary>
    /// Properties as ActorMq writes them: persistent, a message id (the option's or a new one), a timestamp, the content
    /// type and the current W3C trace context, plus the options' headers, correlation id and type.
    /// </summary>
    public static RabbitMQ.Client.BasicProperties CreateProperties(string contentType, PublishOptions? options = null)
    {
        var properties = MessageEnvelope.Create(contentType, options?.MessageId, options?.Headers, DateTimeOffset.UtcNow, Activity.Current);
        if (options?.CorrelationId is { } correlation) properties.CorrelationId = correlation;
        if (options?.Type is { } type) properties.Type = type;
        return properties;
    }

    /// <summary>
    /// Replays dead letters matching <paramref name="filter"/> through this client's publishers; see
    /// <see cref="DeadLetterReplayer"/>. <c>ReplayDeadLettersAsync(DeadLetterFilter.All, new() { Limit = 1 })</c> replays
    /// one message first.
    /// </summary>
    public Task<ReplayResult> ReplayDeadLettersAsync(DeadLetterFilter filter, ReplayOptions? options = null, CancellationToken cancellationToken = default) =>
        CreateReplayer().ReplayAsync(filter, options, cancellationToken);

    /// <summary>A replayer over this client's dead-letter store and publishers.</summary>
    public DeadLetterReplayer CreateReplayer() => new(_store, Send, Settings.Retry.AttemptHeader, _instruments, Settings.Connection.Users);

    /// <summary>
    /// Hands a request to the next publisher; once the publishers were flushed (<see cref="StopAsync"/>, or the system's
    /// coordinated shutdown) nothing would ever publish it, so it fails at once.
    /// </summary>
    private Task<Published> Send(PublishRequest request)
    {
        if (Volatile.Read(ref _publishersFlushed))
        {
            request.Fail(new PublishUnavailableException(
                $"ActorMq is stopping or stopped in actor system '{System.Name}': its publishers were flushed, nothing more is published"));
        }
        else
        {
            Next().Tell(request);
        }
        return request.Completion!.Task;
    }

    private IActorRef Next() => _publishers[(int)((uint)Interlocked.Increment(ref _nextPublisher) % (uint)_publishers.Count)];

    /// <summary>
    /// The depth of every work queue and retry tier of the configured consumers (plus <paramref name="extraQueues"/>), read
    /// with passive declares on the publishing connection — no management plugin needed. Empty while the link is down.
    /// </summary>
    public async Task<IReadOnlyList<QueueDepth>> GetQueueDepthsAsync(IEnumerable<string>? extraQueues = null, CancellationToken cancellationToken = default)
    {
        var names = Settings.Names;
        var queues = Settings.Consumers
            .SelectMany(c => new[] { c.Queue }.Concat(new RetryPolicy(c.Queue, c.Retry, names).TierDelays.Select(d => names.RetryTier(c.Queue, d))))
            .Concat(extraQueues ?? [])
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var depths = await _root.Ask<QueueDepths>(new InspectQueues(null, queues), Settings.Connection.ContinuationTimeout + _askTimeout, cancellationToken)
            .ConfigureAwait(false);
        return depths.Depths;
    }

    /// <summary>Totals since start (published, confirmed, consumed, handled, failed, retried, dead-lettered, replayed) and current gauges.</summary>
    public Diagnostics.ActorMqStatistics GetStatistics() => _instruments.Snapshot(DateTimeOffset.UtcNow);

    /// <summary>The broker link's state.</summary>
    public Task<LinkStateChanged> GetLinkStateAsync(CancellationToken cancellationToken = default) =>
        _root.Ask<LinkStateChanged>(GetLinkState.Instance, _askTimeout, cancellationToken);

    /// <summary>Each consumer's state.</summary>
    public async Task<IReadOnlyList<ConsumerStatus>> GetConsumersAsync(CancellationToken cancellationToken = default)
    {
        var states = await Task.WhenAll(Settings.Consumers.Select(async (settings, i) =>
        {
            var restarting = new ConsumerStatus(settings.Name, settings.Queue, Consuming: false, InFlight: 0, Waiting: 0);
            // Between a failure and its backoff restart a consumer has no actor to answer.
            var consumer = await CurrentConsumerAsync(i, cancellationToken).ConfigureAwait(false);
            if (consumer is null) return restarting;
            try
            {
                return await consumer.Ask<ConsumerStatus>(GetConsumerStatus.Instance, TimeSpan.FromSeconds(3), cancellationToken).ConfigureAwait(false);
            }
            catch (AskTimeoutException)
            {
                return restarting;
            }
        })).ConfigureAwait(false);
        return states;
    }

    /// <summary>The consumer actor now running under consumer <paramref name="index"/>'s backoff supervisor, or null while it waits to restart.</summary>
    private async Task<IActorRef?> CurrentConsumerAsync(int index, CancellationToken cancellationToken)
    {
        var current = await _consumers[index].Ask<BackoffSupervisor.CurrentChild>(BackoffSupervisor.GetCurrentChild.Instance, _askTimeout, cancellationToken)
            .ConfigureAwait(false);
        return current.Ref;
    }

    /// <summary>Waits until the link is connected, the topology declared and every consumer consuming.</summary>
    /// <exception cref="ActorMqException">The link failed for good (<see cref="LinkState.Failed"/>).</exception>
    public async Task WaitUntilReadyAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var link = await GetLinkStateAsync(cancellationToken).ConfigureAwait(false);
            if (link.State == LinkState.Failed) throw new ActorMqException($"the broker link failed: {link.Reason}");
            if (link.State is LinkState.Connected or LinkState.Blocked)
            {
                var consumers = await GetConsumersAsync(cancellationToken).ConfigureAwait(false);
                if (consumers.All(c => c.Consuming)) return;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops ActorMq in order: stop consuming and let in-flight handlers finish (<c>drain-timeout</c>), flush the
    /// publishers, close the connections, stop the actors, release the dead store. Idempotent.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await DrainConsumersAsync(cancellationToken).ConfigureAwait(false);
        await FlushPublishersAsync(cancellationToken).ConfigureAwait(false);
        await CloseLinkAsync(cancellationToken).ConfigureAwait(false);
        if (System.WhenTerminated.IsCompleted) return;
        try
        {
            // Completes once the root, with every child, has stopped.
            await _root.GracefulStop(Settings.Connection.ContinuationTimeout + _askTimeout).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // GracefulStop timed out: the actors are stopping anyway (the system terminates them at the latest).
        }
    }

    /// <inheritdoc cref="StopAsync"/>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>Service-unbind: consumers stop taking deliveries (what they hold is finished in the next phase).</summary>
    private Task<Done> StopConsumingAsync()
    {
        // Each consumer cancels its broker consumer as soon as it gets DrainConsumer; the next phase waits for the drain.
        _draining = DrainConsumersAsync(CancellationToken.None);
        return Task.FromResult(Done.Instance);
    }

    private Task? _draining;

    /// <summary>Service-requests-done: in-flight handlers finish (within <c>drain-timeout</c>) and their deliveries are settled.</summary>
    private Task<Done> DrainHandlersAsync() => StepAsync(_ => _draining ?? DrainConsumersAsync(CancellationToken.None));

    private Task DrainConsumersAsync(CancellationToken cancellationToken) => OnceAsync(() => _consumersDrained, () => _consumersDrained = true, async () =>
    {
        var timeout = Settings.Consumers.Count == 0 ? _askTimeout : Settings.Consumers.Max(c => c.DrainTimeout) + _askTimeout;
        await Task.WhenAll(_consumers.Select(async (_, i) =>
        {
            if (await CurrentConsumerAsync(i, cancellationToken).ConfigureAwait(false) is { } consumer)
                await consumer.Ask<ConsumerDrained>(DrainConsumer.Instance, timeout, cancellationToken).ConfigureAwait(false);
        })).ConfigureAwait(false);
    });

    private Task FlushPublishersAsync(CancellationToken cancellationToken) => OnceAsync(() => _publishersFlushed, () => _publishersFlushed = true, async () =>
    {
        var timeout = Settings.Publisher.ConfirmTimeout + _askTimeout;
        await Task.WhenAll(_publishers.Select(p => p.Ask<PublisherFlushed>(FlushPublisher.Instance, timeout, cancellationToken))).ConfigureAwait(false);
    });

    private Task CloseLinkAsync(CancellationToken cancellationToken) => OnceAsync(() => _linkClosed, () => _linkClosed = true, async () =>
    {
        await _root.Ask<LinkClosed>(CloseLink.Instance, _askTimeout, cancellationToken).ConfigureAwait(false);
        await _store.DisposeAsync().ConfigureAwait(false);
        _instruments.Dispose();
    });

    private async Task OnceAsync(Func<bool> done, Action markDone, Func<Task> step)
    {
        await _stopGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (done()) return;
            markDone();
            try
            {
                await step().ConfigureAwait(false);
            }
            catch (AskTimeoutException)
            {
                // The actor is gone (system terminating) or did not answer in time: shutdown goes on.
            }
        }
        finally
        {
            _stopGate.Release();
        }
    }

    /// <summary>The dead-letter store providers deployed beside the application (ActorMq.DeadStore.Sqlite / .PostgreSql).</summary>
    private static IEnumerable<IDeadLetterStoreProvider> DiscoverProviders(IReadOnlyList<IDeadLetterStoreProvider> registered)
    {
        foreach (var assemblyName in new[] { "ActorMq.DeadStore.Sqlite", "ActorMq.DeadStore.PostgreSql" })
        {
            Assembly assembly;
            try { assembly = Assembly.Load(assemblyName); }
            catch (IOException) { continue; }
            foreach (var type in assembly.GetExportedTypes())
            {
                if (!type.IsClass || type.IsAbstract || !typeof(IDeadLetterStoreProvider).IsAssignableFrom(type)) continue;
                var constructor = type.GetConstructors().FirstOrDefault(c => c.GetParameters().All(p => p.IsOptional));
                if (constructor is null) continue;
                var provider = (IDeadLetterStoreProvider)constructor.Invoke(constructor.GetParameters().Select(p => p.DefaultValue).ToArray());
                if (registered.All(r => r.Name != provider.Name)) yield return provider;
            }
        }
    }
}

/// <summary>Options of one publish.</summary>
public sealed record PublishOptions
{
    /// <summary>The message id; null = a new time-ordered id.</summary>
    public string? MessageId { get; init; }

    /// <summary>The correlation id.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>The content type written instead of the serializer's (raw bodies: their real type).</summary>
    public string? ContentType { get; init; }

    /// <summary>The AMQP <c>type</c> property.</summary>
    public string? Type { get; init; }

    /// <summary>Extra headers (never <c>x-</c> headers for retry bookkeeping: ActorMq writes its own).</summary>
    public IReadOnlyDictionary<string, object?>? Headers { get; init; }

    /// <summary>Return unroutable messages as <see cref="PublishReturnedException"/> (default true).</summary>
    public bool Mandatory { get; init; } = true;

    /// <summary>
    /// Deliver the message this much later: it waits in a delay queue <c>{exchange}.delay.{delay}</c> (a TTL queue per
    /// delay, so no message waits behind a longer one) and is then dead-lettered to the exchange with its routing key.
    /// Rounded up to the next tier of <c>actormq.retry.delayed-publish.tiers</c>, or exact (<c>mode = exact</c>).
    /// Null or zero: no delay.
    /// </summary>
    public TimeSpan? Delay { get; init; }
}
