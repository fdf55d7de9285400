using System.Net;
using System.Net.Sockets;
using System.Text;
using Akka.Streams;
using VMess.Protocol;
using VMess.Protocol.Addresses;
using VMess.ProxyProtocols;
using VMess.ProxyProtocols.Http;
using VMess.Streams.Stages;
using VMess.Streams.Tests.Support;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Streams.Tests.Stages;

/// <summary>
/// The HTTP proxy inbound stage: CONNECT answered and passed through, a plain request's rewritten head sent first
/// with what followed it, refusals answered as V2Ray answers them and closed.
/// </summary>
public sealed class HttpProxyStageSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private const string Established = "HTTP/1.1 200 Connection established\r\n\r\n";

    private readonly IMaterializer _materializer;
    private readonly CountingPool _pool = new();

    public HttpProxyStageSpec(ITestOutputHelper output) : base(SpecConfig.Hocon, output)
    {
        _materializer = Sys.Materializer();
    }

    [Fact]
    public async Task Connect_should_answer_200_and_relay_a_client_socket_to_the_destination_and_back()
    {
        await using var echo = new TcpEchoServer();
        using var pair = await SocketPair.TcpAsync();
        var links = ProxyConnection.Run(_materializer, new SocketStageSettings(_pool, 16 * 1024), VMessFlows.HttpProxy(Settings()));
        links.Client.Attach(pair.Stage);
        var early = Payloads.Random(517, seed: 1);  // a TLS ClientHello sent without waiting for the 200
        var payload = Payloads.Random(100_000, seed: 2);

        await pair.SendAsync([.. Ascii($"CONNECT 127.0.0.1:{echo.Port} HTTP/1.1\r\nHost: 127.0.0.1:{echo.Port}\r\n\r\n"), .. early]);
        Assert.Equal(Established, Encoding.ASCII.GetString(await pair.ReceiveExactlyAsync(Established.Length)));
        var accepted = Assert.IsType<ProxyRequestAccepted>(await links.Handshake.WaitAsync(Timeout));
        Assert.Equal(DestinationAddress.FromIp(IPAddress.Loopback, (ushort)echo.Port), accepted.Request.Destination);
        links.Target.Attach(await LoopbackSockets.DialAsync(echo.EndPoint));
        await pair.SendAsync(payload);
        pair.Peer.Shutdown(SocketShutdown.Send);

        var echoed = await LoopbackSockets.ReadToEndAsync(pair.Peer);
        Assert.Equal(Payloads.Sha256Hex([.. early, .. payload]), Payloads.Sha256Hex(echoed));
        await Task.WhenAll(links.Client.Completion, links.Target.Completion).WaitAsync(Timeout);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Plain_request_should_send_the_rewritten_head_and_the_body_start_as_the_first_element()
    {
        var head = "POST http://example.com:8080/form HTTP/1.1\r\nHost: example.com:8080\r\nProxy-Connection: keep-alive\r\nContent-Length: 9\r\n\r\n";

        var run = await RunAsync(Settings(), [Ascii(head + "name="), Ascii("test")], []);

        Assert.Equal(new ProxyRequestAccepted(new ProxyRequest(DestinationAddress.FromDomain("example.com", 8080), ProxyCommand.Connect, null)), run.Outcome);
        Assert.Equal("POST /form HTTP/1.1\r\nHost: example.com:8080\r\nContent-Length: 9\r\nConnection: close\r\n\r\nname=",
            Encoding.ASCII.GetString(run.Requests[0]));
        Assert.Equal("test", Encoding.ASCII.GetString(run.Requests[1]));
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Plain_request_should_pass_the_server_response_back_untouched_and_write_nothing_itself()
    {
        var response = Ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi");

        var run = await RunAsync(Settings(), [Ascii("GET http://example.com/ HTTP/1.1\r\n\r\n")], [response[..10], response[10..]]);

        Assert.Equal(response, run.ResponseBytes);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Plain_request_sent_one_byte_at_a_time_should_be_rewritten_the_same()
    {
        var run = await RunAsync(Settings(), Rechunk.OneByte(Ascii("GET http://example.com/a HTTP/1.1\r\nAccept: */*\r\n\r\n")), []);

        Assert.Equal("GET /a HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\nConnection: close\r\n\r\n", Encoding.ASCII.GetString(run.RequestBytes));
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Connect_should_write_the_outbound_response_after_the_200()
    {
        var run = await RunAsync(Settings(), [Ascii("CONNECT example.com:443 HTTP/1.1\r\n\r\n")], [Ascii("server hello")]);

        Assert.Equal(Established + "server hello", run.ResponseText);
        Assert.Empty(run.Requests);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Wrong_credentials_should_get_407_then_the_stage_closes()
    {
        var settings = Settings() with { Options = new HttpProxyOptions(new ProxyAccounts([("alice", "s3cret")])) };
        var request = Ascii("GET http://example.com/ HTTP/1.1\r\nProxy-Authorization: Basic YWxpY2U6d3Jvbmc=\r\n\r\n");

        var run = await RunAsync(settings, [request], [Ascii("never")]);

        Assert.Equal(new ProxyRequestRejected(HttpProxyError.AuthenticationRequired.Describe(), request.Length), run.Outcome);
        Assert.Equal("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"proxy\"\r\n\r\n", run.ResponseText);
        Assert.Empty(run.Requests);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Origin_form_request_should_get_400_when_transparent_forwarding_is_off()
    {
        var run = await RunAsync(Settings(), [Ascii("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n")], []);

        Assert.IsType<ProxyRequestRejected>(run.Outcome);
        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", run.ResponseText);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task A_head_over_the_limit_should_be_refused_without_a_reply()
    {
        var settings = Settings() with { Options = new HttpProxyOptions(ProxyAccounts.None, MaxHeadSize: 1024) };
        var pieces = Rechunk.Random(Ascii("GET http://example.com/ HTTP/1.1\r\nX-Pad: " + new string('a', 3000) + "\r\n\r\n"), seed: 3, maxPiece: 200);

        var run = await RunAsync(settings, pieces, []);

        Assert.Equal("request header too large", Assert.IsType<ProxyRequestRejected>(run.Outcome).Reason);
        Assert.Empty(run.Responses);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Http_stage_should_report_ClosedEarly_when_the_client_closes_inside_the_head()
    {
        var run = await RunAsync(Settings(), [Ascii("GET http://example.com/ HTTP/1.1\r\n")], []);

        Assert.Equal(new HandshakeRejected(HandshakeRejection.ClosedEarly, DecodeError.None, 34, 0), run.Outcome);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    private HttpProxySettings Settings() => new(new HttpProxyOptions(ProxyAccounts.None), _pool);

    private Task<ProxyRun> RunAsync(HttpProxySettings settings, IEnumerable<byte[]> clientPieces, IEnumerable<byte[]> outboundReplies) =>
        ProxyHarness.RunAsync(_materializer, _pool, VMessFlows.HttpProxy(settings), clientPieces, outboundReplies);

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
}
