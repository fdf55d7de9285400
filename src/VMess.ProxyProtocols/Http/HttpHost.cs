using VMess.Protocol.Addresses;

namespace VMess.ProxyProtocols.Http;

/// <summary>
/// "host[:port]" of a CONNECT target, an absolute URI or a Host header, read as V2Ray's <c>ParseHost</c> reads it:
/// no port (or an empty one) means the default, IPv6 needs brackets, more than one colon outside them is an error.
/// </summary>
internal static class HttpHost
{
    public static DestinationAddress? Parse(ReadOnlySpan<byte> authority, ushort defaultPort)
    {
        ReadOnlySpan<byte> host;
        ReadOnlySpan<byte> port;
        if (authority.StartsWith("["u8))
        {
            var close = authority.IndexOf((byte)']');
            if (close < 0) return null;
            host = authority[..(close + 1)];
            var after = authority[(close + 1)..];
            if (!after.IsEmpty && after[0] != (byte)':') return null;
            port = after.IsEmpty ? default : after[1..];
        }
        else
        {
            var colon = authority.IndexOf((byte)':');
            if (colon >= 0 && authority[(colon + 1)..].Contains((byte)':')) return null;
            host = colon < 0 ? authority : authority[..colon];
            port = colon < 0 ? default : authority[(colon + 1)..];
        }
        if (!TryParsePort(port, defaultPort, out var portNumber)) return null;
        return HostNames.Parse(host, portNumber);
    }

    private static bool TryParsePort(ReadOnlySpan<byte> digits, ushort defaultPort, out ushort port)
    {
        port = defaultPort;
        if (digits.IsEmpty) return true;
        if (digits.Length > 5) return false;
        var value = 0;
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit((char)c)) return false;
            value = value * 10 + (c - '0');
        }
        if (value > ushort.MaxValue) return false;
        port = (ushort)value;
        return true;
    }
}
