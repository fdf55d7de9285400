using VMess.Protocol.Auth;

namespace VMess.Protocol.Sessions;

/// <summary>The server's replay state, shared by all connections of an inbound: auth ids and legacy sessions.</summary>
public sealed class ServerReplayGuard
{
    public AuthIdReplayFilter AuthIds { get; } = new();
    public SessionHistory Sessions { get; } = new();
}
