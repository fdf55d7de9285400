using System.Collections.Concurrent;
using VMess.Streams.Buffers;
using VMess.Streams.Stages;

namespace VMess.Streams.Mux;

/// <summary>
/// Where one Mux.Cool session's two threads meet: the mux connection's stage (through <see cref="MuxEndpoint"/>) and
/// the session's own graph (through its <see cref="MuxSessionPortStage"/>). Both directions are queues of chunks with
/// a wake-up per idle period, never a message per chunk.
/// <list type="bullet">
/// <item>Uplink (client to target) holds at most the port's uplink limit in bytes; an offer past it is refused and
/// the mux server ends the session, as Mux.Cool has no flow control to slow one session down.</item>
/// <item>Downlink (target to client) stops the port stage pulling its target once the downlink limit is queued, so
/// only that session's target waits while the mux connection is busy.</item>
/// </list>
/// Its <see cref="Link"/> gives the control plane the handle a client socket has: abort, activity, stopped.
/// On the client side of a mux connection the port stands where the target socket would, so the directions swap:
/// "uplink" is then the server's reply for the local client, "downlink" what the local client sends.
/// </summary>
public sealed class MuxSessionPort
{
    private readonly ConcurrentQueue<ByteChunk> _uplink = new();
    private readonly ConcurrentQueue<ByteChunk> _downlink = new();
    private readonly int _uplinkLimit;
    private readonly int _downlinkLimit;
    private long _uplinkBytes;
    private long _downlinkBytes;
    private volatile bool _uplinkEnded;
    private volatile bool _uplinkRefused;
    private volatile bool _downlinkEnded;
    private volatile bool _stopped;
    private volatile bool _muxDetached;
    private volatile Exception? _failure;
    private Action? _wakePort;
    private Action? _schedule;
    private int _portWakePending;
    private int _scheduled;
    private int _muxWaitingForRoom;

    internal MuxSessionPort(int uplinkLimit, int downlinkLimit)
    {
        _uplinkLimit = uplinkLimit;
        _downlinkLimit = downlinkLimit;
    }

    public SocketLink Link { get; } = new();

    /// <summary>Uplink bytes waiting for the session's target.</summary>
    public long UplinkBufferedBytes => Interlocked.Read(ref _uplinkBytes);

    /// <summary>Target reply bytes waiting for the mux connection.</summary>
    internal long DownlinkQueuedBytes => Interlocked.Read(ref _downlinkBytes);

    // ---- the mux server's side -------------------------------------------------------------------------------

    /// <summary>
    /// Queues client data for the target and takes the chunk, or returns false (leaving the chunk to the caller) when
    /// it would pass the uplink limit. Data for a session whose graph no longer takes any is dropped.
    /// </summary>
    internal bool OfferUplink(ByteChunk chunk)
    {
        if (_stopped || _uplinkRefused)
        {
            chunk.Dispose();
            return true;
        }
        if (Interlocked.Read(ref _uplinkBytes) + chunk.Length > _uplinkLimit) return false;
        Interlocked.Add(ref _uplinkBytes, chunk.Length);
        _uplink.Enqueue(chunk);
        if (_stopped || _uplinkRefused) DrainUplink();
        else WakePort();
        return true;
    }

    /// <summary>The mux server holds a chunk this port had no room for: the next take schedules the session.</summary>
    internal void WaitForRoom() => Volatile.Write(ref _muxWaitingForRoom, 1);

    /// <summary>The client ended the session (or the whole connection): the target is half-closed after the queued data.</summary>
    internal void EndUplink()
    {
        _uplinkEnded = true;
        WakePort();
    }

    /// <summary>Called when the mux server schedules its sessions; the port calls <paramref name="schedule"/> when it has news.</summary>
    internal void AttachMux(Action schedule)
    {
        Volatile.Write(ref _schedule, schedule);
        if (!_downlink.IsEmpty || _downlinkEnded || _stopped) Schedule();
    }

    /// <summary>The mux server picked the session up; news after this schedules it again.</summary>
    internal void Unschedule() => Volatile.Write(ref _scheduled, 0);

    /// <summary>The mux server has more to write for the session than its turn allowed.</summary>
    internal void ScheduleAgain() => Schedule();

