using System.Net.Sockets;
using VMess.Configuration.Options;
using VMess.Protocol.Addresses;
using VMess.Protocol.Headers;

namespace VMess.Relay.Outbound;

/// <summary>Direct connections (V2Ray's "freedom"), with its domain strategy and optional redirect.</summary>
public sealed class FreedomOutbound(string? tag, FreedomSettings settings, TimeSpan dialTimeout) : IOutbound
{
    public string? Tag => tag;

    public async Task<OutboundConnection> DialAsync(DestinationAddress destination, RequestCommand command, CancellationToken cancellationToken)
    {
        var (host, port) = Redirect(destination);
        var family = settings.DomainStrategy switch
        {
            FreedomDomainStrategy.UseIPv4 => AddressFamily.InterNetwork,
            FreedomDomainStrategy.UseIPv6 => AddressFamily.InterNetworkV6,
            _ => AddressFamily.Unspecified,
        };
        var type = command == RequestCommand.Udp ? SocketType.Dgram : SocketType.Stream;
        return new OutboundConnection(await Dialer.ConnectAsync(host, port, type, family, dialTimeout, cancellationToken));
    }

    private (string Host, int Port) Redirect(DestinationAddress destination)
    {
        var redirect = settings.Redirect;
        if (redirect is null) return (destination.Host, destination.Port);
        return (string.IsNullOrEmpty(redirect.Host) ? destination.Host : redirect.Host, redirect.Port == 0 ? destination.Port : redirect.Port);
    }
}
