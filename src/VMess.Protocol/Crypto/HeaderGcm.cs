using System.Security.Cryptography;

namespace VMess.Protocol.Crypto;

/// <summary>
/// The one-off AES-128-GCM seals of the AEAD request and response headers: key and nonce come from the KDF
/// (the first 16 and 12 bytes), a fresh cipher per call since each key is used once.
/// </summary>
internal static class HeaderGcm
{
    public const int TagSize = 16;

    public static void Seal(ReadOnlySpan<byte> kdfKey, ReadOnlySpan<byte> kdfNonce, ReadOnlySpan<byte> plaintext,
        ReadOnlySpan<byte> associatedData, Span<byte> sealedDestination)
    {
        using var gcm = new AesGcm(kdfKey[..16], TagSize);
        gcm.Encrypt(kdfNonce[..12], plaintext, sealedDestination[..plaintext.Length],
            sealedDestination.Slice(plaintext.Length, TagSize), associatedData);
    }

    public static bool TryOpen(ReadOnlySpan<byte> kdfKey, ReadOnlySpan<byte> kdfNonce, ReadOnlySpan<byte> sealedData,
        ReadOnlySpan<byte> associatedData, Span<byte> plaintext)
    {
        var textLength = sealedData.Length - TagSize;
        using var gcm = new AesGcm(kdfKey[..16], TagSize);
        try
        {
            gcm.Decrypt(kdfNonce[..12], sealedData[..textLength], sealedData[textLength..], plaintext[..textLength], associatedData);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }
}
