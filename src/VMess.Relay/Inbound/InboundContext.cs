using System.Buffers;
using Akka.Streams;
using Akka.Streams.Dsl;
using VMess.Configuration.Options;
using VMess.Protocol;
using VMess.Protocol.Auth;
using VMess.Protocol.Sessions;
using VMess.Relay.Logging;
using VMess.Relay.Outbound;
using VMess.Relay.Policy;
using VMess.Streams;

namespace VMess.Relay.Inbound;

/// <summary>
/// Everything the connections of one VMess inbound share: users, replay state, policy, outbound, logs, counters,
/// and the fused graph blueprint each connection materializes.
/// </summary>
public sealed record InboundContext(
    string? Tag,
    UserKeyIndex Users,
    ServerReplayGuard Replay,
    bool DisableInsecureEncryption,
    PolicyOptions Policy,
    IOutbound Outbound,
    RelayLimits Limits,
    IAccessLog AccessLog,
    ProbeResistance Probe,
    RejectionCounters Rejections,
    TimeProvider Clock,
    IRandomSource Random,
    ArrayPool<byte> Pool,
    IMaterializer Materializer,
    IRunnableGraph<ServerConnectionLinks> Connections)
{
    /// <summary>Connections of this inbound that are open now.</summary>
    public ConnectionCounter OpenConnections { get; } = new();
}
