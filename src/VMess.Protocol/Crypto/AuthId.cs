using System.Buffers.Binary;
using System.IO.Hashing;

namespace VMess.Protocol.Crypto;

/// <summary>
/// The 16-byte AEAD auth id: AES-128-ECB under KDF16(cmdKey, "AES Auth ID Encryption") of
/// int64BE(unix seconds) ‖ 4 random bytes ‖ CRC32-IEEE of those 12 bytes (big-endian).
/// </summary>
public static class AuthId
{
    public const int Size = 16;

    public static void DeriveKey(ReadOnlySpan<byte> cmdKey, Span<byte> destination16) =>
        Kdf.Derive16(cmdKey, destination16, KdfSalts.AuthIdEncryptionKey);

    public static void Create(AuthIdCipher cipher, long unixSeconds, ReadOnlySpan<byte> random4, Span<byte> destination16)
    {
        Span<byte> plain = stackalloc byte[Size];
        BinaryPrimitives.WriteInt64BigEndian(plain, unixSeconds);
        random4[..4].CopyTo(plain[8..]);
        BinaryPrimitives.WriteUInt32BigEndian(plain[12..], Crc32.HashToUInt32(plain[..12]));
        cipher.Encrypt(plain, destination16);
    }

    /// <summary>Decrypts with one user's cipher; true when the CRC matches, giving the embedded timestamp.</summary>
    public static bool TryOpen(AuthIdCipher cipher, ReadOnlySpan<byte> authId, out long unixSeconds)
    {
        Span<byte> plain = stackalloc byte[Size];
        cipher.Decrypt(authId, plain);
        unixSeconds = BinaryPrimitives.ReadInt64BigEndian(plain);
        return BinaryPrimitives.ReadUInt32BigEndian(plain[12..]) == Crc32.HashToUInt32(plain[..12]);
    }
}
