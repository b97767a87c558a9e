using System.Globalization;
using System.Text.Json;
using ActorMq.Consuming;

namespace ActorMq.Cli.Demo;

/// <summary>
/// The demo's order handler. Before <see cref="Fix"/>: orders in the legacy format (amount as a string) are rejected as
/// a bad payload (<see cref="PermanentFailureException"/>: no retries), and the inventory service "times out" on the
/// first handlings of the flaky orders (a retryable <see cref="TimeoutException"/>). After the fix both work.
/// </summary>
internal sealed class OrderHandler(OrderPlan plan, DemoProgress progress)
{
    private volatile bool _fixed;

    /// <summary>Deploys the fixed handler: legacy amounts are parsed, the inventory service answers.</summary>
    public void Fix() => _fixed = true;

    /// <summary>Handles one order message.</summary>
    public Task HandleAsync(JsonElement message, MessageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var orderId = message.ValueKind == JsonValueKind.Object && message.TryGetProperty("orderId", out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()
            : null;
        var order = plan.Find(orderId);
        if (order is null)
        {
            progress.Stale();
            return Task.CompletedTask; // a message of an earlier run: acknowledged and ignored
        }
        progress.Received(context.Attempt);
        ReadAmount(message, order.OrderId);
        if (!_fixed && context.Attempt <= order.Failures)
            throw new TimeoutException($"inventory service timed out reserving stock for order {order.OrderId} (attempt {context.Attempt})");
        progress.Handled(order.OrderId, context.Headers.ContainsKey(DeadStore.DeadLetterReplayer.ReplayedFromHeader));
        return Task.CompletedTask;
    }

    private decimal ReadAmount(JsonElement message, string orderId)
    {
        if (!message.TryGetProperty("amount", out var amount)) throw new PermanentFailureException($"bad payload: order {orderId} has no amount");
        if (amount.ValueKind == JsonValueKind.Number) return amount.GetDecimal();
        if (amount.ValueKind == JsonValueKind.String && _fixed
            && decimal.TryParse(amount.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var legacy))
            return legacy;
        throw new PermanentFailureException($"bad payload: order {orderId}: amount must be a number, got {amount.ValueKind.ToString().ToLowerInvariant()} {amount.GetRawText()}");
    }
}
