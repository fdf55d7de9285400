namespace VMess.Registry.Traffic;

/// <summary>
/// What one connection has carried, read from running totals that its stages already keep (so counting costs the data
/// plane nothing, and no byte count ever goes through a mailbox). A subclass says where the totals are: the raw bytes
/// of the client side for its inbound's counters, the payload for its user. <see cref="Flush"/> adds what is new since
/// the last flush; the ledger flushes every live meter at each report, and <see cref="Close"/> flushes a last time.
/// </summary>
public abstract class ConnectionTrafficMeter
{
    private readonly Lock _gate = new();
    private readonly TrafficLedger _ledger;
    private readonly InboundTrafficCounter? _inbound;
    private PendingUserTraffic? _user;
    private TrafficTotals _inboundFlushed;
    private TrafficTotals _payloadFlushed;
    private bool _closed;

    /// <param name="inbound">The inbound's counters to add the client side to; null when not counted (no tag, or a
    /// mux session, whose bytes its mux connection counts).</param>
    protected ConnectionTrafficMeter(TrafficLedger ledger, InboundTrafficCounter? inbound)
    {
        _ledger = ledger;
        _inbound = inbound;
    }

    /// <summary>The client side's totals so far (uplink: read from the client; downlink: written to it).</summary>
    protected abstract TrafficTotals ReadClientSide();

    /// <summary>The payload's totals so far (uplink: what went on to the target; downlink: what came back from it).</summary>
    protected abstract TrafficTotals ReadPayload();

    /// <summary>
    /// From now on the payload is the user's: all of it, from the connection's first byte (a connection carries one
    /// user's payload, known once its handshake is done, before any payload went out).
    /// </summary>
    public void CountFor(PendingUserTraffic user)
    {
        lock (_gate)
        {
            _user ??= user;
        }
    }

    /// <summary>Adds what the connection carried since the last flush to its inbound and user.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            if (_inbound is not null)
            {
                var clientSide = ReadClientSide();
                _inbound.Add(clientSide - _inboundFlushed);
                _inboundFlushed = clientSide;
            }
            if (_user is not null)
            {
                var payload = ReadPayload();
                _user.Add(payload - _payloadFlushed);
                _payloadFlushed = payload;
            }
        }
    }

    /// <summary>The connection has ended: a last flush, and the ledger forgets it. Idempotent.</summary>
    public void Close()
    {
        lock (_gate)
        {
            if (_closed) return;
            _closed = true;
        }
        _ledger.Forget(this);
        Flush();
    }
}
