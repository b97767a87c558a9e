using System.Globalization;

namespace ActorMq.Topology;

/// <summary>
/// The canonical text for a delay, used in every queue name that carries one
/// (<c>orders.retry.5s</c>, <c>orders.delay.1m</c>): the largest unit that divides the delay
/// exactly — <c>d</c>, <c>h</c>, <c>m</c>, <c>s</c>, else <c>ms</c> (<c>1500ms</c>, <c>90s</c>, <c>1h</c>).
/// </summary>
public static class DelayName
{
    /// <summary>Formats <paramref name="delay"/>; it must be a positive whole number of milliseconds.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The delay is zero, negative or has a sub-millisecond part.</exception>
    public static string Format(TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "a delay must be positive");
        if (delay.Ticks % TimeSpan.TicksPerMillisecond != 0)
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "a delay must be a whole number of milliseconds (queue TTLs are in ms)");

        var ms = (long)delay.TotalMilliseconds;
        return ms switch
        {
            _ when ms % 86_400_000 == 0 => Text(ms / 86_400_000, "d"),
            _ when ms % 3_600_000 == 0 => Text(ms / 3_600_000, "h"),
            _ when ms % 60_000 == 0 => Text(ms / 60_000, "m"),
            _ when ms % 1_000 == 0 => Text(ms / 1_000, "s"),
            _ => Text(ms, "ms"),
        };
    }

    /// <summary>The delay as a queue TTL: whole milliseconds, a 64-bit integer as RabbitMQ expects.</summary>
    public static long ToTtl(TimeSpan delay)
    {
        _ = Format(delay); // validates
        return (long)delay.TotalMilliseconds;
    }

    private static string Text(long value, string unit) => value.ToString(CultureInfo.InvariantCulture) + unit;
}
