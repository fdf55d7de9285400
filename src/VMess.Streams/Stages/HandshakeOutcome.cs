using VMess.Protocol;
using VMess.Protocol.Sessions;

namespace VMess.Streams.Stages;

/// <summary>How a connection's VMess handshake ended; the connection actor decides what follows.</summary>
public abstract record HandshakeOutcome;

/// <summary>The request authenticated and decoded; body bytes flow once the target is attached.</summary>
public sealed record HandshakeAccepted(ServerHandshake Handshake) : HandshakeOutcome;

/// <summary>
/// No usable request. <paramref name="Error"/> is the codec's reason (None when the peer closed or the connection was
/// aborted first); <paramref name="DrainBytes"/> how much more the stage read before closing, as V2Ray does against
/// probing; <paramref name="UserName"/> and <paramref name="ClockSkewSeconds"/> what the auth revealed, if anything.
/// </summary>
public sealed record HandshakeRejected(
    HandshakeRejection Cause,
    DecodeError Error,
    int BytesReceived,
    int DrainBytes,
    string? UserName = null,
    long? ClockSkewSeconds = null) : HandshakeOutcome;

public enum HandshakeRejection
{
    /// <summary>The bytes were not a valid request (see the error).</summary>
    Invalid,

    /// <summary>The peer closed before sending a whole request.</summary>
    ClosedEarly,

    /// <summary>The connection was aborted (e.g. the handshake timeout) before a whole request arrived.</summary>
    Aborted,
}
