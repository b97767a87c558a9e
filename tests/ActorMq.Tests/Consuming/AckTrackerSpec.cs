using ActorMq.Consuming;
using Xunit;

namespace ActorMq.Tests.Consuming;

public sealed class AckTrackerSpec
{
    private static AckCommand Ack(ulong tag, bool multiple = false) => new(tag, multiple, AckOutcome.Ack);
    private static AckCommand Nack(ulong tag) => new(tag, false, AckOutcome.Requeue);

    private static AckTracker Tracking(ulong count)
    {
        var tracker = new AckTracker();
        for (ulong tag = 1; tag <= count; tag++) tracker.Track(tag);
        return tracker;
    }

    [Fact]
    public void AckTracker_must_ack_an_in_order_prefix_with_one_multiple_ack()
    {
        var tracker = Tracking(5);
        foreach (var tag in new ulong[] { 1, 2, 3 }) tracker.Complete(tag, AckOutcome.Ack);
        Assert.Equal([Ack(3, multiple: true)], tracker.Flush());
        Assert.Equal(2, tracker.RunningCount);
        Assert.Equal(0, tracker.PendingCount);
    }

    [Fact]
    public void AckTracker_must_ack_a_single_completed_tag_without_multiple()
    {
        var tracker = Tracking(2);
        tracker.Complete(1, AckOutcome.Ack);
        Assert.Equal([Ack(1)], tracker.Flush());
    }

    [Fact]
    public void AckTracker_must_not_cover_a_running_tag_with_a_multiple_ack()
    {
        var tracker = Tracking(5);
        tracker.Complete(1, AckOutcome.Ack);
        tracker.Complete(2, AckOutcome.Ack);
        tracker.Complete(4, AckOutcome.Ack);
        tracker.Complete(5, AckOutcome.Ack);
        Assert.Equal([Ack(2, multiple: true), Ack(4), Ack(5)], tracker.Flush());
        tracker.Complete(3, AckOutcome.Ack);
        Assert.Equal([Ack(3)], tracker.Flush());
        Assert.Equal(0, tracker.UnsettledCount);
    }

    [Fact]
    public void AckTracker_prefix_flush_must_hold_tags_above_a_gap_until_it_closes()
    {
        var tracker = Tracking(5);
        tracker.Complete(2, AckOutcome.Ack);
        tracker.Complete(3, AckOutcome.Ack);
        Assert.Empty(tracker.FlushPrefix());
        Assert.Equal(2, tracker.PendingCount);
        tracker.Complete(1, AckOutcome.Ack);
        Assert.Equal([Ack(3, multiple: true)], tracker.FlushPrefix());
    }

    [Fact]
    public void AckTracker_must_nack_singly_before_a_multiple_ack_that_spans_the_nacked_tag()
    {
        var tracker = Tracking(4);
        tracker.Complete(1, AckOutcome.Ack);
        tracker.Complete(2, AckOutcome.Requeue);
        tracker.Complete(3, AckOutcome.Ack);
        Assert.Equal([Nack(2), Ack(3, multiple: true)], tracker.Flush());
    }

    [Fact]
    public void AckTracker_must_nack_even_when_earlier_tags_are_running()
    {
        var tracker = Tracking(3);
        tracker.Complete(3, AckOutcome.Requeue);
        Assert.Equal([Nack(3)], tracker.FlushPrefix());
        tracker.Complete(1, AckOutcome.Ack);
        tracker.Complete(2, AckOutcome.Ack);
        Assert.Equal([Ack(2, multiple: true)], tracker.Flush());
    }

    [Fact]
    public void FlushDue_must_wait_for_a_batch_then_ack_the_prefix_once()
    {
        var tracker = Tracking(10);
        tracker.Complete(1, AckOutcome.Ack);
        tracker.Complete(2, AckOutcome.Ack);
        Assert.Empty(tracker.FlushDue(3));
        tracker.Complete(3, AckOutcome.Ack);
        Assert.Equal([Ack(3, multiple: true)], tracker.FlushDue(3));
    }

