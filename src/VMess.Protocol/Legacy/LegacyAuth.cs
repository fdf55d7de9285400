using System.Buffers.Binary;
using System.Security.Cryptography;
using VMess.Protocol.Ids;

namespace VMess.Protocol.Legacy;

/// <summary>
/// The legacy (alterId &gt; 0) request authenticator: HMAC-MD5 keyed with an id's 16 bytes over the uint64BE
/// timestamp; the header that follows is AES-128-CFB under the primary cmdKey with IV MD5(ts ‖ ts ‖ ts ‖ ts).
/// </summary>
public static class LegacyAuth
{
    public const int Size = 16;

    public static void ComputeHash(VMessUserId id, long timestamp, Span<byte> destination16)
    {
        Span<byte> key = stackalloc byte[VMessUserId.Size];
        id.WriteBytes(key);
        Span<byte> message = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(message, timestamp);
        HMACMD5.HashData(key, message, destination16);
    }

    public static void HeaderIv(long timestamp, Span<byte> destination16)
    {
        Span<byte> input = stackalloc byte[32];
        for (var i = 0; i < 4; i++) BinaryPrimitives.WriteInt64BigEndian(input[(i * 8)..], timestamp);
        MD5.HashData(input, destination16);
    }
}
