using System.Buffers;
using Akka.Streams;
using Akka.Streams.Stage;
using VMess.Protocol;
using VMess.ProxyProtocols;
using VMess.Streams.Buffers;

namespace VMess.Streams.Stages;

/// <summary>
/// What the local proxy stages (<see cref="SocksServerStage"/>, <see cref="HttpProxyStage"/>) share once their
/// protocol has read a request: replies to the client queued ahead of the response, the hand-over of bytes that came
/// after the request, the pass-through in both directions, UDP ASSOCIATE's hold, and the close after a refusal.
/// The subclass only decodes: <see cref="OnHandshakeData"/> is called with every new client byte until it calls
/// <see cref="Accept"/> or <see cref="Reject"/>.
/// </summary>
internal abstract class ProxyInboundLogic : GraphStageLogic
{
    private enum Phase { Handshake, Relay, HoldUdp, Closing }

    private readonly Inlet<ByteChunk> _requestIn;
    private readonly Outlet<ByteChunk> _requestOut;
    private readonly Inlet<ByteChunk> _responseIn;
    private readonly Outlet<ByteChunk> _responseOut;
    private readonly TaskCompletionSource<HandshakeOutcome> _outcome;
    private Phase _phase = Phase.Handshake;
    private ByteChunk? _firstRequest;
    private ByteChunk? _pendingReply;
    private bool _stopAfterReply;
    private bool _completeAfterReply;
    private bool _responseFinishedEarly;
    private int _bytesReceived;

    protected ProxyInboundLogic(BidiShape<ByteChunk, ByteChunk, ByteChunk, ByteChunk> shape, ArrayPool<byte> pool,
        TaskCompletionSource<HandshakeOutcome> outcome) : base(shape)
    {
        _requestIn = shape.Inlet1;
        _requestOut = shape.Outlet1;
        _responseIn = shape.Inlet2;
        _responseOut = shape.Outlet2;
        _outcome = outcome;
        Pool = pool;
        Pending = new ChunkAccumulator(pool);
        SetHandler(_requestIn, OnRequestPush, OnRequestFinish, FailStage);
        SetHandler(_requestOut, OnRequestPull, OnRequestCancel);
        SetHandler(_responseIn, OnResponsePush, OnResponseFinish, FailStage);
        SetHandler(_responseOut, OnResponsePull, OnResponseCancel);
    }

    protected ArrayPool<byte> Pool { get; }

    /// <summary>Client bytes not yet decoded; after <see cref="Accept"/>, what is left goes to the outbound first.</summary>
    protected ChunkAccumulator Pending { get; }

    /// <summary>Decode <see cref="Pending"/>; then <see cref="Reply"/>, and <see cref="Accept"/>, <see cref="Reject"/> or <see cref="ReadMore"/>.</summary>
    protected abstract void OnHandshakeData();

    public override void PreStart() => Pull(_requestIn);

    public override void PostStop()
    {
        Pending.Clear();
        _firstRequest?.Dispose();
        _pendingReply?.Dispose();
        _outcome.TrySetResult(new HandshakeRejected(HandshakeRejection.Aborted, DecodeError.None, _bytesReceived, 0));
    }

    protected void ReadMore() => Pull(_requestIn);

