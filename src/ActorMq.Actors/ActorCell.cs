using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace ActorMq.Actors;

/// <summary>
/// The runtime of one actor: its mailbox (a user queue and a system queue), its scheduling state,
/// its current instance and its place in the tree. The actor's code runs inside <see cref="Execute"/>,
/// on at most one thread at a time; the scheduled flag (<see cref="status"/>, changed with interlocked
/// operations) orders one run before the next, which makes every write of one message visible to
/// the next. Everything an idle actor does not need lives in the lazily created <see cref="CellExtras"/>.
/// </summary>
internal sealed partial class ActorCell : IActorContext, IThreadPoolWorkItem
{
    private const int Idle = 0;
    private const int Scheduled = 1;

    [ThreadStatic] private static ActorCell? current;
    [ThreadStatic] private static ActorCell? constructing;

    private readonly ActorCell? parent;
    private readonly MessageDispatcher dispatcher;
    private readonly int mailboxCapacity;

    // User queue: a power-of-two ring buffer guarded by lock(this); created on the first message.
    private Envelope[]? buffer;
    private int head;
    private int count;
    private bool closed;

    private SystemMessage? systemHead;
    private int status;

    // Below: touched only by the thread running this actor.
    private ActorBase? actor;
    private Task? pendingTask;
    private object? currentMessage;
    private IActorRef? currentSender;
    private Lifecycle lifecycle;
    private bool failed;
    private volatile bool stopRequested;
    private CellExtras? extras;

    public ActorCell(ActorSystem system, Props props, ActorCell? parent, ActorPath path, MessageDispatcher dispatcher, int mailboxCapacity)
    {
        System = system;
        Props = props;
        this.parent = parent;
        this.dispatcher = dispatcher;
        this.mailboxCapacity = mailboxCapacity;
        SelfRef = new LocalActorRef(this, path);
    }

    private enum Lifecycle : byte
    {
        NotStarted,
        Running,
        Restarting,
        Terminating,
        Terminated,
    }

    // Set only around the start of a ReceiveAsync handler, so the continuations after its awaits
    // (which may run on any thread, even inline on another actor's) still know their actor.
    private static readonly AsyncLocal<ActorCell?> AsyncHandlerCell = new();

    /// <summary>The actor whose code is running here: an async handler's actor, else the actor processed on this thread.</summary>
    public static ActorCell? Current => AsyncHandlerCell.Value ?? current;

    /// <summary>The cell whose actor is being constructed on this thread (read by <see cref="ActorBase"/>'s constructor).</summary>
    public static ActorCell? Constructing => constructing;

    public ActorSystem System { get; }

    public Props Props { get; }

    public LocalActorRef SelfRef { get; }

    public IActorRef Self => SelfRef;

    public ActorPath Path => SelfRef.Path;

    public IActorRef? CurrentSender => currentSender;

    public IActorRef Sender => currentSender ?? System.DeadLetters;

    public IActorRef Parent => (IActorRef?)parent?.SelfRef ?? ActorRefs.Nobody;

    public ILogger Log => EnsureExtras().Logger ??= System.LoggerFor(actor?.GetType() ?? Props.ActorType);

    private bool CanProcessUserMessages => lifecycle == Lifecycle.Running && !failed && pendingTask is null;

    /// <summary>Enqueues a user message; to dead letters if the actor has stopped or its bounded mailbox is full.</summary>
    public void Post(object message, IActorRef? sender)
    {
        bool accepted;
        lock (this)
        {
            accepted = !closed && (mailboxCapacity <= 0 || count < mailboxCapacity);
            if (accepted) EnqueueLocked(new Envelope(message, sender));
        }
        if (accepted) Schedule();
        else System.PublishDeadLetter(message, sender, SelfRef);
    }

    /// <summary>Enqueues a kernel message for this actor, ahead of user messages.</summary>
    public void SendSystemMessage(SystemMessage message)
    {
        while (true)
        {
            var headNow = Volatile.Read(ref systemHead);
            if (headNow == SystemQueueClosed.Instance)
            {
                HandleAfterStop(message);
                return;
            }
            message.Next = headNow;
            if (Interlocked.CompareExchange(ref systemHead, message, headNow) == headNow) break;
        }
        Schedule();
    }

