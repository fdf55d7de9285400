namespace VMess.Configuration.Options;

/// <summary>Inbound protocols this node serves: VMess for relays, and the local proxies a client machine runs.</summary>
public enum InboundProtocol
{
    VMess,

    /// <summary>SOCKS 4, 4a and 5 (CONNECT, and UDP ASSOCIATE when enabled).</summary>
    Socks,

    /// <summary>HTTP proxy: CONNECT tunnels and plain requests with an absolute URI.</summary>
    Http,

    /// <summary>V2Ray's dokodemo-door: everything accepted goes to one fixed destination.</summary>
    DokodemoDoor,
}

public static class InboundProtocolExtensions
{
    /// <summary>The protocol's name in a V2Ray config (<c>inbounds[i].protocol</c>), as logs and printouts use it.</summary>
    public static string ToConfigName(this InboundProtocol protocol) => protocol switch
    {
        InboundProtocol.Socks => "socks",
        InboundProtocol.Http => "http",
        InboundProtocol.DokodemoDoor => "dokodemo-door",
        _ => "vmess",
    };
}
