namespace VMess.ProxyProtocols.Http;

/// <summary>
/// An accepted HTTP proxy request head. <paramref name="Reply"/> goes back to the client at once (200 for CONNECT,
/// nothing for a plain request, whose response comes from the server). <paramref name="ForwardedHead"/> goes to the
/// destination before any other client byte (the rewritten head of a plain request, nothing for CONNECT).
/// </summary>
public sealed record HttpProxyHead(ProxyRequest Request, bool IsConnect, ReadOnlyMemory<byte> Reply, ReadOnlyMemory<byte> ForwardedHead);
