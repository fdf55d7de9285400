using System.Buffers;
using System.Collections.Concurrent;
using VMess.Protocol.Mux;
using VMess.Streams.Buffers;

namespace VMess.Streams.Mux;

/// <summary>
/// One end of a Mux.Cool connection, run on the connection's stream thread: it reads the peer's frames, feeds and
/// ends sessions through their <see cref="MuxSessionPort"/>s, and writes the sessions' data as frames, taking turns so
/// one busy session cannot starve the others. The server side (V2Ray 4.34's <c>common/mux/server.go</c>) opens a
/// session for each New frame; the client side (<c>common/mux/client.go</c>) opens sessions itself
/// (<see cref="OpenLocal"/>: ids 1, 2, … as V2Ray allocates them, a New frame naming the target before any Keep, with
/// the first data when some is queued) and ignores New frames from the peer, as V2Ray's client does.
/// <list type="bullet">
/// <item>New opens a session on the server (End with the error option when refused); Keep carries its data; End
/// without the error option half-closes the session's other side, with it aborts the session; KeepAlive is ignored.</item>
/// <item>Keep with data for an unknown session is answered with End, as V2Ray does.</item>
/// <item>The target's end is sent as End after its data, with the error option when the session failed.</item>
/// <item>A frame that a session's full uplink cannot take is held, and nothing more is read, until the session
/// makes room; the stage ends the session (the error option) if that takes longer than the host's stall timeout.
/// So a dial in progress holds the connection back briefly, as V2Ray does, and a stuck target only that long.</item>
/// </list>
/// Ports call back from their own threads; the only thing they do here is queue the session and wake the stage.
/// </summary>
internal sealed class MuxEndpoint
{
    /// <summary>The longest New frame: its metadata with a 255-byte domain, and a data length.</summary>
    private const int MaxNewFrameOverhead = 2 + MuxFrameCodec.MaxMetadataLength + 2;

    /// <summary>Metadata length, session id, status, option and data length: what a Keep frame adds to its data.</summary>
    public const int DataFrameOverhead = 8;

    /// <summary>An End frame: metadata length, session id, status, option.</summary>
    public const int EndFrameLength = 6;

    /// <summary>How much one session writes before the next ready one gets its turn.</summary>
    public const int TurnBytes = 16 * 1024;

    private readonly IMuxSessionHost _host;
    private readonly ArrayPool<byte> _pool;
    private readonly Action _wake;
    private readonly ChunkAccumulator _input;
    private readonly Dictionary<ushort, Session> _sessions = new();
    private readonly ConcurrentQueue<Session> _ready = new();
    private readonly Queue<(ushort Id, bool Error)> _owedEnds = new();
    private int _wakePending;
    private Session? _blockedSession;
    private ByteChunk? _blockedChunk;
    private bool _inputEnded;
    private volatile bool _stopped;
    private readonly bool _isClient;
    private readonly Action? _sessionRemoved;
    private ushort _lastSessionId;

    /// <summary>The server side: <paramref name="host"/> opens a session for each New frame.</summary>
    public MuxEndpoint(IMuxSessionHost host, ArrayPool<byte> pool, Action wake)
    {
        _host = host;
        _pool = pool;
        _wake = wake;
        _input = new ChunkAccumulator(pool);
    }

    private MuxEndpoint(IMuxSessionHost host, ArrayPool<byte> pool, Action wake, Action sessionRemoved) : this(host, pool, wake)
    {
        _isClient = true;
        _sessionRemoved = sessionRemoved;
    }

    /// <summary>
    /// The client side: sessions are opened with <see cref="OpenLocal"/>, and <paramref name="sessionRemoved"/> runs
    /// (on this thread) each time one has ended both ways and left the table. <paramref name="host"/> only times stalls
    /// and hears of overflows; New frames from the peer are dropped, so it opens nothing.
    /// </summary>
    public static MuxEndpoint ForClient(IMuxSessionHost host, ArrayPool<byte> pool, Action wake, Action sessionRemoved) =>
        new(host, pool, wake, sessionRemoved);

