using Akka.Actor;
using Akka.Configuration;
using VMess.Relay.Tests.Support;
using VMess.Testing;

namespace VMess.Relay.Tests.Interop;

/// <summary>
/// A real v2ray 4.34 client in front of our nodes, each of its routes as another user, all to one
/// <see cref="FixedExchangeServer"/>: straight to the node (an AEAD user and a legacy one), multiplexed (Mux.Cool), and
/// through a second node of ours that relays over a VMess outbound to a third (the exit).
/// </summary>
public sealed class RealClientTrafficFixture : IAsyncLifetime
{
    public const int RequestLength = 300_000;
    public const int ReplyLength = 1_000_000;
    private readonly List<ActorSystem> _systems = [];
    private V2RayProcess? _client;

    internal static NodeUser Aead { get; } = NodeUser.Aead("aead@test");
    internal static NodeUser Legacy { get; } = NodeUser.Legacy("Legacy@Test");
    internal static NodeUser Mux { get; } = NodeUser.Aead("mux@test");
    internal static NodeUser RelayUser { get; } = NodeUser.Aead("relay@test");
    internal static NodeUser ExitUser { get; } = NodeUser.Aead("exit@test");

    internal TestNode Node { get; private set; } = null!;
    internal TestNode RelayNode { get; private set; } = null!;
    internal TestNode ExitNode { get; private set; } = null!;
    internal UserTrafficTotals NodeTotals { get; private set; } = null!;
    internal UserTrafficTotals RelayTotals { get; private set; } = null!;
    internal UserTrafficTotals ExitTotals { get; private set; } = null!;
    internal FixedExchangeServer Target { get; } = new(RequestLength, Payloads.Random(ReplyLength, seed: 31));
    internal int AeadPort { get; } = FreePort.Tcp();
    internal int LegacyPort { get; } = FreePort.Tcp();
    internal int MuxPort { get; } = FreePort.Tcp();
    internal int ChainPort { get; } = FreePort.Tcp();
    internal string ClientOutput => _client?.Output ?? "";

    public async Task InitializeAsync()
    {
        V2RayBinary.Require();
        using var cts = new CancellationTokenSource(V2RayProcess.StartupTimeout * 2);
        Node = TestNode.Start(NewSystem(), NodeConfigs.Json([Aead, Legacy, Mux]));
        var (relayPort, exitPort) = (FreePort.Tcp(), FreePort.Tcp());
        ExitNode = TestNode.Start(NewSystem(), HopConfigs.Relay(exitPort, ExitUser));
        RelayNode = TestNode.Start(NewSystem(), HopConfigs.Relay(relayPort, RelayUser, next: (exitPort, ExitUser)));
        (NodeTotals, RelayTotals, ExitTotals) = (new(Node.Relay.Traffic), new(RelayNode.Relay.Traffic), new(ExitNode.Relay.Traffic));

        var routes = new List<ClientRoute>
        {
            new(AeadPort, Target.Port, Node.Port, Aead, "aes-128-gcm"),
            new(LegacyPort, Target.Port, Node.Port, Legacy, "chacha20-poly1305"),
            new(MuxPort, Target.Port, Node.Port, Mux, "aes-128-gcm", MuxConcurrency: 4),
            new(ChainPort, Target.Port, relayPort, RelayUser, "aes-128-gcm"),
        };
        _client = await V2RayProcess.StartAsync(ClientRoute.ClientConfig(routes), [AeadPort, LegacyPort, MuxPort, ChainPort], log: null, cts.Token);
    }

    public async Task DisposeAsync()
    {
        if (_client is not null) await _client.DisposeAsync();
        await Task.WhenAll(_systems.Select(system => system.Terminate()));
        await Target.DisposeAsync();
    }

    private ActorSystem NewSystem()
    {
        var system = ActorSystem.Create($"relay-traffic-{_systems.Count}", ConfigurationFactory.ParseString("akka.loglevel = OFF\nakka.stdout-loglevel = OFF"));
        _systems.Add(system);
        return system;
    }
}
