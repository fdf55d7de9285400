namespace VMess.ProxyProtocols.Http;

/// <summary>What an HTTP proxy inbound checks in a request head.</summary>
/// <param name="Accounts">Basic Proxy-Authorization is required when not empty (V2Ray's <c>accounts</c>).</param>
/// <param name="AllowTransparent">Forward requests that are not proxy requests (origin-form) to their Host header
/// (V2Ray's <c>allowTransparent</c>); otherwise they get 400.</param>
/// <param name="MaxHeadSize">Largest request head (request line, headers and the empty line) read before giving up.</param>
public sealed record HttpProxyOptions(ProxyAccounts Accounts, bool AllowTransparent = false, int MaxHeadSize = HttpProxyOptions.DefaultMaxHeadSize)
{
    public const int DefaultMaxHeadSize = 8 * 1024;
}
