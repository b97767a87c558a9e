using System.CommandLine;
using ActorMq.Cli.DeadLetters;
using ActorMq.Cli.Terminal;

namespace ActorMq.Cli.Commands;

/// <summary><c>actormq dead-letters show &lt;id&gt;</c>: every field of one dead letter, its properties, headers and body.</summary>
internal static class DeadLettersShowCommand
{
    public static Command Create(CliConsole console)
    {
        var id = CliOptions.Id("the dead letter's id (first column of 'dead-letters list')", required: true);
        var config = DeadStoreAccess.ConfigOption();
        var full = CliOptions.Flag("--full",
            $"the whole body even when long (otherwise cut at {BodyText.MaxJsonLines} JSON lines, {BodyText.MaxJsonChars} characters or {BodyText.MaxHexBytes} bytes)");
        var json = CliOptions.Flag("--json", "machine output: every column, headers in the store's tagged form, body as base64 (and body_json when it parses)");
        return CliCommand.Create("show", "Show one dead letter: every field, properties, headers and the body.", console, async (parsed, ct) =>
        {
            var wanted = parsed.GetValue(id)!.Value;
            await using var store = await DeadStoreAccess.OpenAsync(DeadStoreAccess.LoadConfig(parsed, config), ct).ConfigureAwait(false);
            var row = await store.GetAsync(wanted, ct).ConfigureAwait(false)
                ?? throw new CommandFailedException($"no dead letter with id {wanted} in {store.Name}");
            var text = parsed.GetValue(json)
                ? JsonOutput.Render(w =>
                {
                    w.WriteStartObject();
                    DeadLetterJsonOutput.WriteFull(w, row);
                    w.WriteEndObject();
                })
                : DeadLetterDetails.Render(row, parsed.GetValue(full));
            await console.Out.WriteAsync(text).ConfigureAwait(false);
            return ExitCodes.Ok;
        }, id, config, full, json);
    }
}
