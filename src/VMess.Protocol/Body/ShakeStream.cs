using System.Buffers.Binary;
using Org.BouncyCastle.Crypto.Digests;

namespace VMess.Protocol.Body;

/// <summary>
/// SHAKE128(iv) read 2 bytes at a time, V2Ray's <c>ShakeSizeParser</c>. .NET's Shake128 cannot squeeze incrementally
/// on OpenSSL &lt; 3.3, so this squeezes BouncyCastle's digest a rate-sized block ahead. A reader can
/// <see cref="Peek"/> without moving the stream and <see cref="Advance"/> only once a chunk is really consumed.
/// </summary>
internal sealed class ShakeStream
{
    private const int Rate = 168;

    private readonly ShakeDigest _digest = new(128);
    private readonly byte[] _buffer = new byte[2 * Rate];
    private int _start;
    private int _end;

    public ShakeStream(ReadOnlySpan<byte> seed)
    {
        _digest.BlockUpdate(seed);
    }

    /// <summary>The big-endian uint16 at <paramref name="offset"/> bytes past the current position.</summary>
    public ushort Peek(int offset)
    {
        Ensure(offset + 2);
        return BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(_start + offset, 2));
    }

    public void Advance(int count) => _start += count;

    public ushort Next()
    {
        var value = Peek(0);
        _start += 2;
        return value;
    }

    private void Ensure(int count)
    {
        var available = _end - _start;
        if (available >= count) return;
        _buffer.AsSpan(_start, available).CopyTo(_buffer);
        _start = 0;
        _end = available;
        _digest.Output(_buffer.AsSpan(_end, Rate));
        _end += Rate;
    }
}
