using System.Buffers;
using VMess.Protocol.Addresses;
using VMess.Protocol.Mux;
using VMess.Streams.Buffers;
using VMess.Streams.Mux;
using VMess.Streams.Tests.Support;

namespace VMess.Streams.Tests.Mux;

/// <summary>
/// <see cref="MuxEndpoint"/> on its own: frames in, sessions opened and fed through their ports, frames out. The ports'
/// graph side is played by the test (take uplink, offer replies, stop), and every chunk must go back to the pool.
/// </summary>
public sealed class MuxEndpointTests : IDisposable
{
    private static readonly DestinationAddress Target = DestinationAddress.Parse("127.0.0.1", 80);
    private readonly CountingPool _pool = new();
    private readonly FakeHost _host;
    private readonly MuxEndpoint _server;
    private int _wakes;

    public MuxEndpointTests()
    {
        _host = new FakeHost();
        _server = new MuxEndpoint(_host, _pool, () => Interlocked.Increment(ref _wakes));
    }

    public void Dispose()
    {
        _server.Stop();
        foreach (var port in _host.Ports) port.OnStopped(null);
        Assert.Equal(0, _pool.Outstanding);
        Assert.Equal(0, _pool.BadReturns);
    }

    [Fact]
    public void New_with_data_should_open_a_session_whose_port_holds_the_data_for_the_target()
    {
        Assert.Null(Feed(New(1, MuxNetwork.Tcp, "hello"u8)));

        var request = Assert.Single(_host.Opened);
        Assert.Equal(new MuxSessionRequest(1, MuxNetwork.Tcp, Target), request);
        Assert.Equal("hello"u8.ToArray(), TakeUplink(_host.Ports[0]));
    }

    [Fact]
    public void Frames_should_be_read_whatever_way_the_request_is_split()
    {
        var bytes = Concat(New(1, MuxNetwork.Tcp, "ab"u8), Keep(1, "cdef"u8), New(2, MuxNetwork.Udp, "x"u8), Keep(2, "yz"u8));

        foreach (var b in bytes) Assert.Null(Feed([b]));

        Assert.Equal(2, _host.Opened.Count);
        Assert.Equal("abcdef"u8.ToArray(), TakeUplink(_host.Ports[0]));
        Assert.Equal(["x"u8.ToArray(), "yz"u8.ToArray()], TakeUplinkChunks(_host.Ports[1]));
    }

    [Fact]
    public void Keep_with_data_for_an_unknown_session_should_be_answered_with_End()
    {
        Feed(Keep(9, "lost"u8));

        Assert.Equal([MuxFrameMetadata.End(9)], ReadFrames().Select(f => f.Meta));
    }

    [Fact]
    public void Keep_without_data_and_KeepAlive_should_be_ignored()
    {
        Feed(Concat(Frame(MuxFrameMetadata.Keep(9), default), Frame(MuxFrameMetadata.KeepAlive(0, MuxOptions.Data), "ping"u8)));

        Assert.Empty(ReadFrames());
        Assert.Empty(_host.Opened);
    }

    [Fact]
    public void End_from_the_client_should_half_close_the_target_while_replies_still_flow()
    {
        Feed(New(1, MuxNetwork.Tcp, "req"u8));
        var port = _host.Ports[0];
        TakeUplink(port);

        Feed(Frame(MuxFrameMetadata.End(1), default));
        port.OfferDownlink(Chunk("reply"u8));

        Assert.True(port.UplinkFinished);
        Assert.Equal([(MuxFrameMetadata.Keep(1, MuxOptions.Data), "reply")], ReadFrames().Select(f => (f.Meta, f.Text)));
    }

    [Fact]
    public void The_targets_end_should_be_written_as_End_after_its_data()
    {
        Feed(New(1, MuxNetwork.Tcp, default));
        var port = _host.Ports[0];

        port.OfferDownlink(Chunk("last words"u8));
        port.EndDownlink();

        Assert.Equal([(MuxFrameMetadata.Keep(1, MuxOptions.Data), "last words"), (MuxFrameMetadata.End(1), "")],
            ReadFrames().Select(f => (f.Meta, f.Text)));
    }

    [Fact]
    public void A_session_that_fails_should_be_written_as_End_with_the_error_option_and_leave_the_table()
    {
        Feed(New(1, MuxNetwork.Tcp, default));

        _host.Ports[0].OnStopped(new InvalidOperationException("target reset"));

        Assert.Equal([MuxFrameMetadata.End(1, MuxOptions.Error)], ReadFrames().Select(f => f.Meta));
        Assert.Equal(0, _server.SessionCount);
    }

