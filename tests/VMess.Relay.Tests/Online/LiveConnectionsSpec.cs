using System.Diagnostics;
using System.Net.Sockets;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using VMess.Protocol.Auth;
using VMess.Relay.Tests.Support;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Relay.Tests.Online;

/// <summary>
/// Live connections through a node, closed when a publication of the registry's users no longer holds their user:
/// the client sees the end within the bound while another user's connection keeps relaying, and a Mux.Cool
/// connection counts (and closes) as one connection of its user. The publication is what the host's registry sink
/// hands over after each swap of the inbounds' users.
/// </summary>
public sealed class LiveConnectionsSpec : TestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CloseBound = TimeSpan.FromSeconds(2);
    private static readonly NodeUser Alice = NodeUser.Aead("alice@test");
    private static readonly NodeUser Bob = NodeUser.Aead("bob@test");
    private readonly ITestOutputHelper _output;

    public LiveConnectionsSpec(ITestOutputHelper output) : base(ConfigurationFactory.ParseString("akka.loglevel = INFO"), output: output)
    {
        _output = output;
    }

    [Fact]
    public async Task A_connection_whose_user_is_no_longer_served_should_end_within_the_bound()
    {
        using var cts = new CancellationTokenSource(Timeout);
        await using var echo = new TcpEchoServer();
        var node = TestNode.Start(Sys, NodeConfigs.Json([Alice, Bob]));
        using var alice = await OpenAsync(node, Alice, echo.Port, cts.Token);
        Assert.Equal(1, node.Relay.LiveConnections.CountOf("alice@test"));

        var clock = Stopwatch.StartNew();
        await EventFilter.Info("closed 1 connection(s) of alice@test: user removed").ExpectOneAsync(() =>
        {
            Assert.Equal(1, node.Relay.LiveConnections.CloseUnserved([Account(Bob)]));
            return Task.CompletedTask;
        });
        var reset = await alice.ReadUntilClosedAsync(cts.Token);

        _output.WriteLine($"closed {clock.ElapsedMilliseconds} ms after the publication ({(reset ? "reset" : "end of stream")})");
        Assert.True(clock.Elapsed < CloseBound, $"the connection ended {clock.ElapsedMilliseconds} ms after the publication");
        await Waits.UntilAsync(() => node.Relay.LiveConnections.Count == 0 && node.Relay.OpenConnections == 0, cts.Token);
    }

    [Fact]
    public async Task A_connection_of_a_user_still_served_should_keep_relaying()
    {
        using var cts = new CancellationTokenSource(Timeout);
        await using var echo = new TcpEchoServer();
        var node = TestNode.Start(Sys, NodeConfigs.Json([Alice, Bob]));
        using var alice = await OpenAsync(node, Alice, echo.Port, cts.Token);
        using var bob = await OpenAsync(node, Bob, echo.Port, cts.Token);

        node.Relay.LiveConnections.CloseUnserved([Account(Bob)]);
        await alice.ReadUntilClosedAsync(cts.Token);

        var payload = Payloads.Random(64 * 1024, seed: 91);
        Assert.Equal(payload, await bob.EchoAsync(payload, cts.Token));
        Assert.Equal(1, node.Relay.LiveConnections.CountOf("bob@test"));
    }

    [Fact]
    public async Task A_mux_connection_should_count_once_for_its_user_and_end_with_all_its_sessions()
    {
        V2RayBinary.Require();
        using var cts = new CancellationTokenSource(Timeout);
        await using var echo = new TcpEchoServer();
        var node = TestNode.Start(Sys, NodeConfigs.Json([Alice, Bob]));
        var local = FreePort.Tcp();
        await using var client = await V2RayProcess.StartAsync(
            ClientRoute.ClientConfig([new ClientRoute(local, echo.Port, node.Port, Alice, "aes-128-gcm", MuxConcurrency: 8)]), [local], log: null, cts.Token);
        var sessions = new List<Socket>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var socket = await Tcp.ConnectAsync(local, cts.Token);
                sessions.Add(socket);
                var payload = Payloads.Random(1024, seed: 92 + i);
                await Tcp.SendAllAsync(socket, payload, cts.Token);
                await ReadExactlyAsync(socket, payload.Length, cts.Token);
            }
            Assert.Equal(1, node.Relay.LiveConnections.CountOf("alice@test"));

            node.Relay.LiveConnections.CloseUnserved([Account(Bob)]);

            await Task.WhenAll(sessions.Select(s => Tcp.ReadUntilClosedAsync(s, cts.Token)));
            await Waits.UntilAsync(() => node.Relay.LiveConnections.Count == 0, cts.Token);
        }
        finally
        {
            sessions.ForEach(s => s.Dispose());
        }
    }

    private static VMessAccount Account(NodeUser user) => new(user.Id, (ushort)user.AlterId, 0, user.Email);

    /// <summary>A tunnel as <paramref name="user"/> that has echoed once, so the node has authenticated and registered it.</summary>
    private static async Task<VMessTunnel> OpenAsync(TestNode node, NodeUser user, int echoPort, CancellationToken ct)
    {
        var tunnel = await VMessTunnel.OpenAsync(node.Port, user.Id, echoPort, ct);
        var payload = Payloads.Random(1024, seed: 90);
        Assert.Equal(payload, await tunnel.EchoAsync(payload, ct));
        return tunnel;
    }

    private static async Task ReadExactlyAsync(Socket socket, int length, CancellationToken ct)
    {
        var buffer = new byte[length];
        for (var read = 0; read < length;)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, ct);
            Assert.True(n > 0, "the mux session ended before its echo");
            read += n;
        }
    }
}
