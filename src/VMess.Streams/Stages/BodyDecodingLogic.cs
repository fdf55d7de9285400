using System.Buffers;
using Akka.Streams;
using Akka.Streams.Stage;
using VMess.Protocol;
using VMess.Protocol.Body;
using VMess.Streams.Buffers;

namespace VMess.Streams.Stages;

/// <summary>
/// The part the server and client session stages share: turning buffered body bytes into payload elements, one
/// chunk's worth per pull, for whichever direction each decodes (requests on the server, responses on the client).
/// </summary>
internal abstract class BodyDecodingLogic(Shape shape) : GraphStageLogic(shape)
{
    /// <summary>
    /// Decodes what is pending into one element for <paramref name="to"/>, pulling <paramref name="from"/> when a whole
    /// chunk is missing. <paramref name="finish"/> runs at the body's end (its end marker, or a close between chunks);
    /// <paramref name="fail"/> gets what is wrong: ": " and the codec's reason, or " ends inside a chunk". Returns the
    /// payload bytes pushed (0 when none), for the caller's counters.
    /// </summary>
    protected int DecodeBody(ChunkDecoder decoder, ChunkAccumulator pending, ArrayPool<byte> pool, Inlet<ByteChunk> from,
        Outlet<ByteChunk> to, Action finish, Action<string> fail)
    {
        while (true)
        {
            if (pending.Count == 0)
            {
                if (decoder.IsCompleted || IsClosed(from)) finish();
                else if (!HasBeenPulled(from)) Pull(from);
                return 0;
            }
            var output = ByteChunk.Rent(pool, pending.Count);
            var status = decoder.Decode(pending.Span, output.Array, out var consumed, out var written, out var endOfStream, out var error);
            if (status == OperationStatus.DestinationTooSmall)
            {
                output.Dispose();
                output = ByteChunk.Rent(pool, decoder.MaxChunkPayloadLength);
                status = decoder.Decode(pending.Span, output.Array, out consumed, out written, out endOfStream, out error);
            }
            if (consumed > 0) pending.Consume(consumed);
            if (status == OperationStatus.InvalidData)
            {
                output.Dispose();
                fail($": {error.Describe()}");
                return 0;
            }
            if (written > 0)
            {
                output.Length = written;
                Push(to, output);
                if (endOfStream) finish();
                return written;
            }
            output.Dispose();
            if (endOfStream)
            {
                finish();
                return 0;
            }
            if (status == OperationStatus.NeedMoreData)
            {
                if (IsClosed(from)) fail(" ends inside a chunk");
                else if (!HasBeenPulled(from)) Pull(from);
                return 0;
            }
        }
    }
}
