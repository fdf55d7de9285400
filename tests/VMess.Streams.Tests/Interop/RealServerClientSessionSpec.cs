using System.Net;
using System.Net.Sockets;
using Akka.Streams;
using Akka.Streams.Dsl;
using VMess.Protocol;
using VMess.Protocol.Addresses;
using VMess.Protocol.Headers;
using VMess.Protocol.Ids;
using VMess.Protocol.Sessions;
using VMess.Streams.Stages;
using VMess.Streams.Tests.Support;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Streams.Tests.Interop;

/// <summary>
/// Our client stage against the real v2ray 4.34 server: an inbound socket, the client session, and a socket to v2ray,
/// which relays to an echo server. v2ray must be installed; these never skip.
/// </summary>
public sealed class RealServerClientSessionSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly ITestOutputHelper _output;
    private readonly IMaterializer _materializer;
    private readonly CountingPool _pool = new();
    private readonly SocketStageSettings _sockets;

    public RealServerClientSessionSpec(ITestOutputHelper output) : base(SpecConfig.Hocon, output)
    {
        _output = output;
        _materializer = Sys.Materializer();
        _sockets = new SocketStageSettings(_pool, ReadBufferSize: 64 * 1024);
    }

    public static TheoryData<ushort, SecurityType> Cases() => new()
    {
        { 0, SecurityType.Aes128Gcm }, { 0, SecurityType.ChaCha20Poly1305 }, { 0, SecurityType.None }, { 0, SecurityType.Legacy },
        { 4, SecurityType.Aes128Gcm }, { 4, SecurityType.ChaCha20Poly1305 }, { 4, SecurityType.None }, { 4, SecurityType.Legacy },
    };

    [Theory, MemberData(nameof(Cases))]
    public async Task Real_v2ray_server_should_carry_our_client_stage_stream_both_ways(ushort alterId, SecurityType security)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var id = VMessUserId.NewRandom();
        await using var echo = new TcpEchoServer();
        var serverPort = FreePort.Tcp();
        await using var server = await V2RayProcess.StartAsync(
            V2RayConfigs.Server(serverPort, [(id.ToString(), alterId, "user@test")]), [serverPort], _output, cts.Token);
        var account = new ClientAccount(id, alterId, security);
        using var inbound = await SocketPair.TcpAsync();
        var payload = Payloads.Random(4 * 1024 * 1024, seed: alterId + (int)security);

        var (inboundLink, session) = await RunClientAsync(inbound, account, RequestCommand.Tcp, Loopback(echo.Port), serverPort, cts.Token);
        var sending = SendAsync(inbound.Peer, payload, cts.Token);
        var echoed = await ReceiveAsync(inbound.Peer, payload.Length, cts.Token);
        await sending;

        Assert.True(Payloads.Sha256Hex(payload) == Payloads.Sha256Hex(echoed), $"{echoed.Length} of {payload.Length} bytes came back; {server.Output}");
        Assert.NotNull(await session.Response.WaitAsync(cts.Token));
        // v2ray's freedom outbound does not pass the half-close on to the echo server, so the test ends the connection.
        inboundLink.Abort("test over");
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Theory]
    [InlineData(0, SecurityType.Aes128Gcm)]
    [InlineData(4, SecurityType.ChaCha20Poly1305)]
    public async Task Real_v2ray_server_should_answer_our_client_stage_udp_datagrams(ushort alterId, SecurityType security)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var id = VMessUserId.NewRandom();
        await using var echo = new UdpEchoServer();
        var serverPort = FreePort.Tcp();
        await using var server = await V2RayProcess.StartAsync(
            V2RayConfigs.Server(serverPort, [(id.ToString(), alterId, "user@test")]), [serverPort], _output, cts.Token);
        using var inbound = SocketPair.Udp();
        var datagrams = Enumerable.Range(0, 5).Select(i => Payloads.Random(100 + 300 * i, seed: i)).ToArray();

        var (inboundLink, _) = await RunClientAsync(inbound, new ClientAccount(id, alterId, security), RequestCommand.Udp,
            Loopback(echo.Port), serverPort, cts.Token);
        var replies = new List<byte[]>();
        foreach (var datagram in datagrams)
        {
            // One at a time, so the echoes come back in order.
            await inbound.Peer.SendAsync(datagram, SocketFlags.None, cts.Token);
            var buffer = new byte[65536];
            var n = await inbound.Peer.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            replies.Add(buffer[..n]);
        }

        Assert.Equal(datagrams, replies);
        inboundLink.Abort("test over");
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    // inbound socket ⇄ client session ⇄ socket to v2ray, started once the server is dialled, as the connection actor will.
    private async Task<(SocketLink Inbound, ClientSessionLink Session)> RunClientAsync(SocketPair inbound, ClientAccount account,
        RequestCommand command, DestinationAddress target, int serverPort, CancellationToken ct)
    {
        var settings = new ClientSessionSettings(_pool, CryptoRandomSource.Instance, TimeProvider.System);
        var (inboundLink, session, serverLink) = VMessFlows.Socket(inbound.Stage, _sockets)
            .JoinMaterialized(VMessFlows.ClientSession(settings).JoinMat(VMessFlows.PendingSocket(_sockets), Keep.Both),
                (inboundLink, rest) => (inboundLink, rest.Item1, rest.Item2))
            .Run(_materializer);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, serverPort, ct);
        serverLink.Attach(socket);
        session.Start(new ClientSession(account, RequestHeader.CreateRandom(CryptoRandomSource.Instance, command, target,
            account.Security, account.DefaultOptions)));
        return (inboundLink, session);
    }

    private static async Task SendAsync(Socket socket, byte[] payload, CancellationToken ct)
    {
        for (var sent = 0; sent < payload.Length;)
        {
            sent += await socket.SendAsync(payload.AsMemory(sent, Math.Min(64 * 1024, payload.Length - sent)), SocketFlags.None, ct);
        }
    }

    private static async Task<byte[]> ReceiveAsync(Socket socket, int count, CancellationToken ct)
    {
        var buffer = new byte[count];
        for (var read = 0; read < count;)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, ct);
            if (n == 0) return buffer[..read];
            read += n;
        }
        return buffer;
    }

    private static DestinationAddress Loopback(int port) => DestinationAddress.FromIp(IPAddress.Loopback, (ushort)port);
}
