using Akka.TestKit.Xunit2;
using VMess.Relay.Tests.Support;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Relay.Tests.Interop;

/// <summary>
/// Our node as the client of a real v2ray 4.34 server with detour: the node's vmess outbound takes the SwitchAccount
/// of the server's "main" inbound and dials the announced random ports of "dynamic" in turn. The server sends what
/// "dynamic" accepts to a second echo server (freedom's redirect), so each echo server's count says where the
/// connections went. Never skipped.
/// </summary>
public sealed class RealServerDetourSpec : TestKit
{
    private readonly ITestOutputHelper _output;

    public RealServerDetourSpec(ITestOutputHelper output) : base(output: output)
    {
        _output = output;
    }

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Node_should_dial_the_detour_ports_a_real_server_announces_as_V2Rays_picker_does()
    {
        using var cts = new CancellationTokenSource(Timeout);
        await using var echo = new TcpEchoServer();
        await using var detourEcho = new TcpEchoServer();
        var user = NodeUser.Aead("node@test");
        var ports = PortSpan.Free(10);
        var mainPort = FreePort.Tcp();
        await using var server = await V2RayProcess.StartAsync(
            DetourConfigs.V2RayServer(user, mainPort, ports, refreshMinutes: 5, concurrency: 2, detourEcho.Port), [mainPort], _output, cts.Token);
        var node = TestNode.Start(Sys, ClientRoute.ClientConfig([new ClientRoute(0, echo.Port, mainPort, user, "aes-128-gcm")]));

        for (var i = 0; i < 10; i++)
        {
            var payload = Payloads.Random(64 * 1024, seed: i);
            var echoed = await Tcp.RoundTripAsync(node.Port, payload, cts.Token);
            Assert.True(Payloads.Sha256Hex(payload) == Payloads.Sha256Hex(echoed),
                $"transfer {i}: {echoed.Length} of {payload.Length} bytes came back\n{server.Output}");
        }

        // main, main, detour, detour, main, detour × 3, main, detour: V2Ray's round robin over its growing list.
        Assert.True((echo.AcceptedConnections, detourEcho.AcceptedConnections) == (4, 6),
            $"direct {echo.AcceptedConnections}, via dynamic {detourEcho.AcceptedConnections}\n{server.Output}");
        var accepted = server.OutputLines.Count(l => l.Contains(" accepted ", StringComparison.Ordinal) && l.Contains("node@test", StringComparison.Ordinal));
        Assert.True(accepted == 10, $"{accepted} access lines for node@test\n{server.Output}");
    }
}
