using VMess.Registry.Traffic;

namespace VMess.Registry.Tests.Support;

/// <summary>A connection whose running totals the test sets (a real one reads its stages' counters).</summary>
internal sealed class FakeConnection(InboundTrafficCounter? inbound) : ConnectionTrafficMeter(inbound)
{
    /// <summary>A tracked connection, counted for <paramref name="user"/> when given.</summary>
    public static FakeConnection Open(TrafficLedger ledger, string? user, InboundTrafficCounter? inbound = null)
    {
        var connection = new FakeConnection(inbound);
        if (user is not null) connection.CountFor(ledger.User(user));
        ledger.Track(connection);
        return connection;
    }

    private TrafficTotals _payload;
    private TrafficTotals _clientSide;

    public TrafficTotals Payload
    {
        get => Read(ref _payload);
        set => Write(ref _payload, value);
    }

    public TrafficTotals ClientSide
    {
        get => Read(ref _clientSide);
        set => Write(ref _clientSide, value);
    }

    protected override TrafficTotals ReadClientSide() => ClientSide;

    protected override TrafficTotals ReadPayload() => Payload;

    // Torn reads of the two longs would be a test artefact (a real meter reads two monotonic counters).
    private TrafficTotals Read(ref TrafficTotals field)
    {
        lock (this) return field;
    }

    private void Write(ref TrafficTotals field, TrafficTotals value)
    {
        lock (this) field = value;
    }
}
