using Akka.Actor;
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
}
