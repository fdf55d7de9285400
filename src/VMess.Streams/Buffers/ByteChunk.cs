using System.Buffers;

namespace VMess.Streams.Buffers;

/// <summary>
/// The element that flows between the socket and framing stages: a pooled array and how much of it is filled.
/// Exactly one stage owns a chunk at a time; whoever consumes it last calls <see cref="Dispose"/>, which returns
/// the array to its pool. Never keep a reference after passing a chunk on.
/// </summary>
public sealed class ByteChunk : IDisposable
{
    private readonly ArrayPool<byte> _pool;
    private byte[]? _array;

    private ByteChunk(ArrayPool<byte> pool, byte[] array, int length)
    {
        _pool = pool;
        _array = array;
        Length = length;
    }

    /// <summary>A chunk with room for at least <paramref name="minimumCapacity"/> bytes and length 0.</summary>
    public static ByteChunk Rent(ArrayPool<byte> pool, int minimumCapacity) => new(pool, pool.Rent(minimumCapacity), 0);

    /// <summary>A chunk that copies <paramref name="bytes"/> (tests and small control data).</summary>
    public static ByteChunk CopyOf(ArrayPool<byte> pool, ReadOnlySpan<byte> bytes)
    {
        var chunk = Rent(pool, Math.Max(1, bytes.Length));
        bytes.CopyTo(chunk.Array);
        chunk.Length = bytes.Length;
        return chunk;
    }

    public byte[] Array => _array ?? throw new ObjectDisposedException(nameof(ByteChunk));

    public int Capacity => Array.Length;

    /// <summary>The filled part, from index 0.</summary>
    public int Length { get; set; }

    public Span<byte> Span => Array.AsSpan(0, Length);

    public Memory<byte> Memory => Array.AsMemory(0, Length);

    public void Dispose()
    {
        var array = Interlocked.Exchange(ref _array, null);
        if (array is not null) _pool.Return(array);
    }
}
