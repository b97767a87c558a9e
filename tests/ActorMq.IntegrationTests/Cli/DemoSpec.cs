using ActorMq.TestKit.Broker;
using ActorMq.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.IntegrationTests.Cli;

/// <summary>The order-processing demo, the actormq binary against the test broker with short settings.</summary>
public sealed class DemoSpec(RabbitMqFixture broker, ITestOutputHelper output) : IClassFixture<RabbitMqFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actormq-demo-spec.").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
    }

    [Fact]
    public async Task Demo_retries_parks_fixes_and_replays_every_order_and_exits_0()
    {
        var config = Path.Combine(_directory, "short-demo.conf");
        await File.WriteAllTextAsync(config, """
            actormq.consumers.orders.retry { delays = [100ms, 200ms, 300ms], max-attempts = 4 }
            actormq-demo {
              orders = 40
              producers = 2
              publish-duration = 1s
              poison-orders = 2
              flaky { fail-once = 0.3, fail-twice = 0.15, fail-three-times = 0.1, fail-until-fixed = 0.15 }
              seed = 3
              plain-interval = 500ms
              settle-timeout = 40s
            }
            """);
        // The password goes through the environment, not the command line (where ps shows it).
        var uri = new UriBuilder(broker.AmqpUri) { Password = "" };
        var password = Uri.UnescapeDataString(broker.AmqpUri.UserInfo.Split(':', 2) is [_, var p] ? p : "");

        var result = await ActorMqBinary.RunAsync(["demo", "--amqp", uri.Uri.AbsoluteUri, "--config", config], null,
            new Dictionary<string, string?> { ["ACTORMQ_AMQP_PASSWORD"] = password });

        output.WriteLine(result.Output);
        output.WriteLine(result.Error);
        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("warning", result.Error);
        var text = result.Output;
        Assert.Contains("40 orders from 2 producers", text);
        Assert.Contains("walk the retry tiers 100ms -> 200ms -> 300ms", text);
        Assert.Contains("ok      all 40 orders handled", text);
        Assert.Matches(@"ok      (\d+) orders dead-lettered \(expected \1\)", text);
        Assert.Matches(@"ok      (\d+) retries through the tiers \(expected \1\)", text);
        Assert.DoesNotContain("FAILED", text);
        Assert.Contains("Demo finished", text);
        Assert.Contains("retrying", text); // the plain progress lines
    }
}
