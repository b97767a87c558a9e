namespace ActorMq.Settings;

/// <summary>
/// Exponential backoff with jitter: the n-th delay (0-based) is <c>min(Max, Min·2ⁿ)</c> multiplied by a random factor in
/// <c>[1, 1 + RandomFactor]</c>.
/// </summary>
/// <param name="Min">The first delay (<c>min-backoff</c>).</param>
/// <param name="Max">The largest delay before jitter (<c>max-backoff</c>).</param>
/// <param name="RandomFactor">Jitter share, 0..1 (<c>random-factor</c>).</param>
public sealed record BackoffSettings(TimeSpan Min, TimeSpan Max, double RandomFactor)
{
    /// <summary>The delay before attempt <paramref name="restartCount"/> (0-based), with <paramref name="random01"/> a number in [0, 1).</summary>
    public TimeSpan Delay(int restartCount, double random01)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(restartCount);
        var exponent = Math.Min(restartCount, 62);
        var raw = Min.Ticks * Math.Pow(2, exponent);
        var capped = Math.Min(raw, Max.Ticks);
        return TimeSpan.FromTicks((long)(capped * (1 + RandomFactor * Math.Clamp(random01, 0, 1))));
    }

    internal static BackoffSettings Create(SettingsReader reader)
    {
        var min = reader.Duration("min-backoff", positive: true);
        var max = reader.Duration("max-backoff", positive: true);
        if (max < min) throw reader.Invalid("max-backoff", $"a duration >= min-backoff ({min})");
        return new BackoffSettings(min, max, reader.Double("random-factor", 0, 1));
    }
}
