using System.Net;
using System.Net.Sockets;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using VMess.Streams.Buffers;
using VMess.Streams.Stages;
using VMess.Streams.Tests.Support;
using Xunit.Abstractions;

namespace VMess.Streams.Tests.Stages;

/// <summary>
/// <see cref="DatagramPortStage"/>: the client side of a UDP association on a shared listening socket. What the listener
/// offers comes out one datagram per element; what goes in is sent back to the peer behind the reply prefix.
/// </summary>
public sealed class DatagramPortStageSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly byte[] Prefix = [0, 0, 0, 1, 127, 0, 0, 1, 0, 53];
    private readonly IMaterializer _materializer;
    private readonly CountingPool _pool = new();
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly UdpClient _peer = new(new IPEndPoint(IPAddress.Loopback, 0));

    public DatagramPortStageSpec(ITestOutputHelper output) : base(SpecConfig.Hocon, output)
    {
        _materializer = Sys.Materializer();
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Blocking = false;
    }

    private DatagramPortSettings Settings(int queueLimit = 256) =>
        new(_listener, _peer.Client.LocalEndPoint!, Prefix, _pool, queueLimit);

    private ByteChunk Chunk(params byte[] bytes) => ByteChunk.CopyOf(_pool, bytes);

    [Fact]
    public async Task Offered_datagrams_come_out_in_order_and_replies_reach_the_peer_behind_the_prefix()
    {
        // The "outbound" echoes each element back, so every offered datagram returns to the peer as a reply.
        var port = VMessFlows.DatagramPort(Settings()).Join(Flow.Create<ByteChunk>()).Run(_materializer);

        Assert.True(port.Offer(Chunk(1, 2, 3)));
        Assert.True(port.Offer(Chunk(4)));

        Assert.Equal([.. Prefix, 1, 2, 3], (await _peer.ReceiveAsync().WaitAsync(Timeout)).Buffer);
        Assert.Equal([.. Prefix, 4], (await _peer.ReceiveAsync().WaitAsync(Timeout)).Buffer);
        port.Link.Abort("test over");
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task Datagrams_beyond_the_queue_limit_are_dropped_while_the_outbound_does_not_pull()
    {
        var (port, outbound) = Source.Never<ByteChunk>()
            .ViaMaterialized(VMessFlows.DatagramPort(Settings(queueLimit: 2)), Keep.Right)
            .ToMaterialized(this.SinkProbe<ByteChunk>(), Keep.Both)
            .Run(_materializer);

        Assert.True(port.Offer(Chunk(1)));
        Assert.True(port.Offer(Chunk(2)));
        Assert.False(port.Offer(Chunk(3)));

        outbound.Request(3);
        using (var first = await outbound.ExpectNextAsync()) Assert.Equal([1], first.Span.ToArray());
        using (var second = await outbound.ExpectNextAsync()) Assert.Equal([2], second.Span.ToArray());
        await outbound.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        outbound.Cancel();
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task An_abort_stops_the_port_and_later_offers_are_refused()
    {
        var port = VMessFlows.DatagramPort(Settings()).Join(Flow.Create<ByteChunk>()).Run(_materializer);

        port.Link.Abort("idle");

        await Assert.ThrowsAsync<SocketAbortedException>(() => port.Link.Completion.WaitAsync(Timeout));
        Assert.True(port.Link.IsStopped);
        Assert.False(port.Offer(Chunk(9)));
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task The_port_counts_bytes_both_ways_for_the_idle_timeout()
    {
        var port = VMessFlows.DatagramPort(Settings()).Join(Flow.Create<ByteChunk>()).Run(_materializer);

        port.Offer(Chunk(1, 2, 3, 4));
        await _peer.ReceiveAsync().WaitAsync(Timeout);

        Assert.Equal(4, port.Link.BytesRead);
        // The peer may have the reply before the stage has counted it.
        await AwaitAssertAsync(() => Assert.Equal(Prefix.Length + 4, port.Link.BytesWritten), Timeout);
        port.Link.Abort("test over");
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        _listener.Dispose();
        _peer.Dispose();
    }
}
