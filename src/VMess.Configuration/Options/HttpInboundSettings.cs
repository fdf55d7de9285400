using System.Collections.Immutable;

namespace VMess.Configuration.Options;

/// <summary>
/// <c>inbounds[i].settings</c> of an http inbound: <see cref="Accounts"/> (Basic proxy authentication when not empty),
/// <see cref="AllowTransparent"/> (forward requests that are not proxy requests), <see cref="Timeout"/> (V2Ray's
/// <c>timeout</c> for reading the request; zero means none), <see cref="UserLevel"/>.
/// </summary>
public sealed record HttpInboundSettings(
    ImmutableArray<ProxyAccount> Accounts,
    bool AllowTransparent,
    TimeSpan Timeout,
    byte UserLevel)
{
    public bool Equals(HttpInboundSettings? other) =>
        other is not null && Accounts.SequenceEqual(other.Accounts) && AllowTransparent == other.AllowTransparent
        && Timeout == other.Timeout && UserLevel == other.UserLevel;

    public override int GetHashCode() => HashCode.Combine(Accounts.Length, AllowTransparent, Timeout, UserLevel);
}
