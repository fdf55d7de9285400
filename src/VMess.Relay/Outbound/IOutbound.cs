using System.Net.Sockets;
using VMess.Protocol.Addresses;
using VMess.Protocol.Headers;
using VMess.Protocol.Sessions;

namespace VMess.Relay.Outbound;

/// <summary>Where accepted traffic goes (V2Ray's outbound handler), reduced to what the data plane needs: a socket.</summary>
public interface IOutbound
{
    string? Tag { get; }

    /// <summary>
    /// A connection that carries traffic for <paramref name="destination"/>. Direct outbounds return a socket to the
    /// destination itself: TCP for <see cref="RequestCommand.Tcp"/>, a connected UDP socket for
    /// <see cref="RequestCommand.Udp"/>. A VMess outbound returns a TCP socket to its server and the client session
    /// whose request names the destination. Throws <see cref="OutboundRefusedException"/> when this outbound refuses
    /// traffic (blackhole), a <see cref="SocketException"/> when the dial fails.
    /// </summary>
    Task<OutboundConnection> DialAsync(DestinationAddress destination, RequestCommand command, CancellationToken cancellationToken);
}

/// <summary>A dialled outbound connection: the socket, and the VMess client session to run over it, if any.</summary>
public sealed record OutboundConnection(Socket Socket, ClientSession? Session = null)
{
    /// <summary>What the outbound does with a SwitchAccount in the server's response (the VMess outbound adds the
    /// announced server); whoever runs the session calls it once, when the response header has come.</summary>
    public Action<SwitchAccountCommand>? OnSwitchAccount { get; init; }
}

/// <summary>The outbound refuses the connection by design (blackhole), as opposed to a failed dial.</summary>
public sealed class OutboundRefusedException(string reason) : Exception(reason);
