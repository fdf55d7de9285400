using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Akka.Streams;
using Akka.Streams.Stage;
using VMess.Streams.Buffers;

namespace VMess.Streams.Stages;

/// <summary>
/// The client side of one UDP association on a shared listening socket (a SOCKS5 UDP ASSOCIATE or dokodemo-door
/// UDP peer): datagrams the listener received from the peer come out one element each; elements pushed in are sent
/// back to the peer, each as one datagram behind <see cref="DatagramPortSettings.ReplyPrefix"/> (the SOCKS5 UDP header,
/// or nothing). The listener's receive loop feeds it through <see cref="DatagramPort.Offer"/> without a message per
/// datagram. Its <see cref="SocketLink"/> gives the control plane the same handle a TCP client socket has: abort,
/// activity, and the stopped event.
/// </summary>
public sealed class DatagramPortStage(DatagramPortSettings settings)
    : GraphStageWithMaterializedValue<FlowShape<ByteChunk, ByteChunk>, DatagramPort>
{
    public Inlet<ByteChunk> In { get; } = new("DatagramPort.in");

    public Outlet<ByteChunk> Out { get; } = new("DatagramPort.out");

    public override FlowShape<ByteChunk, ByteChunk> Shape => new(In, Out);

    public override ILogicAndMaterializedValue<DatagramPort> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var port = new DatagramPort(settings.QueueLimit);
        return new LogicAndMaterializedValue<DatagramPort>(new Logic(this, settings, port), port);
    }

    private sealed class Logic : GraphStageLogic
    {
        private readonly DatagramPortStage _stage;
        private readonly DatagramPortSettings _settings;
        private readonly DatagramPort _port;
        private Exception? _failure;

        public Logic(DatagramPortStage stage, DatagramPortSettings settings, DatagramPort port) : base(stage.Shape)
        {
            _stage = stage;
            _settings = settings;
            _port = port;
            SetHandler(stage.In, OnPush, CompleteStage, Fail);
            SetHandler(stage.Out, OnPull, _ => CompleteStage());
        }

        public override void PreStart()
        {
            var control = GetAsyncCallback<object>(OnControl);
            var (_, pendingAbort) = _port.Link.Bind(control);
            _port.Start(() => control(DatagramPort.Wake));
            if (pendingAbort is not null) Fail(new SocketAbortedException(pendingAbort));
            else Pull(_stage.In);
        }

        public override void PostStop()
        {
            _port.Stop();
            _port.Link.OnStopped(_failure);
        }

        private void OnControl(object control)
        {
            if (control is string reason) Fail(new SocketAbortedException(reason));
            else if (IsAvailable(_stage.Out)) OnPull();
        }

        private void OnPull()
        {
            if (_port.TryTake(out var datagram))
            {
                _port.Link.AddRead(datagram.Length);
                Push(_stage.Out, datagram);
            }
        }

        private void OnPush()
        {
            using var chunk = Grab(_stage.In);
            Reply(chunk.Span);
            Pull(_stage.In);
        }

        private void Reply(ReadOnlySpan<byte> payload)
        {
            var prefix = _settings.ReplyPrefix;
            var length = prefix.Length + payload.Length;
            if (length > SocketStage.MaxDatagramSize) return;
            using var datagram = ByteChunk.Rent(_settings.Pool, length);
            prefix.CopyTo(datagram.Array);
            payload.CopyTo(datagram.Array.AsSpan(prefix.Length));
            try
            {
                // Non-blocking: a reply the kernel has no room for is dropped, as UDP may; the peer retries.
                _settings.Socket.SendTo(datagram.Array.AsSpan(0, length), SocketFlags.None, _settings.Peer);
                _port.Link.AddWritten(length);
            }
            catch (SocketException)
            {
            }
            catch (ObjectDisposedException)
            {
                CompleteStage();
            }
        }

        private void Fail(Exception failure)
        {
            _failure = failure;
            FailStage(failure);
        }
    }
}

/// <summary>
/// How a <see cref="DatagramPortStage"/> answers its peer: through <paramref name="Socket"/> (the listener's, shared)
/// to <paramref name="Peer"/>, each reply behind <paramref name="ReplyPrefix"/>. At most <paramref name="QueueLimit"/>
/// datagrams wait for the outbound; more are dropped, as a full socket buffer would.
/// </summary>
public sealed record DatagramPortSettings(Socket Socket, EndPoint Peer, byte[] ReplyPrefix, System.Buffers.ArrayPool<byte> Pool, int QueueLimit = 256);

/// <summary>
/// The materialized handle of a <see cref="DatagramPortStage"/>: the listener offers the peer's datagrams here, and the
/// connection actor controls the association through <see cref="Link"/>.
/// </summary>
public sealed class DatagramPort(int queueLimit)
{
    internal static readonly object Wake = new();
    private readonly ConcurrentQueue<ByteChunk> _queue = new();
    private Action? _wake;
    private int _count;
    private int _waiting = 1;
    private volatile bool _stopped;

    public SocketLink Link { get; } = new();

    /// <summary>
    /// Queues a datagram from the peer and takes ownership of it. False (and the chunk disposed) when the queue is
    /// full or the association has ended.
    /// </summary>
    public bool Offer(ByteChunk datagram)
    {
        if (_stopped || Interlocked.Increment(ref _count) > queueLimit)
        {
            if (!_stopped) Interlocked.Decrement(ref _count);
            datagram.Dispose();
            return false;
        }
        _queue.Enqueue(datagram);
        // One wake-up per idle period, not one per datagram.
        if (Interlocked.Exchange(ref _waiting, 0) == 1) Volatile.Read(ref _wake)?.Invoke();
        if (_stopped) Drain();
        return true;
    }

    internal void Start(Action wake)
    {
        Volatile.Write(ref _wake, wake);
        if (!_queue.IsEmpty && Interlocked.Exchange(ref _waiting, 0) == 1) wake();
    }

    internal bool TryTake(out ByteChunk datagram)
    {
        if (_queue.TryDequeue(out datagram!))
        {
            Interlocked.Decrement(ref _count);
            return true;
        }
        Volatile.Write(ref _waiting, 1);
        // A datagram queued between the failed take and the flag is picked up now rather than stranded.
        if (!_queue.TryDequeue(out datagram!)) return false;
        Volatile.Write(ref _waiting, 0);
        Interlocked.Decrement(ref _count);
        return true;
    }

    internal void Stop()
    {
        _stopped = true;
        Drain();
    }

    private void Drain()
    {
        while (_queue.TryDequeue(out var chunk)) chunk.Dispose();
    }
}
