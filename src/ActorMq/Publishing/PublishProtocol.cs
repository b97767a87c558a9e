using Akka.Actor;
using RabbitMQ.Client;

namespace ActorMq.Publishing;

/// <summary>
/// Publishes a message with publisher confirms (the actor protocol; non-actor code uses
/// <see cref="ActorMqClient.PublishAsync{TMessage}"/>). Tell it to <see cref="ActorMqClient.Publisher"/>; the sender
/// gets <see cref="Published"/> once the broker confirmed the message, or <see cref="PublishFailed"/>.
/// </summary>
/// <param name="Exchange">The exchange; empty for the default exchange (routing key = queue name).</param>
/// <param name="RoutingKey">The routing key.</param>
/// <param name="Body">The body, already serialized.</param>
/// <param name="Properties">The properties; build them with <see cref="ActorMqClient.CreateProperties"/> so they carry a
/// message id, timestamp, persistence and trace context. Null: ActorMq builds them (content type application/octet-stream).</param>
/// <param name="Mandatory">Return unroutable messages as a <see cref="PublishReturnedException"/> (default true).</param>
public sealed record Publish(string Exchange, string RoutingKey, ReadOnlyMemory<byte> Body, BasicProperties? Properties = null, bool Mandatory = true);

/// <summary>The broker confirmed the message with <paramref name="MessageId"/>.</summary>
public sealed record Published(string MessageId);

/// <summary>Publishing the message with <paramref name="MessageId"/> failed for good; <paramref name="Error"/> says why
/// (<see cref="PublishReturnedException"/>, <see cref="BackPressureException"/>, <see cref="PublishNackedException"/>,
/// <see cref="PublishConfirmTimeoutException"/>, <see cref="MessageTooLargeException"/>).</summary>
public sealed record PublishFailed(string MessageId, Exception Error);

/// <summary>One publish as the publisher tracks it: from an actor (<see cref="ReplyTo"/>) or from a task (<see cref="Completion"/>).</summary>
internal sealed record PublishRequest(
    string Exchange,
    string RoutingKey,
    ReadOnlyMemory<byte> Body,
    BasicProperties Properties,
    bool Mandatory,
    IActorRef? ReplyTo,
    TaskCompletionSource<Published>? Completion,
    int Retries = 0)
{
    /// <summary>Back in the buffer after its channel was lost while it awaited its confirm.</summary>
    public bool Sent { get; init; }

    private static long _ids;

    /// <summary>Unique per request (its retries keep it): the key of its retry timer.</summary>
    public long Id { get; init; } = Interlocked.Increment(ref _ids);

    public string MessageId => Properties.MessageId ?? "";

    public static PublishRequest From(Publish publish, IActorRef? replyTo)
    {
        var properties = publish.Properties ?? MessageEnvelope.Create("application/octet-stream", null, null, DateTimeOffset.UtcNow, System.Diagnostics.Activity.Current);
        if (string.IsNullOrEmpty(properties.MessageId)) properties.MessageId = MessageEnvelope.NewMessageId();
        return new PublishRequest(publish.Exchange, publish.RoutingKey, publish.Body, properties, publish.Mandatory,
            replyTo.IsNobody() ? null : replyTo, null);
    }

    public void Complete()
    {
        var published = new Published(MessageId);
        Completion?.TrySetResult(published);
        ReplyTo?.Tell(published);
    }

    public void Fail(Exception error)
    {
        Completion?.TrySetException(error);
        ReplyTo?.Tell(new PublishFailed(MessageId, error));
    }
}

/// <summary>Shutdown: answer <see cref="PublisherFlushed"/> to the sender once nothing is in flight (or the link is down).</summary>
internal sealed record FlushPublisher
{
    public static FlushPublisher Instance { get; } = new();
}

/// <summary>The publisher has nothing in flight; <paramref name="Buffered"/> requests could not be sent (link down).</summary>
internal sealed record PublisherFlushed(int Buffered);

/// <summary>Asks a publisher for its state; answered with <see cref="PublisherState"/>.</summary>
internal sealed record GetPublisherState
{
    public static GetPublisherState Instance { get; } = new();
}

/// <summary>A publisher's state, for health checks and tests.</summary>
internal sealed record PublisherState(bool ChannelOpen, bool Blocked, int Buffered, int InFlight);