    /// <summary>
    /// Client side: opens a session to <paramref name="target"/> over <paramref name="port"/> with the next id. Its
    /// New frame goes out at the next write, carrying the first data if some is queued by then.
    /// </summary>
    public MuxSessionRequest OpenLocal(MuxNetwork network, Protocol.Addresses.DestinationAddress target, MuxSessionPort port)
    {
        if (!_isClient) throw new InvalidOperationException("Only the client side of a mux connection opens sessions.");
        var request = new MuxSessionRequest(++_lastSessionId, network, target);
        if (_stopped)
        {
            port.Abort("the mux connection closed");
            return request;
        }
        if (_sessions.Remove(request.SessionId, out var previous)) Remove(previous, "its session id was reused");
        var session = new Session(this, request, port) { NewOwed = true };
        _sessions[request.SessionId] = session;
        port.AttachMux(session.Schedule);
        Schedule(session);
        return request;
    }

    /// <summary>A session's full uplink holds a frame back; no more frames are read until it is taken or the session ended.</summary>
    public bool IsBlocked => _blockedChunk is not null;

    /// <summary>How many times the connection was held back so far (tells one stall from the next).</summary>
    public int BlockCount { get; private set; }

    /// <summary>Sessions in the table: open, or ended and waiting for their graph to stop.</summary>
    public int SessionCount => _sessions.Count;

    /// <summary>Whether frames are waiting to be written.</summary>
    public bool HasFramesDue => _owedEnds.Count > 0 || !_ready.IsEmpty;

    /// <summary>The client ended the request and every session has ended and been answered: the response can end.</summary>
    public bool IsComplete => _inputEnded && _sessions.Count == 0 && _owedEnds.Count == 0;

    /// <summary>
    /// Reads the frames in the next piece of the decoded request (taking <paramref name="payload"/>). Returns null, or
    /// what makes the stream something V2Ray would drop the connection for.
    /// </summary>
    public string? Feed(ByteChunk payload)
    {
        _input.Append(payload);
        return ReadFrames();
    }

    /// <summary>Offers the held-back frame again (the session made room, or ended); reads on once it is taken.</summary>
    public string? Resume()
    {
        if (_blockedChunk is null || !TryOfferBlocked()) return null;
        return ReadFrames();
    }

    /// <summary>The held-back session made no room in time: it is ended with the error option, and reading goes on.</summary>
    public string? EndBlockedSession()
    {
        if (_blockedChunk is null) return null;
        var session = _blockedSession!;
        Unblock();
        if (IsCurrent(session) && !session.Abandoned)
        {
            _host.SessionOverflowed(session.Request, session.Port.UplinkBufferedBytes);
            Abandon(session, "mux session buffer full: its target does not keep up");
        }
        return ReadFrames();
    }

    private string? ReadFrames()
    {
        while (_input.Count > 0 && !IsBlocked)
        {
            var status = MuxFrameCodec.DecodeFrame(_input.Span, out var meta, out var dataOffset, out var dataLength, out var consumed, out _);
            if (status == OperationStatus.NeedMoreData) return null;
            if (status != OperationStatus.Done)
            {
                _input.Clear();
                return "a malformed Mux.Cool frame";
            }
            var problem = OnFrame(meta, _input.Span.Slice(dataOffset, dataLength));
            _input.Consume(consumed);
            if (problem is not null) return problem;
        }
        return null;
    }

    /// <summary>
    /// The client ended the request stream: every session's target is half-closed, and the response ends once they
    /// have all ended. Returns what is wrong when the stream stopped inside a frame.
    /// </summary>
    public string? EndInput()
    {
        if (_inputEnded) return null;
        _inputEnded = true;
        foreach (var session in _sessions.Values) EndUplink(session);
        Unblock();
        if (_input.Count == 0) return null;
        _input.Clear();
        return "the Mux.Cool stream ends inside a frame";
    }