    [Fact]
    public void End_with_the_error_option_should_abort_the_session()
    {
        Feed(New(1, MuxNetwork.Tcp, default));
        var port = _host.Ports[0];
        var aborted = AbortReason(port);

        Feed(Frame(MuxFrameMetadata.End(1, MuxOptions.Error), default));

        Assert.Equal("the client ended the mux session with an error", aborted());
    }

    [Fact]
    public void A_New_frame_past_the_session_limit_should_be_answered_with_End_and_the_error_option()
    {
        _host.MaxSessions = 1;
        Feed(New(1, MuxNetwork.Tcp, default));

        Feed(New(2, MuxNetwork.Tcp, "too many"u8));

        Assert.Equal([(ushort)2], _host.LimitReached.Select(r => r.SessionId));
        Assert.Equal([MuxFrameMetadata.End(2, MuxOptions.Error)], ReadFrames().Select(f => f.Meta));
    }

    [Fact]
    public void A_session_the_host_refuses_should_be_answered_with_End_and_the_error_option()
    {
        _host.Refuse = true;

        Feed(New(1, MuxNetwork.Tcp, "data"u8));

        Assert.Equal([MuxFrameMetadata.End(1, MuxOptions.Error)], ReadFrames().Select(f => f.Meta));
    }

    [Fact]
    public void A_full_session_should_hold_back_the_following_frames_until_its_target_makes_room()
    {
        _host.UplinkLimit = 8;
        Feed(Concat(New(1, MuxNetwork.Tcp, "12345678"u8), Keep(1, "9"u8), New(2, MuxNetwork.Tcp, default)));

        Assert.True(_server.IsBlocked);
        Assert.Single(_host.Opened);
        Assert.Equal("12345678"u8.ToArray(), TakeUplink(_host.Ports[0]));
        Assert.Null(_server.Resume());

        Assert.False(_server.IsBlocked);
        Assert.Equal(2, _host.Opened.Count);
        Assert.Equal("9"u8.ToArray(), TakeUplink(_host.Ports[0]));
    }

    [Fact]
    public void A_full_session_that_makes_no_room_in_time_should_be_ended_with_the_error_option_and_reading_go_on()
    {
        _host.UplinkLimit = 4;
        Feed(Concat(New(1, MuxNetwork.Tcp, "1234"u8), Keep(1, "5"u8), New(2, MuxNetwork.Tcp, default)));
        var aborted = AbortReason(_host.Ports[0]);

        Assert.Null(_server.EndBlockedSession());

        Assert.Equal([(ushort)1], _host.Overflowed.Select(r => r.SessionId));
        Assert.Equal("mux session buffer full: its target does not keep up", aborted());
        Assert.Equal(2, _host.Opened.Count);
        Assert.Equal([MuxFrameMetadata.End(1, MuxOptions.Error)], ReadFrames().Select(f => f.Meta));
    }

    [Fact]
    public void Replies_of_busy_sessions_should_take_turns()
    {
        Feed(Concat(New(1, MuxNetwork.Tcp, default), New(2, MuxNetwork.Tcp, default)));
        var big = new byte[MuxEndpoint.TurnBytes * 2];
        _host.Ports[0].OfferDownlink(Chunk(big));
        _host.Ports[1].OfferDownlink(Chunk(big));

        var order = ReadFrames(destinationSize: 64 * 1024).Select(f => f.Meta.SessionId).ToList();

        Assert.Equal(1, order[0]);
        Assert.Contains((ushort)2, order.Take(order.Count / 2 + 1));
    }

    [Fact]
    public void A_udp_reply_should_be_one_frame_per_datagram_and_one_too_large_for_the_client_dropped()
    {
        Feed(New(1, MuxNetwork.Udp, default));
        var port = _host.Ports[0];

        port.OfferDownlink(Chunk("one"u8));
        port.OfferDownlink(Chunk(new byte[MuxFrameCodec.MaxPacketDataLength + 1]));
        port.OfferDownlink(Chunk("two"u8));

        Assert.Equal(["one", "two"], ReadFrames().Select(f => f.Text));
    }

    [Fact]
    public void A_malformed_frame_should_be_reported()
    {
        Assert.Equal("a malformed Mux.Cool frame", Feed([0, 2, 0, 1]));
    }

    [Fact]
    public void A_udp_datagram_over_the_clients_buffer_size_should_be_reported()
    {
        var problem = Feed(New(1, MuxNetwork.Udp, new byte[MuxFrameCodec.MaxPacketDataLength + 1]));

        Assert.Contains("over 2048", problem);
    }

    [Fact]
    public void A_request_that_ends_inside_a_frame_should_be_reported()
    {
        Feed(New(1, MuxNetwork.Tcp, "abc"u8)[..^1]);

        Assert.Equal("the Mux.Cool stream ends inside a frame", _server.EndInput());
    }

