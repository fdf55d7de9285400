namespace VMess.Protocol.Auth;

/// <summary>
/// The outcome of matching an AEAD auth id. On <see cref="DecodeError.ClockSkew"/>, <see cref="User"/> is the user
/// whose key opened the auth id and <see cref="SkewSeconds"/> how far the client's clock is off — which V2Ray
/// reports only as "invalid user".
/// </summary>
public readonly record struct AuthMatch(UserKeys? User, long Timestamp, DecodeError Error, long SkewSeconds = 0)
{
    public bool IsMatch => Error == DecodeError.None;
}
