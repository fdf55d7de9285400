using System.Net.Sockets;
using Akka.Streams;
using Akka.Streams.Dsl;
using VMess.Streams.Buffers;
using VMess.Streams.Mux;
using VMess.Streams.Stages;

namespace VMess.Streams;

/// <summary>The VMess stages as flows, the way Akka's <c>Framing</c> exposes its stages.</summary>
public static class VMessFlows
{
    /// <summary>Server side of one VMess connection: client bytes to request payload, response payload to client bytes.</summary>
    public static BidiFlow<ByteChunk, ByteChunk, ByteChunk, ByteChunk, Task<HandshakeOutcome>> ServerSession(ServerSessionSettings settings) =>
        BidiFlow.FromGraph(new ServerSessionStage(settings));

    /// <summary>
    /// Client side of one VMess connection: request payload to server bytes, server bytes to response payload.
    /// Idle until <see cref="ClientSessionLink.Start"/> names the session, so it can be fused before the server is dialled.
    /// </summary>
    public static BidiFlow<ByteChunk, ByteChunk, ByteChunk, ByteChunk, ClientSessionLink> ClientSession(ClientSessionSettings settings) =>
        BidiFlow.FromGraph(new ClientSessionStage(settings));

    /// <summary>
    /// Server side of one local SOCKS4/4a/5 inbound connection: client bytes to the request's payload, the outbound's
    /// payload to client bytes. The task says what the client asked for (or why it was refused).
    /// </summary>
    public static BidiFlow<ByteChunk, ByteChunk, ByteChunk, ByteChunk, Task<HandshakeOutcome>> SocksServer(SocksServerSettings settings) =>
        BidiFlow.FromGraph(new SocksServerStage(settings));

    /// <summary>Server side of one local HTTP proxy inbound connection, shaped like <see cref="SocksServer"/>.</summary>
    public static BidiFlow<ByteChunk, ByteChunk, ByteChunk, ByteChunk, Task<HandshakeOutcome>> HttpProxy(HttpProxySettings settings) =>
        BidiFlow.FromGraph(new HttpProxyStage(settings));

    /// <summary>A connected socket as a flow (writes in, reads out).</summary>
    public static Flow<ByteChunk, ByteChunk, SocketLink> Socket(Socket socket, SocketStageSettings settings) =>
        Flow.FromGraph(new SocketStage(socket, settings));

    /// <summary>A socket flow whose socket is attached later through <see cref="SocketLink.Attach"/> (a target being dialled).</summary>
    public static Flow<ByteChunk, ByteChunk, SocketLink> PendingSocket(SocketStageSettings settings) =>
        Flow.FromGraph(new SocketStage(null, settings));

    /// <summary>The client side of one UDP association on a shared listening socket (see <see cref="DatagramPortStage"/>).</summary>
    public static Flow<ByteChunk, ByteChunk, DatagramPort> DatagramPort(DatagramPortSettings settings) =>
        Flow.FromGraph(new DatagramPortStage(settings));

    /// <summary>
    /// One inbound connection, fused into one island: client socket, the inbound's protocol stage, the outbound's
    /// VMess client stage (when <paramref name="session"/> is given), and the target socket. Both sockets are attached
    /// after materialization (<see cref="SocketLink.Attach"/>): the client's right away, the target's once the
    /// connection actor has dialled what the handshake named; the client stage is started then too
    /// (<see cref="ClientSessionLink.Start"/>). So the blueprint is the same for every connection of an inbound and
    /// is fused once, not on every accept. An inbound without a handshake (dokodemo-door) passes
    /// <paramref name="inbound"/> null and the request it always makes as <paramref name="fixedOutcome"/>.
    /// </summary>
    public static IRunnableGraph<ConnectionLinks> Connection(
        BidiFlow<ByteChunk, ByteChunk, ByteChunk, ByteChunk, Task<HandshakeOutcome>>? inbound,
        Task<HandshakeOutcome>? fixedOutcome,
        ClientSessionSettings? session,
        SocketStageSettings sockets)
    {
        var graph = PendingSocket(sockets).JoinMaterialized(Inward(inbound, fixedOutcome, session, sockets),
            (client, rest) => new ConnectionLinks(client, rest.Handshake, rest.Session, rest.Target));
        return RunnableGraph.FromGraph(Fusing.Aggressive(graph));
    }

