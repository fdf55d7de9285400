using Akka.Actor;
using VMess.Api.Users;
using VMess.Configuration.Options;
using VMess.Registry.Online;
using VMess.Registry.Traffic;

namespace VMess.Api;

/// <summary>
/// What the API serves from: the user registry's shard region (or a proxy to it), the node's validated config (which
/// inbounds serve the registry's users), the traffic counters and who is online.
/// </summary>
public sealed record ApiBackends(IActorRef UserRegistry, NodeOptions Node, ITrafficStats Traffic, IOnlineUsers Online)
{
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>The registry's users to list (this node's own UserService, served beside HandlerService); null: not served.</summary>
    public IRegistryUsers? Users { get; init; }

    /// <summary>Where the inbounds that serve the registry's users listen; by default as configured.</summary>
    public IReadOnlyList<UserInboundAddress> UserInboundAddresses { get; init; } = UserInboundAddress.Configured(Node);
}
