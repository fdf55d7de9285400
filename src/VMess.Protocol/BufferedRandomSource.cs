namespace VMess.Protocol;

/// <summary>
/// Serves small random requests (a chunk's padding: up to 63 bytes) from a buffer refilled in one call to the
/// inner source. The OS CSPRNG costs about 4 µs per call through OpenSSL, which made padded chunks 2–3 times as
/// expensive to write. One instance per connection direction, not thread-safe; the buffer is allocated on first
/// use, so a connection that never pads holds none.
/// </summary>
public sealed class BufferedRandomSource(IRandomSource inner) : IRandomSource
{
    public const int BufferSize = 1024;

    private byte[]? _buffer;
    private int _used = BufferSize;

    public void Fill(Span<byte> destination)
    {
        if (destination.Length > BufferSize / 4)
        {
            inner.Fill(destination);
            return;
        }
        _buffer ??= new byte[BufferSize];
        if (_used + destination.Length > BufferSize)
        {
            inner.Fill(_buffer);
            _used = 0;
        }
        _buffer.AsSpan(_used, destination.Length).CopyTo(destination);
        _used += destination.Length;
    }

    public int Next(int maxExclusive) => inner.Next(maxExclusive);
}
