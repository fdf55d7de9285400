using VMess.Protocol.Auth;

namespace VMess.Protocol.Sessions;

/// <summary>
/// The server's replay state, shared by all connections of an inbound (or of every inbound that serves the cluster
/// registry's users): auth ids and legacy sessions. <paramref name="authIdListener"/> hears each accepted auth id.
/// </summary>
public sealed class ServerReplayGuard(IAcceptedAuthIdListener? authIdListener = null)
{
    public AuthIdReplayFilter AuthIds { get; } = new(authIdListener);
    public SessionHistory Sessions { get; } = new();
}
