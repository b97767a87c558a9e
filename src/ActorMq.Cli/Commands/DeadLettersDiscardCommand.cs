using ActorMq.DeadStore;

namespace ActorMq.Cli.Commands;

/// <summary><c>actormq dead-letters discard</c>: marks the selected dead rows discarded (kept for the record, never replayed).</summary>
internal sealed class DeadLettersDiscardCommand : DeadLettersRemovalCommand
{
    /// <inheritdoc />
    public override Cli.CommandLine.CommandSyntax Syntax { get; } = RemovalSyntax("discard",
        "Mark dead letters (state dead) discarded: kept for the record, never replayed.");

    /// <inheritdoc />
    protected override string Verb => "discard";

    /// <inheritdoc />
    protected override string Effect => "they are kept but never replayed";

    /// <inheritdoc />
    protected override DeadLetterFilter Affected(DeadLetterFilter filter) =>
        filter with { States = (filter.States ?? Enum.GetValues<DeadLetterState>()).Where(s => s == DeadLetterState.Dead).ToList() };

    /// <inheritdoc />
    protected override Task<int> ApplyAsync(IDeadLetterStore store, DeadLetterFilter filter, CancellationToken cancellationToken) =>
        store.DiscardAsync(filter, cancellationToken);
}
