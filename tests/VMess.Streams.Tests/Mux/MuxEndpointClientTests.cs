using System.Buffers;
using VMess.Protocol.Addresses;
using VMess.Protocol.Mux;
using VMess.Streams.Buffers;
using VMess.Streams.Mux;
using VMess.Streams.Tests.Support;

namespace VMess.Streams.Tests.Mux;

/// <summary>
/// <see cref="MuxEndpoint"/> in the client role: sessions opened locally, a New frame before any Keep, the server's
/// frames fed to the local ports. The ports' graph side is played by the test, and every chunk must go back to the pool.
/// </summary>
public sealed class MuxEndpointClientTests : IDisposable
{
    private static readonly DestinationAddress Target = DestinationAddress.Parse("example.com", 443);
    private readonly CountingPool _pool = new();
    private readonly StallHost _host = new();
    private readonly MuxEndpoint _client;
    private readonly List<MuxSessionPort> _ports = [];
    private int _removed;

    public MuxEndpointClientTests()
    {
        _client = MuxEndpoint.ForClient(_host, _pool, () => { }, () => _removed++);
    }

    public void Dispose()
    {
        _client.Stop();
        foreach (var port in _ports) port.OnStopped(null);
        Assert.Equal(0, _pool.Outstanding);
        Assert.Equal(0, _pool.BadReturns);
    }

    [Fact]
    public void OpenLocal_should_number_sessions_1_2_3_as_V2Rays_client_does()
    {
        var ids = Enumerable.Range(0, 3).Select(_ => _client.OpenLocal(MuxNetwork.Tcp, Target, Port()).SessionId);

        Assert.Equal([(ushort)1, 2, 3], ids);
    }

    [Fact]
    public void A_session_with_data_queued_should_open_with_a_New_frame_carrying_it()
    {
        var port = Port();
        port.OfferDownlink(Chunk("GET /"u8));
        _client.OpenLocal(MuxNetwork.Tcp, Target, port);

        Assert.Equal([(MuxFrameMetadata.New(1, MuxNetwork.Tcp, Target, MuxOptions.Data), "GET /")], ReadFrames());
    }

    [Fact]
    public void A_session_without_data_should_send_New_alone_and_its_data_later_as_Keep()
    {
        var port = Port();
        _client.OpenLocal(MuxNetwork.Tcp, Target, port);
        var first = ReadFrames();

        port.OfferDownlink(Chunk("later"u8));

        Assert.Equal([(MuxFrameMetadata.New(1, MuxNetwork.Tcp, Target), "")], first);
        Assert.Equal([(MuxFrameMetadata.Keep(1, MuxOptions.Data), "later")], ReadFrames());
    }

    [Fact]
    public void A_session_that_ends_before_its_New_went_out_should_write_New_then_End()
    {
        var port = Port();
        port.EndDownlink();
        _client.OpenLocal(MuxNetwork.Udp, Target, port);

        Assert.Equal([(MuxFrameMetadata.New(1, MuxNetwork.Udp, Target), ""), (MuxFrameMetadata.End(1), "")], ReadFrames());
    }

    [Fact]
    public void Keep_from_the_server_should_reach_the_local_reader()
    {
        var port = Open();

        Assert.Null(Feed(Frame(MuxFrameMetadata.Keep(1, MuxOptions.Data), "reply"u8)));

        Assert.Equal("reply"u8.ToArray(), TakeFromServer(port));
    }

    [Fact]
    public void New_from_the_server_should_be_dropped_as_V2Rays_client_does()
    {
        Open();

        Assert.Null(Feed(Frame(MuxFrameMetadata.New(7, MuxNetwork.Tcp, Target, MuxOptions.Data), "push"u8)));

        Assert.Empty(ReadFrames());
        Assert.Equal(1, _client.SessionCount);
    }

