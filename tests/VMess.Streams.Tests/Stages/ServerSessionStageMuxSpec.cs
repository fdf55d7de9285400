using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using VMess.Protocol.Addresses;
using VMess.Protocol.Headers;
using VMess.Protocol.Mux;
using VMess.Streams.Buffers;
using VMess.Streams.Mux;
using VMess.Streams.Stages;
using VMess.Streams.Tests.Support;
using Xunit.Abstractions;

namespace VMess.Streams.Tests.Stages;

/// <summary>
/// The server session when the request command is Mux: frames of the decoded request open sessions whose graphs run
/// on their own (a <see cref="MuxSessionPortStage"/> and a stand-in target), and their replies come back as frames.
/// </summary>
public sealed class ServerSessionStageMuxSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly DestinationAddress Target = DestinationAddress.Parse("127.0.0.1", 80);
    private readonly IMaterializer _materializer;
    private readonly CountingPool _pool = new();

    public ServerSessionStageMuxSpec(ITestOutputHelper output) : base(SpecConfig.Hocon, output)
    {
        _materializer = Sys.Materializer();
    }

    [Fact]
    public async Task Mux_sessions_should_reach_their_targets_and_come_back_as_frames_ending_both_ways()
    {
        using var client = new TestClient(TestUsers.Account(0, SecurityType.Aes128Gcm), RequestCommand.Mux);
        var host = new Host(_materializer, target: () => Flow.Create<ByteChunk>());
        var frames = Concat(
            Frame(MuxFrameMetadata.New(1, MuxNetwork.Tcp, Target, MuxOptions.Data), "hello "u8),
            Frame(MuxFrameMetadata.New(2, MuxNetwork.Udp, Target, MuxOptions.Data), "datagram"u8),
            Frame(MuxFrameMetadata.Keep(1, MuxOptions.Data), "world"u8),
            Frame(MuxFrameMetadata.KeepAlive(0), default),
            Frame(MuxFrameMetadata.End(1), default),
            Frame(MuxFrameMetadata.End(2), default));

        var (accepted, response) = Run(Rechunk.Random(client.Request([frames]), seed: 3, maxPiece: 100), host);

        Assert.Equal(RequestCommand.Mux, (await accepted).Handshake.Header.Command);
        var replies = ParseFrames(client.ReadResponse(await response.WaitAsync(Timeout)).Joined);
        Assert.Equal("hello world", Text(replies, 1));
        Assert.Equal("datagram", Text(replies, 2));
        Assert.Equal([MuxFrameMetadata.End(1), MuxFrameMetadata.End(2)],
            replies.Where(r => r.Meta.Status == MuxSessionStatus.End).Select(r => r.Meta).OrderBy(m => m.SessionId));
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task A_session_whose_target_takes_nothing_should_be_ended_with_the_error_option_after_the_stall_timeout()
    {
        using var client = new TestClient(TestUsers.Account(0, SecurityType.ChaCha20Poly1305), RequestCommand.Mux);
        var stuck = this.CreateManualSubscriberProbe<ByteChunk>();
        var host = new Host(_materializer, target: () => Flow.FromSinkAndSource(Sink.FromSubscriber(stuck), Source.Never<ByteChunk>()),
            uplinkLimit: 1024, stall: TimeSpan.FromMilliseconds(200));
        var frames = Concat(
            Frame(MuxFrameMetadata.New(1, MuxNetwork.Tcp, Target, MuxOptions.Data), new byte[1000]),
            Frame(MuxFrameMetadata.Keep(1, MuxOptions.Data), new byte[1000]),
            Frame(MuxFrameMetadata.End(1), default));

        var clock = new TimerWatchingClock(DateTimeOffset.FromUnixTimeSeconds(TestUsers.Now));
        var (_, response) = Run([client.Request([frames])], host, clock);

        await clock.TimerCreated.WaitAsync(Timeout);
        Assert.Empty(host.Overflowed);
        clock.Advance(TimeSpan.FromMilliseconds(200));
        var replies = ParseFrames(client.ReadResponse(await response.WaitAsync(Timeout)).Joined);
        Assert.Equal([MuxFrameMetadata.End(1, MuxOptions.Error)], replies.Select(r => r.Meta));
        Assert.Equal([(ushort)1], host.Overflowed);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task A_malformed_frame_should_fail_the_connection_with_a_mux_frame_error()
    {
        using var client = new TestClient(TestUsers.Account(0, SecurityType.Aes128Gcm), RequestCommand.Mux);
        var host = new Host(_materializer, target: () => Flow.Create<ByteChunk>());

        var (_, response) = Run([client.Request([[0, 2, 0, 1, 9, 9]])], host);

        var failure = await Assert.ThrowsAsync<MuxFrameException>(() => response.WaitAsync(Timeout));
        Assert.Contains("malformed", failure.Message);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    private (Task<HandshakeAccepted> Accepted, Task<byte[]> Response) Run(IEnumerable<byte[]> clientPieces, Host host,
        TimeProvider? clock = null)
    {
        var settings = TestUsers.Settings(_pool);
        if (clock is not null) settings = settings with { Clock = clock };
        // A mux connection lets go of its own target side at once; a stand-in that would carry nothing is enough.
        var target = Flow.FromSinkAndSource(Sink.Ignore<ByteChunk>(), Source.Never<ByteChunk>(), Keep.None);
        var (outcome, response) = Source.From(clientPieces)
            .Select(bytes => ByteChunk.CopyOf(_pool, bytes))
            .ViaMaterialized(VMessFlows.ServerSession(settings).Join(target), Keep.Right)
            .Select(Rechunk.Take)
            .ToMaterialized(Sink.Seq<byte[]>(), Keep.Both)
            .Run(_materializer);
        var accepted = outcome.ContinueWith(t =>
        {
            var accepted = Assert.IsType<HandshakeAccepted>(t.Result);
            accepted.Mux!.Start(host);
            return accepted;
        }, TaskScheduler.Default);
        return (accepted, Joined(response));
    }

    private static async Task<byte[]> Joined(Task<IImmutableList<byte[]>> response) => [.. (await response).SelectMany(b => b)];

    private static byte[] Frame(MuxFrameMetadata meta, ReadOnlySpan<byte> data)
    {
        var frame = new byte[MuxFrameCodec.GetEncodedLength(meta, data.Length)];
        MuxFrameCodec.EncodeFrame(meta, data, frame);
        return frame;
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    private static string Text(IEnumerable<(MuxFrameMetadata Meta, byte[] Data)> frames, ushort id) =>
        string.Concat(frames.Where(f => f.Meta.SessionId == id && f.Meta.Status == MuxSessionStatus.Keep)
            .Select(f => System.Text.Encoding.ASCII.GetString(f.Data)));

    private static List<(MuxFrameMetadata Meta, byte[] Data)> ParseFrames(ReadOnlySpan<byte> bytes)
    {
        var frames = new List<(MuxFrameMetadata, byte[])>();
        while (!bytes.IsEmpty)
        {
            Assert.Equal(OperationStatus.Done, MuxFrameCodec.DecodeFrame(bytes, out var meta, out var offset, out var length, out var consumed, out _));
            frames.Add((meta, bytes.Slice(offset, length).ToArray()));
            bytes = bytes[consumed..];
        }

        return frames;
    }

    /// <summary>Opens each session as a port stage joined to a stand-in target, as the relay's host does with a real one.</summary>
    private sealed class Host(IMaterializer materializer, Func<Flow<ByteChunk, ByteChunk, Akka.NotUsed>> target,
        int uplinkLimit = 1024 * 1024, TimeSpan? stall = null) : IMuxSessionHost
    {
        private readonly ConcurrentQueue<ushort> _overflowed = new();

        public int MaxSessions => 16;

        public TimeSpan SessionStallTimeout => stall ?? TimeSpan.FromSeconds(5);

        public IReadOnlyList<ushort> Overflowed => [.. _overflowed];

        public MuxSessionPort? Open(MuxSessionRequest request) =>
            Flow.FromGraph(new MuxSessionPortStage(new MuxSessionPortSettings(uplinkLimit, 64 * 1024))).Join(target()).Run(materializer);

        public void SessionLimitReached(MuxSessionRequest request)
        {
        }

        public void SessionOverflowed(MuxSessionRequest request, long bufferedBytes) => _overflowed.Enqueue(request.SessionId);
    }
}
