using System.Net;
using System.Net.Sockets;

namespace VMess.Testing.Tests;

public sealed class FreePortTests
{
    private static int EphemeralLow => int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range")
        .Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries)[0]);

    [Fact]
    public void Ports_should_come_from_below_the_ephemeral_range_where_no_outgoing_connection_takes_them()
    {
        foreach (var port in new[] { FreePort.Tcp(), FreePort.Udp(), FreePort.TcpAndUdp() })
            Assert.InRange(port, 1024, EphemeralLow - 1);
    }

    [Fact]
    public void A_tcp_and_udp_port_should_be_bindable_for_both()
    {
        var port = FreePort.TcpAndUdp();

        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
    }
}
