using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using VMess.Configuration.Options;
using VMess.Protocol;
using VMess.Protocol.Auth;
using VMess.Protocol.Sessions;
using VMess.Relay.Inbound;
using VMess.Relay.Logging;
using VMess.Relay.Outbound;
using VMess.Relay.Policy;
using VMess.Streams;
using VMess.Streams.Buffers;
using VMess.Streams.Stages;

namespace VMess.Relay;

/// <summary>
/// The relay of one node: binds every inbound of a validated config (VMess, socks, http, dokodemo-door; TCP, and UDP
/// where the inbound takes it), routes each to its outbound, and starts its listener actors. Binding happens first
/// and throws naming the endpoint, so a port in use fails at startup.
/// </summary>
public sealed class RelayNode
{
    private readonly IReadOnlyList<IActorRef> _listeners;
    private readonly IReadOnlyList<MuxClientPool> _muxPools;

    private RelayNode(IReadOnlyList<IActorRef> listeners, IReadOnlyList<BoundInbound> inbounds, RejectionCounters rejections,
        IReadOnlyList<MuxClientPool> muxPools)
    {
        _listeners = listeners;
        _muxPools = muxPools;
        Inbounds = inbounds;
        Rejections = rejections;
    }

    public IReadOnlyList<BoundInbound> Inbounds { get; }

    public RejectionCounters Rejections { get; }

    public static RelayNode Start(ActorSystem system, NodeOptions options, RelayLimits limits, IAccessLog accessLog,
        TimeProvider clock, IRandomSource random)
    {
        var pool = ChunkPools.Create();
        var outboundOptions = options.Outbounds.IsDefaultOrEmpty ? [OutboundOptions.DefaultFreedom] : options.Outbounds;
        var outbounds = outboundOptions.Select(o => CreateOutbound(o, limits, clock, random)).ToList();
        var rejections = new RejectionCounters();
        // Connection graphs are fused once per inbound (VMessFlows.Connection), so the materializer must not
        // fuse them again on every accept.
        var materializer = system.Materializer(ActorMaterializerSettings.Create(system).WithAutoFusing(false), namePrefix: "connection");
        var sockets = new SocketStageSettings(pool, limits.ReadBufferSize);
        var muxPools = new Dictionary<IOutbound, MuxClientPool>(ReferenceEqualityComparer.Instance);
        for (var o = 0; o < outbounds.Count; o++)
        {
            if (outbounds[o] is not VMessOutbound vmess || outboundOptions[o].Mux is not { Enabled: true } mux) continue;
            var log = Akka.Event.Logging.GetLogger(system, "mux-outbound");
            var muxSettings = new MuxClientSettings(pool, clock, mux.Concurrency, limits.EffectiveMuxSessionStallTimeout,
                Overflowed: (request, buffered) => OnOverflow(rejections, log, "outbound {0}: mux session {1} to {2} ended: its client took nothing for {3} with {4} bytes waiting",
                    vmess.Tag ?? "(untagged)", request.SessionId, request, limits.EffectiveMuxSessionStallTimeout, buffered));
            var blueprint = VMessFlows.MuxClient(muxSettings, new ClientSessionSettings(pool, random, clock, limits.RequestChunkSize), sockets);
            muxPools[vmess] = MuxClientPool.For(vmess, blueprint, materializer, log, rejections);
        }
        var bindings = BindAll(options.Inbounds, limits);
        var listeners = new List<IActorRef>();
        var bound = new List<BoundInbound>();
        for (var i = 0; i < options.Inbounds.Length; i++)
        {
            var inbound = options.Inbounds[i];
            var (tcp, udp) = bindings[i];
            var outbound = OutboundRouting.Route(options.EffectiveRouting, outbounds, o => o.Tag, inbound.Tag);
            var session = outbound is VMessOutbound ? new ClientSessionSettings(pool, random, clock, limits.RequestChunkSize) : null;
            var muxOutbound = muxPools.GetValueOrDefault(outbound);
            var local = (IPEndPoint)(tcp ?? udp)!.LocalEndPoint!;
            var setup = InboundSetup.For(inbound, local, clock, random, pool, limits);
            var connections = muxOutbound is null
                ? VMessFlows.Connection(setup.Stage, setup.FixedOutcome, session, sockets)
                : VMessFlows.ConnectionToMux(setup.Stage, setup.FixedOutcome, limits.MuxSessionPorts, sockets);
            var context = new InboundContext(inbound.Tag, inbound.Protocol, setup.Users, inbound.VMess?.DisableInsecureEncryption ?? false,
                options.Policy, outbound, limits, accessLog, rejections, clock, materializer, connections)
            {
                UserLevel = setup.UserLevel,
                IdleTimeout = setup.IdleTimeout,
                MuxSessions = inbound.Protocol == InboundProtocol.VMess ? MuxSessionHost.Blueprint(limits, session, sockets, muxOutbound is not null) : null,
                MuxOutbound = muxOutbound,
            };
            if (tcp is not null) listeners.Add(system.ActorOf(InboundListenerActor.Props(tcp, context), $"inbound-{i}"));
            if (udp is not null)
            {
                var udpContext = context with { IdleTimeout = Min(setup.IdleTimeout, limits.EffectiveUdpAssociationIdle) };
                var udpSettings = new UdpInboundSettings(setup.ParseDatagram!, setup.ReplyPrefix!, pool, sockets, session,
                    muxOutbound is null ? null : limits.MuxSessionPorts);
                listeners.Add(system.ActorOf(UdpInboundActor.Props(udp, udpContext, udpSettings), $"inbound-{i}-udp"));
            }
            bound.Add(new BoundInbound(inbound, local, setup.Users, context.OpenConnections));
        }
        return new RelayNode(listeners, bound, rejections, [.. muxPools.Values]);
    }

