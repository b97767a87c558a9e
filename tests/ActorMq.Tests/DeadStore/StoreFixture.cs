using System.Text;
using ActorMq.DeadStore;
using static ActorMq.Tests.DeadStore.DeadLetterSamples;

namespace ActorMq.Tests.DeadStore;

/// <summary>
/// The letters in <c>Fixtures/dead-store-v1.db</c>, a store file written by the hand-written libsqlite3
/// binding before the store moved to Microsoft.Data.Sqlite: every header type, a binary body, an empty
/// body, unicode text; then one payments letter replayed, the shipping letter discarded and another
/// payments letter claimed (one and two minutes after <see cref="DeadLetterSamples.Epoch"/>).
/// </summary>
public static class StoreFixture
{
    public const string FileName = "dead-store-v1.db";

    public static IReadOnlyList<DeadLetter> Letters() =>
    [
        Letter("orders", messageId: "m-orders-1", body: Encoding.UTF8.GetBytes("""{"order":"A-1","lines":[1,2,3]}""")),
        Letter("orders", "System.InvalidOperationException", "ünïcødé \u202E and a NUL \u0000 in the message", "m-orders-2",
            deadAt: Epoch + TimeSpan.FromSeconds(1), body: BinaryBody(), headers: AllHeaderTypes()),
        Letter("payments", messageId: "m-payments-1", deadAt: Epoch + TimeSpan.FromSeconds(2), body: Encoding.UTF8.GetBytes("pay 1")),
        Letter("payments", messageId: "m-payments-2", deadAt: Epoch + TimeSpan.FromSeconds(3), body: Encoding.UTF8.GetBytes("pay 2")),
        Letter("shipping", messageId: "m-shipping-1", deadAt: Epoch + TimeSpan.FromSeconds(4), body: []),
    ];
}