    [Fact]
    public void End_from_the_server_should_end_the_local_reader_after_its_data()
    {
        var port = Open();

        Feed([.. Frame(MuxFrameMetadata.Keep(1, MuxOptions.Data), "bye"u8), .. Frame(MuxFrameMetadata.End(1), default)]);

        Assert.Equal("bye"u8.ToArray(), TakeFromServer(port));
        Assert.True(port.UplinkFinished);
    }

    [Fact]
    public void A_session_ended_both_ways_should_leave_the_table_and_be_counted_out()
    {
        var port = Open();
        Feed(Frame(MuxFrameMetadata.End(1), default));
        port.EndDownlink();
        port.OnStopped(null);

        Assert.Equal([(MuxFrameMetadata.End(1), "")], ReadFrames());
        ReadFrames();
        Assert.Equal(0, _client.SessionCount);
        Assert.Equal(1, _removed);
    }

    [Fact]
    public void A_local_reader_that_takes_nothing_should_hold_the_connection_until_it_alone_is_ended()
    {
        var slow = Open(uplinkLimit: 8);
        var other = Open();
        Feed(Frame(MuxFrameMetadata.Keep(1, MuxOptions.Data), "12345678"u8));
        Feed(Frame(MuxFrameMetadata.Keep(1, MuxOptions.Data), "9"u8));
        Assert.True(_client.IsBlocked);
        Feed(Frame(MuxFrameMetadata.Keep(2, MuxOptions.Data), "next"u8));

        Assert.Null(_client.EndBlockedSession());

        Assert.Equal([(MuxFrameMetadata.End(1, MuxOptions.Error), "")], ReadFrames());
        Assert.Equal("next"u8.ToArray(), TakeFromServer(other));
        Assert.Equal([new MuxSessionRequest(1, MuxNetwork.Tcp, Target)], _host.Overflowed);
        slow.OnStopped(new InvalidOperationException("aborted"));
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private MuxSessionPort Port(int uplinkLimit = 1024 * 1024)
    {
        var port = new MuxSessionPort(uplinkLimit, 64 * 1024);
        _ports.Add(port);
        return port;
    }

    // An open session whose New frame already went out.
    private MuxSessionPort Open(int uplinkLimit = 1024 * 1024)
    {
        var port = Port(uplinkLimit);
        _client.OpenLocal(MuxNetwork.Tcp, Target, port);
        ReadFrames();
        return port;
    }

    private string? Feed(byte[] bytes) => _client.Feed(ByteChunk.CopyOf(_pool, bytes));

    private ByteChunk Chunk(ReadOnlySpan<byte> bytes) => ByteChunk.CopyOf(_pool, bytes);

    private static byte[] Frame(MuxFrameMetadata meta, ReadOnlySpan<byte> data)
    {
        var frame = new byte[MuxFrameCodec.GetEncodedLength(meta, data.Length)];
        MuxFrameCodec.EncodeFrame(meta, data, frame);
        return frame;
    }

    // On the client side the port's "uplink" is what the server sent for the local reader.
    private static byte[] TakeFromServer(MuxSessionPort port)
    {
        var bytes = new List<byte>();
        while (port.TryTakeUplink(out var chunk))
        {
            bytes.AddRange(chunk.Span.ToArray());
            chunk.Dispose();
        }

        return [.. bytes];
    }

    private List<(MuxFrameMetadata Meta, string Text)> ReadFrames()
    {
        var frames = new List<(MuxFrameMetadata, string)>();
        var buffer = new byte[8 * 1024];
        int written;
        while ((written = _client.WriteFrames(buffer)) > 0)
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

    private sealed class StallHost : IMuxSessionHost
    {
        public int MaxSessions => 8;

        public TimeSpan SessionStallTimeout => TimeSpan.FromSeconds(1);

        public List<MuxSessionRequest> Overflowed { get; } = [];

        public MuxSessionPort? Open(MuxSessionRequest request) => throw new InvalidOperationException("the client side opens nothing for the peer");

        public void SessionLimitReached(MuxSessionRequest request) => throw new InvalidOperationException("not on the client side");

        public void SessionOverflowed(MuxSessionRequest request, long bufferedBytes) => Overflowed.Add(request);
    }
}
