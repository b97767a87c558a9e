using System.Globalization;
using System.Text;

namespace ActorMq.Retry;

/// <summary>The attempt header read from a delivery: the retries already made, and a warning when the value was unreadable.</summary>
/// <param name="Retries">Retries already made (0 for a first delivery or an unreadable header).</param>
/// <param name="Warning">Names the header and the value's type when the value could not be read; <c>null</c> otherwise.</param>
public sealed record AttemptReading(int Retries, string? Warning)
{
    /// <summary>The 1-based number of the attempt this delivery is (<see cref="Retries"/> + 1).</summary>
    public int Attempt => AttemptHeader.Next(Retries);
}

/// <summary>
/// Reads and writes the attempt header (<c>actormq.retry.attempt-header</c>, default <c>retry-count</c>; a deployment
/// migrating from the Go library sets <c>retry_nums</c>). The value counts retries already made. Written as a 32-bit
/// integer; read from any integer width, a decimal or floating value that is a whole number, a numeric string, or
/// the <c>byte[]</c> RabbitMQ.Client 7 hands out for string headers. Anything else counts as 0 with a warning.
/// </summary>
public static class AttemptHeader
{
    /// <summary>Reads header <paramref name="name"/> from a RabbitMQ.Client header table (<c>IReadOnlyBasicProperties.Headers</c>).</summary>
    public static AttemptReading Read(IDictionary<string, object?>? headers, string name)
    {
        if (headers is null || !headers.TryGetValue(name, out var value) || value is null) return new AttemptReading(0, null);
        return Interpret(value, name);
    }

    /// <summary>The count after <paramref name="count"/>, saturating at <see cref="int.MaxValue"/>: attempt counts never wrap.</summary>
    public static int Next(int count) => count == int.MaxValue ? int.MaxValue : count + 1;

    /// <summary>Sets header <paramref name="name"/> to <paramref name="retries"/> as a 32-bit integer.</summary>
    public static void Write(IDictionary<string, object?> headers, string name, int retries)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(retries);
        headers[name] = retries;
    }

    private static AttemptReading Interpret(object value, string name)
    {
        long? number = value switch
        {
            byte b => b,
            sbyte sb => sb,
            short s => s,
            ushort us => us,
            int i => i,
            uint ui => ui,
            long l => l,
            ulong ul => ul > long.MaxValue ? long.MaxValue : (long)ul,
            decimal m when m == decimal.Truncate(m) => m > long.MaxValue ? long.MaxValue : m < long.MinValue ? long.MinValue : (long)m,
            double d when double.IsFinite(d) && d == Math.Truncate(d) => d >= long.MaxValue ? long.MaxValue : d <= long.MinValue ? long.MinValue : (long)d,
            float f when float.IsFinite(f) && f == MathF.Truncate(f) => (long)f,
            string text => ParseText(text),
            byte[] bytes => ParseText(DecodeUtf8(bytes)),
            ReadOnlyMemory<byte> memory => ParseText(DecodeUtf8(memory.ToArray())),
            _ => null,
        };
        if (number is null)
            return new AttemptReading(0, $"attempt header '{name}' has an unreadable value of type {value.GetType().Name} ({Show(value)}); counted as 0 retries");
        if (number < 0)
            return new AttemptReading(0, $"attempt header '{name}' is negative ({number}); counted as 0 retries");
        return new AttemptReading(number > int.MaxValue ? int.MaxValue : (int)number, null);
    }

    private static long? ParseText(string? text)
    {
        var trimmed = text?.Trim();
        if (long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)) return parsed;
        // An integer beyond 64 bits saturates like a wide number does.
        if (System.Numerics.BigInteger.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big))
            return big.Sign < 0 ? long.MinValue : long.MaxValue;
        return null;
    }

    private static string? DecodeUtf8(byte[] bytes)
    {
        try { return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes); }
        catch (DecoderFallbackException) { return null; }
    }

    private static string Show(object value)
    {
        var text = value switch
        {
            byte[] bytes => Serialization.PayloadPreview.Of(bytes, 32),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        };
        return text.Length <= 40 ? $"'{text}'" : $"'{text[..40]}…'";
    }
}
