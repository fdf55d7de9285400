using System.Net.Sockets;
using VMess.Protocol.Addresses;
using VMess.Protocol.Headers;

namespace VMess.Relay.Outbound;

/// <summary>Where accepted traffic goes (V2Ray's outbound handler), reduced to what the data plane needs: a socket.</summary>
public interface IOutbound
{
    string? Tag { get; }

    /// <summary>
    /// A connected socket to <paramref name="destination"/>: TCP for <see cref="RequestCommand.Tcp"/>, a connected UDP
    /// socket for <see cref="RequestCommand.Udp"/>. Throws <see cref="OutboundRefusedException"/> when this outbound
    /// refuses traffic (blackhole), a <see cref="SocketException"/> when the dial fails.
    /// </summary>
    Task<Socket> DialAsync(DestinationAddress destination, RequestCommand command, CancellationToken cancellationToken);
}

/// <summary>The outbound refuses the connection by design (blackhole), as opposed to a failed dial.</summary>
public sealed class OutboundRefusedException(string reason) : Exception(reason);
