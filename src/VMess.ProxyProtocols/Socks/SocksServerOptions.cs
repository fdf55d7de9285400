using System.Net;

namespace VMess.ProxyProtocols.Socks;

/// <summary>
/// What a SOCKS server handshake needs from its inbound's settings.
/// </summary>
/// <param name="Auth">The method clients must offer.</param>
/// <param name="Accounts">Accounts checked when <paramref name="Auth"/> is <see cref="SocksAuthMode.Password"/>.</param>
/// <param name="UdpEnabled">Whether UDP ASSOCIATE is accepted (otherwise it is refused with 0x07).</param>
/// <param name="BoundEndpoint">The address and port in a CONNECT reply: V2Ray sends the inbound's listen address and port.</param>
/// <param name="UdpRelayEndpoint">The address and port in a UDP ASSOCIATE reply, where the client must send its datagrams;
/// null means <paramref name="BoundEndpoint"/>. <see cref="SocksUdpRelay.ReplyAddress"/> is V2Ray's rule for the address.</param>
public sealed record SocksServerOptions(
    SocksAuthMode Auth,
    ProxyAccounts Accounts,
    bool UdpEnabled,
    IPEndPoint BoundEndpoint,
    IPEndPoint? UdpRelayEndpoint = null);
