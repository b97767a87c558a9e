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
        var run = new Run(openChannel, cancellationToken);
        try
        {
            var failedExchanges = await run.DeclareAllAsync(plan.Exchanges, (c, e, ct) => c.DeclareExchangeAsync(e, ct), e => ("exchange", e.Name)).ConfigureAwait(false);
            var failedQueues = await run.DeclareAllAsync(plan.Queues, (c, q, ct) => c.DeclareQueueAsync(q, ct), q => ("queue", q.Name)).ConfigureAwait(false);
            bool Skip(BindingDeclaration b) => failedQueues.Contains(b.Queue) || failedExchanges.Contains(b.Exchange);
            await run.DeclareAllAsync(plan.Bindings.Where(b => !Skip(b)), (c, b, ct) => c.BindAsync(b, ct), b => ("queue", b.Queue)).ConfigureAwait(false);
            var skipped = plan.Bindings.Where(Skip).ToList();
            return new TopologyResult(run.Failures, skipped);
        }
        finally
        {
            await run.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>One apply: the current channel (opened lazily, replaced after the broker closes it) and the failures so far.</summary>
    private sealed class Run(Func<CancellationToken, Task<ITopologyChannel>> openChannel, CancellationToken cancellationToken) : IAsyncDisposable
    {
        private ITopologyChannel? _channel;

        public List<TopologyFailure> Failures { get; } = [];

        /// <summary>Declares each item; returns the names (per <paramref name="describe"/>) of those the broker refused.</summary>
        public async Task<HashSet<string>> DeclareAllAsync<T>(IEnumerable<T> items, Func<ITopologyChannel, T, CancellationToken, Task> declare,
            Func<T, (string Kind, string Name)> describe) where T : notnull
        {
            var failed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in items)
            {
                _channel ??= await openChannel(cancellationToken).ConfigureAwait(false);
                var (kind, name) = describe(item);
                var channel = _channel;
                var error = await TryAsync(() => declare(channel, item, cancellationToken), kind, name).ConfigureAwait(false);
                if (error is null) continue;
                Failures.Add(new TopologyFailure(item, error));
                failed.Add(name);
                _channel = await ReplaceAsync(channel).ConfigureAwait(false);
            }
            return failed;
        }

        public async ValueTask DisposeAsync()
        {
            if (_channel is not null) await _channel.DisposeAsync().ConfigureAwait(false);
        }
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
