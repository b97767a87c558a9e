using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace ActorMq.Topology;

/// <summary>The channel operations topology needs; <see cref="TopologyChannel"/> adapts a RabbitMQ.Client <see cref="IChannel"/>.</summary>
internal interface ITopologyChannel : IAsyncDisposable
{
    Task DeclareExchangeAsync(ExchangeDeclaration exchange, CancellationToken cancellationToken);
    Task DeclareQueueAsync(QueueDeclaration queue, CancellationToken cancellationToken);
    Task BindAsync(BindingDeclaration binding, CancellationToken cancellationToken);
}

/// <summary>One declaration the broker refused, with the error that names the queue or exchange and why.</summary>
/// <param name="Declaration">The <see cref="ExchangeDeclaration"/>, <see cref="QueueDeclaration"/> or <see cref="BindingDeclaration"/>.</param>
/// <param name="Error">A <see cref="TopologyMismatchException"/> for a 406, otherwise an <see cref="ActorMqException"/> naming the reply.</param>
internal sealed record TopologyFailure(object Declaration, ActorMqException Error);

/// <summary>What an apply did: the declarations the broker refused and the ones skipped because they depended on those.</summary>
internal sealed record TopologyResult(IReadOnlyList<TopologyFailure> Failures, IReadOnlyList<BindingDeclaration> Skipped)
{
    /// <summary>True when everything was declared.</summary>
    public bool Succeeded => Failures.Count == 0 && Skipped.Count == 0;

    /// <summary>Queues that could not be declared or bound (their consumers must not start).</summary>
    public IReadOnlySet<string> FailedQueues =>
        Failures.Select(f => f.Declaration switch { QueueDeclaration q => q.Name, BindingDeclaration b => b.Queue, _ => null })
            .Concat(Skipped.Select(b => b.Queue))
            .OfType<string>().ToHashSet(StringComparer.Ordinal);
}

/// <summary>
/// Executes a <see cref="TopologyPlan"/>: exchanges, queues, then bindings. A declaration the broker refuses
/// with a channel-level error (406 PRECONDITION_FAILED, 404, 405, 403) closes that channel; the applier records
/// the failure, opens a fresh channel and carries on, so one bad queue does not stop the others. Bindings to a
/// queue or exchange that failed are skipped and reported. A connection-level failure propagates.
/// </summary>
internal sealed class TopologyApplier(Func<CancellationToken, Task<ITopologyChannel>> openChannel)
{
    /// <summary>An applier that opens its channels on <paramref name="connection"/>.</summary>
    public static TopologyApplier For(IConnection connection) =>
        new(async ct => new TopologyChannel(await connection.CreateChannelAsync(cancellationToken: ct).ConfigureAwait(false)));

    /// <summary>Declares everything in <paramref name="plan"/>; see the class summary for failure handling.</summary>
    public async Task<TopologyResult> ApplyAsync(TopologyPlan plan, CancellationToken cancellationToken)
    {
        var failures = new List<TopologyFailure>();
        var skipped = new List<BindingDeclaration>();
        var failedExchanges = new HashSet<string>(StringComparer.Ordinal);
        var failedQueues = new HashSet<string>(StringComparer.Ordinal);
        ITopologyChannel? channel = null;
        try
        {
            foreach (var exchange in plan.Exchanges)
            {
                channel ??= await openChannel(cancellationToken).ConfigureAwait(false);
                var error = await TryAsync(() => channel.DeclareExchangeAsync(exchange, cancellationToken), "exchange", exchange.Name).ConfigureAwait(false);
                if (error is null) continue;
                failures.Add(new TopologyFailure(exchange, error));
                failedExchanges.Add(exchange.Name);
                channel = await ReplaceAsync(channel).ConfigureAwait(false);
            }
            foreach (var queue in plan.Queues)
            {
                channel ??= await openChannel(cancellationToken).ConfigureAwait(false);
                var error = await TryAsync(() => channel.DeclareQueueAsync(queue, cancellationToken), "queue", queue.Name).ConfigureAwait(false);
                if (error is null) continue;
                failures.Add(new TopologyFailure(queue, error));
                failedQueues.Add(queue.Name);
                channel = await ReplaceAsync(channel).ConfigureAwait(false);
            }
            foreach (var binding in plan.Bindings)
            {
                if (failedQueues.Contains(binding.Queue) || failedExchanges.Contains(binding.Exchange))
                {
                    skipped.Add(binding);
                    continue;
                }
                channel ??= await openChannel(cancellationToken).ConfigureAwait(false);
                var error = await TryAsync(() => channel.BindAsync(binding, cancellationToken), "queue", binding.Queue).ConfigureAwait(false);
                if (error is null) continue;
                failures.Add(new TopologyFailure(binding, error));
                channel = await ReplaceAsync(channel).ConfigureAwait(false);
            }
        }
        finally
        {
            if (channel is not null) await channel.DisposeAsync().ConfigureAwait(false);
        }
        return new TopologyResult(failures, skipped);
    }

    // The broker closed the channel: drop it; the next declaration opens a fresh one.
    private static async Task<ITopologyChannel?> ReplaceAsync(ITopologyChannel channel)
    {
        await channel.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    private static async Task<ActorMqException?> TryAsync(Func<Task> declare, string kind, string name)
    {
        try
        {
            await declare().ConfigureAwait(false);
            return null;
        }
        catch (OperationInterruptedException e) when (IsChannelLevel(e.ShutdownReason?.ReplyCode))
        {
            var reply = e.ShutdownReason!;
            return reply.ReplyCode == Constants.PreconditionFailed
                ? BrokerReply.Mismatch(kind, name, reply.ReplyText)
                : new ActorMqException($"declaring {kind} '{name}' failed: {reply.ReplyCode} {reply.ReplyText}", e);
        }
    }

    private static bool IsChannelLevel(ushort? replyCode) =>
        replyCode is Constants.PreconditionFailed or Constants.NotFound or Constants.ResourceLocked or Constants.AccessRefused;
}

/// <summary>Adapts a RabbitMQ.Client <see cref="IChannel"/> to <see cref="ITopologyChannel"/>.</summary>
internal sealed class TopologyChannel(IChannel channel) : ITopologyChannel
{
    public Task DeclareExchangeAsync(ExchangeDeclaration exchange, CancellationToken cancellationToken) =>
        channel.ExchangeDeclareAsync(exchange.Name, exchange.Type, exchange.Durable, exchange.AutoDelete,
            ToTable(exchange.Arguments), passive: false, noWait: false, cancellationToken);

    public Task DeclareQueueAsync(QueueDeclaration queue, CancellationToken cancellationToken) =>
        channel.QueueDeclareAsync(queue.Name, queue.Durable, queue.Exclusive, queue.AutoDelete,
            ToTable(queue.Arguments), passive: false, noWait: false, cancellationToken);

    public Task BindAsync(BindingDeclaration binding, CancellationToken cancellationToken) =>
        channel.QueueBindAsync(binding.Queue, binding.Exchange, binding.RoutingKey, ToTable(binding.Arguments),
            noWait: false, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (channel.IsOpen)
        {
            try { await channel.CloseAsync().ConfigureAwait(false); }
            catch (AlreadyClosedException) { /* closed by the broker meanwhile: nothing left to close */ }
        }
        await channel.DisposeAsync().ConfigureAwait(false);
    }

    private static Dictionary<string, object?>? ToTable(IReadOnlyDictionary<string, object?> arguments) =>
        arguments.Count == 0 ? null : new Dictionary<string, object?>(arguments);
}
