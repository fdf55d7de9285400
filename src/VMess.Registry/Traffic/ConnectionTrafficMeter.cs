namespace VMess.Registry.Traffic;

/// <summary>
/// What one connection has carried, read from running totals that its stages already keep (so counting costs the data
/// plane nothing, and no byte count ever goes through a mailbox). A subclass says where the totals are: the raw bytes
/// of the client side for its inbound's counters, the payload for its user. Only the ledger's collector reads a meter
/// (<see cref="TrafficLedger.Collect"/>, at each report), adding what is new since its last read; the connection only
/// names its user and says when it has closed, after which the next collect reads it a last time and forgets it.
/// </summary>
public abstract class ConnectionTrafficMeter
{
    private readonly InboundTrafficCounter? _inbound;
    private PendingUserTraffic? _user;
    private TrafficTotals _inboundCollected;
    private TrafficTotals _payloadCollected;
    private int _closed;

    /// <param name="inbound">The inbound's counters to add the client side to; null when not counted (no tag, or a
    /// mux session, whose bytes its mux connection counts).</param>
    protected ConnectionTrafficMeter(InboundTrafficCounter? inbound) => _inbound = inbound;

    /// <summary>The client side's totals so far (uplink: read from the client; downlink: written to it).</summary>
    protected abstract TrafficTotals ReadClientSide();

    /// <summary>The payload's totals so far (uplink: what went on to the target; downlink: what came back from it).</summary>
    protected abstract TrafficTotals ReadPayload();

    /// <summary>
    /// From now on the payload is the user's: all of it, from the connection's first byte (a connection carries one
    /// user's payload, known once its handshake is done). The first user named stays.
    /// </summary>
    public void CountFor(PendingUserTraffic user) => Interlocked.CompareExchange(ref _user, user, null);

    /// <summary>The connection has ended (its totals are final): the next collect reads it a last time and forgets it.</summary>
    public void Close() => Volatile.Write(ref _closed, 1);

    internal bool IsClosed => Volatile.Read(ref _closed) != 0;

    // The collector's thread only (the ledger lets one collect run at a time), so the collected marks need no lock. An
    // idle connection costs a few reads: nothing is added when nothing is new.
    internal void Collect()
    {
        if (_inbound is not null)
        {
            var clientSide = ReadClientSide();
            _inbound.Add(clientSide - _inboundCollected);
            _inboundCollected = clientSide;
        }
        if (Volatile.Read(ref _user) is { } user)
        {
            var payload = ReadPayload();
            user.Add(payload - _payloadCollected);
            _payloadCollected = payload;
        }
    }
}
