using System.Buffers;
using VMess.Streams.Buffers;

namespace VMess.Streams.Tests.Support;

/// <summary>Cuts bytes into the chunks a socket might deliver, as Akka's specs re-chunk their input.</summary>
internal static class Rechunk
{
    public static IEnumerable<byte[]> OneByte(byte[] bytes) => bytes.Select(b => new[] { b });

    /// <summary>Pieces of 1..<paramref name="maxPiece"/> bytes, the same for the same seed.</summary>
    public static IEnumerable<byte[]> Random(byte[] bytes, int seed, int maxPiece = 64)
    {
        var random = new Random(seed);
        for (var offset = 0; offset < bytes.Length;)
        {
            var length = Math.Min(bytes.Length - offset, 1 + random.Next(maxPiece));
            yield return bytes[offset..(offset + length)];
            offset += length;
        }
    }

    public static IEnumerable<byte[]> Whole(byte[] bytes) => [bytes];

    public static ByteChunk Chunk(ArrayPool<byte> pool, ReadOnlySpan<byte> bytes) => ByteChunk.CopyOf(pool, bytes);

    /// <summary>Copies the chunk's bytes out and returns it to its pool.</summary>
    public static byte[] Take(ByteChunk chunk)
    {
        using (chunk) return chunk.Span.ToArray();
    }
}
