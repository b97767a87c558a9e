using ActorMq.Cli.Demo;
using ActorMq.DeadStore;
using Akka.Configuration;
using ActorMq.Retry;
using Xunit;

namespace ActorMq.Tests.Cli.Demo;

public sealed class ProgressViewSpec
{
    private static (OrderPlan Plan, DemoProgress Progress) Arrange()
    {
        var settings = DemoSettings.Create(ActorMq.Tests.Shared.TestConfig.Load(ConfigurationFactory.ParseString("actormq-demo { orders = 10, poison-orders = 1 }").WithFallback(DemoSettings.Embedded())));
        var plan = OrderPlan.Create(settings, 4, "run");
        return (plan, new DemoProgress(plan, [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)]));
    }

    [Fact]
    public void Retries_must_be_counted_per_tier_until_the_message_comes_back()
    {
        var (plan, progress) = Arrange();
        var id = plan.Orders[0].OrderId;

        progress.OnRetried(new MessageRetried("orders", "demo.orders", id, "demo.orders.retry.1s", TimeSpan.FromSeconds(1), 2, "System.TimeoutException"));
        progress.OnRetried(new MessageRetried("orders", "demo.orders", plan.Orders[1].OrderId, "demo.orders.retry.2s", TimeSpan.FromSeconds(2), 3, "System.TimeoutException"));
        var waiting = progress.Snapshot(null).Tiers;
        progress.Received(2);

        Assert.Equal(new (string, long)[] { ("1s", 1), ("2s", 1), ("4s", 0) }, waiting);
        Assert.Equal(new (string, long)[] { ("1s", 0), ("2s", 1), ("4s", 0) }, progress.Snapshot(null).Tiers);
        Assert.Equal(2, progress.Retried);
    }

    [Fact]
    public void Events_of_other_runs_must_not_count()
    {
        var (_, progress) = Arrange();

        progress.OnRetried(new MessageRetried("orders", "demo.orders", "old-0001", "demo.orders.retry.1s", TimeSpan.FromSeconds(1), 2, "System.TimeoutException"));
        progress.OnDeadLettered(new MessageDeadLettered("orders", "demo.orders", "old-0001", 1, "System.TimeoutException", "x", 4));

        Assert.Equal(0, progress.Retried);
        Assert.Empty(progress.DeadLettered);
    }

    [Fact]
    public void The_view_must_show_the_counts_per_state()
    {
        var (plan, progress) = Arrange();
        progress.Published();
        progress.Handled(plan.Orders[0].OrderId, replayed: false);
        progress.OnDeadLettered(new MessageDeadLettered("orders", "demo.orders", plan.Orders[1].OrderId, 5, typeof(PermanentFailureException).FullName!, "bad payload", 1));
        progress.OnRetried(new MessageRetried("orders", "demo.orders", plan.Orders[2].OrderId, "demo.orders.retry.4s", TimeSpan.FromSeconds(4), 4, "System.TimeoutException"));
        progress.Phase = "publishing";
        var snapshot = progress.Snapshot(null);

        var block = string.Join("\n", ProgressView.Block(snapshot));
        var line = ProgressView.Line(snapshot);

        Assert.Contains("published              1 / 10", block);
        Assert.Contains("retrying               1   tier 1s: 0   tier 2s: 0   tier 4s: 1", block);
        Assert.Contains("dead-lettered          1   (bad payload 1, retries exhausted 0)", block);
        Assert.Contains($"{plan.Orders[1].OrderId} dead-lettered as #5 after 1 attempt (PermanentFailureException)", block);
        Assert.Contains("publishing: published 1/10, handled 1, retrying 1 (1s: 0, 2s: 0, 4s: 1), dead-lettered 1 (bad payload 1, retries exhausted 0)", line);
    }

    [Fact]
    public async Task On_a_terminal_the_view_must_redraw_in_place()
    {
        var (_, progress) = Arrange();
        using var output = new StringWriter();
        var view = new ProgressView(output, terminal: true);

        await view.DrawAsync(progress.Snapshot(null));
        var first = output.ToString();
        await view.DrawAsync(progress.Snapshot(null));
        var second = output.ToString()[first.Length..];

        var lines = ProgressView.Block(progress.Snapshot(null)).Count;
        Assert.StartsWith("\u001b[2KActorMq demo", first);
        Assert.StartsWith($"\u001b[{lines}F\u001b[2K", second);
    }

    [Theory]
    [InlineData(1000, "1s")]
    [InlineData(1500, "1500ms")]
    [InlineData(120000, "2m")]
    [InlineData(90000, "90s")]
    public void Delays_must_read_like_tier_names(int milliseconds, string expected)
    {
        Assert.Equal(expected, DemoProgress.DelayText(TimeSpan.FromMilliseconds(milliseconds)));
    }
}
