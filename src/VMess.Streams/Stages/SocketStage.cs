using System.Net.Sockets;
using Akka.Streams;
using Akka.Streams.Stage;
using VMess.Streams.Buffers;

namespace VMess.Streams.Stages;

/// <summary>
/// One socket as a flow: elements pushed in are written to it, bytes read from it come out. It replaces
/// Akka.Streams' <c>Tcp()</c> in the data plane (akka-perf.md §1): reads happen only on demand, an idle socket
/// waits with a zero-byte read and so holds no buffer, a completion re-enters the stage through one async
/// callback, and chunks are pooled arrays handed on without copying.
/// <para>
/// The two directions close independently (TCP half-close): the end of the input shuts the socket down for
/// sending once the last write finished, and the peer's end of stream completes the output. The stage stops
/// when both are done. A broken stream resets the socket; an abort by the control plane closes it.
/// </para>
/// </summary>
public sealed class SocketStage(Socket? socket, SocketStageSettings settings)
    : GraphStageWithMaterializedValue<FlowShape<ByteChunk, ByteChunk>, SocketLink>
{
    public Inlet<ByteChunk> In { get; } = new("Socket.in");

    public Outlet<ByteChunk> Out { get; } = new("Socket.out");

    public override FlowShape<ByteChunk, ByteChunk> Shape => new(In, Out);

    public override ILogicAndMaterializedValue<SocketLink> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var link = new SocketLink();
        return new LogicAndMaterializedValue<SocketLink>(new Logic(this, socket, settings, link), link);
    }

    /// <summary>A UDP socket reads into buffers this large, so no datagram is cut.</summary>
    public const int MaxDatagramSize = 65536;

    /// <summary>
    /// Reads start this small and grow to <see cref="SocketStageSettings.ReadBufferSize"/> once a read fills its
    /// buffer: a handshake or a keep-alive needs little, and a thousand connections opening at once should not
    /// each take a bulk-sized buffer.
    /// </summary>
    public const int SmallReadSize = 4096;

    private sealed class Logic : GraphStageLogic
    {
        private readonly SocketStage _stage;
        private readonly SocketStageSettings _settings;
        private readonly SocketLink _link;
        private Socket? _socket;
        private SocketAsyncEventArgs? _readArgs;
        private SocketAsyncEventArgs? _writeArgs;
        private Action<object>? _control;
        private ByteChunk? _readChunk;
        private ByteChunk? _writeChunk;
        private int _writeOffset;
        private bool _readPending;
        private bool _writePending;
        private bool _probing;
        private bool _readDone;
        private bool _writeDone;
        private bool _inputFinished;
        private bool _isDatagram;
        private int _readSize;
        private Exception? _failure;

        public Logic(SocketStage stage, Socket? socket, SocketStageSettings settings, SocketLink link) : base(stage.Shape)
        {
            _stage = stage;
            _settings = settings;
            _link = link;
            _socket = socket;
            SetHandler(stage.In, OnPush, OnUpstreamFinish, Fail);
            SetHandler(stage.Out, OnPull, OnDownstreamFinish);
        }

        public override void PreStart()
        {
            // One async callback for everything that re-enters the stage: socket completions, attach, abort.
            _control = GetAsyncCallback<object>(OnControl);
            var (pendingSocket, pendingAbort) = _link.Bind(_control);
            if (pendingAbort is not null)
            {
                pendingSocket?.Dispose();
                Fail(new SocketAbortedException(pendingAbort));
                return;
            }
            var socket = _socket ?? pendingSocket;
            _socket = null;
            if (socket is not null) Attach(socket);
        }

        private void OnControl(object control)
        {
            switch (control)
            {
                case SocketAsyncEventArgs args when ReferenceEquals(args, _readArgs):
                    OnReadCompleted(args);
                    break;
                case SocketAsyncEventArgs args:
                    OnWriteCompleted(args);
                    break;
                case Socket socket:
                    Attach(socket);
                    break;
                case string reason:
                    Fail(new SocketAbortedException(reason));
                    break;
            }
        }

        public override void PostStop()
        {
            _link.OnStopped(_failure);
            if (_socket is not null)
            {
                // A broken stream resets the socket; the control plane's abort (a timeout) closes it as V2Ray does,
                // with a FIN, so a prober cannot tell a timeout from a normal close.
                if (_failure is SocketAbortedException) TryShutdown(_socket);
                else if (_failure is not null) TryReset(_socket);
                _socket.Dispose();
            }
            if (!_readPending) _readChunk?.Dispose();
            if (!_writePending) _writeChunk?.Dispose();
            _readArgs?.Dispose();
            _writeArgs?.Dispose();
        }

        private void Attach(Socket socket)
        {
            if (_socket is not null)
            {
                socket.Dispose();
                return;
            }
            _socket = socket;
            _isDatagram = socket.SocketType == SocketType.Dgram;
            _readSize = _isDatagram ? MaxDatagramSize : Math.Min(SmallReadSize, _settings.ReadBufferSize);
            socket.Blocking = false;
            if (!_isDatagram) socket.NoDelay = true;
            _readArgs = CreateArgs();
            if (_inputFinished) ShutdownSend();
            else if (!HasBeenPulled(_stage.In)) Pull(_stage.In);
            if (IsAvailable(_stage.Out)) StartRead();
        }

        private SocketAsyncEventArgs CreateArgs()
        {
            var args = new SocketAsyncEventArgs();
            args.Completed += (_, e) =>
            {
                if (_link.IsStopped) ReleaseAfterStop(e);
                else _control!(e);
            };
            return args;
        }

        // A completion that arrives after the stage stopped (the socket was closed under it) only returns its buffer.
        private void ReleaseAfterStop(SocketAsyncEventArgs e)
        {
            if (ReferenceEquals(e, _readArgs)) Interlocked.Exchange(ref _readChunk, null)?.Dispose();
            else Interlocked.Exchange(ref _writeChunk, null)?.Dispose();
        }

        private void OnPull()
        {
            if (_socket is not null && !_readPending) StartRead();
        }

        private void StartRead()
        {
            if (_isDatagram)
            {
                _readChunk ??= ByteChunk.Rent(_settings.Pool, _readSize);
                ReceiveAsync(probe: false);
            }
            else
            {
                TryReadNow();
            }
        }

        // A non-blocking read: one system call while data flows. When nothing is waiting, a zero-byte read waits
        // for data without holding a buffer, so an idle connection costs no buffer memory.
        private void TryReadNow()
        {
            var chunk = _readChunk ??= ByteChunk.Rent(_settings.Pool, _readSize);
            int read;
            SocketError error;
            try
            {
                read = _socket!.Receive(chunk.Array, 0, _readSize, SocketFlags.None, out error);
            }
            catch (ObjectDisposedException e)
            {
                Fail(e);
                return;
            }
            if (error == SocketError.WouldBlock)
            {
                ReleaseReadChunk();
                ReceiveAsync(probe: true);
                return;
            }
            if (error != SocketError.Success)
            {
                Fail(new SocketException((int)error));
                return;
            }
            Deliver(read);
        }

        private void ReceiveAsync(bool probe)
        {
            _probing = probe;
            _readArgs!.SetBuffer(probe ? Memory<byte>.Empty : _readChunk!.Array.AsMemory(0, _readSize));
            _readPending = StartAsync(_readArgs, receive: true);
            if (!_readPending && !IsFailed) OnReadCompleted(_readArgs);
        }

        private void OnReadCompleted(SocketAsyncEventArgs args)
        {
            _readPending = false;
            if (_readDone)
            {
                ReleaseReadChunk();
                return;
            }
            if (args.SocketError != SocketError.Success)
            {
                if (_isDatagram && args.SocketError == SocketError.ConnectionRefused)
                {
                    // An ICMP "port unreachable" for an earlier datagram; UDP carries on.
                    StartRead();
                    return;
                }
                Fail(new SocketException((int)args.SocketError));
                return;
            }
            if (_probing) TryReadNow();
            else Deliver(args.BytesTransferred);
        }

        private void Deliver(int read)
        {
            if (read == 0)
            {
                if (_isDatagram)
                {
                    StartRead();
                    return;
                }
                ReleaseReadChunk();
                CloseRead();
                Complete(_stage.Out);
                MaybeStop();
                return;
            }
            var chunk = _readChunk!;
            _readChunk = null;
            chunk.Length = read;
            if (!_isDatagram) AdaptReadSize(read);
            _link.AddRead(read);
            Push(_stage.Out, chunk);
        }

        private void AdaptReadSize(int read)
        {
            if (read == _readSize) _readSize = _settings.ReadBufferSize;
            else if (read < _readSize / 4) _readSize = Math.Min(SmallReadSize, _settings.ReadBufferSize);
        }

        private void OnDownstreamFinish(Exception cause)
        {
            if (cause is not SubscriptionWithCancelException.NonFailureCancellation)
            {
                Fail(cause);
                return;
            }
            CloseRead();
            if (!_readPending) ReleaseReadChunk();
            MaybeStop();
        }

        private void OnPush()
        {
            var chunk = Grab(_stage.In);
            if (chunk.Length == 0)
            {
                chunk.Dispose();
                Pull(_stage.In);
                return;
            }
            _writeChunk = chunk;
            _writeOffset = 0;
            Send();
        }

        // A non-blocking send first (the socket buffer usually has room); only what does not fit waits asynchronously.
        private void Send()
        {
            var chunk = _writeChunk!;
            while (true)
            {
                int sent;
                SocketError error;
                try
                {
                    sent = _socket!.Send(chunk.Array, _writeOffset, chunk.Length - _writeOffset, SocketFlags.None, out error);
                }
                catch (ObjectDisposedException e)
                {
                    Fail(e);
                    return;
                }
                if (error == SocketError.WouldBlock)
                {
                    SendAsync();
                    return;
                }
                if (error != SocketError.Success)
                {
                    Fail(new SocketException((int)error));
                    return;
                }
                if (Sent(sent)) return;
            }
        }

        private void SendAsync()
        {
            var chunk = _writeChunk!;
            // Created on first need: small writes into a socket with room never wait.
            _writeArgs ??= CreateArgs();
            _writeArgs.SetBuffer(chunk.Array.AsMemory(_writeOffset, chunk.Length - _writeOffset));
            _writePending = StartAsync(_writeArgs, receive: false);
            if (!_writePending && !IsFailed) OnWriteCompleted(_writeArgs);
        }

        // True when the operation is pending (its completion comes through the async callback); false when it
        // completed at once, or failed to start, which fails the stage.
        private bool StartAsync(SocketAsyncEventArgs args, bool receive)
        {
            try
            {
                return receive ? _socket!.ReceiveAsync(args) : _socket!.SendAsync(args);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                Fail(e);
                return false;
            }
        }

        private bool IsFailed => _failure is not null;

        private void OnWriteCompleted(SocketAsyncEventArgs args)
        {
            _writePending = false;
            if (args.SocketError != SocketError.Success)
            {
                Fail(new SocketException((int)args.SocketError));
                return;
            }
            if (!Sent(args.BytesTransferred)) Send();
        }

        // Counts sent bytes; true when the chunk is done (then the next one is pulled, or the socket half-closed).
        private bool Sent(int bytes)
        {
            _writeOffset += bytes;
            _link.AddWritten(bytes);
            var chunk = _writeChunk!;
            if (_writeOffset < chunk.Length && !_isDatagram) return false;
            _writeChunk = null;
            chunk.Dispose();
            if (_inputFinished) ShutdownSend();
            else Pull(_stage.In);
            return true;
        }

        private void OnUpstreamFinish()
        {
            _inputFinished = true;
            if (_socket is null)
            {
                // Never attached: nothing to shut down, the write side is simply done.
                _writeDone = true;
                MaybeStop();
            }
            else if (_writeChunk is null)
            {
                ShutdownSend();
            }
        }

        private void ShutdownSend()
        {
            _writeDone = true;
            if (!_isDatagram)
            {
                try
                {
                    _socket!.Shutdown(SocketShutdown.Send);
                }
                catch (SocketException)
                {
                    // The peer is already gone; the read side will see it.
                }
            }
            MaybeStop();
        }

        private void CloseRead()
        {
            _readDone = true;
            _link.OnReadClosed();
        }

        private void MaybeStop()
        {
            if (_readDone && _writeDone) CompleteStage();
        }

        private void ReleaseReadChunk()
        {
            _readChunk?.Dispose();
            _readChunk = null;
        }

        private void Fail(Exception failure)
        {
            _failure ??= failure;
            FailStage(failure);
        }

        // Disposing a socket with a read still pending is an abortive close (a reset) in .NET, so shut it down first.
        private static void TryShutdown(Socket socket)
        {
            try
            {
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // Already closed by the peer.
            }
            catch (ObjectDisposedException)
            {
            }
        }

        private static void TryReset(Socket socket)
        {
            try
            {
                socket.LingerState = new LingerOption(true, 0);
            }
            catch (SocketException)
            {
                // Already closed by the peer.
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
