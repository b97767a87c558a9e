using Akka;
using Akka.Actor;

namespace ActorMq.Streams;

/// <summary>The <see cref="IConsumerControl"/> of one materialized source: messages to its <see cref="CommittableConsumerActor"/>.</summary>
internal sealed class ConsumerControl(SourceHandle handle, TimeSpan askTimeout) : IConsumerControl
{
    public Task WhenShutdown => handle.Stopped;

    public async Task StopAsync()
    {
        var actor = await ActorAsync().ConfigureAwait(false);
        if (actor is null) return;
        var stopped = actor.Ask<Done>(StopConsuming.Instance, askTimeout);
        // A consumer that stops meanwhile has nothing left to cancel.
        await Task.WhenAny(stopped, handle.Stopped).ConfigureAwait(false);
        if (stopped.IsFaulted && !handle.Stopped.IsCompleted)
            throw new ActorMqException($"stopping the stream source of consumer '{handle.Consumer}' (queue '{handle.Queue}') did not complete within {askTimeout}",
                stopped.Exception!.InnerException);
    }

    public async Task ShutdownAsync()
    {
        var actor = await ActorAsync().ConfigureAwait(false);
        actor?.Tell(ShutdownConsumer.Instance);
        await handle.Stopped.ConfigureAwait(false);
    }

    public async Task<TResult> DrainAndShutdownAsync<TResult>(Task<TResult> streamCompletion)
    {
        ArgumentNullException.ThrowIfNull(streamCompletion);
        await StopAsync().ConfigureAwait(false);
        try
        {
            return await streamCompletion.ConfigureAwait(false);
        }
        finally
        {
            await ShutdownAsync().ConfigureAwait(false);
        }
    }

    public Task DrainAndShutdownAsync(Task streamCompletion)
    {
        ArgumentNullException.ThrowIfNull(streamCompletion);
        return DrainAndShutdownAsync(streamCompletion.ContinueWith(t =>
        {
            t.GetAwaiter().GetResult();
            return NotUsed.Instance;
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default));
    }

    /// <summary>The consumer actor, or null when the source never started or has stopped.</summary>
    private async Task<IActorRef?> ActorAsync()
    {
        if (handle.Stopped.IsCompleted) return null;
        var started = await Task.WhenAny(handle.Actor, handle.Stopped).ConfigureAwait(false);
        return started == handle.Actor && handle.Actor.IsCompletedSuccessfully ? handle.Actor.Result : null;
    }
}
