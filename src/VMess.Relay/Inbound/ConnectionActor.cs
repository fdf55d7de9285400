using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using VMess.Configuration.Options;
using VMess.Protocol;
using VMess.Protocol.Headers;
using VMess.Protocol.Sessions;
using VMess.ProxyProtocols;
using VMess.Relay.Logging;
using VMess.Relay.Online;
using VMess.Relay.Outbound;
using VMess.Relay.Policy;
using VMess.Streams;
using VMess.Streams.Mux;
using VMess.Streams.Stages;
using static VMess.Relay.Inbound.ConnectionProtocol;

namespace VMess.Relay.Inbound;

/// <summary>
/// The control plane of one inbound connection. It runs the connection's fused graph (client socket, the inbound's
/// protocol stage, the outbound's VMess client stage if any, target socket) and reacts to a handful of events: the
/// handshake outcome, the dial, the ends of each direction, and its timers (handshake, idle, uplink-only,
/// downlink-only). Payload bytes never reach its mailbox. States: handshaking, dialing, relaying (and holding, for
/// a SOCKS5 UDP ASSOCIATE control connection); it stops once both sides are closed. A UDP association of a socks
/// or dokodemo-door inbound runs here too: its graph comes materialized, its request known, so it starts dialling.
/// </summary>
public sealed class ConnectionActor : ReceiveActor, IWithTimers
{
    private ILoggingAdapter? _logger;
    private readonly Socket? _client;
    private readonly InboundContext _inbound;
    private readonly string _from;
    private readonly IPAddress? _source;
    private readonly RelayRequest? _associationRequest;
    private readonly bool _muxSession;
    private LinkTrafficMeter? _traffic;
    private CancellationTokenSource? _dialCancel;
    private ConnectionLinks? _links;
    private RelayRequest? _request;
    private LevelPolicy _policy;
    private TimeSpan _idleTimeout;
    private bool _clientStopped;
    private bool _targetStopped;
    private bool _targetAttached;
    private bool _uplinkClosed;
    private bool _downlinkClosed;
    private bool _handshakeSettled;
    private LiveConnection? _live;

    public ConnectionActor(Socket client, InboundContext inbound)
    {
        _client = client;
        _inbound = inbound;
        var remote = client.RemoteEndPoint;
        _from = remote?.ToString() ?? "unknown";
        _source = (remote as IPEndPoint)?.Address;
        _policy = inbound.Policy.ForLevel(0);
        _idleTimeout = _policy.ConnectionIdle;
        Handshaking();
    }