    /// <summary>Runs one batch: system messages, then up to <c>throughput</c> user messages.</summary>
    public void Execute()
    {
        var previous = current;
        current = this;
        try
        {
            Process();
        }
        catch (Exception e)
        {
            // The kernel itself must never take the process down.
            Actors.Log.KernelError(System.Log, Path.ToString(), e);
        }
        finally
        {
            current = previous;
            Interlocked.Exchange(ref status, Idle);
            if (HasWork()) Schedule();
        }
    }

    private void Process()
    {
        if (pendingTask is { } task)
        {
            if (!task.IsCompleted) return;
            CompleteAsync(task);
        }
        ProcessSystemMessages();
        var left = dispatcher.Throughput;
        while (left-- > 0 && CanProcessUserMessages && TryDequeue(out var envelope))
        {
            Invoke(envelope);
            if (Volatile.Read(ref systemHead) is not null) ProcessSystemMessages();
        }
    }

    private bool HasWork()
    {
        if (pendingTask is { } task) return task.IsCompleted;
        var headNow = Volatile.Read(ref systemHead);
        if (headNow is not null && headNow != SystemQueueClosed.Instance) return true;
        return CanProcessUserMessages && Volatile.Read(ref count) > 0;
    }

    private void Schedule()
    {
        if (Interlocked.CompareExchange(ref status, Scheduled, Idle) == Idle) dispatcher.Schedule(this);
    }

    private void Invoke(Envelope envelope)
    {
        currentMessage = envelope.Message;
        currentSender = envelope.Sender;
        try
        {
            var message = Translate(envelope.Message);
            if (message is not null)
            {
                var handled = actor!.InvokeReceive(message, out var pending);
                if (pending is not null)
                {
                    if (!pending.IsCompleted)
                    {
                        SuspendUntil(pending);
                        return;
                    }
                    pending.GetAwaiter().GetResult();
                }
                if (!handled) actor.InvokeUnhandled(message);
                if (message is not global::ActorMq.Actors.ReceiveTimeout) RestartReceiveTimeout();
            }
        }
        catch (Exception e)
        {
            HandleInvokeFailure(e);
        }
        finally
        {
            if (pendingTask is null)
            {
                currentMessage = null;
                currentSender = null;
            }
        }
    }

    /// <summary>Handles kernel messages that travel in the user queue; returns what the actor should see, or null.</summary>
    private object? Translate(object message)
    {
        switch (message)
        {
            case PoisonPill:
                SendSystemMessage(new TerminateActor());
                return null;
            case Kill:
                throw new ActorKilledException(Path);
            case TimerScheduler.TimerFired fired:
                return extras?.Timers?.OnFired(fired);
            case ReceiveTimeoutTick tick:
                return extras is { ReceiveTimeout: not null } e && e.ReceiveTimeoutGeneration == tick.Generation ? global::ActorMq.Actors.ReceiveTimeout.Instance : null;
            case WatchedActorTerminated watched:
                // Delivered only while still watched (an Unwatch in between drops it).
                return extras?.Watching?.Remove(watched.Terminated.ActorRef) == true ? watched.Terminated : null;
            default:
                return message;
        }
    }

    /// <summary>Starts an async handler with this actor flowing into its continuations.</summary>
    internal Task StartAsyncHandler<T>(Func<T, Task> handler, T message)
    {
        var previous = AsyncHandlerCell.Value;
        AsyncHandlerCell.Value = this;
        try
        {
            return handler(message) ?? Task.CompletedTask;
        }
        finally
        {
            AsyncHandlerCell.Value = previous;
        }
    }

    private void SuspendUntil(Task task)
    {
        pendingTask = task;
        var ex = EnsureExtras();
        ex.ResumeAfterTask ??= Schedule;
        task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(ex.ResumeAfterTask);
    }

    private void CompleteAsync(Task task)
    {
        pendingTask = null;
        try
        {
            task.GetAwaiter().GetResult();
            RestartReceiveTimeout();
        }
        catch (Exception e)
        {
            HandleInvokeFailure(e);
        }
        finally
        {
            currentMessage = null;
            currentSender = null;
        }
    }

