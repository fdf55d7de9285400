using System.Net.Sockets;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Microsoft.Extensions.Time.Testing;
using VMess.Relay.Tests.Support;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Relay.Tests.Inbound;

/// <summary>
/// Dynamic ports between two of our nodes in one process: a client node (dokodemo-door → vmess) and a server node whose
/// "main" inbound detours to random ports. Both run on one fake clock, so the ports rotate and announced servers expire
/// when the test says, while sockets and timeouts run in real time.
/// </summary>
public sealed class DetourSpec(ITestOutputHelper output) : TestKit(output: output), IAsyncLifetime
{
    private const int Refresh = 2;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    // Each node names its actors "inbound-N", so the client node runs in an actor system of its own.
    private readonly ActorSystem _clientSystem =
        ActorSystem.Create("detour-client", ConfigurationFactory.ParseString("akka.loglevel = OFF\nakka.stdout-loglevel = OFF"));

    public Task InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => _clientSystem.Terminate();

    [Fact]
    public async Task Client_node_should_dial_the_announced_detour_ports_in_V2Rays_round_robin_as_the_derived_user()
    {
        using var cts = new CancellationTokenSource(Timeout);
        await using var echo = new TcpEchoServer();
        var (server, client, ports) = StartPair(echo, NodeUser.Aead("detour@test"));

        for (var i = 0; i < 10; i++) await TransferAsync(client.Port, i, cts.Token);

        var main = server.Relay.Inbounds[0];
        var dynamic = server.Relay.Inbounds[1];
        // The picker's order (see VMessServerListTests): origin, origin, then every announced entry before the origin again.
        Assert.Equal(4, main.Ports!.AcceptedOn(main.EndPoint.Port));
        Assert.Equal(6, ports.Ports.Sum(p => dynamic.Ports!.AcceptedOn(p)));
        var derived = Assert.Single(dynamic.Users!.Accounts);
        Assert.Equal("detour@test", derived.Email);
        Assert.All(server.AccessLog.Records, r => Assert.True(r.Accepted && r.Email == "detour@test", r.ToString()));
    }

    [Fact]
    public async Task Connection_on_a_detour_port_should_keep_working_after_the_port_closes()
    {
        using var cts = new CancellationTokenSource(Timeout);
        await using var echo = new TcpEchoServer();
        var (server, client, ports) = StartPair(echo, NodeUser.Aead("held@test"));
        var dynamic = server.Relay.Inbounds[1].Ports!;
        await TransferAsync(client.Port, 0, cts.Token);
        await TransferAsync(client.Port, 1, cts.Token);
        // The third connection takes the announced server.
        using var held = await Tcp.ConnectAsync(client.Port, cts.Token);
        await Echo.PingAsync(held, cts.Token);
        var heldPort = Assert.Single(ports.Ports, p => dynamic.AcceptedOn(p) == 1);

        // A replaced generation closes at the rotation after next; the port may be drawn again later, so rotate until
        // it does not listen.
        for (var rotations = 0; rotations < 2 || dynamic.ListeningPorts.Contains(heldPort); rotations++)
        {
            Assert.True(rotations < 50, $"port {heldPort} still listens after {rotations} rotations");
            _clock.Advance(TimeSpan.FromMinutes(Refresh));
        }

        await Echo.PingAsync(held, cts.Token);
        await TransferAsync(client.Port, 2, cts.Token);
    }

    private (TestNode Server, TestNode Client, PortSpan Ports) StartPair(TcpEchoServer echo, NodeUser user)
    {
        var ports = PortSpan.Free(10);
        var server = TestNode.Start(Sys, DetourConfigs.Node(user, ports, Refresh, concurrency: 2), _clock);
        var client = TestNode.Start(_clientSystem, ClientRoute.ClientConfig([new ClientRoute(0, echo.Port, server.Port, user, "aes-128-gcm")]), _clock);
        return (server, client, ports);
    }

    private static async Task TransferAsync(int port, int seed, CancellationToken ct)
    {
        var payload = Payloads.Random(64 * 1024, seed);
        var echoed = await Tcp.RoundTripAsync(port, payload, ct);
        Assert.True(Payloads.Sha256Hex(payload) == Payloads.Sha256Hex(echoed), $"transfer {seed}: {echoed.Length} of {payload.Length} bytes came back");
    }
}
