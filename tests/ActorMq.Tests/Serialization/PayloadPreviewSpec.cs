using System.Text;
using ActorMq.Serialization;
using Xunit;

namespace ActorMq.Tests.Serialization;

public sealed class PayloadPreviewSpec
{
    [Fact]
    public void Preview_must_keep_printable_ascii_and_escape_the_rest()
    {
        var bytes = new byte[] { (byte)'a', (byte)'\\', 0x00, 0x0a, 0xff, (byte)'z' };
        Assert.Equal(@"a\\\x00\x0a\xffz", PayloadPreview.Of(bytes));
    }

    [Fact]
    public void Preview_must_be_bounded_and_say_how_much_was_left_out()
    {
        var text = PayloadPreview.Of(Encoding.ASCII.GetBytes(new string('x', 1000)), 10);
        Assert.Equal("xxxxxxxxxx… (990 more bytes)", text);
    }

    [Fact]
    public void Preview_of_nothing_must_say_empty() => Assert.Equal("(empty)", PayloadPreview.Of([]));
}
