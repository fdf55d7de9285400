using VMess.Protocol.Legacy;

namespace VMess.Protocol.Auth;

/// <summary>The node-local, synchronous user lookup on the handshake path: no I/O, no waiting on other nodes.</summary>
public interface IUserKeyIndex
{
    /// <summary>Tries every AEAD user's key on the auth id (the protocol carries no user index).</summary>
    AuthMatch MatchAead(ReadOnlySpan<byte> authId, long now);

    /// <summary>Looks up a legacy auth hash; null when no user with alterId &gt; 0 has it in the current window.</summary>
    LegacyAuthEntry? FindLegacy(ReadOnlySpan<byte> authHash);
}
