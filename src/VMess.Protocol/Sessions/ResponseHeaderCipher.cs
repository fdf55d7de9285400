using System.Buffers;
using System.Buffers.Binary;
using VMess.Protocol.Crypto;
using VMess.Protocol.Headers;

namespace VMess.Protocol.Sessions;

/// <summary>
/// The AEAD response header: GCM(uint16BE length) (18 bytes) then GCM(header) (n + 16), keyed by
/// KDF16(response key, "AEAD Resp Header Len Key" / "AEAD Resp Header Key") with nonces
/// KDF(response IV, "... Len IV" / "... IV")[0..12], and no associated data.
/// </summary>
public static class ResponseHeaderCipher
{
    public const int TagSize = 16;
    public const int SealedLengthSize = 2 + TagSize;

    public static int GetAeadSealedSize(ResponseHeader header) => SealedLengthSize + ResponseHeaderCodec.GetEncodedLength(header) + TagSize;

    public static int SealAead(ResponseHeader header, ReadOnlySpan<byte> responseKey, ReadOnlySpan<byte> responseIv, Span<byte> destination)
    {
        Span<byte> plain = stackalloc byte[ResponseHeaderCodec.MaxEncodedLength];
        var length = ResponseHeaderCodec.Encode(header, plain);
        Span<byte> lengthBytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(lengthBytes, (ushort)length);
        Seal(responseKey, responseIv, KdfSalts.AeadRespHeaderLenKey, KdfSalts.AeadRespHeaderLenIv, lengthBytes, destination[..SealedLengthSize]);
        Seal(responseKey, responseIv, KdfSalts.AeadRespHeaderPayloadKey, KdfSalts.AeadRespHeaderPayloadIv, plain[..length],
            destination.Slice(SealedLengthSize, length + TagSize));
        return SealedLengthSize + length + TagSize;
    }

    /// <summary>
    /// Opens an AEAD response header. NeedMoreData leaves nothing consumed; a failed tag is
    /// <see cref="DecodeError.ResponseAuthFailed"/>.
    /// </summary>
    public static OperationStatus OpenAead(ReadOnlySpan<byte> source, ReadOnlySpan<byte> responseKey, ReadOnlySpan<byte> responseIv,
        out ResponseHeader? header, out int bytesConsumed, out DecodeError error)
    {
        header = null;
        bytesConsumed = 0;
        error = DecodeError.None;
        if (source.Length < SealedLengthSize) return OperationStatus.NeedMoreData;
        Span<byte> lengthBytes = stackalloc byte[2];
        if (!Open(responseKey, responseIv, KdfSalts.AeadRespHeaderLenKey, KdfSalts.AeadRespHeaderLenIv, source[..SealedLengthSize], lengthBytes))
        {
            error = DecodeError.ResponseAuthFailed;
            return OperationStatus.InvalidData;
        }
        var length = BinaryPrimitives.ReadUInt16BigEndian(lengthBytes);
        if (length > ResponseHeaderCodec.MaxEncodedLength)
        {
            error = DecodeError.HeaderTooLarge;
            return OperationStatus.InvalidData;
        }
        var total = SealedLengthSize + length + TagSize;
        if (source.Length < total) return OperationStatus.NeedMoreData;
        Span<byte> plain = stackalloc byte[length];
        if (!Open(responseKey, responseIv, KdfSalts.AeadRespHeaderPayloadKey, KdfSalts.AeadRespHeaderPayloadIv, source[SealedLengthSize..total], plain))
        {
            error = DecodeError.ResponseAuthFailed;
            return OperationStatus.InvalidData;
        }
        if (ResponseHeaderCodec.Decode(plain, out header, out _, out _) != OperationStatus.Done)
        {
            error = DecodeError.HeaderTooShort;
            return OperationStatus.InvalidData;
        }
        bytesConsumed = total;
        return OperationStatus.Done;
    }

    private static void Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> keyLabel, ReadOnlySpan<byte> ivLabel,
        ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        Span<byte> k = stackalloc byte[Kdf.OutputSize];
        Span<byte> n = stackalloc byte[Kdf.OutputSize];
        DeriveKeyAndNonce(key, iv, keyLabel, ivLabel, k, n);
        HeaderGcm.Seal(k, n, plaintext, default, destination);
    }

    private static bool Open(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> keyLabel, ReadOnlySpan<byte> ivLabel,
        ReadOnlySpan<byte> sealedData, Span<byte> plaintext)
    {
        Span<byte> k = stackalloc byte[Kdf.OutputSize];
        Span<byte> n = stackalloc byte[Kdf.OutputSize];
        DeriveKeyAndNonce(key, iv, keyLabel, ivLabel, k, n);
        return HeaderGcm.TryOpen(k, n, sealedData, default, plaintext);
    }

    // The response header's AEAD key comes from the response key, its nonce from the response IV.
    private static void DeriveKeyAndNonce(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> keyLabel, ReadOnlySpan<byte> ivLabel,
        Span<byte> derivedKey, Span<byte> derivedNonce)
    {
        Kdf.Derive(key, derivedKey, keyLabel);
        Kdf.Derive(iv, derivedNonce, ivLabel);
    }
}
