namespace ActorMq.Actors;

/// <summary>
/// The system's publish/subscribe bus: <see cref="DeadLetter"/>, <see cref="UnhandledMessage"/> and
/// anything an application publishes. A subscriber receives every event assignable to the type it
/// subscribed to. Stopped actors are unsubscribed automatically.
/// </summary>
public sealed class EventStream
{
    private readonly object gate = new();
    private volatile Subscription[] subscriptions = [];

    /// <summary>Subscribes <paramref name="subscriber"/> to events of <paramref name="channel"/> (and its subtypes); false if it already was.</summary>
    public bool Subscribe(IActorRef subscriber, Type channel)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(channel);
        lock (gate)
        {
            if (subscriptions.Any(s => s.Subscriber.Equals(subscriber) && s.Channel == channel)) return false;
            subscriptions = [.. subscriptions, new Subscription(subscriber, channel)];
            return true;
        }
    }

    /// <summary>Removes the subscription of <paramref name="subscriber"/> to <paramref name="channel"/>.</summary>
    public bool Unsubscribe(IActorRef subscriber, Type channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return Remove(s => s.Subscriber.Equals(subscriber) && s.Channel == channel);
    }

    /// <summary>Removes every subscription of <paramref name="subscriber"/>.</summary>
    public bool Unsubscribe(IActorRef subscriber) => Remove(s => s.Subscriber.Equals(subscriber));

    /// <summary>Sends <paramref name="event"/> to every subscriber of a matching channel.</summary>
    public void Publish(object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var current = subscriptions;
        for (var i = 0; i < current.Length; i++)
        {
            if (current[i].Channel.IsInstanceOfType(@event)) current[i].Subscriber.Tell(@event, ActorRefs.Nobody);
        }
    }

    private bool Remove(Func<Subscription, bool> match)
    {
        var current = subscriptions;
        if (current.Length == 0) return false;
        lock (gate)
        {
            var kept = subscriptions.Where(s => !match(s)).ToArray();
            if (kept.Length == subscriptions.Length) return false;
            subscriptions = kept;
            return true;
        }
    }

    private readonly record struct Subscription(IActorRef Subscriber, Type Channel);
}

/// <summary>The system's dead-letter ref: what it receives is published as a <see cref="DeadLetter"/>.</summary>
internal sealed class DeadLetterActorRef(ActorSystem system, ActorPath path) : IActorRef
{
    public ActorPath Path { get; } = path;

    public void Tell(object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message is DeadLetter deadLetter) system.PublishDeadLetter(deadLetter.Message, deadLetter.Sender, deadLetter.Recipient);
        else system.PublishDeadLetter(message, sender, this);
    }

    public override string ToString() => Path.ToString();
}

/// <summary>Logs dead letters at most <c>log-max</c> per <c>log-interval</c>, then says how many it skipped.</summary>
internal sealed class DeadLetterLogLimiter(ActorSystemSettings settings)
{
    private readonly object gate = new();
    private DateTimeOffset windowStart = DateTimeOffset.MinValue;
    private int loggedInWindow;
    private int suppressed;

    /// <summary>Whether to log this one; <paramref name="suppressedBefore"/> is how many were skipped in the previous window.</summary>
    public bool ShouldLog(DateTimeOffset now, out int suppressedBefore)
    {
        suppressedBefore = 0;
        if (settings.DeadLetterLogMax == 0) return false;
        lock (gate)
        {
            if (now - windowStart >= settings.DeadLetterLogInterval)
            {
                windowStart = now;
                loggedInWindow = 0;
                suppressedBefore = suppressed;
                suppressed = 0;
            }
            if (loggedInWindow < settings.DeadLetterLogMax)
            {
                loggedInWindow++;
                return true;
            }
            suppressed++;
            return false;
        }
    }
}
