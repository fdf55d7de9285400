namespace VMess.ProxyProtocols.Http;

/// <summary>The responses the proxy itself writes, byte for byte as V2Ray writes them.</summary>
public static class HttpProxyResponses
{
    private static readonly byte[] ConnectionEstablishedBytes = "HTTP/1.1 200 Connection established\r\n\r\n"u8.ToArray();

    private static readonly byte[] ProxyAuthenticationRequiredBytes =
        "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"proxy\"\r\n\r\n"u8.ToArray();

    // What Go's Response.Write makes of V2Ray's 400 (Close, Connection and Proxy-Connection set, no body).
    private static readonly byte[] BadRequestBytes =
        "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nProxy-Connection: close\r\nContent-Length: 0\r\n\r\n"u8.ToArray();

    public static ReadOnlyMemory<byte> ConnectionEstablished => ConnectionEstablishedBytes;

    public static ReadOnlyMemory<byte> ProxyAuthenticationRequired => ProxyAuthenticationRequiredBytes;

    public static ReadOnlyMemory<byte> BadRequest => BadRequestBytes;

    /// <summary>
    /// What to write before closing after <paramref name="error"/>. As in V2Ray, only a failed authentication (407)
    /// and a non-proxy request (400) are answered; a request V2Ray cannot read is closed without a word.
    /// </summary>
    public static ReadOnlyMemory<byte> For(HttpProxyError error) => error switch
    {
        HttpProxyError.AuthenticationRequired => ProxyAuthenticationRequiredBytes,
        HttpProxyError.NotAProxyRequest => BadRequestBytes,
        _ => ReadOnlyMemory<byte>.Empty,
    };
}
