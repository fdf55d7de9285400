using System.Net.Sockets;

namespace VMess.Streams.Stages;

/// <summary>
/// The control-plane handle of one socket stage, materialized with it: attach a socket that was dialled later,
/// abort, and watch progress. Counters are written by the stage and read by the connection actor, so no message
/// per chunk is needed for idle timeouts or traffic stats. The actor learns of the two events that matter (the
/// peer stopped sending; the stage stopped) through <see cref="Observe"/>, which costs two delegates; the task
/// properties exist for tests and are only allocated when asked for.
/// </summary>
public sealed class SocketLink
{
    private readonly Lock _gate = new();
    private Action<object>? _control;
    private Socket? _pendingSocket;
    private string? _pendingAbort;
    private Action? _onReadClosed;
    private Action<Exception?>? _onStopped;
    private TaskCompletionSource? _readClosedTask;
    private TaskCompletionSource? _completionTask;
    private bool _readClosed;
    private Exception? _failure;
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
    public Task ReadClosed
    {
        get
        {
            lock (_gate)
            {
                if (_readClosed) return Task.CompletedTask;
                return (_readClosedTask ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
        }
    }

    /// <summary>Completes when the stage has stopped and closed its socket; faulted when it failed.</summary>
    public Task Completion
    {
        get
        {
            lock (_gate)
            {
                if (_stopped) return _failure is null ? Task.CompletedTask : Task.FromException(_failure);
                return (_completionTask ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
        }
    }

    /// <summary>
    /// Registers the two callbacks of the control plane (called on a stream thread, so they should only send a
    /// message). An event that already happened is reported at once.
    /// </summary>
    public void Observe(Action onReadClosed, Action<Exception?> onStopped)
    {
        bool readClosed, stopped;
        lock (_gate)
        {
            _onReadClosed = onReadClosed;
            _onStopped = onStopped;
            readClosed = _readClosed;
            stopped = _stopped;
        }
        if (readClosed) onReadClosed();
        if (stopped) onStopped(_failure);
    }

    /// <summary>
    /// Hands a connected socket to a stage created without one. Safe right after materialization: a socket that
    /// arrives before the stage has started is kept until it starts. Disposed when the stage already stopped.
    /// </summary>
    public void Attach(Socket socket)
    {
        Action<object>? control;
        lock (_gate)
        {
            control = _control;
            if (control is null && !_stopped)
            {
                _pendingSocket = socket;
                return;
            }
        }
        if (_stopped || control is null) socket.Dispose();
        else control(socket);
    }

    /// <summary>Fails the stage and tears down the connection's graph; the socket is closed, not reset (a timeout looks like a normal close).</summary>
    public void Abort(string reason)
    {
        Action<object>? control;
        lock (_gate)
        {
            control = _control;
            if (control is null)
            {
                _pendingAbort ??= reason;
                return;
            }
        }
        if (!_stopped) control(reason);
    }

    /// <summary>Called by the stage when it starts, with its one async callback; returns what arrived before.</summary>
    internal (Socket? PendingSocket, string? PendingAbort) Bind(Action<object> control)
    {
        lock (_gate)
        {
            _control = control;
            var pending = (_pendingSocket, _pendingAbort);
            _pendingSocket = null;
            return pending;
        }
    }

    /// <summary>Whether the stage has stopped (its socket closed).</summary>
    public bool IsStopped => _stopped;

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

    internal void OnReadClosed()
    {
        Action? observer;
        TaskCompletionSource? task;
        lock (_gate)
        {
            if (_readClosed) return;
            _readClosed = true;
            observer = _onReadClosed;
            task = _readClosedTask;
        }
        task?.TrySetResult();
        observer?.Invoke();
    }

    internal void OnStopped(Exception? failure)
    {
        OnReadClosed();
        Action<Exception?>? observer;
        TaskCompletionSource? task;
        lock (_gate)
        {
            _failure = failure;
            _stopped = true;
            _pendingSocket?.Dispose();
            _pendingSocket = null;
            observer = _onStopped;
            task = _completionTask;
        }
        if (failure is null) task?.TrySetResult();
        else task?.TrySetException(failure);
        observer?.Invoke(failure);
    }
}