    [Fact]
    public void FlushDue_must_not_let_a_slow_head_hold_the_window()
    {
        var tracker = Tracking(6);
        foreach (var tag in new ulong[] { 2, 3, 4 }) tracker.Complete(tag, AckOutcome.Ack);
        Assert.Equal([Ack(2), Ack(3), Ack(4)], tracker.FlushDue(3));
        Assert.Equal(0, tracker.PendingCount);
    }

    [Fact]
    public void FlushDue_must_hold_a_small_tail_for_the_timer_flush()
    {
        var tracker = Tracking(3);
        tracker.Complete(3, AckOutcome.Ack);
        tracker.Complete(1, AckOutcome.Requeue);
        tracker.Complete(2, AckOutcome.Ack);
        Assert.Empty(tracker.FlushDue(50));
        Assert.Equal([Nack(1), Ack(3, multiple: true)], tracker.Flush());
        Assert.Throws<ArgumentOutOfRangeException>(() => tracker.FlushDue(0));
    }

    [Fact]
    public void AckTracker_must_refuse_unknown_repeated_and_decreasing_tags()
    {
        var tracker = Tracking(2);
        tracker.Complete(1, AckOutcome.Ack);
        Assert.Throws<InvalidOperationException>(() => tracker.Complete(1, AckOutcome.Ack));
        Assert.Throws<InvalidOperationException>(() => tracker.Complete(9, AckOutcome.Ack));
        Assert.Throws<InvalidOperationException>(() => tracker.Track(2));
        tracker.Flush();
        Assert.Throws<InvalidOperationException>(() => tracker.Complete(1, AckOutcome.Ack));
    }

    [Fact]
    public void AckTracker_reset_must_start_a_new_channel()
    {
        var tracker = Tracking(3);
        tracker.Complete(2, AckOutcome.Ack);
        tracker.Reset();
        Assert.Equal(0, tracker.UnsettledCount);
        tracker.Track(1);
        tracker.Complete(1, AckOutcome.Ack);
        Assert.Equal([Ack(1)], tracker.Flush());
    }

    /// <summary>
    /// The broker's view of one channel: settles tags as RabbitMQ does and records every rule the tracker must keep.
    /// </summary>
    private sealed class BrokerModel
    {
        public readonly SortedSet<ulong> Unsettled = [];
        public readonly Dictionary<ulong, AckOutcome> Completed = new();
        public int Frames;

