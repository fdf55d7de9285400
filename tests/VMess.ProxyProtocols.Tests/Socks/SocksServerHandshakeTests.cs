using System.Buffers;
using System.Net;
using VMess.Protocol.Addresses;
using VMess.ProxyProtocols.Socks;
using VMess.ProxyProtocols.Tests.Support;
using static VMess.ProxyProtocols.Tests.Support.Bytes;

namespace VMess.ProxyProtocols.Tests.Socks;

/// <summary>Byte-exact SOCKS4, SOCKS4a and SOCKS5 handshakes against V2Ray 4.34's replies, in any chunking.</summary>
public sealed class SocksServerHandshakeTests
{
    // Replies carry the inbound's listen address and port: 127.0.0.1:1080.
    private static readonly IPEndPoint Bound = new(IPAddress.Loopback, 1080);
    private const string BoundReply = "01 7F000001 0438";
    private static readonly IPEndPoint UdpRelay = new(IPAddress.Parse("192.168.1.2"), 1081);

    private static readonly SocksServerOptions NoAuth = new(SocksAuthMode.NoAuth, ProxyAccounts.None, UdpEnabled: false, Bound);
    private static readonly SocksServerOptions WithPassword = new(SocksAuthMode.Password, new ProxyAccounts([("user", "pass")]), UdpEnabled: false, Bound);
    private static readonly SocksServerOptions WithUdp = NoAuth with { UdpEnabled = true, UdpRelayEndpoint = UdpRelay };

    private static readonly byte[] Greeting = Hex("05 01 00");
    private static readonly byte[] ConnectIPv4 = Hex("05 01 00 01 0A010203 01BB");

    [Fact]
    public void Socks5_connect_should_reply_method_then_success_with_the_bound_address()
    {
        var run = SocksDriver.Run(NoAuth, Concat(Greeting, ConnectIPv4));

        Assert.Equal(OperationStatus.Done, run.Status);
        Assert.Equal(Hex("05 00" + "05 00 00" + BoundReply), run.Replies);
        Assert.Equal(new ProxyRequest(DestinationAddress.Parse("10.1.2.3", 443), ProxyCommand.Connect, null), run.Request);
    }

    [Fact]
    public void Socks5_connect_should_read_a_domain()
    {
        var run = SocksDriver.Run(NoAuth, Greeting, Hex("05 01 00 03 0B"), Ascii("example.com"), Hex("0050"));

        Assert.Equal(DestinationAddress.FromDomain("example.com", 80), run.Request!.Destination);
    }

    [Fact]
    public void Socks5_connect_should_read_an_IPv6_address()
    {
        var run = SocksDriver.Run(NoAuth, Greeting, Hex("05 01 00 04 20010db8000000000000000000000001 1F90"));

        Assert.Equal(DestinationAddress.Parse("2001:db8::1", 8080), run.Request!.Destination);
    }

    [Fact]
    public void Socks5_connect_should_turn_an_IP_literal_domain_into_an_IP_as_V2Ray_does()
    {
        var run = SocksDriver.Run(NoAuth, Greeting, Hex("05 01 00 03 07"), Ascii("1.2.3.4"), Hex("0050"));

        Assert.Equal(AddressType.IPv4, run.Request!.Destination.Type);
    }

    [Fact]
    public void Socks5_should_treat_Tor_resolve_as_connect_as_V2Ray_does()
    {
        var run = SocksDriver.Run(NoAuth, Greeting, Hex("05 F0 00 01 0A010203 01BB"));

        Assert.Equal(ProxyCommand.Connect, run.Request!.Command);
    }

    [Fact]
    public void Socks5_should_reply_with_an_IPv6_bound_address_when_listening_on_IPv6()
    {
        var options = NoAuth with { BoundEndpoint = new IPEndPoint(IPAddress.IPv6Loopback, 1080) };

        var run = SocksDriver.Run(options, Concat(Greeting, ConnectIPv4));

        Assert.Equal(Hex("05 00" + "05 00 00 04 00000000000000000000000000000001 0438"), run.Replies);
    }

    [Fact]
    public void Socks5_should_leave_the_bytes_after_the_request_for_the_destination()
    {
        var early = Ascii("early TLS hello");

        var run = SocksDriver.Run(NoAuth, Concat(Greeting, ConnectIPv4, early));

        Assert.Equal(early, run.Leftover);
    }

