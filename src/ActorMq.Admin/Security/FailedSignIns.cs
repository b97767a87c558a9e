using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ActorMq.Admin.Security;

/// <summary>
/// Failed sign-ins per client, and the back-off they earn: the first <see cref="FreeFailures"/> wrong API keys or
/// passwords cost nothing, each one after that blocks the client for twice as long as the one before (1 s, 2 s, 4 s, ...
/// up to <see cref="MaxBlock"/>). A blocked client is refused without its credentials being checked, so guessing runs
/// at a few attempts per block, not hundreds per second. A success, or <see cref="Forget"/> without a failure, clears
/// the client's record.
/// </summary>
/// <remarks>
/// A client is its IP address; an IPv6 client is its /64 network (one machine holds a whole /64, and could otherwise take
/// a fresh address per attempt). Behind a reverse proxy every client is the proxy's address: blocks then hit everyone
/// behind it, which is the safe side. At most <see cref="MaxClients"/> clients are remembered; past that, records whose
/// block has ended are dropped first.
/// </remarks>
internal sealed class FailedSignIns(TimeProvider time)
{
    /// <summary>Wrong credentials a client may present before it is blocked.</summary>
    public const int FreeFailures = 5;

    /// <summary>The longest block.</summary>
    public static readonly TimeSpan MaxBlock = TimeSpan.FromMinutes(5);

    /// <summary>A client's record is forgotten this long after its last failure.</summary>
    public static readonly TimeSpan Memory = TimeSpan.FromMinutes(15);

    /// <summary>The most clients remembered at once.</summary>
    public const int MaxClients = 10_000;

    private readonly ConcurrentDictionary<IPAddress, Record> _clients = new();

    /// <summary>How long <paramref name="client"/> is still blocked; null when it is not.</summary>
    public TimeSpan? BlockedFor(IPAddress? client)
    {
        if (client is null || !_clients.TryGetValue(Key(client), out var record)) return null;
        var left = record.BlockedUntil - time.GetUtcNow();
        return left > TimeSpan.Zero ? left : null;
    }

    /// <summary>Records a failed sign-in; returns the block it earned (null while the free failures last).</summary>
    public TimeSpan? Failed(IPAddress? client)
    {
        if (client is null) return null;
        var now = time.GetUtcNow();
        if (_clients.Count >= MaxClients) Prune(now);
        var record = _clients.AddOrUpdate(Key(client),
            _ => new Record(1, now, DateTimeOffset.MinValue),
            (_, old) =>
            {
                var failures = now - old.LastFailure > Memory ? 1 : old.Failures + 1;
                return new Record(failures, now, failures > FreeFailures ? now + Block(failures - FreeFailures) : DateTimeOffset.MinValue);
            });
        return record.BlockedUntil > now ? record.BlockedUntil - now : null;
    }

    /// <summary>Forgets <paramref name="client"/>'s failures (it signed in).</summary>
    public void Forget(IPAddress? client)
    {
        if (client is not null && !_clients.IsEmpty) _clients.TryRemove(Key(client), out _);
    }

    private static TimeSpan Block(int beyondFree) =>
        beyondFree >= 20 ? MaxBlock : TimeSpan.FromSeconds(Math.Min(MaxBlock.TotalSeconds, Math.Pow(2, beyondFree - 1)));

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, record) in _clients)
            if (record.BlockedUntil <= now) _clients.TryRemove(key, out _);
    }

    private static IPAddress Key(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address;
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }

    private sealed record Record(int Failures, DateTimeOffset LastFailure, DateTimeOffset BlockedUntil);
}
