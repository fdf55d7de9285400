namespace VMess.Protocol.Auth;

/// <summary>
/// An exact set whose entries expire at a time given per entry (unix seconds, supplied by the caller: no clock here).
/// Unlike V2Ray's cuckoo filters it has no false positives; expired entries are swept at most every
/// <paramref name="sweepIntervalSeconds"/>.
/// </summary>
public sealed class ExpiringSet<TKey>(int sweepIntervalSeconds = 30) where TKey : notnull
{
    private readonly Dictionary<TKey, long> _expiries = new();
    private readonly object _gate = new();
    private long _nextSweep;

    public int Count
    {
        get { lock (_gate) return _expiries.Count; }
    }

    /// <summary>Adds the key unless a live entry exists; false means "seen before".</summary>
    public bool TryAdd(TKey key, long expiresAt, long now)
    {
        lock (_gate)
        {
            SweepIfDue(now);
            if (_expiries.TryGetValue(key, out var expiry) && expiry > now)
            {
                return false;
            }
            _expiries[key] = expiresAt;
            return true;
        }
    }

    /// <summary>Adds the key, or keeps it until the later of its two expiries when it is live already.</summary>
    public void Remember(TKey key, long expiresAt, long now)
    {
        if (expiresAt <= now) return;
        lock (_gate)
        {
            SweepIfDue(now);
            if (_expiries.TryGetValue(key, out var expiry) && expiry > now && expiry >= expiresAt) return;
            _expiries[key] = expiresAt;
        }
    }

    public bool Contains(TKey key, long now)
    {
        lock (_gate) return _expiries.TryGetValue(key, out var expiry) && expiry > now;
    }

    private void SweepIfDue(long now)
    {
        if (now < _nextSweep) return;
        Sweep(now);
        _nextSweep = now + sweepIntervalSeconds;
    }

    private void Sweep(long now)
    {
        foreach (var (key, expiry) in _expiries)
        {
            if (expiry <= now) _expiries.Remove(key);
        }
    }
}
