using Akka.Actor;
using RabbitMQ.Client;

namespace ActorMq.Topology;

/// <summary>
/// Declares the topology (exchanges, queues — classic or quorum with an explicit <c>x-delivery-limit</c> —, bindings,
/// retry tiers, delay queues, consumer groups) on <see cref="DeclareTopology"/>, which the connection supervisor sends
/// on every (re)connect, and replies <see cref="TopologyDeclared"/>. Declarations are idempotent. A declaration that
/// conflicts with what the broker has (PRECONDITION_FAILED) is reported as a <see cref="TopologyMismatchException"/>
/// naming the queue or exchange and the differing argument, and the remaining declarations still run — one bad queue
/// does not take the other consumers down. One declaration run at a time (the mailbox waits).
/// Child of the connection supervisor.
/// </summary>
internal sealed class TopologyActor : ReceiveActor
{
    public TopologyActor()
    {
        ReceiveAsync<DeclareTopology>(HandleAsync);
        ReceiveAsync<InspectQueues>(HandleAsync);
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new TopologyActor());

    private async Task HandleAsync(InspectQueues inspect)
    {
        var replyTo = Sender;
        var depths = new List<QueueDepth>();
        if (inspect.Connection is { IsOpen: true } connection)
        {
            IChannel? channel = null;
            try
            {
                foreach (var queue in inspect.Queues)
                {
                    channel ??= await connection.CreateChannelAsync();
                    try
                    {
                        var ok = await channel.QueueDeclarePassiveAsync(queue);
                        depths.Add(new QueueDepth(queue, true, ok.MessageCount, ok.ConsumerCount));
                    }
                    catch (RabbitMQ.Client.Exceptions.OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
                    {
                        depths.Add(new QueueDepth(queue, false, 0, 0));
                        await channel.DisposeAsync(); // a 404 closes the channel
                        channel = null;
                    }
                }
            }
            catch (Exception e) when (e is RabbitMQ.Client.Exceptions.RabbitMQClientException or IOException or ObjectDisposedException)
            {
                // The link went while inspecting: answer with what was read.
            }
            finally
            {
                if (channel is not null) await channel.DisposeAsync();
            }
        }
        replyTo.Tell(new QueueDepths(depths));
    }

    private async Task HandleAsync(DeclareTopology declare)
    {
        var replyTo = Sender;
        try
        {
            var result = await TopologyApplier.For(declare.Connection).ApplyAsync(declare.Plan, CancellationToken.None);
            replyTo.Tell(new TopologyDeclared(declare.Generation, result, null));
        }
        catch (Exception e)
        {
            replyTo.Tell(new TopologyDeclared(declare.Generation, new TopologyResult([], []), e));
        }
    }
}

/// <summary>Reads each queue's depth with a passive declare (no management plugin needed); replies <see cref="QueueDepths"/>.</summary>
internal sealed record InspectQueues(IConnection? Connection, IReadOnlyList<string> Queues);

/// <summary>One queue's depth.</summary>
/// <param name="Queue">The queue.</param>
/// <param name="Exists">False when the broker does not have it (then the counts are 0).</param>
/// <param name="Messages">Ready messages.</param>
/// <param name="Consumers">Consumers attached.</param>
public sealed record QueueDepth(string Queue, bool Exists, long Messages, long Consumers);

/// <summary>The depths asked for, in order; empty when the link is down.</summary>
internal sealed record QueueDepths(IReadOnlyList<QueueDepth> Depths);

/// <summary>Declare <paramref name="Plan"/> on <paramref name="Connection"/>; reply <see cref="TopologyDeclared"/>.</summary>
internal sealed record DeclareTopology(IConnection Connection, TopologyPlan Plan, long Generation);

/// <summary>The plan ran: <paramref name="Result"/> lists the declarations that conflicted; <paramref name="Error"/> is set when
/// the link failed while declaring.</summary>
internal sealed record TopologyDeclared(long Generation, TopologyResult Result, Exception? Error);

/// <summary>
/// Adds declarations to the topology for good (declared now when the link is up, and again on every reconnect); answered
/// with <see cref="TopologyExtended"/> once they are declared. Used for delay queues created on demand.
/// </summary>
internal sealed record ExtendTopology(TopologyPlan Plan);

/// <summary>The extension is declared (<paramref name="Error"/> null) or failed.</summary>
internal sealed record TopologyExtended(Exception? Error);
