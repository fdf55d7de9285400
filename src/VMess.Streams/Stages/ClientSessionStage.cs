using System.Buffers;
using Akka.Streams;
using Akka.Streams.Stage;
using VMess.Protocol;
using VMess.Protocol.Body;
using VMess.Protocol.Headers;
using VMess.Protocol.Sessions;
using VMess.Streams.Buffers;

namespace VMess.Streams.Stages;

/// <summary>
/// The client side of one VMess connection as a BidiFlow over the pure codec. Top: request payload in (TCP bytes,
/// or one element per UDP datagram), VMess bytes out to the server. Bottom: the server's bytes in, the response
/// payload out. The stage is fused before the server is known; nothing is pulled or emitted until
/// <see cref="ClientSessionLink.Start"/> hands it the session.
/// <para>
/// As V2Ray 4.34's client, the request header goes out with the first payload when that comes within
/// <see cref="ClientSessionSettings.HeaderFlushDelay"/>, else alone. The end of the request payload writes the
/// body's end-of-stream chunk and half-closes; the server's end-of-stream chunk (or its close between chunks)
/// completes the response. A bad response header or body, or a close before the response header, fails the stage
/// with a <see cref="VMessStreamException"/>.
/// </para>
/// </summary>
public sealed class ClientSessionStage(ClientSessionSettings settings)
    : GraphStageWithMaterializedValue<BidiShape<ByteChunk, ByteChunk, ByteChunk, ByteChunk>, ClientSessionLink>
{
    public const string ClosedBeforeResponse = "the VMess server closed before responding (wrong id, or clock off?)";

    public Inlet<ByteChunk> RequestIn { get; } = new("ClientSession.request.in");
    public Outlet<ByteChunk> RequestOut { get; } = new("ClientSession.request.out");
    public Inlet<ByteChunk> ResponseIn { get; } = new("ClientSession.response.in");
    public Outlet<ByteChunk> ResponseOut { get; } = new("ClientSession.response.out");

    public override BidiShape<ByteChunk, ByteChunk, ByteChunk, ByteChunk> Shape => new(RequestIn, RequestOut, ResponseIn, ResponseOut);

    public override ILogicAndMaterializedValue<ClientSessionLink> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var link = new ClientSessionLink();
        return new LogicAndMaterializedValue<ClientSessionLink>(new Logic(this, settings, link), link);
    }

    private sealed class Logic : BodyDecodingLogic
    {
        private readonly ClientSessionStage _stage;
        private readonly ClientSessionSettings _settings;
        private readonly ClientSessionLink _link;
        private readonly ArrayPool<byte> _pool;
        private readonly ChunkAccumulator _pending;
        private ClientSession? _session;
        private ChunkEncoder? _requestBody;
        private ChunkDecoder? _responseBody;
        private ITimer? _flushTimer;
        private Action? _onFlushDue;
        private ByteChunk? _held;
        private bool _headerDue;
        private bool _headerSent;
        private bool _requestEnded;
        private Exception? _failure;
        private volatile bool _stopped;
        private readonly Action _finishResponse;
        private readonly Action<string> _failResponse;

        public Logic(ClientSessionStage stage, ClientSessionSettings settings, ClientSessionLink link) : base(stage.Shape)
        {
            _stage = stage;
            _settings = settings;
            _link = link;
            _pool = settings.Pool;
            _pending = new ChunkAccumulator(settings.Pool);
            _finishResponse = FinishResponse;
            _failResponse = detail => Fail(new VMessStreamException($"response body from the VMess server{detail}"));
            SetHandler(stage.RequestIn, OnRequestPush, OnRequestFinish, Fail);
            SetHandler(stage.RequestOut, PumpRequest, cause => OnDownstreamFinish(stage.RequestIn, AsServerFailure(cause)));
            SetHandler(stage.ResponseIn, OnResponsePush, OnResponseFinish, cause => Fail(AsServerFailure(cause)));
            SetHandler(stage.ResponseOut, OnResponsePull, cause => OnDownstreamFinish(stage.ResponseIn, cause));
        }

        public override void PreStart()
        {
            _onFlushDue = GetAsyncCallback(OnFlushDue);
            var pending = _link.Bind(GetAsyncCallback<ClientSession>(OnStart));
            if (pending is not null) OnStart(pending);
        }

        public override void PostStop()
        {
            _stopped = true;
            _flushTimer?.Dispose();
            _held?.Dispose();
            _held = null;
            _pending.Clear();
            _requestBody?.Dispose();
            _responseBody?.Dispose();
            _link.OnStopped(_failure ?? new VMessStreamException(_session is null
                ? "the connection ended before the VMess session started"
                : "the connection ended before the VMess server responded"));
        }

        private void OnStart(ClientSession session)
        {
            if (_session is not null) return;
            _session = session;
            _requestBody = SessionBodies.CreateRequestEncoder(session, _settings.Random, _settings.RequestChunkSize);
            if (_settings.HeaderFlushDelay <= TimeSpan.Zero) _headerDue = true;
            else _flushTimer = _settings.Clock.CreateTimer(_ => { if (!_stopped) _onFlushDue!(); }, null, _settings.HeaderFlushDelay, Timeout.InfiniteTimeSpan);
            PumpRequest();
            if (!IsClosed(_stage.ResponseIn)) Pull(_stage.ResponseIn);
        }

        private void OnFlushDue()
        {
            _headerDue = true;
            PumpRequest();
        }

        // ---- request: payload in, VMess bytes out -------------------------------------------------------------

        private void OnRequestPush()
        {
            _held = Grab(_stage.RequestIn);
            PumpRequest();
        }

        private void OnRequestFinish()
        {
            _requestEnded = true;
            PumpRequest();
        }

        // Writes what is due to the server when it can take it, and keeps one payload element read ahead, so the
        // first one can join the header.
        private void PumpRequest()
        {
            if (_session is null || IsClosed(_stage.RequestOut)) return;
            if (IsAvailable(_stage.RequestOut))
            {
                if (_held is not null)
                {
                    var payload = _held;
                    _held = null;
                    if (PushPayload(payload)) return;
                }
                if (_requestEnded)
                {
                    PushEndOfRequest();
                    return;
                }
                if (_headerDue && !_headerSent)
                {
                    PushHeaderAlone();
                    return;
                }
            }
            if (_held is null && !IsClosed(_stage.RequestIn) && !HasBeenPulled(_stage.RequestIn)) Pull(_stage.RequestIn);
        }

        private bool PushPayload(ByteChunk payload)
        {
            var encoder = _requestBody!;
            if (payload.Length == 0 || (encoder.IsPacket && payload.Length > encoder.MaxPayloadPerChunk))
            {
                // Nothing to write (an empty chunk would end the body), or a datagram no chunk can hold: V2Ray drops it.
                payload.Dispose();
                return false;
            }
            var output = ByteChunk.Rent(_pool, HeaderReserve + encoder.GetMaxEncodedLength(payload.Length));
            var written = WriteHeader(output.Array);
            var body = output.Array.AsSpan(written);
            written += encoder.IsPacket ? encoder.EncodePacket(payload.Span, body) : encoder.Encode(payload.Span, body);
            _link.AddPayloadSent(payload.Length);
            payload.Dispose();
            output.Length = written;
            Push(_stage.RequestOut, output);
            return true;
        }

        private void PushHeaderAlone()
        {
            var output = ByteChunk.Rent(_pool, HeaderReserve);
            output.Length = WriteHeader(output.Array);
            Push(_stage.RequestOut, output);
        }

        // As V2Ray with the chunk stream option: an empty chunk ends the body; then the server's socket is half-closed.
        private void PushEndOfRequest()
        {
            var encoder = _requestBody!;
            var output = ByteChunk.Rent(_pool, Math.Max(1, HeaderReserve + encoder.MaxEndOfStreamLength));
            var written = WriteHeader(output.Array);
            written += encoder.EncodeEndOfStream(output.Array.AsSpan(written));
            output.Length = written;
            if (written == 0) output.Dispose();
            else Push(_stage.RequestOut, output);
            Complete(_stage.RequestOut);
        }

        private int HeaderReserve => _headerSent ? 0 : ClientSession.MaxRequestLength;

        private int WriteHeader(Span<byte> destination)
        {
            if (_headerSent) return 0;
            _headerSent = true;
            _flushTimer?.Dispose();
            _flushTimer = null;
            return _session!.EncodeRequest(_settings.Clock.GetUtcNow().ToUnixTimeSeconds(), _settings.Random, destination);
        }

        // ---- response: server bytes in, payload out -----------------------------------------------------------

        private void OnResponsePush()
        {
            _pending.Append(Grab(_stage.ResponseIn));
            if (_responseBody is null) ReadResponseHeader();
            else if (IsAvailable(_stage.ResponseOut)) DecodeResponseBody();
        }

        private void ReadResponseHeader()
        {
            var status = _session!.DecodeResponse(_pending.Span, out var header, out var consumed, out var error);
            if (status == OperationStatus.NeedMoreData)
            {
                Pull(_stage.ResponseIn);
                return;
            }
            if (status != OperationStatus.Done)
            {
                Fail(new VMessServerRefusedException($"the VMess server's response header is not valid: {error.Describe()}"));
                return;
            }
            _responseBody = SessionBodies.CreateResponseDecoder(_session, _pending.Span[..consumed]);
            _pending.Consume(consumed);
            _link.OnResponse(header!);
            if (IsAvailable(_stage.ResponseOut)) DecodeResponseBody();
        }

        /// <summary>
        /// A failure from the server's side (its socket reset, or failed while writing to it) before the response
        /// means the server refused the session, as one that closes does; whichever port reports it first.
        /// </summary>
        private Exception AsServerFailure(Exception cause) =>
            _session is not null && _responseBody is null && cause is not (SocketAbortedException or SubscriptionWithCancelException.NonFailureCancellation)
                ? new VMessServerRefusedException(ClosedBeforeResponse, cause)
                : cause;

        private void OnResponseFinish()
        {
            if (_responseBody is null)
            {
                Fail(new VMessServerRefusedException(ClosedBeforeResponse));
                return;
            }
            if (IsAvailable(_stage.ResponseOut)) DecodeResponseBody();
        }

        private void OnResponsePull()
        {
            if (_responseBody is not null) DecodeResponseBody();
        }

        private void DecodeResponseBody() =>
            _link.AddPayloadReceived(DecodeBody(_responseBody!, _pending, _pool, _stage.ResponseIn, _stage.ResponseOut, _finishResponse, _failResponse));

        private void FinishResponse()
        {
            _pending.Clear();
            Complete(_stage.ResponseOut);
            if (!IsClosed(_stage.ResponseIn)) Cancel(_stage.ResponseIn);
        }

        private void OnDownstreamFinish(Inlet<ByteChunk> upstream, Exception cause)
        {
            if (cause is not SubscriptionWithCancelException.NonFailureCancellation)
            {
                Fail(cause);
                return;
            }
            if (!IsClosed(upstream)) Cancel(upstream);
        }

        private void Fail(Exception failure)
        {
            _failure ??= failure;
            FailStage(failure);
        }
    }
}