    [Fact]
    public void Socks5_password_auth_should_reply_method_2_then_status_0_and_name_the_user()
    {
        var run = SocksDriver.Run(WithPassword, Hex("05 02 00 02"), Hex("01 04"), Ascii("user"), Hex("04"), Ascii("pass"), ConnectIPv4);

        Assert.Equal(OperationStatus.Done, run.Status);
        Assert.Equal(Hex("05 02" + "01 00" + "05 00 00" + BoundReply), run.Replies);
        Assert.Equal("user", run.Request!.User);
    }

    [Theory]
    [InlineData("user", "wrong")]
    [InlineData("other", "pass")]
    [InlineData("", "")]
    public void Socks5_password_auth_should_reply_status_FF_for_bad_credentials(string user, string password)
    {
        var run = SocksDriver.Run(WithPassword, Hex("05 01 02"), Credentials(user, password), ConnectIPv4);

        Assert.Equal(OperationStatus.InvalidData, run.Status);
        Assert.Equal(SocksError.BadCredentials, run.Error);
        Assert.Equal(Hex("05 02" + "01 FF"), run.Replies);
    }

    [Theory]
    [InlineData("05 01 02")]       // offers only password, server wants none
    [InlineData("05 00")]          // offers nothing
    [InlineData("05 02 01 80")]    // GSSAPI and a private method
    public void Socks5_should_reply_FF_when_no_offered_method_is_the_configured_one(string greeting)
    {
        var run = SocksDriver.Run(NoAuth, Hex(greeting), ConnectIPv4);

        Assert.Equal(SocksError.NoAcceptableAuthMethod, run.Error);
        Assert.Equal(Hex("05 FF"), run.Replies);
    }

    [Fact]
    public void Socks5_should_reply_FF_to_a_client_without_password_when_one_is_required()
    {
        var run = SocksDriver.Run(WithPassword, Greeting);

        Assert.Equal(SocksError.NoAcceptableAuthMethod, run.Error);
        Assert.Equal(Hex("05 FF"), run.Replies);
    }

    [Fact]
    public void Socks5_should_refuse_BIND_with_07_as_soon_as_the_command_is_read()
    {
        var run = SocksDriver.Run(NoAuth, Greeting, Hex("05 02 00"));

        Assert.Equal(SocksError.UnsupportedCommand, run.Error);
        Assert.Equal(Hex("05 00" + "05 07 00 01 00000000 0000"), run.Replies);
    }

    [Fact]
    public void Socks5_should_refuse_an_unknown_command_with_07()
    {
        var run = SocksDriver.Run(NoAuth, Greeting, Hex("05 09 00 01 0A010203 01BB"));

        Assert.Equal(SocksError.UnsupportedCommand, run.Error);
        Assert.Equal(Hex("05 00" + "05 07 00 01 00000000 0000"), run.Replies);
    }

    [Fact]
    public void Socks5_should_refuse_udp_associate_with_07_when_udp_is_off()
    {
        var run = SocksDriver.Run(NoAuth, Greeting, Hex("05 03 00 01 00000000 0000"));

        Assert.Equal(SocksError.UdpNotEnabled, run.Error);
        Assert.Equal(Hex("05 00" + "05 07 00 01 00000000 0000"), run.Replies);
    }

    [Fact]
    public void Socks5_udp_associate_should_reply_with_the_udp_relay_endpoint()
    {
        var run = SocksDriver.Run(WithUdp, Greeting, Hex("05 03 00 01 00000000 0000"));

        Assert.Equal(Hex("05 00" + "05 00 00 01 C0A80102 0439"), run.Replies);
        Assert.Equal(new ProxyRequest(DestinationAddress.Parse("0.0.0.0", 0), ProxyCommand.UdpAssociate, null), run.Request);
    }

    [Fact]
    public void Socks5_udp_associate_should_reply_with_the_bound_endpoint_when_no_relay_endpoint_is_set()
    {
        var run = SocksDriver.Run(NoAuth with { UdpEnabled = true }, Greeting, Hex("05 03 00 01 00000000 0000"));

        Assert.Equal(Hex("05 00" + "05 00 00" + BoundReply), run.Replies);
        Assert.Equal(ProxyCommand.UdpAssociate, run.Request!.Command);
    }

