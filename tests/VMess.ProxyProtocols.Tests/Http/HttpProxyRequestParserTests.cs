using System.Buffers;
using System.Text;
using VMess.Protocol.Addresses;
using VMess.ProxyProtocols.Http;
using static VMess.ProxyProtocols.Tests.Support.Bytes;

namespace VMess.ProxyProtocols.Tests.Http;

/// <summary>Request heads sent to an HTTP proxy: CONNECT, absolute-URI requests rewritten for the server, auth, and what V2Ray answers when it refuses.</summary>
public sealed class HttpProxyRequestParserTests
{
    private static readonly HttpProxyOptions Open = new(ProxyAccounts.None);
    private static readonly HttpProxyOptions WithAccounts = new(new ProxyAccounts([("alice", "s3cret")]));
    private static readonly HttpProxyOptions Transparent = Open with { AllowTransparent = true };

    // "alice:s3cret"
    private const string AliceBasic = "Basic YWxpY2U6czNjcmV0";

    [Fact]
    public void Connect_should_name_the_destination_and_answer_200_connection_established()
    {
        var head = Ascii("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\nUser-Agent: curl\r\n\r\n");

        var result = ParseDone(head, Open);

        Assert.Equal(new ProxyRequest(DestinationAddress.FromDomain("example.com", 443), ProxyCommand.Connect, null), result.Request);
        Assert.True(result.IsConnect);
        Assert.Equal("HTTP/1.1 200 Connection established\r\n\r\n", Text(result.Reply));
        Assert.True(result.ForwardedHead.IsEmpty);
    }

    [Fact]
    public void Connect_should_consume_only_the_head_and_leave_early_bytes_for_the_destination()
    {
        var head = Ascii("CONNECT example.com:443 HTTP/1.1\r\n\r\n");

        var status = HttpProxyRequestParser.Parse(Concat(head, Hex("160301")), Open, out _, out var consumed, out _);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(head.Length, consumed);
    }

    [Theory]
    [InlineData("example.com", "example.com", 80)]   // V2Ray's default port, even for CONNECT
    [InlineData("10.0.0.1:22", "10.0.0.1", 22)]
    [InlineData("[2001:db8::1]:8443", "2001:db8::1", 8443)]
    [InlineData("example.com:", "example.com", 80)]
    public void Connect_should_read_host_and_port(string target, string host, int port)
    {
        var result = ParseDone(Ascii($"CONNECT {target} HTTP/1.1\r\n\r\n"), Open);

        Assert.Equal(DestinationAddress.Parse(host, (ushort)port), result.Request.Destination);
    }

    [Fact]
    public void Plain_request_should_be_rewritten_to_origin_form_without_proxy_headers_and_with_Connection_close()
    {
        var head = Ascii(
            "GET http://example.com/path/page?q=1 HTTP/1.1\r\n" +
            "Host: example.com\r\n" +
            "User-Agent: test\r\n" +
            "Proxy-Connection: keep-alive\r\n" +
            "Accept: */*\r\n\r\n");

        var result = ParseDone(head, Open);

        Assert.Equal(DestinationAddress.FromDomain("example.com", 80), result.Request.Destination);
        Assert.False(result.IsConnect);
        Assert.True(result.Reply.IsEmpty);
        Assert.Equal(
            "GET /path/page?q=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: test\r\nAccept: */*\r\nConnection: close\r\n\r\n",
            Text(result.ForwardedHead));
    }

    [Theory]
    [InlineData("http://example.com", "/")]
    [InlineData("http://example.com?x=1", "/?x=1")]
    [InlineData("http://example.com/a#frag", "/a")]
    [InlineData("http://user:pw@example.com/a", "/a")]
    public void Plain_request_should_send_an_origin_form_path(string uri, string path)
    {
        var result = ParseDone(Ascii($"GET {uri} HTTP/1.1\r\n\r\n"), Open);

        Assert.StartsWith($"GET {path} HTTP/1.1\r\nHost: example.com\r\n", Text(result.ForwardedHead));
    }

