using Akka.Streams;
using Akka.Streams.Stage;
using VMess.Streams.Buffers;
using VMess.Streams.Mux;

namespace VMess.Streams.Stages;

/// <summary>
/// The client side of one Mux.Cool connection, on top of a VMess client session whose command is Mux: its input is
/// the decoded response (the server's frames), its output the request payload (this side's frames). Sessions come
/// through <see cref="MuxClientLink.TryOpen"/> and run over a <see cref="MuxEndpoint"/>. As V2Ray 4.34's client:
/// at an idle tick with no session the connection ends its request and stops; when the server ends the response, every
/// session is aborted. A session whose local reader takes nothing holds the connection back at most
/// <see cref="MuxClientSettings.SessionStallTimeout"/>, then it alone is ended (End with the error option).
/// </summary>
public sealed class MuxClientStage(MuxClientSettings settings)
    : GraphStageWithMaterializedValue<FlowShape<ByteChunk, ByteChunk>, MuxClientLink>
{
    /// <summary>The most frame bytes one request element carries.</summary>
    private const int BatchBytes = 64 * 1024;

    public Inlet<ByteChunk> In { get; } = new("MuxClient.in");

    public Outlet<ByteChunk> Out { get; } = new("MuxClient.out");

    public override FlowShape<ByteChunk, ByteChunk> Shape => new(In, Out);

    public override ILogicAndMaterializedValue<MuxClientLink> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var link = new MuxClientLink(settings.MaxConcurrency, settings.MaxSessions);
        return new LogicAndMaterializedValue<MuxClientLink>(new Logic(this, settings, link), link);
    }

    private sealed class Logic : GraphStageLogic, IMuxSessionHost
    {
        private readonly MuxClientStage _stage;
        private readonly MuxClientSettings _settings;
        private readonly MuxClientLink _link;
        private MuxEndpoint? _mux;
        private ITimer? _idleTimer;
        private ITimer? _stallTimer;
        private Action<int>? _onStallDue;
        private int _stallTimedFor;
        private bool _closing;
        private volatile bool _stopped;

        public Logic(MuxClientStage stage, MuxClientSettings settings, MuxClientLink link) : base(stage.Shape)
        {
            _stage = stage;
            _settings = settings;
            _link = link;
            SetHandler(stage.In, OnPush, OnUpstreamFinish, FailStage);
            SetHandler(stage.Out, PumpOut, OnDownstreamFinish);
        }

        public override void PreStart()
        {
            var wake = GetAsyncCallback(OnWake);
            _mux = MuxEndpoint.ForClient(this, _settings.Pool, wake, _link.SessionEnded);
            _onStallDue = GetAsyncCallback<int>(OnStallDue);
            var onIdleTick = GetAsyncCallback(OnIdleTick);
            var tick = _settings.EffectiveIdleTick;
            _idleTimer = _settings.Clock.CreateTimer(_ => { if (!_stopped) onIdleTick(); }, null, tick, tick);
            _link.Bind(wake);
            Pull(_stage.In);
        }

        public override void PostStop()
        {
            _stopped = true;
            _idleTimer?.Dispose();
            _stallTimer?.Dispose();
            _link.OnStopped();
            _mux?.Stop();
        }

        // ---- IMuxSessionHost: the client side only times stalls and reports overflows -----------------------

        int IMuxSessionHost.MaxSessions => _settings.MaxConcurrency;

        TimeSpan IMuxSessionHost.SessionStallTimeout => _settings.SessionStallTimeout;

        MuxSessionPort? IMuxSessionHost.Open(MuxSessionRequest request) => null;

        void IMuxSessionHost.SessionLimitReached(MuxSessionRequest request)
        {
        }

        void IMuxSessionHost.SessionOverflowed(MuxSessionRequest request, long bufferedBytes) =>
            _settings.Overflowed?.Invoke(request, bufferedBytes);

        // ------------------------------------------------------------------------------------------------------

        private void OnWake()
        {
            var mux = _mux!;
            mux.Woken();
            while (_link.TryTakePending(out var open)) mux.OpenLocal(open.Network, open.Target, open.Port);
            if (mux.IsBlocked)
            {
                if (mux.Resume() is { } problem)
                {
                    Fail(problem);
                    return;
                }
                if (!mux.IsBlocked) ReadOn();
            }
            PumpOut();
        }

        private void OnPush()
        {
            if (_mux!.Feed(Grab(_stage.In)) is { } problem)
            {
                Fail(problem);
                return;
            }
            ReadOn();
            PumpOut();
        }

        private void ReadOn()
        {
            var mux = _mux!;
            if (mux.IsBlocked) TimeStall(mux);
            else if (!IsClosed(_stage.In) && !HasBeenPulled(_stage.In)) Pull(_stage.In);
        }

        private void TimeStall(MuxEndpoint mux)
        {
            if (_stallTimedFor == mux.BlockCount) return;
            var block = _stallTimedFor = mux.BlockCount;
            _stallTimer?.Dispose();
            _stallTimer = _settings.Clock.CreateTimer(_ => { if (!_stopped) _onStallDue!(block); }, null,
                _settings.SessionStallTimeout, Timeout.InfiniteTimeSpan);
        }

        // A session whose local reader took nothing in time is ended, so the others read on.
        private void OnStallDue(int block)
        {
            var mux = _mux!;
            if (!mux.IsBlocked || mux.BlockCount != block) return;
            if (mux.EndBlockedSession() is { } problem)
            {
                Fail(problem);
                return;
            }
            ReadOn();
            PumpOut();
        }

        private void PumpOut()
        {
            if (_closing || !IsAvailable(_stage.Out)) return;
            var frames = ByteChunk.Rent(_settings.Pool, BatchBytes);
            var length = _mux!.WriteFrames(frames.Array.AsSpan(0, BatchBytes));
            if (length == 0)
            {
                frames.Dispose();
                return;
            }
            frames.Length = length;
            Push(_stage.Out, frames);
        }

        // As V2Ray's monitor: a connection found without a session at a tick takes no more and ends.
        private void OnIdleTick()
        {
            if (_mux!.SessionCount > 0 || !_link.CloseIfIdle()) return;
            _closing = true;
            CompleteStage();
        }

        // The server ended the mux connection: its sessions cannot go on (V2Ray's client closes them all).
        private void OnUpstreamFinish()
        {
            _mux!.EndInput();
            CompleteStage();
        }

        private void OnDownstreamFinish(Exception cause)
        {
            if (cause is SubscriptionWithCancelException.NonFailureCancellation) CompleteStage();
            else FailStage(cause);
        }

        private void Fail(string problem) => FailStage(new MuxFrameException($"mux connection: {problem}"));
    }
}
