using System.Buffers;
using System.Diagnostics;
using Akka.Streams;
using Akka.Streams.Stage;
using VMess.Protocol;
using VMess.Protocol.Body;
using VMess.Protocol.Headers;
using VMess.Protocol.Sessions;
using VMess.Streams.Buffers;

namespace VMess.Streams.Stages;

/// <summary>
/// The server side of one VMess connection as a BidiFlow over the pure codec. Top: bytes from the client in,
/// request payload out (TCP bytes, or one element per UDP datagram). Bottom: the target's payload in, the response
/// (header, then body) out to the client. The materialized task says how the handshake ended; the connection
/// actor uses it to dial the target, and nothing flows to the target before that, because the target's side only
/// pulls once attached.
/// <para>
/// A rejected handshake is drained as V2Ray does (read up to <see cref="ServerSessionSettings.DrainBytes"/>,
/// then close) or closed at once, as the decoder says. A body that fails or is cut mid-chunk fails the stage,
/// which resets both sockets.
/// </para>
/// </summary>
public sealed partial class ServerSessionStage(ServerSessionSettings settings)
    : GraphStageWithMaterializedValue<BidiShape<ByteChunk, ByteChunk, ByteChunk, ByteChunk>, Task<HandshakeOutcome>>
{
    public Inlet<ByteChunk> RequestIn { get; } = new("ServerSession.request.in");
    public Outlet<ByteChunk> RequestOut { get; } = new("ServerSession.request.out");
    public Inlet<ByteChunk> ResponseIn { get; } = new("ServerSession.response.in");
    public Outlet<ByteChunk> ResponseOut { get; } = new("ServerSession.response.out");

    public override BidiShape<ByteChunk, ByteChunk, ByteChunk, ByteChunk> Shape => new(RequestIn, RequestOut, ResponseIn, ResponseOut);

    public override ILogicAndMaterializedValue<Task<HandshakeOutcome>> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var outcome = new TaskCompletionSource<HandshakeOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        return new LogicAndMaterializedValue<Task<HandshakeOutcome>>(new Logic(this, settings, outcome), outcome.Task);
    }

    private enum Phase { Handshake, Draining, Body, Mux, Closed }

    private sealed partial class Logic : BodyDecodingLogic
    {
        private readonly ServerSessionStage _stage;
        private readonly ServerSessionSettings _settings;
        private readonly TaskCompletionSource<HandshakeOutcome> _outcome;
        private readonly ChunkAccumulator _pending;
        private readonly ArrayPool<byte> _pool;
        private Phase _phase = Phase.Handshake;
        private ServerHandshakeDecoder? _decoder;
        private ServerHandshake? _handshake;
        private ChunkDecoder? _requestBody;
        private ChunkEncoder? _responseBody;
        private ResponseHeader? _responseHeader;
        private bool _responseHeaderSent;
        private int _bytesReceived;
        private long _decodeTicks;
        private int _drainRemaining;
        private readonly Action _finishRequest;
        private readonly Action<string> _failRequest;

        public Logic(ServerSessionStage stage, ServerSessionSettings settings, TaskCompletionSource<HandshakeOutcome> outcome)
            : base(stage.Shape)
        {
            _stage = stage;
            _settings = settings;
            _outcome = outcome;
            _pool = settings.Pool;
            _pending = new ChunkAccumulator(settings.Pool);
            _finishRequest = FinishRequest;
            _failRequest = detail => FailStage(new VMessStreamException($"request body from {_handshake!.User.Account.Name}{detail}"));
            SetHandler(stage.RequestIn, OnRequestPush, OnRequestFinish, FailStage);
            SetHandler(stage.RequestOut, OnRequestPull, cause => OnDownstreamFinish(stage.RequestIn, cause));
            SetHandler(stage.ResponseIn, OnResponsePush, OnResponseFinish, FailStage);
            SetHandler(stage.ResponseOut, OnResponsePull, cause => OnDownstreamFinish(stage.ResponseIn, cause));
        }

        public override void PreStart() => Pull(_stage.RequestIn);

        public override void PostStop()
        {
            _pending.Clear();
            _requestBody?.Dispose();
            _responseBody?.Dispose();
            StopMux();
            _outcome.TrySetResult(new HandshakeRejected(HandshakeRejection.Aborted, DecodeError.None, _bytesReceived, 0));
        }

        private void OnRequestPush()
        {
            var chunk = Grab(_stage.RequestIn);
            switch (_phase)
            {
                case Phase.Handshake:
                    _bytesReceived += chunk.Length;
                    _pending.Append(chunk);
                    TryHandshake();
                    break;
                case Phase.Draining:
                    _drainRemaining -= chunk.Length;
                    chunk.Dispose();
                    if (_drainRemaining <= 0) CompleteStage();
                    else Pull(_stage.RequestIn);
                    break;
                case Phase.Body:
                    _pending.Append(chunk);
                    if (IsAvailable(_stage.RequestOut)) DecodeBody();
                    break;
                case Phase.Mux:
                    _pending.Append(chunk);
                    PumpMuxRequest();
                    break;
                default:
                    chunk.Dispose();
                    break;
            }
        }

        private void TryHandshake()
        {
            var started = Stopwatch.GetTimestamp();
            _decoder ??= new ServerHandshakeDecoder(_settings.Users, _settings.Replay, _settings.Clock.GetUtcNow().ToUnixTimeSeconds());
            var status = _decoder.Decode(_pending.Span, out var handshake, out var consumed, out var error);
            _decodeTicks += Stopwatch.GetTimestamp() - started;
            if (status == OperationStatus.NeedMoreData)
            {
                Pull(_stage.RequestIn);
                return;
            }
            _settings.HandshakeTimed?.Invoke(Stopwatch.GetElapsedTime(0, _decodeTicks), status == OperationStatus.Done);
            if (status != OperationStatus.Done)
            {
                Reject(error);
                return;
            }
            _pending.Consume(consumed);
            _handshake = handshake!;
            _requestBody = SessionBodies.CreateRequestDecoder(_handshake);
            _responseBody = SessionBodies.CreateResponseEncoder(_handshake, _settings.Random, _settings.ResponseChunkSize);
            _responseHeader = new ResponseHeader(_handshake.Header.ResponseAuth, Command: _settings.ResponseCommand?.Invoke(_handshake));
            if (_handshake.Header.Command == RequestCommand.Mux)
            {
                _outcome.TrySetResult(new HandshakeAccepted(_handshake, EnterMux()));
                return;
            }
            _phase = Phase.Body;
            _outcome.TrySetResult(new HandshakeAccepted(_handshake));
            if (IsAvailable(_stage.RequestOut)) DecodeBody();
            if (IsAvailable(_stage.ResponseOut)) Pull(_stage.ResponseIn);
        }

        private void Reject(DecodeError error)
        {
            var drainTotal = _settings.DrainBytes + (_settings.DrainSpread > 1 ? _settings.Random.Next(_settings.DrainSpread) : 0);
            var drain = _decoder!.ShouldDrain ? Math.Max(0, drainTotal - _bytesReceived) : 0;
            var skew = _decoder.SkewedMatch;
            _outcome.TrySetResult(new HandshakeRejected(HandshakeRejection.Invalid, error, _bytesReceived, drain,
                (_decoder.User ?? skew?.User)?.Account.Name, skew?.SkewSeconds));
            _pending.Clear();
            if (drain == 0)
            {
                CompleteStage();
                return;
            }
            _phase = Phase.Draining;
            _drainRemaining = drain;
            Pull(_stage.RequestIn);
        }

        private void OnRequestFinish()
        {
            switch (_phase)
            {
                case Phase.Handshake:
                    _outcome.TrySetResult(new HandshakeRejected(HandshakeRejection.ClosedEarly, DecodeError.None, _bytesReceived, 0));
                    CompleteStage();
                    break;
                case Phase.Draining:
                    CompleteStage();
                    break;
                case Phase.Body:
                    if (IsAvailable(_stage.RequestOut)) DecodeBody();
                    break;
                case Phase.Mux:
                    PumpMuxRequest();
                    break;
            }
        }

        private void OnRequestPull()
        {
            if (_phase == Phase.Body) DecodeBody();
        }

        private void DecodeBody() => DecodeBody(_requestBody!, _pending, _pool, _stage.RequestIn, _stage.RequestOut, _finishRequest, _failRequest);

        // The client's end of the request (the end-of-stream chunk, or its FIN between chunks) half-closes the target.
        private void FinishRequest()
        {
            _pending.Clear();
            Complete(_stage.RequestOut);
            if (!IsClosed(_stage.RequestIn)) Cancel(_stage.RequestIn);
        }

        private void OnResponsePull()
        {
            if (_phase == Phase.Mux) PumpMuxResponse();
            else if (_phase == Phase.Body && !HasBeenPulled(_stage.ResponseIn) && !IsClosed(_stage.ResponseIn)) Pull(_stage.ResponseIn);
        }

        private void OnResponsePush()
        {
            var payload = Grab(_stage.ResponseIn);
            var encoder = _responseBody!;
            if (encoder.IsPacket && payload.Length > encoder.MaxPayloadPerChunk)
            {
                // V2Ray drops a datagram that does not fit one chunk.
                payload.Dispose();
                Pull(_stage.ResponseIn);
                return;
            }
            var output = ByteChunk.Rent(_pool, ResponseHeaderLength() + encoder.GetMaxEncodedLength(payload.Length));
            var written = WriteResponseHeader(output.Array);
            var body = output.Array.AsSpan(written);
            written += encoder.IsPacket ? encoder.EncodePacket(payload.Span, body) : encoder.Encode(payload.Span, body);
            payload.Dispose();
            output.Length = written;
            Push(_stage.ResponseOut, output);
        }

        private void OnResponseFinish()
        {
            if (_phase is not (Phase.Body or Phase.Mux))
            {
                Complete(_stage.ResponseOut);
                return;
            }
            var encoder = _responseBody!;
            var output = ByteChunk.Rent(_pool, Math.Max(1, ResponseHeaderLength() + encoder.MaxEndOfStreamLength));
            var written = WriteResponseHeader(output.Array);
            written += encoder.EncodeEndOfStream(output.Array.AsSpan(written));
            output.Length = written;
            if (written == 0)
            {
                output.Dispose();
                Complete(_stage.ResponseOut);
                return;
            }
            Emit(_stage.ResponseOut, output, () => Complete(_stage.ResponseOut));
        }

        private int ResponseHeaderLength() =>
            _responseHeaderSent ? 0 : ServerResponse.GetEncodedLength(_handshake!, _responseHeader!);

        // As V2Ray, the response header goes out with the first response bytes (or the end of the response).
        private int WriteResponseHeader(Span<byte> destination)
        {
            if (_responseHeaderSent) return 0;
            _responseHeaderSent = true;
            return ServerResponse.Encode(_handshake!, _responseHeader!, _responseBody!, destination);
        }

        private void OnDownstreamFinish(Inlet<ByteChunk> upstream, Exception cause)
        {
            if (cause is not SubscriptionWithCancelException.NonFailureCancellation)
            {
                FailStage(cause);
                return;
            }
            if (!IsClosed(upstream)) Cancel(upstream);
        }
    }
}
