using System.Net;
using System.Net.Sockets;

namespace VMess.Testing;

/// <summary>
/// Free loopback ports for servers a test starts later, picked at random below the kernel's ephemeral range and
/// checked by binding once. A port the kernel hands out for 127.0.0.1:0 is an ephemeral one: between the pick and the
/// server's bind, any connection a parallel test opens may take it as its source port (seen: a whole fixture's node
/// failing with "Address already in use"), and a process dialling it before the server listens may get it as its own
/// source port, so that Linux connects the socket to itself. Below the range only an explicit bind takes a port.
/// </summary>
public static class FreePort
{
    private const int Attempts = 200;

    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int Tcp() => Pick(port => CanBind(port, SocketType.Stream, ProtocolType.Tcp), "TCP");

    /// <summary>A UDP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int Udp() => Pick(port => CanBind(port, SocketType.Dgram, ProtocolType.Udp), "UDP");

    /// <summary>A port on 127.0.0.1 free for both TCP and UDP (for a dokodemo-door listening on "tcp,udp").</summary>
    public static int TcpAndUdp() =>
        Pick(port => CanBind(port, SocketType.Stream, ProtocolType.Tcp) && CanBind(port, SocketType.Dgram, ProtocolType.Udp), "TCP and UDP");

    private static int Pick(Func<int, bool> isFree, string what)
    {
        var (ephemeralLow, _) = EphemeralRange();
        var low = Math.Min(10_000, ephemeralLow - 1_000);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var port = Random.Shared.Next(low, ephemeralLow);
            if (isFree(port)) return port;
        }
        throw new InvalidOperationException($"No loopback port free for {what} below the ephemeral range ({ephemeralLow}) after {Attempts} attempts.");
    }

    private static bool CanBind(int port, SocketType type, ProtocolType protocol)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, type, protocol);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static (int Low, int High) EphemeralRange()
    {
        try
        {
            var parts = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return (int.Parse(parts[0]), int.Parse(parts[1]));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return (32_768, 60_999); // Linux's default
        }
    }
}
