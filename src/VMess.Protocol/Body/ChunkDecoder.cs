using System.Buffers;
using System.Buffers.Binary;
using VMess.Protocol.Crypto;

namespace VMess.Protocol.Body;

/// <summary>
/// Reads one direction of a VMess body. One instance per direction per connection, not thread-safe; create it with
/// <see cref="ChunkCodecFactory"/>.
/// <para>
/// <see cref="Decode"/> follows Kestrel's contract: it decodes every whole chunk that is in <c>source</c> and whose
/// payload fits <c>payloadDestination</c> (a stream), or exactly one chunk (a packet body: one call, one datagram).
/// It returns <see cref="OperationStatus.Done"/> when it consumed anything, otherwise
/// <see cref="OperationStatus.NeedMoreData"/> or <see cref="OperationStatus.DestinationTooSmall"/> with nothing
/// consumed and no state moved (nonce counters, SHAKE stream and CFB stream advance only with consumed chunks).
/// After <see cref="OperationStatus.InvalidData"/> the decoder stays failed.
/// </para>
/// <para>
/// Unlike V2Ray 4.34 it reports every failed tag (4.34 swallows failures on chunks up to 2 KiB) and authenticates
/// the end-of-stream chunk too (4.34 stops at its length). A destination of <see cref="MaxChunkPayloadLength"/>
/// bytes always fits the next chunk. <c>source</c> and <c>payloadDestination</c> must not overlap.
/// </para>
/// </summary>
public sealed class ChunkDecoder : IDisposable
{
    private readonly ChunkFormat _format;
    private readonly int _maxChunkLength;
    private readonly BodyAead? _aead;
    private readonly BodyAead? _lengthAead;
    private readonly ShakeStream? _shake;
    private readonly AesCfb128? _cfb;
    private bool _ended;
    private DecodeError _failure;
    private bool _disposed;

    internal ChunkDecoder(ChunkFormat format, int maxChunkLength, BodyAead? aead, BodyAead? lengthAead, ShakeStream? shake,
        AesCfb128? cfb)
    {
        _format = format;
        _maxChunkLength = maxChunkLength;
        _aead = aead;
        _lengthAead = lengthAead;
        _shake = shake;
        _cfb = cfb;
    }

    public bool IsChunked => _format.Kind != ChunkKind.Raw;

    public bool IsPacket => _format.IsPacket;

    /// <summary>The largest payload one chunk can carry (0 when unchunked: any non-empty destination makes progress).</summary>
    public int MaxChunkPayloadLength => _format.Kind == ChunkKind.Raw ? 0 : _maxChunkLength - _format.Overhead;

    /// <summary>Whether the end-of-stream chunk was consumed.</summary>
    public bool IsCompleted => _ended;

    public OperationStatus Decode(ReadOnlySpan<byte> source, Span<byte> payloadDestination, out int bytesConsumed,
        out int payloadWritten, out bool endOfStream, out DecodeError error)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        bytesConsumed = 0;
        payloadWritten = 0;
        endOfStream = _ended;
        error = _failure;
        if (_failure != DecodeError.None) return OperationStatus.InvalidData;
        if (_ended) return OperationStatus.Done;

