using Akka.Streams;
using Akka.Streams.Dsl;
using VMess.Configuration.Options;
using VMess.Protocol.Auth;
using VMess.Relay.Logging;
using VMess.Relay.Online;
using VMess.Relay.Outbound;
using VMess.Registry.Traffic;
using VMess.Relay.Policy;
using VMess.Streams;
using VMess.Streams.Mux;

namespace VMess.Relay.Inbound;

/// <summary>
/// Everything the connections of one inbound share: its protocol, users (VMess) or level (local proxies), policy, the
/// outbound routing chose for it, logs, counters, and the fused graph blueprint each connection materializes (which
/// holds the replay state, drain sizes and buffer pool).
/// </summary>
public sealed record InboundContext(
    string? Tag,
    InboundProtocol Protocol,
    UserKeyIndex? Users,
    bool DisableInsecureEncryption,
    PolicyOptions Policy,
    IOutbound Outbound,
    RelayLimits Limits,
    IAccessLog AccessLog,
    RejectionCounters Rejections,
    TimeProvider Clock,
    IMaterializer Materializer,
    IRunnableGraph<ConnectionLinks> Connections)
{
    /// <summary>Connections of this inbound that are open now (TCP connections and UDP associations).</summary>
    public ConnectionCounter OpenConnections { get; } = new();

    /// <summary>The policy level of a local proxy's traffic (its <c>userLevel</c>); VMess users carry their own.</summary>
    public byte UserLevel { get; init; }

    /// <summary>An idle timeout that replaces the level's connIdle (dokodemo-door's <c>timeout</c>).</summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>The graph of one Mux.Cool sub-connection, fused once (VMess inbounds only).</summary>
    public IRunnableGraph<(MuxSessionPort Port, ConnectionLinks Links)>? MuxSessions { get; init; }

    /// <summary>
    /// The mux connections of the routed outbound when it multiplexes (a VMess outbound with <c>mux</c> on): then the
    /// blueprints end in a session port, which the connection's actor attaches here instead of dialling.
    /// </summary>
    public MuxClientPool? MuxOutbound { get; init; }

    /// <summary>
    /// Where the connections that authenticate a registry user register (inbounds that serve the registry only): the
    /// node closes them when their user is removed or disabled, and shares their count with the cluster.
    /// </summary>
    public LiveConnections? LiveConnections { get; init; }

    /// <summary>The node's traffic ledger its connections are counted in (null: not counted).</summary>
    public TrafficLedger? Traffic { get; init; }

    /// <summary>This inbound's counters in <see cref="Traffic"/> (null when untagged: V2Ray names them by tag).</summary>
    public InboundTrafficCounter? InboundTraffic { get; init; }

    /// <summary>How logs name the inbound's protocol.</summary>
    public string ProtocolName => Protocol.ToConfigName();
}
