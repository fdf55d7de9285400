namespace VMess.ProxyProtocols.Http;

public static class HttpProxyErrorExtensions
{
    public static string Describe(this HttpProxyError error) => error switch
    {
        HttpProxyError.None => "no error",
        HttpProxyError.HeadTooLarge => "request header too large",
        HttpProxyError.MalformedRequestLine => "the HTTP request line is malformed",
        HttpProxyError.UnsupportedVersion => "the HTTP version is not 1.0 or 1.1",
        HttpProxyError.MalformedHeader => "an HTTP header line is malformed",
        HttpProxyError.AuthenticationRequired => "missing or invalid Proxy-Authorization",
        HttpProxyError.UnsupportedScheme => "the request URI's scheme is not http or https",
        HttpProxyError.InvalidHost => "the destination host or port is malformed",
        HttpProxyError.MissingHost => "a transparent request has no Host header",
        HttpProxyError.NotAProxyRequest => "the request URI is not absolute (not a proxy request) and transparent forwarding is off",
        _ => error.ToString(),
    };
}
