using System.Buffers.Binary;
using VMess.Protocol.Crypto;

namespace VMess.Protocol.Body;

/// <summary>
/// Writes one direction of a VMess body (V2Ray's AuthenticationWriter, ChunkStreamWriter or a raw/CFB writer, as
/// the framing asks). One instance per direction per connection, not thread-safe; create it with
/// <see cref="ChunkCodecFactory"/>. Payload and destination must not overlap.
/// </summary>
public sealed class ChunkEncoder : IDisposable
{
    private readonly ChunkFormat _format;
    private readonly BodyAead? _aead;
    private readonly BodyAead? _lengthAead;
    private readonly ShakeStream? _shake;
    private readonly AesCfb128? _cfb;
    private readonly IRandomSource? _padding;
    private bool _disposed;

    internal ChunkEncoder(ChunkFormat format, int maxChunkSize, BodyAead? aead, BodyAead? lengthAead, ShakeStream? shake,
        AesCfb128? cfb, IRandomSource? padding)
    {
        _format = format;
        _aead = aead;
        _lengthAead = lengthAead;
        _shake = shake;
        _cfb = cfb;
        _padding = padding;
        MaxPayloadPerChunk = format.Kind == ChunkKind.Raw
            ? int.MaxValue
            : maxChunkSize - format.SizeBytes - format.Overhead - (format.Padded ? ChunkFormat.PaddingReserve : 0);
    }

    /// <summary>Whether the body is cut into chunks (false: raw bytes, maybe through CFB, ended by closing).</summary>
    public bool IsChunked => _format.Kind != ChunkKind.Raw;

    /// <summary>UDP: one <see cref="EncodePacket"/> per datagram instead of <see cref="Encode"/>.</summary>
    public bool IsPacket => _format.IsPacket;

    /// <summary>The most payload one chunk carries (<see cref="int.MaxValue"/> when unchunked).</summary>
    public int MaxPayloadPerChunk { get; }

    /// <summary>The most <see cref="EncodeEndOfStream"/> writes (0 when unchunked: the end is closing the socket).</summary>
    public int MaxEndOfStreamLength => _format.Kind switch
    {
        ChunkKind.Raw => 0,
        ChunkKind.PlainLength => ChunkFormat.PlainLengthSize,
        _ => _format.MaxChunkExtra,
    };

    /// <summary>An upper bound of what <see cref="Encode"/> or <see cref="EncodePacket"/> write for this payload.</summary>
    public int GetMaxEncodedLength(int payloadLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        if (_format.Kind == ChunkKind.Raw || payloadLength == 0) return payloadLength;
        var chunks = (payloadLength + MaxPayloadPerChunk - 1) / MaxPayloadPerChunk;
        var extra = _format.Kind == ChunkKind.PlainLength ? ChunkFormat.PlainLengthSize : _format.MaxChunkExtra;
        return checked(payloadLength + chunks * extra);
    }

    /// <summary>
    /// Encodes stream payload as chunks of at most <see cref="MaxPayloadPerChunk"/> bytes each and returns the bytes
    /// written. An empty payload writes nothing: the end of the stream is <see cref="EncodeEndOfStream"/>.
    /// </summary>
    public int Encode(ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_format.IsPacket) throw new InvalidOperationException("A packet body is written with EncodePacket.");
        if (destination.Length < GetMaxEncodedLength(payload.Length))
        {
            throw new ArgumentException("The destination is smaller than GetMaxEncodedLength.", nameof(destination));
        }
        if (_format.Kind == ChunkKind.Raw) return WriteRaw(payload, destination);