        public void Apply(AckCommand command)
        {
            Frames++;
            if (command.Outcome == AckOutcome.Requeue)
            {
                Assert.False(command.Multiple, "nacks are always single");
                Assert.True(Unsettled.Contains(command.DeliveryTag), $"nack of unknown or settled tag {command.DeliveryTag}");
                Assert.True(Completed.TryGetValue(command.DeliveryTag, out var outcome) && outcome == AckOutcome.Requeue,
                    $"nack of tag {command.DeliveryTag} that was not completed with requeue");
                Unsettled.Remove(command.DeliveryTag);
                return;
            }
            if (!command.Multiple)
            {
                Assert.True(Unsettled.Contains(command.DeliveryTag), $"ack of unknown or settled tag {command.DeliveryTag}");
                Assert.True(Completed.TryGetValue(command.DeliveryTag, out var outcome) && outcome == AckOutcome.Ack,
                    $"ack of tag {command.DeliveryTag} that was not completed with ack");
                Unsettled.Remove(command.DeliveryTag);
                return;
            }
            var covered = Unsettled.GetViewBetween(0, command.DeliveryTag).ToList();
            Assert.True(covered.Count > 1, $"multiple ack at {command.DeliveryTag} settles {covered.Count} tag(s): should be a single ack");
            Assert.Contains(command.DeliveryTag, covered);
            foreach (var tag in covered)
            {
                Assert.True(Completed.TryGetValue(tag, out var outcome) && outcome == AckOutcome.Ack,
                    $"multiple ack at {command.DeliveryTag} would settle tag {tag}, which is not completed with ack");
                Unsettled.Remove(tag);
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(42)]
    [InlineData(1234)]
    [InlineData(99991)]
    public void AckTracker_must_only_settle_completed_tags_and_leave_none_unsettled_after_a_flush(int seed)
    {
        var random = new Random(seed);
        for (var run = 0; run < 40; run++)
        {
            var tracker = new AckTracker();
            var broker = new BrokerModel();
            var running = new List<ulong>();
            ulong nextTag = 1;
            var window = random.Next(1, 120);
            for (var step = 0; step < 600; step++)
            {
                var roll = random.Next(100);
                if (roll < 45 && running.Count < window)
                {
                    tracker.Track(nextTag);
                    broker.Unsettled.Add(nextTag);
                    running.Add(nextTag++);
                }
                else if (roll < 85 && running.Count > 0)
                {
                    var index = random.Next(running.Count);
                    var tag = running[index];
                    running.RemoveAt(index);
                    var outcome = random.Next(10) == 0 ? AckOutcome.Requeue : AckOutcome.Ack;
                    tracker.Complete(tag, outcome);
                    broker.Completed[tag] = outcome;
                }
                else if (roll < 89)
                {
                    foreach (var command in tracker.FlushPrefix()) broker.Apply(command);
                }
                else if (roll < 93)
                {
                    var batch = random.Next(1, 60);
                    foreach (var command in tracker.FlushDue(batch)) broker.Apply(command);
                    Assert.True(tracker.PendingCount < batch, "FlushDue left a full batch unsettled");
                }
                else
                {
                    foreach (var command in tracker.Flush()) broker.Apply(command);
                    AssertNothingCompletedIsUnsettled(broker);
                }
                Assert.Equal(running.Count, tracker.RunningCount);
                Assert.Equal(broker.Unsettled.Count, tracker.UnsettledCount);
            }
            foreach (var command in tracker.Flush()) broker.Apply(command);
            AssertNothingCompletedIsUnsettled(broker);
            Assert.Equal(running.Order(), broker.Unsettled);
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(2026)]
    public void AckTracker_flush_must_use_the_fewest_frames(int seed)
    {
        var random = new Random(seed);
        for (var run = 0; run < 200; run++)
        {
            var tracker = new AckTracker();
            var broker = new BrokerModel();
            var count = (ulong)random.Next(1, 80);
            for (ulong tag = 1; tag <= count; tag++)
            {
                tracker.Track(tag);
                broker.Unsettled.Add(tag);
            }
            foreach (var tag in Enumerable.Range(1, (int)count).Select(t => (ulong)t).Where(_ => random.Next(3) > 0))
            {
                var outcome = random.Next(8) == 0 ? AckOutcome.Requeue : AckOutcome.Ack;
                tracker.Complete(tag, outcome);
                broker.Completed[tag] = outcome;
            }

            // Lower bound, computed independently: one frame per nack; the completed-with-ack prefix (counting nacked tags,
            // which the nacks settle first) costs one frame; every ack above the first running tag needs its own frame.
            var firstRunning = Enumerable.Range(1, (int)count).Select(t => (ulong)t).FirstOrDefault(t => !broker.Completed.ContainsKey(t), count + 1);
            var nacks = broker.Completed.Count(c => c.Value == AckOutcome.Requeue);
            var prefixAcks = broker.Completed.Count(c => c.Value == AckOutcome.Ack && c.Key < firstRunning);
            var laterAcks = broker.Completed.Count(c => c.Value == AckOutcome.Ack && c.Key > firstRunning);
            var expected = nacks + (prefixAcks > 0 ? 1 : 0) + laterAcks;

            foreach (var command in tracker.Flush()) broker.Apply(command);
            Assert.Equal(expected, broker.Frames);
            AssertNothingCompletedIsUnsettled(broker);
        }
    }

    private static void AssertNothingCompletedIsUnsettled(BrokerModel broker)
    {
        foreach (var tag in broker.Unsettled)
            Assert.False(broker.Completed.ContainsKey(tag), $"tag {tag} was completed but is still unsettled after a flush");
    }
}
