namespace VMess.ProxyProtocols.Http;

/// <summary>Why <see cref="HttpProxyRequestParser"/> returned <see cref="System.Buffers.OperationStatus.InvalidData"/>.</summary>
public enum HttpProxyError : byte
{
    None = 0,
    HeadTooLarge,
    MalformedRequestLine,
    UnsupportedVersion,
    MalformedHeader,
    AuthenticationRequired,
    UnsupportedScheme,
    InvalidHost,
    MissingHost,
    NotAProxyRequest,
}
