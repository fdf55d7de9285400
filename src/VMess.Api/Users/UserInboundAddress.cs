using System.Net;
using VMess.Configuration.Options;
using VMess.Relay;

namespace VMess.Api.Users;

/// <summary>A VMess inbound that serves the registry's users, and where it listens: what a share link points clients at.</summary>
public sealed record UserInboundAddress(string? Tag, IPEndPoint EndPoint)
{
    /// <summary>The registry inbounds as the config gives them (a port of 0 stays 0; the host passes the bound ones).</summary>
    public static IReadOnlyList<UserInboundAddress> Configured(NodeOptions node) =>
        [.. RelayNode.RegistryInbounds(node).Select(i => new UserInboundAddress(i.Tag, i.EndPoint))];

    /// <summary>The registry inbounds of a running relay, with the ports the OS gave.</summary>
    public static IReadOnlyList<UserInboundAddress> Bound(RelayNode relay) =>
        [.. relay.Inbounds.Where(i => i.AuthenticatesRegistryUsers).Select(i => new UserInboundAddress(i.Options.Tag, i.EndPoint))];
}