    internal bool TryTakeDownlink(out ByteChunk chunk)
    {
        if (!_downlink.TryDequeue(out chunk!)) return false;
        var after = Interlocked.Add(ref _downlinkBytes, -chunk.Length);
        // Only the take that makes room again wakes the port stage (it stopped pulling when the queue filled).
        if (after < _downlinkLimit && after + chunk.Length >= _downlinkLimit) WakePort();
        return true;
    }

    /// <summary>The target has ended; read before the last <see cref="TryTakeDownlink"/>, it means the queue is final.</summary>
    internal bool DownlinkEnded => _downlinkEnded;

    /// <summary>The session's graph has stopped; read before the last <see cref="TryTakeDownlink"/>, it means the queue is final.</summary>
    internal bool HasStopped => _stopped;

    /// <summary>Why the session's graph stopped (null: both directions ended normally).</summary>
    internal Exception? Failure => _failure;

    /// <summary>
    /// The mux server no longer reads this session's downlink (it ended or replaced the session, or stopped): what is
    /// queued and still comes is dropped. The session is still scheduled when its graph stops.
    /// </summary>
    internal void DetachMux()
    {
        _muxDetached = true;
        DrainDownlink();
    }

    internal void Abort(string reason) => Link.Abort(reason);

    // ---- the port stage's side -------------------------------------------------------------------------------

    internal void BindPort(Action wake)
    {
        Volatile.Write(ref _wakePort, wake);
        Volatile.Write(ref _portWakePending, 0);
    }

    /// <summary>The port stage handles a wake-up: news after this wakes it again.</summary>
    internal void PortWoken() => Volatile.Write(ref _portWakePending, 0);

    internal bool TryTakeUplink(out ByteChunk chunk)
    {
        if (!_uplink.TryDequeue(out chunk!)) return false;
        Interlocked.Add(ref _uplinkBytes, -chunk.Length);
        if (Volatile.Read(ref _muxWaitingForRoom) == 1 && Interlocked.Exchange(ref _muxWaitingForRoom, 0) == 1) Schedule();
        return true;
    }

    /// <summary>The client ended the session and everything it sent was taken.</summary>
    internal bool UplinkFinished => _uplinkEnded && _uplink.IsEmpty;

    /// <summary>The session's target side stopped taking uplink; what is queued and still comes is dropped.</summary>
    internal void RefuseUplink()
    {
        _uplinkRefused = true;
        DrainUplink();
    }

    /// <summary>Queues target data for the client and takes the chunk; false when the queue is full (stop pulling).</summary>
    internal bool OfferDownlink(ByteChunk chunk)
    {
        if (_muxDetached)
        {
            chunk.Dispose();
            return true;
        }
        var queued = Interlocked.Add(ref _downlinkBytes, chunk.Length);
        _downlink.Enqueue(chunk);
        if (_muxDetached) DrainDownlink();
        else Schedule();
        return queued < _downlinkLimit;
    }

    internal bool HasDownlinkRoom => Interlocked.Read(ref _downlinkBytes) < _downlinkLimit;

    internal void EndDownlink()
    {
        _downlinkEnded = true;
        Schedule();
    }

    internal void OnStopped(Exception? failure)
    {
        _failure = failure;
        _stopped = true;
        DrainUplink();
        Schedule();
    }

    // ----------------------------------------------------------------------------------------------------------

    private void WakePort()
    {
        if (_stopped) return;
        if (Interlocked.Exchange(ref _portWakePending, 1) == 0) Volatile.Read(ref _wakePort)?.Invoke();
    }

    private void Schedule()
    {
        var schedule = Volatile.Read(ref _schedule);
        if (schedule is not null && Interlocked.Exchange(ref _scheduled, 1) == 0) schedule();
    }

    private void DrainUplink()
    {
        while (_uplink.TryDequeue(out var chunk))
        {
            Interlocked.Add(ref _uplinkBytes, -chunk.Length);
            chunk.Dispose();
        }
    }

    private void DrainDownlink()
    {
        while (_downlink.TryDequeue(out var chunk))
        {
            Interlocked.Add(ref _downlinkBytes, -chunk.Length);
            chunk.Dispose();
        }
    }
}