        var written = 0;
        while (!payload.IsEmpty)
        {
            var take = Math.Min(payload.Length, MaxPayloadPerChunk);
            written += WriteChunk(payload[..take], destination[written..]);
            payload = payload[take..];
        }
        return written;
    }

    /// <summary>
    /// Encodes one datagram as one chunk. An empty datagram writes nothing (an empty chunk would end the body), as
    /// V2Ray's writer skips it. A datagram over <see cref="MaxPayloadPerChunk"/> throws; V2Ray drops it silently, so
    /// a caller that wants that checks the limit first.
    /// </summary>
    public int EncodePacket(ReadOnlySpan<byte> datagram, Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_format.IsPacket) throw new InvalidOperationException("A stream body is written with Encode.");
        if (datagram.Length > MaxPayloadPerChunk)
        {
            throw new ArgumentOutOfRangeException(nameof(datagram), "The datagram does not fit one chunk.");
        }
        if (destination.Length < GetMaxEncodedLength(datagram.Length))
        {
            throw new ArgumentException("The destination is smaller than GetMaxEncodedLength.", nameof(destination));
        }
        if (_format.Kind == ChunkKind.Raw) return WriteRaw(datagram, destination);
        return datagram.IsEmpty ? 0 : WriteChunk(datagram, destination);
    }

    /// <summary>Writes the empty chunk that ends the body; nothing when the body is not chunked.</summary>
    public int EncodeEndOfStream(Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (destination.Length < MaxEndOfStreamLength)
        {
            throw new ArgumentException("The destination is smaller than MaxEndOfStreamLength.", nameof(destination));
        }
        return _format.Kind == ChunkKind.Raw ? 0 : WriteChunk(default, destination);
    }

    /// <summary>
    /// Passes bytes through the Legacy body's CFB stream without framing. With legacy (alterId &gt; 0) auth V2Ray
    /// writes the response header into the same CFB stream the response body then continues, so the response
    /// header encoder writes it through here first. Throws for any other security.
    /// </summary>
    public int EncodeUnframed(ReadOnlySpan<byte> bytes, Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_cfb is null) throw new InvalidOperationException("Only a Legacy (AES-128-CFB) body has an unframed stream.");
        _cfb.Encrypt(bytes, destination[..bytes.Length]);
        return bytes.Length;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _aead?.Dispose();
        _lengthAead?.Dispose();
        _cfb?.Clear();
    }

    private int WriteRaw(ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        if (_cfb is not null) _cfb.Encrypt(payload, destination);
        else payload.CopyTo(destination);
        return payload.Length;
    }

    private int WriteChunk(ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        if (_format.Kind == ChunkKind.PlainLength)
        {
            var plain = (ushort)payload.Length;
            if (_format.Masked) plain ^= _shake!.Next();
            BinaryPrimitives.WriteUInt16BigEndian(destination, plain);
            payload.CopyTo(destination[ChunkFormat.PlainLengthSize..]);
            return ChunkFormat.PlainLengthSize + payload.Length;
        }

        // The padding length is drawn before the length mask, as V2Ray's seal does.
        var padding = _format.Padded ? _shake!.Next() % 64 : 0;
        var sealedSize = payload.Length + _format.Overhead;
        var length = sealedSize + padding;
        var sizeBytes = _format.SizeBytes;
        WriteLength(length, destination[..sizeBytes]);

        var sealedPart = destination.Slice(sizeBytes, sealedSize);
        if (_aead is not null)
        {
            _aead.Seal(payload, sealedPart[..payload.Length], sealedPart[payload.Length..]);
        }
        else if (_format.UsesCfb)
        {
            BinaryPrimitives.WriteUInt32BigEndian(sealedPart, Fnv1a.Hash(payload));
            payload.CopyTo(sealedPart[ChunkFormat.FnvSize..]);
        }
        else
        {
            payload.CopyTo(sealedPart);
        }

        if (padding > 0) _padding!.Fill(destination.Slice(sizeBytes + sealedSize, padding));

        var total = sizeBytes + length;
        _cfb?.Encrypt(destination[..total], destination[..total]);
        return total;
    }

    private void WriteLength(int length, Span<byte> field)
    {
        if (_lengthAead is not null)
        {
            // Option A: Seal(uint16BE(L - 16)) with its own counter; L - 16 is the payload plus padding.
            Span<byte> plain = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(plain, (ushort)(length - BodyAead.TagSize));
            _lengthAead.Seal(plain, field[..2], field[2..]);
            return;
        }
        var value = (ushort)length;
        if (_format.Masked) value ^= _shake!.Next();
        BinaryPrimitives.WriteUInt16BigEndian(field, value);
    }
}