    /// <summary>The stage handles a wake-up; news after this wakes it again.</summary>
    public void Woken() => Volatile.Write(ref _wakePending, 0);

    /// <summary>
    /// Writes the frames that are due into <paramref name="destination"/>: End frames owed, then the ready sessions'
    /// data in turns of <see cref="TurnBytes"/>, each ending with End once its target has. Returns the bytes written.
    /// </summary>
    public int WriteFrames(Span<byte> destination)
    {
        var written = 0;
        while (_owedEnds.Count > 0 && destination.Length - written >= EndFrameLength)
        {
            var (id, error) = _owedEnds.Dequeue();
            written += WriteEnd(id, error, destination[written..]);
        }
        while (destination.Length - written > DataFrameOverhead && _ready.TryDequeue(out var session))
        {
            session.Port.Unschedule();
            if (!IsCurrent(session))
            {
                session.Release();
                continue;
            }
            var progress = WriteSession(session, destination[written..], out var more);
            written += progress;
            if (!more) continue;
            session.Port.ScheduleAgain();
            if (progress == 0) break;
        }
        return written;
    }

    /// <summary>The connection stopped: every session's graph is aborted and what it queued is released.</summary>
    public void Stop()
    {
        _stopped = true;
        foreach (var session in _sessions.Values)
        {
            session.Release();
            if (!session.Port.HasStopped) session.Port.Abort("the mux connection closed");
        }
        _sessions.Clear();
        _owedEnds.Clear();
        _input.Clear();
        Unblock();
        while (_ready.TryDequeue(out var session)) session.Release();
    }

    private string? OnFrame(in MuxFrameMetadata meta, ReadOnlySpan<byte> data)
    {
        switch (meta.Status)
        {
            case MuxSessionStatus.New:
                // V2Ray's client drops a New frame and its data; only the server opens sessions for the peer.
                return _isClient ? null : OnNew(meta, data);
            case MuxSessionStatus.Keep:
                if (!meta.HasData) return null;
                if (!_sessions.TryGetValue(meta.SessionId, out var session))
                {
                    // As V2Ray: tell the client the session is gone, and drop the data.
                    _owedEnds.Enqueue((meta.SessionId, false));
                    return null;
                }
                return Deliver(session, data);
            case MuxSessionStatus.End:
                if (_sessions.TryGetValue(meta.SessionId, out var ended)) OnEnd(ended, (meta.Option & MuxOptions.Error) != 0);
                return null;
            default:
                return null;
        }
    }

    private string? OnNew(in MuxFrameMetadata meta, ReadOnlySpan<byte> data)
    {
        var request = new MuxSessionRequest(meta.SessionId, meta.Network, meta.Target!);
        if (_sessions.Remove(meta.SessionId, out var previous))
        {
            // V2Ray replaces a session whose id comes again; the old one's graph goes, without a frame for it.
            previous.Release();
            previous.Port.Abort($"mux session {meta.SessionId} was opened again");
        }
        if (_sessions.Count >= _host.MaxSessions)
        {
            _host.SessionLimitReached(request);
            _owedEnds.Enqueue((meta.SessionId, true));
            return CheckPacket(request, data);
        }
        var port = _host.Open(request);
        if (port is null)
        {
            _owedEnds.Enqueue((meta.SessionId, true));
            return CheckPacket(request, data);
        }
        var session = new Session(this, request, port);
        _sessions[meta.SessionId] = session;
        port.AttachMux(session.Schedule);
        return meta.HasData ? Deliver(session, data) : null;
    }

