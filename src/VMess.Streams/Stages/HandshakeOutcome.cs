using VMess.Protocol;
using VMess.Protocol.Sessions;
using VMess.ProxyProtocols;
using VMess.Streams.Mux;

namespace VMess.Streams.Stages;

/// <summary>How a connection's VMess handshake ended; the connection actor decides what follows.</summary>
public abstract record HandshakeOutcome;

/// <summary>
/// The request authenticated and decoded; body bytes flow once the target is attached. A Mux.Cool request has no
/// target of its own: <paramref name="Mux"/> starts its sub-connections instead.
/// </summary>
public sealed record HandshakeAccepted(ServerHandshake Handshake, MuxServerLink? Mux = null) : HandshakeOutcome;

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

/// <summary>A local socks or http inbound accepted <paramref name="Request"/>; payload flows once the outbound is attached.</summary>
public sealed record ProxyRequestAccepted(ProxyRequest Request) : HandshakeOutcome;

/// <summary>
/// A local socks or http inbound refused the request for <paramref name="Reason"/>, after answering as V2Ray does
/// (e.g. SOCKS method 0xFF, HTTP 407), and closed.
/// </summary>
public sealed record ProxyRequestRejected(string Reason, int BytesReceived) : HandshakeOutcome;

public enum HandshakeRejection
{
    /// <summary>The bytes were not a valid request (see the error).</summary>
    Invalid,

    /// <summary>The peer closed before sending a whole request.</summary>
    ClosedEarly,

    /// <summary>The connection was aborted (e.g. the handshake timeout) before a whole request arrived.</summary>
    Aborted,
}
