namespace VMess.Protocol.Auth;

/// <summary>
/// Told of every AEAD auth id an <see cref="AuthIdReplayFilter"/> accepts, so it can be shared with other filters
/// (another node's). Called on the handshake's thread, once per accepted connection: it must not block.
/// </summary>
public interface IAcceptedAuthIdListener
{
    /// <param name="authId">The auth id as read big-endian from its 16 bytes.</param>
    /// <param name="expiresAt">Unix seconds from which a replay of it fails the time check anyway.</param>
    void Accepted(UInt128 authId, long expiresAt);
}
