using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using VMess.Protocol;
using VMess.Protocol.Headers;
using VMess.Protocol.Sessions;
using VMess.Streams.Buffers;
using VMess.Streams.Stages;
using VMess.Streams.Tests.Support;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Streams.Tests.Stages;

/// <summary>
/// The server session's unhappy paths, driven by probes on every port: rejected and replayed handshakes, the
/// drain, a client that leaves early, and bodies that break after the handshake.
/// </summary>
public sealed class ServerSessionStageRejectionSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly IMaterializer _materializer;
    private readonly CountingPool _pool = new();

    public ServerSessionStageRejectionSpec(ITestOutputHelper output) : base(SpecConfig.Hocon, output)
    {
        _materializer = Sys.Materializer();
    }

    [Fact]
    public async Task Server_session_should_reject_random_bytes_and_report_the_drain_size()
    {
        var probes = Materialize(TestUsers.Settings(_pool, drainBytes: 300));
        await probes.Client.SendNextAsync(Chunk(Payloads.Random(100, seed: 42)));

        var rejected = Assert.IsType<HandshakeRejected>(await probes.Handshake.WaitAsync(Timeout));

        Assert.Equal(new HandshakeRejected(HandshakeRejection.Invalid, DecodeError.UnknownUser, 100, 200), rejected);
        await probes.Client.SendCompleteAsync();
    }

    [Fact]
    public async Task Server_session_should_read_exactly_the_drain_size_and_then_complete_when_it_rejects()
    {
        var probes = Materialize(TestUsers.Settings(_pool, drainBytes: 300));
        await probes.Requests.RequestAsync(1);
        await probes.Responses.RequestAsync(1);
        await probes.Client.SendNextAsync(Chunk(Payloads.Random(100, seed: 42)));
        Assert.IsType<HandshakeRejected>(await probes.Handshake.WaitAsync(Timeout));

        // 200 more bytes are read one at a time: each is asked for, and nothing after the last.
        for (var i = 0; i < 200; i++) await probes.Client.SendNextAsync(Chunk([(byte)i]));

        await probes.Client.ExpectCancellationAsync();
        await probes.Requests.ExpectCompleteAsync();
        await probes.Responses.ExpectCompleteAsync();
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Server_session_should_complete_at_once_when_it_rejects_with_nothing_left_to_drain()
    {
        var probes = Materialize(TestUsers.Settings(_pool, drainBytes: 64));
        await probes.Requests.RequestAsync(1);
        await probes.Responses.RequestAsync(1);
        await probes.Client.SendNextAsync(Chunk(Payloads.Random(100, seed: 43)));

        Assert.Equal(0, Assert.IsType<HandshakeRejected>(await probes.Handshake.WaitAsync(Timeout)).DrainBytes);
        await probes.Client.ExpectCancellationAsync();
        await probes.Responses.ExpectCompleteAsync();
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Server_session_should_report_ClosedEarly_when_the_client_closes_inside_the_request()
    {
        using var client = new TestClient(TestUsers.Account(0, SecurityType.Aes128Gcm));
        var probes = Materialize(TestUsers.Settings(_pool, drainBytes: 300));
        await probes.Responses.RequestAsync(1);
        var handshake = client.Handshake();
        await probes.Client.SendNextAsync(Chunk(handshake[..(handshake.Length - 1)]));
        await probes.Client.SendCompleteAsync();

        var rejected = Assert.IsType<HandshakeRejected>(await probes.Handshake.WaitAsync(Timeout));

        Assert.Equal(new HandshakeRejected(HandshakeRejection.ClosedEarly, DecodeError.None, handshake.Length - 1, 0), rejected);
        await probes.Responses.ExpectCompleteAsync();
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Theory]
    [InlineData(0, DecodeError.ReplayedAuthId)]
    [InlineData(TestUsers.LegacyAlterId, DecodeError.DuplicateSession)]
    public async Task Server_session_should_reject_a_replayed_request(ushort alterId, DecodeError expected)
    {
        using var client = new TestClient(TestUsers.Account(alterId, SecurityType.Aes128Gcm));
        var request = client.Request([Payloads.Random(100, seed: 1)]);
        var settings = TestUsers.Settings(_pool);

        var first = await SessionHarness.RunAsync(_materializer, settings, [request], []);
        var replayed = await SessionHarness.RunAsync(_materializer, settings, [request], []);

        Assert.IsType<HandshakeAccepted>(first.Outcome);
        var rejected = Assert.IsType<HandshakeRejected>(replayed.Outcome);
        Assert.Equal((HandshakeRejection.Invalid, expected), (rejected.Cause, rejected.Error));
        Assert.Empty(replayed.Requests);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Theory]
    [InlineData(0, SecurityType.Aes128Gcm)]
    [InlineData(0, SecurityType.None)]
    [InlineData(TestUsers.LegacyAlterId, SecurityType.Legacy)]
    public async Task Server_session_should_fail_with_VMessStreamException_when_the_body_ends_inside_a_chunk(ushort alterId, SecurityType security)
    {
        using var client = new TestClient(TestUsers.Account(alterId, security));
        var whole = client.Body(Payloads.Random(100, seed: 1));
        var cut = client.Body(Payloads.Random(100, seed: 2));
        var probes = Materialize(TestUsers.Settings(_pool));
        await probes.Requests.RequestAsync(10);
        await probes.Client.SendNextAsync(Chunk([.. client.Handshake(), .. whole, .. cut[..(cut.Length / 2)]]));
        await probes.Requests.ExpectNextAsync(Timeout);

        await probes.Client.SendCompleteAsync();

        var failure = await probes.Requests.ExpectErrorAsync();
        Assert.IsType<VMessStreamException>(failure);
        Assert.Contains("ends inside a chunk", failure.Message, StringComparison.Ordinal);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Theory]
    [InlineData(0, SecurityType.Aes128Gcm)]
    [InlineData(TestUsers.LegacyAlterId, SecurityType.ChaCha20Poly1305)]
    public async Task Server_session_should_fail_with_VMessStreamException_when_a_body_chunk_fails_its_tag(ushort alterId, SecurityType security)
    {
        using var client = new TestClient(TestUsers.Account(alterId, security));
        var body = client.Body(Payloads.Random(100, seed: 1));
        body[body.Length / 2] ^= 0x5a; // inside the sealed payload (the tail may be padding)
        var probes = Materialize(TestUsers.Settings(_pool));
        await probes.Requests.RequestAsync(10);
        await probes.Client.SendNextAsync(Chunk([.. client.Handshake(), .. body]));

        Assert.IsType<VMessStreamException>(await probes.Requests.ExpectErrorAsync());
        await probes.Client.ExpectCancellationAsync();
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Server_session_should_report_Aborted_when_the_connection_fails_before_a_whole_request()
    {
        var probes = Materialize(TestUsers.Settings(_pool));
        await probes.Client.SendNextAsync(Chunk(Payloads.Random(10, seed: 1)));

        await probes.Client.SendErrorAsync(new IOException("reset by peer"));

        var rejected = Assert.IsType<HandshakeRejected>(await probes.Handshake.WaitAsync(Timeout));
        Assert.Equal(HandshakeRejection.Aborted, rejected.Cause);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    private ByteChunk Chunk(byte[] bytes) => ByteChunk.CopyOf(_pool, bytes);

    /// <summary>A probe on each of the session's four ports: client bytes, the target's requests and replies, and the client's response.</summary>
    private SessionProbes Materialize(ServerSessionSettings settings)
    {
        var target = Flow.FromSinkAndSource(
            Flow.Create<ByteChunk>().Select(Take).ToMaterialized(this.SinkProbe<byte[]>(), Keep.Right),
            this.SourceProbe<ByteChunk>(), Keep.Both);
        var ((client, (handshake, (requests, replies))), responses) = this.SourceProbe<ByteChunk>()
            .ViaMaterialized(VMessFlows.ServerSession(settings).JoinMat(target, Keep.Both), Keep.Both)
            .Select(Take)
            .ToMaterialized(this.SinkProbe<byte[]>(), Keep.Both)
            .Run(_materializer);
        return new SessionProbes(client, handshake, requests, replies, responses);
    }

    private static byte[] Take(ByteChunk chunk) => Rechunk.Take(chunk);

    private sealed record SessionProbes(
        TestPublisher.Probe<ByteChunk> Client,
        Task<HandshakeOutcome> Handshake,
        TestSubscriber.Probe<byte[]> Requests,
        TestPublisher.Probe<ByteChunk> Replies,
        TestSubscriber.Probe<byte[]> Responses);
}
