namespace VMess.ProxyProtocols.Socks;

public static class SocksErrorExtensions
{
    public static string Describe(this SocksError error) => error switch
    {
        SocksError.None => "no error",
        SocksError.UnsupportedVersion => "the first byte is not SOCKS version 4 or 5",
        SocksError.NoAcceptableAuthMethod => "the client offers no acceptable SOCKS5 auth method",
        SocksError.BadCredentials => "invalid SOCKS5 user name or password",
        SocksError.Socks4RequiresNoAuth => "SOCKS4 is refused because the inbound requires a password",
        SocksError.UnsupportedCommand => "the SOCKS command is not supported (only CONNECT and UDP ASSOCIATE)",
        SocksError.UdpNotEnabled => "UDP ASSOCIATE is refused because UDP is not enabled",
        SocksError.InvalidAddress => "the SOCKS address is malformed (unknown type, empty or invalid domain)",
        SocksError.FieldTooLong => "a SOCKS4 user id or SOCKS4a domain is longer than allowed",
        SocksError.TruncatedDatagram => "the SOCKS5 UDP datagram is shorter than its header",
        SocksError.FragmentedDatagram => "the SOCKS5 UDP datagram is a fragment (dropped, as V2Ray does)",
        _ => error.ToString(),
    };
}
