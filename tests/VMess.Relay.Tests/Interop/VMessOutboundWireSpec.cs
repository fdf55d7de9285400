using System.Buffers;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Configuration;
using VMess.Protocol.Auth;
using VMess.Protocol.Headers;
using VMess.Protocol.Sessions;
using VMess.Relay.Policy;
using VMess.Relay.Tests.Support;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Relay.Tests.Interop;

/// <summary>
/// What our VMess outbound puts on the wire, read back by a capturing listener, and how it spreads connections over
/// several <c>vnext</c> servers (two real v2ray servers).
/// </summary>
public sealed class VMessOutboundWireSpec(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly ActorSystem _system = ActorSystem.Create("outbound-wire", ConfigurationFactory.ParseString("akka.loglevel = OFF\nakka.stdout-loglevel = OFF"));
    private readonly List<V2RayProcess> _servers = new();

    public static TheoryData<int, string, bool, SecurityType, RequestOptions> HeaderKinds() => new()
    {
        // alterId 0: AEAD header; otherwise legacy. Options as V2Ray 4.34's client sets them for the security.
        { 0, "aes-128-gcm", true, SecurityType.Aes128Gcm, RequestOptions.ChunkStream | RequestOptions.ChunkMasking | RequestOptions.GlobalPadding },
        { 0, "chacha20-poly1305", true, SecurityType.ChaCha20Poly1305, RequestOptions.ChunkStream | RequestOptions.ChunkMasking | RequestOptions.GlobalPadding },
        { 0, "none", true, SecurityType.None, RequestOptions.ChunkStream | RequestOptions.ChunkMasking },
        { 4, "aes-128-gcm", false, SecurityType.Aes128Gcm, RequestOptions.ChunkStream | RequestOptions.ChunkMasking | RequestOptions.GlobalPadding },
        { 4, "none", false, SecurityType.None, RequestOptions.ChunkStream | RequestOptions.ChunkMasking },
    };

    [Theory, MemberData(nameof(HeaderKinds))]
    public async Task Outbound_sends_the_header_kind_and_options_V2Ray_sends_for_the_user(
        int alterId, string security, bool aead, SecurityType expectedSecurity, RequestOptions expectedOptions)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await using var server = new CapturingListener();
        var user = alterId == 0 ? NodeUser.Aead("u@test") : NodeUser.Legacy("u@test", alterId);
        var localPort = FreePort.Tcp();
        TestNode.Start(_system, ClientRoute.ClientConfig([new ClientRoute(localPort, 80, server.Port, user, security)]));
        using var local = await Tcp.ConnectAsync(localPort, cts.Token);
        await Tcp.SendAllAsync(local, "GET / HTTP/1.1\r\n\r\n"u8.ToArray(), cts.Token);

        // The header goes out with the first payload in one write; the shortest (legacy, no padding) is 61 bytes.
        var captured = await server.NextConnectionBytesAsync(61, Timeout, cts.Token);

        var handshake = Decode(captured, user);
        Assert.Equal(aead, handshake.IsAead);
        Assert.Equal(expectedSecurity, handshake.Header.Security);
        Assert.Equal(expectedOptions, handshake.Header.Options);
        Assert.Equal(RequestCommand.Tcp, handshake.Header.Command);
        Assert.Equal("127.0.0.1:80", handshake.Header.Destination!.ToString());
    }

    [Fact]
    public async Task Outbound_with_two_vnext_servers_uses_both_in_turn()
    {
        using var cts = new CancellationTokenSource(Timeout);
        await using var echo = new TcpEchoServer();
        var user = NodeUser.Aead("u@test");
        var ports = new[] { FreePort.Tcp(), FreePort.Tcp() };
        foreach (var port in ports)
        {
            _servers.Add(await V2RayProcess.StartAsync(V2RayConfigs.Server(port, [(user.Id.ToString(), 0, user.Email)]), [port], output, cts.Token));
        }
        var localPort = FreePort.Tcp();
        TestNode.Start(_system, TwoServerConfig(localPort, echo.Port, ports, user));

        for (var i = 0; i < 10; i++)
        {
            var payload = Payloads.Random(64 * 1024, seed: 300 + i);
            var received = await Tcp.RoundTripAsync(localPort, payload, cts.Token);
            Assert.Equal(Payloads.Sha256Hex(payload), Payloads.Sha256Hex(received));
        }

        // Each v2ray server logs one access line per connection it accepted: round robin gives each five.
        var accepted = _servers.Select(s => s.OutputLines.Count(l => l.Contains(" accepted ", StringComparison.Ordinal))).ToArray();
        Assert.True(accepted.All(n => n == 5), $"connections per server: {string.Join(", ", accepted)}");
    }

    [Fact]
    public async Task Outbound_counts_a_real_server_refusing_its_user()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var (known, unknown) = (NodeUser.Aead("known@test"), NodeUser.Aead("unknown@test"));
        var serverPort = FreePort.Tcp();
        _servers.Add(await V2RayProcess.StartAsync(V2RayConfigs.Server(serverPort, [(known.Id.ToString(), 0, known.Email)]), [serverPort], output, cts.Token));
        var localPort = FreePort.Tcp();
        var node = TestNode.Start(_system, ClientRoute.ClientConfig([new ClientRoute(localPort, 80, serverPort, unknown, "aes-128-gcm")]));

        using var local = await Tcp.ConnectAsync(localPort, cts.Token);
        // V2Ray drains a refused connection until it has read its drain size (at most 3382 bytes) before closing.
        await Tcp.SendAllAsync(local, Payloads.Random(8 * 1024, seed: 5), cts.Token);
        var closed = await Tcp.ReadUntilClosedAsync(local, cts.Token);

        Assert.Empty(closed.Bytes);
        await Waits.UntilAsync(() => node.Rejections[RejectionCause.OutboundServerRefused] == 1, cts.Token);
    }

    private static ServerHandshake Decode(byte[] request, NodeUser user)
    {
        var users = new UserKeyIndex();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        users.Replace([new VMessAccount(user.Id, (ushort)user.AlterId, 0, user.Email)], now);
        var decoder = new ServerHandshakeDecoder(users, new ServerReplayGuard(), now);
        var status = decoder.Decode(request, out var handshake, out _, out var error);
        Assert.True(status == OperationStatus.Done, $"the captured request did not decode: {status} {error}");
        return handshake!;
    }

    private static string TwoServerConfig(int localPort, int targetPort, int[] serverPorts, NodeUser user)
    {
        var config = JsonNode.Parse(ClientRoute.ClientConfig([new ClientRoute(localPort, targetPort, serverPorts[0], user, "aes-128-gcm")]))!;
        var vnext = config["outbounds"]![0]!["settings"]!["vnext"]!.AsArray();
        var second = vnext[0]!.DeepClone();
        second["port"] = serverPorts[1];
        vnext.Add(second);
        return config.ToJsonString();
    }

    public Task InitializeAsync()
    {
        V2RayBinary.Require();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _system.Terminate();
        foreach (var server in _servers) await server.DisposeAsync();
    }
}
