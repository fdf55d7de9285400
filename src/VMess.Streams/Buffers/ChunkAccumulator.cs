using System.Buffers;

namespace VMess.Streams.Buffers;

/// <summary>
/// Bytes received but not yet decoded. The first chunk is adopted as is (no copy: usually a read holds whole
/// frames); only a frame that straddles reads is copied together. Holds nothing once drained.
/// </summary>
internal sealed class ChunkAccumulator(ArrayPool<byte> pool)
{
    private ByteChunk? _buffer;
    private int _start;

    public int Count { get; private set; }

    public ReadOnlySpan<byte> Span => _buffer is null ? default : _buffer.Array.AsSpan(_start, Count);

    /// <summary>Takes ownership of <paramref name="chunk"/>.</summary>
    public void Append(ByteChunk chunk)
    {
        if (chunk.Length == 0)
        {
            chunk.Dispose();
            return;
        }
        if (_buffer is null)
        {
            _buffer = chunk;
            _start = 0;
            Count = chunk.Length;
            return;
        }
        if (_start + Count + chunk.Length > _buffer.Capacity)
        {
            var target = Count + chunk.Length <= _buffer.Capacity ? _buffer : ByteChunk.Rent(pool, Count + chunk.Length);
            Span.CopyTo(target.Array);
            if (!ReferenceEquals(target, _buffer)) _buffer.Dispose();
            _buffer = target;
            _start = 0;
        }
        chunk.Span.CopyTo(_buffer.Array.AsSpan(_start + Count));
        Count += chunk.Length;
        chunk.Dispose();
    }

    public void Consume(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count);
        _start += count;
        Count -= count;
        if (Count == 0) Clear();
    }

    public void Clear()
    {
        _buffer?.Dispose();
        _buffer = null;
        _start = 0;
        Count = 0;
    }
}
