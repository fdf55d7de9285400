using System.Buffers.Binary;
using VMess.Protocol.Ids;

namespace VMess.Protocol.Auth;

/// <summary>
/// V2Ray's session history: a (user, body key, body IV) triple is accepted once per 3 minutes, which stops a
/// replayed legacy header from opening a second session.
/// </summary>
public sealed class SessionHistory
{
    public const int RetentionSeconds = 180;
    private readonly ExpiringSet<(UInt128 User, UInt128 Key, UInt128 Iv)> _sessions = new();

    public bool TryAdd(VMessUserId user, ReadOnlySpan<byte> bodyKey, ReadOnlySpan<byte> bodyIv, long now)
    {
        Span<byte> id = stackalloc byte[VMessUserId.Size];
        user.WriteBytes(id);
        var key = (BinaryPrimitives.ReadUInt128BigEndian(id), BinaryPrimitives.ReadUInt128BigEndian(bodyKey), BinaryPrimitives.ReadUInt128BigEndian(bodyIv));
        return _sessions.TryAdd(key, now + RetentionSeconds, now);
    }
}
