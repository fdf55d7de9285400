using System.Net;
using System.Text;

namespace VMess.Protocol.Addresses;

/// <summary>A destination as VMess carries it: an IP address or a domain name, and a port.</summary>
public sealed record DestinationAddress
{
    private DestinationAddress(AddressType type, IPAddress? ip, string? domain, ushort port)
    {
        Type = type;
        Ip = ip;
        Domain = domain;
        Port = port;
    }

    public AddressType Type { get; }
    public IPAddress? Ip { get; }
    public string? Domain { get; }
    public ushort Port { get; }

    public static DestinationAddress FromIp(IPAddress ip, ushort port) => new(
        ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? AddressType.IPv6 : AddressType.IPv4,
        ip, null, port);

    /// <summary>A domain of 1–255 ASCII bytes; longer names cannot be encoded in VMess.</summary>
    public static DestinationAddress FromDomain(string domain, ushort port)
    {
        ArgumentException.ThrowIfNullOrEmpty(domain);
        if (Encoding.ASCII.GetByteCount(domain) > 255)
        {
            throw new ArgumentException("A VMess domain is at most 255 bytes.", nameof(domain));
        }
        return new(AddressType.Domain, null, domain, port);
    }

    /// <summary>Parses "1.2.3.4", "::1" or a domain, as a config or a SOCKS request would give it.</summary>
    public static DestinationAddress Parse(string host, ushort port) =>
        IPAddress.TryParse(host, out var ip) ? FromIp(ip, port) : FromDomain(host, port);

    public string Host => Ip?.ToString() ?? Domain!;

    public override string ToString() => Type == AddressType.IPv6 ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
