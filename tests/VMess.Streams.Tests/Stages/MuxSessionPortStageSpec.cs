using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using VMess.Streams.Buffers;
using VMess.Streams.Mux;
using VMess.Streams.Stages;
using VMess.Streams.Tests.Support;
using Xunit.Abstractions;

namespace VMess.Streams.Tests.Stages;

/// <summary>
/// <see cref="MuxSessionPortStage"/>: one mux session's graph side. The test plays the mux server on the port and
/// probes stand in for the outbound (what goes to the target comes out; the target's reply goes in).
/// </summary>
public sealed class MuxSessionPortStageSpec : Akka.TestKit.Xunit2.TestKit
{
    private readonly IMaterializer _materializer;
    private readonly CountingPool _pool = new();

    public MuxSessionPortStageSpec(ITestOutputHelper output) : base(SpecConfig.Hocon, output)
    {
        _materializer = Sys.Materializer();
    }

    [Fact]
    public async Task The_target_should_not_be_read_while_the_sessions_reply_queue_is_full_and_be_read_again_once_it_is_taken()
    {
        var (replies, port, toTarget) = Run(downlinkQueueBytes: 10);
        await replies.ExpectRequestAsync();

        await replies.SendNextAsync(ByteChunk.CopyOf(_pool, new byte[10]));
        await replies.SendNextAsync(ByteChunk.CopyOf(_pool, new byte[5]));

        await AwaitAssertAsync(() => Assert.Equal(10, port.DownlinkQueuedBytes));
        await replies.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        Assert.Equal(10, port.DownlinkQueuedBytes);
        Assert.True(port.TryTakeDownlink(out var taken));
        taken.Dispose();
        await AwaitAssertAsync(() => Assert.Equal(5, port.DownlinkQueuedBytes));
        port.Abort("done");
        await toTarget.ExpectSubscriptionAndErrorAsync();
        port.DetachMux(); // as the mux server does once the session has stopped
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    [Fact]
    public async Task The_clients_data_should_reach_the_target_then_its_end_half_close_it_and_the_stage_stop_once_the_target_ended()
    {
        var (replies, port, toTarget) = Run(downlinkQueueBytes: 1024);
        port.AttachMux(() => { });
        Assert.True(port.OfferUplink(ByteChunk.CopyOf(_pool, "up"u8)));
        port.EndUplink();

        await toTarget.RequestAsync(2);
        using (var chunk = await toTarget.ExpectNextAsync()) Assert.Equal("up"u8.ToArray(), chunk.Span.ToArray());
        await toTarget.ExpectCompleteAsync();
        await replies.SendCompleteAsync();

        await port.Link.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(port.DownlinkEnded);
        await this.AssertStagesStoppedAsync(_materializer, _pool);
    }

    private (TestPublisher.Probe<ByteChunk> Replies, MuxSessionPort Port, TestSubscriber.Probe<ByteChunk> ToTarget) Run(int downlinkQueueBytes)
    {
        var ((replies, port), toTarget) = this.SourceProbe<ByteChunk>()
            .ViaMaterialized(Flow.FromGraph(new MuxSessionPortStage(new MuxSessionPortSettings(1024, downlinkQueueBytes))), Keep.Both)
            .ToMaterialized(this.SinkProbe<ByteChunk>(), Keep.Both)
            .Run(_materializer);
        return (replies, port, toTarget);
    }
}
