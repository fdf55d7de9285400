using System.Buffers.Binary;

namespace VMess.Protocol.Crypto;

/// <summary>
/// Seals and opens the AEAD request header: AuthID(16) ‖ GCM(uint16BE length)(18) ‖ nonce(8) ‖ GCM(header)(n+16).
/// Both seals use the auth id as associated data; keys and nonces are KDF(cmdKey, label, authId, nonce).
/// </summary>
public static class AeadHeaderCipher
{
    public const int ConnectionNonceSize = 8;
    public const int SealedLengthSize = 2 + TagSize;
    public const int TagSize = 16;
    /// <summary>Bytes before the sealed header: auth id, sealed length, connection nonce.</summary>
    public const int PreambleSize = AuthId.Size + SealedLengthSize + ConnectionNonceSize;

    public static int GetSealedSize(int headerLength) => PreambleSize + headerLength + TagSize;

    public static int Seal(ReadOnlySpan<byte> cmdKey, ReadOnlySpan<byte> authId, ReadOnlySpan<byte> connectionNonce, ReadOnlySpan<byte> header, Span<byte> destination)
    {
        authId.CopyTo(destination);
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, checked((ushort)header.Length));
        SealPart(cmdKey, KdfSalts.VMessHeaderPayloadLengthAeadKey, KdfSalts.VMessHeaderPayloadLengthAeadIv, authId, connectionNonce,
            length, destination.Slice(AuthId.Size, SealedLengthSize));
        connectionNonce.CopyTo(destination[(AuthId.Size + SealedLengthSize)..]);
        SealPart(cmdKey, KdfSalts.VMessHeaderPayloadAeadKey, KdfSalts.VMessHeaderPayloadAeadIv, authId, connectionNonce,
            header, destination.Slice(PreambleSize, header.Length + TagSize));
        return GetSealedSize(header.Length);
    }

    /// <summary>Opens the sealed length that follows the auth id; <paramref name="preamble"/> starts at the auth id.</summary>
    public static bool TryOpenLength(ReadOnlySpan<byte> cmdKey, ReadOnlySpan<byte> preamble, out int headerLength)
    {
        Span<byte> length = stackalloc byte[2];
        var ok = OpenPart(cmdKey, KdfSalts.VMessHeaderPayloadLengthAeadKey, KdfSalts.VMessHeaderPayloadLengthAeadIv,
            preamble[..AuthId.Size], preamble.Slice(AuthId.Size + SealedLengthSize, ConnectionNonceSize),
            preamble.Slice(AuthId.Size, SealedLengthSize), length);
        headerLength = ok ? BinaryPrimitives.ReadUInt16BigEndian(length) : 0;
        return ok;
    }

    /// <summary>Opens the sealed header (length + 16 bytes after the preamble) into <paramref name="header"/>.</summary>
    public static bool TryOpenHeader(ReadOnlySpan<byte> cmdKey, ReadOnlySpan<byte> preamble, ReadOnlySpan<byte> sealedHeader, Span<byte> header) =>
        OpenPart(cmdKey, KdfSalts.VMessHeaderPayloadAeadKey, KdfSalts.VMessHeaderPayloadAeadIv,
            preamble[..AuthId.Size], preamble.Slice(AuthId.Size + SealedLengthSize, ConnectionNonceSize), sealedHeader, header);

    private static void SealPart(ReadOnlySpan<byte> cmdKey, ReadOnlySpan<byte> keyLabel, ReadOnlySpan<byte> nonceLabel,
        ReadOnlySpan<byte> authId, ReadOnlySpan<byte> connectionNonce, ReadOnlySpan<byte> plaintext, Span<byte> sealedDestination)
    {
        Span<byte> key = stackalloc byte[Kdf.OutputSize];
        Span<byte> nonce = stackalloc byte[Kdf.OutputSize];
        Kdf.Derive(cmdKey, key, keyLabel, authId, connectionNonce);
        Kdf.Derive(cmdKey, nonce, nonceLabel, authId, connectionNonce);
        HeaderGcm.Seal(key, nonce, plaintext, authId, sealedDestination);
    }

    private static bool OpenPart(ReadOnlySpan<byte> cmdKey, ReadOnlySpan<byte> keyLabel, ReadOnlySpan<byte> nonceLabel,
        ReadOnlySpan<byte> authId, ReadOnlySpan<byte> connectionNonce, ReadOnlySpan<byte> sealedData, Span<byte> plaintext)
    {
        Span<byte> key = stackalloc byte[Kdf.OutputSize];
        Span<byte> nonce = stackalloc byte[Kdf.OutputSize];
        Kdf.Derive(cmdKey, key, keyLabel, authId, connectionNonce);
        Kdf.Derive(cmdKey, nonce, nonceLabel, authId, connectionNonce);
        return HeaderGcm.TryOpen(key, nonce, sealedData, authId, plaintext);
    }
}
