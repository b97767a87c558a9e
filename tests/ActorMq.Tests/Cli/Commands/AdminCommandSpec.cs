using Xunit;

namespace ActorMq.Tests.Cli.Commands;

/// <summary><c>actormq admin</c>'s refusals, which come before anything starts (no broker needed).</summary>
public sealed class AdminCommandSpec : IDisposable
{
    private readonly LocalStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task Admin_must_refuse_to_listen_beyond_loopback_without_credentials_with_exit_code_1_as_a_bad_configuration()
    {
        var result = await CliRunner.RunAsync("admin", "--config", _store.ConfigPath, "--urls", "http://0.0.0.0:0");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("actormq admin: configuration error:", result.Error);
        Assert.Contains("beyond loopback", result.Error);
        Assert.Equal("", result.Output);
    }
}
