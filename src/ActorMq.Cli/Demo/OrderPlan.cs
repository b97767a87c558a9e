namespace ActorMq.Cli.Demo;

/// <summary>One order the demo publishes, and how the first version of the handler treats it.</summary>
/// <param name="OrderId">The order id (also the message id): <c>&lt;run&gt;-0042</c>.</param>
/// <param name="Amount">The order's amount.</param>
/// <param name="Poison">Sent in the legacy format (amount as a string): a permanent failure until the handler is fixed.</param>
/// <param name="Failures">How many handlings fail with a retryable error before one succeeds; <see cref="int.MaxValue"/> = until the fix.</param>
internal sealed record PlannedOrder(string OrderId, decimal Amount, bool Poison, int Failures);

/// <summary>
/// The demo's orders, chosen pseudo-randomly from the seed (the same seed gives the same run), with what must happen to
/// them: which end in the dead store and how many retries the tiers see.
/// </summary>
internal sealed class OrderPlan
{
    private readonly Dictionary<string, PlannedOrder> _byId;

    private OrderPlan(string runId, IReadOnlyList<PlannedOrder> orders, int maxAttempts)
    {
        RunId = runId;
        Orders = orders;
        _byId = orders.ToDictionary(o => o.OrderId, StringComparer.Ordinal);
        ExpectedDeadLetters = orders.Where(o => o.Poison || o.Failures >= maxAttempts).Select(o => o.OrderId).ToHashSet(StringComparer.Ordinal);
        ExpectedRetries = orders.Where(o => !o.Poison).Sum(o => (long)Math.Min(o.Failures, maxAttempts - 1));
    }

    /// <summary>This run's id, the prefix of every order id (messages of an earlier run are recognised and ignored).</summary>
    public string RunId { get; }

    /// <summary>Every order, in publishing order.</summary>
    public IReadOnlyList<PlannedOrder> Orders { get; }

    /// <summary>The orders that must end in the dead store before the fix: the poison ones and those failing more often than max-attempts.</summary>
    public IReadOnlySet<string> ExpectedDeadLetters { get; }

    /// <summary>How many retry copies the tiers must see before the fix.</summary>
    public long ExpectedRetries { get; }

    /// <summary>The order with this id, or null for a message that is not this run's.</summary>
    public PlannedOrder? Find(string? orderId) => orderId is not null && _byId.TryGetValue(orderId, out var order) ? order : null;

    /// <summary>Draws the orders of a run.</summary>
    public static OrderPlan Create(DemoSettings settings, int maxAttempts, string runId)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var random = new Random(settings.Seed);
        var poison = Enumerable.Range(1, settings.PoisonOrders).Select(k => k * settings.Orders / (settings.PoisonOrders + 1)).ToHashSet();
        var orders = new List<PlannedOrder>(settings.Orders);
        for (var i = 0; i < settings.Orders; i++)
        {
            var amount = Math.Round(5m + (decimal)random.NextDouble() * 195m, 2);
            var draw = random.NextDouble();
            var id = $"{runId}-{i + 1:D4}";
            if (poison.Contains(i))
            {
                orders.Add(new PlannedOrder(id, amount, Poison: true, Failures: 0));
                continue;
            }
            var failures = (draw -= settings.FailOnce) < 0 ? 1
                : (draw -= settings.FailTwice) < 0 ? 2
                : (draw -= settings.FailThreeTimes) < 0 ? 3
                : draw - settings.FailUntilFixed < 0 ? int.MaxValue
                : 0;
            orders.Add(new PlannedOrder(id, amount, Poison: false, failures));
        }
        return new OrderPlan(runId, orders, maxAttempts);
    }
}
