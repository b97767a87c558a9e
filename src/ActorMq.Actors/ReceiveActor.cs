namespace ActorMq.Actors;

/// <summary>
/// An actor whose behaviour is a list of typed handlers registered in its constructor (or in a
/// <see cref="Become"/> callback). The first handler whose type and predicate match a message
/// handles it; a message no handler matches is <see cref="ActorBase.Unhandled"/>.
/// </summary>
public abstract class ReceiveActor : ActorBase
{
    private List<Handler>? building = new();
    private List<Handler> current;
    private List<List<Handler>>? stacked;

    /// <summary>Starts registering the initial behaviour (the constructor's <c>Receive</c> calls).</summary>
    protected ReceiveActor()
    {
        current = building!;
    }

    /// <summary>Handles messages of type <typeparamref name="T"/>.</summary>
    protected void Receive<T>(Action<T> handler) => Add(new SyncHandler<T>(null, handler ?? throw new ArgumentNullException(nameof(handler))));

    /// <summary>Handles messages of type <typeparamref name="T"/> that satisfy <paramref name="shouldHandle"/>.</summary>
    protected void Receive<T>(Predicate<T> shouldHandle, Action<T> handler) =>
        Add(new SyncHandler<T>(shouldHandle ?? throw new ArgumentNullException(nameof(shouldHandle)), handler ?? throw new ArgumentNullException(nameof(handler))));

    /// <summary>
    /// Handles messages of type <typeparamref name="T"/> asynchronously: the mailbox is suspended
    /// (no other message, not even a stop, is processed) until the returned task completes. A
    /// faulted task is a failure of this message, handled by the supervisor. <c>Self</c>,
    /// <c>Sender</c> and the actor's state stay valid after an <c>await</c>.
    /// </summary>
    protected void ReceiveAsync<T>(Func<T, Task> handler) => Add(new AsyncHandler<T>(Cell, null, handler ?? throw new ArgumentNullException(nameof(handler))));

    /// <summary>Like <see cref="ReceiveAsync{T}(Func{T, Task})"/> for messages satisfying <paramref name="shouldHandle"/>.</summary>
    protected void ReceiveAsync<T>(Predicate<T> shouldHandle, Func<T, Task> handler) =>
        Add(new AsyncHandler<T>(Cell, shouldHandle ?? throw new ArgumentNullException(nameof(shouldHandle)), handler ?? throw new ArgumentNullException(nameof(handler))));

    /// <summary>Handles every message not handled by an earlier handler.</summary>
    protected void ReceiveAny(Action<object> handler) => Add(new SyncHandler<object>(null, handler ?? throw new ArgumentNullException(nameof(handler))));

    /// <summary>Asynchronous <see cref="ReceiveAny"/> (mailbox suspended until the task completes).</summary>
    protected void ReceiveAnyAsync(Func<object, Task> handler) => Add(new AsyncHandler<object>(Cell, null, handler ?? throw new ArgumentNullException(nameof(handler))));

    /// <summary>Replaces the current behaviour with the handlers <paramref name="configure"/> registers.</summary>
    protected void Become(Action configure)
    {
        var behaviour = Build(configure);
        if (stacked is { Count: > 0 }) stacked[^1] = behaviour;
        current = behaviour;
    }

    /// <summary>Pushes a new behaviour; <see cref="UnbecomeStacked"/> returns to the previous one.</summary>
    protected void BecomeStacked(Action configure)
    {
        var behaviour = Build(configure);
        stacked ??= new List<List<Handler>> { current };
        stacked.Add(behaviour);
        current = behaviour;
    }

    /// <summary>Returns to the behaviour before the last <see cref="BecomeStacked"/> (no effect on the initial behaviour).</summary>
    protected void UnbecomeStacked()
    {
        if (stacked is not { Count: > 1 }) return;
        stacked.RemoveAt(stacked.Count - 1);
        current = stacked[^1];
    }

    /// <inheritdoc />
    protected sealed override bool Receive(object message)
    {
        // Only reached when a subclass calls base.Receive; the kernel goes through InvokeReceive.
        var handled = InvokeReceive(message, out var pending);
        if (pending is not null) throw new InvalidOperationException("ReceiveAsync handlers cannot be called through base.Receive");
        return handled;
    }

    internal sealed override bool InvokeReceive(object message, out Task? pending)
    {
        building = null;
        var handlers = current;
        for (var i = 0; i < handlers.Count; i++)
        {
            if (handlers[i].TryHandle(message, out pending)) return true;
        }
        pending = null;
        return false;
    }

    private List<Handler> Build(Action configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var previous = building;
        building = new List<Handler>();
        try
        {
            configure();
            return building;
        }
        finally
        {
            building = previous;
        }
    }

    private void Add(Handler handler)
    {
        if (building is null)
            throw new InvalidOperationException("Receive handlers can only be registered in the constructor or in a Become/BecomeStacked callback");
        building.Add(handler);
    }

    private abstract class Handler
    {
        public abstract bool TryHandle(object message, out Task? pending);
    }

    private sealed class SyncHandler<T>(Predicate<T>? shouldHandle, Action<T> action) : Handler
    {
        public override bool TryHandle(object message, out Task? pending)
        {
            pending = null;
            if (message is not T typed || (shouldHandle is not null && !shouldHandle(typed))) return false;
            action(typed);
            return true;
        }
    }

    private sealed class AsyncHandler<T>(ActorCell cell, Predicate<T>? shouldHandle, Func<T, Task> action) : Handler
    {
        public override bool TryHandle(object message, out Task? pending)
        {
            if (message is not T typed || (shouldHandle is not null && !shouldHandle(typed)))
            {
                pending = null;
                return false;
            }
            pending = cell.StartAsyncHandler(action, typed);
            return true;
        }
    }
}
