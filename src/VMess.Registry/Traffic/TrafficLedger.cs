using System.Collections.Concurrent;

namespace VMess.Registry.Traffic;

/// <summary>
/// This node's traffic: the meters of its live connections, each user's bytes not yet reported to its entity, and its
/// tagged inbounds' counters. Thread-safe and lock-free but for each meter's own lock. Nothing here runs per chunk: a
/// meter is read at each report (<see cref="Collect"/>, by the <see cref="TrafficReporter"/>) and when its connection
/// closes. Per connection it costs a meter and one entry in <see cref="LiveConnections"/>.
/// </summary>
public sealed class TrafficLedger
{
    private readonly ConcurrentDictionary<string, PendingUserTraffic> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, InboundTrafficCounter> _inbounds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ConnectionTrafficMeter, byte> _live = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentQueue<PendingUserTraffic> _queued = new();

    /// <summary>Meters of connections that have not closed yet.</summary>
    public int LiveConnections => _live.Count;

    /// <summary>The tagged inbounds' counters, in no particular order.</summary>
    public IEnumerable<InboundTrafficCounter> Inbounds => _inbounds.Select(pair => pair.Value);

    /// <summary>The pending bytes of the user with this email, created at first use (and kept: one small object per user).</summary>
    public PendingUserTraffic User(string email)
    {
        ArgumentException.ThrowIfNullOrEmpty(email);
        return _users.GetOrAdd(email, static (key, ledger) => new PendingUserTraffic(key, ledger), this);
    }

    /// <summary>The counters of the inbound with this tag, registered at first use (V2Ray registers them at start).</summary>
    public InboundTrafficCounter Inbound(string tag)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        return _inbounds.GetOrAdd(tag, static key => new InboundTrafficCounter(key));
    }

    public InboundTrafficCounter? FindInbound(string tag) => _inbounds.GetValueOrDefault(tag);

    /// <summary>Starts reading <paramref name="meter"/> at each <see cref="Collect"/> until its connection closes.</summary>
    public void Track(ConnectionTrafficMeter meter) => _live.TryAdd(meter, 0);

    internal void Forget(ConnectionTrafficMeter meter) => _live.TryRemove(meter, out _);

    /// <summary>Flushes every live meter: what their connections carried since the last collect becomes pending.</summary>
    public void Collect()
    {
        // The dictionary's enumerator takes no lock and copies nothing; a meter added meanwhile waits for the next collect.
        foreach (var (meter, _) in _live) meter.Flush();
    }

    /// <summary>Takes every user's pending bytes into <paramref name="into"/>: one delta per user with new bytes.</summary>
    public void TakePending(ICollection<UserTrafficDelta> into)
    {
        // Only what was queued when the take began, so a take under a steady stream of adds still ends.
        for (var count = _queued.Count; count > 0 && _queued.TryDequeue(out var user); count--)
        {
            var bytes = user.Take();
            if (!bytes.IsZero) into.Add(new UserTrafficDelta(user.Email, bytes));
        }
    }

    internal void Queue(PendingUserTraffic user) => _queued.Enqueue(user);
}
