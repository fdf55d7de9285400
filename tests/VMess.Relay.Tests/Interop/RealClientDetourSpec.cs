using Akka.TestKit.Xunit2;
using VMess.Relay.Tests.Support;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Relay.Tests.Interop;

/// <summary>
/// A real v2ray 4.34 client against our node's detour: the node's "main" inbound answers with SwitchAccount, and the
/// client's later connections go to the random ports of "dynamic" as the user the detour derived for its email. The
/// ports rotate in real time (V2Ray's minimum refresh, 2 minutes), so one test waits for a rotation. Never skipped.
/// </summary>
public sealed class RealClientDetourSpec : TestKit
{
    private readonly ITestOutputHelper _output;

    public RealClientDetourSpec(ITestOutputHelper output) : base(output: output)
    {
        _output = output;
    }

    private const int Refresh = 2;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Real_client_should_follow_SwitchAccount_to_the_detour_ports_as_the_derived_user()
    {
        using var cts = new CancellationTokenSource(Timeout);
        await using var echo = new TcpEchoServer();
        var user = NodeUser.Aead("detour@test");
        var ports = PortSpan.Free(10);
        var node = TestNode.Start(Sys, DetourConfigs.Node(user, ports, Refresh, concurrency: 2));
        var localPort = FreePort.Tcp();
        await using var client = await V2RayProcess.StartAsync(
            ClientRoute.ClientConfig([new ClientRoute(localPort, echo.Port, node.Port, user, "aes-128-gcm")]), [localPort], _output, cts.Token);

        for (var i = 0; i < 10; i++) await TransferAsync(localPort, i, client, cts.Token);

        var main = node.Relay.Inbounds[0];
        var dynamic = node.Relay.Inbounds[1];
        // V2Ray's round robin over its growing server list: main, main, detour, detour, main, detour × 3, main, detour.
        Assert.True(main.Ports!.AcceptedOn(main.EndPoint.Port) == 4, $"main accepted {main.Ports.AcceptedOn(main.EndPoint.Port)}\n{client.Output}");
        Assert.Equal(6, ports.Ports.Sum(p => dynamic.Ports!.AcceptedOn(p)));
        // The dynamic inbound has no clients of its own: what it accepted came as the derived user.
        var derived = Assert.Single(dynamic.Users!.Accounts);
        Assert.Equal("detour@test", derived.Email);
        Assert.Equal(10, node.AccessLog.Records.Count(r => r.Accepted && r.Email == "detour@test"));
        Assert.DoesNotContain(node.Rejections.Snapshot(), c => c.Value > 0);
    }

    [Fact]
    public async Task Ports_should_rotate_after_refresh_while_transfers_and_an_open_connection_keep_working()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(Refresh) + Timeout);
        await using var echo = new TcpEchoServer();
        var user = NodeUser.Aead("rotate@test");
        var ports = PortSpan.Free(10);
        var node = TestNode.Start(Sys, DetourConfigs.Node(user, ports, Refresh, concurrency: 2));
        var dynamic = node.Relay.Inbounds[1].Ports!;
        var localPort = FreePort.Tcp();
        await using var client = await V2RayProcess.StartAsync(
            ClientRoute.ClientConfig([new ClientRoute(localPort, echo.Port, node.Port, user, "aes-128-gcm")]), [localPort], _output, cts.Token);
        await TransferAsync(localPort, 0, client, cts.Token);
        await TransferAsync(localPort, 1, client, cts.Token);
        // The client's third connection takes the announced detour port; it stays open across the rotation.
        using var held = await Tcp.ConnectAsync(localPort, cts.Token);
        await Echo.PingAsync(held, cts.Token);
        Assert.Equal(1, ports.Ports.Sum(p => dynamic.AcceptedOn(p)));
        var (firstGeneration, opened) = (dynamic.Ports, dynamic.GenerationOpened);

        await Waits.UntilAsync(() => dynamic.GenerationOpened != opened, cts.Token);

        Assert.Empty(dynamic.Ports.Intersect(firstGeneration));
        await Echo.PingAsync(held, cts.Token);
        var acceptedBefore = dynamic.Ports.Sum(p => dynamic.AcceptedOn(p));
        for (var i = 2; i < 12; i++) await TransferAsync(localPort, i, client, cts.Token);
        Assert.True(dynamic.Ports.Sum(p => dynamic.AcceptedOn(p)) > acceptedBefore, "no connection reached the new ports");
        await Echo.PingAsync(held, cts.Token);
    }

    private static async Task TransferAsync(int port, int seed, V2RayProcess client, CancellationToken ct)
    {
        var payload = Payloads.Random(64 * 1024, seed);
        var echoed = await Tcp.RoundTripAsync(port, payload, ct);
        Assert.True(Payloads.Sha256Hex(payload) == Payloads.Sha256Hex(echoed),
            $"transfer {seed}: {echoed.Length} of {payload.Length} bytes came back\n{client.Output}");
    }
}