    private ConnectionActor(ConnectionLinks association, string from, RelayRequest request, InboundContext inbound, bool muxSession)
    {
        _links = association;
        _muxSession = muxSession;
        _inbound = inbound;
        _from = from;
        _associationRequest = request;
        _handshakeSettled = true;
        _policy = inbound.Policy.ForLevel(request.Level);
        _idleTimeout = inbound.IdleTimeout ?? _policy.ConnectionIdle;
        Dialing();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    // Created on first use: most connections never log, and an adapter per connection adds up.
    private ILoggingAdapter Log => _logger ??= Context.GetLogger();

    // A producer instead of Props.Create: the expression overload compiles its arguments on every call, and the
    // type-and-arguments overload goes through reflection; this is one of the costs of every accepted connection.
    public static Props Props(Socket client, InboundContext inbound) =>
        Akka.Actor.Props.CreateBy(new Producer(() => new ConnectionActor(client, inbound)));

    /// <summary>
    /// A UDP association whose graph the listener already materialized and fed its first datagram, or a mux session
    /// (<paramref name="muxSession"/>: its bytes count for its user, not again for the inbound).
    /// </summary>
    public static Props ForAssociation(ConnectionLinks association, string from, RelayRequest request, InboundContext inbound,
        bool muxSession = false) =>
        Akka.Actor.Props.CreateBy(new Producer(() => new ConnectionActor(association, from, request, inbound, muxSession)));

    private sealed class Producer(Func<ConnectionActor> create) : IIndirectActorProducer
    {
        public Type ActorType => typeof(ConnectionActor);

        public ActorBase Produce() => create();

        public void Release(ActorBase actor)
        {
        }
    }

    protected override void PreStart()
    {
        var self = Self;
        if (_associationRequest is not null)
        {
            _traffic = LinkTrafficMeter.Open(_inbound, _links!, countsInbound: !_muxSession);
            ObserveLinks(self);
            Dial(_associationRequest);
            return;
        }
        _links = _inbound.Connections.Run(_inbound.Materializer);
        _traffic = LinkTrafficMeter.Open(_inbound, _links, countsInbound: true);
        _links.Client.Attach(_client!);
        _links.Handshake.PipeTo(Self);
        ObserveLinks(self);
        // Before the user is known, V2Ray applies level 0's handshake timeout.
        Timers.StartSingleTimer(nameof(HandshakeTimedOut), new HandshakeTimedOut(), _policy.Handshake);
    }

    private void ObserveLinks(IActorRef self)
    {
        _links!.Client.Observe(() => self.Tell(new UplinkClosed()), failure => self.Tell(new ClientStopped(failure)));
        _links.Target.Observe(() => self.Tell(new DownlinkClosed()), failure => self.Tell(new TargetStopped(failure)));
    }

    protected override void PostStop()
    {
        _inbound.OpenConnections.Closed();
        _live?.Dispose();
        _dialCancel?.Cancel();
        _dialCancel?.Dispose();
        if (!_clientStopped) _links?.Client.Abort("connection actor stopped");
        if (!_targetStopped) _links?.Target.Abort("connection actor stopped");
        _traffic?.Close();
    }

    private void Handshaking()
    {
        // The outcome and the sockets' ends arrive from different threads, in either order: a rejected
        // connection that is closed at once can report both sockets stopped first. Stopping then would lose the outcome
        // (its counter and log line), so the actor stops only once it has seen the outcome too.
        Receive<HandshakeAccepted>(accepted =>
        {
            _handshakeSettled = true;
            OnAccepted(accepted);
            StopWhenBothClosed();
        });
        Receive<HandshakeRejected>(rejected =>
        {
            _handshakeSettled = true;
            OnRejected(rejected);
            StopWhenBothClosed();
        });
        Receive<ProxyRequestAccepted>(accepted =>
        {
            _handshakeSettled = true;
            OnProxyRequest(accepted.Request);
            StopWhenBothClosed();
        });
        Receive<ProxyRequestRejected>(rejected =>
        {
            _handshakeSettled = true;
            Timers.Cancel(nameof(HandshakeTimedOut));
            _inbound.Rejections.Count(RejectionCause.ProxyRequestRefused);
            Log.Info("{0}: {1} request refused: {2}", _from, _inbound.ProtocolName, rejected.Reason);
            _inbound.AccessLog.Write(new AccessRecord(_inbound.Clock.GetUtcNow(), _from, null, false, rejected.Reason, null));
            StopWhenBothClosed();
        });
        Receive<HandshakeTimedOut>(_ =>
        {
            if (_handshakeSettled)
            {
                // Rejected and still draining: the deadline ends the drain (already counted by its decode error).
                _links!.Client.Abort("handshake timeout while draining");
                return;
            }
            _inbound.Rejections.Count(RejectionCause.HandshakeTimeout);
            Log.Info("{0}: no complete VMess request within {1}", _from, _policy.Handshake);
            _links!.Client.Abort("handshake timeout");
        });
        ReceiveStops();
    }

    private void OnAccepted(HandshakeAccepted accepted)
    {
        Timers.Cancel(nameof(HandshakeTimedOut));
        var handshake = accepted.Handshake;
        var header = handshake.Header;
        var user = handshake.User.Account;
        if (_inbound.DisableInsecureEncryption && header.Security.IsInsecure())
        {
            Refuse(RejectionCause.InsecureEncryption, $"insecure encryption {header.Security.ToConfigName()}", user.Email);
            return;
        }
        if (_clientStopped) return;
        if (_inbound.LiveConnections is { } live)
        {
            var self = Self;
            _live = live.Register(user, _source, reason => self.Tell(new Close(reason)));
        }
        if (header.Command == RequestCommand.Mux && accepted.Mux is { } mux)
        {
            StartMux(mux, user.Email, user.Level);
            return;
        }
        if (header.Destination is null)
        {
            Refuse(RejectionCause.DialFailed, "a request without a destination", user.Email);
            return;
        }
        Dial(new RelayRequest(header.Destination, header.Command, user.Email, user.Level));
    }

    /// <summary>
    /// A Mux.Cool connection carries sub-connections instead of one target; each runs under a child of this actor
    /// (so they end with it), and this one keeps the connection's own timers. V2Ray logs no access for it either.
    /// </summary>
    private void StartMux(MuxServerLink mux, string? email, byte level)
    {
        _policy = _inbound.Policy.ForLevel(level);
        _idleTimeout = _inbound.IdleTimeout ?? _policy.ConnectionIdle;
        // The blueprint's target side has nothing to carry; a VMess outbound's stage would otherwise wait for ever.
        _links!.Target.Abort("a mux connection has no target of its own");
        mux.Start(new MuxSessionHost(Self, _inbound, Log, _from, email, level));
        ScheduleIdleCheck(_idleTimeout);
        Become(Muxing);
    }

    private void Muxing()
    {
        Receive<MuxSessionOpened>(opened =>
            Context.ActorOf(ForAssociation(opened.Links, _from, opened.Request, _inbound, muxSession: true)));
        Receive<IdleCheck>(_ => CheckIdle());
        ReceiveStops();
    }

    private void OnProxyRequest(ProxyRequest request)
    {
        Timers.Cancel(nameof(HandshakeTimedOut));
        if (request.Command == ProxyCommand.UdpAssociate)
        {
            // The TCP connection only holds the association (its datagrams go to the inbound's UDP port): it lives
            // until the client closes it, as in V2Ray, with no idle timeout.
            Log.Debug("{0}: UDP associate; holding the control connection", _from);
            Become(ReceiveStops);
            return;
        }
        if (_clientStopped) return;
        Dial(new RelayRequest(request.Destination, RequestCommand.Tcp, request.User, _inbound.UserLevel));
    }

    private void Dial(RelayRequest request)
    {
        _request = request;
        _traffic?.CountFor(_inbound, request);
        _policy = _inbound.Policy.ForLevel(request.Level);
        _idleTimeout = _inbound.IdleTimeout ?? _policy.ConnectionIdle;
        if (_inbound.MuxOutbound is { } mux)
        {
            // A multiplexing outbound carries the connection as a session of a shared mux connection: no dial here.
            mux.Attach(request.Destination, request.Command, _links!.MuxPort
                ?? throw new InvalidOperationException("a mux outbound routed for a connection without a session port"));
            OnTargetReady();
            return;
        }
        _dialCancel = new CancellationTokenSource();
        _inbound.Outbound.DialAsync(request.Destination, request.Command, _dialCancel.Token)
            .PipeTo(Self, success: connection => new TargetDialed(connection), failure: e => new DialFailed(e));
        Become(Dialing);
    }

    private void OnTargetReady()
    {
        _targetAttached = true;
        var request = _request!;
        _inbound.AccessLog.Write(new AccessRecord(_inbound.Clock.GetUtcNow(), _from, request.ToString(), true, null,
            request.Email, _inbound.Outbound.Tag));
        ScheduleIdleCheck(_idleTimeout);
        Become(Relaying);
        if (_uplinkClosed) ShortenIdle(_policy.DownlinkOnly);
        if (_downlinkClosed) ShortenIdle(_policy.UplinkOnly);
    }

    private void OnRejected(HandshakeRejected rejected)
    {
        // A drain keeps the handshake deadline, as V2Ray's read deadline does: a prober that stops sending before the
        // drain is done is closed then, not held open until it goes away.
        if (rejected.DrainBytes == 0) Timers.Cancel(nameof(HandshakeTimedOut));
        if (rejected.Cause == HandshakeRejection.ClosedEarly)
        {
            _inbound.Rejections.Count(RejectionCause.ClosedBeforeHandshake);
            Log.Debug("{0}: closed after {1} bytes, before a complete request", _from, rejected.BytesReceived);
            return;
        }
        if (rejected.Cause == HandshakeRejection.Aborted) return;
        _inbound.Rejections.Count(rejected.Error);
        var reason = rejected.ClockSkewSeconds is { } skew
            ? $"user {rejected.UserName}'s clock is off by {skew} s"
            : rejected.UserName is { } name ? $"{rejected.Error.Describe()} (user {name})" : rejected.Error.Describe();
        var drain = rejected.DrainBytes > 0 ? $"; draining {rejected.DrainBytes} bytes before closing" : "";
        if (rejected.ClockSkewSeconds is not null) Log.Warning("{0}: rejected: {1}{2}", _from, reason, drain);
        else Log.Info("{0}: rejected: {1}{2}", _from, reason, drain);
        _inbound.AccessLog.Write(new AccessRecord(_inbound.Clock.GetUtcNow(), _from, null, false, reason, null));
    }

    private void Dialing()
    {
        Receive<TargetDialed>(dialed =>
        {
            _dialCancel!.Dispose();
            _dialCancel = null;
            var links = _links!;
            if (dialed.Connection.Session is { } session)
            {
                if (links.Session is null)
                {
                    // A wiring bug, not a network event: the inbound's blueprint was built for a direct outbound.
                    dialed.Connection.Socket.Dispose();
                    throw new InvalidOperationException("a VMess outbound dialled for a connection without a client session stage");
                }
                links.Session.Start(session);
                WatchServerResponse(links.Session, dialed.Connection.OnSwitchAccount);
            }
            links.Target.Attach(dialed.Connection.Socket);
            OnTargetReady();
        });
        Receive<DialFailed>(failed =>
        {
            var blackholed = failed.Cause is OutboundRefusedException;
            var request = _request!;
            if (!blackholed) Log.Info("{0}: failed to reach {1}: {2}", _from, request, failed.Cause.Message);
            Refuse(blackholed ? RejectionCause.Blackholed : RejectionCause.DialFailed, failed.Cause.Message,
                request.Email, request.ToString());
        });
        ReceiveStops();
    }

    private void Relaying()
    {
        Receive<IdleCheck>(_ => CheckIdle());
        ReceiveStops();
    }

    private void ReceiveStops()
    {
        // As V2Ray: once one direction ends, the other gets the shorter of its own timeout and the idle timeout.
        Receive<UplinkClosed>(_ =>
        {
            _uplinkClosed = true;
            if (_targetAttached) ShortenIdle(_policy.DownlinkOnly);
        });
        Receive<DownlinkClosed>(_ =>
        {
            _downlinkClosed = true;
            if (_targetAttached) ShortenIdle(_policy.UplinkOnly);
        });
        Receive<ClientStopped>(stopped =>
        {
            _clientStopped = true;
            LogFailure("client", stopped.Failure);
            // A client that failed takes the target with it; one that ended cleanly lets the target finish its writes.
            if (!_targetStopped && (stopped.Failure is not null || !_targetAttached)) _links!.Target.Abort("client connection closed");
            StopWhenBothClosed();
        });
        Receive<TargetStopped>(stopped =>
        {
            _targetStopped = true;
            LogFailure("target", stopped.Failure);
            StopWhenBothClosed();
        });
        Receive<TargetDialed>(dialed => dialed.Connection.Socket.Dispose());
        // Both sockets closed (FIN); the actor stops once both stages have, as after any other close.
        Receive<Close>(close =>
        {
            Log.Debug("{0}: closing: {1}", _from, close.Reason);
            _links?.Client.Abort(close.Reason);
            _links?.Target.Abort(close.Reason);
        });
        ReceiveAny(_ => { });
    }

    /// <summary>
    /// A VMess server that refuses the request (an unknown id, a clock off by more than two minutes) just closes. Say
    /// so at warning level: unlike a client's bad request, it means this node's own outbound settings are wrong. The
    /// response task completes on a pool thread, often after this actor has stopped, so the continuation counts and
    /// logs itself (both are thread-safe) instead of sending a message that may find nobody. A response that carries a
    /// SwitchAccount goes to the outbound in the same continuation.
    /// </summary>
    private void WatchServerResponse(ClientSessionLink session, Action<SwitchAccountCommand>? switchAccount)
    {
        var (log, rejections, from, request, outbound) = (Log, _inbound.Rejections, _from, _request, _inbound.Outbound.Tag ?? "(untagged)");
        session.Response.ContinueWith(response =>
        {
            if (response.IsCompletedSuccessfully)
            {
                if (response.Result.Command is { } command) switchAccount?.Invoke(command);
                return;
            }
            // An abort on our side (idle, the client going away) also faults the response; only a server's refusal is news.
            if (response.Exception!.InnerException is not VMessServerRefusedException refused) return;
            rejections.Count(RejectionCause.OutboundServerRefused);
            log.Warning("{0}: the VMess server of outbound {1} did not accept the request for {2}: {3}", from, outbound, request, refused.Message);
        }, CancellationToken.None, switchAccount is null ? TaskContinuationOptions.OnlyOnFaulted : TaskContinuationOptions.NotOnCanceled,
            TaskScheduler.Default);
    }

    private void Refuse(RejectionCause cause, string reason, string? email, string? destination = null)
    {
        _inbound.Rejections.Count(cause);
        _inbound.AccessLog.Write(new AccessRecord(_inbound.Clock.GetUtcNow(), _from, destination, false, reason, email));
        _links!.Client.Abort(reason);
    }

    private void ShortenIdle(TimeSpan timeout)
    {
        if (timeout >= _idleTimeout) return;
        _idleTimeout = timeout;
        CheckIdle();
    }

    private void CheckIdle()
    {
        var links = _links!;
        var lastActivity = Math.Max(links.Client.LastActivityTicks, links.Target.LastActivityTicks);
        var idle = TimeSpan.FromMilliseconds(Environment.TickCount64 - lastActivity);
        if (idle >= _idleTimeout)
        {
            Log.Debug("{0}: closing after {1} without traffic", _from, idle);
            links.Client.Abort("idle timeout");
            return;
        }
        ScheduleIdleCheck(_idleTimeout - idle);
    }

    private void ScheduleIdleCheck(TimeSpan after) => Timers.StartSingleTimer(nameof(IdleCheck), new IdleCheck(), after);

    private void StopWhenBothClosed()
    {
        if (_clientStopped && _targetStopped && _handshakeSettled) Context.Stop(Self);
    }

    private void LogFailure(string side, Exception? failure)
    {
        if (failure is null or SocketAbortedException) return;
        if (failure is MuxFrameException)
        {
            _inbound.Rejections.Count(DecodeError.InvalidMuxFrame);
            Log.Info("{0}: closing the connection: {1}", _from, failure.Message);
            return;
        }
        Log.Debug("{0}: {1} side ended: {2}", _from, side, failure.Message);
    }
}
