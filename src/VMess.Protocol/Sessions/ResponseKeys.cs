using System.Security.Cryptography;

namespace VMess.Protocol.Sessions;

/// <summary>
/// The response body key and IV derived from the request's: SHA-256(x)[0..16] for AEAD headers, MD5(x) for legacy.
/// </summary>
public static class ResponseKeys
{
    public static byte[] Derive(ReadOnlySpan<byte> requestValue, bool aead)
    {
        var result = new byte[16];
        if (aead)
        {
            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(requestValue, hash);
            hash[..16].CopyTo(result);
        }
        else
        {
            MD5.HashData(requestValue, result);
        }
        return result;
    }
}
