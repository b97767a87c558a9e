namespace ActorMq.Actors;

/// <summary>Request/response with actors.</summary>
public static class AskExtensions
{
    /// <summary>
    /// Sends <paramref name="message"/> with a temporary sender and awaits the first reply. A
    /// <see cref="Status.Failure"/> reply throws its cause; a reply of another type than
    /// <typeparamref name="T"/> throws <see cref="InvalidCastException"/>; no reply within
    /// <paramref name="timeout"/> throws <see cref="AskTimeoutException"/>; cancelling
    /// <paramref name="cancellationToken"/> throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public static async Task<T> Ask<T>(this IActorRef target, object message, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(message);
        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "an ask timeout must be positive");
        var promise = new PromiseActorRef(target.Path);
        target.Tell(message, promise);
        object reply;
        try
        {
            reply = await promise.Reply.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new AskTimeoutException($"Ask to {target.Path} timed out after {timeout.TotalMilliseconds:0} ms waiting for a reply to {message.GetType().Name}");
        }
        return reply switch
        {
            Status.Failure failure => throw failure.Cause,
            T typed => typed,
            _ => throw new InvalidCastException($"Ask to {target.Path} expected a reply of type {typeof(T).Name} but got {reply.GetType().Name}"),
        };
    }

    /// <summary>The temporary sender of an ask: completes with the first message it receives.</summary>
    private sealed class PromiseActorRef(ActorPath target) : IActorRef
    {
        private readonly TaskCompletionSource<object> reply = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<object> Reply => reply.Task;

        public ActorPath Path => target.Root / "temp" / "$ask";

        public void Tell(object message, IActorRef? sender = null)
        {
            ArgumentNullException.ThrowIfNull(message);
            reply.TrySetResult(message);
        }

        public override string ToString() => Path.ToString();
    }
}

/// <summary>Turning a task's outcome into a message.</summary>
public static class PipeToExtensions
{
    /// <summary>
    /// When <paramref name="task"/> completes, sends its result (mapped by <paramref name="success"/>)
    /// to <paramref name="recipient"/>, or on failure <paramref name="failure"/>'s message (default:
    /// <see cref="Status.Failure"/>). Capture <c>Sender</c> before calling if you pass it.
    /// </summary>
    public static async Task PipeTo<T>(this Task<T> task, IActorRef recipient, IActorRef? sender = null,
        Func<T, object>? success = null, Func<Exception, object>? failure = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(recipient);
        object message;
        try
        {
            var result = await task.ConfigureAwait(false);
            message = success is not null ? success(result) : result ?? (object)new Status.Success(null);
        }
        catch (Exception e)
        {
            message = failure is not null ? failure(e) : new Status.Failure(e);
        }
        recipient.Tell(message, sender ?? ActorRefs.Nobody);
    }

    /// <summary>
    /// When <paramref name="task"/> completes, sends <paramref name="success"/>'s message (default:
    /// <see cref="Status.Success"/> with no value) or, on failure, <paramref name="failure"/>'s message
    /// (default: <see cref="Status.Failure"/>) to <paramref name="recipient"/>.
    /// </summary>
    public static async Task PipeTo(this Task task, IActorRef recipient, IActorRef? sender = null,
        Func<object>? success = null, Func<Exception, object>? failure = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(recipient);
        object message;
        try
        {
            await task.ConfigureAwait(false);
            message = success is not null ? success() : new Status.Success(null);
        }
        catch (Exception e)
        {
            message = failure is not null ? failure(e) : new Status.Failure(e);
        }
        recipient.Tell(message, sender ?? ActorRefs.Nobody);
    }
}
