using ActorMq.Topology;
using Xunit;

namespace ActorMq.Tests.Topology;

public sealed class DelayNameSpec
{
    [Theory]
    [InlineData(5_000, "5s")]
    [InlineData(30_000, "30s")]
    [InlineData(60_000, "1m")]
    [InlineData(300_000, "5m")]
    [InlineData(3_600_000, "1h")]
    [InlineData(86_400_000, "1d")]
    [InlineData(1_500, "1500ms")]
    [InlineData(90_000, "90s")]
    [InlineData(5_400_000, "90m")]
    [InlineData(1, "1ms")]
    public void DelayName_must_use_the_largest_unit_that_divides_exactly(long milliseconds, string expected) =>
        Assert.Equal(expected, DelayName.Format(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void DelayName_must_refuse_zero_negative_and_sub_millisecond_delays()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DelayName.Format(TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => DelayName.Format(TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => DelayName.Format(TimeSpan.FromTicks(15_000)));
    }

    [Fact]
    public void DelayName_ttl_must_be_whole_milliseconds_as_a_long()
    {
        object ttl = DelayName.ToTtl(TimeSpan.FromMinutes(5));
        Assert.IsType<long>(ttl);
        Assert.Equal(300_000L, ttl);
    }
}
