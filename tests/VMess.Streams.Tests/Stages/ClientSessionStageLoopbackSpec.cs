using System.Net;
using System.Net.Sockets;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using VMess.Protocol.Addresses;
using VMess.Protocol.Headers;
using VMess.Protocol.Ids;
using VMess.Protocol.Sessions;
using VMess.Streams.Buffers;
using VMess.Streams.Stages;
using VMess.Streams.Tests.Support;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Streams.Tests.Stages;

/// <summary>
/// Our client stage against our server stage, in one process over loopback sockets: the client session writes into a
/// socket whose other end is a <see cref="VMessFlows.Connection"/>, which relays to an echo server.
/// </summary>
public sealed class ClientSessionStageLoopbackSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly IMaterializer _materializer;
    private readonly CountingPool _pool = new();
    private readonly SocketStageSettings _sockets;
    private readonly TimerWatchingClock _clock = new(DateTimeOffset.FromUnixTimeSeconds(TestUsers.Now));

    public ClientSessionStageLoopbackSpec(ITestOutputHelper output) : base(SpecConfig.Hocon, output)
    {
        _materializer = Sys.Materializer();
        _sockets = new SocketStageSettings(_pool, ReadBufferSize: 16 * 1024);
    }

    public static TheoryData<ushort, SecurityType> EveryUserAndSecurity() => TestUsers.EveryUserAndSecurity();

    [Theory, MemberData(nameof(EveryUserAndSecurity))]
    public async Task Client_session_should_carry_a_tcp_stream_through_our_server_and_back(ushort alterId, SecurityType security)
    {
        await using var echo = new TcpEchoServer();
        using var pair = await SocketPair.TcpAsync();
        var server = StartServer(pair);
        var session = NewSession(TestUsers.Account(alterId, security), RequestCommand.Tcp, Loopback(echo.Port));
        var payload = Payloads.Random(1_000_000, seed: alterId + (int)security);

        var (link, response) = Source.From(Rechunk.Random(payload, seed: 3, maxPiece: 40_000))
            .Select(bytes => ByteChunk.CopyOf(_pool, bytes))
            .ViaMaterialized(VMessFlows.ClientSession(Settings()).JoinMat(VMessFlows.Socket(pair.Peer, _sockets), Keep.Left), Keep.Right)
            .Select(Rechunk.Take)
            .ToMaterialized(Sink.Seq<byte[]>(), Keep.Both)
            .Run(_materializer);
        link.Start(session);
        await AttachTargetAsync(server, SocketType.Stream, echo.EndPoint);

        var echoed = (await response.WaitAsync(Timeout)).SelectMany(b => b).ToArray();
        Assert.Equal(Payloads.Sha256Hex(payload), Payloads.Sha256Hex(echoed));
        Assert.Equal(session.Header.ResponseAuth, (await link.Response.WaitAsync(Timeout)).ResponseAuth);
        await Task.WhenAll(server.Client.Completion, server.Target.Completion).WaitAsync(Timeout);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Client_session_should_count_the_payload_each_way_not_the_vmess_framing()
    {
        await using var echo = new TcpEchoServer();
        using var pair = await SocketPair.TcpAsync();
        var server = StartServer(pair);
        var session = NewSession(TestUsers.Account(0, SecurityType.Aes128Gcm), RequestCommand.Tcp, Loopback(echo.Port));
        var payload = Payloads.Random(300_000, seed: 11);

        var (link, response) = Source.From(Rechunk.Random(payload, seed: 4, maxPiece: 40_000))
            .Select(bytes => ByteChunk.CopyOf(_pool, bytes))
            .ViaMaterialized(VMessFlows.ClientSession(Settings()).JoinMat(VMessFlows.Socket(pair.Peer, _sockets), Keep.Left), Keep.Right)
            .Select(Rechunk.Take)
            .ToMaterialized(Sink.Seq<byte[]>(), Keep.Both)
            .Run(_materializer);
        link.Start(session);
        await AttachTargetAsync(server, SocketType.Stream, echo.EndPoint);
        await response.WaitAsync(Timeout);

        Assert.Equal((300_000L, 300_000L), (link.PayloadSent, link.PayloadReceived));
        Assert.True(server.Client.BytesRead > 300_000, $"the server read {server.Client.BytesRead} bytes: the framing is not in the payload counts");
        await Task.WhenAll(server.Client.Completion, server.Target.Completion).WaitAsync(Timeout);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Client_session_should_carry_udp_datagrams_one_for_one()
    {
        await using var echo = new UdpEchoServer();
        using var pair = await SocketPair.TcpAsync();
        var server = StartServer(pair);
        var session = NewSession(TestUsers.Account(TestUsers.LegacyAlterId, SecurityType.Aes128Gcm), RequestCommand.Udp, Loopback(echo.Port));
        byte[][] datagrams = [Payloads.Random(100, seed: 1), Payloads.Random(1200, seed: 2), Payloads.Random(7, seed: 3)];

        var ((requests, link), replies) = this.SourceProbe<ByteChunk>()
            .ViaMaterialized(VMessFlows.ClientSession(Settings()).JoinMat(VMessFlows.Socket(pair.Peer, _sockets), Keep.Left), Keep.Both)
            .Select(Rechunk.Take)
            .ToMaterialized(this.SinkProbe<byte[]>(), Keep.Both)
            .Run(_materializer);
        link.Start(session);
        await requests.SendNextAsync(ByteChunk.CopyOf(_pool, datagrams[0]));
        await AttachTargetAsync(server, SocketType.Dgram, echo.EndPoint);
        await replies.RequestAsync(datagrams.Length + 1);
        Assert.Equal(datagrams[0], await replies.ExpectNextAsync(Timeout));
        foreach (var datagram in datagrams[1..])
        {
            // One datagram at a time, so the echoes come back in order.
            await requests.SendNextAsync(ByteChunk.CopyOf(_pool, datagram));
            Assert.Equal(datagram, await replies.ExpectNextAsync(Timeout));
        }

        // A UDP target never ends by itself: the request ends, then the server side is closed.
        await requests.SendCompleteAsync();
        server.Client.Abort("test over");
        await replies.ExpectCompleteAsync();
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Request_header_should_go_out_alone_after_the_delay_when_the_server_speaks_first()
    {
        var greeting = "220 greetings from a server that speaks first\r\n"u8.ToArray();
        await using var target = new LoopbackTcpServer(async (socket, stop) =>
        {
            await socket.SendAsync(greeting, SocketFlags.None, stop);
            socket.Shutdown(SocketShutdown.Send);
        });
        using var pair = await SocketPair.TcpAsync();
        var server = StartServer(pair);
        var session = NewSession(TestUsers.Account(0, SecurityType.Aes128Gcm), RequestCommand.Tcp, Loopback(target.Port));

        var ((requests, link), replies) = this.SourceProbe<ByteChunk>()
            .ViaMaterialized(VMessFlows.ClientSession(Settings()).JoinMat(VMessFlows.Socket(pair.Peer, _sockets), Keep.Left), Keep.Both)
            .Select(Rechunk.Take)
            .ToMaterialized(this.SinkProbe<byte[]>(), Keep.Both)
            .Run(_materializer);
        link.Start(session);
        await _clock.TimerCreated.WaitAsync(Timeout);
        _clock.Advance(ClientSessionSettings.DefaultHeaderFlushDelay);
        await AttachTargetAsync(server, SocketType.Stream, target.EndPoint);
        await replies.RequestAsync(2);

        Assert.Equal(greeting, await replies.ExpectNextAsync(Timeout));
        await replies.ExpectCompleteAsync();
        await requests.SendCompleteAsync();
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Response_should_fault_when_the_server_does_not_know_the_user()
    {
        using var pair = await SocketPair.TcpAsync();
        var server = StartServer(pair);
        var stranger = new ClientAccount(VMessUserId.Parse("0b6a3c6e-8a55-4d39-a7f4-3d0b2a9c1e77"), 0, SecurityType.Aes128Gcm);

        var (link, response) = Source.Single(ByteChunk.CopyOf(_pool, [1, 2, 3])).Concat(Source.Never<ByteChunk>())
            .ViaMaterialized(VMessFlows.ClientSession(Settings()).JoinMat(VMessFlows.Socket(pair.Peer, _sockets), Keep.Left), Keep.Right)
            .Select(Rechunk.Take)
            .ToMaterialized(Sink.Seq<byte[]>(), Keep.Both)
            .Run(_materializer);
        link.Start(NewSession(stranger, RequestCommand.Tcp, Loopback(9)));

        Assert.IsType<HandshakeRejected>(await server.Handshake.WaitAsync(Timeout));
        var failure = await Assert.ThrowsAsync<VMessServerRefusedException>(() => link.Response.WaitAsync(Timeout));
        Assert.Equal(ClientSessionStage.ClosedBeforeResponse, failure.Message);
        await Assert.ThrowsAsync<VMessServerRefusedException>(() => response.WaitAsync(Timeout));
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    private ClientSessionSettings Settings() => new(_pool, new SeededRandomSource(11), _clock);

    private static ClientSession NewSession(ClientAccount account, RequestCommand command, DestinationAddress target) =>
        new(account, RequestHeader.CreateRandom(new SeededRandomSource(account.AlterId + (int)account.Security), command, target,
            account.Security, account.DefaultOptions));

    private ConnectionLinks StartServer(SocketPair pair)
    {
        var links = VMessFlows.Connection(VMessFlows.ServerSession(TestUsers.Settings(_pool)), null, null, _sockets).Run(_materializer);
        links.Client.Attach(pair.Stage);
        return links;
    }

    // As the connection actor does: dial the target once the handshake named it.
    private static async Task AttachTargetAsync(ConnectionLinks server, SocketType type, IPEndPoint target)
    {
        Assert.IsType<HandshakeAccepted>(await server.Handshake.WaitAsync(Timeout));
        var socket = new Socket(AddressFamily.InterNetwork, type, type == SocketType.Stream ? ProtocolType.Tcp : ProtocolType.Udp);
        await socket.ConnectAsync(target);
        server.Target.Attach(socket);
    }

    private static DestinationAddress Loopback(int port) => DestinationAddress.FromIp(IPAddress.Loopback, (ushort)port);
}
