namespace ActorMq.Actors;

/// <summary>The supervisor side: deciding what happens to a failed child.</summary>
internal sealed partial class ActorCell
{
    private void HandleChildFailure(ActorCell child, Exception cause)
    {
        if (lifecycle >= Lifecycle.Terminating || !IsChild(child)) return;
        var strategy = Props.SupervisorStrategy ?? actor?.InvokeSupervisorStrategy() ?? SupervisorStrategy.DefaultStrategy;
        Directive directive;
        try
        {
            directive = strategy.Decider(cause);
        }
        catch (Exception e)
        {
            Actors.Log.DeciderFailed(System.Log, Path.ToString(), e);
            directive = Directive.Escalate;
        }
        strategy.Apply(this, child, cause, directive);
    }

    /// <summary>Called by a strategy: this actor fails with its child's failure (the child stays suspended).</summary>
    internal void Escalate(ActorCell child, Exception cause)
    {
        if (parent is null)
        {
            Actors.Log.ActorFailed(System.Log, child.Path.ToString(), Directive.Stop, cause);
            StopChild(child);
            return;
        }
        HandleInvokeFailure(cause);
        if (failed && extras is { } ex) ex.EscalatedChild = child;
    }

    internal RestartStatistics RestartStatisticsOf(ActorCell child) =>
        child.EnsureExtras().RestartStatistics ??= new RestartStatistics();
}
