using System.Collections.Concurrent;

namespace VMess.Registry.Traffic;

/// <summary>
/// This node's traffic: the meters of its connections, each user's bytes not yet reported to its entity, and its
/// tagged inbounds' counters. Thread-safe. Nothing here runs per chunk: <see cref="Track"/> queues a new connection's
/// meter (lock-free), and <see cref="Collect"/> (the <see cref="TrafficReporter"/>'s, at each report) reads every meter
/// and forgets the closed ones; one collect runs at a time, so meters need no lock of their own.
/// </summary>
public sealed class TrafficLedger
{
    private readonly ConcurrentDictionary<string, PendingUserTraffic> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, InboundTrafficCounter> _inbounds = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ConnectionTrafficMeter> _opened = new();
    private readonly List<ConnectionTrafficMeter> _meters = [];
    private readonly Lock _collecting = new();
    private readonly ConcurrentQueue<PendingUserTraffic> _queued = new();
    private int _liveConnections;

    /// <summary>Meters tracked and not yet read after their connection closed.</summary>
    public int LiveConnections => Volatile.Read(ref _liveConnections);

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

    /// <summary>Reads <paramref name="meter"/> at each <see cref="Collect"/> until the one after it is closed.</summary>
    public void Track(ConnectionTrafficMeter meter)
    {
        Interlocked.Increment(ref _liveConnections);
        _opened.Enqueue(meter);
    }

    /// <summary>
    /// Reads every meter: what its connection carried since the last collect becomes pending for its user and is added
    /// to its inbound's counters. A closed meter is read a last time and forgotten.
    /// </summary>
    public void Collect()
    {
        lock (_collecting)
        {
            while (_opened.TryDequeue(out var opened)) _meters.Add(opened);
            for (var i = _meters.Count - 1; i >= 0; i--)
            {
                var meter = _meters[i];
                // Closed is read first: a connection's totals are final once it says so, so this read has them all.
                var closed = meter.IsClosed;
                meter.Collect();
                if (!closed) continue;
                _meters[i] = _meters[^1];
                _meters.RemoveAt(_meters.Count - 1);
                Interlocked.Decrement(ref _liveConnections);
            }
        }
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
