namespace ActorMq.Actors;

/// <summary>Creation, restart and stop of the actor instance; failure reporting to the parent.</summary>
internal sealed partial class ActorCell
{
    /// <summary>Completes when this actor has stopped (used for the guardians and by shutdown).</summary>
    internal Task WhenStopped
    {
        get
        {
            var ex = EnsureExtras();
            lock (ex)
            {
                ex.Stopped ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (lifecycle == Lifecycle.Terminated) ex.Stopped.TrySetResult();
                return ex.Stopped.Task;
            }
        }
    }

    /// <summary>Marks that a stop is on its way (read by a restarting parent waiting for its stopping children).</summary>
    internal void MarkStopRequested() => stopRequested = true;

    private void Create()
    {
        if (lifecycle != Lifecycle.NotStarted) return;
        lifecycle = Lifecycle.Running;
        try
        {
            NewInstance();
            actor!.InvokePreStart();
        }
        catch (Exception e)
        {
            HandleInvokeFailure(new ActorInitializationException(Path, Unwrap(e)));
        }
    }

    private void NewInstance()
    {
        var previous = constructing;
        constructing = this;
        try
        {
            actor = Props.NewActor();
        }
        finally
        {
            constructing = previous;
        }
    }

    internal TimerScheduler Timers => EnsureExtras().Timers ??= new TimerScheduler(this);

    internal StashBuffer NewStash() => EnsureExtras().Stash = new StashBuffer(this, System.Settings.StashCapacity);

    private void HandleInvokeFailure(Exception cause)
    {
        if (lifecycle >= Lifecycle.Terminating || failed)
        {
            Actors.Log.FailureWhileStopping(System.Log, Path.ToString(), cause);
            return;
        }
        failed = true;
        var ex = EnsureExtras();
        ex.FailedMessage = currentMessage;
        if (parent is null)
        {
            Actors.Log.ActorFailed(System.Log, Path.ToString(), Directive.Stop, cause);
            BeginTerminate();
            return;
        }
        parent.SendSystemMessage(new ChildFailed(this, cause));
    }

    private void Resume()
    {
        if (!failed) return;
        failed = false;
        if (extras is { EscalatedChild: { } child } ex)
        {
            ex.EscalatedChild = null;
            child.SendSystemMessage(new ResumeActor());
        }
    }

    private void BeginRecreate(Exception cause)
    {
        if (lifecycle >= Lifecycle.Terminating) return;
        var ex = EnsureExtras();
        var message = ex.FailedMessage;
        ex.FailedMessage = null;
        ex.EscalatedChild = null;
        failed = true;
        StopTimers();
        if (actor is not null && lifecycle == Lifecycle.Running)
        {
            try
            {
                actor.InvokePreRestart(cause, message);
            }
            catch (Exception e)
            {
                Actors.Log.PreRestartFailed(System.Log, Path.ToString(), e);
            }
        }
        ex.Stash?.UnstashAll();
        ex.Stash = null;
        actor = null;
        lifecycle = Lifecycle.Restarting;
        ex.RestartCause = cause;
        if (!WaitForChildren(restarting: true)) FinishRecreate();
    }

    private void FinishRecreate()
    {
        var ex = EnsureExtras();
        var cause = ex.RestartCause!;
        ex.RestartCause = null;
        lifecycle = Lifecycle.Running;
        failed = false;
        // Children the old instance kept (its PreRestart did not stop them) are restarted too;
        // children the new instance creates are not.
        var survivors = ChildCells();
        try
        {
            NewInstance();
            actor!.InvokePostRestart(cause);
        }
        catch (Exception e)
        {
            HandleInvokeFailure(new ActorInitializationException(Path, Unwrap(e)));
            return;
        }
        foreach (var survivor in survivors) survivor.SendSystemMessage(new RecreateActor(cause));
    }

    private void BeginTerminate()
    {
        if (lifecycle >= Lifecycle.Terminating) return;
        var ex = extras;
        if (ex is not null)
        {
            lock (ex) lifecycle = Lifecycle.Terminating;
        }
        else
        {
            lifecycle = Lifecycle.Terminating;
        }
        stopRequested = true;
        StopTimers();
        foreach (var child in ChildCells()) StopChild(child);
        if (!WaitForChildren(restarting: false)) FinishTerminate();
    }

    private void FinishTerminate()
    {
        if (actor is not null)
        {
            try
            {
                actor.InvokePostStop();
            }
            catch (Exception e)
            {
                Actors.Log.PostStopFailed(System.Log, Path.ToString(), e);
            }
            actor = null;
        }
        lifecycle = Lifecycle.Terminated;
        failed = false;

        foreach (var left in CloseMailbox()) System.PublishDeadLetter(left.Message, left.Sender, SelfRef);
        var ex = extras;
        if (ex?.Stash is { } stash)
        {
            foreach (var left in stash.Drain()) System.PublishDeadLetter(left.Message, left.Sender, SelfRef);
        }
        var remaining = Reverse(Interlocked.Exchange(ref systemHead, SystemQueueClosed.Instance));
        for (var m = remaining; m is not null; m = m.Next) HandleAfterStop(m);

        // The parent frees the name first, so a watcher that reacts to Terminated can reuse it.
        if (parent is not null) parent.RemoveChild(this);
        if (ex is not null) NotifyWatchersAndUnwatch(ex);
        System.EventStream.Unsubscribe(SelfRef);
        if (ex is not null)
        {
            lock (ex) ex.Stopped?.TrySetResult();
        }
    }

    /// <summary>A kernel message that reached a stopped actor: a watcher still gets its notification.</summary>
    private void HandleAfterStop(SystemMessage message)
    {
        if (message is WatchActor watch) watch.Watcher.SendSystemMessage(new DeathWatchNotification(SelfRef));
    }

    private void StopTimers()
    {
        if (extras is not { } ex) return;
        ex.Timers?.CancelAll();
        ex.ReceiveTimeoutTask?.Cancel();
        ex.ReceiveTimeoutTask = null;
    }

    private void RestartReceiveTimeout()
    {
        if (extras is not { ReceiveTimeout: { } timeout } ex) return;
        ex.ReceiveTimeoutTask?.Cancel();
        var generation = ++ex.ReceiveTimeoutGeneration;
        ex.ReceiveTimeoutTask = System.Scheduler.ScheduleTellOnce(timeout, SelfRef, new ReceiveTimeoutTick(generation), null);
    }

    public TimeSpan? ReceiveTimeout => extras?.ReceiveTimeout;

    public void SetReceiveTimeout(TimeSpan? timeout)
    {
        if (timeout is { } t && t <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout), t, "a receive timeout must be positive (or null to switch it off)");
        var ex = EnsureExtras();
        ex.ReceiveTimeout = timeout;
        ex.ReceiveTimeoutTask?.Cancel();
        ex.ReceiveTimeoutTask = null;
        ex.ReceiveTimeoutGeneration++;
        if (timeout is not null) RestartReceiveTimeout();
    }

    private static Exception Unwrap(Exception e) =>
        e is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : e;
}

/// <summary>Guardian creation.</summary>
internal sealed partial class ActorCell
{
    /// <summary>A guardian: a cell with no parent whose extras exist from the start (other threads add its children).</summary>
    internal static ActorCell CreateGuardian(ActorSystem system, Props props, ActorPath path, MessageDispatcher dispatcher)
    {
        var cell = new ActorCell(system, props, null, path, dispatcher, 0);
        cell.EnsureExtras();
        cell.SendSystemMessage(new CreateActor());
        return cell;
    }
}
