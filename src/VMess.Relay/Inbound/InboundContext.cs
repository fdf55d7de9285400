using Akka.Streams;
using Akka.Streams.Dsl;
using VMess.Configuration.Options;
using VMess.Protocol.Auth;
using VMess.Relay.Logging;
using VMess.Relay.Outbound;
using VMess.Relay.Policy;
using VMess.Streams;

namespace VMess.Relay.Inbound;

/// <summary>
/// Everything the connections of one VMess inbound share: users, policy, outbound, logs, counters, and the fused
/// graph blueprint each connection materializes (which holds the replay state, drain sizes and buffer pool).
/// </summary>
public sealed record InboundContext(
    string? Tag,
    UserKeyIndex Users,
    bool DisableInsecureEncryption,
    PolicyOptions Policy,
    IOutbound Outbound,
    RelayLimits Limits,
    IAccessLog AccessLog,
    RejectionCounters Rejections,
    TimeProvider Clock,
    IMaterializer Materializer,
    IRunnableGraph<ServerConnectionLinks> Connections)
{
    /// <summary>Connections of this inbound that are open now.</summary>
    public ConnectionCounter OpenConnections { get; } = new();
}
