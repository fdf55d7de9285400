using VMess.Configuration.Options;

namespace VMess.Relay.Outbound;

/// <summary>A dialled VMess server: the connection to run, the server that took it, and the user whose session it carries.</summary>
public sealed record VMessOutboundDial(OutboundConnection Connection, VMessServer Server, VMessOutboundUser User)
{
    /// <summary>The policy level of the user the request was sent as.</summary>
    public byte Level => User.Level;
}
