using ActorMq.Consuming;
using ActorMq.Diagnostics;
using ActorMq.Retry;
using ActorMq.Serialization;
using ActorMq.Settings;
using Akka.Actor;
using Akka.Configuration;
using RabbitMQ.Client;

namespace ActorMq.TestKit.Handlers;

/// <summary>
/// Runs one consumer's handler pipeline without a broker: the message is serialized as a publish would, delivered to
/// ActorMq's own HandlerActor (deserialization, message-type check, size limit, the handler — class, delegate or actor —
/// and its timeout), and the outcome is decided by the consumer's retry policy, exactly as the real consumer decides.
/// Configure it as you configure <see cref="ActorMqClient.StartAsync"/> (the same builder and HOCON), so a unit test
/// checks a handler and its retry settings in milliseconds: <see cref="DeliverAsync{TMessage}"/> returns the outcome,
/// <see cref="Deliver{TMessage}"/> tells it to an actor (a TestProbe), and <see cref="DeliverUntilSettledAsync{TMessage}"/>
/// follows a message through its retries until it is handled or dead-lettered.
/// </summary>
public sealed class HandlerHarness
{
    private readonly IActorRef _runner;
    private readonly MessageSerializers _serializers;
    private readonly string _attemptHeader;

    private HandlerHarness(IActorRef runner, ConsumerSettings settings, MessageSerializers serializers, string attemptHeader)
    {
        _runner = runner;
        Settings = settings;
        _serializers = serializers;
        _attemptHeader = attemptHeader;
    }

    /// <summary>The consumer's validated settings (queue, retry delays, max attempts, handler timeout).</summary>
    public ConsumerSettings Settings { get; }

    /// <summary>
    /// A harness for consumer <paramref name="consumer"/>, configured by <paramref name="configure"/> (its handler must be
    /// registered there) and <paramref name="config"/> over the system's HOCON and ActorMq's reference.conf.
    /// </summary>
    /// <exception cref="ConfigurationException">A setting is invalid, or <paramref name="consumer"/> has no handler.</exception>
    public static HandlerHarness Create(ActorSystem system, string consumer, Action<ActorMqBuilder> configure, Config? config = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new ActorMqBuilder();
        configure(builder);
        if (!builder.Handlers.TryGetValue(consumer, out var registration))
            throw new ConfigurationException($"{ConsumerSettings.ConsumersPath}.{consumer}",
                $"no handler is registered for consumer '{consumer}' (registered: {string.Join(", ", builder.Handlers.Keys.DefaultIfEmpty("none"))})");
        var (_, settings) = ActorMqClient.Configure(system, config, builder);
        var consumerSettings = settings.Consumers.Single(c => c.Name == consumer);
        var serializers = new MessageSerializers([.. builder.Serializers]);
        var policy = new RetryPolicy(consumerSettings.Queue, consumerSettings.Retry, settings.Names);
        var runner = system.ActorOf(
            Props.Create(() => new HarnessActor(consumerSettings, registration, serializers, settings.Retry.AttemptHeader, policy)),
            $"actormq-harness-{Uri.EscapeDataString(consumer)}-{Guid.NewGuid():N}");
        return new HandlerHarness(runner, consumerSettings, serializers, settings.Retry.AttemptHeader);
    }

    /// <summary>Delivers <paramref name="message"/> and tells its <see cref="HandlingOutcome"/> to <paramref name="replyTo"/>.</summary>
    /// <param name="message">The message, serialized as <c>PublishAsync</c> would (raw bodies pass through).</param>
    /// <param name="replyTo">Who gets the outcome, e.g. a TestProbe.</param>
    /// <param name="attempt">The attempt it arrives with (2 = the first retry: the attempt header says 1).</param>
    /// <param name="options">Message id, headers, content type and type, as for a publish.</param>
    public void Deliver<TMessage>(TMessage message, IActorRef replyTo, int attempt = 1, PublishOptions? options = null) where TMessage : notnull
    {
        ArgumentNullException.ThrowIfNull(replyTo);
        _runner.Tell(new HarnessActor.Run(CreateDelivery(message, attempt, options), attempt, replyTo));
    }

    /// <summary>Delivers <paramref name="message"/> and completes with its outcome.</summary>
    /// <inheritdoc cref="Deliver{TMessage}" path="/param"/>
    public Task<HandlingOutcome> DeliverAsync<TMessage>(TMessage message, int attempt = 1, PublishOptions? options = null,
        CancellationToken cancellationToken = default) where TMessage : notnull =>
        _runner.Ask<HandlingOutcome>(replyTo => new HarnessActor.Run(CreateDelivery(message, attempt, options), attempt, replyTo),
            Settings.HandlerTimeout + TimeSpan.FromSeconds(10), cancellationToken);

