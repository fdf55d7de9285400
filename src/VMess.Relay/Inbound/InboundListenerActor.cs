using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using VMess.Relay.Policy;
using static VMess.Relay.Inbound.ConnectionProtocol;

namespace VMess.Relay.Inbound;

/// <summary>
/// Owns one bound inbound socket: accepts connections and spawns a <see cref="ConnectionActor"/> for each, up to
/// <see cref="RelayLimits.MaxConnectionsPerInbound"/>. It also keeps the legacy (alterId) auth table moving with
/// the clock. Nothing else: connections run on their own.
/// </summary>
public sealed class InboundListenerActor : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan LegacyRefreshInterval = TimeSpan.FromSeconds(10);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Socket _listener;
    private readonly InboundContext _inbound;
    private readonly CancellationTokenSource _stopping = new();

    public InboundListenerActor(Socket listener, InboundContext inbound)
    {
        _listener = listener;
        _inbound = inbound;
        Receive<ConnectionAccepted>(OnAccepted);
        Receive<RefreshUsers>(_ => _inbound.Users?.Refresh(_inbound.Clock.GetUtcNow().ToUnixTimeSeconds()));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(Socket listener, InboundContext inbound) =>
        Akka.Actor.Props.Create(() => new InboundListenerActor(listener, inbound));

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
        _ = AcceptLoopAsync(self, _stopping.Token);
        _log.Info("inbound {0} listening on {1}", _inbound.Tag ?? "(untagged)", _listener.LocalEndPoint);
    }

    protected override void PostStop()
    {
        _stopping.Cancel();
        _listener.Dispose();
        _stopping.Dispose();
    }

    private void OnAccepted(ConnectionAccepted accepted)
    {
        if (!_inbound.OpenConnections.TryOpen(_inbound.Limits.MaxConnectionsPerInbound))
        {
            _inbound.Rejections.Count(RejectionCause.TooManyConnections);
            _log.Warning("inbound {0}: {1} connections open, the limit; closing a new one", _inbound.Tag, _inbound.OpenConnections.Count);
            accepted.Socket.Dispose();
            return;
        }
        // Not watched: the child counts itself out when it stops, which costs no watch bookkeeping per connection.
        Context.ActorOf(ConnectionActor.Props(accepted.Socket, _inbound));
    }

    private async Task AcceptLoopAsync(IActorRef self, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var socket = await _listener.AcceptAsync(stopping);
                self.Tell(new ConnectionAccepted(socket));
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // Out of descriptors or a connection reset while queued: keep accepting, a little later.
                _log.Warning("inbound {0}: accept failed: {1}", _inbound.Tag, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None);
            }
        }
    }
}
