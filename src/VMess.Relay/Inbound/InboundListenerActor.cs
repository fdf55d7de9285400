using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using VMess.Relay.Policy;
using static VMess.Relay.Inbound.ConnectionProtocol;

namespace VMess.Relay.Inbound;

/// <summary>
/// Owns one inbound's listening ports (<see cref="InboundPorts"/>: one port, a range, or rotating random ports) and
/// spawns a <see cref="ConnectionActor"/> for each accepted connection, up to
/// <see cref="RelayLimits.MaxConnectionsPerInbound"/>. The connections are this actor's children, not a port's, so a
/// port that rotates out stops accepting while its connections run on. It also keeps the legacy (alterId) auth table
/// moving with the clock. Nothing else: connections run on their own.
/// </summary>
public sealed class InboundListenerActor : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan LegacyRefreshInterval = TimeSpan.FromSeconds(10);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly InboundPorts _ports;
    private readonly InboundContext _inbound;

    public InboundListenerActor(InboundPorts ports, InboundContext inbound)
    {
        _ports = ports;
        _inbound = inbound;
        Receive<ConnectionAccepted>(OnAccepted);
        Receive<StopAccepting>(_ => OnStopAccepting());
        Receive<RefreshUsers>(_ => _inbound.Users?.Refresh(_inbound.Clock.GetUtcNow().ToUnixTimeSeconds()));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(InboundPorts ports, InboundContext inbound) =>
        Akka.Actor.Props.Create(() => new InboundListenerActor(ports, inbound));

    /// <summary>Binds and listens, so a port in use fails at startup with a clear error rather than inside an actor.</summary>
    public static Socket Bind(IPEndPoint endPoint, int backlog)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.Equals(IPAddress.IPv6Any)) socket.DualMode = true;
            socket.Bind(endPoint);
            socket.Listen(backlog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    protected override void PreStart()
    {
        if (_inbound.Users is not null) Timers.StartPeriodicTimer(nameof(RefreshUsers), new RefreshUsers(), LegacyRefreshInterval);
        var self = Self;
        var name = _inbound.Tag ?? "(untagged)";
        _ports.Start(socket => self.Tell(new ConnectionAccepted(socket)), _log, name);
        if (_ports.Rotates)
        {
            _log.Info("inbound {0} listening on {1} port(s) {2}, rotating every {3}", name, _ports.FirstEndPoint.Address,
                string.Join(", ", _ports.Ports), _ports.Refresh);
        }
        else if (_ports.Ports.Length == 1) _log.Info("inbound {0} listening on {1}", name, _ports.FirstEndPoint);
        else _log.Info("inbound {0} listening on {1} ports {2}-{3}", name, _ports.FirstEndPoint.Address, _ports.Ports[0], _ports.Ports[^1]);
    }

    protected override void PostStop() => _ports.Dispose();

    private void OnStopAccepting()
    {
        _ports.Dispose();
        _log.Info("inbound {0} stopped accepting; {1} connection(s) still open", _inbound.Tag ?? "(untagged)", _inbound.OpenConnections.Count);
    }

    private void OnAccepted(ConnectionAccepted accepted)
    {
        if (_ports.IsDisposed)
        {
            // Accepted just before the ports closed: the node is shutting down, so it is not served.
            accepted.Socket.Dispose();
            return;
        }
        if (!_inbound.OpenConnections.TryOpen(_inbound.Limits.MaxConnectionsPerInbound))
        {
            _inbound.Rejections.Count(RejectionCause.TooManyConnections);
            _log.Warning("inbound {0}: {1} connections open, the limit; closing a new one", _inbound.Tag, _inbound.OpenConnections.Count);
            accepted.Socket.Dispose();
            return;
        }
        if (_log.IsDebugEnabled) _log.Debug("inbound {0}: accepted {1} ({2} open)", _inbound.Tag ?? "(untagged)", accepted.Socket.RemoteEndPoint, _inbound.OpenConnections.Count);
        // Not watched: the child counts itself out when it stops, which costs no watch bookkeeping per connection.
        Context.ActorOf(ConnectionActor.Props(accepted.Socket, _inbound));
    }
}
