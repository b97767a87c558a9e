using System.Text;
using ActorMq.Retry;
using Xunit;

namespace ActorMq.Tests.Retry;

public sealed class AttemptHeaderSpec
{
    private static AttemptReading Read(object? value) =>
        AttemptHeader.Read(new Dictionary<string, object?> { ["retry_nums"] = value }, "retry_nums");

    public static TheoryData<object> Threes => new()
    {
        (byte)3, (sbyte)3, (short)3, (ushort)3, 3, 3u, 3L, 3UL, 3m, 3.0, 3.0f, "3", " 3 ", Encoding.UTF8.GetBytes("3"),
    };

    [Theory]
    [MemberData(nameof(Threes))]
    public void AttemptHeader_must_read_any_integer_width_and_numeric_text(object value)
    {
        var reading = Read(value);
        Assert.Equal(3, reading.Retries);
        Assert.Equal(4, reading.Attempt);
        Assert.Null(reading.Warning);
    }

    [Fact]
    public void AttemptHeader_absent_or_null_must_be_zero_without_warning()
    {
        Assert.Equal(new AttemptReading(0, null), AttemptHeader.Read((IDictionary<string, object?>?)null, "retry-count"));
        Assert.Equal(new AttemptReading(0, null), AttemptHeader.Read(new Dictionary<string, object?>(), "retry-count"));
        Assert.Equal(new AttemptReading(0, null), Read(null));
    }

    public static TheoryData<object, string> Unreadable => new()
    {
        { "three", "String" },
        { Encoding.UTF8.GetBytes("x1"), "Byte[]" },
        { 2.5, "Double" },
        { true, "Boolean" },
        { new List<object>(), "List`1" },
        { new byte[] { 0xff, 0xfe }, "Byte[]" },
    };

    [Theory]
    [MemberData(nameof(Unreadable))]
    public void AttemptHeader_unreadable_must_count_as_zero_with_a_warning_naming_header_and_type(object value, string typeName)
    {
        var reading = Read(value);
        Assert.Equal(0, reading.Retries);
        Assert.NotNull(reading.Warning);
        Assert.Contains("'retry_nums'", reading.Warning);
        Assert.Contains(typeName, reading.Warning);
    }

    [Fact]
    public void AttemptHeader_negative_must_count_as_zero_with_a_warning()
    {
        var reading = Read(-2L);
        Assert.Equal(0, reading.Retries);
        Assert.Contains("negative", reading.Warning);
    }

    [Fact]
    public void AttemptHeader_huge_values_must_saturate()
    {
        Assert.Equal(int.MaxValue, Read(long.MaxValue).Retries);
        Assert.Equal(int.MaxValue, Read(ulong.MaxValue).Retries);
        Assert.Equal(int.MaxValue, Read(long.MaxValue).Attempt);
        Assert.Equal(int.MaxValue, Read("9223372036854775807").Attempt);
        Assert.Equal(int.MaxValue, Read(int.MaxValue).Attempt);
        Assert.Equal(int.MaxValue, Read("99999999999999999999").Retries);
        Assert.Contains("negative", Read("-99999999999999999999").Warning);
    }

    [Fact]
    public void AttemptHeader_must_write_a_32_bit_integer()
    {
        var headers = new Dictionary<string, object?> { ["retry-count"] = 7L };
        AttemptHeader.Write(headers, "retry-count", 2);
        Assert.Equal(2, Assert.IsType<int>(headers["retry-count"]));
        Assert.Throws<ArgumentOutOfRangeException>(() => AttemptHeader.Write(headers, "retry-count", -1));
    }
}
