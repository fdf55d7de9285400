using System.Buffers.Binary;

namespace VMess.Protocol.Auth;

/// <summary>
/// Refuses an AEAD auth id seen before. An auth id carries its own timestamp and passes the time check until
/// timestamp + 120 s, so it is remembered exactly that long. Each accepted id is also told to the optional listener,
/// and ids accepted elsewhere (another node) are added with <see cref="Remember"/>.
/// </summary>
public sealed class AuthIdReplayFilter(IAcceptedAuthIdListener? listener = null)
{
    private readonly ExpiringSet<UInt128> _seen = new();

    public int Count => _seen.Count;

    /// <summary>True when the auth id is new (and is now remembered, and told to the listener).</summary>
    public bool TryAccept(ReadOnlySpan<byte> authId, long authTimestamp, long now)
    {
        var key = BinaryPrimitives.ReadUInt128BigEndian(authId);
        var expiresAt = ExpiryOf(authTimestamp, now);
        if (!_seen.TryAdd(key, expiresAt, now)) return false;
        listener?.Accepted(key, expiresAt);
        return true;
    }

    /// <summary>
    /// Refuses <paramref name="authId"/> from now until <paramref name="expiresAt"/>: it was accepted elsewhere. The
    /// listener is not told (it told whoever calls this). An id already remembered keeps the later expiry.
    /// </summary>
    public void Remember(UInt128 authId, long expiresAt, long now) => _seen.Remember(authId, expiresAt, now);

    /// <summary>Whether a replay of <paramref name="authId"/> would be refused at <paramref name="now"/>.</summary>
    public bool Contains(ReadOnlySpan<byte> authId, long now) => _seen.Contains(BinaryPrimitives.ReadUInt128BigEndian(authId), now);

    /// <summary>Remembered until the timestamp (or this server's clock, if later) leaves the window.</summary>
    private static long ExpiryOf(long authTimestamp, long now) => Math.Max(authTimestamp, now) + TimeWindow.Seconds + 1;
}
