namespace VMess.Registry.Traffic;

/// <summary>
/// One user's bytes on this node that its entity has not been told of yet. Connections add to it (their meters, at
/// each report and when they close), the reporter takes it. Lock-free: the first add after a take queues it on its
/// ledger, so a report visits only the users with new bytes.
/// </summary>
public sealed class PendingUserTraffic
{
    private readonly TrafficLedger _ledger;
    private long _uplink;
    private long _downlink;
    private int _queued;

    internal PendingUserTraffic(string email, TrafficLedger ledger)
    {
        Email = email;
        _ledger = ledger;
    }

    /// <summary>The user's email as its account spells it (the middle of V2Ray's counter names).</summary>
    public string Email { get; }

    public void Add(TrafficTotals bytes)
    {
        if (bytes.IsZero) return;
        if (bytes.Uplink != 0) Interlocked.Add(ref _uplink, bytes.Uplink);
        if (bytes.Downlink != 0) Interlocked.Add(ref _downlink, bytes.Downlink);
        if (Interlocked.Exchange(ref _queued, 1) == 0) _ledger.Queue(this);
    }

    // Unqueued before the bytes are taken: an add racing with the take either lands in this take or queues again
    // (then the next take may find nothing, which the ledger skips).
    internal TrafficTotals Take()
    {
        Volatile.Write(ref _queued, 0);
        return new TrafficTotals(Interlocked.Exchange(ref _uplink, 0), Interlocked.Exchange(ref _downlink, 0));
    }
}
