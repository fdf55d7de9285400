namespace VMess.ProxyProtocols;

/// <summary>What a local proxy client asked for.</summary>
public enum ProxyCommand
{
    /// <summary>A TCP stream to the destination (SOCKS CONNECT, HTTP CONNECT or a plain HTTP request).</summary>
    Connect,

    /// <summary>SOCKS5 UDP ASSOCIATE: datagrams go through the UDP relay; the TCP connection only holds the association.</summary>
    UdpAssociate,
}
