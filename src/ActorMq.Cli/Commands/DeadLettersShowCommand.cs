using ActorMq.Cli.CommandLine;
using ActorMq.Cli.DeadLetters;
using ActorMq.Cli.Output;

namespace ActorMq.Cli.Commands;

/// <summary><c>actormq dead-letters show &lt;id&gt;</c>: every field of one dead letter, its properties, headers and body.</summary>
internal sealed class DeadLettersShowCommand : Command
{
    /// <inheritdoc />
    public override CommandSyntax Syntax { get; } = new(
        "dead-letters show",
        "Show one dead letter: every field, properties, headers and the body.",
        "dead-letters show <id> [--config FILE] [--full] [--json]",
        [
            DeadStoreAccess.ConfigOption,
            OptionSpec.Flag("--full", $"the whole body even when long (otherwise cut at {BodyText.MaxJsonLines} JSON lines or {BodyText.MaxHexBytes} bytes)"),
            OptionSpec.Flag("--json", "machine output: every column, headers in the store's tagged form, body as base64 (and body_json when it parses)"),
        ],
        [new ArgumentSpec("id", "the dead letter's id (first column of 'dead-letters list')", Required: true)]);

    /// <inheritdoc />
    protected override async Task<int> ExecuteAsync(ParsedArguments arguments, CliConsole console, CancellationToken cancellationToken)
    {
        var id = arguments.Id("id")!.Value;
        var config = DeadStoreAccess.LoadConfig(arguments);
        await using var store = await DeadStoreAccess.OpenAsync(config, cancellationToken).ConfigureAwait(false);
        var row = await store.GetAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new CommandFailedException($"no dead letter with id {id} in {store.Name}");
        if (arguments.Has("--json"))
        {
            await console.Out.WriteAsync(JsonOutput.Render(w =>
            {
                w.WriteStartObject();
                DeadLetterJsonOutput.WriteFull(w, row);
                w.WriteEndObject();
            })).ConfigureAwait(false);
        }
        else
        {
            await console.Out.WriteAsync(DeadLetterDetails.Render(row, arguments.Has("--full"))).ConfigureAwait(false);
        }
        return ExitCodes.Ok;
    }
}
