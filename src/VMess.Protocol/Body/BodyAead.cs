using System.Buffers.Binary;
using System.Security.Cryptography;
using VMess.Protocol.Headers;

namespace VMess.Protocol.Body;

/// <summary>
/// One chunk AEAD (AES-128-GCM or ChaCha20-Poly1305) with V2Ray's chunk nonce: uint16BE(count) ‖ iv[2..12], the
/// count starting at 0 and wrapping at 65,536 like every peer's. Opening does not move the count; the reader calls
/// <see cref="Advance"/> once the chunk is consumed.
/// </summary>
internal sealed class BodyAead : IDisposable
{
    public const int TagSize = 16;
    private const int NonceSize = 12;

    private readonly AesGcm? _gcm;
    private readonly ChaCha20Poly1305? _chacha;
    private readonly byte[] _nonce = new byte[NonceSize];

    private BodyAead(AesGcm? gcm, ChaCha20Poly1305? chacha, ReadOnlySpan<byte> iv)
    {
        _gcm = gcm;
        _chacha = chacha;
        iv[..NonceSize].CopyTo(_nonce);
    }

    public ushort Count { get; private set; }

    /// <summary>AES-128-GCM keyed with the 16-byte key, or ChaCha20-Poly1305 keyed MD5(k) ‖ MD5(MD5(k)).</summary>
    public static BodyAead Create(SecurityType security, ReadOnlySpan<byte> key16, ReadOnlySpan<byte> iv16)
    {
        if (security == SecurityType.Aes128Gcm)
        {
            return new BodyAead(new AesGcm(key16, TagSize), null, iv16);
        }

        Span<byte> key32 = stackalloc byte[32];
        MD5.HashData(key16, key32[..16]);
        MD5.HashData(key32[..16], key32[16..]);
        try
        {
            return new BodyAead(null, new ChaCha20Poly1305(key32), iv16);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key32);
        }
    }

    /// <summary>Seals with the current count and moves it on.</summary>
    public void Seal(ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_nonce, Count);
        if (_gcm is not null) _gcm.Encrypt(_nonce, plaintext, ciphertext, tag);
        else _chacha!.Encrypt(_nonce, plaintext, ciphertext, tag);
        Count++;
    }

    /// <summary>Opens with the current count, which stays where it is.</summary>
    public bool TryOpen(ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_nonce, Count);
        try
        {
            if (_gcm is not null) _gcm.Decrypt(_nonce, ciphertext, tag, plaintext);
            else _chacha!.Decrypt(_nonce, ciphertext, tag, plaintext);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    public void Advance() => Count++;

    public void Dispose()
    {
        _gcm?.Dispose();
        _chacha?.Dispose();
    }
}
