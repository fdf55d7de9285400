using System.Net.Sockets;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using VMess.Streams.Buffers;
using VMess.Streams.Stages;
using VMess.Streams.Tests.Support;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Streams.Tests.Stages;

/// <summary>The socket stage over a real loopback socket pair: both directions, half-close each way, abort, late attach, UDP.</summary>
public sealed class SocketStageSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly IMaterializer _materializer;
    private readonly CountingPool _pool = new();
    private readonly SocketStageSettings _settings;

    public SocketStageSpec(ITestOutputHelper output) : base(SpecConfig.Hocon, output)
    {
        _materializer = Sys.Materializer();
        _settings = new SocketStageSettings(_pool, ReadBufferSize: 16 * 1024);
    }

    [Fact]
    public async Task Socket_stage_should_write_every_element_to_the_socket_in_order()
    {
        using var pair = await SocketPair.TcpAsync();
        var stage = Materialize(VMessFlows.Socket(pair.Stage, _settings));
        var payload = Payloads.Random(4 * 1024 * 1024, seed: 1);

        // 4 MiB is more than the socket buffers hold, so writes also wait for room.
        var received = pair.ReceiveExactlyAsync(payload.Length);
        foreach (var piece in Rechunk.Random(payload, seed: 1, maxPiece: 100_000)) await stage.Writes.SendNextAsync(Chunk(piece));

        Assert.Equal(Payloads.Sha256Hex(payload), Payloads.Sha256Hex(await received));
    }

    [Fact]
    public async Task Socket_stage_should_emit_every_byte_the_peer_sends_in_order()
    {
        using var pair = await SocketPair.TcpAsync();
        var stage = Materialize(VMessFlows.Socket(pair.Stage, _settings));
        var payload = Payloads.Random(4 * 1024 * 1024, seed: 2);

        var sent = pair.SendAsync(payload);
        var received = await ReadAsync(stage.Reads, payload.Length);
        await sent;

        Assert.Equal(Payloads.Sha256Hex(payload), Payloads.Sha256Hex(received));
    }

    [Fact]
    public async Task Socket_stage_should_complete_its_output_on_the_peers_FIN_while_writes_still_work()
    {
        using var pair = await SocketPair.TcpAsync();
        var stage = Materialize(VMessFlows.Socket(pair.Stage, _settings));
        await stage.Reads.RequestAsync(1);

        pair.Peer.Shutdown(SocketShutdown.Send);
        await stage.Reads.ExpectCompleteAsync();
        await stage.Link.ReadClosed.WaitAsync(Timeout);
        await stage.Writes.SendNextAsync(Chunk("after FIN"u8.ToArray()));

        Assert.Equal("after FIN"u8.ToArray(), await pair.ReceiveExactlyAsync(9));
        await stage.Writes.SendCompleteAsync();
        Assert.Empty(await pair.ReceiveOnceAsync());
        await stage.Link.Completion.WaitAsync(Timeout);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Socket_stage_should_send_FIN_when_its_input_completes_while_reads_still_work()
    {
        using var pair = await SocketPair.TcpAsync();
        var stage = Materialize(VMessFlows.Socket(pair.Stage, _settings));
        await stage.Writes.SendNextAsync(Chunk([1, 2, 3]));

        await stage.Writes.SendCompleteAsync();
        Assert.Equal(new byte[] { 1, 2, 3 }, await pair.ReceiveExactlyAsync(3));
        Assert.Empty(await pair.ReceiveOnceAsync());
        await pair.SendAsync("after FIN"u8.ToArray());

        Assert.Equal("after FIN"u8.ToArray(), await ReadAsync(stage.Reads, 9));
        await stage.Reads.RequestAsync(1);
        pair.Peer.Shutdown(SocketShutdown.Send);
        await stage.Reads.ExpectCompleteAsync();
        await stage.Link.Completion.WaitAsync(Timeout);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Socket_stage_should_close_the_connection_like_a_normal_close_when_aborted()
    {
        using var pair = await SocketPair.TcpAsync();
        var stage = Materialize(VMessFlows.Socket(pair.Stage, _settings));
        await stage.Reads.RequestAsync(1);

        stage.Link.Abort("handshake timeout");

        // A timeout must look like V2Ray's close (a FIN), not a reset a prober could tell apart.
        Assert.Empty(await pair.ReceiveOnceAsync());
        var failure = await Assert.ThrowsAsync<SocketAbortedException>(() => stage.Link.Completion.WaitAsync(Timeout));
        Assert.Equal("handshake timeout", failure.Message);
        await stage.Writes.ExpectCancellationAsync();
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Socket_stage_should_reset_the_connection_when_its_input_fails()
    {
        using var pair = await SocketPair.TcpAsync();
        var stage = Materialize(VMessFlows.Socket(pair.Stage, _settings));
        await stage.Reads.RequestAsync(1);

        await stage.Writes.SendErrorAsync(new IOException("the other side broke"));

        var reset = await Assert.ThrowsAsync<SocketException>(() => pair.ReceiveOnceAsync());
        Assert.Equal(SocketError.ConnectionReset, reset.SocketErrorCode);
        await stage.Reads.ExpectErrorAsync();
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Socket_stage_should_carry_bytes_both_ways_once_a_late_socket_is_attached()
    {
        using var pair = await SocketPair.TcpAsync();
        var stage = Materialize(VMessFlows.PendingSocket(_settings));
        await stage.Reads.RequestAsync(1);
        await stage.Reads.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));

        stage.Link.Attach(pair.Stage);
        await stage.Writes.SendNextAsync(Chunk([4, 5, 6]));
        await pair.SendAsync([7, 8]);

        Assert.Equal(new byte[] { 4, 5, 6 }, await pair.ReceiveExactlyAsync(3));
        Assert.Equal(new byte[] { 7, 8 }, await ReadAsync(stage.Reads, 2));
    }

    [Fact]
    public async Task Socket_stage_should_keep_a_socket_attached_right_after_materialization()
    {
        using var pair = await SocketPair.TcpAsync();
        var stage = Materialize(VMessFlows.PendingSocket(_settings));

        stage.Link.Attach(pair.Stage);
        await stage.Writes.SendNextAsync(Chunk([4, 5, 6]));

        Assert.Equal(new byte[] { 4, 5, 6 }, await pair.ReceiveExactlyAsync(3));
    }

    [Fact]
    public async Task Socket_stage_should_hold_no_pooled_buffer_while_waiting_on_an_idle_socket()
    {
        using var pair = await SocketPair.TcpAsync();
        var stage = Materialize(VMessFlows.Socket(pair.Stage, _settings));
        await pair.SendAsync([1]);
        await stage.Reads.RequestAsync(2);
        await stage.Reads.ExpectNextAsync(Timeout);

        // Demand is left and the socket is empty: the stage waits, holding no chunk.
        await AwaitAssertAsync(() => Assert.Equal(0, _pool.Outstanding), Timeout);
        await pair.SendAsync([2]);
        Assert.Equal(new byte[] { 2 }, await stage.Reads.ExpectNextAsync(Timeout));
    }

    [Fact]
    public async Task Socket_link_should_count_the_bytes_read_and_written()
    {
        using var pair = await SocketPair.TcpAsync();
        var stage = Materialize(VMessFlows.Socket(pair.Stage, _settings));

        await stage.Writes.SendNextAsync(Chunk(new byte[1000]));
        await pair.ReceiveExactlyAsync(1000);
        await pair.SendAsync(new byte[300]);
        await ReadAsync(stage.Reads, 300);

        Assert.Equal((300L, 1000L), (stage.Link.BytesRead, stage.Link.BytesWritten));
    }

    [Fact]
    public async Task Socket_stage_should_emit_one_element_per_datagram_on_a_udp_socket()
    {
        using var pair = SocketPair.Udp();
        var stage = Materialize(VMessFlows.Socket(pair.Stage, _settings));
        byte[][] datagrams = [Payloads.Random(1, seed: 1), Payloads.Random(1400, seed: 2), Payloads.Random(40_000, seed: 3)];
        await stage.Reads.RequestAsync(datagrams.Length);

        foreach (var datagram in datagrams) await pair.SendAsync(datagram);

        foreach (var datagram in datagrams) Assert.Equal(datagram, await stage.Reads.ExpectNextAsync(Timeout));
        await stage.Writes.SendCompleteAsync();
        await stage.Reads.CancelAsync();
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Socket_stage_should_send_one_datagram_per_element_on_a_udp_socket()
    {
        using var pair = SocketPair.Udp();
        var stage = Materialize(VMessFlows.Socket(pair.Stage, _settings));
        byte[][] datagrams = [Payloads.Random(1, seed: 4), Payloads.Random(1400, seed: 5), Payloads.Random(40_000, seed: 6)];

        foreach (var datagram in datagrams) await stage.Writes.SendNextAsync(Chunk(datagram));

        foreach (var datagram in datagrams) Assert.Equal(datagram, await pair.ReceiveOnceAsync());
    }

    private ByteChunk Chunk(byte[] bytes) => ByteChunk.CopyOf(_pool, bytes);

    private StageProbes Materialize(Flow<ByteChunk, ByteChunk, SocketLink> socket)
    {
        var ((writes, link), reads) = this.SourceProbe<ByteChunk>()
            .ViaMaterialized(socket, Keep.Both)
            .Select(Rechunk.Take)
            .ToMaterialized(this.SinkProbe<byte[]>(), Keep.Both)
            .Run(_materializer);
        return new StageProbes(writes, link, reads);
    }

    /// <summary>Reads elements until <paramref name="count"/> bytes came, however the stage split them.</summary>
    private static async Task<byte[]> ReadAsync(TestSubscriber.Probe<byte[]> reads, int count)
    {
        var received = new MemoryStream();
        while (received.Length < count)
        {
            await reads.RequestAsync(1);
            received.Write(await reads.ExpectNextAsync(Timeout));
        }
        return received.ToArray();
    }

    private sealed record StageProbes(TestPublisher.Probe<ByteChunk> Writes, SocketLink Link, TestSubscriber.Probe<byte[]> Reads);
}
