namespace VMess.ProxyProtocols.Socks;

/// <summary>The one SOCKS5 method a server accepts (V2Ray's <c>auth</c>: "noauth" or "password").</summary>
public enum SocksAuthMode
{
    /// <summary>Method 0x00; SOCKS4 and SOCKS4a are accepted too.</summary>
    NoAuth,

    /// <summary>Method 0x02, user name and password (RFC 1929); SOCKS4 is refused, as it cannot authenticate.</summary>
    Password,
}
