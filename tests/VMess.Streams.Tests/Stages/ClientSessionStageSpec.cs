using System.Net;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using VMess.Protocol.Addresses;
using VMess.Protocol.Headers;
using VMess.Protocol.Sessions;
using VMess.Streams.Buffers;
using VMess.Streams.Stages;
using VMess.Streams.Tests.Support;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Streams.Tests.Stages;

/// <summary>
/// The client session with probes on all four ports and the protocol's own server on the far side: when the
/// request header goes out, how the request ends, and how a bad or missing response fails it. Whole connections
/// through the server stage are in <see cref="ClientSessionStageLoopbackSpec"/>.
/// </summary>
public sealed class ClientSessionStageSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly DestinationAddress Target = DestinationAddress.FromIp(IPAddress.Parse("10.1.2.3"), 8443);

    private readonly IMaterializer _materializer;
    private readonly CountingPool _pool = new();
    private readonly TimerWatchingClock _clock = new(DateTimeOffset.FromUnixTimeSeconds(TestUsers.Now));

    public ClientSessionStageSpec(ITestOutputHelper output) : base(SpecConfig.Hocon, output)
    {
        _materializer = Sys.Materializer();
    }

    [Fact]
    public async Task Client_session_should_emit_nothing_before_it_is_started()
    {
        var probes = Materialize();
        using var server = new TestServer();
        var payload = Payloads.Random(10, seed: 5);
        await probes.ToServer.RequestAsync(1);
        await probes.Responses.RequestAsync(1);

        await probes.Requests.SendNextAsync(Chunk(payload));
        await probes.FromServer.SendNextAsync(Chunk([1, 2, 3]));
        await probes.ToServer.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        await probes.Responses.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(10));
        probes.Link.Start(NewSession(0, SecurityType.Aes128Gcm));

        Assert.Equal(payload, server.Receive(await probes.ToServer.ExpectNextAsync(Timeout)).SelectMany(p => p));
        await StopAsync(probes);
    }

    [Theory]
    [InlineData(0, SecurityType.Aes128Gcm)]
    [InlineData(TestUsers.LegacyAlterId, SecurityType.Legacy)]
    public async Task Request_header_should_go_out_with_the_first_payload_in_one_element(ushort alterId, SecurityType security)
    {
        var probes = Materialize();
        using var server = new TestServer();
        var payload = Payloads.Random(3000, seed: 1);
        probes.Link.Start(NewSession(alterId, security));

        await probes.Requests.SendNextAsync(Chunk(payload));
        await probes.ToServer.RequestAsync(1);
        var element = await probes.ToServer.ExpectNextAsync(Timeout);

        var payloads = server.Receive(element);
        Assert.NotNull(server.Handshake);
        Assert.Equal(payload, payloads.SelectMany(p => p));
        await StopAsync(probes);
    }

    [Fact]
    public async Task Request_header_should_go_out_alone_once_the_flush_delay_has_passed()
    {
        var probes = Materialize();
        using var server = new TestServer();
        probes.Link.Start(NewSession(0, SecurityType.ChaCha20Poly1305));
        await probes.ToServer.RequestAsync(1);
        await _clock.TimerCreated.WaitAsync(Timeout);

        _clock.Advance(ClientSessionSettings.DefaultHeaderFlushDelay - TimeSpan.FromMilliseconds(1));
        await probes.ToServer.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var element = await probes.ToServer.ExpectNextAsync(Timeout);

        Assert.Empty(server.Receive(element));
        Assert.Equal(element.Length, server.HandshakeLength);
        await StopAsync(probes);
    }

    [Fact]
    public async Task Request_should_end_with_the_end_of_stream_chunk_and_then_complete()
    {
        var probes = Materialize();
        using var server = new TestServer();
        var payload = Payloads.Random(100, seed: 2);
        probes.Link.Start(NewSession(0, SecurityType.Aes128Gcm));

        await probes.Requests.SendNextAsync(Chunk(payload));
        await probes.Requests.SendCompleteAsync();
        await probes.ToServer.RequestAsync(3);
        var first = await probes.ToServer.ExpectNextAsync(Timeout);
        var second = await probes.ToServer.ExpectNextAsync(Timeout);
        await probes.ToServer.ExpectCompleteAsync();

        Assert.Equal(payload, server.Receive([.. first, .. second]).SelectMany(p => p));
        Assert.True(server.RequestEnded, "no end-of-stream chunk");
        await StopAsync(probes);
    }

    [Fact]
    public async Task Request_should_send_the_header_and_end_at_once_when_the_payload_ended_before_the_start()
    {
        var probes = Materialize();
        using var server = new TestServer();
        await probes.Requests.SendCompleteAsync();
        await probes.ToServer.RequestAsync(2);

        probes.Link.Start(NewSession(TestUsers.LegacyAlterId, SecurityType.ChaCha20Poly1305));
        var element = await probes.ToServer.ExpectNextAsync(Timeout);
        await probes.ToServer.ExpectCompleteAsync();

        Assert.Empty(server.Receive(element));
        Assert.True(server.RequestEnded, "no end-of-stream chunk");
        await StopAsync(probes);
    }

    [Fact]
    public async Task Response_should_complete_with_the_servers_header_and_the_payload_should_follow()
    {
        var probes = Materialize();
        using var server = new TestServer();
        var session = NewSession(0, SecurityType.Aes128Gcm);
        var reply = Payloads.Random(5000, seed: 3);
        probes.Link.Start(session);
        await probes.Requests.SendNextAsync(Chunk([1, 2, 3]));
        await probes.ToServer.RequestAsync(1);
        server.Receive(await probes.ToServer.ExpectNextAsync(Timeout));

        await probes.FromServer.SendNextAsync(Chunk([.. server.Response(reply), .. server.EndOfStream()]));
        await probes.Responses.RequestAsync(10);

        Assert.Equal(session.Header.ResponseAuth, (await probes.Link.Response.WaitAsync(Timeout)).ResponseAuth);
        Assert.Equal(reply, await probes.Responses.ExpectNextAsync(Timeout));
        await probes.Responses.ExpectCompleteAsync();
        await probes.FromServer.ExpectCancellationAsync();
        await StopAsync(probes);
    }

    [Fact]
    public async Task Response_should_fault_when_the_server_closes_before_responding()
    {
        var probes = Materialize();
        probes.Link.Start(NewSession(0, SecurityType.Aes128Gcm));
        await probes.Responses.RequestAsync(1);

        await probes.FromServer.SendCompleteAsync();

        var failure = await Assert.ThrowsAsync<VMessServerRefusedException>(() => probes.Link.Response.WaitAsync(Timeout));
        Assert.Equal(ClientSessionStage.ClosedBeforeResponse, failure.Message);
        Assert.IsType<VMessServerRefusedException>(await probes.Responses.ExpectErrorAsync());
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Response_should_fault_as_a_refusal_when_the_server_resets_before_responding()
    {
        var probes = Materialize();
        probes.Link.Start(NewSession(0, SecurityType.Aes128Gcm));
        await probes.Responses.RequestAsync(1);

        await probes.FromServer.SendErrorAsync(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionReset));

        var failure = await Assert.ThrowsAsync<VMessServerRefusedException>(() => probes.Link.Response.WaitAsync(Timeout));
        Assert.IsType<System.Net.Sockets.SocketException>(failure.InnerException);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(TestUsers.LegacyAlterId)]
    public async Task Response_should_fault_when_the_response_auth_does_not_match(ushort alterId)
    {
        var probes = Materialize();
        using var server = new TestServer();
        var session = NewSession(alterId, SecurityType.Aes128Gcm);
        probes.Link.Start(session);
        await probes.Requests.SendNextAsync(Chunk([1]));
        await probes.ToServer.RequestAsync(1);
        server.Receive(await probes.ToServer.ExpectNextAsync(Timeout));

        await probes.FromServer.SendNextAsync(Chunk(server.Response([9], responseAuth: (byte)(session.Header.ResponseAuth ^ 0x5A))));
        await probes.Responses.RequestAsync(1);

        var failure = await Assert.ThrowsAsync<VMessServerRefusedException>(() => probes.Link.Response.WaitAsync(Timeout));
        Assert.Contains("response header", failure.Message);
        await probes.Responses.ExpectErrorAsync();
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Client_session_should_fail_when_the_response_body_ends_inside_a_chunk()
    {
        var probes = Materialize();
        using var server = new TestServer();
        probes.Link.Start(NewSession(0, SecurityType.ChaCha20Poly1305));
        await probes.Requests.SendNextAsync(Chunk([1]));
        await probes.ToServer.RequestAsync(1);
        server.Receive(await probes.ToServer.ExpectNextAsync(Timeout));
        var response = server.Response(Payloads.Random(500, seed: 4));

        await probes.FromServer.SendNextAsync(Chunk(response[..^10]));
        await probes.FromServer.SendCompleteAsync();
        await probes.Responses.RequestAsync(1);

        await probes.Link.Response.WaitAsync(Timeout);
        var failure = await probes.Responses.ExpectErrorAsync();
        Assert.IsType<VMessStreamException>(failure);
        Assert.Contains("inside a chunk", failure.Message);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Response_should_fault_when_the_stage_stops_before_it_was_started()
    {
        var probes = Materialize();

        await probes.FromServer.SendErrorAsync(new IOException("socket gone"));

        await Assert.ThrowsAsync<IOException>(() => probes.Link.Response.WaitAsync(Timeout));
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Start_should_throw_when_called_twice()
    {
        var probes = Materialize();
        probes.Link.Start(NewSession(0, SecurityType.Aes128Gcm));

        Assert.Throws<InvalidOperationException>(() => probes.Link.Start(NewSession(0, SecurityType.Aes128Gcm)));
        await StopAsync(probes);
    }

    private ClientSession NewSession(ushort alterId, SecurityType security, RequestCommand command = RequestCommand.Tcp)
    {
        var account = TestUsers.Account(alterId, security);
        return new ClientSession(account, RequestHeader.CreateRandom(new SeededRandomSource(alterId + (int)security), command, Target,
            account.Security, account.DefaultOptions));
    }

    private ByteChunk Chunk(byte[] bytes) => ByteChunk.CopyOf(_pool, bytes);

    private ClientProbes Materialize()
    {
        var settings = new ClientSessionSettings(_pool, new SeededRandomSource(7), _clock);
        var server = Flow.FromSinkAndSource(
            Flow.Create<ByteChunk>().Select(Rechunk.Take).ToMaterialized(this.SinkProbe<byte[]>(), Keep.Right),
            this.SourceProbe<ByteChunk>(), Keep.Both);
        var ((requests, (link, (toServer, fromServer))), responses) = this.SourceProbe<ByteChunk>()
            .ViaMaterialized(VMessFlows.ClientSession(settings).JoinMat(server, Keep.Both), Keep.Both)
            .Select(Rechunk.Take)
            .ToMaterialized(this.SinkProbe<byte[]>(), Keep.Both)
            .Run(_materializer);
        return new ClientProbes(requests, link, toServer, fromServer, responses);
    }

    // Both consumers go away, as the sockets of a closing connection do; then nothing may be left running or rented.
    private async Task StopAsync(ClientProbes probes)
    {
        probes.ToServer.Cancel();
        probes.Responses.Cancel();
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    private sealed record ClientProbes(
        TestPublisher.Probe<ByteChunk> Requests,
        ClientSessionLink Link,
        TestSubscriber.Probe<byte[]> ToServer,
        TestPublisher.Probe<ByteChunk> FromServer,
        TestSubscriber.Probe<byte[]> Responses);
}
