using System.Buffers;
using System.Security.Cryptography;

namespace VMess.Protocol.Crypto;

/// <summary>
/// VMess's KDF: a NESTED HMAC-SHA256. Level 0 is HMAC-SHA256 keyed with "VMess AEAD KDF"; level i is an HMAC keyed
/// with path element i whose hash function is level i-1 (block size 64, output 32). The input is the key.
/// </summary>
public static class Kdf
{
    public const int OutputSize = 32;
    private const int BlockSize = 64;
    private const int MaxPathDepth = 3;

    [ThreadStatic]
    private static IncrementalHash? t_root;

    public static void Derive(ReadOnlySpan<byte> key, Span<byte> destination, ReadOnlySpan<byte> p1) =>
        Derive(key, destination, new Path(p1, default, default, 1));

    public static void Derive(ReadOnlySpan<byte> key, Span<byte> destination, ReadOnlySpan<byte> p1, ReadOnlySpan<byte> p2) =>
        Derive(key, destination, new Path(p1, p2, default, 2));

    public static void Derive(ReadOnlySpan<byte> key, Span<byte> destination, ReadOnlySpan<byte> p1, ReadOnlySpan<byte> p2, ReadOnlySpan<byte> p3) =>
        Derive(key, destination, new Path(p1, p2, p3, 3));

    /// <summary>The first 16 bytes of the KDF, V2Ray's <c>KDF16</c>.</summary>
    public static void Derive16(ReadOnlySpan<byte> key, Span<byte> destination16, ReadOnlySpan<byte> p1)
    {
        Span<byte> full = stackalloc byte[OutputSize];
        Derive(key, full, p1);
        full[..16].CopyTo(destination16);
    }

    public static void Derive16(ReadOnlySpan<byte> key, Span<byte> destination16, ReadOnlySpan<byte> p1, ReadOnlySpan<byte> p2, ReadOnlySpan<byte> p3)
    {
        Span<byte> full = stackalloc byte[OutputSize];
        Derive(key, full, p1, p2, p3);
        full[..16].CopyTo(destination16);
    }

    private static void Derive(ReadOnlySpan<byte> key, Span<byte> destination, in Path path)
    {
        if (destination.Length < OutputSize)
        {
            throw new ArgumentException("The KDF writes 32 bytes.", nameof(destination));
        }
        Hash(path, path.Depth, key, destination);
    }

    private static void Hash(in Path path, int level, ReadOnlySpan<byte> message, Span<byte> output)
    {
        if (level == 0)
        {
            // Level-0 calls never nest, so one keyed HMAC per thread serves them all and skips re-keying.
            var root = t_root ??= IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, KdfSalts.VMessAeadKdf);
            root.AppendData(message);
            root.GetHashAndReset(output);
            return;
        }

        Span<byte> paddedKey = stackalloc byte[BlockSize];
        paddedKey.Clear();
        var levelKey = path[level - 1];
        if (levelKey.Length > BlockSize)
        {
            Hash(path, level - 1, levelKey, paddedKey);
        }
        else
        {
            levelKey.CopyTo(paddedKey);
        }

        var length = BlockSize + Math.Max(message.Length, OutputSize);
        byte[]? rented = length > 512 ? ArrayPool<byte>.Shared.Rent(length) : null;
        var buffer = rented is null ? stackalloc byte[length] : rented.AsSpan(0, length);
        try
        {
            Span<byte> innerHash = stackalloc byte[OutputSize];
            for (var i = 0; i < BlockSize; i++) buffer[i] = (byte)(paddedKey[i] ^ 0x36);
            message.CopyTo(buffer[BlockSize..]);
            Hash(path, level - 1, buffer[..(BlockSize + message.Length)], innerHash);

            for (var i = 0; i < BlockSize; i++) buffer[i] = (byte)(paddedKey[i] ^ 0x5c);
            innerHash.CopyTo(buffer[BlockSize..]);
            Hash(path, level - 1, buffer[..(BlockSize + OutputSize)], output);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private readonly ref struct Path(ReadOnlySpan<byte> p1, ReadOnlySpan<byte> p2, ReadOnlySpan<byte> p3, int depth)
    {
        private readonly ReadOnlySpan<byte> _p1 = p1;
        private readonly ReadOnlySpan<byte> _p2 = p2;
        private readonly ReadOnlySpan<byte> _p3 = p3;

        public int Depth { get; } = depth <= MaxPathDepth ? depth : throw new ArgumentOutOfRangeException(nameof(depth));

        public ReadOnlySpan<byte> this[int index] => index switch
        {
            0 => _p1,
            1 => _p2,
            _ => _p3,
        };
    }
}
