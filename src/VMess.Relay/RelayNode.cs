using System.Net;
using System.Net.Sockets;
using Akka.Actor;
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
/// The relay of one node: binds every VMess inbound of a validated config and starts its listener actor. Binding
/// happens first and throws a <see cref="SocketException"/> naming the endpoint, so a port in use fails at startup.
/// </summary>
public sealed class RelayNode
{
    private readonly IReadOnlyList<IActorRef> _listeners;

    private RelayNode(IReadOnlyList<IActorRef> listeners, IReadOnlyList<BoundInbound> inbounds, RejectionCounters rejections)
    {
        _listeners = listeners;
        Inbounds = inbounds;
        Rejections = rejections;
    }

    public IReadOnlyList<BoundInbound> Inbounds { get; }

    public RejectionCounters Rejections { get; }

    public static RelayNode Start(ActorSystem system, NodeOptions options, RelayLimits limits, IAccessLog accessLog,
        TimeProvider clock, IRandomSource random)
    {
        var outbound = CreateOutbound(options.Outbounds.IsDefaultOrEmpty ? OutboundOptions.DefaultFreedom : options.Outbounds[0], limits);
        var rejections = new RejectionCounters();
        var pool = ChunkPools.Create();
        // Connection graphs are fused once per inbound (VMessFlows.ServerConnection), so the materializer must not
        // fuse them again on every accept.
        var materializer = system.Materializer(ActorMaterializerSettings.Create(system).WithAutoFusing(false), namePrefix: "connection");
        var vmessInbounds = options.Inbounds.Where(i => i.VMess is not null).ToList();
        var sockets = new List<Socket>();
        try
        {
            foreach (var inbound in vmessInbounds) sockets.Add(BindOrExplain(inbound.EndPoint, limits.ListenBacklog));
        }
        catch
        {
            foreach (var socket in sockets) socket.Dispose();
            throw;
        }
        var listeners = new List<IActorRef>();
        var bound = new List<BoundInbound>();
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        for (var i = 0; i < vmessInbounds.Count; i++)
        {
            var inbound = vmessInbounds[i];
            var settings = inbound.VMess!;
            var users = new UserKeyIndex();
            users.Replace(settings.Clients, now);
            var replay = new ServerReplayGuard();
            var probe = ProbeResistance.For(settings.Clients.Select(c => c.Id));
            var connections = VMessFlows.ServerConnection(
                new ServerSessionSettings(users, replay, clock, random, pool, limits.ResponseChunkSize, probe.BaseDrainBytes, probe.DrainSpread),
                new SocketStageSettings(pool, limits.ReadBufferSize));
            var context = new InboundContext(inbound.Tag, users, settings.DisableInsecureEncryption, options.Policy, outbound,
                limits, accessLog, rejections, clock, materializer, connections);
            listeners.Add(system.ActorOf(InboundListenerActor.Props(sockets[i], context), $"inbound-{i}"));
            bound.Add(new BoundInbound(inbound, (IPEndPoint)sockets[i].LocalEndPoint!, users));
        }
        return new RelayNode(listeners, bound, rejections);
    }

    /// <summary>Stops accepting; open connections are stopped with their listener.</summary>
    public void Stop()
    {
        foreach (var listener in _listeners) listener.Tell(PoisonPill.Instance);
    }

    private static IOutbound CreateOutbound(OutboundOptions options, RelayLimits limits) => options.Protocol switch
    {
        OutboundProtocol.Blackhole => new BlackholeOutbound(options.Tag),
        _ => new FreedomOutbound(options.Tag, options.Freedom ?? FreedomSettings.Default, limits.EffectiveDialTimeout),
    };

    private static Socket BindOrExplain(IPEndPoint endPoint, int backlog)
    {
        try
        {
            return InboundListenerActor.Bind(endPoint, backlog);
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException($"cannot listen on {endPoint}: {e.Message}", e);
        }
    }
}

/// <summary>A bound inbound: its options, the endpoint it really listens on (port 0 resolved), and its users.</summary>
public sealed record BoundInbound(InboundOptions Options, IPEndPoint EndPoint, UserKeyIndex Users);
