using System.Collections;
using System.Text;
using ActorMq.DeadStore;
using RabbitMQ.Client;
using Xunit;

namespace ActorMq.Tests.DeadStore;

/// <summary>Realistic dead letters for the store specs, and a type-faithful comparison of what comes back.</summary>
public static class DeadLetterSamples
{
    public static readonly DateTimeOffset Epoch = new(2026, 3, 14, 9, 26, 53, TimeSpan.Zero);

    /// <summary>A body no text encoding survives: NULs, invalid UTF-8, every byte value.</summary>
    public static byte[] BinaryBody()
    {
        var body = new byte[600];
        for (var i = 0; i < body.Length; i++) body[i] = (byte)(i * 7 % 256);
        body[0] = 0;
        body[1] = 0xFF;
        body[2] = 0xC3;
        body[^1] = 0;
        return body;
    }

    /// <summary>One header of every type AMQP carries, as RabbitMQ.Client 7 hands them over (strings as byte[]).</summary>
    public static Dictionary<string, object?> AllHeaderTypes() => new()
    {
        ["string"] = "plain text with \u0000 a NUL and ünïcødé",
        ["bytes-text"] = Encoding.UTF8.GetBytes("orders-service"),
        ["bytes-binary"] = new byte[] { 0, 1, 0xFE, 0xFF, 0xC3 },
        ["bytes-empty"] = Array.Empty<byte>(),
        ["bool"] = true,
        ["int8"] = (sbyte)-8,
        ["uint8"] = (byte)200,
        ["int16"] = (short)-30000,
        ["uint16"] = (ushort)60000,
        ["retry-count"] = 3,
        ["uint32"] = 4_000_000_000u,
        ["int64"] = long.MinValue,
        ["uint64"] = ulong.MaxValue,
        ["float32"] = 3.14159274f,
        ["float64"] = 0.1 + 0.2,
        ["nan"] = double.NaN,
        ["infinity"] = float.NegativeInfinity,
        ["decimal"] = 12.3400m,
        ["timestamp"] = new AmqpTimestamp(1_773_480_413),
        ["binary"] = new BinaryTableValue([9, 8, 0, 7]),
        ["null"] = null,
        ["table"] = new Dictionary<string, object?>
        {
            ["nested-int"] = 42L,
            ["nested-list"] = new List<object?> { Encoding.UTF8.GetBytes("a"), 1, null, new Dictionary<string, object?> { ["deep"] = false } },
        },
        ["list"] = new List<object?> { (short)1, "two", 3.0 },
    };

    public static DeadLetter Letter(
        string queue = "orders",
        string errorType = "System.TimeoutException",
        string errorMessage = "the handler timed out after 30s",
        string? messageId = null,
        DateTimeOffset? deadAt = null,
        byte[]? body = null,
        IReadOnlyDictionary<string, object?>? headers = null) => new()
    {
        MessageId = messageId ?? Guid.NewGuid().ToString("N"),
        Queue = queue,
        Exchange = "shop",
        RoutingKey = $"{queue}.created",
        Properties = new DeadLetterProperties
        {
            ContentType = "application/json",
            DeliveryMode = 2,
            MessageId = messageId,
            Timestamp = 1_773_480_413,
            Type = "OrderCreated",
        },
        Headers = headers ?? new Dictionary<string, object?>
        {
            ["retry-count"] = 4,
            ["traceparent"] = Encoding.UTF8.GetBytes("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
        },
        Body = body ?? Encoding.UTF8.GetBytes($$"""{"order":"{{Guid.NewGuid()}}","lines":[1,2,3]}"""),
        ErrorType = errorType,
        ErrorMessage = errorMessage,
        ErrorDetail = "   at Shop.Orders.Handle(OrderCreated message)\n   at ActorMq.Consuming.HandlerActor.Run()",
        Attempts = 4,
        FirstFailedAt = (deadAt ?? Epoch) - TimeSpan.FromMinutes(6),
        DeadAt = deadAt ?? Epoch,
    };

    /// <summary>Asserts that <paramref name="actual"/> is <paramref name="expected"/> value for value and type for type.</summary>
    public static void AssertSameLetter(DeadLetter expected, DeadLetter actual)
    {
        Assert.Equal(expected.MessageId, actual.MessageId);
        Assert.Equal(expected.Queue, actual.Queue);
        Assert.Equal(expected.Exchange, actual.Exchange);
        Assert.Equal(expected.RoutingKey, actual.RoutingKey);
        Assert.Equal(expected.Properties, actual.Properties);
        AssertSameHeaders(expected.Headers, actual.Headers);
        Assert.Equal(expected.Body.ToArray(), actual.Body.ToArray());
        Assert.Equal(expected.ErrorType, actual.ErrorType);
        Assert.Equal(expected.ErrorMessage, actual.ErrorMessage);
        Assert.Equal(expected.ErrorDetail, actual.ErrorDetail);
        Assert.Equal(expected.Attempts, actual.Attempts);
        Assert.Equal(expected.FirstFailedAt, actual.FirstFailedAt);
        Assert.Equal(expected.DeadAt, actual.DeadAt);
    }

    public static void AssertSameHeaders(IEnumerable<KeyValuePair<string, object?>> expected, IEnumerable<KeyValuePair<string, object?>> actual)
    {
        var want = expected.ToDictionary(kv => kv.Key, kv => kv.Value);
        var got = actual.ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal(want.Keys.Order(StringComparer.Ordinal), got.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, value) in want) AssertSameValue(value, got[name], name);
    }

    private static void AssertSameValue(object? expected, object? actual, string path)
    {
        if (expected is null)
        {
            Assert.True(actual is null, $"header '{path}': expected null, got {actual}");
            return;
        }
        Assert.True(actual is not null, $"header '{path}': expected {expected}, got null");
        switch (expected)
        {
            case IDictionary<string, object?> table:
                var actualTable = Assert.IsAssignableFrom<IDictionary<string, object?>>(actual);
                Assert.Equal(table.Keys.Order(StringComparer.Ordinal), actualTable.Keys.Order(StringComparer.Ordinal));
                foreach (var (name, value) in table) AssertSameValue(value, actualTable[name], $"{path}.{name}");
                return;
            case byte[] bytes:
                Assert.Equal(bytes, Assert.IsType<byte[]>(actual));
                return;
            case BinaryTableValue binary:
                Assert.Equal(binary.Bytes, Assert.IsType<BinaryTableValue>(actual).Bytes);
                return;
            case IList list:
                var actualList = Assert.IsAssignableFrom<IList>(actual);
                Assert.Equal(list.Count, actualList.Count);
                for (var i = 0; i < list.Count; i++) AssertSameValue(list[i], actualList[i], $"{path}[{i}]");
                return;
            default:
                Assert.True(expected.GetType() == actual.GetType(), $"header '{path}': expected a {expected.GetType().Name}, got a {actual.GetType().Name}");
                Assert.Equal(expected, actual);
                if (expected is decimal d) Assert.Equal(d.Scale, ((decimal)actual).Scale);
                return;
        }
    }
}

/// <summary>A clock the test moves by hand.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
