using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using Akka.Streams;
using Akka.Streams.Dsl;
using VMess.Streams.Buffers;
using VMess.Streams.Stages;

namespace VMess.Streams.Tests.Support;

/// <summary>
/// Runs one local proxy stage between a client that sends fixed pieces (then closes) and an outbound that answers
/// with fixed payloads. The outbound only starts when the stage first pulls it, as a socket attached after the
/// request is known does.
/// </summary>
internal static class ProxyHarness
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static async Task<ProxyRun> RunAsync(IMaterializer materializer, ArrayPool<byte> pool,
        BidiFlow<ByteChunk, ByteChunk, ByteChunk, ByteChunk, Task<HandshakeOutcome>> proxy,
        IEnumerable<byte[]> clientPieces, IEnumerable<byte[]> outboundReplies)
    {
        var outbound = Flow.FromSinkAndSource(
            Flow.Create<ByteChunk>().Select(Rechunk.Take).ToMaterialized(Sink.Seq<byte[]>(), Keep.Right),
            Source.Lazily(() => Source.From(outboundReplies).Select(bytes => ByteChunk.CopyOf(pool, bytes))),
            Keep.Left);
        var ((handshake, requests), responses) = Source.From(clientPieces)
            .Select(bytes => ByteChunk.CopyOf(pool, bytes))
            .ViaMaterialized(proxy.JoinMat(outbound, Keep.Both), Keep.Right)
            .Select(Rechunk.Take)
            .ToMaterialized(Sink.Seq<byte[]>(), Keep.Both)
            .Run(materializer);
        return new ProxyRun(
            await handshake.WaitAsync(Timeout),
            await requests.WaitAsync(Timeout),
            await responses.WaitAsync(Timeout));
    }
}

/// <summary>How the handshake ended, the elements the outbound got, and the elements written back to the client.</summary>
internal sealed record ProxyRun(HandshakeOutcome Outcome, IImmutableList<byte[]> Requests, IImmutableList<byte[]> Responses)
{
    public byte[] RequestBytes => [.. Requests.SelectMany(r => r)];

    public byte[] ResponseBytes => [.. Responses.SelectMany(r => r)];

    public string ResponseText => Encoding.ASCII.GetString(ResponseBytes);
}
