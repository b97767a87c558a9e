using ActorMq.DeadStore;
using Xunit;

namespace ActorMq.Tests.DeadStore;

public sealed class DeadLetterFingerprintSpec
{
    private const string Detail = """
        System.TimeoutException: inventory timed out for order b879f5-0061
           at Shop.Inventory.Reserve(String order) in /src/Shop/Inventory.cs:line 42
           at Shop.Orders.OrderHandler.<HandleAsync>d__3.MoveNext() in /src/Shop/OrderHandler.cs:line 17
           at System.Threading.Tasks.Task.Run()
           at ActorMq.Consuming.HandlerActor.Run()
        """;

    [Theory]
    [InlineData("inventory timed out for order b879f5-0061", "inventory timed out for order <id>")]
    [InlineData("order 3f2504e0-4f89-11d3-9a0c-0305e82c3301 failed", "order <guid> failed")]
    [InlineData("bad pointer 0x7ffe12ab at offset 12", "bad pointer <hex> at offset <n>")]
    [InlineData("hash deadbeef0042 differs", "hash <hex> differs")]
    [InlineData("timed out after 30s (attempt 3 of 4).", "timed out after <id> (attempt <n> of <n>).")]
    [InlineData("amount must be a number, got 12.50: rejected", "amount must be a number, got <n>: rejected")]
    [InlineData("no route to http://host:5672/vhost", "no route to <id>")]
    [InlineData("  spaces\n and\tlines  ", "spaces and lines")]
    [InlineData("negative refund -2", "negative refund <n>")]
    [InlineData("order 123456-0042 and order a3f2c1-0042, user 1234567", "order <id> and order <id>, user <id>")]
    [InlineData("order fff3a2b1-0042 failed", "order <id> failed")]
    public void Mask_must_hide_ids_guids_hex_and_numbers(string message, string pattern) =>
        Assert.Equal(pattern, DeadLetterFingerprint.Mask(message));

    [Fact]
    public void UserFrames_must_keep_the_top_frames_of_the_users_code_without_files_lines_or_generated_numbers() =>
        Assert.Equal(["Shop.Inventory.Reserve(String order)", "Shop.Orders.OrderHandler.<HandleAsync>d__<n>.MoveNext()"],
            DeadLetterFingerprint.UserFrames(Detail));

    [Fact]
    public void Of_must_give_one_key_for_one_cause_whatever_ids_numbers_and_lines_it_names()
    {
        var (key, pattern) = DeadLetterFingerprint.Of("orders", "System.TimeoutException", "inventory timed out for order b879f5-0061", Detail);
        var (same, _) = DeadLetterFingerprint.Of("orders", "System.TimeoutException", "inventory timed out for order c1d2e3-0099",
            Detail.Replace("line 42", "line 44", StringComparison.Ordinal).Replace("d__3", "d__7", StringComparison.Ordinal));

        Assert.Matches("^[0-9a-f]{16}$", key);
        Assert.Equal(key, DeadLetterFingerprint.FromStored(DeadLetterFingerprint.ToStored(key)));
        Assert.Throws<ArgumentException>(() => DeadLetterFingerprint.ToStored("not-a-key"));
        Assert.Equal(key, same);
        Assert.Equal("inventory timed out for order <id>", pattern);
    }

    [Fact]
    public void Of_must_tell_apart_queues_error_types_messages_and_the_users_frames()
    {
        var (key, _) = DeadLetterFingerprint.Of("orders", "System.TimeoutException", "inventory timed out for order 1", Detail);

        Assert.NotEqual(key, DeadLetterFingerprint.Of("payments", "System.TimeoutException", "inventory timed out for order 1", Detail).Key);
        Assert.NotEqual(key, DeadLetterFingerprint.Of("orders", "System.InvalidOperationException", "inventory timed out for order 1", Detail).Key);
        Assert.NotEqual(key, DeadLetterFingerprint.Of("orders", "System.TimeoutException", "payment timed out for order 1", Detail).Key);
        Assert.NotEqual(key, DeadLetterFingerprint.Of("orders", "System.TimeoutException", "inventory timed out for order 1",
            Detail.Replace("Shop.Inventory.Reserve", "Shop.Inventory.Release", StringComparison.Ordinal)).Key);
        // Only the framework's frames differ: the same group.
        Assert.Equal(key, DeadLetterFingerprint.Of("orders", "System.TimeoutException", "inventory timed out for order 1",
            Detail.Replace("HandlerActor.Run", "HandlerActor.RunAsync", StringComparison.Ordinal)).Key);
    }
}
