using System.Collections.Immutable;
using System.Net;

namespace VMess.Configuration.Options;

/// <summary>
/// <c>inbounds[i].settings</c> of a socks inbound: <see cref="Auth"/> ("noauth" or "password" with
/// <see cref="Accounts"/>), <see cref="Udp"/> enables UDP ASSOCIATE on the same port, <see cref="Ip"/> is the address
/// announced in the UDP ASSOCIATE reply (V2Ray's <c>ip</c>), <see cref="UserLevel"/> the policy level of its traffic.
/// </summary>
public sealed record SocksInboundSettings(
    SocksAuth Auth,
    ImmutableArray<ProxyAccount> Accounts,
    bool Udp,
    IPAddress? Ip,
    byte UserLevel)
{
    public bool Equals(SocksInboundSettings? other) =>
        other is not null && Auth == other.Auth && Accounts.SequenceEqual(other.Accounts) && Udp == other.Udp
        && Equals(Ip, other.Ip) && UserLevel == other.UserLevel;

    public override int GetHashCode() => HashCode.Combine(Auth, Accounts.Length, Udp, Ip, UserLevel);
}

public enum SocksAuth
{
    NoAuth,
    Password,
}
