using Akka.Streams;
using VMess.Protocol.Headers;
using VMess.Streams.Stages;
using VMess.Streams.Tests.Support;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Streams.Tests.Stages;

/// <summary>
/// The server session against the protocol's own client: real requests in any chunking, responses the client
/// decodes, UDP framing. Failures and rejections are in <see cref="ServerSessionStageRejectionSpec"/>.
/// </summary>
public sealed class ServerSessionStageSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly byte[][] RequestPayloads = [Payloads.Random(1, seed: 1), Payloads.Random(3000, seed: 2), Payloads.Random(20_000, seed: 3)];
    private static readonly byte[][] ResponsePayloads = [Payloads.Random(5000, seed: 4), Payloads.Random(1, seed: 5), Payloads.Random(70_000, seed: 6)];

    private readonly IMaterializer _materializer;
    private readonly CountingPool _pool = new();

    public ServerSessionStageSpec(ITestOutputHelper output) : base(SpecConfig.Hocon, output)
    {
        _materializer = Sys.Materializer();
    }

    public static TheoryData<ushort, SecurityType> EveryUserAndSecurity() => TestUsers.EveryUserAndSecurity();

    [Theory, MemberData(nameof(EveryUserAndSecurity))]
    public async Task Server_session_should_decode_a_real_request_sent_one_byte_at_a_time(ushort alterId, SecurityType security)
    {
        using var client = new TestClient(TestUsers.Account(alterId, security));

        var result = await RunAsync(Rechunk.OneByte(client.Request(RequestPayloads)), []);

        Assert.IsType<HandshakeAccepted>(result.Outcome);
        Assert.Equal(RequestPayloads.SelectMany(p => p), result.RequestBytes);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Theory, MemberData(nameof(EveryUserAndSecurity))]
    public async Task Server_session_should_decode_a_real_request_under_random_rechunking(ushort alterId, SecurityType security)
    {
        foreach (var seed in new[] { 7, 1234, 99_991 })
        {
            using var client = new TestClient(TestUsers.Account(alterId, security), seed: seed);

            var result = await RunAsync(Rechunk.Random(client.Request(RequestPayloads), seed, maxPiece: 700), []);

            Assert.True(result.Outcome is HandshakeAccepted, $"seed {seed}: {result.Outcome}");
            Assert.True(RequestPayloads.SelectMany(p => p).SequenceEqual(result.RequestBytes), $"seed {seed}: request payload differs");
        }
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Server_session_should_report_the_request_header_and_user_when_it_accepts()
    {
        using var client = new TestClient(TestUsers.Account(0, SecurityType.ChaCha20Poly1305));

        var result = await RunAsync([client.Request([])], []);

        var accepted = Assert.IsType<HandshakeAccepted>(result.Outcome);
        Assert.Equal(TestClient.Target, accepted.Handshake.Header.Destination);
        Assert.Equal(RequestCommand.Tcp, accepted.Handshake.Header.Command);
        Assert.Equal(SecurityType.ChaCha20Poly1305, accepted.Handshake.Header.Security);
        Assert.Equal("aead@test", accepted.Handshake.User.Account.Name);
    }

    [Fact]
    public async Task Server_session_should_time_a_handshake_sent_one_byte_at_a_time_once_as_accepted()
    {
        using var client = new TestClient(TestUsers.Account(0, SecurityType.Aes128Gcm));
        var timings = new System.Collections.Concurrent.ConcurrentQueue<(TimeSpan Decoding, bool Accepted)>();
        var settings = TestUsers.Settings(_pool) with { HandshakeTimed = (decoding, accepted) => timings.Enqueue((decoding, accepted)) };

        var result = await SessionHarness.RunAsync(_materializer, settings, Rechunk.OneByte(client.Request([])), []);

        Assert.IsType<HandshakeAccepted>(result.Outcome);
        var (decoding, accepted) = Assert.Single(timings);
        Assert.True(accepted);
        Assert.InRange(decoding, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Server_session_should_complete_the_request_when_the_client_closes_between_chunks()
    {
        using var client = new TestClient(TestUsers.Account(0, SecurityType.Aes128Gcm));

        var result = await RunAsync(Rechunk.Random(client.Request(RequestPayloads, endOfStream: false), seed: 5), []);

        Assert.Equal(RequestPayloads.SelectMany(p => p), result.RequestBytes);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Theory, MemberData(nameof(EveryUserAndSecurity))]
    public async Task Server_session_should_write_a_response_the_client_decodes_up_to_the_end_of_stream(ushort alterId, SecurityType security)
    {
        using var client = new TestClient(TestUsers.Account(alterId, security));

        var result = await RunAsync([client.Request([])], ResponsePayloads);

        var response = client.ReadResponse(result.ResponseBytes);
        Assert.Equal(ResponsePayloads.SelectMany(p => p), response.Joined);
        Assert.True(response.EndOfStream, "no end-of-stream chunk");
        Assert.Equal(0, response.TrailingBytes);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Theory, MemberData(nameof(EveryUserAndSecurity))]
    public async Task Server_session_should_write_only_the_response_header_and_end_of_stream_when_the_target_sends_nothing(
        ushort alterId, SecurityType security)
    {
        using var client = new TestClient(TestUsers.Account(alterId, security));

        var result = await RunAsync([client.Request([])], []);

        var element = Assert.Single(result.Responses);
        var response = client.ReadResponse(element);
        Assert.Empty(response.Payloads);
        Assert.True(response.EndOfStream, "no end-of-stream chunk");
        Assert.Equal(0, response.TrailingBytes);
    }

    [Theory]
    [InlineData(0, SecurityType.Aes128Gcm)]
    [InlineData(0, SecurityType.None)]
    [InlineData(LegacyAlterId, SecurityType.ChaCha20Poly1305)]
    [InlineData(LegacyAlterId, SecurityType.Legacy)]
    public async Task Server_session_should_emit_one_element_per_request_datagram_for_udp(ushort alterId, SecurityType security)
    {
        using var client = new TestClient(TestUsers.Account(alterId, security), RequestCommand.Udp);
        byte[][] datagrams = [Payloads.Random(512, seed: 1), Payloads.Random(1, seed: 2), Payloads.Random(1400, seed: 3)];

        var result = await RunAsync(Rechunk.Random(client.Request(datagrams, endOfStream: false), seed: 11, maxPiece: 300), []);

        Assert.Equal(datagrams, result.Requests);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Theory]
    [InlineData(0, SecurityType.Aes128Gcm)]
    [InlineData(0, SecurityType.None)]
    [InlineData(LegacyAlterId, SecurityType.ChaCha20Poly1305)]
    [InlineData(LegacyAlterId, SecurityType.Legacy)]
    public async Task Server_session_should_write_one_packet_per_response_datagram_for_udp(ushort alterId, SecurityType security)
    {
        using var client = new TestClient(TestUsers.Account(alterId, security), RequestCommand.Udp);
        byte[][] datagrams = [Payloads.Random(512, seed: 4), Payloads.Random(1, seed: 5), Payloads.Random(1400, seed: 6)];

        var result = await RunAsync([client.Request([], endOfStream: false)], datagrams);

        Assert.Equal(datagrams, client.ReadResponse(result.ResponseBytes).Payloads);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    private const ushort LegacyAlterId = TestUsers.LegacyAlterId;

    private Task<SessionResult> RunAsync(IEnumerable<byte[]> clientPieces, IEnumerable<byte[]> targetReplies) =>
        SessionHarness.RunAsync(_materializer, TestUsers.Settings(_pool), clientPieces, targetReplies);
}