    private void ProcessSystemMessages()
    {
        while (true)
        {
            var headNow = Volatile.Read(ref systemHead);
            if (headNow is null || headNow == SystemQueueClosed.Instance) return;
            var list = Reverse(Interlocked.Exchange(ref systemHead, null));
            while (list is not null)
            {
                var next = list.Next;
                list.Next = null;
                if (lifecycle == Lifecycle.Terminated) HandleAfterStop(list);
                else HandleSystemMessageSafely(list);
                list = next;
            }
        }
    }

    private static SystemMessage? Reverse(SystemMessage? list)
    {
        SystemMessage? reversed = null;
        while (list is not null)
        {
            var next = list.Next;
            list.Next = reversed;
            reversed = list;
            list = next;
        }
        return reversed;
    }

    private void HandleSystemMessageSafely(SystemMessage message)
    {
        try
        {
            HandleSystemMessage(message);
        }
        catch (Exception e)
        {
            HandleInvokeFailure(e);
        }
    }

    private void HandleSystemMessage(SystemMessage message)
    {
        switch (message)
        {
            case CreateActor:
                Create();
                break;
            case TerminateActor:
                BeginTerminate();
                break;
            case RecreateActor recreate:
                BeginRecreate(recreate.Cause);
                break;
            case ResumeActor:
                Resume();
                break;
            case ChildFailed childFailed:
                HandleChildFailure(childFailed.Child, childFailed.Cause);
                break;
            case ChildStopped:
                OnChildStopped();
                break;
            case WatchActor watch:
                AddWatcher(watch.Watcher);
                break;
            case UnwatchActor unwatch:
                extras?.Watchers?.Remove(unwatch.Watcher);
                break;
            case DeathWatchNotification notification:
                OnWatchedActorStopped(notification.Actor);
                break;
        }
    }

    // ----- user queue -----

    private void EnqueueLocked(in Envelope envelope)
    {
        if (buffer is null) buffer = new Envelope[4];
        else if (count == buffer.Length) Grow();
        buffer[(head + count) & (buffer.Length - 1)] = envelope;
        Volatile.Write(ref count, count + 1);
    }

    private void PrependLocked(in Envelope envelope)
    {
        if (buffer is null) buffer = new Envelope[4];
        else if (count == buffer.Length) Grow();
        head = (head - 1) & (buffer.Length - 1);
        buffer[head] = envelope;
        Volatile.Write(ref count, count + 1);
    }

    private void Grow()
    {
        var larger = new Envelope[buffer!.Length * 2];
        for (var i = 0; i < count; i++) larger[i] = buffer[(head + i) & (buffer.Length - 1)];
        buffer = larger;
        head = 0;
    }

    private bool TryDequeue(out Envelope envelope)
    {
        lock (this)
        {
            if (count == 0)
            {
                envelope = default;
                return false;
            }
            envelope = buffer![head];
            buffer[head] = default;
            head = (head + 1) & (buffer.Length - 1);
            Volatile.Write(ref count, count - 1);
            return true;
        }
    }

    /// <summary>Puts messages back at the front of the mailbox, keeping their order (unstash).</summary>
    internal void Prepend(IReadOnlyList<Envelope> envelopes)
    {
        lock (this)
        {
            for (var i = envelopes.Count - 1; i >= 0; i--) PrependLocked(envelopes[i]);
        }
    }

    private List<Envelope> CloseMailbox()
    {
        var left = new List<Envelope>();
        lock (this)
        {
            closed = true;
            while (count > 0)
            {
                left.Add(buffer![head]);
                head = (head + 1) & (buffer.Length - 1);
                count--;
            }
            buffer = null;
        }
        return left;
    }

    internal Envelope CurrentEnvelope =>
        new(currentMessage ?? throw new InvalidOperationException("Stash() can only be called while processing a message"), currentSender);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private CellExtras EnsureExtras()
    {
        var existing = Volatile.Read(ref extras);
        if (existing is not null) return existing;
        Interlocked.CompareExchange(ref extras, new CellExtras(), null);
        return extras!;
    }

    public override string ToString() => Path.ToString();
}
