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
    private readonly object _gate = new();
    private Action<Socket>? _attach;
    private Action<string>? _abort;
    private Socket? _earlySocket;
    private string? _earlyAbort;
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

    /// <summary>Hands a connected socket to a stage created without one. Ignored once the stage stopped.</summary>
    /// <remarks>A socket attached before the stage has started is kept and handed over when it starts.</remarks>
    public void Attach(Socket socket)
    {
        Action<Socket>? attach;
        lock (_gate)
        {
            attach = _attach;
            if (!_stopped && attach is null && _earlySocket is null)
            {
                _earlySocket = socket;
                return;
            }
        }
        if (_stopped || attach is null)
        {
            socket.Dispose();
            return;
        }
        attach(socket);
    }

    /// <summary>Fails the stage, which resets the socket and tears down the connection's graph.</summary>
    /// <remarks>An abort before the stage has started is kept and carried out when it starts.</remarks>
    public void Abort(string reason)
    {
        Action<string>? abort;
        lock (_gate)
        {
            if (_stopped) return;
            abort = _abort;
            if (abort is null)
            {
                _earlyAbort ??= reason;
                return;
            }
        }
        abort(reason);
    }

    // Called by the stage when it starts: from then on Attach and Abort go straight to it.
    internal void Bind(Action<Socket> attach, Action<string> abort)
    {
        Socket? earlySocket;
        string? earlyAbort;
        lock (_gate)
        {
            _attach = attach;
            _abort = abort;
            earlySocket = _earlySocket;
            earlyAbort = _earlyAbort;
            _earlySocket = null;
            _earlyAbort = null;
        }
        if (earlySocket is not null) attach(earlySocket);
        if (earlyAbort is not null) abort(earlyAbort);
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
        Socket? earlySocket;
        lock (_gate)
        {
            _stopped = true;
            earlySocket = _earlySocket;
            _earlySocket = null;
        }
        earlySocket?.Dispose();
        _readClosed.TrySetResult();
        if (failure is null) _completion.TrySetResult();
        else _completion.TrySetException(failure);
    }
}
