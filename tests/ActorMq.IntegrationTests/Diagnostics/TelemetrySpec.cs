using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using ActorMq.DeadStore;
using ActorMq.Diagnostics;
using ActorMq.IntegrationTests.Messaging;
using ActorMq.TestKit.Broker;
using Xunit;
using Xunit.Abstractions;

namespace ActorMq.IntegrationTests.Diagnostics;

/// <summary>Spans and metrics of a run with retries, a dead letter and a replay, read with ActivityListener and MeterListener.</summary>
public sealed class TelemetrySpec(RabbitMqFixture broker, ITestOutputHelper output)
    : BrokerSpec(broker, output, "actormq.consumer-defaults.retry { delays = [100ms], max-attempts = 2 }"), IClassFixture<RabbitMqFixture>
{
    [Fact]
    public async Task A_retried_then_dead_lettered_then_replayed_message_is_traced_and_counted()
    {
        var queue = "telemetry-" + Guid.NewGuid().ToString("N")[..6];
        var activities = new ConcurrentQueue<Activity>();
        using var activityListener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == ActorMqDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { if (a.GetTagItem("messaging.destination.name") is string d && d.StartsWith(queue, StringComparison.Ordinal) || a.DisplayName.StartsWith(queue, StringComparison.Ordinal)) activities.Enqueue(a); },
        };
        ActivitySource.AddActivityListener(activityListener);

        var broken = true;
        var client = await StartAsync(b => b.AddHandler<OrderPlaced>(queue, (_, _, _) => broken ? throw new InvalidOperationException("boom") : Task.CompletedTask));
        var measurements = new ConcurrentDictionary<string, long>();
        using var meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ActorMqDiagnostics.MeterName) listener.EnableMeasurementEvents(instrument);
            },
        };
        meterListener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Value is string v && v.StartsWith(queue, StringComparison.Ordinal)) measurements.AddOrUpdate(instrument.Name, value, (_, n) => n + value);
        });
        meterListener.SetMeasurementEventCallback<double>((instrument, _, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Value is string v && v.StartsWith(queue, StringComparison.Ordinal)) measurements.AddOrUpdate(instrument.Name, 1, (_, n) => n + 1);
        });
        meterListener.Start();

        Sys.EventStream.Subscribe(TestActor, typeof(MessageDeadLettered));
        using (var caller = new Activity("caller").Start())
            await client.SendAsync(queue, new OrderPlaced("t-1", 1));
        var dead = await ExpectMsgAsync<MessageDeadLettered>(Dilated(TimeSpan.FromSeconds(30)));
        broken = false;
        Assert.Equal(1, (await client.ReplayDeadLettersAsync(DeadLetterFilter.ById(dead.Id))).Replayed);
        await AwaitConditionAsync(() => activities.Count(a => a.DisplayName == $"{queue} process" && a.Status != ActivityStatusCode.Error) == 1,
            Dilated(TimeSpan.FromSeconds(30)));

        var spans = activities.ToArray();
        var publish = Assert.Single(spans, a => a.DisplayName == $"{queue} publish");
        var processes = spans.Where(a => a.DisplayName == $"{queue} process").ToArray();
        Assert.Equal(3, processes.Length); // attempt 1, attempt 2 (retry), the replayed message
        var failedTwice = processes.Where(p => p.Status == ActivityStatusCode.Error).ToArray();
        Assert.Equal(2, failedTwice.Length);
        Assert.All(failedTwice, p => Assert.Equal(publish.TraceId, p.TraceId)); // the retry stays in the message's trace
        var retry = Assert.Single(spans, a => a.DisplayName == $"{queue} retry");
        Assert.Equal(publish.TraceId, retry.TraceId);
        var deadLetter = Assert.Single(spans, a => a.DisplayName == $"{queue} dead-letter");
        Assert.Equal(publish.TraceId, deadLetter.TraceId);
        var replay = Assert.Single(spans, a => a.DisplayName == $"{queue} replay");
        Assert.NotEqual(publish.TraceId, replay.TraceId);
        Assert.Contains(replay.Links, l => l.Context.TraceId == publish.TraceId); // the replay links back to the first life
        var replayed = processes.Single(p => p.Status != ActivityStatusCode.Error);
        Assert.Equal(replay.TraceId, replayed.TraceId);
        Assert.Equal(replay.SpanId, replayed.ParentSpanId);

        meterListener.RecordObservableInstruments();
        Assert.Equal(3, measurements["actormq.consumed"]);
        Assert.Equal(2, measurements["actormq.failed"]);
        Assert.Equal(1, measurements["actormq.retried"]);
        Assert.Equal(1, measurements["actormq.dead_lettered"]);
        Assert.Equal(1, measurements["actormq.replayed"]);
        Assert.Equal(1, measurements["actormq.handled"]);
        Assert.Equal(1, measurements["actormq.handle.duration"]);
        var statistics = client.GetStatistics();
        Assert.Equal(new QueueStatistics(3, 1, 2, 1, 1), statistics.Queues[queue]);
        Assert.True(statistics.Confirmed >= 3); // the message, its retry copy, its replay
    }
}
