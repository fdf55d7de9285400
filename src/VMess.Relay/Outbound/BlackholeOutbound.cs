using System.Net.Sockets;
using VMess.Protocol.Addresses;
using VMess.Protocol.Headers;

namespace VMess.Relay.Outbound;

/// <summary>Drops everything (V2Ray's "blackhole"): the connection is closed without reaching any target.</summary>
public sealed class BlackholeOutbound(string? tag) : IOutbound
{
    public string? Tag => tag;

    public Task<OutboundConnection> DialAsync(DestinationAddress destination, RequestCommand command, CancellationToken cancellationToken) =>
        Task.FromException<OutboundConnection>(new OutboundRefusedException("blackholed"));
}
