using System.Net;
using System.Net.Sockets;
using System.Text;
using VMess.Protocol.Addresses;

namespace VMess.ProxyProtocols;

/// <summary>
/// Host names as the proxy protocols carry them, read the way V2Ray reads them: an IP literal becomes an IP
/// address (an IPv4-mapped IPv6 one becomes IPv4), anything else must be a domain in V2Ray's alphabet, because the
/// VMess outbound carries it as such and a V2Ray server refuses other characters.
/// </summary>
internal static class HostNames
{
    public const int MaxDomainLength = 255;

    /// <summary>The address of <paramref name="name"/>, or null when it is empty, too long or not a valid host.</summary>
    public static DestinationAddress? Parse(ReadOnlySpan<byte> name, ushort port)
    {
        if (name.IsEmpty || name.Length > MaxDomainLength) return null;
        if (name[0] == (byte)'[' || char.IsAsciiDigit((char)name[0]))
        {
            var text = Encoding.ASCII.GetString(name);
            var literal = text.StartsWith('[') && text.EndsWith(']') ? text[1..^1] : text;
            if (TryParseIp(literal, out var ip)) return FromIp(ip, port);
        }
        if (!IsValidDomain(name)) return null;
        return DestinationAddress.FromDomain(Encoding.ASCII.GetString(name), port);
    }

    /// <summary>
    /// Go's <c>net.ParseIP</c>: dotted-quad IPv4 or zone-less IPv6. .NET also takes "127.1", "0x7f.0.0.1" and
    /// "%scope", which V2Ray treats as domain names.
    /// </summary>
    public static bool TryParseIp(string literal, out IPAddress ip)
    {
        if (IPAddress.TryParse(literal, out var parsed)
            && (parsed.AddressFamily == AddressFamily.InterNetworkV6 ? !literal.Contains('%') : parsed.ToString() == literal))
        {
            ip = parsed;
            return true;
        }
        ip = IPAddress.None;
        return false;
    }

    public static DestinationAddress FromIp(IPAddress ip, ushort port) =>
        DestinationAddress.FromIp(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip, port);

    /// <summary>V2Ray's domain alphabet: ASCII letters and digits, '-', '.', '_'.</summary>
    public static bool IsValidDomain(ReadOnlySpan<byte> domain)
    {
        foreach (var c in domain)
        {
            if (!(char.IsAsciiLetterOrDigit((char)c) || c is (byte)'-' or (byte)'.' or (byte)'_')) return false;
        }
        return true;
    }
}
