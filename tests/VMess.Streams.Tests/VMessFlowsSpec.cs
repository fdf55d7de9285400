using System.Net;
using System.Net.Sockets;
using Akka.Streams;
using VMess.Protocol.Addresses;
using VMess.Protocol.Headers;
using VMess.Streams.Stages;
using VMess.Streams.Tests.Support;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Streams.Tests;

/// <summary>
/// <see cref="VMessFlows.Connection"/> end to end on loopback: a client socket speaking VMess, the session,
/// and a target socket attached once the handshake named it, as the connection actor does.
/// </summary>
public sealed class VMessFlowsSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly IMaterializer _materializer;
    private readonly CountingPool _pool = new();
    private readonly SocketStageSettings _sockets;

    public VMessFlowsSpec(ITestOutputHelper output) : base(SpecConfig.Hocon, output)
    {
        _materializer = Sys.Materializer();
        _sockets = new SocketStageSettings(_pool, ReadBufferSize: 16 * 1024);
    }

    [Theory]
    [InlineData(0, SecurityType.Aes128Gcm)]
    [InlineData(TestUsers.LegacyAlterId, SecurityType.Legacy)]
    public async Task Server_connection_should_relay_a_tcp_stream_to_the_target_and_back_and_then_stop(ushort alterId, SecurityType security)
    {
        await using var echo = new TcpEchoServer();
        using var pair = await SocketPair.TcpAsync();
        using var client = new TestClient(TestUsers.Account(alterId, security), target: Loopback(echo.Port));
        var links = VMessFlows.Connection(VMessFlows.ServerSession(TestUsers.Settings(_pool)), null, null, _sockets).Run(_materializer);
        links.Client.Attach(pair.Stage);
        var payload = Payloads.Random(300_000, seed: alterId);

        await pair.SendAsync([.. client.Handshake(), .. client.Body(payload), .. client.EndOfStream()]);
        Assert.IsType<HandshakeAccepted>(await links.Handshake.WaitAsync(Timeout));
        links.Target.Attach(await LoopbackSockets.DialAsync(echo.EndPoint));
        var response = client.ReadResponse(await LoopbackSockets.ReadToEndAsync(pair.Peer));

        Assert.Equal(Payloads.Sha256Hex(payload), Payloads.Sha256Hex(response.Joined));
        Assert.True(response.EndOfStream, "no end-of-stream chunk");
        await Task.WhenAll(links.Client.Completion, links.Target.Completion).WaitAsync(Timeout);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Server_connection_should_relay_udp_datagrams_one_for_one()
    {
        await using var echo = new UdpEchoServer();
        using var pair = await SocketPair.TcpAsync();
        using var client = new TestClient(TestUsers.Account(0, SecurityType.ChaCha20Poly1305), RequestCommand.Udp, target: Loopback(echo.Port));
        var links = VMessFlows.Connection(VMessFlows.ServerSession(TestUsers.Settings(_pool)), null, null, _sockets).Run(_materializer);
        links.Client.Attach(pair.Stage);
        byte[][] datagrams = [Payloads.Random(100, seed: 1), Payloads.Random(1200, seed: 2), Payloads.Random(7, seed: 3)];

        await pair.SendAsync(client.Handshake());
        Assert.IsType<HandshakeAccepted>(await links.Handshake.WaitAsync(Timeout));
        links.Target.Attach(await LoopbackSockets.DialAsync(echo.EndPoint, SocketType.Dgram));
        var received = new List<byte>();
        var replies = new List<byte[]>();
        for (var i = 0; i < datagrams.Length; i++)
        {
            // One datagram at a time, so the echoes come back in order.
            await pair.SendAsync(client.Body(datagrams[i]));
            while (replies.Count <= i)
            {
                received.AddRange(await pair.ReceiveOnceAsync());
                replies = [.. client.ReadResponse(received.ToArray()).Payloads];
            }
        }

        Assert.Equal(datagrams, replies);
        links.Client.Abort("test over");
        await Assert.ThrowsAsync<SocketAbortedException>(() => links.Client.Completion.WaitAsync(Timeout));
        await Assert.ThrowsAnyAsync<Exception>(() => links.Target.Completion.WaitAsync(Timeout));
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    private static DestinationAddress Loopback(int port) => DestinationAddress.FromIp(IPAddress.Loopback, (ushort)port);
}
