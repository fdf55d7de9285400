using Akka.Actor;
using Akka.Event;
using Akka.Streams.Dsl;
using VMess.Protocol.Headers;
using VMess.Protocol.Mux;
using VMess.Relay.Logging;
using VMess.Relay.Policy;
using VMess.Streams;
using VMess.Streams.Mux;
using VMess.Streams.Stages;
using static VMess.Relay.Inbound.ConnectionProtocol;

namespace VMess.Relay.Inbound;

/// <summary>
/// The control plane's side of one Mux.Cool connection, called on its stream thread: each New frame materializes the
/// inbound's sub-connection graph and asks the mux connection's actor to run it (a <see cref="ConnectionActor"/> in
/// association mode, so it is dialled through the routed outbound, timed, logged and counted as the mux user's
/// connection to its target). Refusals and overflows are counted and logged here; both are thread-safe.
/// </summary>
internal sealed class MuxSessionHost(IActorRef connection, InboundContext inbound, ILoggingAdapter log, string from, string? email, byte level)
    : IMuxSessionHost
{
    /// <summary>Sub-connections have no handshake; their graph still carries an outcome, which nobody reads.</summary>
    /// <summary>The graph of every sub-connection of an inbound: the session's port, the outbound's stage if any, the target socket.</summary>
    public static IRunnableGraph<(MuxSessionPort Port, ConnectionLinks Links)> Blueprint(RelayLimits limits,
        ClientSessionSettings? session, SocketStageSettings sockets, bool toMux) =>
        toMux
            ? VMessFlows.MuxSessionToMux(limits.MuxSessionPorts, limits.MuxSessionPorts)
            : VMessFlows.MuxSession(limits.MuxSessionPorts, session, sockets);

    public int MaxSessions => inbound.Limits.MuxMaxSessions;

    public TimeSpan SessionStallTimeout => inbound.Limits.EffectiveMuxSessionStallTimeout;

    public MuxSessionPort? Open(MuxSessionRequest request)
    {
        if (!inbound.OpenConnections.TryOpen(inbound.Limits.MaxConnectionsPerInbound))
        {
            Refuse(request, RejectionCause.TooManyConnections, "too many connections");
            return null;
        }
        var (port, links) = inbound.MuxSessions!.Run(inbound.Materializer);
        var command = request.Network == MuxNetwork.Udp ? RequestCommand.Udp : RequestCommand.Tcp;
        connection.Tell(new MuxSessionOpened(links, new RelayRequest(request.Target, command, email, level)));
        return port;
    }

    public void SessionLimitReached(MuxSessionRequest request) =>
        Refuse(request, RejectionCause.TooManyMuxSessions, $"over {MaxSessions} mux sessions on one connection");

    public void SessionOverflowed(MuxSessionRequest request, long bufferedBytes)
    {
        inbound.Rejections.Count(RejectionCause.MuxSessionOverflow);
        log.Info("{0}: mux session {1} to {2} ended: its target took nothing for {3} with {4} bytes waiting (the limit is {5})",
            from, request.SessionId, request, SessionStallTimeout, bufferedBytes, inbound.Limits.MuxSessionBufferBytes);
    }

    private void Refuse(MuxSessionRequest request, RejectionCause cause, string reason)
    {
        inbound.Rejections.Count(cause);
        log.Info("{0}: mux session {1} to {2} refused: {3}", from, request.SessionId, request, reason);
        inbound.AccessLog.Write(new AccessRecord(inbound.Clock.GetUtcNow(), from, request.ToString(), false, reason, email));
    }
}