    private string? Deliver(Session session, ReadOnlySpan<byte> data)
    {
        if (CheckPacket(session.Request, data) is { } problem) return problem;
        if (data.IsEmpty || session.UplinkEnded || session.Abandoned) return null;
        var chunk = ByteChunk.CopyOf(_pool, data);
        if (session.Port.OfferUplink(chunk)) return null;
        _blockedSession = session;
        _blockedChunk = chunk;
        BlockCount++;
        TryOfferBlocked();
        return null;
    }

    // True when the held-back chunk is gone (taken, or its session ended); else the port wakes us on its next take.
    private bool TryOfferBlocked()
    {
        var session = _blockedSession!;
        if (!IsCurrent(session) || session.Abandoned || session.UplinkEnded)
        {
            Unblock();
            return true;
        }
        session.Port.WaitForRoom();
        if (!session.Port.OfferUplink(_blockedChunk!)) return false;
        _blockedChunk = null;
        _blockedSession = null;
        return true;
    }

    private void Unblock()
    {
        _blockedChunk?.Dispose();
        _blockedChunk = null;
        _blockedSession = null;
    }

    // V2Ray's packet reader fails the whole connection on a datagram over its buffer size.
    private static string? CheckPacket(MuxSessionRequest request, ReadOnlySpan<byte> data) =>
        request.Network == MuxNetwork.Udp && data.Length > MuxFrameCodec.MaxPacketDataLength
            ? $"a {data.Length}-byte datagram for mux session {request.SessionId}, over {MuxFrameCodec.MaxPacketDataLength}"
            : null;

    private void OnEnd(Session session, bool error)
    {
        if (!error)
        {
            EndUplink(session);
            return;
        }
        // As V2Ray: both directions are interrupted, and the session's end is answered with End and the error option.
        session.UplinkEnded = true;
        session.Port.Abort("the client ended the mux session with an error");
    }

    private void EndUplink(Session session)
    {
        if (session.UplinkEnded) return;
        session.UplinkEnded = true;
        session.Port.EndUplink();
    }

    // Ends a session from this side at once: its queued replies are dropped and End with the error option is owed.
    private void Abandon(Session session, string reason)
    {
        session.Abandoned = true;
        session.EndSent = true;
        session.Release();
        _owedEnds.Enqueue((session.Request.SessionId, true));
        session.Port.Abort(reason);
    }

    private int WriteSession(Session session, Span<byte> destination, out bool more)
    {
        more = false;
        var port = session.Port;
        var id = session.Request.SessionId;
        if (session.EndSent)
        {
            if (port.HasStopped) RemoveEnded(session);
            return 0;
        }
        if (session.NewOwed && !session.HasQueued() && !port.HasStopped && !port.DownlinkEnded)
        {
            // Nothing to send with it yet: the New frame goes alone, so the server dials while the data comes.
            if (destination.Length < MaxNewFrameOverhead) { more = true; return 0; }
            return WriteNew(session, default, destination);
        }
        var written = 0;
        while (true)
        {
            // Read before the take: a set flag means everything the port will queue is already queued.
            var stopped = port.HasStopped;
            var ended = port.DownlinkEnded;
            if (!session.TryPeek(out var chunk, out var offset))
            {
                if (!stopped && !ended) return written;
                if (destination.Length - written < EndFrameLength)
                {
                    more = true;
                    return written;
                }
                if (session.NewOwed)
                {
                    if (destination.Length - written < MaxNewFrameOverhead + EndFrameLength)
                    {
                        more = true;
                        return written;
                    }
                    written += WriteNew(session, default, destination[written..]);
                }
                written += WriteEnd(id, error: !ended || port.Failure is not null, destination[written..]);
                session.EndSent = true;
                if (stopped) RemoveEnded(session);
                return written;
            }
            var overhead = session.NewOwed ? MaxNewFrameOverhead : DataFrameOverhead;
            var room = destination.Length - written - overhead;
            if (session.Request.Network == MuxNetwork.Udp)
            {
                if (chunk.Length is 0 or > MuxFrameCodec.MaxPacketDataLength)
                {
                    // The V2Ray client would drop the whole connection on a datagram this large.
                    session.Consume(chunk.Length);
                    continue;
                }
                if (room < chunk.Length)
                {
                    more = true;
                    return written;
                }
            }
            if (room <= 0 || written >= TurnBytes)
            {
                more = true;
                return written;
            }
            var take = Math.Min(Math.Min(room, chunk.Length - offset), MuxFrameCodec.MaxDataLength);
            var data = chunk.Span.Slice(offset, take);
            written += session.NewOwed
                ? WriteNew(session, data, destination[written..])
                : MuxFrameCodec.EncodeFrame(MuxFrameMetadata.Keep(id, MuxOptions.Data), data, destination[written..]);
            session.Consume(take);
        }
    }

