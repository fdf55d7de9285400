using Akka.Actor;
using Akka.Configuration;
using VMess.Relay.Tests.Support;
using VMess.Testing;

namespace VMess.Relay.Tests.Interop;

/// <summary>
/// Our node as the client, a real v2ray 4.34 as the server, echo servers behind it, shared by a test class. The node
/// runs the same kind of config a v2ray client would (it is built by <see cref="ClientRoute.ClientConfig"/>): for each
/// auth (AEAD and legacy user) × security (aes-128-gcm, chacha20-poly1305, none) a dokodemo-door and a socks inbound,
/// each routed by its tag to its own vmess outbound; and a dokodemo-door "udp" route.
/// </summary>
public sealed class RealServerClientFixture : IAsyncLifetime
{
    public static readonly string[] Securities = ["aes-128-gcm", "chacha20-poly1305", "none"];
    private readonly Dictionary<(string Inbound, int AlterId, string Security), int> _ports = new();
    private ActorSystem? _system;
    private V2RayProcess? _server;

    internal static readonly TimeSpan UdpIdle = TimeSpan.FromSeconds(1);

    internal TestNode Node { get; private set; } = null!;

    internal TcpEchoServer TcpEcho { get; } = new();

    internal UdpEchoServer UdpEcho { get; } = new();

    /// <summary>The node's dokodemo-door UDP port to the UDP echo server (AEAD user, aes-128-gcm).</summary>
    internal int DokodemoUdpPort { get; private set; }

    internal string ServerOutput => _server?.Output ?? "";

    /// <summary>The node's local port of an inbound ("dokodemo-door" to the TCP echo server, or "socks") for this auth and security.</summary>
    internal int Port(string inbound, int alterId, string security) => _ports[(inbound, alterId, security)];

    public async Task InitializeAsync()
    {
        V2RayBinary.Require();
        using var cts = new CancellationTokenSource(V2RayProcess.StartupTimeout * 2);
        var aead = NodeUser.Aead("aead@test");
        var legacy = NodeUser.Legacy("legacy@test", alterId: 4);
        var serverPort = FreePort.Tcp();
        _server = await V2RayProcess.StartAsync(
            V2RayConfigs.Server(serverPort, [(aead.Id.ToString(), 0, aead.Email), (legacy.Id.ToString(), 4, legacy.Email)]),
            [serverPort], log: null, cts.Token);

        var routes = new List<ClientRoute>();
        foreach (var inbound in new[] { "dokodemo-door", "socks" })
        {
            foreach (var user in new[] { aead, legacy })
            {
                foreach (var security in Securities)
                {
                    var port = FreePort.TcpAndUdp();
                    _ports[(inbound, user.AlterId, security)] = port;
                    routes.Add(new ClientRoute(port, TcpEcho.Port, serverPort, user, security, Inbound: inbound));
                }
            }
        }
        DokodemoUdpPort = FreePort.Udp();
        routes.Add(new ClientRoute(DokodemoUdpPort, UdpEcho.Port, serverPort, aead, "aes-128-gcm", Network: "udp"));

        _system = ActorSystem.Create("client-interop", ConfigurationFactory.ParseString("akka.loglevel = OFF\nakka.stdout-loglevel = OFF"));
        // A short UDP idle so a spec can watch an association end and a new one begin.
        Node = TestNode.Start(_system, ClientRoute.ClientConfig(routes), limits: RelayLimits.Default with { UdpAssociationIdle = UdpIdle });
    }

    public async Task DisposeAsync()
    {
        if (_system is not null) await _system.Terminate();
        if (_server is not null) await _server.DisposeAsync();
        await TcpEcho.DisposeAsync();
        await UdpEcho.DisposeAsync();
    }
}
