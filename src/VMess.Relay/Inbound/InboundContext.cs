using System.Buffers;
using Akka.Streams;
using VMess.Configuration.Options;
using VMess.Protocol;
using VMess.Protocol.Auth;
using VMess.Protocol.Sessions;
using VMess.Relay.Logging;
using VMess.Relay.Outbound;
using VMess.Relay.Policy;

namespace VMess.Relay.Inbound;

/// <summary>Everything the connections of one VMess inbound share: users, replay state, policy, outbound, logs, counters.</summary>
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
    IMaterializer Materializer);
