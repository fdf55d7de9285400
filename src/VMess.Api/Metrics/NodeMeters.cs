using System.Diagnostics.Metrics;
using VMess.Protocol;
using VMess.Registry.ReadModel;
using VMess.Registry.Replay;
using VMess.Relay.Policy;

namespace VMess.Api.Metrics;

/// <summary>
/// The node's meter, <see cref="MeterName"/>: observable instruments, each read from a counter the node keeps anyway
/// (<see cref="NodeMetricSources"/>) when a reader collects, so nothing is recorded on the relay's hot path; the one
/// exception is the auth-time histogram, recorded once per handshake (never per chunk).
/// Every measurement carries the <c>node</c> tag. The Prometheus names (dots become underscores, counters end in
/// <c>_total</c>, seconds in <c>_seconds</c>) are listed in cluster-config/README.md.
/// </summary>
public sealed class NodeMeters : IDisposable
{
    public const string MeterName = "VMess.Cluster";

    private static readonly DecodeError[] DecodeErrors = [.. Enum.GetValues<DecodeError>().Where(e => e != DecodeError.None)];
    private static readonly RejectionCause[] RejectionCauses = Enum.GetValues<RejectionCause>();

    private readonly Meter _meter = new(MeterName);
    private readonly NodeMetricSources _sources;
    private readonly KeyValuePair<string, object?> _node;
    private readonly Relay.Policy.HandshakeTimings _timings;
    // A handshake decodes in microseconds (an AEAD auth id is one table lookup); a legacy scan over many alterIds, or a
    // starved thread pool, shows in the upper buckets.
    private static readonly double[] AuthDurationBuckets = [5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 1e-2, 0.1];
    private static readonly KeyValuePair<string, object?> Accepted = new("outcome", "accepted");
    private static readonly KeyValuePair<string, object?> Rejected = new("outcome", "rejected");

    public NodeMeters(NodeMetricSources sources)
    {
        _sources = sources;
        _node = new("node", sources.Node);
        _meter.CreateObservableUpDownCounter("vmess.connections.open", OpenConnections,
            description: "Connections (TCP, UDP associations, mux sessions) open now, per inbound");
        _meter.CreateObservableCounter("vmess.connections", OpenedConnections,
            description: "Connections accepted since the node started (those the connection limit refused not counted), per inbound");
        _meter.CreateObservableCounter("vmess.rejections", Rejections,
            description: "Connections refused or cut, by cause: the handshake's decode errors (UnknownUser, ReplayedAuthId, ...) and the relay's refusals");
        if (sources.Registry is { } registry)
        {
            _meter.CreateObservableGauge("vmess.registry.users", () => RegistryUsers(registry),
                description: "Users in this node's replica of the registry: served (enabled), disabled, or suspended for their quota or expiry");
            _meter.CreateObservableGauge("vmess.registry.sync_lag", () => SyncLag(registry), unit: "s",
                description: "The last measured lag from a user change's write to this node serving it");
        }
        if (sources.MembersUp is { } membersUp)
        {
            _meter.CreateObservableGauge("vmess.cluster.members_up", () => new Measurement<int>(membersUp(), _node),
                description: "Cluster members this node sees as up");
        }
        if (sources.AuthIdExchange is { } exchange)
        {
            _meter.CreateObservableCounter("vmess.auth_id_exchange.batches", () => AuthIdBatches(exchange),
                description: "Batches of accepted auth ids sent to the other nodes (each to every peer) and received from them");
            _meter.CreateObservableCounter("vmess.auth_id_exchange.ids", () => AuthIds(exchange),
                description: "Accepted auth ids sent, received, and dropped because too many were waiting");
            _meter.CreateObservableGauge("vmess.auth_id_exchange.peers", () => new Measurement<int>(exchange.Peers, _node),
                description: "Nodes the auth id exchange shares with now");
        }
        var authDuration = _meter.CreateHistogram("vmess.auth.duration", unit: "s",
            description: "Time spent decoding each VMess handshake (authenticating its user), by outcome (accepted or rejected)",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = AuthDurationBuckets });
        _timings = sources.Relay.HandshakeTimings;
        _timings.Attach((decoding, accepted) => authDuration.Record(decoding.TotalSeconds, _node, accepted ? Accepted : Rejected));
        if (sources.InboundTraffic is { } traffic)
        {
            _meter.CreateObservableCounter("vmess.traffic", () => Traffic(traffic), unit: "By",
                description: "Bytes relayed per inbound, by direction (uplink: client to target)");
        }
    }

    public void Dispose()
    {
        _timings.Detach();
        _meter.Dispose();
    }

    private IEnumerable<Measurement<int>> OpenConnections() =>
        _sources.Relay.Inbounds.Select(i => new Measurement<int>(i.OpenConnections.Count, _node, Inbound(i.Options.Tag)));

    private IEnumerable<Measurement<long>> OpenedConnections() =>
        _sources.Relay.Inbounds.Select(i => new Measurement<long>(i.OpenConnections.Opened, _node, Inbound(i.Options.Tag)));

    private IEnumerable<Measurement<long>> Rejections()
    {
        var counters = _sources.Relay.Rejections;
        foreach (var error in DecodeErrors) yield return new Measurement<long>(counters[error], _node, Cause(error.ToString()));
        foreach (var cause in RejectionCauses) yield return new Measurement<long>(counters[cause], _node, Cause(cause.ToString()));
    }

    private IEnumerable<Measurement<int>> RegistryUsers(RegistryProjectionStats registry) =>
    [
        new(registry.Users, _node, new("state", "enabled")),
        new(registry.DisabledUsers, _node, new("state", "disabled")),
        new(registry.SuspendedUsers, _node, new("state", "suspended")),
    ];

    private IEnumerable<Measurement<double>> SyncLag(RegistryProjectionStats registry) =>
        registry.LastSyncLag is { } lag ? [new(lag.TotalSeconds, _node)] : [];

    private IEnumerable<Measurement<long>> AuthIdBatches(AuthIdExchangeCounters exchange) =>
    [
        new(exchange.BatchesSent, _node, Direction("sent")),
        new(exchange.MessagesReceived, _node, Direction("received")),
    ];

    private IEnumerable<Measurement<long>> AuthIds(AuthIdExchangeCounters exchange) =>
    [
        new(exchange.IdsSent, _node, Direction("sent")),
        new(exchange.IdsReceived, _node, Direction("received")),
        new(exchange.IdsDropped, _node, Direction("dropped")),
    ];

    private IEnumerable<Measurement<long>> Traffic(Func<IEnumerable<InboundBytes>> traffic)
    {
        foreach (var inbound in traffic())
        {
            yield return new Measurement<long>(inbound.Uplink, _node, Inbound(inbound.Inbound), Direction("uplink"));
            yield return new Measurement<long>(inbound.Downlink, _node, Inbound(inbound.Inbound), Direction("downlink"));
        }
    }

    // Untagged inbounds are reported under one empty tag, as V2Ray's stats only count tagged ones by name.
    private static KeyValuePair<string, object?> Inbound(string? tag) => new("inbound", tag ?? string.Empty);

    private static KeyValuePair<string, object?> Cause(string cause) => new("cause", cause);

    private static KeyValuePair<string, object?> Direction(string direction) => new("direction", direction);
}
