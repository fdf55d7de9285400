using VMess.Protocol.Body;

namespace VMess.Protocol.Crypto;

/// <summary>
/// One-shot AES-128-CFB (128-bit feedback) over a whole buffer of any length, for the legacy request and response
/// headers: a fresh run of the body's streaming <see cref="AesCfb128"/>.
/// </summary>
public static class Cfb128
{
    public static void Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output)
    {
        var cfb = new AesCfb128(key, iv);
        cfb.Encrypt(input, output);
        cfb.Clear();
    }

    public static void Decrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output)
    {
        var cfb = new AesCfb128(key, iv);
        cfb.Decrypt(input, output);
        cfb.Clear();
    }
}
