namespace ActorMq.Retry;

/// <summary>
/// What the broker's <c>x-death</c> header says about a message it dead-lettered from <c>queue</c>: the reason, how many
/// times, and the exchange and first routing key it had been published with.
/// </summary>
internal sealed record BrokerDeath(string Reason, long Count, string? Exchange, string? RoutingKey)
{
    /// <summary>
    /// A delivery from <paramref name="queue"/>'s parked queue as the failure to dead-store: under the work queue's route
    /// the message was first published with (so a replay returns it there), with the broker's reason.
    /// </summary>
    public static (Consuming.Delivery Original, Consuming.BrokerDeadLetteredException Error) Park(Consuming.Delivery parked, string queue)
    {
        var death = Read(parked.Properties.Headers, queue);
        return (parked with { Exchange = death.Exchange ?? "", RoutingKey = death.RoutingKey ?? queue },
            new Consuming.BrokerDeadLetteredException(queue, death.Reason, death.Count));
    }

    /// <summary>The <c>x-death</c> entry for <paramref name="queue"/> (the newest when there are several), or <c>unknown</c>.</summary>
    public static BrokerDeath Read(IDictionary<string, object?>? headers, string queue)
    {
        if (headers is not null && headers.TryGetValue("x-death", out var deaths) && deaths is System.Collections.IEnumerable entries)
        {
            foreach (var entry in entries)
            {
                if (entry is not IDictionary<string, object?> death || FailureHeaders.Text(death, "queue") != queue) continue;
                var count = death.TryGetValue("count", out var c) && c is long or int ? Convert.ToInt64(c, System.Globalization.CultureInfo.InvariantCulture) : 1;
                string? key = null;
                if (death.TryGetValue("routing-keys", out var keys) && keys is System.Collections.IEnumerable list)
                    key = list.Cast<object?>().Select(FailureHeaders.Text).FirstOrDefault(k => k is not null);
                return new BrokerDeath(FailureHeaders.Text(death, "reason") ?? "unknown", count, FailureHeaders.Text(death, "exchange"), key);
            }
        }
        return new BrokerDeath("unknown", 1, null, null);
    }
}
