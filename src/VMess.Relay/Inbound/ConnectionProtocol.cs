using System.Net.Sockets;
using VMess.Relay.Outbound;
using VMess.Streams;

namespace VMess.Relay.Inbound;

/// <summary>The messages of an inbound and its connections: a handful per connection, never one per chunk.</summary>
internal static class ConnectionProtocol
{
    public sealed record ConnectionAccepted(Socket Socket);

    /// <summary>To a listener: close the ports (or take no new UDP peers) but keep the open connections running.</summary>
    public sealed record StopAccepting;

    public sealed record TargetDialed(OutboundConnection Connection);

    public sealed record DialFailed(Exception Cause);

    public sealed record ClientStopped(Exception? Failure);

    public sealed record TargetStopped(Exception? Failure);

    public sealed record UplinkClosed;

    public sealed record DownlinkClosed;

    public sealed record HandshakeTimedOut;

    public sealed record IdleCheck;

    public sealed record RefreshUsers;

    /// <summary>Closes the connection (both sockets), e.g. because its user was removed or disabled.</summary>
    public sealed record Close(string Reason);

    /// <summary>A mux connection's stage opened a sub-connection; its actor is spawned under the mux connection's.</summary>
    public sealed record MuxSessionOpened(ConnectionLinks Links, RelayRequest Request);
}
