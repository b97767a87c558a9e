using ActorMq.Cli.Commands;
using ActorMq.Cli.Terminal;
using ActorMq.TestSupport;
using Xunit;

namespace ActorMq.Tests.Cli.Commands;

/// <summary>The demo's broker password stays off the command line (issue 19, finding 13).</summary>
public sealed class DemoCommandSpec
{
    [Fact]
    public async Task The_password_must_come_from_standard_input_into_the_uri_escaped()
    {
        using var error = new StringWriter();
        var console = CliConsole.Writers(TextWriter.Null, error, new StringReader("p@ss:w/rd#1\n"));

        var uri = await DemoCommand.WithPasswordAsync(console, "amqp://orders@rabbit:5672/shop", fromStdin: true, CancellationToken.None);

        var parsed = new Uri(uri);
        var colon = parsed.UserInfo.IndexOf(':');
        Assert.Equal(("orders", "p@ss:w/rd#1"), (parsed.UserInfo[..colon], Uri.UnescapeDataString(parsed.UserInfo[(colon + 1)..])));
        Assert.Equal(("rabbit", 5672, "/shop"), (parsed.Host, parsed.Port, parsed.AbsolutePath));
        Assert.Equal("", error.ToString());
    }

    [Fact]
    public async Task A_password_in_the_uri_must_still_work_with_a_warning()
    {
        using var error = new StringWriter();
        var console = CliConsole.Writers(TextWriter.Null, error);

        var uri = await DemoCommand.WithPasswordAsync(console, "amqp://guest:guest@localhost:5672/", fromStdin: false, CancellationToken.None);

        Assert.Equal("amqp://guest:guest@localhost:5672/", uri);
        Assert.Contains("warning: the password in --amqp is visible to every user of this machine", error.ToString());
        Assert.Contains(DemoCommand.PasswordVariable, error.ToString());
    }

    [Fact]
    public async Task Two_passwords_must_be_a_usage_error_that_does_not_print_them()
    {
        var result = await ActorMqBinary.RunAsync(["demo", "--amqp", "amqp://guest:in-uri@127.0.0.1:1/", "--amqp-password-stdin"], "from-stdin\n", null);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("the URI carries a password and one is also given (--amqp-password-stdin)", result.Error);
        Assert.DoesNotContain("in-uri", result.Error);
        Assert.DoesNotContain("from-stdin", result.Error);
    }
}
