using VMess.Configuration.Options;
using VMess.Registry.Traffic;
using VMess.Streams;

namespace VMess.Relay.Inbound;

/// <summary>
/// A connection's traffic meter over the counters its graph's stages already keep, read at each report (and a last time
/// at the report after its connection closed):
/// the client link's raw bytes for the inbound's counters (as V2Ray counts an inbound's connections), and the payload
/// for its VMess user (as V2Ray's dispatcher counts it): what the outbound's VMess client stage took and gave, else
/// what the target link (a socket, or a mux session's port) wrote and read.
/// </summary>
internal sealed class LinkTrafficMeter(InboundTrafficCounter? inbound, ConnectionLinks links) : ConnectionTrafficMeter(inbound)
{
    /// <summary>
    /// A tracked meter for a connection of <paramref name="context"/>, or null when nothing of it is counted (no
    /// ledger; or neither a tagged inbound's counters nor a VMess user's). A mux session passes
    /// <paramref name="countsInbound"/> false: its bytes are in its mux connection's.
    /// </summary>
    public static LinkTrafficMeter? Open(InboundContext context, ConnectionLinks links, bool countsInbound)
    {
        if (context.Traffic is not { } ledger) return null;
        var inbound = countsInbound ? context.InboundTraffic : null;
        if (inbound is null && context.Protocol != InboundProtocol.VMess) return null;
        var meter = new LinkTrafficMeter(inbound, links);
        ledger.Track(meter);
        return meter;
    }

    /// <summary>Counts the payload for the request's user: VMess users with an email only (V2Ray's names need one).</summary>
    public void CountFor(InboundContext context, RelayRequest request)
    {
        if (context.Protocol == InboundProtocol.VMess && !string.IsNullOrEmpty(request.Email)) CountFor(context.Traffic!.User(request.Email));
    }

    protected override TrafficTotals ReadClientSide() => new(links.Client.BytesRead, links.Client.BytesWritten);

    protected override TrafficTotals ReadPayload() => links.Session is { } session
        ? new TrafficTotals(session.PayloadSent, session.PayloadReceived)
        : new TrafficTotals(links.Target.BytesWritten, links.Target.BytesRead);
}
