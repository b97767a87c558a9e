using System.CommandLine;
using ActorMq.Cli.Configuration;
using ActorMq.Cli.Demo;
using ActorMq.Cli.Terminal;
using Akka.Configuration;

namespace ActorMq.Cli.Commands;

/// <summary>
/// <c>actormq demo</c>: the order-processing demo against a broker (see <see cref="DemoRun"/>). The broker's password
/// stays off the command line (where <c>ps</c> shows it to every user): it comes from <c>ACTORMQ_AMQP_PASSWORD</c>,
/// from standard input with <c>--amqp-password-stdin</c>, or from the <c>--config</c> file; a password inside
/// <c>--amqp</c> still works but is warned about.
/// </summary>
internal static class DemoCommand
{
    /// <summary>The environment variable holding the broker password for <c>--amqp</c>.</summary>
    public const string PasswordVariable = "ACTORMQ_AMQP_PASSWORD";

    public static Command Create(CliConsole console)
    {
        var amqp = CliOptions.Text("--amqp", "URI",
            $"the broker, e.g. amqp://guest@localhost:5672/ (default: actormq.connection.uris of demo.conf); the password from {PasswordVariable} or --amqp-password-stdin");
        var passwordStdin = CliOptions.Flag("--amqp-password-stdin", "read the broker password for --amqp from the first line of standard input");
        var config = CliOptions.Text("--config", "FILE", "HOCON layered over the built-in demo.conf (e.g. other tier delays, more orders, the broker with its password)");
        return CliCommand.Create("demo", "Run the order-processing demo: retries walking the tiers, dead letters, the fix and the replay (about a minute).",
            console, async (parsed, ct) =>
            {
                var uri = parsed.GetValue(amqp);
                if (uri is not null) uri = await WithPasswordAsync(console, uri, parsed.GetValue(passwordStdin), ct).ConfigureAwait(false);
                else if (parsed.GetValue(passwordStdin)) throw new UsageException("option '--amqp-password-stdin' needs '--amqp'");
                Config layered = CliConfig.Demo(DemoSettings.Embedded(), parsed.GetValue(config), uri);
                var settings = DemoSettings.Create(CliConfig.Load(layered));
                return await new DemoRun(layered, settings, console).RunAsync(ct).ConfigureAwait(false);
            }, amqp, passwordStdin, config);
    }

    /// <summary>The URI with the password from standard input or <see cref="PasswordVariable"/> put in; a warning when it carried one itself.</summary>
    internal static async Task<string> WithPasswordAsync(CliConsole console, string uri, bool fromStdin, CancellationToken ct)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("amqp" or "amqps"))
            throw new UsageException($"option '--amqp': expected an amqp:// or amqps:// URI, got '{Connection.UriMasker.MaskUri(uri)}'");
        var password = fromStdin
            ? await console.In.ReadLineAsync(ct).ConfigureAwait(false) ?? throw new UsageException("option '--amqp-password-stdin': standard input is empty")
            : Environment.GetEnvironmentVariable(PasswordVariable);
        var userInfo = parsed.UserInfo;
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            if (!string.IsNullOrEmpty(password))
                throw new UsageException($"option '--amqp': the URI carries a password and one is also given ({(fromStdin ? "--amqp-password-stdin" : PasswordVariable)}); drop the one in the URI");
            await ErrorOutput.WarnAsync(console,
                $"warning: the password in --amqp is visible to every user of this machine (ps, shell history); set {PasswordVariable} or use --amqp-password-stdin instead").ConfigureAwait(false);
            return uri;
        }
        if (string.IsNullOrEmpty(password)) return uri;
        var user = userInfo.Length == 0 ? "guest" : userInfo;
        var builder = new UriBuilder(parsed) { UserName = Uri.UnescapeDataString(user), Password = password };
        return builder.Uri.AbsoluteUri;
    }
}
