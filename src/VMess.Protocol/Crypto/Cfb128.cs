using System.Buffers;
using System.Security.Cryptography;

namespace VMess.Protocol.Crypto;

/// <summary>
/// One-shot AES-128-CFB (128-bit feedback) over a whole buffer of any length, for the legacy request and response
/// headers. CFB is a stream mode, so the input is zero-padded to whole blocks and the output truncated.
/// </summary>
public static class Cfb128
{
    public static void Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output) =>
        Transform(key, iv, input, output, encrypt: true);

    public static void Decrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output) =>
        Transform(key, iv, input, output, encrypt: false);

    private static void Transform(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output, bool encrypt)
    {
        var padded = (input.Length + 15) & ~15;
        var rented = ArrayPool<byte>.Shared.Rent(padded * 2);
        try
        {
            var source = rented.AsSpan(0, padded);
            var target = rented.AsSpan(padded, padded);
            source.Clear();
            input.CopyTo(source);
            using var aes = Aes.Create();
            aes.Key = key.ToArray();
            if (encrypt)
            {
                aes.EncryptCfb(source, iv, target, PaddingMode.None, feedbackSizeInBits: 128);
            }
            else
            {
                aes.DecryptCfb(source, iv, target, PaddingMode.None, feedbackSizeInBits: 128);
            }
            target[..input.Length].CopyTo(output);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented, clearArray: true);
        }
    }
}