    [Theory]
    [InlineData("05 01 00 02 0A010203 01BB")]   // type 2 is not a SOCKS address type
    [InlineData("05 01 00 03 00 0050")]          // empty domain
    [InlineData("05 01 00 03 03 612062 0050")]   // "a b": outside V2Ray's domain alphabet
    public void Socks5_should_refuse_a_malformed_address_without_a_reply(string request)
    {
        var run = SocksDriver.Run(NoAuth, Greeting, Hex(request));

        Assert.Equal(SocksError.InvalidAddress, run.Error);
        Assert.Equal(Hex("05 00"), run.Replies);
    }

    [Theory]
    [InlineData("06 01 00")]
    [InlineData("47 45 54 20")]  // "GET " to the socks port
    [InlineData("00")]
    public void Handshake_should_refuse_an_unknown_version_without_a_reply(string greeting)
    {
        var run = SocksDriver.Run(NoAuth, Hex(greeting));

        Assert.Equal(SocksError.UnsupportedVersion, run.Error);
        Assert.Empty(run.Replies);
    }

    [Fact]
    public void Socks4_connect_should_reply_granted_with_zero_port_and_address()
    {
        var run = SocksDriver.Run(NoAuth, Hex("04 01 0050 0A010203"), Ascii("someone"), Hex("00"));

        Assert.Equal(Hex("00 5A 0000 00000000"), run.Replies);
        Assert.Equal(new ProxyRequest(DestinationAddress.Parse("10.1.2.3", 80), ProxyCommand.Connect, null), run.Request);
    }

    [Fact]
    public void Socks4a_connect_should_read_the_domain_after_the_user_id()
    {
        var run = SocksDriver.Run(NoAuth, Concat(Hex("04 01 01BB 00000001 00"), Ascii("example.com"), Hex("00"), Ascii("rest")));

        Assert.Equal(Hex("00 5A 0000 00000000"), run.Replies);
        Assert.Equal(DestinationAddress.FromDomain("example.com", 443), run.Request!.Destination);
        Assert.Equal(Ascii("rest"), run.Leftover);
    }

    [Fact]
    public void Socks4_should_be_refused_with_5B_right_after_two_bytes_when_a_password_is_required()
    {
        var run = SocksDriver.Run(WithPassword, Hex("04 01"));

        Assert.Equal(SocksError.Socks4RequiresNoAuth, run.Error);
        Assert.Equal(Hex("00 5B 0000 00000000"), run.Replies);
    }

    [Fact]
    public void Socks4_should_refuse_BIND_with_5B_after_the_whole_request()
    {
        var bind = Hex("04 02 0050 0A010203 00");
        Assert.Equal(OperationStatus.NeedMoreData, SocksDriver.Run(NoAuth, bind[..^1]).Status);

        var run = SocksDriver.Run(NoAuth, bind);

        Assert.Equal(SocksError.UnsupportedCommand, run.Error);
        Assert.Equal(Hex("00 5B 0000 00000000"), run.Replies);
    }

    [Fact]
    public void Socks4_should_refuse_a_user_id_longer_than_V2Rays_buffer()
    {
        var longest = Concat(Hex("04 01 0050 0A010203"), new byte[SocksServerHandshake.MaxSocks4UserIdLength].Select(_ => (byte)'u').ToArray());

        Assert.Equal(OperationStatus.NeedMoreData, SocksDriver.Run(NoAuth, longest).Status);
        Assert.Equal(OperationStatus.Done, SocksDriver.Run(NoAuth, longest, Hex("00")).Status);
        Assert.Equal(SocksError.FieldTooLong, SocksDriver.Run(NoAuth, longest, Ascii("u")).Error);
    }

    [Fact]
    public void Socks4a_should_refuse_a_domain_longer_than_255_bytes()
    {
        var run = SocksDriver.Run(NoAuth, Hex("04 01 0050 00000001 00"), Enumerable.Repeat((byte)'a', 256).ToArray());

        Assert.Equal(SocksError.FieldTooLong, run.Error);
    }

