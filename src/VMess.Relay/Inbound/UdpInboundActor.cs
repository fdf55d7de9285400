using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using VMess.Protocol.Addresses;
using VMess.Protocol.Headers;
using VMess.Relay.Policy;
using VMess.Streams;
using VMess.Streams.Buffers;
using VMess.Streams.Stages;

namespace VMess.Relay.Inbound;

/// <summary>
/// Owns the UDP socket of a socks (UDP ASSOCIATE) or dokodemo-door inbound. Its receive loop reads datagrams and hands
/// each to the association of its peer and destination, straight into that association's graph; only the opening of
/// an association is a message here, which spawns a <see cref="ConnectionActor"/> to dial and time it. Replies go out
/// through the same socket from each association's <see cref="DatagramPortStage"/>.
/// </summary>
public sealed class UdpInboundActor : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Socket _socket;
    private readonly InboundContext _inbound;
    private readonly UdpInboundSettings _settings;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<AssociationKey, DatagramPort> _associations = new();
    private readonly Dictionary<IActorRef, AssociationKey> _actors = new();
    private volatile bool _accepting = true;

    public UdpInboundActor(Socket socket, InboundContext inbound, UdpInboundSettings settings)
    {
        _socket = socket;
        _inbound = inbound;
        _settings = settings;
        Receive<AssociationOpened>(OnOpened);
        Receive<Terminated>(OnTerminated);
        Receive<ConnectionProtocol.StopAccepting>(_ =>
        {
            // The socket stays open: the open associations reply through it.
            _accepting = false;
            _log.Info("inbound {0} takes no new UDP peers; {1} association(s) still open", _inbound.Tag ?? "(untagged)", _inbound.OpenConnections.Count);
        });
    }

    public static Props Props(Socket socket, InboundContext inbound, UdpInboundSettings settings) =>
        Akka.Actor.Props.Create(() => new UdpInboundActor(socket, inbound, settings));

    /// <summary>Binds the inbound's UDP port; a port in use fails at startup, as for TCP.</summary>
    public static Socket Bind(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.Equals(IPAddress.IPv6Any)) socket.DualMode = true;
            socket.Bind(endPoint);
            // Replies are sent from stream stages and must never block one.
            socket.Blocking = false;
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    protected override void PreStart()
    {
        _ = ReceiveLoopAsync(Self, _stopping.Token);
        _log.Info("inbound {0} ({1}) receiving UDP on {2}", _inbound.Tag ?? "(untagged)", _inbound.ProtocolName, _socket.LocalEndPoint);
    }

    protected override void PostStop()
    {
        _stopping.Cancel();
        _socket.Dispose();
        _stopping.Dispose();
    }

    private void OnOpened(AssociationOpened opened)
    {
        var actor = Context.ActorOf(ConnectionActor.ForAssociation(opened.Links, opened.Key.Peer.ToString()!, opened.Request, _inbound));
        Context.Watch(actor);
        _actors[actor] = opened.Key;
    }

    private void OnTerminated(Terminated terminated)
    {
        if (!_actors.Remove(terminated.ActorRef, out var key)) return;
        // The port is the one this actor ran unless the loop already replaced a stopped one.
        if (_associations.TryGetValue(key, out var port) && port.Link.IsStopped) _associations.TryRemove(new(key, port));
    }

    private async Task ReceiveLoopAsync(IActorRef self, CancellationToken stopping)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(SocketStage.MaxDatagramSize);
        EndPoint any = _socket.AddressFamily == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        while (!stopping.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, stopping);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // ICMP port-unreachable from an earlier reply surfaces here on some systems; the socket is still good.
                _log.Debug("inbound {0}: UDP receive failed: {1}", _inbound.Tag, e.Message);
                continue;
            }
            OnDatagram(self, received.RemoteEndPoint, buffer.AsSpan(0, received.ReceivedBytes));
        }
    }

    private void OnDatagram(IActorRef self, EndPoint peer, ReadOnlySpan<byte> datagram)
    {
        if (!_settings.Parse(datagram, out var destination, out var headerLength)) return;
        var payload = datagram[headerLength..];
        var key = new AssociationKey(peer, destination);
        var chunk = ByteChunk.CopyOf(_settings.Pool, payload);
        if (_associations.TryGetValue(key, out var port) && !port.Link.IsStopped)
        {
            port.Offer(chunk);
            return;
        }
        if (!_accepting)
        {
            chunk.Dispose();
            return;
        }
        if (!_inbound.OpenConnections.TryOpen(_inbound.Limits.MaxConnectionsPerInbound))
        {
            chunk.Dispose();
            _inbound.Rejections.Count(RejectionCause.TooManyUdpAssociations);
            return;
        }
        var request = new RelayRequest(destination, RequestCommand.Udp, null, _inbound.UserLevel);
        var portSettings = new DatagramPortSettings(_socket, peer, _settings.ReplyPrefix(destination), _settings.Pool);
        var (newPort, links) = (_settings.MuxPort is { } muxPort
            ? VMessFlows.AssociationToMux(portSettings, muxPort)
            : VMessFlows.Association(portSettings, _settings.Session, _settings.Sockets)).Run(_inbound.Materializer);
        newPort.Offer(chunk);
        _associations[key] = newPort;
        self.Tell(new AssociationOpened(key, links, request));
    }

    private readonly record struct AssociationKey(EndPoint Peer, DestinationAddress Destination);

    private sealed record AssociationOpened(AssociationKey Key, ConnectionLinks Links, RelayRequest Request);
}

/// <summary>
/// How a UDP inbound reads its datagrams: <see cref="Parse"/> finds each one's destination and where its payload starts
/// (the SOCKS5 UDP header, or dokodemo-door's fixed destination); <see cref="ReplyPrefix"/> is what goes before each
/// reply to a destination. <see cref="Session"/> is the VMess client stage when the outbound is VMess;
/// <see cref="MuxPort"/>, when it multiplexes, the session port each association ends in instead.
/// </summary>
public sealed record UdpInboundSettings(
    UdpDatagramParser Parse,
    Func<DestinationAddress, byte[]> ReplyPrefix,
    ArrayPool<byte> Pool,
    SocketStageSettings Sockets,
    ClientSessionSettings? Session,
    MuxSessionPortSettings? MuxPort = null);

/// <summary>The destination of one received datagram and the length of the header before its payload; false to drop it.</summary>
public delegate bool UdpDatagramParser(ReadOnlySpan<byte> datagram, out DestinationAddress destination, out int headerLength);
