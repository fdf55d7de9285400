using Akka.Streams;
using Akka.Streams.Stage;
using VMess.Streams.Buffers;
using VMess.Streams.Mux;

namespace VMess.Streams.Stages;

/// <summary>
/// The client side of one Mux.Cool sub-connection, in place of a client socket: the session's uplink (what the
/// client sent in its frames) comes out, and what is pushed in (the target's reply) goes back to the mux connection,
/// both through the session's <see cref="MuxSessionPort"/>. It stops pulling the target while the session's reply
/// queue is full. The client's End completes the output (the target is half-closed); the target's end is reported
/// to the mux connection, which sends End. It stops when both directions are done, or fails when aborted.
/// </summary>
public sealed class MuxSessionPortStage(MuxSessionPortSettings settings)
    : GraphStageWithMaterializedValue<FlowShape<ByteChunk, ByteChunk>, MuxSessionPort>
{
    public Inlet<ByteChunk> In { get; } = new("MuxSessionPort.in");

    public Outlet<ByteChunk> Out { get; } = new("MuxSessionPort.out");

    public override FlowShape<ByteChunk, ByteChunk> Shape => new(In, Out);

    public override ILogicAndMaterializedValue<MuxSessionPort> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var port = new MuxSessionPort(settings.UplinkBufferBytes, settings.DownlinkQueueBytes);
        return new LogicAndMaterializedValue<MuxSessionPort>(new Logic(this, port), port);
    }

    private static readonly object Wake = new();

    private sealed class Logic : GraphStageLogic
    {
        private readonly MuxSessionPortStage _stage;
        private readonly MuxSessionPort _port;
        private bool _uplinkDone;
        private bool _downlinkDone;
        private bool _downlinkBlocked;
        private Exception? _failure;

        public Logic(MuxSessionPortStage stage, MuxSessionPort port) : base(stage.Shape)
        {
            _stage = stage;
            _port = port;
            SetHandler(stage.In, OnPush, OnUpstreamFinish, Fail);
            SetHandler(stage.Out, PushUplink, OnDownstreamFinish);
        }

        public override void PreStart()
        {
            var control = GetAsyncCallback<object>(OnControl);
            var (_, pendingAbort) = _port.Link.Bind(control);
            _port.BindPort(() => control(Wake));
            if (pendingAbort is not null) Fail(new SocketAbortedException(pendingAbort));
            else Pull(_stage.In);
        }

        public override void PostStop()
        {
            _port.OnStopped(_failure);
            _port.Link.OnStopped(_failure);
        }

        private void OnControl(object control)
        {
            if (control is string reason)
            {
                Fail(new SocketAbortedException(reason));
                return;
            }
            _port.PortWoken();
            if (!_uplinkDone && IsAvailable(_stage.Out)) PushUplink();
            if (_downlinkBlocked && _port.HasDownlinkRoom)
            {
                _downlinkBlocked = false;
                Pull(_stage.In);
            }
        }

        private void PushUplink()
        {
            if (_port.TryTakeUplink(out var chunk))
            {
                _port.Link.AddRead(chunk.Length);
                Push(_stage.Out, chunk);
                return;
            }
            if (!_port.UplinkFinished) return;
            _uplinkDone = true;
            _port.Link.OnReadClosed();
            Complete(_stage.Out);
            MaybeStop();
        }

        private void OnPush()
        {
            var chunk = Grab(_stage.In);
            _port.Link.AddWritten(chunk.Length);
            if (_port.OfferDownlink(chunk)) Pull(_stage.In);
            else _downlinkBlocked = true;
        }

        private void OnUpstreamFinish()
        {
            _downlinkDone = true;
            _port.EndDownlink();
            MaybeStop();
        }

        private void OnDownstreamFinish(Exception cause)
        {
            if (cause is not SubscriptionWithCancelException.NonFailureCancellation)
            {
                Fail(cause);
                return;
            }
            _uplinkDone = true;
            _port.RefuseUplink();
            MaybeStop();
        }

        private void MaybeStop()
        {
            if (_uplinkDone && _downlinkDone) CompleteStage();
        }

        private void Fail(Exception failure)
        {
            _failure ??= failure;
            FailStage(failure);
        }
    }
}

/// <summary>
/// The bounds of one Mux.Cool session's queues: <paramref name="UplinkBufferBytes"/> of client data waiting for its
/// target before the session is ended, and <paramref name="DownlinkQueueBytes"/> of its target's reply waiting for
/// the mux connection before the target is no longer read.
/// </summary>
public sealed record MuxSessionPortSettings(int UplinkBufferBytes, int DownlinkQueueBytes);