    /// <summary>Stops accepting; open connections are stopped with their listener, mux connections closed.</summary>
    public void Stop()
    {
        foreach (var listener in _listeners) listener.Tell(PoisonPill.Instance);
        foreach (var pool in _muxPools) pool.Dispose();
    }

    /// <summary>The mux connection pools of the outbounds with <c>mux</c> on (for tests and stats).</summary>
    public IReadOnlyList<MuxClientPool> MuxPools => _muxPools;

    private static IOutbound CreateOutbound(OutboundOptions options, RelayLimits limits, TimeProvider clock, IRandomSource random) =>
        options.Protocol switch
        {
            OutboundProtocol.Blackhole => new BlackholeOutbound(options.Tag),
            OutboundProtocol.VMess => new VMessOutbound(options.Tag, options.VMess!, limits.EffectiveDialTimeout, clock, random),
            _ => new FreedomOutbound(options.Tag, options.Freedom ?? FreedomSettings.Default, limits.EffectiveDialTimeout),
        };

    private static void OnOverflow(RejectionCounters rejections, ILoggingAdapter log, string format, params object[] args)
    {
        rejections.Count(RejectionCause.MuxSessionOverflow);
        log.Info(format, args);
    }

    private static TimeSpan Min(TimeSpan? a, TimeSpan b) => a is { } value && value < b ? value : b;

    /// <summary>
    /// Binds every inbound's sockets before any actor starts, so a port in use fails at startup with a clear error:
    /// TCP unless dokodemo-door is UDP-only, and UDP on the same port for socks with <c>udp</c> and dokodemo-door with
    /// "udp" (port 0 takes the TCP socket's port, so both share one).
    /// </summary>
    private static List<(Socket? Tcp, Socket? Udp)> BindAll(IReadOnlyList<InboundOptions> inbounds, RelayLimits limits)
    {
        var bound = new List<(Socket? Tcp, Socket? Udp)>();
        try
        {
            foreach (var inbound in inbounds)
            {
                var (tcp, udp) = InboundSetup.Networks(inbound);
                var tcpSocket = tcp ? BindOrExplain(inbound.EndPoint, "", e => InboundListenerActor.Bind(e, limits.ListenBacklog)) : null;
                bound.Add((tcpSocket, null));
                if (!udp) continue;
                var endPoint = tcpSocket is null ? inbound.EndPoint : new IPEndPoint(inbound.Listen, ((IPEndPoint)tcpSocket.LocalEndPoint!).Port);
                bound[^1] = (tcpSocket, BindOrExplain(endPoint, "udp ", UdpInboundActor.Bind));
            }
            return bound;
        }
        catch
        {
            foreach (var (tcp, udp) in bound)
            {
                tcp?.Dispose();
                udp?.Dispose();
            }
            throw;
        }
    }

    private static Socket BindOrExplain(IPEndPoint endPoint, string network, Func<IPEndPoint, Socket> bind)
    {
        try
        {
            return bind(endPoint);
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException($"cannot listen on {network}{endPoint}: {e.Message}", e);
        }
    }
}

/// <summary>
/// A bound inbound: its options, the endpoint it really listens on (port 0 resolved), its users (VMess only), and how
/// many connections and UDP associations it holds now.
/// </summary>
public sealed record BoundInbound(InboundOptions Options, IPEndPoint EndPoint, UserKeyIndex? Users, ConnectionCounter OpenConnections);
