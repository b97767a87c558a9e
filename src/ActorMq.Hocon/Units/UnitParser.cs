using System.Globalization;
using System.Numerics;

namespace ActorMq.Hocon.Units;

/// <summary>
/// Durations and byte sizes (HOCON.md "Duration format", "Size in bytes format"): a number, optional
/// whitespace, and a unit; a bare number is milliseconds (durations) or bytes (sizes).
/// </summary>
internal static class UnitParser
{
    private static readonly Dictionary<string, long> DurationUnits = BuildDurationUnits();
    private static readonly Dictionary<string, BigInteger> SizeUnits = BuildSizeUnits();

    /// <summary>Parses a duration; returns null with <paramref name="error"/> set when it is not one.</summary>
    public static TimeSpan? ParseDuration(string text, out string? error)
    {
        if (!Split(text, out var number, out var unit, out error)) return null;
        long nanosPerUnit;
        if (unit.Length == 0) nanosPerUnit = 1_000_000;
        else if (!DurationUnits.TryGetValue(unit, out nanosPerUnit))
        {
            error = $"unknown duration unit '{unit}' (use ns, us, ms, s, m, h, d or their long forms)";
            return null;
        }
        decimal nanos;
        try
        {
            nanos = number * nanosPerUnit;
        }
        catch (OverflowException)
        {
            error = "duration out of range";
            return null;
        }
        var ticks = decimal.Round(nanos / 100m, MidpointRounding.AwayFromZero);
        if (ticks > long.MaxValue || ticks < long.MinValue)
        {
            error = "duration out of range";
            return null;
        }
        return TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>Parses a size in bytes; returns null with <paramref name="error"/> set when it is not one.</summary>
    public static long? ParseBytes(string text, out string? error)
    {
        if (!Split(text, out var number, out var unit, out error)) return null;
        BigInteger factor;
        if (unit.Length == 0) factor = BigInteger.One;
        else if (!SizeUnits.TryGetValue(unit, out factor))
        {
            error = $"unknown size unit '{unit}' (use B, kB/KiB, MB/MiB, GB/GiB, ... or K, M, G for powers of 1024)";
            return null;
        }
        BigInteger bytes;
        try
        {
            // exact for up to six decimals, which covers every realistic "0.5M"
            bytes = new BigInteger(decimal.Truncate(number * 1_000_000m)) * factor / 1_000_000;
        }
        catch (OverflowException)
        {
            error = "size out of range";
            return null;
        }
        if (bytes > long.MaxValue || bytes < long.MinValue)
        {
            error = "size does not fit in a 64-bit number of bytes";
            return null;
        }
        return (long)bytes;
    }

    private static bool Split(string text, out decimal number, out string unit, out string? error)
    {
        var s = text.AsSpan().Trim();
        var i = 0;
        if (i < s.Length && (s[i] == '-' || s[i] == '+')) i++;
        while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.' || s[i] == 'e' && i + 1 < s.Length && (char.IsAsciiDigit(s[i + 1]) || s[i + 1] == '-')
            || (s[i] == '-' && i > 0 && s[i - 1] == 'e'))) i++;
        var numberText = s[..i];
        unit = s[i..].Trim().ToString();
        error = null;
        if (numberText.Length == 0 || !decimal.TryParse(numberText, NumberStyles.Float, CultureInfo.InvariantCulture, out number))
        {
            number = 0;
            error = $"'{text}' does not start with a number";
            return false;
        }
        foreach (var c in unit)
        {
            if (!char.IsAsciiLetter(c))
            {
                error = $"'{text}' has an invalid unit '{unit}'";
                return false;
            }
        }
        return true;
    }

    private static Dictionary<string, long> BuildDurationUnits()
    {
        var units = new Dictionary<string, long>(StringComparer.Ordinal);
        void Add(long nanos, params string[] names)
        {
            foreach (var name in names) units[name] = nanos;
        }
        Add(1, "ns", "nano", "nanos", "nanosecond", "nanoseconds");
        Add(1_000, "us", "micro", "micros", "microsecond", "microseconds");
        Add(1_000_000, "ms", "milli", "millis", "millisecond", "milliseconds");
        Add(1_000_000_000, "s", "second", "seconds");
        Add(60_000_000_000, "m", "minute", "minutes");
        Add(3_600_000_000_000, "h", "hour", "hours");
        Add(86_400_000_000_000, "d", "day", "days");
        return units;
    }

    private static Dictionary<string, BigInteger> BuildSizeUnits()
    {
        var units = new Dictionary<string, BigInteger>(StringComparer.Ordinal)
        {
            ["B"] = 1, ["b"] = 1, ["byte"] = 1, ["bytes"] = 1,
        };
        string[] powers = ["kilo", "mega", "giga", "tera", "peta", "exa", "zetta", "yotta"];
        string[] binary = ["kibi", "mebi", "gibi", "tebi", "pebi", "exbi", "zebi", "yobi"];
        const string letters = "KMGTPEZY";
        for (var p = 0; p < letters.Length; p++)
        {
            var decimalFactor = BigInteger.Pow(1000, p + 1);
            var binaryFactor = BigInteger.Pow(1024, p + 1);
            var letter = letters[p];
            var lower = char.ToLowerInvariant(letter);
            // decimal: kB, MB, ... (note lowercase k for kilo), kilobyte(s)
            units[(p == 0 ? "k" : letter.ToString()) + "B"] = decimalFactor;
            units[powers[p] + "byte"] = decimalFactor;
            units[powers[p] + "bytes"] = decimalFactor;
            // binary: K, k, Ki, KiB, kibibyte(s)
            units[letter.ToString()] = binaryFactor;
            units[lower.ToString()] = binaryFactor;
            units[letter + "i"] = binaryFactor;
            units[letter + "iB"] = binaryFactor;
            units[binary[p] + "byte"] = binaryFactor;
            units[binary[p] + "bytes"] = binaryFactor;
        }
        return units;
    }
}
