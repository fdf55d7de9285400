namespace VMess.Configuration.Options;

/// <summary>Inbound protocols this node serves. V2Ray's socks, http and dokodemo-door are planned, not yet here.</summary>
public enum InboundProtocol
{
    VMess,
}
