using Akka.Actor;
using Akka.Configuration;
using VMess.Relay.Tests.Support;
using VMess.Testing;

namespace VMess.Relay.Tests.Interop;

/// <summary>
/// One node, one real v2ray 4.34 client process and echo servers, shared by a test class: the client has a TCP route
/// for every auth × security pair (AEAD and legacy users) and a UDP route, all into the same node.
/// </summary>
public sealed class RealClientRelayFixture : IAsyncLifetime
{
    private static readonly string[] Securities = ["aes-128-gcm", "chacha20-poly1305", "none", "auto"];
    private readonly Dictionary<(int AlterId, string Security), int> _tcpPorts = new();
    private ActorSystem? _system;
    private V2RayProcess? _client;

    internal TestNode Node { get; private set; } = null!;

    internal TcpEchoServer TcpEcho { get; } = new();

    internal UdpEchoServer UdpEcho { get; } = new();

    /// <summary>The client's local UDP port (dokodemo "udp", AEAD user, aes-128-gcm).</summary>
    internal int UdpPort { get; private set; }

    internal string ClientOutput => _client?.Output ?? "";

    /// <summary>The client's local TCP port whose connections reach the echo server as this auth and security.</summary>
    internal int TcpPort(int alterId, string security) => _tcpPorts[(alterId, security)];

    public async Task InitializeAsync()
    {
        V2RayBinary.Require();
        using var cts = new CancellationTokenSource(V2RayProcess.StartupTimeout * 2);
        _system = ActorSystem.Create("relay-interop", ConfigurationFactory.ParseString("akka.loglevel = OFF\nakka.stdout-loglevel = OFF"));
        var aead = NodeUser.Aead("aead@test");
        var legacy = NodeUser.Legacy("legacy@test", alterId: 4);
        Node = TestNode.Start(_system, NodeConfigs.Json([aead, legacy]));

        var routes = new List<ClientRoute>();
        foreach (var user in new[] { aead, legacy })
        {
            foreach (var security in Securities)
            {
                var port = FreePort.Tcp();
                _tcpPorts[(user.AlterId, security)] = port;
                routes.Add(new ClientRoute(port, TcpEcho.Port, Node.Port, user, security));
            }
        }

        UdpPort = FreePort.Udp();
        routes.Add(new ClientRoute(UdpPort, UdpEcho.Port, Node.Port, aead, "aes-128-gcm", Network: "udp"));
        _client = await V2RayProcess.StartAsync(ClientRoute.ClientConfig(routes), _tcpPorts.Values, log: null, cts.Token);
        await _client.WaitForUdpPortsAsync([UdpPort], V2RayProcess.StartupTimeout, cts.Token);
    }

    public async Task DisposeAsync()
    {
        if (_client is not null) await _client.DisposeAsync();
        if (_system is not null) await _system.Terminate();
        await TcpEcho.DisposeAsync();
        await UdpEcho.DisposeAsync();
    }
}
