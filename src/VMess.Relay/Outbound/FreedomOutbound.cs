using System.Net;
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
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(dialTimeout);
        var address = IPAddress.TryParse(host, out var ip) ? ip : await ResolveAsync(host, timeout.Token);
        if (command == RequestCommand.Udp)
        {
            var udp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                await udp.ConnectAsync(new IPEndPoint(address, port), timeout.Token);
                return new OutboundConnection(udp);
            }
            catch
            {
                udp.Dispose();
                throw;
            }
        }
        var tcp = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(new IPEndPoint(address, port), timeout.Token);
            return new OutboundConnection(tcp);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            tcp.Dispose();
            throw new SocketException((int)SocketError.TimedOut);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    private (string Host, int Port) Redirect(DestinationAddress destination)
    {
        var redirect = settings.Redirect;
        if (redirect is null) return (destination.Host, destination.Port);
        return (string.IsNullOrEmpty(redirect.Host) ? destination.Host : redirect.Host, redirect.Port == 0 ? destination.Port : redirect.Port);
    }

    private async Task<IPAddress> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var family = settings.DomainStrategy switch
        {
            FreedomDomainStrategy.UseIPv4 => AddressFamily.InterNetwork,
            FreedomDomainStrategy.UseIPv6 => AddressFamily.InterNetworkV6,
            _ => AddressFamily.Unspecified,
        };
        var addresses = await Dns.GetHostAddressesAsync(host, family, cancellationToken);
        if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
        // AsIs and UseIP: prefer IPv4 when the name has both, as Go's dialer usually ends up doing on dual-stack hosts.
        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses[0];
    }
}
