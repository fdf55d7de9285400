using System.Net.Sockets;
using Akka.Streams;
using Akka.Streams.Dsl;
using VMess.Streams.Buffers;
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

    /// <summary>
    /// One inbound connection, fused into one island: client socket, VMess server session, and the target socket.
    /// Both sockets are attached after materialization (<see cref="SocketLink.Attach"/>): the client's right away,
    /// the target's once the connection actor has dialled the destination the handshake named. So the blueprint
    /// is the same for every connection and is fused once, not on every accept.
    /// </summary>
    public static IRunnableGraph<ServerConnectionLinks> ServerConnection(ServerSessionSettings session, SocketStageSettings sockets)
    {
        var graph = PendingSocket(sockets).JoinMaterialized(
            ServerSession(session).JoinMat(PendingSocket(sockets), (handshake, target) => (handshake, target)),
            (clientLink, rest) => new ServerConnectionLinks(clientLink, rest.handshake, rest.target));
        return RunnableGraph.FromGraph(Fusing.Aggressive(graph));
    }
}

/// <summary>The control-plane handles of a materialized <see cref="VMessFlows.ServerConnection"/>.</summary>
public sealed record ServerConnectionLinks(SocketLink Client, Task<HandshakeOutcome> Handshake, SocketLink Target);
