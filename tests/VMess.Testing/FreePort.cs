using System.Net;
using System.Net.Sockets;

namespace VMess.Testing;

/// <summary>Free loopback ports, found by binding 127.0.0.1:0 and releasing the socket.</summary>
public static class FreePort
{
    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int Tcp()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>
    /// A TCP port on 127.0.0.1, free a moment ago, below the kernel's ephemeral range, for a server that other
    /// processes dial before it is listening (cluster seeds). A port from <see cref="Tcp"/> is an ephemeral one: a
    /// process dialling it while nothing listens there yet may get it as its own source port, and Linux then connects
    /// the socket to itself (a TCP self-connect), so the dialler talks to itself and the server cannot bind.
    /// </summary>
    public static int TcpForSeed()
    {
        var (ephemeralLow, _) = EphemeralRange();
        var low = Math.Min(10_000, ephemeralLow - 1_000);
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = System.Random.Shared.Next(low, ephemeralLow);
            try
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // taken: try another
            }
        }
        throw new InvalidOperationException($"No loopback port free below the ephemeral range ({ephemeralLow}) after 200 attempts.");
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

    /// <summary>A UDP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int Udp()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>A port on 127.0.0.1 free for both TCP and UDP (for a dokodemo-door listening on "tcp,udp").</summary>
    public static int TcpAndUdp()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var port = Tcp();
            try
            {
                using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // taken for UDP: try another
            }
        }

        throw new InvalidOperationException("No loopback port free for both TCP and UDP after 50 attempts.");
    }
}
