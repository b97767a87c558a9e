using ActorMq.Settings;
using Xunit;

namespace ActorMq.Tests.Settings;

/// <summary>The bracket check run before Akka's parser (which recurses without end on some unbalanced input).</summary>
public sealed class HoconFilesSpec
{
    [Theory]
    [InlineData("a { b = [1, 2] }")]
    [InlineData("a = \"} not a brace ]\"\nb { c = 1 }")]
    [InlineData("# a comment with { and [\na = 1 // and }\n")]
    [InlineData("a = \"\"\"multi\nline } ] {\"\"\"\nb = 2")]
    [InlineData("a = \"escaped \\\" quote }\"")]
    public void Balanced_text_must_pass(string hocon) => Assert.Null(HoconFiles.Unbalanced(hocon));

    [Theory]
    [InlineData("actormq {\n  consumers = [\n}", "line 3, column 1: '}' closes the '[' opened at line 2, column 15")]
    [InlineData("a {\n  b = 1\n", "line 1, column 3: '{' is never closed")]
    [InlineData("a = 1 }", "line 1, column 7: '}' closes nothing")]
    [InlineData("a = \"open", "line 1, column 5: a string that is never closed")]
    [InlineData("a = 1\na = ${?SECRET}", "line 2, column 5: optional substitutions (${?...}) are not supported by Akka's HOCON, which reads no environment variables; set the value from code instead")]
    public void Unbalanced_text_must_be_named_with_line_and_column(string hocon, string problem) =>
        Assert.Equal(problem, HoconFiles.Unbalanced(hocon));

    [Fact]
    public void Parse_must_refuse_unbalanced_text_naming_the_origin_instead_of_handing_it_to_Akka()
    {
        var error = Assert.Throws<ConfigurationException>(() => HoconFiles.Parse("a { b = [ }", "AddHocon #3"));
        Assert.Equal("AddHocon #3 is not valid HOCON: line 1, column 11: '}' closes the '[' opened at line 1, column 9", error.Message);
    }

    [Fact]
    public void An_empty_list_must_read_as_a_list()
    {
        var config = HoconFiles.Parse("a = []\nb = [x]\nc = x", "test");
        Assert.True(HoconFiles.IsList(config.GetValue("a")));
        Assert.True(HoconFiles.IsList(config.GetValue("b")));
        Assert.False(HoconFiles.IsList(config.GetValue("c")));
    }
}
