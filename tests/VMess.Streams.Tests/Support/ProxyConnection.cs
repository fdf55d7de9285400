using Akka.Streams;
using Akka.Streams.Dsl;
using VMess.Streams.Buffers;
using VMess.Streams.Stages;

namespace VMess.Streams.Tests.Support;

/// <summary>
/// A local proxy stage between two pending sockets, as the relay will wire it: the client's socket attached at once,
/// the outbound's once the request named a destination.
/// </summary>
internal static class ProxyConnection
{
    public static ProxyConnectionLinks Run(IMaterializer materializer, SocketStageSettings sockets,
        BidiFlow<ByteChunk, ByteChunk, ByteChunk, ByteChunk, Task<HandshakeOutcome>> proxy)
    {
        var graph = VMessFlows.PendingSocket(sockets).JoinMaterialized(
            proxy.JoinMat(VMessFlows.PendingSocket(sockets), (handshake, target) => (handshake, target)),
            (client, rest) => new ProxyConnectionLinks(client, rest.handshake, rest.target));
        return RunnableGraph.FromGraph(graph).Run(materializer);
    }
}

internal sealed record ProxyConnectionLinks(SocketLink Client, Task<HandshakeOutcome> Handshake, SocketLink Target);
