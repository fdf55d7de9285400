using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;

namespace VMess.Protocol.Body;

/// <summary>
/// AES-128-CFB with 128-bit feedback as a byte stream (Go's <c>cipher.NewCFBEncrypter/Decrypter</c>): any number of
/// bytes per call, state carried across calls. <see cref="Save"/>/<see cref="Restore"/> let a reader peek at a
/// length without moving the stream.
/// </summary>
internal sealed class AesCfb128
{
    private const int BlockSize = 16;

    private readonly IBlockCipher _engine;
    private readonly byte[] _register = new byte[BlockSize];
    private readonly byte[] _keystream = new byte[BlockSize];
    private readonly byte[] _savedRegister = new byte[BlockSize];
    private readonly byte[] _savedKeystream = new byte[BlockSize];
    private int _used = BlockSize;
    private int _savedUsed;

    public AesCfb128(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv)
    {
        _engine = AesUtilities.CreateEngine();
        var keyCopy = key.ToArray();
        _engine.Init(true, new KeyParameter(keyCopy));
        CryptographicOperations.ZeroMemory(keyCopy);
        iv.CopyTo(_register);
    }

    /// <summary>Encrypts; <paramref name="destination"/> may be <paramref name="source"/> itself.</summary>
    public void Encrypt(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        for (var i = 0; i < source.Length; i++)
        {
            NextBlockIfNeeded();
            var c = (byte)(source[i] ^ _keystream[_used]);
            destination[i] = c;
            _register[_used++] = c;
        }
    }

    /// <summary>Decrypts; <paramref name="destination"/> may be <paramref name="source"/> itself.</summary>
    public void Decrypt(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        for (var i = 0; i < source.Length; i++)
        {
            NextBlockIfNeeded();
            var c = source[i];
            destination[i] = (byte)(c ^ _keystream[_used]);
            _register[_used++] = c;
        }
    }

    public void Save()
    {
        _register.CopyTo(_savedRegister, 0);
        _keystream.CopyTo(_savedKeystream, 0);
        _savedUsed = _used;
    }

    public void Restore()
    {
        _savedRegister.CopyTo(_register, 0);
        _savedKeystream.CopyTo(_keystream, 0);
        _used = _savedUsed;
    }

    public void Clear()
    {
        CryptographicOperations.ZeroMemory(_register);
        CryptographicOperations.ZeroMemory(_keystream);
        CryptographicOperations.ZeroMemory(_savedRegister);
        CryptographicOperations.ZeroMemory(_savedKeystream);
    }

    private void NextBlockIfNeeded()
    {
        if (_used < BlockSize) return;
        _engine.ProcessBlock(_register, _keystream);
        _used = 0;
    }
}