    public static TheoryData<string, byte[], SocksServerOptions> AcceptedHandshakes() => new()
    {
        { "socks5 ipv4", Concat(Greeting, ConnectIPv4, Ascii("payload")), NoAuth },
        { "socks5 domain", Concat(Hex("05 02 00 01 05 01 00 03 0B"), Ascii("example.com"), Hex("0050"), Ascii("x")), NoAuth },
        { "socks5 password", Concat(Hex("05 01 02"), Credentials("user", "pass"), ConnectIPv4, Ascii("after")), WithPassword },
        { "socks5 udp", Concat(Greeting, Hex("05 03 00 04 00000000000000000000000000000000 0000")), WithUdp },
        { "socks4", Concat(Hex("04 01 0050 0A010203"), Ascii("id"), Hex("00"), Ascii("GET /")), NoAuth },
        { "socks4a", Concat(Hex("04 01 0050 000000FF 00"), Ascii("example.org"), Hex("00")), NoAuth },
    };

    [Theory, MemberData(nameof(AcceptedHandshakes))]
    public void Handshake_should_give_the_same_replies_request_and_leftover_at_every_split(string name, byte[] input, SocksServerOptions options)
    {
        var whole = SocksDriver.Run(options, input);
        Assert.True(whole.Request is not null, $"{name}: {whole.Status} {whole.Error}");

        foreach (var (split, pieces) in EverySplit(input))
        {
            var run = SocksDriver.Run(options, pieces);

            Assert.True(whole.Replies.SequenceEqual(run.Replies), $"{name}, {split}: replies differ");
            Assert.True(whole.Request == run.Request, $"{name}, {split}: {run.Request}");
            Assert.True(whole.Leftover.SequenceEqual(run.Leftover), $"{name}, {split}: leftover differs");
        }
    }

    public static TheoryData<string, byte[], SocksServerOptions> RefusedHandshakes() => new()
    {
        { "bad password", Concat(Hex("05 01 02"), Credentials("user", "nope"), ConnectIPv4), WithPassword },
        { "bind", Concat(Greeting, Hex("05 02 00 01 0A010203 01BB")), NoAuth },
        { "socks4 bind", Hex("04 02 0050 0A010203 00"), NoAuth },
        { "bad address type", Concat(Greeting, Hex("05 01 00 05 0A010203 01BB")), NoAuth },
    };

    [Theory, MemberData(nameof(RefusedHandshakes))]
    public void Handshake_should_give_the_same_failure_reply_at_every_split(string name, byte[] input, SocksServerOptions options)
    {
        var whole = SocksDriver.Run(options, input);
        Assert.Equal(OperationStatus.InvalidData, whole.Status);

        foreach (var (split, pieces) in EverySplit(input))
        {
            var run = SocksDriver.Run(options, pieces);

            Assert.True(run.Status == OperationStatus.InvalidData && run.Error == whole.Error, $"{name}, {split}: {run.Status} {run.Error}");
            Assert.True(whole.Replies.SequenceEqual(run.Replies), $"{name}, {split}: replies differ");
        }
    }

    [Fact]
    public void Decode_should_return_NeedMoreData_and_consume_nothing_for_every_truncated_request()
    {
        var handshake = new SocksServerHandshake(NoAuth);
        var reply = new byte[SocksServerHandshake.MaxReplyLength];
        Assert.Equal(OperationStatus.Done, handshake.Decode(Greeting, reply, out _, out _, out _));
        var request = Hex("05 01 00 03 0B 6578616D706C652E636F6D 0050");

        for (var length = 0; length < request.Length; length++)
        {
            var status = handshake.Decode(request.AsSpan(0, length), reply, out var consumed, out var written, out var error);

            Assert.True(status == OperationStatus.NeedMoreData, $"{status} {error} at prefix {length}");
            Assert.Equal(0, consumed);
            Assert.Equal(0, written);
        }
    }

    [Fact]
    public void Decode_should_throw_when_called_after_the_request_is_complete()
    {
        var handshake = new SocksServerHandshake(NoAuth);
        var reply = new byte[SocksServerHandshake.MaxReplyLength];
        handshake.Decode(Greeting, reply, out _, out _, out _);
        handshake.Decode(ConnectIPv4, reply, out _, out _, out _);

        Assert.Throws<InvalidOperationException>(() => handshake.Decode(ConnectIPv4, reply, out _, out _, out _));
    }

    private static byte[] Credentials(string user, string password) =>
        Concat([0x01, (byte)user.Length], Ascii(user), [(byte)password.Length], Ascii(password));
}
