using System.Net;
using System.Net.Sockets;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using VMess.Protocol;
using VMess.Protocol.Addresses;
using VMess.ProxyProtocols;
using VMess.ProxyProtocols.Socks;
using VMess.Streams.Buffers;
using VMess.Streams.Stages;
using VMess.Streams.Tests.Support;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Streams.Tests.Stages;

/// <summary>
/// The SOCKS inbound stage: replies written by the stage, the request handed over, bytes passed through unchanged
/// (those sent with the request first), refusals answered and closed, and UDP ASSOCIATE's hold.
/// </summary>
public sealed class SocksServerStageSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly IPEndPoint Bound = new(IPAddress.Loopback, 1080);
    private static readonly byte[] Greeting = [0x05, 0x01, 0x00];
    private static readonly byte[] ConnectReply = [0x05, 0x00, 0x00, 0x01, 127, 0, 0, 1, 0x04, 0x38];

    private readonly IMaterializer _materializer;
    private readonly CountingPool _pool = new();

    public SocksServerStageSpec(ITestOutputHelper output) : base(SpecConfig.Hocon, output)
    {
        _materializer = Sys.Materializer();
    }

    [Fact]
    public async Task Socks5_connect_should_relay_a_client_socket_to_the_destination_and_back()
    {
        await using var echo = new TcpEchoServer();
        using var pair = await SocketPair.TcpAsync();
        var links = ProxyConnection.Run(_materializer, new SocketStageSettings(_pool, 16 * 1024), VMessFlows.SocksServer(Settings(SocksAuthMode.NoAuth)));
        links.Client.Attach(pair.Stage);
        var payload = Payloads.Random(200_000, seed: 1);

        await pair.SendAsync(Greeting);
        Assert.Equal([0x05, 0x00], await pair.ReceiveExactlyAsync(2));
        await pair.SendAsync([0x05, 0x01, 0x00, 0x01, 127, 0, 0, 1, (byte)(echo.Port >> 8), (byte)echo.Port]);
        Assert.Equal(ConnectReply, await pair.ReceiveExactlyAsync(ConnectReply.Length));
        var accepted = Assert.IsType<ProxyRequestAccepted>(await links.Handshake.WaitAsync(Timeout));
        Assert.Equal(DestinationAddress.FromIp(IPAddress.Loopback, (ushort)echo.Port), accepted.Request.Destination);
        links.Target.Attach(await LoopbackSockets.DialAsync(echo.EndPoint));
        await pair.SendAsync(payload);
        pair.Peer.Shutdown(SocketShutdown.Send);

        Assert.Equal(Payloads.Sha256Hex(payload), Payloads.Sha256Hex(await LoopbackSockets.ReadToEndAsync(pair.Peer)));
        await Task.WhenAll(links.Client.Completion, links.Target.Completion).WaitAsync(Timeout);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Socks5_connect_should_forward_bytes_sent_with_the_request_before_later_ones()
    {
        byte[] early = [1, 2, 3], later = [4, 5];

        var run = await RunAsync(Settings(SocksAuthMode.NoAuth), [[.. Greeting, .. ConnectTo10_1_2_3, .. early], later], []);

        Assert.Equal([.. early, .. later], run.RequestBytes);
        Assert.Equal([0x05, 0x00, .. ConnectReply], run.ResponseBytes);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Socks5_connect_should_give_the_same_result_when_the_client_sends_one_byte_at_a_time()
    {
        byte[] input = [.. Greeting, .. ConnectTo10_1_2_3, .. Payloads.Random(50, seed: 2)];

        var run = await RunAsync(Settings(SocksAuthMode.NoAuth), Rechunk.OneByte(input), [Payloads.Random(10, seed: 3)]);

        Assert.IsType<ProxyRequestAccepted>(run.Outcome);
        Assert.Equal(input[(Greeting.Length + ConnectTo10_1_2_3.Length)..], run.RequestBytes);
        Assert.Equal([0x05, 0x00, .. ConnectReply, .. Payloads.Random(10, seed: 3)], run.ResponseBytes);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Socks5_should_write_the_outbound_response_after_its_replies_and_complete_with_it()
    {
        byte[][] replies = [Payloads.Random(3000, seed: 4), Payloads.Random(1, seed: 5)];

        var run = await RunAsync(Settings(SocksAuthMode.NoAuth), [[.. Greeting, .. ConnectTo10_1_2_3]], replies);

        Assert.Equal([0x05, 0x00, .. ConnectReply, .. replies[0], .. replies[1]], run.ResponseBytes);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Socks5_password_auth_should_name_the_user_in_the_accepted_request()
    {
        var run = await RunAsync(Settings(SocksAuthMode.Password), [[0x05, 0x01, 0x02], Credentials("user", "pass"), ConnectTo10_1_2_3], []);

        var accepted = Assert.IsType<ProxyRequestAccepted>(run.Outcome);
        Assert.Equal(new ProxyRequest(DestinationAddress.Parse("10.1.2.3", 443), ProxyCommand.Connect, "user"), accepted.Request);
        Assert.Equal([0x05, 0x02, 0x01, 0x00, .. ConnectReply], run.ResponseBytes);
    }

    [Fact]
    public async Task Socks5_auth_failure_should_reply_status_FF_then_close_without_reaching_the_outbound()
    {
        var run = await RunAsync(Settings(SocksAuthMode.Password), [[0x05, 0x01, 0x02, .. Credentials("user", "wrong")], ConnectTo10_1_2_3], [[9]]);

        var rejected = Assert.IsType<ProxyRequestRejected>(run.Outcome);
        Assert.Equal(SocksError.BadCredentials.Describe(), rejected.Reason);
        Assert.Equal([0x05, 0x02, 0x01, 0xFF], run.ResponseBytes);
        Assert.Empty(run.Requests);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Socks5_should_reply_FF_and_close_when_no_method_is_acceptable()
    {
        var run = await RunAsync(Settings(SocksAuthMode.Password), [Greeting], []);

        Assert.Equal(new ProxyRequestRejected(SocksError.NoAcceptableAuthMethod.Describe(), 3), run.Outcome);
        Assert.Equal([0x05, 0xFF], run.ResponseBytes);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Socks5_auth_failure_should_reach_a_client_socket_before_the_close()
    {
        using var pair = await SocketPair.TcpAsync();
        var links = ProxyConnection.Run(_materializer, new SocketStageSettings(_pool, 16 * 1024), VMessFlows.SocksServer(Settings(SocksAuthMode.Password)));
        links.Client.Attach(pair.Stage);

        await pair.SendAsync([0x05, 0x01, 0x02, .. Credentials("nobody", "x")]);

        Assert.Equal([0x05, 0x02, 0x01, 0xFF], await LoopbackSockets.ReadToEndAsync(pair.Peer));
        Assert.IsType<ProxyRequestRejected>(await links.Handshake.WaitAsync(Timeout));
        await links.Client.Completion.WaitAsync(Timeout);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Socks5_refusal_should_reach_a_client_that_half_closed_before_reading_it()
    {
        var outbound = Flow.FromSinkAndSource(Sink.Ignore<ByteChunk>().MapMaterializedValue(_ => NotUsed.Instance), Source.Never<ByteChunk>());
        var (client, responses) = this.SourceProbe<ByteChunk>()
            .Via(VMessFlows.SocksServer(Settings(SocksAuthMode.NoAuth)).Join(outbound))
            .Select(Rechunk.Take)
            .ToMaterialized(this.SinkProbe<byte[]>(), Keep.Both)
            .Run(_materializer);
        await client.SendNextAsync(ByteChunk.CopyOf(_pool, [.. Greeting, 0x05, 0x02, 0x00, 0x01, 10, 1, 2, 3, 0x01, 0xBB]));

        await client.SendCompleteAsync();
        await responses.RequestAsync(2);

        Assert.Equal([0x05, 0x00, 0x05, 0x07, 0x00, 0x01, 0, 0, 0, 0, 0, 0], await responses.ExpectNextAsync());
        await responses.ExpectCompleteAsync();
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Socks_stage_should_report_ClosedEarly_when_the_client_closes_inside_the_request()
    {
        var run = await RunAsync(Settings(SocksAuthMode.NoAuth), [Greeting, ConnectTo10_1_2_3[..5]], []);

        Assert.Equal(new HandshakeRejected(HandshakeRejection.ClosedEarly, DecodeError.None, 8, 0), run.Outcome);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Socks_stage_should_report_Aborted_when_the_stream_fails_during_the_handshake()
    {
        var outbound = Flow.FromSinkAndSource(Sink.Ignore<ByteChunk>().MapMaterializedValue(_ => NotUsed.Instance), Source.Never<ByteChunk>());
        var (client, handshake) = this.SourceProbe<ByteChunk>()
            .ViaMaterialized(VMessFlows.SocksServer(Settings(SocksAuthMode.NoAuth)).JoinMat(outbound, Keep.Left), Keep.Both)
            .To(Sink.Ignore<ByteChunk>())
            .Run(_materializer);
        await client.SendNextAsync(ByteChunk.CopyOf(_pool, [0x05]));

        await client.SendErrorAsync(new IOException("connection reset"));

        Assert.Equal(new HandshakeRejected(HandshakeRejection.Aborted, DecodeError.None, 1, 0), await handshake.WaitAsync(Timeout));
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Udp_associate_should_reply_with_the_relay_endpoint_and_hold_until_the_client_closes()
    {
        var relay = new IPEndPoint(IPAddress.Parse("192.168.7.1"), 5300);
        var settings = new SocksServerSettings(new SocksServerOptions(SocksAuthMode.NoAuth, ProxyAccounts.None, true, Bound, relay), _pool);
        byte[] associate = [0x05, 0x03, 0x00, 0x01, 0, 0, 0, 0, 0, 0];

        var run = await RunAsync(settings, [[.. Greeting, .. associate, 7, 7], [8, 8, 8]], [[9, 9]]);

        var accepted = Assert.IsType<ProxyRequestAccepted>(run.Outcome);
        Assert.Equal(ProxyCommand.UdpAssociate, accepted.Request.Command);
        Assert.Equal([0x05, 0x00, 0x05, 0x00, 0x00, 0x01, 192, 168, 7, 1, 0x14, 0xB4], run.ResponseBytes);
        Assert.Empty(run.Requests);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Udp_associate_should_keep_the_client_connection_open_while_the_client_keeps_it()
    {
        using var pair = await SocketPair.TcpAsync();
        var settings = new SocksServerSettings(new SocksServerOptions(SocksAuthMode.NoAuth, ProxyAccounts.None, true, Bound), _pool);
        var links = ProxyConnection.Run(_materializer, new SocketStageSettings(_pool, 16 * 1024), VMessFlows.SocksServer(settings));
        links.Client.Attach(pair.Stage);

        await pair.SendAsync([.. Greeting, 0x05, 0x03, 0x00, 0x01, 0, 0, 0, 0, 0, 0]);
        Assert.Equal([0x05, 0x00, .. ConnectReply], await pair.ReceiveExactlyAsync(12));
        Assert.IsType<ProxyRequestAccepted>(await links.Handshake.WaitAsync(Timeout));
        await pair.SendAsync([1, 2, 3]);
        Assert.False(links.Client.Completion.IsCompleted, "the hold ended before the client closed");

        pair.Peer.Shutdown(SocketShutdown.Send);
        Assert.Empty(await LoopbackSockets.ReadToEndAsync(pair.Peer));
        await links.Client.Completion.WaitAsync(Timeout);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    private static readonly byte[] ConnectTo10_1_2_3 = [0x05, 0x01, 0x00, 0x01, 10, 1, 2, 3, 0x01, 0xBB];

    private SocksServerSettings Settings(SocksAuthMode auth) =>
        new(new SocksServerOptions(auth, new ProxyAccounts([("user", "pass")]), UdpEnabled: false, Bound), _pool);

    private Task<ProxyRun> RunAsync(SocksServerSettings settings, IEnumerable<byte[]> clientPieces, IEnumerable<byte[]> outboundReplies) =>
        ProxyHarness.RunAsync(_materializer, _pool, VMessFlows.SocksServer(settings), clientPieces, outboundReplies);

    private static byte[] Credentials(string user, string password) =>
        [0x01, (byte)user.Length, .. System.Text.Encoding.ASCII.GetBytes(user), (byte)password.Length, .. System.Text.Encoding.ASCII.GetBytes(password)];
}
