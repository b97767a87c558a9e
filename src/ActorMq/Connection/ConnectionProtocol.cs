using RabbitMQ.Client;

namespace ActorMq.Connection;

/// <summary>A channel owner asks the connection supervisor for the current link; answered with <see cref="LinkUp"/> once there is one.</summary>
internal sealed record RequestLink
{
    public static RequestLink Instance { get; } = new();
}

/// <summary>
/// A channel owner created after start (an Akka.Streams source) joins the supervisor's owners: it is watched, gets
/// <see cref="LinkUp"/> at once when the link is up and every <see cref="LinkDown"/> / <see cref="LinkUp"/> after, and is
/// forgotten when it stops.
/// </summary>
internal sealed record RegisterChannelOwner(Akka.Actor.IActorRef Owner);

/// <summary>
/// The link is up and the topology declared: channel owners open their channels on these connections.
/// Publishing and consuming use separate connections, so a blocked publisher never stalls consumers' acks.
/// </summary>
internal sealed record LinkUp(IConnection PublishConnection, IConnection ConsumeConnection, long Generation);

/// <summary>The link is gone; channels on it are dead. A <see cref="LinkUp"/> follows after reconnecting.</summary>
internal sealed record LinkDown(long Generation, string Reason);

/// <summary>The broker blocked (resource alarm) or unblocked the publishing connection.</summary>
internal sealed record LinkBlocked(bool Blocked, string Reason);

/// <summary>The state of the broker link.</summary>
public enum LinkState
{
    /// <summary>Not connected yet, or reconnecting after a loss.</summary>
    Connecting,

    /// <summary>Connected and the topology declared.</summary>
    Connected,

    /// <summary>Connected, but the broker blocks publishing (a memory or disk alarm).</summary>
    Blocked,

    /// <summary>Gave up: the outage exceeded <c>actormq.connection.max-outage</c>, or the broker refused access.</summary>
    Failed,
}

/// <summary>Published on the event stream whenever the link changes state.</summary>
/// <param name="State">The new state.</param>
/// <param name="Endpoint">The endpoint (credentials masked), when connected.</param>
/// <param name="Reason">Why it changed (the broker's reply, the exception), when known.</param>
/// <param name="Since">When the state began.</param>
public sealed record LinkStateChanged(LinkState State, string? Endpoint, string? Reason, DateTimeOffset Since);

/// <summary>Asks the connection supervisor for the link's state; answered with <see cref="LinkStateChanged"/>.</summary>
public sealed record GetLinkState
{
    /// <summary>The singleton.</summary>
    public static GetLinkState Instance { get; } = new();
}
