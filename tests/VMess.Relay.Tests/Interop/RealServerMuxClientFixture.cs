using Akka.Actor;
using Akka.Configuration;
using VMess.Relay.Outbound;
using VMess.Relay.Tests.Support;
using VMess.Testing;

namespace VMess.Relay.Tests.Interop;

/// <summary>
/// Our node as a client with mux on, a real v2ray 4.34 as the server, echo servers behind it, shared by a test class:
/// dokodemo-door TCP routes to the TCP echo server over outbounds of concurrency 4 and 8, a dokodemo-door UDP route
/// to the UDP echo server and a socks route (concurrency 8).
/// </summary>
public sealed class RealServerMuxClientFixture : IAsyncLifetime
{
    private ActorSystem? _system;
    private V2RayProcess? _server;

    internal TestNode Node { get; private set; } = null!;

    internal TcpEchoServer TcpEcho { get; } = new();

    internal UdpEchoServer UdpEcho { get; } = new();

    internal int TcpPortConcurrency4 { get; private set; }

    internal int TcpPortConcurrency8 { get; private set; }

    internal int UdpPort { get; private set; }

    internal int SocksPort { get; private set; }

    internal string ServerOutput => _server?.Output ?? "";

    /// <summary>The mux connections of the outbound behind a local port's route.</summary>
    internal MuxClientPool Pool(int localPort)
    {
        var index = Node.Relay.Inbounds.Select((inbound, i) => (inbound, i)).Single(x => x.inbound.EndPoint.Port == localPort).i;
        return Node.Relay.MuxPools.Single(p => p.Tag == $"out-{index}");
    }

    public async Task InitializeAsync()
    {
        V2RayBinary.Require();
        using var cts = new CancellationTokenSource(V2RayProcess.StartupTimeout * 2);
        var user = NodeUser.Aead("mux@test");
        var serverPort = FreePort.Tcp();
        _server = await V2RayProcess.StartAsync(V2RayConfigs.Server(serverPort, [(user.Id.ToString(), 0, user.Email)]),
            [serverPort], log: null, cts.Token);

        TcpPortConcurrency4 = FreePort.Tcp();
        TcpPortConcurrency8 = FreePort.Tcp();
        UdpPort = FreePort.Udp();
        SocksPort = FreePort.TcpAndUdp();
        var routes = new List<ClientRoute>
        {
            new(TcpPortConcurrency4, TcpEcho.Port, serverPort, user, "aes-128-gcm", MuxConcurrency: 4),
            new(TcpPortConcurrency8, TcpEcho.Port, serverPort, user, "chacha20-poly1305", MuxConcurrency: 8),
            new(UdpPort, UdpEcho.Port, serverPort, user, "aes-128-gcm", Network: "udp", MuxConcurrency: 8),
            new(SocksPort, 0, serverPort, user, "aes-128-gcm", Inbound: "socks", MuxConcurrency: 8),
        };
        _system = ActorSystem.Create("mux-client-interop", ConfigurationFactory.ParseString("akka.loglevel = OFF\nakka.stdout-loglevel = OFF"));
        Node = TestNode.Start(_system, ClientRoute.ClientConfig(routes));
    }

    public async Task DisposeAsync()
    {
        if (_system is not null) await _system.Terminate();
        if (_server is not null) await _server.DisposeAsync();
        await TcpEcho.DisposeAsync();
        await UdpEcho.DisposeAsync();
    }
}