    [Theory]
    [InlineData("http://example.com:8080/", 8080, "example.com:8080")]
    [InlineData("https://example.com/", 443, "example.com")]
    [InlineData("HTTP://example.com/", 80, "example.com")]
    public void Plain_request_should_take_port_and_Host_from_the_URI(string uri, int port, string host)
    {
        var result = ParseDone(Ascii($"GET {uri} HTTP/1.1\r\nHost: elsewhere.org\r\n\r\n"), Open);

        Assert.Equal(port, result.Request.Destination.Port);
        Assert.Equal($"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n", Text(result.ForwardedHead));
    }

    [Fact]
    public void Plain_request_should_drop_hop_by_hop_headers_and_those_Connection_names()
    {
        var head = Ascii(
            "POST http://example.com/upload HTTP/1.1\r\n" +
            "Connection: keep-alive, X-Hop\r\n" +
            "Keep-Alive: timeout=5\r\n" +
            "X-Hop: 1\r\n" +
            "TE: trailers\r\n" +
            "Trailers: X-Sum\r\n" +
            "Upgrade: h2c\r\n" +
            "Proxy-Authorization: Basic Zm9vOmJhcg==\r\n" +
            "Proxy-Authenticate: Basic\r\n" +
            "X-End-To-End: yes\r\n" +
            "Content-Length: 4\r\n\r\n");

        var status = HttpProxyRequestParser.Parse(Concat(head, Ascii("body")), Open, out var result, out var consumed, out _);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(head.Length, consumed);
        Assert.Equal(
            "POST /upload HTTP/1.1\r\nHost: example.com\r\nX-End-To-End: yes\r\nContent-Length: 4\r\nConnection: close\r\n\r\n",
            Text(result!.ForwardedHead));
    }

    [Fact]
    public void Plain_request_should_keep_the_body_framing_even_when_Connection_names_it()
    {
        var head = Ascii("POST http://example.com/ HTTP/1.1\r\nConnection: Transfer-Encoding, Content-Length\r\nTransfer-Encoding: chunked\r\n\r\n");

        var result = ParseDone(head, Open);

        Assert.Contains("\r\nTransfer-Encoding: chunked\r\n", Text(result.ForwardedHead));
    }

    [Fact]
    public void Plain_HTTP_1_0_request_should_be_sent_as_HTTP_1_1_as_V2Ray_does()
    {
        var result = ParseDone(Ascii("GET http://example.com/ HTTP/1.0\r\n\r\n"), Open);

        Assert.StartsWith("GET / HTTP/1.1\r\n", Text(result.ForwardedHead));
    }

    [Fact]
    public void Parser_should_accept_bare_LF_line_ends_as_Gos_reader_does()
    {
        var result = ParseDone(Ascii("GET http://example.com/ HTTP/1.1\nAccept: */*\n\n"), Open);

        Assert.Equal("GET / HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\nConnection: close\r\n\r\n", Text(result.ForwardedHead));
    }

    [Fact]
    public void Origin_form_request_should_get_400_when_transparent_forwarding_is_off()
    {
        var status = Parse("GET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n", Open, out var error);

        Assert.Equal(OperationStatus.InvalidData, status);
        Assert.Equal(HttpProxyError.NotAProxyRequest, error);
        Assert.Equal("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nProxy-Connection: close\r\nContent-Length: 0\r\n\r\n",
            Text(HttpProxyResponses.For(error)));
    }

    [Fact]
    public void Origin_form_request_should_go_to_its_Host_header_when_transparent_forwarding_is_on()
    {
        var result = ParseDone(Ascii("GET /index.html HTTP/1.1\r\nHost: example.com:8080\r\nAccept: */*\r\n\r\n"), Transparent);

        Assert.Equal(DestinationAddress.FromDomain("example.com", 8080), result.Request.Destination);
        Assert.Equal("GET /index.html HTTP/1.1\r\nHost: example.com:8080\r\nAccept: */*\r\nConnection: close\r\n\r\n", Text(result.ForwardedHead));
    }

