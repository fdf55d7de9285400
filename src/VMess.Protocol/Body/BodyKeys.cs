using System.Security.Cryptography;

namespace VMess.Protocol.Body;

/// <summary>
/// The body key and IV of one direction (16 bytes each). The request direction uses the header's body key/IV; the
/// response direction uses the derived ones (MD5 for legacy auth, SHA-256[..16] for AEAD auth).
/// </summary>
public readonly struct BodyKeys
{
    public const int Size = 16;

    private readonly byte[]? _key;
    private readonly byte[]? _iv;

    public BodyKeys(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv)
    {
        if (key.Length != Size) throw new ArgumentException("A body key is 16 bytes.", nameof(key));
        if (iv.Length != Size) throw new ArgumentException("A body IV is 16 bytes.", nameof(iv));
        _key = key.ToArray();
        _iv = iv.ToArray();
    }

    public ReadOnlySpan<byte> Key => _key ?? throw new InvalidOperationException("The keys were never set.");

    public ReadOnlySpan<byte> Iv => _iv ?? throw new InvalidOperationException("The keys were never set.");

    public bool IsDefault => _key is null;

    /// <summary>Wipes the copies this value holds (codecs keep their own).</summary>
    public void Clear()
    {
        if (_key is not null) CryptographicOperations.ZeroMemory(_key);
        if (_iv is not null) CryptographicOperations.ZeroMemory(_iv);
    }
}
