using VMess.Protocol.Auth;

namespace VMess.Protocol.Legacy;

/// <summary>One legacy auth hash: whose it is, for which second, and whether a bad header has tainted it.</summary>
public sealed class LegacyAuthEntry(UserKeys user, long timestamp)
{
    private int _tainted;

    public UserKeys User { get; } = user;
    public long Timestamp { get; } = timestamp;
    public bool IsTainted => Volatile.Read(ref _tainted) != 0;

    /// <summary>V2Ray's BurnTaintFuse: after a failed header this hash is refused, which defeats the probing
    /// attack of v2ray#2523. Returns false if it was already tainted.</summary>
    public bool Taint() => Interlocked.Exchange(ref _tainted, 1) == 0;
}
