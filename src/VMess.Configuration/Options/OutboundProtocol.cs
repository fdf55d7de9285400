namespace VMess.Configuration.Options;

/// <summary>Outbound protocols this node can send traffic through.</summary>
public enum OutboundProtocol
{
    /// <summary>Direct connection to the requested destination.</summary>
    Freedom,

    /// <summary>Drops everything, optionally after a canned HTTP 403 response.</summary>
    Blackhole,

    /// <summary>A VMess client to one of the <c>vnext</c> servers.</summary>
    VMess,
}
