using ActorMq.DeadStore;

namespace ActorMq.Cli.Commands;

/// <summary><c>actormq dead-letters purge</c>: deletes the selected rows, whatever their state (except rows a replay is publishing).</summary>
internal sealed class DeadLettersPurgeCommand : DeadLettersRemovalCommand
{
    /// <inheritdoc />
    public override Cli.CommandLine.CommandSyntax Syntax { get; } = RemovalSyntax("purge",
        "Delete dead letters from the store for good (any state except one being replayed).");

    /// <inheritdoc />
    protected override string Verb => "purge";

    /// <inheritdoc />
    protected override string Effect => "the rows are deleted for good";

    /// <inheritdoc />
    protected override DeadLetterFilter Affected(DeadLetterFilter filter) => filter;

    /// <inheritdoc />
    protected override Task<int> ApplyAsync(IDeadLetterStore store, DeadLetterFilter filter, CancellationToken cancellationToken) =>
        store.PurgeAsync(filter, cancellationToken);
}