    // The client's first frame of a session names its target (and network); data rides along when there is some.
    private static int WriteNew(Session session, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        session.NewOwed = false;
        var request = session.Request;
        var meta = MuxFrameMetadata.New(request.SessionId, request.Network, request.Target, data.IsEmpty ? MuxOptions.None : MuxOptions.Data);
        return MuxFrameCodec.EncodeFrame(meta, data, destination);
    }

    // A session that ended both ways leaves the table; the client side's owner counts it out.
    private void RemoveEnded(Session session)
    {
        _sessions.Remove(session.Request.SessionId);
        _sessionRemoved?.Invoke();
    }

    private void Remove(Session session, string reason)
    {
        session.Release();
        session.Port.Abort(reason);
        _sessionRemoved?.Invoke();
    }

    private static int WriteEnd(ushort id, bool error, Span<byte> destination) =>
        MuxFrameCodec.EncodeFrame(MuxFrameMetadata.End(id, error ? MuxOptions.Error : MuxOptions.None), default, destination);

    private bool IsCurrent(Session session) =>
        _sessions.TryGetValue(session.Request.SessionId, out var current) && ReferenceEquals(current, session);

    private void Schedule(Session session)
    {
        if (_stopped) return;
        _ready.Enqueue(session);
        if (Interlocked.Exchange(ref _wakePending, 1) == 0) _wake();
    }

    /// <summary>One session as the mux server sees it (its thread only), plus the reply it is part-way through.</summary>
    private sealed class Session(MuxEndpoint server, MuxSessionRequest request, MuxSessionPort port)
    {
        private ByteChunk? _head;
        private int _headOffset;

        public MuxSessionRequest Request { get; } = request;

        public MuxSessionPort Port { get; } = port;

        /// <summary>The client ended its side (End, or the end of the whole request).</summary>
        public bool UplinkEnded { get; set; }

        /// <summary>This side's End went out (or is owed): nothing more is written for the session.</summary>
        public bool EndSent { get; set; }

        /// <summary>Ended from this side: the client's further data for it is dropped.</summary>
        public bool Abandoned { get; set; }

        /// <summary>Client side: the session's New frame has not gone out yet.</summary>
        public bool NewOwed { get; set; }

        /// <summary>Whether data is waiting to be written (taking it from the port into the head if need be).</summary>
        public bool HasQueued() => TryPeek(out _, out _);

        /// <summary>Called by the port, from any thread, when the session has something to write.</summary>
        public void Schedule() => server.Schedule(this);

        public bool TryPeek(out ByteChunk chunk, out int offset)
        {
            if (_head is null && Port.TryTakeDownlink(out var next))
            {
                _head = next;
                _headOffset = 0;
            }
            chunk = _head!;
            offset = _headOffset;
            return _head is not null;
        }

        public void Consume(int count)
        {
            _headOffset += count;
            if (_headOffset < _head!.Length) return;
            _head.Dispose();
            _head = null;
            _headOffset = 0;
        }

        /// <summary>Nothing more of this session's downlink is read: what it holds and what it queued goes back.</summary>
        public void Release()
        {
            _head?.Dispose();
            _head = null;
            Port.DetachMux();
        }
    }
}
