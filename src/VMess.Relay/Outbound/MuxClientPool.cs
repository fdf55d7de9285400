using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using VMess.Protocol.Addresses;
using VMess.Protocol.Headers;
using VMess.Protocol.Mux;
using VMess.Relay.Policy;
using VMess.Streams.Mux;
using VMess.Streams.Stages;

namespace VMess.Relay.Outbound;

/// <summary>
/// The Mux.Cool connections of one VMess outbound with <c>mux</c> on (V2Ray 4.34's <c>IncrementalWorkerPicker</c>): a
/// session goes on the first connection that is not full (fewer than <c>concurrency</c> sessions open, fewer than 128
/// taken in its life), else on a new one, dialled through the outbound with a Mux request. A connection that holds no
/// session at one of its idle ticks closes itself, and is dropped here on the next pick. Attaching is one call from
/// the connection's actor; the session's bytes then flow between its graph and the mux connection's, never here.
/// </summary>
public sealed class MuxClientPool : IDisposable
{
    /// <summary>What V2Ray's client names as the target of a mux connection (the request itself carries none).</summary>
    public static readonly DestinationAddress MuxCoolAddress = DestinationAddress.Parse("v1.mux.cool", 9527);

    private readonly Func<CancellationToken, Task<OutboundConnection>> _dial;
    private readonly IRunnableGraph<(MuxClientLink Mux, ClientSessionLink Session, SocketLink Server)> _blueprint;
    private readonly IMaterializer _materializer;
    private readonly ILoggingAdapter _log;
    private readonly RejectionCounters? _rejections;
    private readonly CancellationTokenSource _disposed = new();
    private readonly Lock _gate = new();
    private readonly List<Connection> _connections = [];
    private int _dials;

    /// <param name="tag">The outbound's tag, for logs.</param>
    /// <param name="dial">Dials the server with a Mux request (the VMess outbound's <c>DialAsync</c> with command Mux).</param>
    /// <param name="blueprint">The mux connection graph (<see cref="Streams.VMessFlows.MuxClient"/>), fused once.</param>
    public MuxClientPool(string? tag, Func<CancellationToken, Task<OutboundConnection>> dial,
        IRunnableGraph<(MuxClientLink Mux, ClientSessionLink Session, SocketLink Server)> blueprint, IMaterializer materializer,
        ILoggingAdapter log, RejectionCounters? rejections = null)
    {
        Tag = tag;
        _dial = dial;
        _blueprint = blueprint;
        _materializer = materializer;
        _log = log;
        _rejections = rejections;
    }

    /// <summary>A pool over a VMess outbound: each new mux connection is one of its dials.</summary>
    public static MuxClientPool For(VMessOutbound outbound,
        IRunnableGraph<(MuxClientLink Mux, ClientSessionLink Session, SocketLink Server)> blueprint, IMaterializer materializer,
        ILoggingAdapter log, RejectionCounters? rejections = null) =>
        new(outbound.Tag, ct => outbound.DialAsync(MuxCoolAddress, RequestCommand.Mux, ct), blueprint, materializer, log, rejections);

    public string? Tag { get; }

    /// <summary>Mux connections dialled so far.</summary>
    public int Dials => Volatile.Read(ref _dials);

    /// <summary>Mux connections that still take sessions or carry some.</summary>
    public int OpenConnections
    {
        get
        {
            lock (_gate) return _connections.Count(c => !c.Links.Mux.IsClosed);
        }
    }

    /// <summary>
    /// Puts the session of <paramref name="port"/> (TCP or UDP to <paramref name="destination"/>) on a mux connection.
    /// A connection that fails later aborts the port, so the caller learns of it as of any target that stops.
    /// </summary>
    public void Attach(DestinationAddress destination, RequestCommand command, MuxSessionPort port)
    {
        var network = command == RequestCommand.Udp ? MuxNetwork.Udp : MuxNetwork.Tcp;
        lock (_gate)
        {
            if (_disposed.IsCancellationRequested)
            {
                port.Link.Abort("the outbound stopped");
                return;
            }
            _connections.RemoveAll(c => c.Links.Mux.IsClosed);
            foreach (var connection in _connections)
            {
                if (connection.Links.Mux.TryOpen(network, destination, port)) return;
            }
            var fresh = Open();
            _connections.Add(fresh);
            if (!fresh.Links.Mux.TryOpen(network, destination, port)) port.Link.Abort("a new mux connection took no session");
        }
    }

    /// <summary>Every mux connection is closed (its sessions aborted); sessions attached later are refused.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed.IsCancellationRequested) return;
            _disposed.Cancel();
            foreach (var connection in _connections) connection.Links.Server.Abort("the outbound stopped");
            _connections.Clear();
        }
    }

    private Connection Open()
    {
        var links = _blueprint.Run(_materializer);
        Interlocked.Increment(ref _dials);
        _ = DialAsync(links);
        return new Connection(links);
    }

    private async Task DialAsync((MuxClientLink Mux, ClientSessionLink Session, SocketLink Server) links)
    {
        OutboundConnection dialled;
        try
        {
            dialled = await _dial(_disposed.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _log.Info("outbound {0}: failed to open a mux connection: {1}", Tag ?? "(untagged)", e.Message);
            links.Server.Abort($"failed to open a mux connection: {e.Message}");
            return;
        }
        if (dialled.Session is not { } session)
        {
            dialled.Socket.Dispose();
            links.Server.Abort("the outbound gave no VMess session for a mux connection");
            return;
        }
        links.Session.Start(session);
        links.Server.Attach(dialled.Socket);
        WatchServerResponse(links.Session);
    }

    // A server that refuses the mux request just closes: this node's outbound settings are wrong, say so.
    private void WatchServerResponse(ClientSessionLink session) =>
        session.Response.ContinueWith(response =>
        {
            if (response.Exception!.InnerException is not VMessServerRefusedException refused) return;
            _rejections?.Count(RejectionCause.OutboundServerRefused);
            _log.Warning("outbound {0}: the VMess server did not accept a mux connection: {1}", Tag ?? "(untagged)", refused.Message);
        }, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    private sealed record Connection((MuxClientLink Mux, ClientSessionLink Session, SocketLink Server) Links);
}
