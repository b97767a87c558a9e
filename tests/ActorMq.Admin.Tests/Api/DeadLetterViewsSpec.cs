using System.Text;
using ActorMq.Admin.Api;
using ActorMq.DeadStore;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Xunit;

namespace ActorMq.Admin.Tests.Api;

public sealed class DeadLetterViewsSpec
{
    [Fact]
    public void A_json_body_is_pretty_printed_and_dumped_in_hex()
    {
        var body = DeadLetterViews.Body("{\"id\":\"r-1\",\"note\":\"crème\"}"u8, "application/json");

        Assert.Equal("{\n  \"id\": \"r-1\",\n  \"note\": \"crème\"\n}", body.Json!.ReplaceLineEndings("\n"));
        Assert.Equal("{\"id\":\"r-1\",\"note\":\"crème\"}", body.Text);
        Assert.StartsWith("00000000  7b 22 69 64 22 3a 22 72  2d 31 22 2c 22 6e 6f 74  {\"id\":\"r-1\",\"not\n00000010  ", body.Hex);
        Assert.False(body.HexTruncated);
    }

    [Fact]
    public void A_binary_body_has_neither_json_nor_text_only_hex()
    {
        var body = DeadLetterViews.Body(new byte[] { 0x00, 0xff, 0x41, 0x0a }, "application/octet-stream");

        Assert.Null(body.Json);
        Assert.Null(body.Text);
        Assert.Equal("00000000  00 ff 41 0a" + new string(' ', 12 * 3 + 1) + "  ..A.\n", body.Hex);
    }

    [Fact]
    public void Text_that_is_not_json_stays_text()
    {
        var body = DeadLetterViews.Body(Encoding.UTF8.GetBytes("{not json"), "text/plain");

        Assert.Null(body.Json);
        Assert.Equal("{not json", body.Text);
    }

    [Fact]
    public void The_hex_dump_stops_after_64_KiB()
    {
        var body = DeadLetterViews.Body(new byte[70_000], null);

        Assert.True(body.HexTruncated);
        Assert.Equal(64 * 1024 / 16, body.Hex.Count(c => c == '\n'));
        Assert.Equal(70_000, body.Size);
    }

    [Fact]
    public void The_filter_is_read_from_the_query_and_described_without_content()
    {
        var query = new QueryCollection(new Dictionary<string, StringValues>
        {
            ["queue"] = "orders", ["errorType"] = "System.TimeoutException", ["text"] = " timed out ", ["from"] = "2026-11-21T09:00:00Z",
            ["state"] = "Dead", ["ids"] = "3,5", ["search"] = " Order 42 ",
        });

        var model = FilterModel.FromQuery(query);
        var filter = model.ToFilter();

        Assert.Equal("orders", filter.Queue);
        Assert.Equal("System.TimeoutException", filter.ErrorType);
        Assert.Equal("timed out", filter.ErrorMessageContains);
        Assert.Equal("Order 42", filter.Search);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero), filter.DeadFrom);
        Assert.Null(filter.DeadBefore);
        Assert.Equal([DeadLetterState.Dead], filter.States);
        Assert.Equal([3L, 5L], filter.Ids);
        Assert.Equal("queue='orders' errorType='System.TimeoutException' text='timed out' search='Order 42' from=2026-11-21T09:00:00.0000000+00:00 state='Dead' ids=[3,5]",
            model.Describe());
        Assert.Equal("(all)", FilterModel.FromQuery(QueryCollection.Empty).Describe());
    }

    [Theory]
    [InlineData("from", "yesterday", "from: 'yesterday' is not a date")]
    [InlineData("ids", "3,x", "ids: 'x' is not a dead-letter id")]
    [InlineData("search", "!?", "search: '!?' holds no letter or digit to search for")]
    [InlineData("state", "zombie", "state: 'zombie' is not one of dead, replaying, replayed, resolved, failed-again, discarded")]
    public void A_bad_filter_value_is_a_bad_request_naming_the_field(string field, string value, string message)
    {
        var query = new QueryCollection(new Dictionary<string, StringValues> { [field] = value });

        var error = Assert.Throws<BadRequestException>(() => FilterModel.FromQuery(query).ToFilter());

        Assert.StartsWith(message, error.Message);
    }
}
