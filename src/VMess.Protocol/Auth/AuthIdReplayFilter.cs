using System.Buffers.Binary;

namespace VMess.Protocol.Auth;

/// <summary>
/// Refuses an AEAD auth id seen before. An auth id carries its own timestamp and passes the time check until
/// timestamp + 120 s, so it is remembered exactly that long.
/// </summary>
public sealed class AuthIdReplayFilter
{
    private readonly ExpiringSet<UInt128> _seen = new();

    public int Count => _seen.Count;

    /// <summary>True when the auth id is new (and is now remembered).</summary>
    public bool TryAccept(ReadOnlySpan<byte> authId, long authTimestamp, long now) =>
        _seen.TryAdd(BinaryPrimitives.ReadUInt128BigEndian(authId), Math.Max(authTimestamp, now) + TimeWindow.Seconds + 1, now);
}
