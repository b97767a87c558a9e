using Xunit;

namespace ActorMq.Hocon.Tests.Units;

public sealed class UnitParserSpec
{
    private static Config Value(string text) => ConfigFactory.ParseString("v = " + text);

    [Theory]
    [InlineData("1ns", 0)]
    [InlineData("1234 ns", 12)]
    [InlineData("123 microseconds", 1230)]
    [InlineData("1us", 10)]
    [InlineData("1 micro", 10)]
    [InlineData("1ms", 10_000)]
    [InlineData("1 milli", 10_000)]
    [InlineData("1 milliseconds", 10_000)]
    [InlineData("1s", 10_000_000)]
    [InlineData("1 second", 10_000_000)]
    [InlineData("0.5s", 5_000_000)]
    [InlineData("1m", 600_000_000)]
    [InlineData("2 minutes", 1_200_000_000)]
    [InlineData("1.5 h", 54_000_000_000)]
    [InlineData("1 hours", 36_000_000_000)]
    [InlineData("1d", 864_000_000_000)]
    [InlineData("1 days", 864_000_000_000)]
    [InlineData("1000", 10_000_000)]
    [InlineData("0", 0)]
    [InlineData("-1 s", -10_000_000)]
    [InlineData("\"20s\"", 200_000_000)]
    public void GetTimeSpan_must_understand_every_hocon_duration_unit(string text, long ticks)
    {
        Assert.Equal(TimeSpan.FromTicks(ticks), Value(text).GetTimeSpan("v"));
    }

    [Theory]
    [InlineData("1 S")]
    [InlineData("1 sec")]
    [InlineData("1 min")]
    [InlineData("1 hr")]
    [InlineData("1 w")]
    [InlineData("PT20S")]
    [InlineData("1 M")]
    [InlineData("abc")]
    [InlineData("1 s s")]
    public void GetTimeSpan_must_reject_unknown_units_as_bad_value(string text)
    {
        var error = Assert.Throws<ConfigBadValueException>(() => Value(text).GetTimeSpan("v"));
        Assert.Equal("v", error.Path);
        Assert.Equal(1, error.Origin.Line);
    }

    [Theory]
    [InlineData("11b", 11)]
    [InlineData("11 bytes", 11)]
    [InlineData("11kB", 11_000)]
    [InlineData("11 kilobytes", 11_000)]
    [InlineData("11K", 11_264)]
    [InlineData("11k", 11_264)]
    [InlineData("11Ki", 11_264)]
    [InlineData("11KiB", 11_264)]
    [InlineData("11 kibibytes", 11_264)]
    [InlineData("11MB", 11_000_000)]
    [InlineData("11m", 11_534_336)]
    [InlineData("11 MiB", 11_534_336)]
    [InlineData("11GB", 11_000_000_000)]
    [InlineData("11G", 11_811_160_064)]
    [InlineData("11 TB", 11_000_000_000_000)]
    [InlineData("11 tebibytes", 12_094_627_905_536)]
    [InlineData("11PB", 11_000_000_000_000_000)]
    [InlineData("11P", 12_384_898_975_268_864)]
    [InlineData("1EB", 1_000_000_000_000_000_000)]
    [InlineData("1e", 1_152_921_504_606_846_976)]
    [InlineData("1 EiB", 1_152_921_504_606_846_976)]
    [InlineData("0.5M", 524_288)]
    [InlineData("1048576", 1_048_576)]
    public void GetBytes_must_understand_decimal_and_binary_units(string text, long bytes)
    {
        Assert.Equal(bytes, Value(text).GetBytes("v"));
    }

    [Theory]
    [InlineData("1 kb")]
    [InlineData("1 KB")]
    [InlineData("1YB")]
    [InlineData("10 EiB")]
    [InlineData("lots")]
    public void GetBytes_must_reject_unknown_units_and_overflow_as_bad_value(string text)
    {
        Assert.Throws<ConfigBadValueException>(() => Value(text).GetBytes("v"));
    }

    [Fact]
    public void Duration_of_an_object_must_be_a_wrong_type()
    {
        Assert.Throws<ConfigWrongTypeException>(() => Value("{ a = 1 }").GetTimeSpan("v"));
        Assert.Throws<ConfigWrongTypeException>(() => Value("[1]").GetBytes("v"));
    }
}
