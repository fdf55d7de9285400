using System.Net;

namespace VMess.ProxyProtocols.Socks;

/// <summary>Where a UDP ASSOCIATE reply tells the client to send its datagrams.</summary>
public static class SocksUdpRelay
{
    /// <summary>
    /// V2Ray's choice of address: the inbound's configured <c>ip</c> when set; a client on 127.0.0.1 or ::1 gets its
    /// own address back (it reaches the relay over loopback whatever the listen address); anyone else the listen address.
    /// </summary>
    public static IPAddress ReplyAddress(IPAddress? configuredIp, IPAddress listenAddress, IPAddress clientAddress)
    {
        if (configuredIp is not null) return configuredIp;
        if (clientAddress.Equals(IPAddress.Loopback) || clientAddress.Equals(IPAddress.IPv6Loopback)) return clientAddress;
        return listenAddress;
    }
}
