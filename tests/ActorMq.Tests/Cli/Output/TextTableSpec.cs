using ActorMq.Cli.Output;
using Xunit;

namespace ActorMq.Tests.Cli.Output;

public sealed class TextTableSpec
{
    [Fact]
    public void Columns_must_line_up_with_numbers_on_the_right_and_no_trailing_spaces()
    {
        var table = new TextTable(new TextColumn("ID", Align.Right), new TextColumn("QUEUE"), new TextColumn("NOTE"))
            .Add("7", "orders", "")
            .Add("1234", "q", "two\nlines");

        Assert.Equal(
            "  ID  QUEUE   NOTE\n" +
            "   7  orders\n" +
            "1234  q       two lines\n", table.ToString());
    }

    [Fact]
    public void A_cell_wider_than_its_column_allows_must_end_in_an_ellipsis()
    {
        var table = new TextTable(new TextColumn("ERROR", MaxWidth: 8)).Add("the handler timed out");

        Assert.Equal("ERROR\nthe han…\n", table.ToString());
    }

    [Fact]
    public void A_row_must_have_one_cell_per_column()
    {
        Assert.Throws<ArgumentException>(() => new TextTable(new TextColumn("A"), new TextColumn("B")).Add("only one"));
    }
}
