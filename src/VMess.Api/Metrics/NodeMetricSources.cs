using VMess.Registry.ReadModel;
using VMess.Registry.Replay;
using VMess.Relay;

namespace VMess.Api.Metrics;

/// <summary>One inbound's relayed bytes since start, as the traffic ledger counts them.</summary>
public readonly record struct InboundBytes(string Inbound, long Uplink, long Downlink);

/// <summary>
/// Where <see cref="NodeMeters"/> read their values: counters the node keeps anyway, read on each collection, so the
/// relay's hot path pays nothing for metrics. A source left null is simply not reported.
/// </summary>
/// <param name="Node">The <c>node</c> tag on every measurement: the cluster's self address.</param>
public sealed record NodeMetricSources(string Node, RelayNode Relay)
{
    /// <summary>The registry projector's last directory (users) and sync lag.</summary>
    public RegistryProjectionStats? Registry { get; init; }

    /// <summary>The auth id exchange's batches and ids.</summary>
    public AuthIdExchangeCounters? AuthIdExchange { get; init; }

    /// <summary>The cluster members this node sees as up.</summary>
    public Func<int>? MembersUp { get; init; }

    /// <summary>Bytes by direction (<c>vmess.traffic</c>): the per-inbound totals of the node's traffic ledger.</summary>
    public Func<IEnumerable<InboundBytes>>? InboundTraffic { get; init; }
}
