using System.Net.Sockets;
using Akka.Actor;
using Akka.Configuration;
using VMess.Relay.Tests.Support;
using VMess.Testing;

namespace VMess.Relay.Tests.Interop;

/// <summary>
/// One node and one real v2ray 4.34 client whose vmess outbounds multiplex (Mux.Cool): dokodemo-door TCP routes with
/// concurrency 4 and 8 to an echo server, a dokodemo-door UDP route with concurrency 4 to a UDP echo server, and a
/// socks route with concurrency 4 (so sessions to different targets share mux connections), plus a target that
/// accepts and never reads.
/// </summary>
public sealed class RealClientMuxFixture : IAsyncLifetime
{
    private ActorSystem? _system;
    private V2RayProcess? _client;

    internal TestNode Node { get; private set; } = null!;

    internal TcpEchoServer TcpEcho { get; } = new();

    internal UdpEchoServer UdpEcho { get; } = new();

    /// <summary>A target that accepts and never reads: whatever is sent to it stays in its socket buffers.</summary>
    internal LoopbackTcpServer Stalled { get; } = new((_, stop) => Task.Delay(Timeout.Infinite, stop));

    internal int TcpPortConcurrency4 { get; private set; }

    internal int TcpPortConcurrency8 { get; private set; }

    internal int UdpPort { get; private set; }

    internal int SocksPort { get; private set; }

    internal string ClientOutput => _client?.Output ?? "";

    public async Task InitializeAsync()
    {
        V2RayBinary.Require();
        using var cts = new CancellationTokenSource(V2RayProcess.StartupTimeout * 2);
        _system = ActorSystem.Create("relay-mux-interop", ConfigurationFactory.ParseString("akka.loglevel = OFF\nakka.stdout-loglevel = OFF"));
        var user = NodeUser.Aead("mux@test");
        Node = TestNode.Start(_system, NodeConfigs.Json([user]));

        TcpPortConcurrency4 = FreePort.Tcp();
        TcpPortConcurrency8 = FreePort.Tcp();
        SocksPort = FreePort.Tcp();
        UdpPort = FreePort.Udp();
        var routes = new List<ClientRoute>
        {
            new(TcpPortConcurrency4, TcpEcho.Port, Node.Port, user, "aes-128-gcm", MuxConcurrency: 4),
            new(TcpPortConcurrency8, TcpEcho.Port, Node.Port, user, "chacha20-poly1305", MuxConcurrency: 8),
            new(UdpPort, UdpEcho.Port, Node.Port, user, "aes-128-gcm", Network: "udp", MuxConcurrency: 4),
            new(SocksPort, 0, Node.Port, user, "aes-128-gcm", Inbound: "socks", MuxConcurrency: 4),
        };
        _client = await V2RayProcess.StartAsync(ClientRoute.ClientConfig(routes),
            [TcpPortConcurrency4, TcpPortConcurrency8, SocksPort], log: null, cts.Token);
        await _client.WaitForUdpPortsAsync([UdpPort], V2RayProcess.StartupTimeout, cts.Token);
    }

    public async Task DisposeAsync()
    {
        if (_client is not null) await _client.DisposeAsync();
        if (_system is not null) await _system.Terminate();
        await TcpEcho.DisposeAsync();
        await UdpEcho.DisposeAsync();
        await Stalled.DisposeAsync();
    }
}
