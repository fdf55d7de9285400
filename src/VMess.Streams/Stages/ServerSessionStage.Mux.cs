using VMess.Protocol;
using VMess.Streams.Buffers;
using VMess.Streams.Mux;

namespace VMess.Streams.Stages;

public sealed partial class ServerSessionStage
{
    /// <summary>The most decoded frame bytes one response element carries; a pooled array holds it with the chunk overhead.</summary>
    private const int MuxResponseBatchBytes = 64 * 1024;

    /// <summary>
    /// A Mux.Cool connection (request command Mux): the decoded request is a frame stream for a <see cref="MuxEndpoint"/>,
    /// whose sessions run as graphs of their own, and the response is the frame stream it writes back. The stage lets
    /// go of its target side at once (a mux connection has none), so this costs the plain connection nothing.
    /// </summary>
    private sealed partial class Logic
    {
        private MuxServerLink? _muxLink;
        private MuxEndpoint? _mux;
        private bool _muxInputEnded;
        private bool _muxResponseEnded;
        private int _stallTimedFor;
        private ITimer? _stallTimer;
        private Action<int>? _onStallDue;
        private volatile bool _muxStopped;

        private MuxServerLink EnterMux()
        {
            _phase = Phase.Mux;
            Complete(_stage.RequestOut);
            Cancel(_stage.ResponseIn);
            // Until the control plane names its host the frames wait in _pending, and nothing more is read.
            _muxLink = new MuxServerLink(GetAsyncCallback<IMuxSessionHost>(StartMux));
            return _muxLink;
        }

        private IMuxSessionHost? _muxHost;

        private void StartMux(IMuxSessionHost host)
        {
            if (_mux is not null || _phase != Phase.Mux) return;
            _muxHost = host;
            _mux = new MuxEndpoint(host, _pool, GetAsyncCallback(OnMuxWake));
            _onStallDue = GetAsyncCallback<int>(OnStallDue);
            PumpMuxRequest();
        }

        private void StopMux()
        {
            _muxStopped = true;
            _stallTimer?.Dispose();
            _muxLink?.OnStopped();
            _mux?.Stop();
        }

        private void OnMuxWake()
        {
            var mux = _mux!;
            mux.Woken();
            if (mux.IsBlocked)
            {
                if (mux.Resume() is { } problem)
                {
                    FailMux(problem);
                    return;
                }
                if (!mux.IsBlocked) PumpMuxRequest();
            }
            PumpMuxResponse();
        }

        // A session that stays full for the host's stall timeout is ended, so the connection reads on.
        private void OnStallDue(int block)
        {
            var mux = _mux!;
            if (!mux.IsBlocked || mux.BlockCount != block) return;
            if (mux.EndBlockedSession() is { } problem)
            {
                FailMux(problem);
                return;
            }
            PumpMuxRequest();
        }

        private void TimeStall(MuxEndpoint mux, IMuxSessionHost host)
        {
            if (_stallTimedFor == mux.BlockCount) return;
            var block = _stallTimedFor = mux.BlockCount;
            _stallTimer?.Dispose();
            _stallTimer = _settings.Clock.CreateTimer(_ => { if (!_muxStopped) _onStallDue!(block); }, null,
                host.SessionStallTimeout, Timeout.InfiniteTimeSpan);
        }

        // Mux.Cool has no flow control: the request is decoded as fast as it comes, and a session that cannot keep up
        // is ended by the mux server rather than holding back the others.
        private void PumpMuxRequest()
        {
            if (_mux is null || _muxInputEnded) return;
            var decoder = _requestBody!;
            while (_pending.Count > 0 && !decoder.IsCompleted && !_mux.IsBlocked)
            {
                var output = ByteChunk.Rent(_pool, _pending.Count);
                var status = decoder.Decode(_pending.Span, output.Array, out var consumed, out var written, out _, out var error);
                if (status == System.Buffers.OperationStatus.DestinationTooSmall)
                {
                    output.Dispose();
                    output = ByteChunk.Rent(_pool, decoder.MaxChunkPayloadLength);
                    status = decoder.Decode(_pending.Span, output.Array, out consumed, out written, out _, out error);
                }
                if (consumed > 0) _pending.Consume(consumed);
                if (status == System.Buffers.OperationStatus.InvalidData)
                {
                    output.Dispose();
                    FailStage(new VMessStreamException($"request body from {_handshake!.User.Account.Name}: {error.Describe()}"));
                    return;
                }
                output.Length = written;
                if (_mux.Feed(output) is { } problem)
                {
                    FailMux(problem);
                    return;
                }
                if (status == System.Buffers.OperationStatus.NeedMoreData) break;
            }
            if (_mux.IsBlocked)
            {
                // Nothing more is read until the full session makes room or is ended: the client waits, as with V2Ray.
                TimeStall(_mux, _muxHost!);
            }
            else if (decoder.IsCompleted || (_pending.Count == 0 && IsClosed(_stage.RequestIn)))
            {
                EndMuxInput();
            }
            else if (IsClosed(_stage.RequestIn))
            {
                FailStage(new VMessStreamException($"request body from {_handshake!.User.Account.Name} ends inside a chunk"));
                return;
            }
            else if (!HasBeenPulled(_stage.RequestIn))
            {
                Pull(_stage.RequestIn);
            }
            PumpMuxResponse();
        }

        private void EndMuxInput()
        {
            _muxInputEnded = true;
            _pending.Clear();
            if (!IsClosed(_stage.RequestIn)) Cancel(_stage.RequestIn);
            if (_mux!.EndInput() is { } problem) FailMux(problem);
        }

        private void PumpMuxResponse()
        {
            var mux = _mux;
            if (mux is null || _muxResponseEnded || !IsAvailable(_stage.ResponseOut)) return;
            var encoder = _responseBody!;
            var batch = (int)Math.Min(MuxResponseBatchBytes, 4L * encoder.MaxPayloadPerChunk);
            var frames = ByteChunk.Rent(_pool, batch);
            var length = mux.WriteFrames(frames.Array.AsSpan(0, batch));
            if (length == 0)
            {
                frames.Dispose();
                if (!mux.IsComplete) return;
                _muxResponseEnded = true;
                OnResponseFinish();
                return;
            }
            var output = ByteChunk.Rent(_pool, ResponseHeaderLength() + encoder.GetMaxEncodedLength(length));
            var written = WriteResponseHeader(output.Array);
            written += encoder.Encode(frames.Array.AsSpan(0, length), output.Array.AsSpan(written));
            frames.Dispose();
            output.Length = written;
            Push(_stage.ResponseOut, output);
        }

        private void FailMux(string problem) =>
            FailStage(new MuxFrameException($"mux connection of {_handshake!.User.Account.Name}: {problem}"));
    }
}