        while (true)
        {
            var status = DecodeOne(source[bytesConsumed..], payloadDestination[payloadWritten..], out var c, out var w);

            if (status == OperationStatus.InvalidData)
            {
                // Deliver the good chunks decoded before the bad one; the decoder stays failed and says so next call.
                if (bytesConsumed > 0) return OperationStatus.Done;
                error = _failure;
                return status;
            }
            if (status != OperationStatus.Done)
            {
                return bytesConsumed > 0 ? OperationStatus.Done : status;
            }

            bytesConsumed += c;
            payloadWritten += w;
            if (_ended || _format.IsPacket || _format.Kind == ChunkKind.Raw)
            {
                endOfStream = _ended;
                return OperationStatus.Done;
            }
        }
    }

    /// <summary>
    /// Decrypts bytes of the Legacy body's CFB stream without framing (the legacy response header, read by a client
    /// before the body). Throws for any other security.
    /// </summary>
    public int DecodeUnframed(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_cfb is null) throw new InvalidOperationException("Only a Legacy (AES-128-CFB) body has an unframed stream.");
        _cfb.Decrypt(source, destination[..source.Length]);
        return source.Length;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _aead?.Dispose();
        _lengthAead?.Dispose();
        _cfb?.Clear();
    }

    private OperationStatus DecodeOne(ReadOnlySpan<byte> source, Span<byte> destination, out int consumed, out int written) =>
        _format.Kind switch
        {
            ChunkKind.Raw => DecodeRaw(source, destination, out consumed, out written),
            ChunkKind.PlainLength => DecodePlainLength(source, destination, out consumed, out written),
            _ => DecodeAuthenticated(source, destination, out consumed, out written),
        };

    private OperationStatus DecodeRaw(ReadOnlySpan<byte> source, Span<byte> destination, out int consumed, out int written)
    {
        consumed = written = 0;
        if (source.IsEmpty) return OperationStatus.NeedMoreData;
        if (destination.IsEmpty) return OperationStatus.DestinationTooSmall;
        var n = Math.Min(source.Length, destination.Length);
        if (_cfb is not null) _cfb.Decrypt(source[..n], destination[..n]);
        else source[..n].CopyTo(destination);
        consumed = written = n;
        return OperationStatus.Done;
    }

    private OperationStatus DecodePlainLength(ReadOnlySpan<byte> source, Span<byte> destination, out int consumed, out int written)
    {
        consumed = written = 0;
        const int sizeBytes = ChunkFormat.PlainLengthSize;
        if (source.Length < sizeBytes) return OperationStatus.NeedMoreData;
        int length = BinaryPrimitives.ReadUInt16BigEndian(source);
        if (_format.Masked) length ^= _shake!.Peek(0);
        if (length > _maxChunkLength) return Fail(DecodeError.ChunkTooLarge);
        if (source.Length < sizeBytes + length) return OperationStatus.NeedMoreData;
        if (length > destination.Length) return OperationStatus.DestinationTooSmall;

        source.Slice(sizeBytes, length).CopyTo(destination);
        if (_format.Masked) _shake!.Advance(2);
        consumed = sizeBytes + length;
        written = length;
        _ended = length == 0;
        return OperationStatus.Done;
    }

    private OperationStatus DecodeAuthenticated(ReadOnlySpan<byte> source, Span<byte> destination, out int consumed, out int written)
    {
        consumed = written = 0;
        var sizeBytes = _format.SizeBytes;
        if (source.Length < sizeBytes) return OperationStatus.NeedMoreData;

        // Draw order as V2Ray's reader: the padding length first, then the length mask; both only peeked for now.
        var shakeUsed = 0;
        var padding = 0;
        if (_format.Padded)
        {
            padding = _shake!.Peek(0) % 64;
            shakeUsed = 2;
        }

        int length;
        _cfb?.Save();
        if (_lengthAead is not null)
        {
            Span<byte> plain = stackalloc byte[2];
            if (!_lengthAead.TryOpen(source[..2], source.Slice(2, BodyAead.TagSize), plain))
            {
                return Fail(DecodeError.ChunkAuthFailed);
            }
            length = (ushort)(BinaryPrimitives.ReadUInt16BigEndian(plain) + BodyAead.TagSize);
        }
        else
        {
            Span<byte> field = stackalloc byte[2];
            if (_cfb is not null) _cfb.Decrypt(source[..2], field);
            else source[..2].CopyTo(field);
            length = BinaryPrimitives.ReadUInt16BigEndian(field);
            if (_format.Masked)
            {
                length ^= _shake!.Peek(shakeUsed);
                shakeUsed += 2;
            }
        }

        var minimum = _format.Overhead + padding;
        if (length < minimum) return Fail(DecodeError.ChunkTooSmall);
        if (length > _maxChunkLength) return Fail(DecodeError.ChunkTooLarge);
        if (source.Length < sizeBytes + length) return Undo(OperationStatus.NeedMoreData);
        var payloadLength = length - minimum;
        if (payloadLength > destination.Length) return Undo(OperationStatus.DestinationTooSmall);

        if (!Open(source.Slice(sizeBytes, length - padding), source.Slice(sizeBytes + length - padding, padding),
                destination[..payloadLength]))
        {
            return Fail(DecodeError.ChunkAuthFailed);
        }

        _aead?.Advance();
        _lengthAead?.Advance();
        _shake?.Advance(shakeUsed);
        consumed = sizeBytes + length;
        written = payloadLength;
        _ended = payloadLength == 0;
        return OperationStatus.Done;
    }

    private bool Open(ReadOnlySpan<byte> sealedPart, ReadOnlySpan<byte> padding, Span<byte> payload)
    {
        if (_aead is not null)
        {
            return _aead.TryOpen(sealedPart[..payload.Length], sealedPart[payload.Length..], payload);
        }
        if (_cfb is null)
        {
            sealedPart.CopyTo(payload);
            return true;
        }

        Span<byte> scratch = stackalloc byte[64];
        _cfb.Decrypt(sealedPart[..ChunkFormat.FnvSize], scratch);
        var expected = BinaryPrimitives.ReadUInt32BigEndian(scratch);
        _cfb.Decrypt(sealedPart[ChunkFormat.FnvSize..], payload);
        _cfb.Decrypt(padding, scratch[..padding.Length]);
        return Fnv1a.Hash(payload) == expected;
    }

    private OperationStatus Undo(OperationStatus status)
    {
        _cfb?.Restore();
        return status;
    }

    private OperationStatus Fail(DecodeError error)
    {
        _failure = error;
        return OperationStatus.InvalidData;
    }
}
