using System.Net.Sockets;
using Akka.TestKit.Xunit2;
using VMess.Protocol;
using VMess.Relay.Policy;
using VMess.Relay.Tests.Support;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Relay.Tests.Interop;

/// <summary>
/// What the node refuses from a real v2ray 4.34 client — insecure security when it is disabled, an unknown id, a
/// replayed handshake — and that it counts each refusal and keeps serving good clients on the same inbound.
/// </summary>
public sealed class RealClientRejectionSpec(ITestOutputHelper output) : TestKit(output: output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CounterWait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Node_should_refuse_only_security_none_when_insecure_encryption_is_disabled()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var user = NodeUser.Aead("secure@test");
        var node = TestNode.Start(Sys, NodeConfigs.Json([user], disableInsecureEncryption: true));
        await using var echo = new TcpEchoServer();
        int nonePort = FreePort.Tcp(), gcmPort = FreePort.Tcp();
        await using var client = await StartClientAsync(cts.Token,
            new ClientRoute(nonePort, echo.Port, node.Port, user, "none"),
            new ClientRoute(gcmPort, echo.Port, node.Port, user, "aes-128-gcm"));

        var refused = await SendAndReadUntilClosedAsync(nonePort, Payloads.Random(16 * 1024, seed: 5), cts.Token);
        await AwaitAssertAsync(() => Assert.Equal(1, node.Rejections[RejectionCause.InsecureEncryption]), CounterWait);
        var payload = Payloads.Random(256 * 1024, seed: 6);
        var echoed = await Support.Tcp.RoundTripAsync(gcmPort, payload, cts.Token);

        Assert.Empty(refused.Bytes);
        Assert.Equal(Payloads.Sha256Hex(payload), Payloads.Sha256Hex(echoed));
        Assert.Equal(1, echo.AcceptedConnections);
    }

    [Fact]
    public async Task Node_should_reject_an_unknown_id_and_keep_serving_known_users()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var user = NodeUser.Aead("known@test");
        var stranger = NodeUser.Aead("stranger@test");
        var node = TestNode.Start(Sys, NodeConfigs.Json([user]));
        await using var echo = new TcpEchoServer();
        int strangerPort = FreePort.Tcp(), userPort = FreePort.Tcp();
        await using var client = await StartClientAsync(cts.Token,
            new ClientRoute(strangerPort, echo.Port, node.Port, stranger, "aes-128-gcm"),
            new ClientRoute(userPort, echo.Port, node.Port, user, "aes-128-gcm"));

        // More than the node drains (at most 3382 bytes), so the rejected connection ends without waiting for a timeout.
        var rejected = await SendAndReadUntilClosedAsync(strangerPort, Payloads.Random(16 * 1024, seed: 7), cts.Token);
        await AwaitAssertAsync(() => Assert.Equal(1, node.Rejections[DecodeError.UnknownUser]), CounterWait);
        var payload = Payloads.Random(256 * 1024, seed: 8);
        var echoed = await Support.Tcp.RoundTripAsync(userPort, payload, cts.Token);

        Assert.Empty(rejected.Bytes);
        Assert.Equal(Payloads.Sha256Hex(payload), Payloads.Sha256Hex(echoed));
        Assert.Equal(1, echo.AcceptedConnections);
    }

    [Fact]
    public async Task Node_should_reject_a_replayed_real_client_handshake_after_serving_the_original()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var user = NodeUser.Aead("replayed@test");
        var node = TestNode.Start(Sys, NodeConfigs.Json([user]));
        await using var echo = new TcpEchoServer();
        await using var recorder = new RecordingProxy(node.Port);
        var localPort = FreePort.Tcp();
        await using var client = await StartClientAsync(cts.Token, new ClientRoute(localPort, echo.Port, recorder.Port, user, "aes-128-gcm"));
        var payload = Payloads.Random(64 * 1024, seed: 9);
        var echoed = await Support.Tcp.RoundTripAsync(localPort, payload, cts.Token);
        var recorded = await recorder.NextFinishedUpstreamBytesAsync(cts.Token);

        var replay = await SendAndReadUntilClosedAsync(node.Port, recorded, cts.Token);
        await AwaitAssertAsync(() => Assert.True(node.Rejections[DecodeError.ReplayedAuthId] == 1,
            $"replayed {recorded.Length} bytes; rejections {string.Join(", ", node.Rejections.Snapshot())}"), CounterWait);

        Assert.Equal(Payloads.Sha256Hex(payload), Payloads.Sha256Hex(echoed));
        Assert.Empty(replay.Bytes);
        Assert.Equal(1, echo.AcceptedConnections);
    }

    private Task<V2RayProcess> StartClientAsync(CancellationToken ct, params ClientRoute[] routes) =>
        V2RayProcess.StartAsync(ClientRoute.ClientConfig(routes), routes.Select(r => r.LocalPort), Output, ct);

    // Sends without half-closing (a refused peer may reset the connection mid-send) and reads until the other side closes.
    private static async Task<ClosedConnection> SendAndReadUntilClosedAsync(int port, byte[] bytes, CancellationToken ct)
    {
        using var socket = await Support.Tcp.ConnectAsync(port, ct);
        var send = Support.Tcp.SendAllAsync(socket, bytes, ct);
        var closed = await Support.Tcp.ReadUntilClosedAsync(socket, ct);
        try
        {
            await send;
        }
        catch (SocketException)
        {
            // closed under the sender: expected for a refused connection
        }

        return closed;
    }
}