    /// <summary>
    /// Delivers <paramref name="message"/>, and again with the next attempt for as long as the outcome is
    /// <see cref="HandlingOutcome.Retried"/> (no waiting: a tier's delay is not spent); the last outcome is
    /// <see cref="HandlingOutcome.Handled"/> or <see cref="HandlingOutcome.DeadLettered"/>.
    /// </summary>
    public async Task<IReadOnlyList<HandlingOutcome>> DeliverUntilSettledAsync<TMessage>(TMessage message, PublishOptions? options = null,
        CancellationToken cancellationToken = default) where TMessage : notnull
    {
        var outcomes = new List<HandlingOutcome>();
        options ??= new PublishOptions();
        options = options with { MessageId = options.MessageId ?? Guid.NewGuid().ToString("N") };
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await DeliverAsync(message, attempt, options, cancellationToken).ConfigureAwait(false);
            outcomes.Add(outcome);
            if (outcome is not HandlingOutcome.Retried) return outcomes;
        }
    }

    private Delivery CreateDelivery<TMessage>(TMessage message, int attempt, PublishOptions? options) where TMessage : notnull
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var (body, contentType) = _serializers.Serialize(message, typeof(TMessage), options?.ContentType);
        var properties = ActorMqClient.CreateProperties(contentType, options);
        if (attempt > 1)
        {
            properties.Headers ??= new Dictionary<string, object?>(StringComparer.Ordinal);
            AttemptHeader.Write(properties.Headers, _attemptHeader, attempt - 1);
        }
        return new Delivery(0, 0, attempt > 1, "", Settings.Queue, properties, body.ToArray());
    }

    /// <summary>
    /// Parent of one HandlerActor, as a ConsumerActor is: it hands it one delivery at a time (the HandlerActor's
    /// contract) and turns each reply into an outcome for whoever asked.
    /// </summary>
    private sealed class HarnessActor : ReceiveActor
    {
        private readonly Queue<Run> _waiting = new();
        private readonly Func<string, IActorRef> _newHandler;
        private IActorRef _handler;
        private int _handlers = 1;
        private readonly ConsumerSettings _settings;
        private readonly RetryPolicy _policy;
        private Run? _current;

        public HarnessActor(ConsumerSettings settings, HandlerRegistration registration, MessageSerializers serializers, string attemptHeader, RetryPolicy policy)
        {
            _settings = settings;
            _policy = policy;
            _newHandler = name => Context.ActorOf(HandlerActor.Props(settings, registration, serializers, attemptHeader, new ActorMqInstruments()), name);
            _handler = _newHandler("handler-1");
            Receive<Run>(run =>
            {
                _waiting.Enqueue(run);
                DispatchNext();
            });
            Receive<HandlerSucceeded>(succeeded => Complete(new HandlingOutcome.Handled(settings.Name, succeeded.Delivery.Properties.MessageId, _current!.Attempt)));
            Receive<HandlerFailed>(failed =>
            {
                if (failed.Retired)
                {
                    // Stuck in a blocking call past its timeout: a fresh handler takes the next delivery, as in a consumer.
                    Context.Stop(_handler);
                    _handler = _newHandler($"handler-{++_handlers}");
                }
                Complete(Decide(failed));
            });
        }

        private HandlingOutcome Decide(HandlerFailed failed)
        {
            var (id, attempt) = (failed.Delivery.Properties.MessageId, _current!.Attempt);
            return _policy.Decide(attempt - 1, failed.Error, failed.Permanent) switch
            {
                RetryDecision.RetryIn retry => new HandlingOutcome.Retried(_settings.Name, id, attempt, failed.Error, retry.TierQueue, retry.Delay),
                RetryDecision.DeadStore dead => new HandlingOutcome.DeadLettered(_settings.Name, id, attempt, failed.Error, dead.Reason),
                var other => throw new InvalidOperationException($"unexpected retry decision {other}"),
            };
        }

        private void Complete(HandlingOutcome outcome)
        {
            _current!.ReplyTo.Tell(outcome);
            _current = null;
            DispatchNext();
        }

        private void DispatchNext()
        {
            if (_current is not null || !_waiting.TryDequeue(out var next)) return;
            _current = next;
            _handler.Tell(new HandleDelivery(next.Delivery, next.Attempt));
        }

        public sealed record Run(Delivery Delivery, int Attempt, IActorRef ReplyTo);
    }
}