    /// <summary>
    /// One UDP association: the peer's datagram port, then as <see cref="Connection"/>. Built per association (its
    /// peer is part of the port), and fused here because the relay's materializer does not fuse.
    /// </summary>
    public static IRunnableGraph<(DatagramPort Port, ConnectionLinks Links)> Association(
        DatagramPortSettings port,
        ClientSessionSettings? session,
        SocketStageSettings sockets)
    {
        var graph = DatagramPort(port).JoinMaterialized(Inward(null, NoHandshake, session, sockets),
            (client, rest) => (client, new ConnectionLinks(client.Link, rest.Handshake, rest.Session, rest.Target)));
        return RunnableGraph.FromGraph(Fusing.Aggressive(graph));
    }

    /// <summary>
    /// One Mux.Cool sub-connection: the session's port (fed and drained by its mux connection), then as
    /// <see cref="Connection"/> without an inbound stage. The same for every session of an inbound, so fused once.
    /// </summary>
    public static IRunnableGraph<(MuxSessionPort Port, ConnectionLinks Links)> MuxSession(
        MuxSessionPortSettings port,
        ClientSessionSettings? session,
        SocketStageSettings sockets)
    {
        var graph = Flow.FromGraph(new MuxSessionPortStage(port)).JoinMaterialized(Inward(null, NoHandshake, session, sockets),
            (client, rest) => (client, new ConnectionLinks(client.Link, rest.Handshake, rest.Session, rest.Target)));
        return RunnableGraph.FromGraph(Fusing.Aggressive(graph));
    }

    /// <summary>
    /// One client-side Mux.Cool connection: the mux client stage over a VMess client session (started with a session
    /// whose command is Mux) over the server's socket, attached once dialled. Sessions are opened through its
    /// <see cref="MuxClientLink"/>; each is a connection graph ending in a <see cref="MuxSessionPortStage"/>
    /// (<see cref="ConnectionToMux"/>).
    /// </summary>
    public static IRunnableGraph<(MuxClientLink Mux, ClientSessionLink Session, SocketLink Server)> MuxClient(
        MuxClientSettings mux, ClientSessionSettings session, SocketStageSettings sockets)
    {
        var server = ClientSession(session).JoinMat(PendingSocket(sockets), (link, socket) => (link, socket));
        var graph = Flow.FromGraph(new MuxClientStage(mux)).JoinMaterialized(server, (link, rest) => (link, rest.link, rest.socket));
        return RunnableGraph.FromGraph(Fusing.Aggressive(graph));
    }

    /// <summary>
    /// As <see cref="Connection"/>, for an outbound that multiplexes (Mux.Cool): the graph ends in a session port
    /// (<see cref="ConnectionLinks.MuxPort"/>, whose link is <see cref="ConnectionLinks.Target"/>) that the control
    /// plane hands to a mux connection, instead of a client session and a target socket.
    /// </summary>
    public static IRunnableGraph<ConnectionLinks> ConnectionToMux(
        BidiFlow<ByteChunk, ByteChunk, ByteChunk, ByteChunk, Task<HandshakeOutcome>>? inbound,
        Task<HandshakeOutcome>? fixedOutcome,
        MuxSessionPortSettings muxPort,
        SocketStageSettings sockets)
    {
        var graph = PendingSocket(sockets).JoinMaterialized(Inward(inbound, fixedOutcome, ToMux(muxPort)),
            (client, rest) => new ConnectionLinks(client, rest.Handshake, rest.Session, rest.Target) { MuxPort = rest.MuxPort });
        return RunnableGraph.FromGraph(Fusing.Aggressive(graph));
    }

    /// <summary>As <see cref="Association"/>, for an outbound that multiplexes: a UDP session of a mux connection.</summary>
    public static IRunnableGraph<(DatagramPort Port, ConnectionLinks Links)> AssociationToMux(
        DatagramPortSettings port,
        MuxSessionPortSettings muxPort)
    {
        var graph = DatagramPort(port).JoinMaterialized(Inward(null, NoHandshake, ToMux(muxPort)),
            (client, rest) => (client, new ConnectionLinks(client.Link, rest.Handshake, rest.Session, rest.Target) { MuxPort = rest.MuxPort }));
        return RunnableGraph.FromGraph(Fusing.Aggressive(graph));
    }

