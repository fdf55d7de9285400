using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using VMess.Configuration.Options;
using VMess.Protocol;
using VMess.Protocol.Auth;
using VMess.Protocol.Sessions;
using VMess.Registry.Traffic;
using VMess.Relay.Inbound;
using VMess.Relay.Logging;
using VMess.Relay.Online;
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
        IReadOnlyList<MuxClientPool> muxPools, ServerReplayGuard registryReplay, LiveConnections liveConnections,
        TrafficLedger traffic, HandshakeTimings handshakeTimings)
    {
        HandshakeTimings = handshakeTimings;
        _listeners = listeners;
        _muxPools = muxPools;
        Inbounds = inbounds;
        Rejections = rejections;
        RegistryReplayGuard = registryReplay;
        LiveConnections = liveConnections;
        Traffic = traffic;
    }

    public IReadOnlyList<BoundInbound> Inbounds { get; }

    public RejectionCounters Rejections { get; }

    /// <summary>How long each VMess handshake's decoding (authentication) took, for whoever attaches (the metrics).</summary>
    public HandshakeTimings HandshakeTimings { get; }

    /// <summary>
    /// What this node's connections carried: each VMess user's payload (V2Ray's user counters) and each tagged inbound's
    /// raw bytes. The host's traffic reporter takes the users' bytes to their entities.
    /// </summary>
    public TrafficLedger Traffic { get; }

    /// <param name="registryReplay">The replay state every inbound of <see cref="RegistryInbounds"/> shares (one is made
    /// when null): an auth id accepted on one of them is refused on all. The host passes one whose listener shares the
    /// accepted ids with the other nodes, and remembers theirs in it.</param>
    /// <param name="traffic">Where the connections are counted (<see cref="Traffic"/>); a new ledger when null.</param>
    public static RelayNode Start(ActorSystem system, NodeOptions options, RelayLimits limits, IAccessLog accessLog,
        TimeProvider clock, IRandomSource random, ServerReplayGuard? registryReplay = null, TrafficLedger? traffic = null)
    {
        registryReplay ??= new ServerReplayGuard();
        traffic ??= new TrafficLedger();
        var registryInbounds = RegistryInbounds(options);
        var pool = ChunkPools.Create();
        var outboundOptions = options.Outbounds.IsDefaultOrEmpty ? [OutboundOptions.DefaultFreedom] : options.Outbounds;
        var outbounds = outboundOptions.Select(o => CreateOutbound(o, limits, clock, random)).ToList();
        var rejections = new RejectionCounters();
        var timings = new HandshakeTimings();
        var live = new LiveConnections(Akka.Event.Logging.GetLogger(system, "online"));
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
        var bindings = BindAll(options.Inbounds, limits, clock, random);
        // Every VMess inbound's users first: a detour adds users to its target, which may come later in the list.
        var users = options.Inbounds.Select(i => i.VMess is { } vmess ? InboundSetup.CreateUsers(vmess, clock) : null).ToArray();
        var props = new List<(Props Props, string Name)>();
        var bound = new List<BoundInbound>();
        for (var i = 0; i < options.Inbounds.Length; i++)
        {
            var inbound = options.Inbounds[i];
            var (tcp, udp) = bindings[i];
            var outbound = OutboundRouting.Route(options.EffectiveRouting, outbounds, o => o.Tag, inbound.Tag);
            var session = outbound is VMessOutbound ? new ClientSessionSettings(pool, random, clock, limits.RequestChunkSize) : null;
            var muxOutbound = muxPools.GetValueOrDefault(outbound);
            var local = tcp?.FirstEndPoint ?? (IPEndPoint)udp[0].LocalEndPoint!;
            var detour = DetourFor(system, options.Inbounds, i, users, bindings, clock, random);
            var servesRegistry = registryInbounds.Any(r => ReferenceEquals(r, inbound));
            var setup = InboundSetup.For(inbound, local, clock, random, pool, limits, users[i], detour, servesRegistry ? registryReplay : null, timings);
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
                LiveConnections = servesRegistry ? live : null,
                Traffic = traffic,
                // Registered at start, as V2Ray does: a tagged inbound's counters exist (at 0) before its first connection.
                InboundTraffic = string.IsNullOrEmpty(inbound.Tag) ? null : traffic.Inbound(inbound.Tag),
            };
            if (tcp is not null) props.Add((InboundListenerActor.Props(tcp, context), $"inbound-{i}"));
            for (var k = 0; k < udp.Count; k++)
            {
                var udpContext = context with { IdleTimeout = Min(setup.IdleTimeout, limits.EffectiveUdpAssociationIdle) };
                var udpSettings = new UdpInboundSettings(setup.ParseDatagram!, setup.ReplyPrefix!, pool, sockets, session,
                    muxOutbound is null ? null : limits.MuxSessionPorts);
                props.Add((UdpInboundActor.Props(udp[k], udpContext, udpSettings), k == 0 ? $"inbound-{i}-udp" : $"inbound-{i}-udp-{k}"));
            }
            bound.Add(new BoundInbound(inbound, local, setup.Users, context.OpenConnections) { Ports = tcp, AuthenticatesRegistryUsers = servesRegistry });
        }
        // Started once every inbound is set up, so a detour target's users exist before its source accepts.
        var listeners = props.Select(p => system.ActorOf(p.Props, p.Name)).ToList();
        return new RelayNode(listeners, bound, rejections, [.. muxPools.Values], registryReplay, live, traffic, timings);
    }

    /// <summary>
    /// Stops accepting (TCP ports close, UDP inbounds take no new peers) while the open connections run on: they are
    /// the listeners' children and the listeners stay alive. The first step of a graceful shutdown.
    /// </summary>
    public void StopAccepting()
    {
        foreach (var listener in _listeners) listener.Tell(new ConnectionProtocol.StopAccepting());
    }

    /// <summary>Connections and UDP associations open now, over every inbound.</summary>
    public int OpenConnections => Inbounds.Sum(i => i.OpenConnections.Count);

    /// <summary>Stops accepting; open connections are stopped with their listener, mux connections closed.</summary>
    public void Stop()
    {
        foreach (var listener in _listeners) listener.Tell(PoisonPill.Instance);
        foreach (var pool in _muxPools) pool.Dispose();
    }

    /// <summary>
    /// The user indices that serve the cluster registry's users: those of <see cref="RegistryInbounds"/>. Whoever
    /// projects the registry replaces their contents; the handshake only reads them.
    /// </summary>
    public IReadOnlyList<UserKeyIndex> RegistryUserIndices =>
        Inbounds.Where(i => i.AuthenticatesRegistryUsers).Select(i => i.Users!).ToArray();

    /// <summary>
    /// The replay state shared by the inbounds of <see cref="RegistryUserIndices"/>: an AEAD auth id accepted by any of
    /// them is refused by all, and ids accepted by another node are remembered in it. Other inbounds keep their own.
    /// </summary>
    public ServerReplayGuard RegistryReplayGuard { get; }

    /// <summary>
    /// Which inbounds authenticate the registry's users: every VMess inbound that is not a detour target, so a user
    /// defined in any node's config is served by every such inbound of every node. A detour target keeps the users
    /// derived for it by its sources (plus its own <c>clients</c>), which are local to the node and its ports.
    /// </summary>
    public static IReadOnlyList<InboundOptions> RegistryInbounds(NodeOptions options)
    {
        var detourTargets = options.Inbounds.Select(i => i.VMess?.DetourTo).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return options.Inbounds.Where(i => i.VMess is not null && (i.Tag is null || !detourTargets.Contains(i.Tag))).ToArray();
    }

    /// <summary>
    /// The live connections of registry users on the inbounds of <see cref="RegistryUserIndices"/> (a detour target's
    /// are not tracked: its users are this node's own). Whoever replaces those indices' users calls
    /// <see cref="Online.LiveConnections.CloseUnserved"/> right after, so a removed or disabled user's connections close;
    /// the online publisher reads it to share the counts with the cluster.
    /// </summary>
    public LiveConnections LiveConnections { get; }

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
    /// What inbound <paramref name="index"/> answers with when it has <c>detour.to</c>: null without one, and, as V2Ray,
    /// when the target is not a VMess inbound (said once, at start).
    /// </summary>
    private static DetourSwitch? DetourFor(ActorSystem system, IReadOnlyList<InboundOptions> inbounds, int index, UserKeyIndex?[] users,
        List<(InboundPorts? Tcp, List<Socket> Udp)> bindings, TimeProvider clock, IRandomSource random)
    {
        if (inbounds[index].VMess?.DetourTo is not { } tag) return null;
        for (var j = 0; j < inbounds.Count; j++)
        {
            if (inbounds[j].Tag != tag) continue;
            if (inbounds[j].VMess is { } target && users[j] is { } targetUsers && bindings[j].Tcp is { } ports)
            {
                return new DetourSwitch(target, targetUsers, ports, clock, random);
            }
            break;
        }
        system.Log.Warning("inbound {0}: detour.to '{1}' is not a VMess inbound; its clients get no SwitchAccount", inbounds[index].Tag, tag);
        return null;
    }

    /// <summary>
    /// Binds every inbound's sockets before any actor starts, so a port in use fails at startup with a clear error:
    /// TCP (every port of a range, or the first random ports) unless dokodemo-door is UDP-only, and UDP on the same
    /// ports for socks with <c>udp</c> and dokodemo-door with "udp" (port 0 takes the TCP socket's port, so both share
    /// one). UDP does not rotate: random ports with UDP are refused.
    /// </summary>
    private static List<(InboundPorts? Tcp, List<Socket> Udp)> BindAll(IReadOnlyList<InboundOptions> inbounds, RelayLimits limits,
        TimeProvider clock, IRandomSource random)
    {
        var bound = new List<(InboundPorts? Tcp, List<Socket> Udp)>();
        try
        {
            foreach (var inbound in inbounds)
            {
                var (tcp, udp) = InboundSetup.Networks(inbound);
                if (udp && inbound.Allocate.Strategy == PortAllocationStrategy.Random)
                {
                    throw new InvalidOperationException($"inbound {inbound.Tag ?? "(untagged)"}: UDP on random ports (allocate \"random\") is not supported");
                }
                var ports = tcp ? InboundPorts.Bind(inbound, e => InboundListenerActor.Bind(e, limits.ListenBacklog), clock, random) : null;
                var udpSockets = new List<Socket>();
                bound.Add((ports, udpSockets));
                if (!udp) continue;
                var udpPorts = ports is null ? Enumerable.Range(inbound.Port, inbound.LastPort - inbound.Port + 1) : ports.Ports;
                foreach (var port in udpPorts) udpSockets.Add(BindOrExplain(new IPEndPoint(inbound.Listen, port), "udp ", UdpInboundActor.Bind));
            }
            return bound;
        }
        catch
        {
            foreach (var (tcp, udp) in bound)
            {
                tcp?.Dispose();
                udp.ForEach(socket => socket.Dispose());
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
public sealed record BoundInbound(InboundOptions Options, IPEndPoint EndPoint, UserKeyIndex? Users, ConnectionCounter OpenConnections)
{
    /// <summary>The TCP ports it listens on (null for a UDP-only dokodemo-door): which, and what each accepted.</summary>
    public InboundPorts? Ports { get; init; }

    /// <summary>Whether <see cref="Users"/> serves the cluster registry's users (<see cref="RelayNode.RegistryInbounds"/>).</summary>
    public bool AuthenticatesRegistryUsers { get; init; }
}