    [Fact]
    public void The_end_of_the_request_should_half_close_every_session_and_complete_once_they_ended()
    {
        Feed(Concat(New(1, MuxNetwork.Tcp, default), New(2, MuxNetwork.Tcp, default)));

        Assert.Null(_server.EndInput());
        Assert.All(_host.Ports, p => Assert.True(p.UplinkFinished));
        Assert.False(_server.IsComplete);
        foreach (var port in _host.Ports)
        {
            port.EndDownlink();
            port.OnStopped(null);
        }

        Assert.Equal(2, ReadFrames().Count(f => f.Meta.Status == MuxSessionStatus.End));
        Assert.True(_server.IsComplete);
    }

    [Fact]
    public void Stop_should_abort_every_open_session_and_release_what_it_queued()
    {
        Feed(New(1, MuxNetwork.Tcp, "pending"u8));
        var port = _host.Ports[0];
        var aborted = AbortReason(port);
        port.OfferDownlink(Chunk("unsent"u8));

        _server.Stop();

        Assert.Equal("the mux connection closed", aborted());
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private string? Feed(byte[] bytes) => _server.Feed(ByteChunk.CopyOf(_pool, bytes));

    private ByteChunk Chunk(ReadOnlySpan<byte> bytes) => ByteChunk.CopyOf(_pool, bytes);

    private static byte[] New(ushort id, MuxNetwork network, ReadOnlySpan<byte> data) =>
        Frame(MuxFrameMetadata.New(id, network, Target, data.IsEmpty ? MuxOptions.None : MuxOptions.Data), data);

    private static byte[] Keep(ushort id, ReadOnlySpan<byte> data) => Frame(MuxFrameMetadata.Keep(id, MuxOptions.Data), data);

    private static byte[] Frame(MuxFrameMetadata meta, ReadOnlySpan<byte> data)
    {
        var frame = new byte[MuxFrameCodec.GetEncodedLength(meta, data.Length)];
        MuxFrameCodec.EncodeFrame(meta, data, frame);
        return frame;
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    private static byte[] TakeUplink(MuxSessionPort port) => [.. TakeUplinkChunks(port).SelectMany(c => c)];

    private static List<byte[]> TakeUplinkChunks(MuxSessionPort port)
    {
        var chunks = new List<byte[]>();
        while (port.TryTakeUplink(out var chunk))
        {
            chunks.Add(chunk.Span.ToArray());
            chunk.Dispose();
        }

        return chunks;
    }

    // The abort goes through the port's link, as a control-plane abort does; the reason is what the stage would get.
    private static Func<string?> AbortReason(MuxSessionPort port)
    {
        string? reason = null;
        port.Link.Bind(control => reason = control as string);
        return () => reason;
    }

    private List<(MuxFrameMetadata Meta, string Text)> ReadFrames(int destinationSize = 8 * 1024)
    {
        var frames = new List<(MuxFrameMetadata, string)>();
        var buffer = new byte[destinationSize];
        int written;
        while ((written = _server.WriteFrames(buffer)) > 0)
        {
            var bytes = buffer.AsSpan(0, written);
            while (!bytes.IsEmpty)
            {
                Assert.Equal(OperationStatus.Done, MuxFrameCodec.DecodeFrame(bytes, out var meta, out var offset, out var length, out var consumed, out _));
                frames.Add((meta, System.Text.Encoding.ASCII.GetString(bytes.Slice(offset, length))));
                bytes = bytes[consumed..];
            }
        }

        return frames;
    }

    private sealed class FakeHost : IMuxSessionHost
    {
        public int MaxSessions { get; set; } = 16;

        public TimeSpan SessionStallTimeout => TimeSpan.FromSeconds(1);

        public int UplinkLimit { get; set; } = 1024 * 1024;

        public bool Refuse { get; set; }

        public List<MuxSessionRequest> Opened { get; } = [];

        public List<MuxSessionPort> Ports { get; } = [];

        public List<MuxSessionRequest> LimitReached { get; } = [];

        public List<MuxSessionRequest> Overflowed { get; } = [];

        public MuxSessionPort? Open(MuxSessionRequest request)
        {
            if (Refuse) return null;
            Opened.Add(request);
            var port = new MuxSessionPort(UplinkLimit, 64 * 1024);
            Ports.Add(port);
            return port;
        }

        public void SessionLimitReached(MuxSessionRequest request) => LimitReached.Add(request);

        public void SessionOverflowed(MuxSessionRequest request, long bufferedBytes) => Overflowed.Add(request);
    }
}