    /// <summary>Queues bytes for the client, ahead of anything the outbound sends.</summary>
    protected void Reply(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty) return;
        if (_pendingReply is null)
        {
            _pendingReply = ByteChunk.CopyOf(Pool, bytes);
        }
        else
        {
            var joined = ByteChunk.Rent(Pool, _pendingReply.Length + bytes.Length);
            _pendingReply.Span.CopyTo(joined.Array);
            bytes.CopyTo(joined.Array.AsSpan(_pendingReply.Length));
            joined.Length = _pendingReply.Length + bytes.Length;
            _pendingReply.Dispose();
            _pendingReply = joined;
        }
        if (IsAvailable(_responseOut)) OnResponsePull();
    }

    /// <summary>
    /// The request is known. <paramref name="firstRequest"/> (owned from now on) goes to the outbound before what is
    /// left in <see cref="Pending"/>. A UDP ASSOCIATE only holds the TCP connection: nothing goes to or comes from an
    /// outbound over it, so that side is closed at once, and client bytes are read and dropped until the client closes.
    /// </summary>
    protected void Accept(ProxyRequest request, ByteChunk? firstRequest = null)
    {
        _outcome.TrySetResult(new ProxyRequestAccepted(request));
        if (request.Command == ProxyCommand.UdpAssociate)
        {
            firstRequest?.Dispose();
            Pending.Clear();
            _phase = Phase.HoldUdp;
            Complete(_requestOut);
            Cancel(_responseIn);
            if (!HasBeenPulled(_requestIn)) Pull(_requestIn);
            return;
        }
        _phase = Phase.Relay;
        _firstRequest = firstRequest;
        if (IsAvailable(_requestOut)) OnRequestPull();
        if (_responseFinishedEarly) CompleteResponse();
        else if (IsAvailable(_responseOut)) OnResponsePull();
    }

    /// <summary>Refuses the request: <paramref name="reply"/> (maybe none) goes to the client, then the stage closes.</summary>
    protected void Reject(string reason, ReadOnlySpan<byte> reply)
    {
        _outcome.TrySetResult(new ProxyRequestRejected(reason, _bytesReceived));
        Pending.Clear();
        _phase = Phase.Closing;
        if (reply.IsEmpty && _pendingReply is null)
        {
            CompleteStage();
            return;
        }
        _stopAfterReply = true;
        Reply(reply);
    }

    private void OnRequestPush()
    {
        var chunk = Grab(_requestIn);
        switch (_phase)
        {
            case Phase.Handshake:
                _bytesReceived += chunk.Length;
                Pending.Append(chunk);
                OnHandshakeData();
                break;
            case Phase.Relay when IsAvailable(_requestOut) && Pending.Count == 0 && _firstRequest is null:
                Push(_requestOut, chunk);
                break;
            case Phase.Relay:
                Pending.Append(chunk);
                break;
            case Phase.HoldUdp:
                chunk.Dispose();
                Pull(_requestIn);
                break;
            default:
                chunk.Dispose();
                break;
        }
    }

    private void OnRequestFinish()
    {
        switch (_phase)
        {
            case Phase.Handshake:
                _outcome.TrySetResult(new HandshakeRejected(HandshakeRejection.ClosedEarly, DecodeError.None, _bytesReceived, 0));
                CompleteStage();
                break;
            case Phase.Relay:
                // The client's half-close reaches the outbound once the bytes before it have.
                if (Pending.Count == 0 && _firstRequest is null) Complete(_requestOut);
                break;
            case Phase.Closing when _pendingReply is not null:
                // A client that half-closed right after a refused request still reads the refusal.
                break;
            default:
                CompleteStage();
                break;
        }
    }

    private void OnRequestPull()
    {
        if (_phase != Phase.Relay) return;
        if (_firstRequest is not null)
        {
            var first = _firstRequest;
            _firstRequest = null;
            Push(_requestOut, first);
        }
        else if (Pending.Count > 0)
        {
            var rest = ByteChunk.CopyOf(Pool, Pending.Span);
            Pending.Clear();
            Push(_requestOut, rest);
        }
        else if (IsClosed(_requestIn))
        {
            Complete(_requestOut);
        }
        else if (!HasBeenPulled(_requestIn))
        {
            Pull(_requestIn);
        }
    }

    private void OnRequestCancel(Exception cause)
    {
        if (cause is not SubscriptionWithCancelException.NonFailureCancellation)
        {
            FailStage(cause);
            return;
        }
        if (_phase == Phase.Relay)
        {
            if (!IsClosed(_requestIn)) Cancel(_requestIn);
        }
        else
        {
            CompleteStage();
        }
    }

    private void OnResponsePull()
    {
        if (_pendingReply is not null)
        {
            var reply = _pendingReply;
            _pendingReply = null;
            Push(_responseOut, reply);
            if (_stopAfterReply) CompleteStage();
            else if (_completeAfterReply) Complete(_responseOut);
            return;
        }
        if (_phase == Phase.Relay && !HasBeenPulled(_responseIn) && !IsClosed(_responseIn)) Pull(_responseIn);
    }

    private void OnResponsePush() => Push(_responseOut, Grab(_responseIn));

    private void OnResponseFinish()
    {
        if (_phase == Phase.Handshake) _responseFinishedEarly = true;
        else if (_phase == Phase.Relay) CompleteResponse();
    }

    private void CompleteResponse()
    {
        if (_pendingReply is null) Complete(_responseOut);
        else _completeAfterReply = true;
    }

    private void OnResponseCancel(Exception cause)
    {
        if (cause is not SubscriptionWithCancelException.NonFailureCancellation)
        {
            FailStage(cause);
            return;
        }
        // Nobody reads the client's side any more: a handshake cannot answer, a hold has nothing left to hold.
        if (_phase == Phase.Relay)
        {
            if (!IsClosed(_responseIn)) Cancel(_responseIn);
        }
        else
        {
            CompleteStage();
        }
    }
}