    /// <summary>As <see cref="MuxSession"/>, for an outbound that multiplexes too: a session carried on to another mux connection.</summary>
    public static IRunnableGraph<(MuxSessionPort Port, ConnectionLinks Links)> MuxSessionToMux(
        MuxSessionPortSettings port,
        MuxSessionPortSettings muxPort)
    {
        var graph = Flow.FromGraph(new MuxSessionPortStage(port)).JoinMaterialized(Inward(null, NoHandshake, ToMux(muxPort)),
            (client, rest) => (client, new ConnectionLinks(client.Link, rest.Handshake, rest.Session, rest.Target) { MuxPort = rest.MuxPort }));
        return RunnableGraph.FromGraph(Fusing.Aggressive(graph));
    }

    /// <summary>
    /// What the graphs of UDP associations and mux sessions carry as their handshake outcome: they have none (their
    /// request is known when they are built), and nobody reads it.
    /// </summary>
    private static readonly Task<HandshakeOutcome> NoHandshake =
        Task.FromResult<HandshakeOutcome>(new HandshakeRejected(HandshakeRejection.Aborted, Protocol.DecodeError.None, 0, 0));

    private static Flow<ByteChunk, ByteChunk, (ClientSessionLink? Session, SocketLink Target, MuxSessionPort? MuxPort)> Direct(
        ClientSessionSettings? session, SocketStageSettings sockets) =>
        session is null
            ? PendingSocket(sockets).MapMaterializedValue(target => ((ClientSessionLink?)null, target, (MuxSessionPort?)null))
            : ClientSession(session).JoinMat(PendingSocket(sockets), (link, target) => ((ClientSessionLink?)link, target, (MuxSessionPort?)null));

    // A session port stands where the target socket would: what the inbound sends goes into the mux connection.
    private static Flow<ByteChunk, ByteChunk, (ClientSessionLink? Session, SocketLink Target, MuxSessionPort? MuxPort)> ToMux(
        MuxSessionPortSettings muxPort) =>
        Flow.FromGraph(new MuxSessionPortStage(muxPort)).MapMaterializedValue(port => ((ClientSessionLink?)null, port.Link, (MuxSessionPort?)port));

    private static Flow<ByteChunk, ByteChunk, (Task<HandshakeOutcome> Handshake, ClientSessionLink? Session, SocketLink Target, MuxSessionPort? MuxPort)> Inward(
        BidiFlow<ByteChunk, ByteChunk, ByteChunk, ByteChunk, Task<HandshakeOutcome>>? inbound,
        Task<HandshakeOutcome>? fixedOutcome,
        ClientSessionSettings? session,
        SocketStageSettings sockets) =>
        Inward(inbound, fixedOutcome, Direct(session, sockets));

    /// <summary>Everything after the client's socket: the inbound stage (if any), then the outward part.</summary>
    private static Flow<ByteChunk, ByteChunk, (Task<HandshakeOutcome> Handshake, ClientSessionLink? Session, SocketLink Target, MuxSessionPort? MuxPort)> Inward(
        BidiFlow<ByteChunk, ByteChunk, ByteChunk, ByteChunk, Task<HandshakeOutcome>>? inbound,
        Task<HandshakeOutcome>? fixedOutcome,
        Flow<ByteChunk, ByteChunk, (ClientSessionLink? Session, SocketLink Target, MuxSessionPort? MuxPort)> outward)
    {
        if (inbound is not null) return inbound.JoinMat(outward, (handshake, rest) => (handshake, rest.Session, rest.Target, rest.MuxPort));
        var outcome = fixedOutcome ?? throw new ArgumentNullException(nameof(fixedOutcome), "an inbound without a handshake stage needs its fixed outcome");
        return outward.MapMaterializedValue(rest => (outcome, rest.Session, rest.Target, rest.MuxPort));
    }
}

/// <summary>
/// The control-plane handles of a materialized <see cref="VMessFlows.Connection"/>: the client's socket, how its
/// handshake ended, the outbound's VMess client stage (null for a direct outbound), and the target's socket.
/// </summary>
public sealed record ConnectionLinks(SocketLink Client, Task<HandshakeOutcome> Handshake, ClientSessionLink? Session, SocketLink Target)
{
    /// <summary>For an outbound that multiplexes: the session port to hand to a mux connection (its link is <see cref="Target"/>).</summary>
    public MuxSessionPort? MuxPort { get; init; }
}
