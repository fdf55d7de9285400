using System.Buffers;
using VMess.Protocol.Body;

namespace VMess.Protocol.Tests.Interop;

/// <summary>Test-side plumbing that moves a VMess body between a socket stream and plain bytes, using the codec.</summary>
internal static class BodyPump
{
    private const int BufferSize = 128 * 1024;

    /// <summary>Decodes chunks read from <paramref name="source"/> (after <paramref name="initial"/>), handing each payload on.</summary>
    public static async Task DecodeAsync(Stream source, ReadOnlyMemory<byte> initial, ChunkDecoder decoder,
        Func<ReadOnlyMemory<byte>, ValueTask> onPayload, CancellationToken ct)
    {
        var input = new byte[BufferSize];
        var output = new byte[BufferSize];
        initial.CopyTo(input);
        var count = initial.Length;
        while (true)
        {
            var status = decoder.Decode(input.AsSpan(0, count), output, out var consumed, out var written, out var end, out var error);
            if (status == OperationStatus.InvalidData) throw new InvalidDataException($"body: {error.Describe()}");
            if (status == OperationStatus.DestinationTooSmall) throw new InvalidDataException("body chunk larger than the test buffer");
            if (written > 0) await onPayload(output.AsMemory(0, written));
            Buffer.BlockCopy(input, consumed, input, 0, count - consumed);
            count -= consumed;
            if (end) return;
            if (status == OperationStatus.Done && consumed > 0 && count > 0) continue;
            var n = await source.ReadAsync(input.AsMemory(count), ct);
            if (n == 0) return;
            count += n;
        }
    }

    /// <summary>Encodes everything read from <paramref name="source"/> onto <paramref name="destination"/>, then the end-of-stream chunk.</summary>
    public static async Task EncodeAsync(Stream source, ChunkEncoder encoder, Stream destination, CancellationToken ct)
    {
        var input = new byte[16 * 1024];
        var output = new byte[encoder.GetMaxEncodedLength(input.Length) + encoder.MaxEndOfStreamLength];
        int n;
        while ((n = await source.ReadAsync(input, ct)) > 0)
        {
            var length = encoder.Encode(input.AsSpan(0, n), output);
            await destination.WriteAsync(output.AsMemory(0, length), ct);
        }
        var end = encoder.EncodeEndOfStream(output);
        await destination.WriteAsync(output.AsMemory(0, end), ct);
    }
}
