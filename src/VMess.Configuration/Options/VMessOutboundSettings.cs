using System.Collections.Immutable;

namespace VMess.Configuration.Options;

/// <summary><c>outbounds[i].settings</c> of a VMess outbound: the <c>vnext</c> servers, at least one, each with users.</summary>
public sealed record VMessOutboundSettings(ImmutableArray<VMessServer> Servers)
{
    public bool Equals(VMessOutboundSettings? other) => other is not null && Servers.SequenceEqual(other.Servers);

    public override int GetHashCode() => Servers.Length;
}

/// <summary>One <c>vnext</c> entry: an IPv4, IPv6 or domain <see cref="Address"/>, a port, and at least one user.</summary>
public sealed record VMessServer(string Address, int Port, ImmutableArray<VMessOutboundUser> Users)
{
    public bool Equals(VMessServer? other) =>
        other is not null && Address == other.Address && Port == other.Port && Users.SequenceEqual(other.Users);

    public override int GetHashCode() => HashCode.Combine(Address, Port, Users.Length);
}
