using System.Collections.Immutable;
using Akka.Streams;
using Akka.Streams.Dsl;
using VMess.Streams.Buffers;
using VMess.Streams.Stages;

namespace VMess.Streams.Tests.Support;

/// <summary>
/// Runs one server session between a client that sends fixed pieces and a target that answers with fixed payloads.
/// The target only starts when the session first pulls it, as a target socket attached after the handshake does.
/// </summary>
internal static class SessionHarness
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static async Task<SessionResult> RunAsync(IMaterializer materializer, ServerSessionSettings settings,
        IEnumerable<byte[]> clientPieces, IEnumerable<byte[]> targetReplies)
    {
        var pool = settings.Pool;
        var target = Flow.FromSinkAndSource(
            Flow.Create<ByteChunk>().Select(Rechunk.Take).ToMaterialized(Sink.Seq<byte[]>(), Keep.Right),
            Source.Lazily(() => Source.From(targetReplies).Select(bytes => ByteChunk.CopyOf(pool, bytes))),
            Keep.Left);
        var ((handshake, requests), responses) = Source.From(clientPieces)
            .Select(bytes => ByteChunk.CopyOf(pool, bytes))
            .ViaMaterialized(VMessFlows.ServerSession(settings).JoinMat(target, Keep.Both), Keep.Right)
            .Select(Rechunk.Take)
            .ToMaterialized(Sink.Seq<byte[]>(), Keep.Both)
            .Run(materializer);
        return new SessionResult(
            await handshake.WaitAsync(Timeout),
            await requests.WaitAsync(Timeout),
            await responses.WaitAsync(Timeout));
    }
}

/// <summary>How the handshake ended, the payloads the target got, and the elements written back to the client.</summary>
internal sealed record SessionResult(HandshakeOutcome Outcome, IImmutableList<byte[]> Requests, IImmutableList<byte[]> Responses)
{
    public byte[] RequestBytes => [.. Requests.SelectMany(r => r)];

    public byte[] ResponseBytes => [.. Responses.SelectMany(r => r)];
}
