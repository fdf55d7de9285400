using System.Collections.Concurrent;
using VMess.Protocol.Addresses;
using VMess.Protocol.Mux;

namespace VMess.Streams.Mux;

/// <summary>
/// The control-plane handle of one client-side Mux.Cool connection (a <see cref="Stages.MuxClientStage"/>): it takes
/// new sessions while the connection has room, as V2Ray 4.34's <c>ClientWorker</c> does: at most
/// <see cref="MaxConcurrency"/> open at once and <see cref="MaxSessions"/> in its lifetime, after which it takes none
/// and ends once its last session has. The counts are reserved here, under one lock, so a pool can pick and the stage
/// close for idleness without racing.
/// </summary>
public sealed class MuxClientLink
{
    private readonly Lock _gate = new();
    private readonly ConcurrentQueue<PendingOpen> _pending = new();
    private Action? _wake;
    private int _active;
    private int _total;
    private bool _closed;

    internal MuxClientLink(int maxConcurrency, int maxSessions)
    {
        MaxConcurrency = maxConcurrency;
        MaxSessions = maxSessions;
    }

    /// <summary>Sessions open at once (V2Ray's <c>concurrency</c>).</summary>
    public int MaxConcurrency { get; }

    /// <summary>Sessions over the connection's lifetime (V2Ray's 128).</summary>
    public int MaxSessions { get; }

    /// <summary>Sessions open now (taken and not yet ended both ways).</summary>
    public int ActiveSessions
    {
        get { lock (_gate) return _active; }
    }

    /// <summary>Sessions taken over the connection's lifetime.</summary>
    public int TotalSessions
    {
        get { lock (_gate) return _total; }
    }

    /// <summary>The connection takes no more sessions: it closed (or is closing), or used up <see cref="MaxSessions"/>.</summary>
    public bool IsClosing
    {
        get { lock (_gate) return _closed || _total >= MaxSessions; }
    }

    /// <summary>The connection has stopped, or decided to: it takes no session any more.</summary>
    public bool IsClosed
    {
        get { lock (_gate) return _closed; }
    }

    /// <summary>
    /// Opens a session to <paramref name="target"/> over <paramref name="port"/> when the connection has room; false
    /// (the port untouched) when it is full or closing. Safe from any thread.
    /// </summary>
    public bool TryOpen(MuxNetwork network, DestinationAddress target, MuxSessionPort port)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(port);
        Action? wake;
        lock (_gate)
        {
            if (_closed || _active >= MaxConcurrency || _total >= MaxSessions) return false;
            _active++;
            _total++;
            _pending.Enqueue(new PendingOpen(network, target, port));
            wake = _wake;
        }
        wake?.Invoke();
        return true;
    }

    internal void Bind(Action wake)
    {
        bool pending;
        lock (_gate)
        {
            _wake = wake;
            pending = !_pending.IsEmpty;
        }
        if (pending) wake();
    }

    internal bool TryTakePending(out PendingOpen open) => _pending.TryDequeue(out open);

    /// <summary>A session ended both ways and left the connection.</summary>
    internal void SessionEnded()
    {
        lock (_gate) _active--;
    }

    /// <summary>The connection closes when it holds no session (V2Ray's idle tick): true when it just did.</summary>
    internal bool CloseIfIdle()
    {
        lock (_gate)
        {
            if (_closed || _active > 0) return _closed;
            _closed = true;
            return true;
        }
    }

    /// <summary>The connection has stopped: sessions still waiting to be opened are aborted.</summary>
    internal void OnStopped()
    {
        lock (_gate) _closed = true;
        while (_pending.TryDequeue(out var open)) open.Port.Abort("the mux connection closed");
    }

    internal readonly record struct PendingOpen(MuxNetwork Network, DestinationAddress Target, MuxSessionPort Port);
}
