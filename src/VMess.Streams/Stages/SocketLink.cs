using System.Net.Sockets;

namespace VMess.Streams.Stages;

/// <summary>
/// The control-plane handle of one socket stage, materialized with it: attach a socket that was dialled later,
/// abort, and watch progress. Counters are written by the stage and read by the connection actor, so no message
/// per chunk is needed for idle timeouts or traffic stats.
/// </summary>
public sealed class SocketLink
{
    private readonly TaskCompletionSource _readClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private Action<Socket>? _attach;
    private Socket? _pendingSocket;
    private string? _pendingAbort;
    private Action<string>? _abort;
    private long _bytesRead;
    private long _bytesWritten;
    private long _lastActivity = Environment.TickCount64;
    private volatile bool _stopped;

    /// <summary>Bytes read from the socket so far.</summary>
    public long BytesRead => Volatile.Read(ref _bytesRead);

    /// <summary>Bytes written to the socket so far.</summary>
    public long BytesWritten => Volatile.Read(ref _bytesWritten);

    /// <summary><see cref="Environment.TickCount64"/> of the last read or write.</summary>
    public long LastActivityTicks => Volatile.Read(ref _lastActivity);

    /// <summary>Completes when the peer has stopped sending (end of stream) or reading was cancelled.</summary>
    public Task ReadClosed => _readClosed.Task;

    /// <summary>Completes when the stage has stopped and closed its socket; faulted when it failed.</summary>
    public Task Completion => _completion.Task;

    /// <summary>
    /// Hands a connected socket to a stage created without one. Safe right after materialization: a socket that
    /// arrives before the stage has started is kept until it starts. Disposed when the stage already stopped.
    /// </summary>
    public void Attach(Socket socket)
    {
        Action<Socket>? attach;
        lock (_gate)
        {
            attach = _attach;
            if (attach is null && !_stopped)
            {
                _pendingSocket = socket;
                return;
            }
        }
        if (_stopped || attach is null) socket.Dispose();
        else attach(socket);
    }

    /// <summary>Fails the stage, which resets the socket and tears down the connection's graph.</summary>
    public void Abort(string reason)
    {
        Action<string>? abort;
        lock (_gate)
        {
            abort = _abort;
            if (abort is null)
            {
                _pendingAbort ??= reason;
                return;
            }
        }
        if (!_stopped) abort(reason);
    }

    /// <summary>Called by the stage when it starts; returns what arrived before it could take it.</summary>
    internal (Socket? PendingSocket, string? PendingAbort) Bind(Action<Socket> attach, Action<string> abort)
    {
        lock (_gate)
        {
            _attach = attach;
            _abort = abort;
            var pending = (_pendingSocket, _pendingAbort);
            _pendingSocket = null;
            return pending;
        }
    }

    internal bool IsStopped => _stopped;

    internal void AddRead(int bytes)
    {
        Volatile.Write(ref _bytesRead, _bytesRead + bytes);
        Volatile.Write(ref _lastActivity, Environment.TickCount64);
    }

    internal void AddWritten(int bytes)
    {
        Volatile.Write(ref _bytesWritten, _bytesWritten + bytes);
        Volatile.Write(ref _lastActivity, Environment.TickCount64);
    }

    internal void OnReadClosed() => _readClosed.TrySetResult();

    internal void OnStopped(Exception? failure)
    {
        lock (_gate)
        {
            _stopped = true;
            _pendingSocket?.Dispose();
            _pendingSocket = null;
        }
        _readClosed.TrySetResult();
        if (failure is null) _completion.TrySetResult();
        else _completion.TrySetException(failure);
    }
}
