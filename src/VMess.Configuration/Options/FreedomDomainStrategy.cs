namespace VMess.Configuration.Options;

/// <summary>How a freedom outbound treats a domain destination (V2Ray's <c>domainStrategy</c>).</summary>
public enum FreedomDomainStrategy
{
    /// <summary>Let the operating system resolve the domain when connecting.</summary>
    AsIs,

    /// <summary>Resolve with the node's resolver, IPv4 or IPv6.</summary>
    UseIP,

    UseIPv4,

    UseIPv6,
}
