using ActorMq.Actors;
using ActorMq.Hocon;

namespace ActorMq.TestKit;

/// <summary>TestKit timeouts read from <c>actormq.test</c>, already multiplied by <see cref="TimeFactor"/>.</summary>
/// <param name="SingleExpectDefault">Default wait of one expectation (<c>single-expect-default</c> × factor).</param>
/// <param name="DefaultTimeout">Default duration of <c>AwaitAssertAsync</c>/<c>AwaitConditionAsync</c> (<c>default-timeout</c> × factor).</param>
/// <param name="ExpectNoMessageDefault">Default wait of <c>ExpectNoMsgAsync</c> (<c>expect-no-message-default</c> × factor).</param>
/// <param name="TimeFactor">The dilation factor (<c>timefactor</c>, or <c>ACTORMQ_TEST_TIMEFACTOR</c>).</param>
public sealed record TestKitSettings(TimeSpan SingleExpectDefault, TimeSpan DefaultTimeout, TimeSpan ExpectNoMessageDefault, double TimeFactor)
{
    /// <summary>Reads and validates <c>actormq.test</c>.</summary>
    public static TestKitSettings Create(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var factor = ConfigRead.PositiveDouble(config, "actormq.test.timefactor");
        TimeSpan Dilated(string key) => ConfigRead.PositiveDuration(config, key) * factor;
        return new TestKitSettings(
            Dilated("actormq.test.single-expect-default"),
            Dilated("actormq.test.default-timeout"),
            Dilated("actormq.test.expect-no-message-default"),
            factor);
    }

    /// <summary><paramref name="duration"/> multiplied by <see cref="TimeFactor"/>.</summary>
    public TimeSpan Dilated(TimeSpan duration) => duration == Timeout.InfiniteTimeSpan ? duration : duration * TimeFactor;
}
