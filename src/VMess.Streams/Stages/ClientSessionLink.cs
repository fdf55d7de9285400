using VMess.Protocol.Headers;
using VMess.Protocol.Sessions;

namespace VMess.Streams.Stages;

/// <summary>
/// The control-plane handle of one <see cref="ClientSessionStage"/>, materialized with it. The stage is blueprint
/// material, fused before the connection knows where it goes; <see cref="Start"/> hands it the session once the
/// server has been dialled, and <see cref="Response"/> says how the server answered.
/// </summary>
public sealed class ClientSessionLink
{
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<ResponseHeader> _response = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Action<ClientSession>? _start;
    private ClientSession? _pendingSession;
    private bool _started;
    private bool _stopped;
    private long _payloadSent;
    private long _payloadReceived;

    /// <summary>
    /// Completes with the server's response header (which may carry a <see cref="SwitchAccountCommand"/>); faults
    /// with a <see cref="VMessServerRefusedException"/> when the server closes, resets or answers wrongly before a
    /// valid one, and with the stage's own failure (or a <see cref="VMessStreamException"/>) when it stops first for
    /// another reason.
    /// </summary>
    public Task<ResponseHeader> Response => _response.Task;

    /// <summary>Request payload taken so far (before encoding): what the connection sent on, as V2Ray counts it.</summary>
    public long PayloadSent => Volatile.Read(ref _payloadSent);

    /// <summary>Response payload given so far (after decoding).</summary>
    public long PayloadReceived => Volatile.Read(ref _payloadReceived);

    /// <summary>
    /// Starts the session: the request header goes out (with the first payload if it comes soon), and the request
    /// and the server's bytes begin to flow. Safe from any thread, right after materialization; ignored once the
    /// stage has stopped. A second call throws.
    /// </summary>
    public void Start(ClientSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        Action<ClientSession>? start;
        lock (_gate)
        {
            if (_started) throw new InvalidOperationException("The client session was already started.");
            _started = true;
            if (_stopped) return;
            start = _start;
            if (start is null)
            {
                _pendingSession = session;
                return;
            }
        }
        start(session);
    }

    /// <summary>Called by the stage when it starts, with its async callback; returns a session that came before.</summary>
    internal ClientSession? Bind(Action<ClientSession> start)
    {
        lock (_gate)
        {
            _start = start;
            var pending = _pendingSession;
            _pendingSession = null;
            return pending;
        }
    }

    // Written by the stage's thread only; read by the control plane.
    internal void AddPayloadSent(int bytes) => Volatile.Write(ref _payloadSent, _payloadSent + bytes);

    internal void AddPayloadReceived(int bytes) => Volatile.Write(ref _payloadReceived, _payloadReceived + bytes);

    internal void OnResponse(ResponseHeader header) => _response.TrySetResult(header);

    internal void OnStopped(Exception reason)
    {
        lock (_gate)
        {
            _stopped = true;
            _pendingSession = null;
        }
        _response.TrySetException(reason);
    }
}
