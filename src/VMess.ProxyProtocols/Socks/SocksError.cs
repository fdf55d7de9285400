namespace VMess.ProxyProtocols.Socks;

/// <summary>Why a SOCKS decoder returned <see cref="System.Buffers.OperationStatus.InvalidData"/>.</summary>
public enum SocksError : byte
{
    None = 0,
    UnsupportedVersion,
    NoAcceptableAuthMethod,
    BadCredentials,
    Socks4RequiresNoAuth,
    UnsupportedCommand,
    UdpNotEnabled,
    InvalidAddress,
    FieldTooLong,
    TruncatedDatagram,
    FragmentedDatagram,
}