    [Fact]
    public void Origin_form_request_without_Host_should_be_refused_without_a_reply()
    {
        Assert.Equal(OperationStatus.InvalidData, Parse("GET / HTTP/1.1\r\n\r\n", Transparent, out var error));
        Assert.Equal(HttpProxyError.MissingHost, error);
        Assert.True(HttpProxyResponses.For(error).IsEmpty);
    }

    [Fact]
    public void Valid_Proxy_Authorization_should_be_accepted_and_name_the_user()
    {
        var result = ParseDone(Ascii($"CONNECT example.com:443 HTTP/1.1\r\nproxy-authorization: {AliceBasic}\r\n\r\n"), WithAccounts);

        Assert.Equal("alice", result.Request.User);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Proxy-Authorization: Basic YWxpY2U6d3Jvbmc=\r\n")]   // alice:wrong
    [InlineData("Proxy-Authorization: Basic Ym9iOnMzY3JldA==\r\n")]   // bob:s3cret
    [InlineData("Proxy-Authorization: Basic YWxpY2VzM2NyZXQ=\r\n")]   // no colon
    [InlineData("Proxy-Authorization: Basic !!!\r\n")]
    [InlineData("Proxy-Authorization: Bearer YWxpY2U6czNjcmV0\r\n")]
    [InlineData("Authorization: Basic YWxpY2U6czNjcmV0\r\n")]
    public void Missing_or_wrong_Proxy_Authorization_should_get_407_with_a_Basic_challenge(string header)
    {
        var status = Parse($"GET http://example.com/ HTTP/1.1\r\n{header}\r\n", WithAccounts, out var error);

        Assert.Equal(OperationStatus.InvalidData, status);
        Assert.Equal(HttpProxyError.AuthenticationRequired, error);
        Assert.Equal("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"proxy\"\r\n\r\n",
            Text(HttpProxyResponses.For(error)));
    }

    [Fact]
    public void Authentication_should_be_checked_before_the_destination_as_V2Ray_does()
    {
        Parse("GET /not-a-proxy-request HTTP/1.1\r\n\r\n", WithAccounts, out var error);

        Assert.Equal(HttpProxyError.AuthenticationRequired, error);
    }

    [Theory]
    [InlineData("GET\r\n\r\n", HttpProxyError.MalformedRequestLine)]
    [InlineData("GET http://example.com/\r\n\r\n", HttpProxyError.MalformedRequestLine)]
    [InlineData("GET  HTTP/1.1\r\n\r\n", HttpProxyError.MalformedRequestLine)]
    [InlineData("G(T http://example.com/ HTTP/1.1\r\n\r\n", HttpProxyError.MalformedRequestLine)]
    [InlineData("GET http://example.com/ FTP/1.1\r\n\r\n", HttpProxyError.MalformedRequestLine)]
    [InlineData("\r\nGET http://example.com/ HTTP/1.1\r\n\r\n", HttpProxyError.MalformedRequestLine)]
    [InlineData("CONNECT /path HTTP/1.1\r\n\r\n", HttpProxyError.MalformedRequestLine)]
    [InlineData("GET example.com/ HTTP/1.1\r\n\r\n", HttpProxyError.MalformedRequestLine)]
    [InlineData("PRI * HTTP/2.0\r\n\r\n", HttpProxyError.UnsupportedVersion)]
    [InlineData("GET http://example.com/ HTTP/1.1\r\nNoColon\r\n\r\n", HttpProxyError.MalformedHeader)]
    [InlineData("GET http://example.com/ HTTP/1.1\r\nName : value\r\n\r\n", HttpProxyError.MalformedHeader)]
    [InlineData("GET http://example.com/ HTTP/1.1\r\nA: b\r\n folded\r\n\r\n", HttpProxyError.MalformedHeader)]
    [InlineData("GET http://example.com/ HTTP/1.1\r\nA: b\0c\r\n\r\n", HttpProxyError.MalformedHeader)]
    [InlineData("GET ftp://example.com/file HTTP/1.1\r\n\r\n", HttpProxyError.UnsupportedScheme)]
    [InlineData("GET http:///path HTTP/1.1\r\n\r\n", HttpProxyError.InvalidHost)]
    [InlineData("GET http://exa%mple.com/ HTTP/1.1\r\n\r\n", HttpProxyError.InvalidHost)]
    [InlineData("CONNECT example.com:65536 HTTP/1.1\r\n\r\n", HttpProxyError.InvalidHost)]
    [InlineData("CONNECT example.com:https HTTP/1.1\r\n\r\n", HttpProxyError.InvalidHost)]
    [InlineData("CONNECT 2001:db8::1 HTTP/1.1\r\n\r\n", HttpProxyError.InvalidHost)]
    [InlineData("CONNECT [2001:db8::1 HTTP/1.1\r\n\r\n", HttpProxyError.InvalidHost)]
    [InlineData("CONNECT [example.com]:443 HTTP/1.1\r\n\r\n", HttpProxyError.InvalidHost)]
    public void Malformed_request_should_be_refused_without_a_reply_as_V2Ray_closes(string head, HttpProxyError expected)
    {
        var status = Parse(head, Open, out var error);

        Assert.Equal(OperationStatus.InvalidData, status);
        Assert.Equal(expected, error);
        Assert.True(HttpProxyResponses.For(error).IsEmpty);
    }

    [Fact]
    public void Parser_should_return_NeedMoreData_and_consume_nothing_for_every_truncated_head()
    {
        var head = Ascii($"GET http://example.com/a HTTP/1.1\r\nHost: example.com\r\nProxy-Authorization: {AliceBasic}\r\n\r\n");

        for (var length = 0; length < head.Length; length++)
        {
            var status = HttpProxyRequestParser.Parse(head.AsSpan(0, length), WithAccounts, out var result, out var consumed, out var error);

            Assert.True(status == OperationStatus.NeedMoreData, $"{status} {error} at prefix {length}");
            Assert.Equal(0, consumed);
            Assert.Null(result);
        }
        Assert.Equal("alice", ParseDone(head, WithAccounts).Request.User);
    }

    [Fact]
    public void Parser_should_refuse_a_head_that_does_not_end_within_the_limit()
    {
        var options = Open with { MaxHeadSize = 64 };
        var start = Ascii("GET http://example.com/ HTTP/1.1\r\nX-Long: " + new string('a', 100));

        Assert.Equal(OperationStatus.NeedMoreData, HttpProxyRequestParser.Parse(start.AsSpan(0, 63), options, out _, out _, out _));
        var status = HttpProxyRequestParser.Parse(start.AsSpan(0, 64), options, out _, out _, out var error);

        Assert.Equal(OperationStatus.InvalidData, status);
        Assert.Equal(HttpProxyError.HeadTooLarge, error);
        Assert.Equal("request header too large", error.Describe());
    }

    [Fact]
    public void Parser_should_refuse_a_whole_head_longer_than_the_limit_and_accept_one_exactly_at_it()
    {
        var head = Ascii("GET http://example.com/ HTTP/1.1\r\nX-Pad: aaaa\r\n\r\n");

        Assert.Equal(OperationStatus.Done, HttpProxyRequestParser.Parse(head, Open with { MaxHeadSize = head.Length }, out _, out _, out _));
        HttpProxyRequestParser.Parse(head, Open with { MaxHeadSize = head.Length - 1 }, out _, out _, out var error);
        Assert.Equal(HttpProxyError.HeadTooLarge, error);
    }

    [Fact]
    public void Default_head_limit_should_be_8_KiB()
    {
        Assert.Equal(8192, new HttpProxyOptions(ProxyAccounts.None).MaxHeadSize);
    }

    private static HttpProxyHead ParseDone(byte[] head, HttpProxyOptions options)
    {
        var status = HttpProxyRequestParser.Parse(head, options, out var result, out var consumed, out var error);
        Assert.True(status == OperationStatus.Done, $"{status} {error}");
        Assert.Equal(head.Length, consumed);
        return result!;
    }

    private static OperationStatus Parse(string head, HttpProxyOptions options, out HttpProxyError error) =>
        HttpProxyRequestParser.Parse(Ascii(head), options, out _, out _, out error);

    private static string Text(ReadOnlyMemory<byte> bytes) => Encoding.ASCII.GetString(bytes.Span);
}
