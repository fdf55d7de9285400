using System.Net;
using System.Net.Sockets;
using VMess.Protocol.Auth;
using VMess.Protocol.Ids;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Protocol.Tests.Interop;

/// <summary>
/// A real v2ray 4.34 client (dokodemo-door -> vmess) talks to a server built on our codec: every byte must arrive,
/// for AEAD and legacy auth and every security the client offers.
/// </summary>
public sealed class RealClientTransferTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static TheoryData<int, string> Securities() => new()
    {
        { 0, "aes-128-gcm" }, { 0, "chacha20-poly1305" }, { 0, "none" }, { 0, "auto" },
        { 4, "aes-128-gcm" }, { 4, "chacha20-poly1305" }, { 4, "none" }, { 4, "auto" },
    };

    [Theory, MemberData(nameof(Securities))]
    public async Task Codec_server_should_carry_a_real_v2ray_client_tcp_stream_both_ways(int alterId, string security)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await using var setup = await Setup.StartAsync(alterId, security, output, cts.Token);
        var payload = Payloads.Random(4 * 1024 * 1024, seed: alterId * 31 + security.Length);

        using var tcp = new TcpClient(AddressFamily.InterNetwork);
        await tcp.ConnectAsync(IPAddress.Loopback, setup.LocalPort, cts.Token);
        var stream = tcp.GetStream();
        var send = Task.Run(async () =>
        {
            await stream.WriteAsync(payload, cts.Token);
            tcp.Client.Shutdown(SocketShutdown.Send);
        }, cts.Token);
        var received = new MemoryStream();
        await stream.CopyToAsync(received, cts.Token);
        await send;

        Assert.Empty(setup.Server.Failures);
        Assert.Equal(Payloads.Sha256Hex(payload), Payloads.Sha256Hex(received.ToArray()));
    }

    [Theory]
    [InlineData(0, "aes-128-gcm")]
    [InlineData(4, "chacha20-poly1305")]
    [InlineData(0, "none")]
    public async Task Codec_server_should_carry_real_v2ray_client_udp_datagrams(int alterId, string security)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await using var setup = await Setup.StartAsync(alterId, security, output, cts.Token, udp: true);
        using var udp = new UdpClient(AddressFamily.InterNetwork);
        udp.Connect(IPAddress.Loopback, setup.LocalPort);
        for (var i = 0; i < 5; i++)
        {
            var datagram = Payloads.Random(1000, seed: i);
            // UDP may drop the first datagram while the client sets up; resend until the echo arrives.
            var reply = await UdpRetry.SendUntilAnsweredAsync(udp, datagram, cts.Token);
            Assert.Equal(datagram, reply);
        }
        Assert.Empty(setup.Server.Failures);
    }

    private sealed class Setup : IAsyncDisposable
    {
        private TcpEchoServer? _tcpEcho;
        private UdpEchoServer? _udpEcho;
        private V2RayProcess? _client;

        public required MiniVMessServer Server { get; init; }
        public int LocalPort { get; private init; }

        public static async Task<Setup> StartAsync(int alterId, string security, ITestOutputHelper output, CancellationToken ct, bool udp = false)
        {
            var id = VMessUserId.NewRandom();
            var users = new UserKeyIndex();
            users.Replace([new VMessAccount(VMessUserId.NewRandom(), 2), new VMessAccount(id, (ushort)alterId)], DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            var tcpEcho = udp ? null : new TcpEchoServer();
            var udpEcho = udp ? new UdpEchoServer() : null;
            var localPort = FreePort.TcpAndUdp();
            var setup = new Setup { Server = new MiniVMessServer(users), LocalPort = localPort, _tcpEcho = tcpEcho, _udpEcho = udpEcho };
            var config = V2RayConfigs.Client(localPort, "127.0.0.1", udp ? udpEcho!.Port : tcpEcho!.Port, setup.Server.Port,
                id.ToString(), alterId, security, udp ? "udp" : "tcp");
            setup._client = await V2RayProcess.StartAsync(config, udp ? [] : [localPort], output, ct);
            if (udp) await setup._client.WaitForUdpPortsAsync([localPort], TimeSpan.FromSeconds(15), ct);
            return setup;
        }

        public async ValueTask DisposeAsync()
        {
            if (_client is not null) await _client.DisposeAsync();
            await Server.DisposeAsync();
            if (_tcpEcho is not null) await _tcpEcho.DisposeAsync();
            if (_udpEcho is not null) await _udpEcho.DisposeAsync();
        }
    }
}
